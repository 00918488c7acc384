/// Adjacency grouped by relation type. A node's outgoing (and incoming) list holds its live
/// relationships sorted by type id, and within a type in statement order (ascending
/// relationship index). No table is kept: a type's run is found by binary search on the
/// types of the list's entries (`relationshipTypeCodes`, two bytes a relationship; two
/// reads when the node has one type of relationship), so
/// the degree by type is O(log d) and a typed expansion reads only its own run, for no
/// memory beyond the lists themselves.
///
/// Each entry is a pair, the relationship and the node at its other end, side by side
/// (`rel, other, rel, other, …`): an expansion finds its neighbours by reading the list in
/// order, without looking each relationship up in the 5-million-entry array at 1M entities
/// (4 more bytes per entry; `AdjacencyPairs` reads them). Where the lists are kept (read in
/// place from a snapshot, or lists of their own): AdjacencyLists.swift.
///
/// Relationship indexes follow statement order, so the whole list in statement order is the
/// runs merged by index (`outList`, `inList`); `outPairs`/`inPairs` give the lists as kept,
/// for readers that take runs (`outRange(_:type:)`, `inRange(_:type:)`, in pairs).
///
/// A new relationship is the newest, so it goes at the end of its type's run: at the end of
/// the list when its type is the list's highest (most inserts), else shifted in. A bulk load
/// (`beginBulkLoad()` … `endBulkLoad()`) appends instead and sorts each list it disordered
/// once at the end, so that loading a hub costs no shift per relationship.
extension Graph {
    // MARK: - reading

    /// The node's outgoing relationships in statement order.
    public func outList(_ node: Int32) -> [Int32] { inStatementOrder(outPairs(node)) }
    /// The node's incoming relationships in statement order.
    public func inList(_ node: Int32) -> [Int32] { inStatementOrder(inPairs(node)) }
    /// The node's outgoing relationships as kept: by type id, each type in statement order.
    public func outListByType(_ node: Int32) -> [Int32] { outPairs(node).relationships }
    /// The node's incoming relationships as kept: by type id, each type in statement order.
    public func inListByType(_ node: Int32) -> [Int32] { inPairs(node).relationships }
    /// The node's outgoing relationships as kept, each with the node it reaches.
    @inline(__always) public func outPairs(_ node: Int32) -> AdjacencyPairs { outAdjacency.pairs(Int(node)) }
    /// The node's incoming relationships as kept, each with the node it comes from.
    @inline(__always) public func inPairs(_ node: Int32) -> AdjacencyPairs { inAdjacency.pairs(Int(node)) }
    /// Where the outgoing relationships of `type` sit in `outPairs(node)` (in pairs).
    public func outRange(_ node: Int32, type: Int32) -> Range<Int> { run(of: type, in: outPairs(node)) }
    /// Where the incoming relationships of `type` sit in `inPairs(node)` (in pairs).
    public func inRange(_ node: Int32, type: Int32) -> Range<Int> { run(of: type, in: inPairs(node)) }
    /// How many relationships of `type` leave `node` (no list is read beyond a binary search).
    public func outDegree(_ node: Int32, type: Int32) -> Int { outRange(node, type: type).count }
    /// How many relationships of `type` reach `node`.
    public func inDegree(_ node: Int32, type: Int32) -> Int { inRange(node, type: type).count }

    /// Live relationships leaving `node`, of one type or (nil) all, in statement order.
    public func outgoing(_ node: Int32, type: Int32? = nil) -> [Int32] {
        guard let type else { return outList(node) }
        let list = outPairs(node)
        return run(of: type, in: list).map { list.relationship($0) }
    }
    /// Live relationships reaching `node`, of one type or (nil) all, in statement order.
    public func incoming(_ node: Int32, type: Int32? = nil) -> [Int32] {
        guard let type else { return inList(node) }
        let list = inPairs(node)
        return run(of: type, in: list).map { list.relationship($0) }
    }

    /// The type of the relationship of pair `i` in a list.
    @inline(__always) func typeOfPair(_ i: Int, in list: AdjacencyPairs) -> Int32 { Int32(relationshipTypeCodes[Int(list.relationship(i))]) }

    /// The run of `type` in a list kept by type, in pairs.
    @inline(__always) func run(of type: Int32, in list: AdjacencyPairs) -> Range<Int> {
        let n = list.count
        guard n > 0 else { return 0..<0 }
        let first = typeOfPair(0, in: list), last = typeOfPair(n - 1, in: list)
        if type < first || type > last { return 0..<0 }
        if first == last { return 0..<n }
        let lo = type == first ? 0 : firstIndex(ofTypeAtLeast: type, in: list, from: 1, to: n - 1)
        let hi = type == last ? n : firstIndex(ofTypeAtLeast: type + 1, in: list, from: lo, to: n - 1)
        return lo..<hi
    }

