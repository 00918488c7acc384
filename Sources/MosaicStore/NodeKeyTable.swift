import Foundation
import MosaicGraph

/// The bulk import's table of node keys (BulkImporter.swift): the graph's node for each key
/// of the import's nodes, found with a cheaper hash than `String`'s, so that the parsing
/// threads look up the ends of millions of edges faster than in the graph's `[String: Int32]`
/// (SipHash over the key, then its bucket and its value in two arrays). A key of at most 16
/// ASCII bytes is held in its slot (two words and its length) with its node: a lookup is one
/// multiply-and-shift hash and, mostly, one slot read. Other keys (longer, or not ASCII, whose
/// `String` equality is not byte equality) are not held: a lookup that misses is answered by
/// the graph (`node(_:in:)`), so the table answers as the graph does, only faster.
///
/// Measured on the 1M graph (`perf`, 10M end lookups): the dictionary's `find` and `Hasher`
/// were about 2 s of the parsing threads' CPU.
///
/// Filled by the snapshot builder's thread as it applies the nodes, then only read (by the
/// parsing threads and the importer's) once it is handed on with the graph.
// @unchecked Sendable: written only by the builder's thread before it is handed on (under the builder's lock), read-only after.
final class NodeKeyTable: @unchecked Sendable {
    /// A slot: the key's first and second eight bytes (zero-padded), and `node + 1` in the low
    /// 32 bits of `tag` with the key's length above (0: an empty slot).
    private struct Slot { var w0: UInt64; var w1: UInt64; var tag: UInt64 }
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private(set) var count = 0

    /// A table with room for about `expected` keys before it grows (the importer's estimate
    /// of the nodes is generous, from the files' sizes: half of it is reserved).
    init(expected: Int) {
        var capacity = 1024
        while capacity < expected { capacity <<= 1 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(w0: 0, w1: 0, tag: 0), count: capacity)
    }

    deinit { slots.deallocate() }

    /// The key's words and length, nil when the table does not hold such keys.
    @inline(__always)
    private static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64)? {
        let n = key.count
        guard n > 0 && n <= 16 else { return nil }
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { $0.baseAddress!.copyMemory(from: key.baseAddress!, byteCount: n) }
        guard (w.0 | w.1) & 0x8080_8080_8080_8080 == 0 else { return nil }  // (ASCII only)
        return (w.0, w.1, UInt64(n))
    }

    @inline(__always)
    private static func hash(_ w0: UInt64, _ w1: UInt64, _ n: UInt64) -> Int {
        var h = (w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ (n << 56)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        h = h &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Records `key`'s node (a key already there keeps its node; a key the table does not hold
    /// is left to the graph).
    func insert(_ key: String, node: Int32) {
        var key = key
        key.withUTF8 { insert($0, node: node) }
    }

    func insert(_ key: UnsafeBufferPointer<UInt8>, node: Int32) {
        guard let (w0, w1, n) = NodeKeyTable.words(key) else { return }
        if (count + 1) * 4 > (mask + 1) * 3 { grow() }
        var i = NodeKeyTable.hash(w0, w1, n) & mask
        while true {
            let s = slots[i]
            if s.tag == 0 {
                slots[i] = Slot(w0: w0, w1: w1, tag: n << 32 | UInt64(UInt32(bitPattern: node &+ 1)))
                count += 1
                return
            }
            if s.w0 == w0 && s.w1 == w1 && s.tag >> 32 == n { return }
            i = (i + 1) & mask
        }
    }

    /// `key`'s node if the table holds it; nil when it does not (the key may still be in the
    /// graph: see `node(_:in:)`).
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let (w0, w1, n) = NodeKeyTable.words(key) else { return nil }
        var i = NodeKeyTable.hash(w0, w1, n) & mask
        while true {
            let s = slots[i]
            if s.tag == 0 { return nil }
            if s.w0 == w0 && s.w1 == w1 && s.tag >> 32 == n { return Int32(bitPattern: UInt32(truncatingIfNeeded: s.tag)) &- 1 }
            i = (i + 1) & mask
        }
    }

    /// `key`'s node: from the table, else from `graph` (which holds every node, the table only
    /// those it was given with short ASCII keys).
    func node(_ key: String, in graph: Graph) -> Int32? {
        var k = key
        if let i = k.withUTF8({ lookup($0) }) { return i }
        return graph.lookup(key: key)
    }

    private func grow() {
        let old = slots, oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(w0: 0, w1: 0, tag: 0), count: capacity)
        mask = capacity - 1
        for j in 0..<oldCapacity where old[j].tag != 0 {
            let s = old[j]
            var i = NodeKeyTable.hash(s.w0, s.w1, s.tag >> 32) & mask
            while slots[i].tag != 0 { i = (i + 1) & mask }
            slots[i] = s
        }
        old.deallocate()
    }
}
