/// The adjacency lists of one direction, one list per node: pairs of a relationship and the
/// node at its other end (`rel, other, rel, other, …`; Graph+Adjacency.swift keeps their order).
///
/// Two layers. The lists of a graph read from a snapshot are one flat array of pairs with an
/// offset per node (compressed sparse rows), read where they lie in the mapped file: no list
/// is built at open and none takes memory until it is read. A list that changes after that,
/// and every list of a graph built by loading, is a `PairList` of its own, which replaces the
/// node's flat list for good. Copies of the lists share both layers; the first change to a
/// shared `PairList` copies it (copy-on-write, as for arrays).
// @unchecked Sendable: the flat layer is never written (by anyone), and a `PairList` is written
// only through the lists that hold its only reference (`ownList`); copies on other threads
// therefore never see a list change under them.
struct AdjacencyLists: @unchecked Sendable {
    /// The flat layer: node `n < baseCount` has the pairs `pairs[offsets[n]..<offsets[n + 1]]`
    /// (offsets count `Int32`s), kept valid by `baseKeeper`.
    private var offsets: UnsafePointer<UInt32>?
    private var pairs: UnsafePointer<Int32>?
    private var baseCount = 0
    private var baseKeeper: ReadOnlyBytes?
    /// The lists of their own, by node (nil: the flat list, or none); may be shorter than the
    /// nodes: a node past its end has no list of its own.
    private var own = ChunkedArray<PairList?>()

    init() {}

    /// Lists read in place: `offsets` has `nodes + 1` entries, counting `Int32`s of `pairs`.
    /// The caller has checked them (`checkedOffsets`).
    init(offsets: UnsafePointer<UInt32>, pairs: UnsafePointer<Int32>?, nodes: Int, keeper: ReadOnlyBytes) {
        self.offsets = offsets
        self.pairs = pairs
        baseCount = nodes
        baseKeeper = keeper
    }

    /// Whether `nodes + 1` offsets start at 0, never go down, count whole pairs and end at `total`.
    static func checkedOffsets(_ offsets: UnsafeBufferPointer<UInt32>, total: Int) -> Bool {
        guard let first = offsets.first, first == 0, Int(offsets[offsets.count - 1]) == total else { return false }
        var last: UInt32 = 0
        for o in offsets {
            if o < last || o & 1 != 0 { return false }
            last = o
        }
        return true
    }

    /// Node `n`'s list.
    @inline(__always) func pairs(_ n: Int) -> AdjacencyPairs {
        if n < own.count, let l = own[n] { return AdjacencyPairs(l) }
        if n < baseCount, let offsets {
            let from = Int(offsets[n]), to = Int(offsets[n + 1])
            if from < to, let pairs { return AdjacencyPairs(start: pairs + from, count: (to - from) >> 1, keeper: baseKeeper) }
        }
        return AdjacencyPairs()
    }

    /// Whether node `n`'s list is read in place (tests).
    func isFlat(_ n: Int) -> Bool { n < baseCount && !(n < own.count && own[n] != nil) }

    mutating func reserveCapacity(_ n: Int) { own.reserveCapacity(n) }

    /// Node `n`'s list as one of its own, not shared: made from the flat list (or empty) the
    /// first time, copied when another copy of the lists shares it.
    private mutating func ownList(_ n: Int, extra: Int) -> PairList {
        while own.count <= n { own.append(nil) }
        if own[n] != nil, isKnownUniquelyReferenced(&own[n]!) { return own[n]! }
        let l = PairList.make(copying: pairs(n), extra: extra)
        own[n] = l
        return l
    }

    /// Appends a pair to node `n`'s list.
    mutating func append(_ n: Int, _ r: Int32, _ other: Int32) {
        let end = pairs(n).count
        insert(n, r, other, at: end)
    }

    /// Puts the pair (r, other) at pair index `at` of node `n`'s list.
    mutating func insert(_ n: Int, _ r: Int32, _ other: Int32, at: Int) {
        var l = ownList(n, extra: 2)
        if l.used + 2 > l.room {
            l = l.grown(by: 2)
            own[n] = l
        }
        l.insert(r, other, at: at)
    }

