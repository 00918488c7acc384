/// Adjacency grouped by relation type. A node's outgoing (and incoming) list holds its live
/// relationships sorted by type id, and within a type in statement order (ascending
/// relationship index). No table is kept: a type's run is found by binary search on the
/// types of the list's entries (two reads when the node has one type of relationship), so
/// the degree by type is O(log d) and a typed expansion reads only its own run, for no
/// memory beyond the lists themselves.
///
/// Relationship indexes follow statement order, so the whole list in statement order is the
/// runs merged by index (`outList`, `inList`); `outListByType`/`inListByType` give the lists
/// as kept, for readers that take runs (`outRange(_:type:)`, `inRange(_:type:)`).
///
/// A new relationship is the newest, so it goes at the end of its type's run: at the end of
/// the list when its type is the list's highest (most inserts), else shifted in. A bulk load
/// (`beginBulkLoad()` … `endBulkLoad()`) appends instead and sorts each list it disordered
/// once at the end, so that loading a hub costs no shift per relationship.
extension Graph {
    // MARK: - reading

    /// The node's outgoing relationships in statement order.
    public func outList(_ node: Int32) -> [Int32] { inStatementOrder(outAdjacency[Int(node)]) }
    /// The node's incoming relationships in statement order.
    public func inList(_ node: Int32) -> [Int32] { inStatementOrder(inAdjacency[Int(node)]) }
    /// The node's outgoing relationships as kept: by type id, each type in statement order.
    public func outListByType(_ node: Int32) -> [Int32] { outAdjacency[Int(node)] }
    /// The node's incoming relationships as kept: by type id, each type in statement order.
    public func inListByType(_ node: Int32) -> [Int32] { inAdjacency[Int(node)] }
    /// Where the outgoing relationships of `type` sit in `outListByType(node)`.
    public func outRange(_ node: Int32, type: Int32) -> Range<Int> { run(of: type, in: outAdjacency[Int(node)]) }
    /// Where the incoming relationships of `type` sit in `inListByType(node)`.
    public func inRange(_ node: Int32, type: Int32) -> Range<Int> { run(of: type, in: inAdjacency[Int(node)]) }
    /// How many relationships of `type` leave `node` (no list is read beyond a binary search).
    public func outDegree(_ node: Int32, type: Int32) -> Int { outRange(node, type: type).count }
    /// How many relationships of `type` reach `node`.
    public func inDegree(_ node: Int32, type: Int32) -> Int { inRange(node, type: type).count }

    /// Live relationships leaving `node`, of one type or (nil) all, in statement order.
    public func outgoing(_ node: Int32, type: Int32? = nil) -> [Int32] {
        guard let type else { return outList(node) }
        let list = outAdjacency[Int(node)]
        return Array(list[run(of: type, in: list)])
    }
    /// Live relationships reaching `node`, of one type or (nil) all, in statement order.
    public func incoming(_ node: Int32, type: Int32? = nil) -> [Int32] {
        guard let type else { return inList(node) }
        let list = inAdjacency[Int(node)]
        return Array(list[run(of: type, in: list)])
    }

    /// The run of `type` in a list kept by type.
    @inline(__always) func run(of type: Int32, in list: [Int32]) -> Range<Int> {
        let n = list.count
        guard n > 0 else { return 0..<0 }
        let first = relationships[Int(list[0])].type, last = relationships[Int(list[n - 1])].type
        if type < first || type > last { return 0..<0 }
        if first == last { return 0..<n }
        let lo = type == first ? 0 : firstIndex(ofTypeAtLeast: type, in: list, from: 1, to: n - 1)
        let hi = type == last ? n : firstIndex(ofTypeAtLeast: type + 1, in: list, from: lo, to: n - 1)
        return lo..<hi
    }

