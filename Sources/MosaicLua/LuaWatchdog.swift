import CLua
import Foundation

/// One thread for every state's deadline: a call registers (deadline, context, generation)
/// and removes it when it returns; at a deadline the thread arms the context's kill hook.
/// Much cheaper per call than a timer per call, and free for the Lua code until it fires.
final class LuaWatchdog: @unchecked Sendable {
    static let shared = LuaWatchdog()

    private struct Entry {
        let token: UInt64
        let deadline: UInt64   // DispatchTime nanoseconds
        let handle: LuaContextHandle
        let generation: UInt32
    }

    private let condition = NSCondition()
    private var entries: [Entry] = []
    private var nextToken: UInt64 = 1
    private var started = false

    /// Registers a deadline; returns the token for `cancel`.
    func schedule(after nanoseconds: UInt64, handle: LuaContextHandle, generation: UInt32) -> UInt64 {
        let deadline = DispatchTime.now().uptimeNanoseconds &+ nanoseconds
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            let t = Thread { [unowned self] in self.loop() }
            t.name = "mosaic-lua-watchdog"
            t.stackSize = 256 << 10
            t.start()
        }
        let token = nextToken
        nextToken += 1
        entries.append(Entry(token: token, deadline: deadline, handle: handle, generation: generation))
        if entries.count == 1 || deadline < (entries.dropLast().map(\.deadline).min() ?? .max) { condition.signal() }
        return token
    }

    func cancel(_ token: UInt64) {
        condition.lock()
        if let i = entries.lastIndex(where: { $0.token == token }) { entries.remove(at: i) }
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            var due: [Entry] = []
            entries.removeAll { e in
                if e.deadline <= now { due.append(e); return true }
                return false
            }
            if !due.isEmpty {
                condition.unlock()
                for e in due { e.handle.kill(reason: Int32(MOSAIC_KILL_TIMEOUT), generation: e.generation) }
                condition.lock()
                continue
            }
            if let next = entries.map(\.deadline).min() {
                let wait = Double(next - now) / 1e9
                _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
            } else {
                condition.wait()
            }
        }
    }
}
