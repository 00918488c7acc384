// MosaicIngest turns documents into what the KB can use: it reads articles (text, Markdown
// with front matter, HTML), finds the names of known entities in them (the gazetteer),
// proposes new entities and aliases, and normalises dates to partial dates. It writes to the
// store only through MosaicStore's public API.
//
// This file: `NameMatcher`, the dictionary matcher under the gazetteer (Gazetteer.swift) and
// the benchmark (MosaicBench/LinkWorkloads.swift). Standard library only.

/// A byte-level dictionary matcher: finds, left to right, the leftmost-longest occurrences of
/// its keys that start and end at word boundaries, without overlaps.
///
/// Keys are byte strings compared after folding (`fold` maps each byte of a key and of the
/// text; the identity for text folded beforehand). A byte is a word byte when `wordBytes`
/// says so, and folding must keep a byte's kind (word or not). A match starts at the start
/// of a maximal run of word bytes and ends just before a non-word byte or at the end of the
/// text. Each key has a payload (the caller's index); `insert` returns the payload already
/// stored for the same key (the caller decides which one wins).
///
/// Representation: a trie over **segments**, not bytes. A key is cut into its first run of
/// word bytes, then (gap, run) pairs (a gap is the non-word bytes between two runs: " ",
/// " (", "-"), then possibly a trailing gap (the ")" of "Tenox Governorate (Gorland)"). A
/// trie node is a key prefix that ends with a run; an edge adds one (gap, run) pair. Because
/// a key's runs must coincide with maximal runs of the text (it starts at a run start and
/// ends at a boundary), matching walks the text one run at a time: one hash probe per word,
/// not one per byte. Trailing gaps are kept per node and matched against a prefix of the
/// text's gap after that node's run.
///
/// The scan first marks the text's word bytes in a bit set (eight bytes at a time, with
/// word-wide arithmetic, for the two folds Mosaic uses; a table lookup per byte otherwise),
/// then takes each run start from it, hashes the run (eight bytes per step), rejects most
/// runs with a small bit filter of the keys' first runs that stays in the L1 cache, and
/// walks the trie from the rest. Every hash hit is checked against the stored bytes, so
/// the matches are exact.
public struct NameMatcher: Sendable {
    public let fold: [UInt8]
    public let wordBytes: [Bool]

    /// How the scan classifies and folds bytes.
    enum Mode: Sendable {
        /// Word bytes `[A-Za-z0-9]`, ASCII lower-casing (the benchmark's semantics).
        case asciiAlnum
        /// Word bytes `[a-z0-9]` and every byte ≥ 0x80, no folding (text folded by `FoldedText`).
        case foldedUTF8
        /// Any other tables: a lookup per byte.
        case table
    }
    let mode: Mode
    /// OR-ed into each word byte to fold it (`asciiAlnum`: 0x20 in every byte), else 0.
    let orBytes: UInt64

    /// A trie node, stored with the edge that leads to it: `parent` + (gap, run) → this node.
    /// A key's first run is an edge from the root (node 0) with an empty gap.
    struct Node: Sendable {
        /// The first 8 folded bytes of the gap and of the run (little-endian, zero-padded).
        var gap0: UInt64 = 0
        var run0: UInt64 = 0
        var parent: UInt32 = 0
        var gapLen: UInt32 = 0
        var runLen: UInt32 = 0
        /// Offset in `chunks` of the gap's 8-byte chunks after the first, then the run's.
        var more: UInt32 = 0
        /// The payload of the key that ends with this node's run, or -1.
        var payload: Int32 = -1
        /// The node's first tail (the shortest), or -1.
        var tailHead: Int32 = -1
        var hasChildren = false
    }
    /// A trailing gap of a key: the key ends `len` non-word bytes after its node's run.
    struct Tail: Sendable {
        var w0: UInt64
        var len: UInt32
        /// Offset in `chunks` of the chunks after the first.
        var more: UInt32
        var payload: Int32
        /// The next tail of the same node (longer), or -1.
        var next: Int32
    }