    /// Takes the pair at pair index `at` out of node `n`'s list.
    mutating func remove(_ n: Int, at: Int) { ownList(n, extra: 0).remove(at: at) }

    /// Makes node `n`'s list hold `raw` (pairs).
    mutating func replace(_ n: Int, with raw: [Int32]) {
        while own.count <= n { own.append(nil) }
        own[n] = raw.withUnsafeBufferPointer { PairList.make(copying: AdjacencyPairs(start: $0.baseAddress, count: raw.count >> 1, keeper: nil), extra: 0) }
    }
}

/// One node's list of its own: pairs stored after a header (one allocation), with room to grow.
final class PairList: ManagedBuffer<PairList.Header, Int32> {
    struct Header {
        /// `Int32`s in use (two a pair), and room for.
        var count: Int
        var capacity: Int
    }

    /// A list holding `source`'s pairs, with room for `extra` more `Int32`s (and some slack).
    static func make(copying source: AdjacencyPairs, extra: Int) -> PairList {
        let n = source.count << 1
        let room = Swift.max(n + extra, 4)
        let l = unsafeDowncast(PairList.create(minimumCapacity: room) { _ in Header(count: n, capacity: room) }, to: PairList.self)
        if n > 0, let from = source.start {
            withExtendedLifetime(source) { l.withUnsafeMutablePointerToElements { $0.initialize(from: from, count: n) } }
        }
        return l
    }

    /// A copy with room for `extra` more, at least twice this one's room.
    func grown(by extra: Int) -> PairList { PairList.make(copying: AdjacencyPairs(self), extra: Swift.max(extra, room)) }

    var start: UnsafeMutablePointer<Int32> { withUnsafeMutablePointerToElements { $0 } }
    /// `Int32`s in use and room for, read and written through the header's address (not the
    /// class property `header`, whose every access would be checked for exclusivity at run time).
    @inline(__always) var used: Int {
        get { withUnsafeMutablePointerToHeader { $0.pointee.count } }
        set { withUnsafeMutablePointerToHeader { $0.pointee.count = newValue } }
    }
    @inline(__always) var room: Int { withUnsafeMutablePointerToHeader { $0.pointee.capacity } }

    /// Puts (r, other) at pair index `at` (room must be there).
    func insert(_ r: Int32, _ other: Int32, at: Int) {
        let p = start, i = at << 1, n = used
        precondition(n + 2 <= room && i <= n)
        if i < n { (p + i + 2).moveInitialize(from: p + i, count: n - i) }
        p[i] = r
        p[i + 1] = other
        used = n + 2
    }

    /// Takes out the pair at pair index `at`.
    func remove(at: Int) {
        let p = start, i = at << 1, n = used
        precondition(i + 2 <= n)
        if i + 2 < n { (p + i).moveInitialize(from: p + i + 2, count: n - i - 2) }
        used = n - 2
    }
}

/// A node's adjacency list as kept: pairs of a relationship and the node at its other end
/// (a view of the list, no copy; it keeps what holds the pairs alive).
public struct AdjacencyPairs: @unchecked Sendable {
    // @unchecked Sendable: the pairs are never written while a view of them exists (a
    // `PairList` is written only by the lists holding its only reference; flat lists never).
    let start: UnsafePointer<Int32>?
    /// How many relationships the list holds.
    public let count: Int
    private let keeper: AnyObject?

    init() { start = nil; count = 0; keeper = nil }
    init(start: UnsafePointer<Int32>?, count: Int, keeper: AnyObject?) {
        self.start = start; self.count = count; self.keeper = keeper
    }
    init(_ list: PairList) { self.init(start: UnsafePointer(list.start), count: list.used >> 1, keeper: list) }

    /// The relationship of pair `i`.
    @inline(__always) public func relationship(_ i: Int) -> Int32 {
        precondition(i >= 0 && i < count, "pair index out of range")
        return start.unsafelyUnwrapped[i &<< 1]
    }
    /// The node at the other end of pair `i`'s relationship.
    @inline(__always) public func other(_ i: Int) -> Int32 {
        precondition(i >= 0 && i < count, "pair index out of range")
        return start.unsafelyUnwrapped[i &<< 1 | 1]
    }
    /// The relationships, in the list's order.
    public var relationships: [Int32] { (0..<count).map { relationship($0) } }
}