    /// The first index in `from..<to` whose type is at least `type` (`to` when none is; the
    /// entry at `to`, when `to < count`, must be of a type at least `type`).
    @inline(__always) func firstIndex(ofTypeAtLeast type: Int32, in list: [Int32], from: Int, to: Int) -> Int {
        var lo = from, hi = to
        while lo < hi {
            let mid = (lo + hi) >> 1
            if relationships[Int(list[mid])].type < type { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The runs of one type each in a list kept by type, in type order.
    func runs(_ list: [Int32]) -> [Range<Int>] {
        let n = list.count
        guard n > 0 else { return [] }
        let last = relationships[Int(list[n - 1])].type
        var out: [Range<Int>] = []
        var at = 0
        while at < n {
            let t = relationships[Int(list[at])].type
            let end = t == last ? n : firstIndex(ofTypeAtLeast: t + 1, in: list, from: at + 1, to: n - 1)
            out.append(at..<end)
            at = end
        }
        return out
    }

    /// A list kept by type, in statement order: the list itself when it holds one type, else
    /// its runs merged by index.
    func inStatementOrder(_ list: [Int32]) -> [Int32] {
        let n = list.count
        guard n > 1, relationships[Int(list[0])].type != relationships[Int(list[n - 1])].type else { return list }
        return Graph.merge(list, runs(list))
    }

    /// Runs of `list` (each ascending) merged into one ascending list. A node has few types
    /// of relationship, so each step picks the least head by a linear look.
    static func merge(_ list: [Int32], _ ranges: [Range<Int>]) -> [Int32] {
        var heads = ranges.map(\.lowerBound), ends = ranges.map(\.upperBound)
        var out: [Int32] = []
        out.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
        while !heads.isEmpty {
            var best = 0
            for k in 1..<heads.count where list[heads[k]] < list[heads[best]] { best = k }
            out.append(list[heads[best]])
            heads[best] += 1
            if heads[best] == ends[best] { heads.remove(at: best); ends.remove(at: best) }
        }
        return out
    }

    // MARK: - changing

    /// Where relationship `r` (of `type`) belongs in a list kept by type.
    func insertionPoint(of r: Int32, type: Int32, in list: [Int32]) -> Int {
        let n = list.count
        if n == 0 || relationships[Int(list[n - 1])].type < type { return n }
        let lo = firstIndex(ofTypeAtLeast: type, in: list, from: 0, to: n)
        let hi = firstIndex(ofTypeAtLeast: type + 1, in: list, from: lo, to: n)
        var a = lo, b = hi
        while a < b {
            let mid = (a + b) >> 1
            if list[mid] < r { a = mid + 1 } else { b = mid }
        }
        return a
    }

    /// Adds relationship `r` to its ends' lists.
    mutating func linkAdjacency(_ r: Int32, from: Int32, to: Int32, type: Int32) {
        countType(type, by: 1)
        if bulkLoading {
            // appended as read; `endBulkLoad()` sorts the lists this disorders
            if let last = outAdjacency[Int(from)].last, outOfOrder(r, type, after: last) { markUngrouped(from, outgoing: true) }
            if let last = inAdjacency[Int(to)].last, outOfOrder(r, type, after: last) { markUngrouped(to, outgoing: false) }
            outAdjacency[Int(from)].append(r)
            inAdjacency[Int(to)].append(r)
            return
        }
        let o = insertionPoint(of: r, type: type, in: outAdjacency[Int(from)])
        if o == outAdjacency[Int(from)].count { outAdjacency[Int(from)].append(r) } else { outAdjacency[Int(from)].insert(r, at: o) }
        let i = insertionPoint(of: r, type: type, in: inAdjacency[Int(to)])
        if i == inAdjacency[Int(to)].count { inAdjacency[Int(to)].append(r) } else { inAdjacency[Int(to)].insert(r, at: i) }
    }

    /// Takes relationship `r` out of its ends' lists.
    mutating func unlinkAdjacency(_ r: Int32) {
        let rel = relationships[Int(r)]
        countType(rel.type, by: -1)
        if let o = position(of: r, type: rel.type, in: outAdjacency[Int(rel.source)]) { outAdjacency[Int(rel.source)].remove(at: o) }
        if let i = position(of: r, type: rel.type, in: inAdjacency[Int(rel.target)]) { inAdjacency[Int(rel.target)].remove(at: i) }
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

    /// Where `r` is in a list kept by type (nil when it is not there).
    func position(of r: Int32, type: Int32, in list: [Int32]) -> Int? {
        if bulkLoading { return list.firstIndex(of: r) }
        let p = insertionPoint(of: r, type: type, in: list)
        return p < list.count && list[p] == r ? p : list.firstIndex(of: r)
    }

    // MARK: - bulk loads

    /// Starts a bulk load: `loadRelationship` appends to the lists, and `endBulkLoad()` puts
    /// them back in order. Between the two, only loading calls may be made.
    public mutating func beginBulkLoad() { bulkLoading = true }

    /// Ends a bulk load: sorts, by type and then index, each list the load appended out of order.
    public mutating func endBulkLoad() {
        guard bulkLoading else { return }
        bulkLoading = false
        for (marks, outgoing) in [(ungroupedOut, true), (ungroupedIn, false)] {
            for (w, word) in marks.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    let node = w << 6 | bits.trailingZeroBitCount
                    bits &= bits - 1
                    if outgoing { outAdjacency[node] = grouped(outAdjacency[node]) } else { inAdjacency[node] = grouped(inAdjacency[node]) }
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

    /// A list sorted by type, then index.
    private func grouped(_ list: [Int32]) -> [Int32] {
        var keys = list.map { UInt64(UInt32(relationships[Int($0)].type)) << 32 | UInt64(UInt32(bitPattern: $0)) }
        keys.sort()
        return keys.map { Int32(bitPattern: UInt32(truncatingIfNeeded: $0)) }
    }
}
