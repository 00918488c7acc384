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
    /// Hash table of edges: `keys[i]` = node << 8 | byte + 1 (0 = empty), `children[i]`.
    private var keys: [UInt64]
    private var children: [UInt32]
    private var mask: Int
    private var edgeCount = 0
    /// Per trie node: the payload of the key ending there, or -1.
    public private(set) var payload: [Int32] = [-1]
    public let fold: [UInt8]
    public let wordBytes: [Bool]

    /// `fold`: 256 bytes (byte → folded byte); `wordBytes`: 256 flags.
    public init(fold: [UInt8], wordBytes: [Bool], expectedBytes: Int = 1024) {
        precondition(fold.count == 256 && wordBytes.count == 256)
        self.fold = fold
        self.wordBytes = wordBytes
        var cap = 1024
        while cap < expectedBytes * 2 { cap <<= 1 }
        keys = Array(repeating: 0, count: cap)
        children = Array(repeating: 0, count: cap)
        mask = cap - 1
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
            let s = keys[i]
            if s == k { return children[i] }
            if s == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldChildren = children
        let cap = keys.count * 2
        keys = Array(repeating: 0, count: cap)
        children = Array(repeating: 0, count: cap)
        mask = cap - 1
        for i in oldKeys.indices where oldKeys[i] != 0 {
            var j = NameMatcher.hash(oldKeys[i]) & mask
            while keys[j] != 0 { j = (j + 1) & mask }
            keys[j] = oldKeys[i]; children[j] = oldChildren[i]
        }
    }

    /// Adds `key` (folded with `fold`) with `value`. Returns the payload already stored for
    /// the same key, if any (it is then left unchanged: call `setPayload` to replace it).
    @discardableResult
    public mutating func insert<C: Collection>(_ key: C, value: Int32) -> Int32? where C.Element == UInt8 {
        var node: UInt32 = 0
        for raw in key {
            let b = fold[Int(raw)]
            let k = (UInt64(node) << 8 | UInt64(b)) &+ 1
            var i = NameMatcher.hash(k) & mask
            var found: UInt32?
            while true {
                let s = keys[i]
                if s == k { found = children[i]; break }
                if s == 0 { break }
                i = (i + 1) & mask
            }
            if let found { node = found; continue }
            let new = UInt32(payload.count)
            payload.append(-1)
            keys[i] = k; children[i] = new
            edgeCount += 1
            node = new
            if edgeCount * 2 > keys.count { grow() }
        }
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
        keys.withUnsafeBufferPointer { keys in
        children.withUnsafeBufferPointer { children in
        payload.withUnsafeBufferPointer { payload in
            let mask = self.mask
            var i = 0
            while i < n {
                // Skip to the next word start.
                if !word[Int(base[i])] { i += 1; continue }
                let start = i
                var node: UInt32 = 0
                var bestEnd = -1
                var bestValue: Int32 = -1
                var j = i
                walk: while j < n {
                    let b = fold[Int(base[j])]
                    let k = (UInt64(node) << 8 | UInt64(b)) &+ 1
                    var h = NameMatcher.hash(k) & mask
                    while true {
                        let s = keys[h]
                        if s == k { node = children[h]; break }
                        if s == 0 { break walk }
                        h = (h + 1) & mask
                    }
                    j += 1
                    let p = payload[Int(node)]
                    if p >= 0 && (j == n || !word[Int(base[j])]) {
                        if accept == nil || accept!(start, j, p) { bestEnd = j; bestValue = p }
                    }
                }
                if bestEnd >= 0 {
                    emit(Match(start: start, end: bestEnd, value: bestValue))
                    i = bestEnd
                } else {
                    // Past the rest of this word: no match can start inside it.
                    i += 1
                    while i < n && word[Int(base[i])] { i += 1 }
                }
            }
        }}}}}
    }

    /// `scan` collecting the matches.
    public func matches(in text: [UInt8]) -> [Match] {
        var out: [Match] = []
        text.withUnsafeBufferPointer { buf in scan(buf) { out.append($0) } }
        return out
    }
}
