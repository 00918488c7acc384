import Foundation

/// The key and name indexes of a graph read from a snapshot file, built on first use instead
/// of at open: hashing a million keys and a million names took 0.55 s of CPU of every open at
/// 1M entities, and a one-off command such as `mosaic stats` uses neither. Until then a key is
/// looked up in the snapshot's table of keys (`KeyTable`). The first reader
/// that needs one builds both (on two threads: the keys from the nodes, the names from the
/// name index's bytes, an owned copy of that part of the file); every copy of the graph
/// shares the result. A graph about to change a key, a node's liveness or a name takes the
/// built indexes as its own first (`Graph.settleIndexes()`), so the nodes a reader passes in
/// always have the keys and liveness they had at decode time. Uses Foundation's NSLock and
/// Dispatch; the bytes are read with `CheckpointReader`.
// @unchecked Sendable: `built` is written once, under `lock`, and only read under it.
final class DeferredIndexes: @unchecked Sendable {
    typealias Built = (keys: [String: Int32], names: [String: NameSlot])

    private let lock = NSLock()
    /// The name index as the snapshot holds it (its count, then key and nodes per name).
    private let nameBytes: [UInt8]
    private var built: Built?
    /// The snapshot's table of keys: key lookups read it while the indexes are not built (a
    /// one-off command that looks up one entity needs no index of a million keys, and decodes
    /// only that entity's block of nodes).
    private let keys: KeyTable
    /// Whether the indexes are still to be built (for tests).
    var isUnbuilt: Bool { lock.lock(); defer { lock.unlock() }; return built == nil }

    init(nameBytes: [UInt8], keys: KeyTable) { self.nameBytes = nameBytes; self.keys = keys }

    /// The node with `key`: from the index when it is built, else from the snapshot's table.
    func node(key: String, in nodes: NodeTable) -> Int32? {
        lock.lock()
        let built = self.built
        lock.unlock()
        if let built { return built.keys[key] }
        return keys.node(key: key, in: nodes)
    }

    /// Both indexes, built on the first call from `nodes` (which must have the keys and
    /// liveness of the nodes decoded with this graph).
    func indexes(_ nodes: NodeTable) -> Built {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let parts = Parts()
        let bytes = nameBytes
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 {
                var keys: [String: Int32] = [:]
                keys.reserveCapacity(nodes.count)
                nodes.withUnsafeBufferPointer { nodes in
                    for i in nodes.indices where nodes[i].alive { keys[nodes[i].key] = Int32(i) }
                }
                parts.keys = keys
            } else {
                parts.names = bytes.withUnsafeBytes { DeferredIndexes.decodeNames($0) }
            }
        }
        let result = (parts.keys, parts.names ?? [:])
        built = result
        return result
    }

    /// The two halves built by the two jobs.
    // @unchecked Sendable: job 0 writes only `keys`, job 1 only `names`; they are read after
    // `concurrentPerform` returned.
    private final class Parts: @unchecked Sendable {
        var keys: [String: Int32] = [:]
        var names: [String: NameSlot]?
    }

    /// Reads the name index; nil when the bytes are not one (checked at decode: `isNameIndex`).
    static func decodeNames(_ raw: UnsafeRawBufferPointer) -> [String: NameSlot]? {
        var r = CheckpointReader(raw)
        var names: [String: NameSlot] = [:]
        let count = r.count()
        names.reserveCapacity(count)
        for _ in 0..<count {
            let k = r.string()
            let n = r.count()
            if n == 1 {
                names[k] = .one(r.i32())
            } else {
                names[k] = .many((0..<n).map { _ in r.i32() })
            }
            guard r.ok else { return nil }
        }
        return r.ok && r.atEnd ? names : nil
    }

    /// Whether `raw` reads as a name index whose nodes are below `nodeCount`, without building
    /// it (the decode refuses a file whose name index would fail later).
    static func isNameIndex(_ raw: UnsafeRawBufferPointer, nodeCount: Int) -> Bool {
        var r = CheckpointReader(raw)
        for _ in 0..<r.count() {
            let keyLength = r.count()
            _ = r.take(keyLength)
            for _ in 0..<r.count() {
                let n = r.i32()
                guard n >= 0, Int(n) < nodeCount else { return false }
            }
            guard r.ok else { return false }
        }
        return r.ok && r.atEnd
    }
}
