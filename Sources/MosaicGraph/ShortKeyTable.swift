/// A table from short keys to `Int32`, for the look-ups a bulk load makes by the million (the
/// import's node keys, PendingAdjacency's single sources): a key of at most 16 ASCII bytes is
/// held in its slot (two words and its length, with its value), found by a multiply-and-shift
/// hash of those words and, mostly, one slot read; `String`'s SipHash and its dictionary's
/// two arrays are not touched. Keys it cannot hold (longer, or not ASCII, whose `String`
/// equality is not byte equality) are refused: `holds` says which, and callers keep them
/// elsewhere. A value type (its slots an array), so a graph that holds one stays a value.
///
/// Measured with callgrind on the 100k import: a look-up of an 8-byte key in a
/// `[String: Int32]` took about 500 instructions (the hash, the probe, the compare).
public struct ShortKeyTable: Sendable {
    /// A slot: the key's first and second eight bytes (zero-padded), and `value + 1` in the
    /// low 32 bits of `tag` with the key's length above (0: an empty slot).
    struct Slot { var w0: UInt64 = 0; var w1: UInt64 = 0; var tag: UInt64 = 0 }
    private var slots: [Slot]
    private var mask: Int
    /// The keys held.
    public private(set) var count = 0

    /// A table with room for about `expected` keys before it grows.
    public init(expected: Int) {
        var capacity = 1024
        while capacity * 3 < expected * 4 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Slot](repeating: Slot(), count: capacity)
    }

    /// Whether a key of these bytes can be held (at most 16 bytes, all ASCII, not empty).
    public static func holds(_ key: UnsafeBufferPointer<UInt8>) -> Bool { words(key) != nil }

    @inline(__always)
    static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64)? {
        let n = key.count
        guard n > 0 && n <= 16 else { return nil }
        // (byte by byte: a `copyMemory` of a few bytes was a call to `memcpy`, some 100
        // instructions a key in callgrind, more than the rest of a look-up)
        var w0: UInt64 = 0, w1: UInt64 = 0
        for i in 0..<min(n, 8) { w0 |= UInt64(key[i]) << (8 * UInt64(i)) }
        if n > 8 { for i in 8..<n { w1 |= UInt64(key[i]) << (8 * UInt64(i - 8)) } }
        guard (w0 | w1) & 0x8080_8080_8080_8080 == 0 else { return nil }
        return (w0, w1, UInt64(n))
    }

    @inline(__always)
    static func hash(_ w0: UInt64, _ w1: UInt64, _ n: UInt64) -> Int {
        var h = (w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ (n << 56)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        h = h &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The value of `key`, nil when the table does not have it (or cannot hold it).
    public func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let (w0, w1, n) = ShortKeyTable.words(key) else { return nil }
        return slots.withUnsafeBufferPointer { s in
            var i = ShortKeyTable.hash(w0, w1, n) & mask
            while true {
                let t = s[i].tag
                if t == 0 { return nil }
                if s[i].w0 == w0 && s[i].w1 == w1 && t >> 32 == n { return Int32(bitPattern: UInt32(truncatingIfNeeded: t)) &- 1 }
                i = (i + 1) & mask
            }
        }
    }

    public func lookup(_ key: String) -> Int32? {
        var k = key
        return k.withUTF8 { lookup($0) }
    }

    /// Records `key` with `value` (a key already there keeps its value); false when the table
    /// cannot hold the key.
    @discardableResult
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int32) -> Bool {
        guard let (w0, w1, n) = ShortKeyTable.words(key) else { return false }
        if (count + 1) * 4 > (mask + 1) * 3 { grow() }
        let m = mask
        let added: Bool = slots.withUnsafeMutableBufferPointer { s in
            var i = ShortKeyTable.hash(w0, w1, n) & m
            while true {
                if s[i].tag == 0 {
                    s[i] = Slot(w0: w0, w1: w1, tag: n << 32 | UInt64(UInt32(bitPattern: value &+ 1)))
                    return true
                }
                if s[i].w0 == w0 && s[i].w1 == w1 && s[i].tag >> 32 == n { return false }
                i = (i + 1) & m
            }
        }
        if added { count += 1 }
        return true
    }

    @discardableResult
    public mutating func insert(_ key: String, value: Int32) -> Bool {
        var k = key
        return k.withUTF8 { insert($0, value: value) }
    }

    private mutating func grow() {
        let old = slots
        mask = old.count * 2 - 1
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let m = mask
        slots.withUnsafeMutableBufferPointer { s in
            for o in old where o.tag != 0 {
                var i = ShortKeyTable.hash(o.w0, o.w1, o.tag >> 32) & m
                while s[i].tag != 0 { i = (i + 1) & m }
                s[i] = o
            }
        }
    }
}
