// HeldPlugins: one workspace's held plugins (those whose rules failed to load or run, so what
// they derived is kept but stale), read from its store (MosaicStore) once and kept until
// the next inference run: the query function `stale(r)` asks for every row.
import Foundation
import MosaicStore

// @unchecked Sendable: `cached` is read and written only under `lock`; `store` is itself Sendable.
// (Query functions are @Sendable closures, and `stale(r)` holds this cache.)
final class HeldPlugins: @unchecked Sendable {
    private let store: Store
    private let lock = NSLock()
    private var cached: [String: Int64]?

    init(store: Store) { self.store = store }

    /// The held plugins and the transaction each was held since (nil when the store cannot say).
    var current: [String: Int64]? {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        cached = try? store.heldPlugins()
        return cached
    }

    /// Forgets what was read: an inference run changed the held set.
    func invalidate() {
        lock.lock()
        cached = nil
        lock.unlock()
    }
}
