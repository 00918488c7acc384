// MosaicIngest turns documents into what the KB can use: it reads articles (text, Markdown
// with front matter), finds the names of known entities in them (the gazetteer), proposes
// new entities and aliases, and normalises dates to partial dates. It writes to the store
// only through MosaicStore's public API.

/// A byte-level dictionary matcher: finds, left to right, the leftmost-longest occurrences of
/// its keys that start and end at word boundaries, without overlaps.
///
/// Keys are byte strings already folded the way the text will be folded (`fold` maps each
/// text byte before comparison; the identity for text folded beforehand). A byte is a word
/// byte when `wordBytes` says so; a match must start at the start of a run of word bytes and
/// end just before a non-word byte (or the end of the text). Each key has a payload index
/// (the caller's); `insert` returns false when the key was already present (the caller
/// decides which payload wins).
///
/// Representation: a trie whose edges live in one open-addressing hash table keyed by
/// (node, byte), so building is one probe per key byte and a scan walks the trie from each
/// word start until the first missing edge (most words fail within a byte or two).
public struct NameMatcher: Sendable {
    /// Hash table of edges, one word each (one cache line touched per probe): the key
    /// `(node << 8 | byte) + 1` in the high 36 bits, the child node in the low 28 (0 = empty).
    private var slots: [UInt64]
    static let childBits: UInt64 = 28
    static let childMask: UInt64 = (1 << 28) - 1
    private var mask: Int
    private var edgeCount = 0
    /// Per trie node: the payload of the key ending there, or -1.
    public private(set) var payload: [Int32] = [-1]
    /// The FNV-1a hashes of the keys' first runs of word bytes (open addressing, 0 = empty): a
    /// match can only start at a run of the text equal to a key's first run (it starts at
    /// the start of a maximal run and ends at a boundary), so the scan looks each run up
    /// here, in a small table that stays in cache, before it walks the trie.
    /// Each slot also holds the trie node the run leads to and the run's bytes (in
    /// `runBytes`), so the scan checks the run exactly and starts its walk after it.
    private var firstRuns: [UInt64]
    private var firstRunNodes: [UInt32]
    private var firstRunStarts: [UInt32]
    private var firstRunLengths: [UInt32]
    private var runBytes: [UInt8] = []
    private var firstRunMask: Int
    private var firstRunCount = 0
    public let fold: [UInt8]
    public let wordBytes: [Bool]

    /// `fold`: 256 bytes (byte → folded byte); `wordBytes`: 256 flags.
    public init(fold: [UInt8], wordBytes: [Bool], expectedBytes: Int = 1024) {
        precondition(fold.count == 256 && wordBytes.count == 256)
        self.fold = fold
        self.wordBytes = wordBytes
        // A trie has fewer edges than its keys have bytes (shared prefixes): start at half, grow.
        var cap = 1024
        while cap < expectedBytes { cap <<= 1 }
        slots = Array(repeating: 0, count: cap)
        mask = cap - 1
        firstRuns = Array(repeating: 0, count: 1024)
        firstRunNodes = Array(repeating: 0, count: 1024)
        firstRunStarts = Array(repeating: 0, count: 1024)
        firstRunLengths = Array(repeating: 0, count: 1024)
        firstRunMask = 1023
    }

    @inline(__always) static func runHash(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x100000001b3 }
    static let runSeed: UInt64 = 0xcbf29ce484222325

