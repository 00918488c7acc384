/// The adjacency of a bulk load into a graph that holds no relationship yet (a fresh import,
/// a load from the log; `Graph.beginBulkLoad()`): no list is kept while the relationships are
/// loaded. Each fact is recorded under its pair of ends instead, so that a claim finds the
/// facts it may join (`facts(from:to:)`, in statement order, as a scan of the lists would give
/// them), and `Graph.endBulkLoad()` makes both directions' lists at once, as flat arrays
/// (`flatLists`), in the layout a snapshot file has. Uses only MosaicGraph's own storage
/// (ShortKeyTable.swift for the single sources).
struct PendingAdjacency: Sendable {
    /// A slot of the table: a pair of ends (plus one; 0: empty slot) and the first and last
    /// fact with them, side by side (one cache line read a probe).
    struct Slot {
        var key: UInt64 = 0
        var head: Int32 = -1
        var tail: Int32 = -1
    }
    /// Open addressing by pair of ends; `next[r]` is the fact after `r` with the same pair
    /// (-1: none).
    private var slots: [Slot]
    private var next: [Int32] = []
    private var used = 0
    /// Single-citation source sets without a note by their source (the common case), in front
    /// of the graph's general index of source sets (`Graph.internSources`): short ASCII sources
    /// in a `ShortKeyTable` (a look-up in a `[String: Int32]` was ~500 instructions, callgrind,
    /// 100k import; one per relation with a source), others in a dictionary.
    private var shortSources: ShortKeyTable
    private var otherSources: [String: Int32] = [:]

    /// The source set of the single citation `source` without a note, if interned.
    func singleSource(_ source: String) -> Int32? {
        var k = source
        return k.withUTF8 { u in ShortKeyTable.holds(u) ? shortSources.lookup(u) : otherSources[source] }
    }

    /// Records the source set of the single citation `source` without a note.
    mutating func setSingleSource(_ source: String, _ id: Int32) {
        var k = source
        if !k.withUTF8({ shortSources.insert($0, value: id) }) { otherSources[source] = id }
    }

    /// A table with room for `expected` pairs (it grows past them).
    init(expected: Int) {
        var n = 1 << 12
        while n * 3 < expected * 4 { n <<= 1 }
        slots = [Slot](repeating: Slot(), count: n)
        next.reserveCapacity(expected)
        shortSources = ShortKeyTable(expected: expected / 8)
    }

    @inline(__always) private static func key(_ from: Int32, _ to: Int32) -> UInt64 {
        (UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))) &+ 1
    }

    /// The slot of `key` in `slots`, or the empty slot where it goes.
    @inline(__always) private static func slot(_ key: UInt64, in slots: UnsafeBufferPointer<Slot>) -> Int {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let k = slots[i].key
            if k == key || k == 0 { return i }
            i = (i + 1) & mask
        }
    }

    /// Records fact `r` (the newest) from `from` to `to`.
    mutating func add(_ r: Int32, from: Int32, to: Int32) {
        while next.count <= Int(r) { next.append(-1) }
        // (at most three in four slots used: 8M slots, 128 MB, for the 5M pairs of the 1M graph)
        if (used + 1) * 4 > slots.count * 3 { grow() }
        let key = PendingAdjacency.key(from, to)
        let tail: Int32 = slots.withUnsafeMutableBufferPointer { slots in
            let i = PendingAdjacency.slot(key, in: UnsafeBufferPointer(slots))
            let last = slots[i].tail
            if slots[i].key == 0 {
                slots[i].key = key
                slots[i].head = r
            }
            slots[i].tail = r
            return last
        }
        if tail >= 0 { next[Int(tail)] = r } else { used += 1 }
    }

    /// The first fact from `from` to `to` (-1: none); `following(_:)` gives the next.
    func first(from: Int32, to: Int32) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
            let i = PendingAdjacency.slot(PendingAdjacency.key(from, to), in: slots)
            return slots[i].head
        }
    }

    /// The fact after `r` with the same ends (-1: none).
    func following(_ r: Int32) -> Int32 { Int(r) < next.count ? next[Int(r)] : -1 }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        slots.withUnsafeMutableBufferPointer { slots in
            for s in old where s.key != 0 { slots[PendingAdjacency.slot(s.key, in: UnsafeBufferPointer(slots))] = s }
        }
    }

    /// Both directions' lists of `nodes` nodes, made from the live relationships (the facts:
    /// a folded claim or a denial is in no list), each list by type and within a type in
    /// statement order: (outgoing, incoming).
    static func flatLists(_ relationships: ChunkedArray<Relationship>, types: Int, nodes: Int) -> (AdjacencyLists, AdjacencyLists) {
        let count = relationships.count
        // The live relationships by type, each type in statement order (a counting sort).
        var typeStart = [Int](repeating: 0, count: types + 1)
        var outOffsets = [UInt32](repeating: 0, count: nodes + 1)
        var inOffsets = [UInt32](repeating: 0, count: nodes + 1)
        var live = 0
        relationships.forEachChunk { chunk in
            for rel in chunk where rel.alive {
                typeStart[Int(rel.type) + 1] += 1
                outOffsets[Int(rel.source) + 1] += 2
                inOffsets[Int(rel.target) + 1] += 2
                live += 1
            }
        }
        for t in 0..<types { typeStart[t + 1] += typeStart[t] }
        for n in 0..<nodes {
            outOffsets[n + 1] += outOffsets[n]
            inOffsets[n + 1] += inOffsets[n]
        }
        var byType = [Int32](repeating: 0, count: live)
        var at = typeStart
        var r = 0
        relationships.forEachChunk { chunk in
            for rel in chunk {
                if rel.alive {
                    let t = Int(rel.type)
                    byType[at[t]] = Int32(r)
                    at[t] += 1
                }
                r += 1
            }
        }
        precondition(r == count)
        // Each node's pairs filled in that order: by type, then statement.
        func lists(_ offsets: [UInt32], outgoing: Bool) -> AdjacencyLists {
            let header = (nodes + 1) * 4
            let start = (header + 63) & ~63
            let bytes = UnsafeMutableRawPointer.allocate(byteCount: start + live * 8, alignment: 64)
            let offs = bytes.bindMemory(to: UInt32.self, capacity: nodes + 1)
            offsets.withUnsafeBufferPointer { offs.initialize(from: $0.baseAddress!, count: nodes + 1) }
            let pairs = (bytes + start).bindMemory(to: Int32.self, capacity: live * 2)
            var cursor = offsets
            cursor.withUnsafeMutableBufferPointer { cursor in
                for q in byType {
                    let rel = relationships[Int(q)]
                    let node = Int(outgoing ? rel.source : rel.target)
                    let c = Int(cursor[node])
                    pairs[c] = q
                    pairs[c + 1] = outgoing ? rel.target : rel.source
                    cursor[node] = UInt32(c + 2)
                }
            }
            let keeper = ReadOnlyBytes(UnsafeRawBufferPointer(start: bytes, count: start + live * 8)) { b in
                UnsafeMutableRawPointer(mutating: b.baseAddress!).deallocate()
            }
            return AdjacencyLists(offsets: offs, pairs: live > 0 ? pairs : nil, nodes: nodes, keeper: keeper)
        }
        return (lists(outOffsets, outgoing: true), lists(inOffsets, outgoing: false))
    }
}
