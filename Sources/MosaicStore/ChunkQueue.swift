import Foundation

/// A bounded queue between two threads of the bulk import (BulkImporter.swift): the parsing
/// thread puts chunks of rows, the inserting thread takes them, and the inserting thread
/// passes them on to the snapshot builder through a second one. At most `capacity` chunks
/// wait, so the memory a stream of chunks holds is bounded whatever the size of the files.
/// `close()` ends the stream (a taker gets nil once it is empty); `cancel()` drops what
/// waits and makes every later `put` refuse, so a producer stops when its consumer gave up.
// @unchecked Sendable: every field is read and written only while `condition` is locked.
final class ChunkQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private var cancelled = false
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Adds `item`, waiting while the queue is full; false when the queue was cancelled
    /// (the item is dropped).
    @discardableResult
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        precondition(!closed, "a chunk put after the queue was closed")
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting for one; nil once the queue is closed and empty, or cancelled.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed && !cancelled { condition.wait() }
        guard !cancelled, !items.isEmpty else { return nil }
        let item = items.removeFirst()  // (a few items at most: a cheap shift)
        condition.broadcast()
        return item
    }

    /// No more items will be put.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops the waiting items and refuses new ones; both ends stop waiting.
    func cancel() {
        condition.lock()
        cancelled = true
        items = []
        condition.broadcast()
        condition.unlock()
    }
}
