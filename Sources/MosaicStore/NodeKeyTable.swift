import Foundation
import MosaicGraph

/// The bulk import's table of node keys (BulkImporter.swift): the graph's node for each key
/// of the import's nodes, found with a cheaper hash than `String`'s (MosaicGraph's
/// `ShortKeyTable`: a key of at most 16 ASCII bytes in its slot), so that the parsing threads
/// look up the ends of millions of edges faster than in the graph's `[String: Int32]`. Keys the
/// table cannot hold (longer, or not ASCII) are not kept: a lookup that misses is answered by
/// the graph (`node(_:in:)`), so the table answers as the graph does, only faster.
///
/// Measured on the 1M graph (`perf`, 10M end lookups): the dictionary's `find` and `Hasher`
/// were about 2 s of the parsing threads' CPU.
///
/// Filled by the snapshot builder's thread as it applies the nodes, then only read (by the
/// parsing threads) once it is handed on with the graph.
// @unchecked Sendable: written only by the builder's thread before it is handed on (through a lock), read-only after.
final class NodeKeyTable: @unchecked Sendable {
    private var table: ShortKeyTable

    /// A table with room for about `expected` keys before it grows.
    init(expected: Int) { table = ShortKeyTable(expected: expected) }

    /// The keys held.
    var count: Int { table.count }

    /// Records `key`'s node (a key already there keeps its node; a key the table cannot hold
    /// is left to the graph).
    func insert(_ key: String, node: Int32) { table.insert(key, value: node) }

    /// `key`'s node if the table holds it; nil when it does not (the key may still be in the
    /// graph: see `node(_:in:)`).
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? { table.lookup(key) }

    /// `key`'s node: from the table, else from `graph` (which holds every node, the table only
    /// those it was given with short ASCII keys).
    func node(_ key: String, in graph: Graph) -> Int32? {
        if let i = table.lookup(key) { return i }
        return graph.lookup(key: key)
    }
}