    /// The first pair in `from..<to` whose type is at least `type` (`to` when none is; the
    /// pair at `to`, when `to < count`, must be of a type at least `type`).
    @inline(__always) func firstIndex(ofTypeAtLeast type: Int32, in list: AdjacencyPairs, from: Int, to: Int) -> Int {
        var lo = from, hi = to
        while lo < hi {
            let mid = (lo + hi) >> 1
            if typeOfPair(mid, in: list) < type { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The runs of one type each in a list kept by type, in type order (in pairs).
    func runs(_ list: AdjacencyPairs) -> [Range<Int>] {
        let n = list.count
        guard n > 0 else { return [] }
        let last = typeOfPair(n - 1, in: list)
        var out: [Range<Int>] = []
        var at = 0
        while at < n {
            let t = typeOfPair(at, in: list)
            let end = t == last ? n : firstIndex(ofTypeAtLeast: t + 1, in: list, from: at + 1, to: n - 1)
            out.append(at..<end)
            at = end
        }
        return out
    }

    /// The relationships of a list kept by type, in statement order: as kept when it holds one
    /// type, else its runs merged by index.
    func inStatementOrder(_ list: AdjacencyPairs) -> [Int32] {
        let n = list.count
        guard n > 1, typeOfPair(0, in: list) != typeOfPair(n - 1, in: list) else { return list.relationships }
        return Graph.merge(list, runs(list))
    }

    /// The relationships of runs of `list` (each ascending) merged into one ascending list. A
    /// node has few types of relationship, so each step picks the least head by a linear look.
    static func merge(_ list: AdjacencyPairs, _ ranges: [Range<Int>]) -> [Int32] {
        var heads = ranges.map(\.lowerBound), ends = ranges.map(\.upperBound)
        var out: [Int32] = []
        out.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
        while !heads.isEmpty {
            var best = 0
            for k in 1..<heads.count where list.relationship(heads[k]) < list.relationship(heads[best]) { best = k }
            out.append(list.relationship(heads[best]))
            heads[best] += 1
            if heads[best] == ends[best] { heads.remove(at: best); ends.remove(at: best) }
        }
        return out
    }

    // MARK: - changing

    /// Where relationship `r` (of `type`) belongs in a list kept by type, in pairs.
    func insertionPoint(of r: Int32, type: Int32, in list: AdjacencyPairs) -> Int {
        let n = list.count
        if n == 0 || typeOfPair(n - 1, in: list) < type { return n }
        let lo = firstIndex(ofTypeAtLeast: type, in: list, from: 0, to: n)
        let hi = firstIndex(ofTypeAtLeast: type + 1, in: list, from: lo, to: n)
        var a = lo, b = hi
        while a < b {
            let mid = (a + b) >> 1
            if list.relationship(mid) < r { a = mid + 1 } else { b = mid }
        }
        return a
    }

    /// Adds relationship `r` to its ends' lists.
    ///
    /// (Each view of a list, `outPairs`/`inPairs`, is read in a statement of its own, before
    /// the list changes: a view keeps its list, and a list with a view alive is copied by the
    /// change, as an array with another reference is.)
    mutating func linkAdjacency(_ r: Int32, from: Int32, to: Int32, type: Int32) {
        countType(type, by: 1)
        if pendingAdjacency != nil {
            // (lists made at `endBulkLoad()`; the pair recorded for the claims that follow)
            pendingAdjacency!.add(r, from: from, to: to)
            return
        }
        if bulkLoading {
            // appended as read; `endBulkLoad()` sorts the lists this disorders
            let outDisordered = disorders(outPairs(from), r, type)
            let inDisordered = disorders(inPairs(to), r, type)
            if outDisordered { markUngrouped(from, outgoing: true) }
            if inDisordered { markUngrouped(to, outgoing: false) }
            outAdjacency.append(Int(from), r, to)
            inAdjacency.append(Int(to), r, from)
            return
        }
        let o = insertionPoint(of: r, type: type, in: outPairs(from))
        outAdjacency.insert(Int(from), r, to, at: o)
        let i = insertionPoint(of: r, type: type, in: inPairs(to))
        inAdjacency.insert(Int(to), r, from, at: i)
    }

    /// Whether appending `r` of `type` to `list` puts it out of type order.
    private func disorders(_ list: AdjacencyPairs, _ r: Int32, _ type: Int32) -> Bool {
        list.count > 0 && outOfOrder(r, type, after: list.relationship(list.count - 1))
    }

    /// Takes relationship `r` out of its ends' lists.
    mutating func unlinkAdjacency(_ r: Int32) {
        let rel = relationships[Int(r)]
        countType(rel.type, by: -1)
        let o = position(of: r, type: rel.type, in: outPairs(rel.source))
        if let o { outAdjacency.remove(Int(rel.source), at: o) }
        let i = position(of: r, type: rel.type, in: inPairs(rel.target))
        if let i { inAdjacency.remove(Int(rel.target), at: i) }
    }

    /// How many relationships of each type are in the lists (`relationshipCount(ofType:)`).
    @inline(__always) mutating func countType(_ type: Int32, by delta: Int) {
        let t = Int(type)
        if t >= typeCounts.count { typeCounts += repeatElement(0, count: t + 1 - typeCounts.count) }
        typeCounts[t] += delta
    }

    /// The live relationships of one type (facts, not the claims folded into them), kept as
    /// the lists change: the query planner's statistics read it.
    public func relationshipCount(ofType type: String) -> Int {
        guard let t = relationTypeIDs[type], Int(t) < typeCounts.count else { return 0 }
        return typeCounts[Int(t)]
    }

    /// Where `r` is in a list kept by type, in pairs (nil when it is not there).
    func position(of r: Int32, type: Int32, in list: AdjacencyPairs) -> Int? {
        func scan() -> Int? { (0..<list.count).first { list.relationship($0) == r } }
        if bulkLoading { return scan() }
        let p = insertionPoint(of: r, type: type, in: list)
        return p < list.count && list.relationship(p) == r ? p : scan()
    }

    // MARK: - bulk loads

    /// Starts a bulk load: `loadRelationship` appends to the lists, and `endBulkLoad()` puts
    /// them back in order. Between the two, only loading calls may be made.
    /// In a graph without relationships no list is kept until the end, which makes them all
    /// at once (PendingAdjacency.swift); `relationships` is how many the load may bring (room
    /// is made for them once).
    public mutating func beginBulkLoad(relationships expected: Int = 0) {
        bulkLoading = true
        if relationships.isEmpty && pendingAdjacency == nil { pendingAdjacency = PendingAdjacency(expected: expected) }
    }

    /// Ends a bulk load: sorts, by type and then index, each list the load appended out of order.
    public mutating func endBulkLoad() {
        guard bulkLoading else { return }
        bulkLoading = false
        if pendingAdjacency != nil {
            pendingAdjacency = nil
            (outAdjacency, inAdjacency) = PendingAdjacency.flatLists(relationships, types: relationTypes.count, nodes: nodes.count)
            return
        }
        for (marks, outgoing) in [(ungroupedOut, true), (ungroupedIn, false)] {
            for (w, word) in marks.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    let node = w << 6 | bits.trailingZeroBitCount
                    bits &= bits - 1
                    if outgoing { outAdjacency.replace(node, with: grouped(outAdjacency.pairs(node))) } else { inAdjacency.replace(node, with: grouped(inAdjacency.pairs(node))) }
                }
            }
        }
        ungroupedOut = []
        ungroupedIn = []
    }

    /// Whether `r` of `type` may not follow `last` in a list kept by type.
    private func outOfOrder(_ r: Int32, _ type: Int32, after last: Int32) -> Bool {
        let t = relationships[Int(last)].type
        return t > type || (t == type && last > r)
    }

    private mutating func markUngrouped(_ node: Int32, outgoing: Bool) {
        let w = Int(node) >> 6, bit = UInt64(1) << UInt64(Int(node) & 63)
        if outgoing {
            if w >= ungroupedOut.count { ungroupedOut.append(contentsOf: repeatElement(0, count: w + 1 - ungroupedOut.count)) }
            ungroupedOut[w] |= bit
        } else {
            if w >= ungroupedIn.count { ungroupedIn.append(contentsOf: repeatElement(0, count: w + 1 - ungroupedIn.count)) }
            ungroupedIn[w] |= bit
        }
    }

    /// A list sorted by type, then index (each relationship keeps its other end).
    private func grouped(_ list: AdjacencyPairs) -> [Int32] {
        var keyed = (0..<list.count).map { i in
            (key: UInt64(UInt32(relationships[Int(list.relationship(i))].type)) << 32 | UInt64(UInt32(bitPattern: list.relationship(i))),
             other: list.other(i))
        }
        keyed.sort { $0.key < $1.key }
        var out: [Int32] = []
        out.reserveCapacity(list.count)
        for e in keyed { out.append(Int32(bitPattern: UInt32(truncatingIfNeeded: e.key))); out.append(e.other) }
        return out
    }
}