    private mutating func addFirstRun(_ h0: UInt64, node: UInt32, run: [UInt8]) {
        let h = h0 | 1
        var i = Int(truncatingIfNeeded: h >> 7) & firstRunMask
        while firstRuns[i] != 0 {
            if firstRuns[i] == h && Int(firstRunLengths[i]) == run.count
                && runBytes[Int(firstRunStarts[i])..<(Int(firstRunStarts[i]) + run.count)].elementsEqual(run) { return }
            i = (i + 1) & firstRunMask
        }
        firstRuns[i] = h
        firstRunNodes[i] = node
        firstRunStarts[i] = UInt32(runBytes.count)
        firstRunLengths[i] = UInt32(run.count)
        runBytes.append(contentsOf: run)
        firstRunCount += 1
        if firstRunCount * 2 > firstRuns.count {
            let (oh, on, os, ol) = (firstRuns, firstRunNodes, firstRunStarts, firstRunLengths)
            let cap = oh.count * 2
            firstRuns = Array(repeating: 0, count: cap)
            firstRunNodes = Array(repeating: 0, count: cap)
            firstRunStarts = Array(repeating: 0, count: cap)
            firstRunLengths = Array(repeating: 0, count: cap)
            firstRunMask = cap - 1
            for k in oh.indices where oh[k] != 0 {
                var j = Int(truncatingIfNeeded: oh[k] >> 7) & firstRunMask
                while firstRuns[j] != 0 { j = (j + 1) & firstRunMask }
                firstRuns[j] = oh[k]; firstRunNodes[j] = on[k]; firstRunStarts[j] = os[k]; firstRunLengths[j] = ol[k]
            }
        }
    }

    /// ASCII lower-casing, word bytes `[A-Za-z0-9]` (the benchmark's semantics).
    public static let asciiFold: [UInt8] = (0..<256).map { b in (65...90).contains(b) ? UInt8(b + 32) : UInt8(b) }
    public static let asciiWordBytes: [Bool] = (0..<256).map { b in (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) }
    /// Identity, word bytes `[a-z0-9]` and every byte of a multi-byte UTF-8 sequence (text
    /// folded by `TextFolder`: non-ASCII bytes there are letters or digits).
    public static let identityFold: [UInt8] = (0..<256).map { UInt8($0) }
    public static let foldedWordBytes: [Bool] = (0..<256).map { b in (48...57).contains(b) || (97...122).contains(b) || b >= 0x80 }

    public var nodeCount: Int { payload.count }

