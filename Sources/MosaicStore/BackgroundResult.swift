import Foundation

/// A value computed on a thread of its own while the caller does something else (the bulk
/// write encodes and builds its snapshot this way, the FtM writer and reader split their
/// work in two: the machine has two cores). Uses Foundation's `Thread` and a semaphore.
// @unchecked Sendable: `value` is written by the thread before `done.signal()` and read only after `done.wait()`.
public final class BackgroundResult<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    public init(_ body: @escaping @Sendable () -> T) {
        let t = Thread { [self] in
            value = body()
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
    }

    /// Waits for the value (any number of times).
    public func wait() -> T {
        done.wait()
        done.signal()
        return value!
    }
}