    /// What the scan reads of an edge and its child, in one 32-byte record (one cache line
    /// touched per step of a walk): the edge's key (`parent`, the first 8 bytes of its gap
    /// and run, their lengths) and the child's payload and flags. Segments longer than 8
    /// bytes are checked against `nodes` too (`long`).
    struct Slot: Sendable {
        var run0: UInt64 = 0
        var gap0: UInt64 = 0
        var parent: UInt32 = 0
        /// 0: an empty slot.
        var child: UInt32 = 0
        /// The run's length (bits 0–15) and the gap's (16–23), each capped at its field's
        /// maximum, and the flags below.
        var info: UInt32 = 0
        var payload: Int32 = -1
        static let hasChildren: UInt32 = 1 << 24, hasTails: UInt32 = 1 << 25, long: UInt32 = 1 << 26
        static let lengths: UInt32 = (1 << 24) - 1
        @inline(__always) static func lengths(_ run: Int, _ gap: Int) -> UInt32 {
            UInt32(truncatingIfNeeded: min(run, 0xFFFF)) | UInt32(truncatingIfNeeded: min(gap, 0xFF)) << 16
        }
    }

    /// The nodes; node 0 is the root.
    private var nodes: [Node] = [Node()]
    /// Where each node's slot is (in `roots` for a child of the root, else in `edges`).
    private var nodeSlot: [UInt32] = [0]
    /// Open-addressing tables of the edges (slot = the hash's top bits, linear probing).
    /// First runs (edges from the root) have their own small table, so the probe made for
    /// every run of the text that passes the filter stays in cache.
    private var roots: [Slot]
    private var rootShift: UInt64
    private var rootCount = 0
    private var edges: [Slot]
    private var edgeShift: UInt64
    private var edgeCount = 0
    private var chunks: [UInt64] = []
    private var tails: [Tail] = []
    /// Bit filter over the first runs' hashes (bit `hash >> filterShift`).
    private var filter: [UInt64]
    private var filterShift: UInt64
    /// The shortest and longest first run (other runs of the text are skipped unhashed).
    private var minRoot = Int.max, maxRoot = 0
    /// The longest gap inside any key (a longer gap in the text ends the walk).
    private var maxGap = 0

    /// `fold`: 256 bytes (byte → folded byte); `wordBytes`: 256 flags. `expectedBytes` (the
    /// keys' total length) sizes the tables.
    public init(fold: [UInt8], wordBytes: [Bool], expectedBytes: Int = 1024) {
        precondition(fold.count == 256 && wordBytes.count == 256)
        for b in 0..<256 {
            precondition(wordBytes[b] == wordBytes[Int(fold[b])], "folding must keep a byte a word byte or a non-word byte (byte \(b))")
        }
        self.fold = fold
        self.wordBytes = wordBytes
        if fold == NameMatcher.asciiFold && wordBytes == NameMatcher.asciiWordBytes {
            mode = .asciiAlnum; orBytes = 0x2020_2020_2020_2020
        } else if fold == NameMatcher.identityFold && wordBytes == NameMatcher.foldedWordBytes {
            mode = .foldedUTF8; orBytes = 0
        } else {
            mode = .table; orBytes = 0
        }
        // About one edge per 12 key bytes; the table at most 5/8 full (it grows): a smaller
        // table than half full, for the cache, with short probes still.
        var cap = 1024
        while cap < expectedBytes / 8 { cap <<= 1 }
        edges = Array(repeating: Slot(), count: cap)
        edgeShift = UInt64(64 - cap.trailingZeroBitCount)
        nodes.reserveCapacity(expectedBytes / 10)
        roots = Array(repeating: Slot(), count: 1024)
        rootShift = UInt64(64 - 10)
        filter = Array(repeating: 0, count: 64)
        filterShift = UInt64(64 - 12)
    }

    /// ASCII lower-casing, word bytes `[A-Za-z0-9]` (the benchmark's semantics).
    public static let asciiFold: [UInt8] = (0..<256).map { b in (65...90).contains(b) ? UInt8(b + 32) : UInt8(b) }
    public static let asciiWordBytes: [Bool] = (0..<256).map { b in (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) }
    /// Identity, word bytes `[a-z0-9]` and every byte of a multi-byte UTF-8 sequence (text
    /// folded by `TextFolder`: non-ASCII bytes there are letters or digits).
    public static let identityFold: [UInt8] = (0..<256).map { UInt8($0) }
    public static let foldedWordBytes: [Bool] = (0..<256).map { b in (48...57).contains(b) || (97...122).contains(b) || b >= 0x80 }

    /// Trie nodes (the root and one per distinct key prefix that ends with a run).
    public var nodeCount: Int { nodes.count }

    // MARK: Hashing (the same on the key side and the text side)