    @inline(__always) private static func hash(_ k: UInt64) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 29)
    }

    @inline(__always) private func child(_ node: UInt32, _ byte: UInt8) -> UInt32? {
        let k = (UInt64(node) << 8 | UInt64(byte)) &+ 1
        var i = NameMatcher.hash(k) & mask
        while true {
            let s = slots[i]
            if s >> NameMatcher.childBits == k { return UInt32(s & NameMatcher.childMask) }
            if s == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        let cap = slots.count * 2
        slots = Array(repeating: 0, count: cap)
        mask = cap - 1
        for v in old where v != 0 {
            var j = NameMatcher.hash(v >> NameMatcher.childBits) & mask
            while slots[j] != 0 { j = (j + 1) & mask }
            slots[j] = v
        }
    }

    /// Adds `key` (folded with `fold`) with `value`. Returns the payload already stored for
    /// the same key, if any (it is then left unchanged: call `setPayload` to replace it).
    @discardableResult
    public mutating func insert<C: Collection>(_ key: C, value: Int32) -> Int32? where C.Element == UInt8 {
        var node: UInt32 = 0
        var runHash = NameMatcher.runSeed
        var inFirstRun = true
        var run: [UInt8] = []
        var runNode: UInt32 = 0
        for raw in key {
            let b = fold[Int(raw)]
            if inFirstRun {
                if wordBytes[Int(raw)] { runHash = NameMatcher.runHash(runHash, b); run.append(b) } else {
                    inFirstRun = false
                    runNode = node
                }
            }
            let k = (UInt64(node) << 8 | UInt64(b)) &+ 1
            var i = NameMatcher.hash(k) & mask
            var found: UInt32?
            while true {
                let s = slots[i]
                if s >> NameMatcher.childBits == k { found = UInt32(s & NameMatcher.childMask); break }
                if s == 0 { break }
                i = (i + 1) & mask
            }
            if let found { node = found; continue }
            let new = UInt32(payload.count)
            precondition(UInt64(new) < NameMatcher.childMask, "a name matcher holds at most 2^28 trie nodes")
            payload.append(-1)
            slots[i] = k << NameMatcher.childBits | UInt64(new)
            edgeCount += 1
            node = new
            if edgeCount * 2 > slots.count { grow() }
        }
        if inFirstRun { runNode = node }
        if !run.isEmpty { addFirstRun(runHash, node: runNode, run: run) }
        let old = payload[Int(node)]
        if old >= 0 { return old }
        payload[Int(node)] = value
        return nil
    }

    /// Replaces the payload of an existing key.
    public mutating func setPayload<C: Collection>(_ key: C, value: Int32) where C.Element == UInt8 {
        var node: UInt32 = 0
        for raw in key { guard let c = child(node, fold[Int(raw)]) else { return }; node = c }
        payload[Int(node)] = value
    }

    /// One match: byte offsets `[start, end)` in the scanned text and the key's payload.
    public struct Match: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var value: Int32
    }

    /// The leftmost-longest, non-overlapping matches at word boundaries, in order. `accept`
    /// may veto a candidate (start, end, payload); a vetoed candidate is dropped before the
    /// selection, so a shorter one at the same start can still match.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, accept: ((Int, Int, Int32) -> Bool)? = nil, _ emit: (Match) -> Void) {
        let n = text.count
        guard n > 0, let base = text.baseAddress else { return }
        fold.withUnsafeBufferPointer { fold in
        wordBytes.withUnsafeBufferPointer { word in
        slots.withUnsafeBufferPointer { slots in
        payload.withUnsafeBufferPointer { payload in
        firstRuns.withUnsafeBufferPointer { firstRuns in
        firstRunNodes.withUnsafeBufferPointer { runNodes in
        firstRunStarts.withUnsafeBufferPointer { runStarts in
        firstRunLengths.withUnsafeBufferPointer { runLengths in
        runBytes.withUnsafeBufferPointer { runBytes in
            let mask = self.mask, runMask = self.firstRunMask
            var i = 0
            while i < n {
                // Skip to the next word start, then to the end of its run, hashing it.
                if !word[Int(base[i])] { i += 1; continue }
                let start = i
                var h = NameMatcher.runSeed
                repeat {
                    h = NameMatcher.runHash(h, fold[Int(base[i])])
                    i += 1
                } while i < n && word[Int(base[i])]
                h |= 1
                let len = i - start
                var slot = Int(truncatingIfNeeded: h >> 7) & runMask
                var found = -1
                while true {
                    let v = firstRuns[slot]
                    if v == 0 { break }
                    if v == h && Int(runLengths[slot]) == len {
                        let rs = Int(runStarts[slot])
                        var same = true
                        for t in 0..<len where fold[Int(base[start + t])] != runBytes[rs + t] { same = false; break }
                        if same { found = slot; break }
                    }
                    slot = (slot + 1) & runMask
                }
                if found < 0 { continue }
                var node = runNodes[found]
                var bestEnd = -1
                var bestValue: Int32 = -1
                var j = i
                // The run ends at a boundary: a key may end with it.
                let pv = payload[Int(node)]
                if pv >= 0, accept == nil || accept!(start, j, pv) { bestEnd = j; bestValue = pv }
                walk: while j < n {
                    let b = fold[Int(base[j])]
                    let k = (UInt64(node) << 8 | UInt64(b)) &+ 1
                    var p = NameMatcher.hash(k) & mask
                    while true {
                        let s = slots[p]
                        if s >> NameMatcher.childBits == k { node = UInt32(s & NameMatcher.childMask); break }
                        if s == 0 { break walk }
                        p = (p + 1) & mask
                    }
                    j += 1
                    let v = payload[Int(node)]
                    if v >= 0 && (j == n || !word[Int(base[j])]) {
                        if accept == nil || accept!(start, j, v) { bestEnd = j; bestValue = v }
                    }
                }
                if bestEnd >= 0 {
                    emit(Match(start: start, end: bestEnd, value: bestValue))
                    i = bestEnd
                }
                // Else `i` is past this run already: no match starts inside it.
            }
        }}}}}}}}}
    }

    /// `scan` collecting the matches.
    public func matches(in text: [UInt8]) -> [Match] {
        var out: [Match] = []
        text.withUnsafeBufferPointer { buf in scan(buf) { out.append($0) } }
        return out
    }
}
