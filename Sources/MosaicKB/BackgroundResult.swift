import Foundation

/// A value computed on a thread of its own while the caller does something else (the FtM
/// writer and reader split their work in two this way: the machine has two cores). Uses
/// Foundation's `Thread` and a semaphore.
final class BackgroundResult<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> T) {
        let t = Thread { [self] in
            value = body()
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
    }

    /// Waits for the value (once).
    func wait() -> T {
        done.wait()
        done.signal()
        return value!
    }
}