    @inline(__always) static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }
    @inline(__always) static func seed(_ len: Int) -> UInt64 { UInt64(truncatingIfNeeded: len) &* 0xC2B2_AE3D_27D4_EB4F }
    /// The hash of `len` bytes given as 8-byte chunks: `first` and then `rest(i)` for i ≥ 1.
    @inline(__always) static func bytesHash(_ len: Int, _ first: UInt64, _ rest: (Int) -> UInt64) -> UInt64 {
        var h = mix(seed(len), first)
        if len > 8 { for i in 1..<((len + 7) >> 3) { h = mix(h, rest(i)) } }
        return h
    }
    @inline(__always) static func edgeHash(_ parent: UInt32, _ gapHash: UInt64, _ runHash: UInt64) -> UInt64 {
        mix(mix(UInt64(parent) &* 0xFF51_AFD7_ED55_8CCD, gapHash), runHash)
    }
    @inline(__always) static func lowMask(_ len: Int) -> UInt64 {
        len >= 8 ? ~0 : (1 << UInt64(len &* 8)) &- 1
    }
    /// Bytes `[from, from+8)` of `bytes` (fewer at its end), little-endian, zero-padded.
    static func pack(_ bytes: ArraySlice<UInt8>, _ from: Int) -> UInt64 {
        var w: UInt64 = 0
        var i = bytes.startIndex + from, k: UInt64 = 0
        while i < bytes.endIndex && k < 64 { w |= UInt64(bytes[i]) << k; i += 1; k += 8 }
        return w
    }

    // MARK: Building

    /// The node after (gap, run) from `parent` (created when `create`); `parent` 0 with an
    /// empty gap is a first run.
    private mutating func child(_ parent: UInt32, gap: ArraySlice<UInt8>, run: ArraySlice<UInt8>, create: Bool) -> UInt32? {
        let isRoot = parent == 0
        let g0 = NameMatcher.pack(gap, 0), r0 = NameMatcher.pack(run, 0)
        let rh = NameMatcher.bytesHash(run.count, r0) { NameMatcher.pack(run, $0 * 8) }
        let h = isRoot ? rh : NameMatcher.edgeHash(parent, NameMatcher.bytesHash(gap.count, g0) { NameMatcher.pack(gap, $0 * 8) }, rh)
        let mask = (isRoot ? roots.count : edges.count) - 1
        var i = Int(truncatingIfNeeded: h >> (isRoot ? rootShift : edgeShift))
        while true {
            let x = isRoot ? roots[i] : edges[i]
            if x.child == 0 { break }
            if x.parent == parent && x.run0 == r0 && x.gap0 == g0 {
                let c = Int(x.child), y = nodes[c]
                if Int(y.gapLen) == gap.count && Int(y.runLen) == run.count && chunksEqual(Int(y.more), gap, from: 8)
                    && chunksEqual(Int(y.more) + NameMatcher.extraChunks(gap.count), run, from: 8) { return UInt32(c) }
            }
            i = (i + 1) & mask
        }
        guard create else { return nil }
        precondition(nodes.count < Int(UInt32.max), "a name matcher holds at most 2^32 trie nodes")
        let c = UInt32(nodes.count)
        nodes.append(Node(gap0: g0, run0: r0, parent: parent, gapLen: UInt32(gap.count), runLen: UInt32(run.count),
                          more: UInt32(chunks.count)))
        nodeSlot.append(UInt32(i))
        appendChunks(gap, from: 8)
        appendChunks(run, from: 8)
        var slot = Slot(run0: r0, gap0: g0, parent: parent, child: c, info: Slot.lengths(run.count, gap.count), payload: -1)
        if run.count > 8 || gap.count > 8 { slot.info |= Slot.long }
        nodes[Int(parent)].hasChildren = true
        if isRoot {
            roots[i] = slot
            rootCount += 1
            minRoot = min(minRoot, run.count); maxRoot = max(maxRoot, run.count)
            // The filter: about 32 bits per first run, so few runs of the text pass it wrongly.
            if rootCount * 32 > filter.count * 64 || rootCount * 2 > roots.count { rebuildRoots() } else { setFilter(h) }
        } else {
            edges[i] = slot
            edgeCount += 1
            maxGap = max(maxGap, gap.count)
            syncSlot(Int(parent))
            if edgeCount * 8 > edges.count * 5 { growEdges() }
        }
        return c
    }

    /// Copies node `c`'s payload and flags into its slot.
    private mutating func syncSlot(_ c: Int) {
        guard c > 0 else { return }
        let y = nodes[c]
        let i = Int(nodeSlot[c])
        var x = y.parent == 0 ? roots[i] : edges[i]
        x.payload = y.payload
        x.info = x.info & ~(Slot.hasChildren | Slot.hasTails) | (y.hasChildren ? Slot.hasChildren : 0) | (y.tailHead >= 0 ? Slot.hasTails : 0)
        if y.parent == 0 { roots[i] = x } else { edges[i] = x }
    }

    private mutating func setFilter(_ h: UInt64) {
        let bit = Int(truncatingIfNeeded: h >> filterShift)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    /// The hash of node `c`'s edge (recomputed when a table grows).
    private func hash(ofNode c: Int) -> UInt64 {
        let x = nodes[c]
        var run: [UInt64] = [x.run0], gap: [UInt64] = [x.gap0]
        let gx = NameMatcher.extraChunks(Int(x.gapLen)), rx = NameMatcher.extraChunks(Int(x.runLen))
        for k in 0..<gx { gap.append(chunks[Int(x.more) + k]) }
        for k in 0..<rx { run.append(chunks[Int(x.more) + gx + k]) }
        let rh = NameMatcher.bytesHash(Int(x.runLen), x.run0) { run[$0] }
        if x.parent == 0 { return rh }
        return NameMatcher.edgeHash(x.parent, NameMatcher.bytesHash(Int(x.gapLen), x.gap0) { gap[$0] }, rh)
    }

    private mutating func rebuildRoots() {
        var cap = roots.count
        while rootCount * 2 > cap { cap <<= 1 }
        var bits = filter.count * 64
        while rootCount * 32 > bits { bits <<= 1 }
        let old = roots
        roots = Array(repeating: Slot(), count: cap)
        rootShift = UInt64(64 - cap.trailingZeroBitCount)
        filter = Array(repeating: 0, count: bits / 64)
        filterShift = UInt64(64 - bits.trailingZeroBitCount)
        let mask = cap - 1
        for x in old where x.child != 0 {
            let h = hash(ofNode: Int(x.child))
            var i = Int(truncatingIfNeeded: h >> rootShift)
            while roots[i].child != 0 { i = (i + 1) & mask }
            roots[i] = x
            nodeSlot[Int(x.child)] = UInt32(i)
            setFilter(h)
        }
    }

    private mutating func growEdges() {
        let old = edges
        let cap = edges.count * 2
        edges = Array(repeating: Slot(), count: cap)
        edgeShift = UInt64(64 - cap.trailingZeroBitCount)
        let mask = cap - 1
        for x in old where x.child != 0 {
            var i = Int(truncatingIfNeeded: hash(ofNode: Int(x.child)) >> edgeShift)
            while edges[i].child != 0 { i = (i + 1) & mask }
            edges[i] = x
            nodeSlot[Int(x.child)] = UInt32(i)
        }
    }

    /// 8-byte chunks beyond the first of `len` bytes.
    @inline(__always) static func extraChunks(_ len: Int) -> Int { len > 8 ? (len + 7) / 8 - 1 : 0 }

    private mutating func appendChunks(_ bytes: ArraySlice<UInt8>, from: Int) {
        var k = from
        while k < bytes.count { chunks.append(NameMatcher.pack(bytes, k)); k += 8 }
    }

    private func chunksEqual(_ at: Int, _ bytes: ArraySlice<UInt8>, from: Int) -> Bool {
        var k = from, c = at
        while k < bytes.count {
            if chunks[c] != NameMatcher.pack(bytes, k) { return false }
            k += 8; c += 1
        }
        return true
    }

    /// Where a key's payload lives: a node's own slot, or a tail.
    private enum KeySlot { case node(Int), tail(Int) }

    /// Finds (or, with `create`, makes) the slot of a key; nil for a key that can never
    /// match (it does not start with a word byte) or is absent.
    private mutating func slot<C: Collection>(_ key: C, create: Bool) -> KeySlot? where C.Element == UInt8 {
        let raw = Array(key)
        guard let f = raw.first, wordBytes[Int(f)] else { return nil }
        let k = ArraySlice(raw.map { fold[Int($0)] })
        let n = k.count
        var node: UInt32 = 0
        var gapStart = 0, i = 0
        while true {
            var j = i
            while j < n && wordBytes[Int(raw[j])] { j += 1 }
            guard let next = child(node, gap: k[gapStart..<i], run: k[i..<j], create: create) else { return nil }
            node = next
            var g = j
            while g < n && !wordBytes[Int(raw[g])] { g += 1 }
            if g == n {
                if g == j { return .node(Int(node)) }
                return tailSlot(node, k[j..<n], create: create).map { .tail($0) }
            }
            gapStart = j; i = g
        }
    }

    /// The tail `bytes` of `node` (tails are kept shortest first).
    private mutating func tailSlot(_ node: UInt32, _ bytes: ArraySlice<UInt8>, create: Bool) -> Int? {
        let w0 = NameMatcher.pack(bytes, 0)
        var prev = -1, t = Int(nodes[Int(node)].tailHead)
        while t >= 0 {
            let tail = tails[t]
            if Int(tail.len) == bytes.count && tail.w0 == w0 && chunksEqual(Int(tail.more), bytes, from: 8) { return t }
            if Int(tail.len) > bytes.count { break }
            prev = t; t = Int(tail.next)
        }
        guard create else { return nil }
        let new = tails.count
        tails.append(Tail(w0: w0, len: UInt32(bytes.count), more: UInt32(chunks.count), payload: -1, next: Int32(t)))
        appendChunks(bytes, from: 8)
        if prev < 0 { nodes[Int(node)].tailHead = Int32(new); syncSlot(Int(node)) } else { tails[prev].next = Int32(new) }
        return new
    }

    /// Adds `key` (folded with `fold`) with `value`. Returns the payload already stored for
    /// the same key, if any (it is then left unchanged: call `setPayload` to replace it). A key
    /// that does not start with a word byte can never match and is not stored.
    @discardableResult
    public mutating func insert<C: Collection>(_ key: C, value: Int32) -> Int32? where C.Element == UInt8 {
        switch slot(key, create: true) {
        case nil: return nil
        case .node(let n):
            if nodes[n].payload >= 0 { return nodes[n].payload }
            nodes[n].payload = value
            syncSlot(n)
            return nil
        case .tail(let t):
            if tails[t].payload >= 0 { return tails[t].payload }
            tails[t].payload = value
            return nil
        }
    }

    /// Replaces the payload of an existing key.
    public mutating func setPayload<C: Collection>(_ key: C, value: Int32) where C.Element == UInt8 {
        switch slot(key, create: false) {
        case nil: return
        case .node(let n): nodes[n].payload = value; syncSlot(n)
        case .tail(let t): tails[t].payload = value
        }
    }

    // MARK: Scanning

    /// One match: byte offsets `[start, end)` in the scanned text and the key's payload.
    public struct Match: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var value: Int32
        public init(start: Int, end: Int, value: Int32) { self.start = start; self.end = end; self.value = value }
    }

    /// The leftmost-longest, non-overlapping matches at word boundaries, in order. `accept`
    /// may veto a candidate (start, end, payload); a vetoed candidate is dropped before the
    /// selection, so a shorter one at the same start can still match.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, accept: ((Int, Int, Int32) -> Bool)? = nil, _ emit: (Match) -> Void) {
        let n = text.count
        guard n > 0, let base = text.baseAddress, rootCount > 0 else { return }
        var bits = [UInt64](repeating: 0, count: (n + 63) / 64 + 1)
        bits.withUnsafeMutableBufferPointer { NameMatcher.classify(base, n, mode, wordBytes, into: $0) }
        bits.withUnsafeBufferPointer { bits in
        fold.withUnsafeBufferPointer { fold in
        nodes.withUnsafeBufferPointer { nodes in
        roots.withUnsafeBufferPointer { roots in
        edges.withUnsafeBufferPointer { edges in
        chunks.withUnsafeBufferPointer { chunks in
        tails.withUnsafeBufferPointer { tails in
        filter.withUnsafeBufferPointer { filter in
            let s = Scanner(base: base, n: n, bits: bits.baseAddress!, fold: fold.baseAddress!, mode: mode, orBytes: orBytes,
                            nodes: nodes.baseAddress!,
                            roots: roots.baseAddress!, rootShift: rootShift, rootMask: roots.count - 1,
                            edges: edges.baseAddress!, edgeShift: edgeShift, edgeMask: edges.count - 1,
                            chunks: chunks.baseAddress ?? UnsafePointer(bitPattern: 8)!, tails: tails.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                            filter: filter.baseAddress!, filterShift: filterShift, minRoot: minRoot, maxRoot: maxRoot, maxGap: maxGap)
            s.run(accept: accept, emit)
        }}}}}}}}
    }

    /// `scan` collecting the matches.
    public func matches(in text: [UInt8]) -> [Match] {
        var out: [Match] = []
        text.withUnsafeBufferPointer { buf in scan(buf) { out.append($0) } }
        return out
    }

    /// Sets bit i of `bits` when byte i of the text is a word byte (bits past the text stay 0).
    static func classify(_ base: UnsafePointer<UInt8>, _ n: Int, _ mode: Mode, _ wordBytes: [Bool], into bits: UnsafeMutableBufferPointer<UInt64>) {
        let hiBits: UInt64 = 0x8080_8080_8080_8080, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        /// 8 bytes → 8 bits (bit k for byte k).
        @inline(__always) func eight(_ x: UInt64) -> UInt64 {
            let hi = x & hiBits
            let t = x & low7
            // t in [lo, hi] (t < 0x80): the high bit of (t + 0x80 - lo) & ~(t + 0x80 - hi - 1).
            let digit = (t &+ 0x5050_5050_5050_5050) & ~(t &+ 0x4646_4646_4646_4646)
            let word: UInt64
            if mode == .asciiAlnum {
                let l = t | 0x2020_2020_2020_2020
                let alpha = (l &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(l &+ 0x0505_0505_0505_0505)
                word = (digit | alpha) & ~hi & hiBits
            } else {
                let lower = (t &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(t &+ 0x0505_0505_0505_0505)
                word = (digit | lower | hi) & hiBits
            }
            // Gather the eight high bits into one byte.
            return ((word >> 7) &* 0x0102_0408_1020_4080) >> 56
        }
        let raw = UnsafeRawPointer(base)
        var i = 0
        if mode != .table {
            while i + 64 <= n {
                var m: UInt64 = 0
                for k in 0..<8 {
                    let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + 8 * k, as: UInt64.self))
                    m |= eight(x) << UInt64(8 * k)
                }
                bits[i >> 6] = m
                i += 64
            }
        }
        wordBytes.withUnsafeBufferPointer { word in
            while i < n {
                if word[Int(base[i])] { bits[i >> 6] |= 1 << UInt64(i & 63) }
                i += 1
            }
        }
    }

    /// The scan's view of the tables (raw pointers: the arrays are pinned by `scan`).
    private struct Scanner {
        let base: UnsafePointer<UInt8>, n: Int
        let bits: UnsafePointer<UInt64>
        let fold: UnsafePointer<UInt8>
        let mode: Mode, orBytes: UInt64
        let nodes: UnsafePointer<Node>
        let roots: UnsafePointer<Slot>, rootShift: UInt64, rootMask: Int
        let edges: UnsafePointer<Slot>, edgeShift: UInt64, edgeMask: Int
        let chunks: UnsafePointer<UInt64>
        let tails: UnsafePointer<Tail>
        let filter: UnsafePointer<UInt64>, filterShift: UInt64
        let minRoot: Int, maxRoot: Int, maxGap: Int

        /// Bytes `[p, p+len)` of the text (len ≤ 8), folded as word bytes (`run`) or as gap
        /// bytes, little-endian, zero-padded.
        @inline(__always) func word(_ p: Int, _ len: Int, run: Bool) -> UInt64 {
            if mode != .table {
                let mask = NameMatcher.lowMask(len)
                let w: UInt64
                if p + 8 <= n {
                    w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                } else {
                    var x: UInt64 = 0
                    for t in 0..<min(len, 8) { x |= UInt64(base[p + t]) << UInt64(8 * t) }
                    w = x
                }
                return run ? (w | orBytes) & mask : w & mask
            }
            var x: UInt64 = 0
            for t in 0..<min(len, 8) { x |= UInt64(fold[Int(base[p + t])]) << UInt64(8 * t) }
            return x
        }

        /// The hash of text bytes `[p, p+len)` whose first chunk is `w0`.
        @inline(__always) func hash(_ p: Int, _ len: Int, _ w0: UInt64, run: Bool) -> UInt64 {
            if len <= 8 { return NameMatcher.mix(NameMatcher.seed(len), w0) }
            return NameMatcher.bytesHash(len, w0) { i in word(p + 8 * i, min(8, len - 8 * i), run: run) }
        }

        /// Whether text bytes `[p, p+len)` equal the stored chunks after the first, from `at`.
        @inline(__always) func restEqual(_ p: Int, _ len: Int, _ at: Int, run: Bool) -> Bool {
            var k = 8, c = at
            while k < len {
                if word(p + k, min(8, len - k), run: run) != chunks[c] { return false }
                k += 8; c += 1
            }
            return true
        }

        /// The first non-word byte at or after `p` (a run's end; at most `n`).
        @inline(__always) func runEnd(_ p: Int) -> Int {
            var w = p >> 6
            var x = ~bits[w] >> UInt64(p & 63)
            if x != 0 { return p + x.trailingZeroBitCount }
            while true {
                w += 1
                x = ~bits[w]
                if x != 0 { return w * 64 + x.trailingZeroBitCount }
            }
        }

        /// The first word byte at or after `p`, or `n`.
        @inline(__always) func nextRun(_ p: Int) -> Int {
            var w = p >> 6
            let x = bits[w] >> UInt64(p & 63)
            if x != 0 { return p + x.trailingZeroBitCount }
            let last = (n + 63) >> 6
            while true {
                w += 1
                if w >= last { return n }
                if bits[w] != 0 { return w * 64 + bits[w].trailingZeroBitCount }
            }
        }

        /// The slot of the text's run `[s, e)` from the root, or nil.
        @inline(__always) func root(_ s: Int, _ e: Int) -> UnsafePointer<Slot>? {
            let len = e &- s
            if len < minRoot || len > maxRoot { return nil }
            let w0: UInt64, h: UInt64
            if len <= 8 && s &+ 8 <= n && mode != .table {
                // The common case, without branches: one load, one multiply.
                let raw = UInt64(littleEndian: UnsafeRawPointer(base + s).loadUnaligned(as: UInt64.self))
                w0 = (raw | orBytes) & (~0 >> UInt64(truncatingIfNeeded: (8 &- len) &* 8))
                h = NameMatcher.mix(NameMatcher.seed(len), w0)
            } else {
                w0 = word(s, min(len, 8), run: true)
                h = hash(s, len, w0, run: true)
            }
            let bit = Int(truncatingIfNeeded: h >> filterShift)
            if filter[bit >> 6] & (1 << UInt64(truncatingIfNeeded: bit & 63)) == 0 { return nil }
            return rootSlot(s, len, w0, h)
        }

        /// The root table's probe for a run that passed the filter.
        func rootSlot(_ s: Int, _ len: Int, _ w0: UInt64, _ h: UInt64) -> UnsafePointer<Slot>? {
            let lengths = Slot.lengths(len, 0)
            var i = Int(truncatingIfNeeded: h >> rootShift)
            while true {
                let x = roots + i
                if x.pointee.child == 0 { return nil }
                if x.pointee.run0 == w0 && x.pointee.info & Slot.lengths == lengths
                    && (x.pointee.info & Slot.long == 0 || longRootEqual(s, len, Int(x.pointee.child))) {
                    return x
                }
                i = (i &+ 1) & rootMask
            }
        }

        /// A first run longer than 8 bytes: its exact length (the slot's is capped) and bytes.
        func longRootEqual(_ s: Int, _ len: Int, _ c: Int) -> Bool {
            Int(nodes[c].runLen) == len && restEqual(s, len, Int(nodes[c].more), run: true)
        }

        /// The slot of the child of `node` for the gap `[g, s)` and the run `[s, e)`, or nil.
        @inline(__always) func child(_ node: UInt32, _ g: Int, _ s: Int, _ e: Int) -> UnsafePointer<Slot>? {
            let gl = s &- g, rl = e &- s
            let g0 = word(g, min(gl, 8), run: false), r0 = word(s, min(rl, 8), run: true)
            let h = NameMatcher.edgeHash(node, hash(g, gl, g0, run: false), hash(s, rl, r0, run: true))
            let lengths = Slot.lengths(rl, gl)
            var i = Int(truncatingIfNeeded: h >> edgeShift)
            while true {
                let x = edges + i
                if x.pointee.child == 0 { return nil }
                if x.pointee.parent == node && x.pointee.run0 == r0 && x.pointee.gap0 == g0 && x.pointee.info & Slot.lengths == lengths {
                    if x.pointee.info & Slot.long == 0 { return x }
                    let y = nodes[Int(x.pointee.child)]
                    if Int(y.gapLen) == gl && Int(y.runLen) == rl && (gl <= 8 || restEqual(g, gl, Int(y.more), run: false))
                        && (rl <= 8 || restEqual(s, rl, Int(y.more) + NameMatcher.extraChunks(gl), run: true)) {
                        return x
                    }
                }
                i = (i &+ 1) & edgeMask
            }
        }

        func run(accept: ((Int, Int, Int32) -> Bool)?, _ emit: (Match) -> Void) {
            let words = (n + 63) >> 6
            var w = 0
            var pos = 0  // no match may start before this
            let fast = mode != .table, base = self.base, n = self.n, orBytes = self.orBytes
            let filter = self.filter, filterShift = self.filterShift, minRoot = self.minRoot, maxRoot = self.maxRoot
            while w < words {
                let m = bits[w]
                let carry = w > 0 ? bits[w - 1] >> 63 : 0
                var starts = m & ~((m << 1) | carry)
                let low = pos - w * 64
                if low > 0 {
                    if low >= 64 { w = pos >> 6; continue }
                    starts &= ~0 << UInt64(low)
                }
                while starts != 0 {
                    let s = w * 64 + starts.trailingZeroBitCount
                    starts &= starts &- 1
                    let e = runEnd(s)
                    let len = e &- s
                    if len < minRoot || len > maxRoot { continue }
                    let found: UnsafePointer<Slot>?
                    if fast && len <= 8 && s &+ 8 <= n {
                        // The common case, inline: one load, one multiply, one bit of the filter.
                        let raw = UInt64(littleEndian: UnsafeRawPointer(base + s).loadUnaligned(as: UInt64.self))
                        let w0 = (raw | orBytes) & (~0 >> UInt64(truncatingIfNeeded: (8 &- len) &* 8))
                        let h = NameMatcher.mix(NameMatcher.seed(len), w0)
                        let bit = Int(truncatingIfNeeded: h >> filterShift)
                        if filter[bit >> 6] & (1 << UInt64(truncatingIfNeeded: bit & 63)) == 0 { continue }
                        found = rootSlot(s, len, w0, h)
                    } else if fast && len <= 16 && s &+ 16 <= n {
                        // 9 to 16 bytes: two loads (the hash of `bytesHash` over two chunks).
                        let w0 = UInt64(littleEndian: UnsafeRawPointer(base + s).loadUnaligned(as: UInt64.self)) | orBytes
                        let raw1 = UInt64(littleEndian: UnsafeRawPointer(base + (s &+ 8)).loadUnaligned(as: UInt64.self))
                        let w1 = (raw1 | orBytes) & (~0 >> UInt64(truncatingIfNeeded: (16 &- len) &* 8))
                        let h = NameMatcher.mix(NameMatcher.mix(NameMatcher.seed(len), w0), w1)
                        let bit = Int(truncatingIfNeeded: h >> filterShift)
                        if filter[bit >> 6] & (1 << UInt64(truncatingIfNeeded: bit & 63)) == 0 { continue }
                        found = rootSlot(s, len, w0, h)
                    } else {
                        found = root(s, e)
                    }
                    guard var x = found else { continue }
                    // Walk the runs after it; the candidates come in increasing end order, so
                    // the last accepted one is the longest.
                    var bestEnd = -1, bestValue: Int32 = -1
                    var end = e
                    while true {
                        let v = x.pointee.payload, info = x.pointee.info
                        if v >= 0 && (accept == nil || accept!(s, end, v)) { bestEnd = end; bestValue = v }
                        if info & (Slot.hasChildren | Slot.hasTails) == 0 { break }
                        let ns = nextRun(end)
                        let gl = ns &- end
                        if info & Slot.hasTails != 0 {
                            var t = Int(nodes[Int(x.pointee.child)].tailHead)
                            while t >= 0 {
                                let tail = tails[t]
                                let tl = Int(tail.len)
                                if tl > gl || (tl == gl && ns < n) { break }
                                if tail.payload >= 0 && word(end, min(tl, 8), run: false) == tail.w0
                                    && (tl <= 8 || restEqual(end, tl, Int(tail.more), run: false))
                                    && (accept == nil || accept!(s, end &+ tl, tail.payload)) {
                                    bestEnd = end &+ tl; bestValue = tail.payload
                                }
                                t = Int(tail.next)
                            }
                        }
                        if ns >= n || gl > maxGap || info & Slot.hasChildren == 0 { break }
                        let ne = runEnd(ns)
                        guard let c = child(x.pointee.child, end, ns, ne) else { break }
                        x = c
                        end = ne
                    }
                    if bestEnd >= 0 {
                        emit(Match(start: s, end: bestEnd, value: bestValue))
                        pos = bestEnd
                        let low = pos - w * 64
                        if low >= 64 { break }
                        starts &= ~0 << UInt64(low)
                    }
                }
                w = max(w + 1, pos >> 6)
            }
        }
    }
}
