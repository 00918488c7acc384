import CLua
import CLuaSandbox
import Foundation

/// One thread for every state's deadline: a call registers (deadline, context, generation)
/// and removes it when it returns; at a deadline the thread arms the context's kill hook.
/// Much cheaper per call than a timer per call, and free for the Lua code until it fires.
/// A call may also register a cancellation check (e.g. "was Ctrl-C pressed?"): the thread
/// polls it every `pollInterval` while the call runs and interrupts the state when it says so.
// @unchecked Sendable: `entries`, `nextToken` and `started` only under `condition` (an NSCondition, also its lock).
final class LuaWatchdog: @unchecked Sendable {
    static let shared = LuaWatchdog()

    /// How often cancellation checks are polled.
    static let pollInterval: UInt64 = 50_000_000

    private struct Entry {
        let token: UInt64
        let deadline: UInt64   // DispatchTime nanoseconds; .max = none
        let handle: LuaContextHandle
        let generation: UInt32
        let isCancelled: (@Sendable () -> Bool)?
    }

    private let condition = NSCondition()
    private var entries: [Entry] = []
    private var nextToken: UInt64 = 1
    private var started = false

    /// Registers a deadline (nil: none) and a cancellation check; returns the token for `cancel`.
    func schedule(after nanoseconds: UInt64?, handle: LuaContextHandle, generation: UInt32,
                  isCancelled: (@Sendable () -> Bool)? = nil) -> UInt64 {
        let deadline = nanoseconds.map { DispatchTime.now().uptimeNanoseconds &+ $0 } ?? .max
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
        let wasPolling = entries.contains { $0.isCancelled != nil }
        let earliest = entries.map(\.deadline).min() ?? .max
        entries.append(Entry(token: token, deadline: deadline, handle: handle, generation: generation, isCancelled: isCancelled))
        if deadline < earliest || (isCancelled != nil && !wasPolling) { condition.signal() }
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
            let polled = entries.filter { $0.isCancelled != nil }
            condition.unlock()
            for e in due { e.handle.kill(reason: Int32(MOSAIC_KILL_TIMEOUT), generation: e.generation) }
            for e in polled where e.isCancelled!() {
                e.handle.kill(reason: Int32(MOSAIC_KILL_INTERRUPT), generation: e.generation)
            }
            condition.lock()
            if !due.isEmpty { continue }
            var next = entries.map(\.deadline).min() ?? .max
            if entries.contains(where: { $0.isCancelled != nil }) { next = min(next, now &+ LuaWatchdog.pollInterval) }
            if next == .max {
                condition.wait()
            } else {
                let wait = Double(next > now ? next - now : 0) / 1e9
                _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
            }
        }
    }
}
