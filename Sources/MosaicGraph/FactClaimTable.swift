/// The claims of each fact that has more than one (a fact's relationship → its claims,
/// itself first, then in statement order), with a bit per relationship saying whether it
/// has an entry. Reading a fact's claims or valid time asks the bit before hashing: most
/// facts have one claim, and the hash was a sixth of a filtered pattern's time (issue 16,
/// the d row). The bits cover relationships up to the highest fact with an entry
/// (0.125 B per relationship at most). Used by Graph+Facts.swift and the snapshot's codec.
struct FactClaimTable: Sendable {
    private(set) var members: [Int32: [Int32]] = [:]
    private var bits: [UInt64] = []

    init() {}
    init(_ members: [Int32: [Int32]]) {
        for (fact, claims) in members { self[fact] = claims }
    }

    var isEmpty: Bool { members.isEmpty }
    var count: Int { members.count }

    /// Whether fact `r` has an entry (a bit read, no hashing).
    @inline(__always) func contains(_ r: Int32) -> Bool {
        let w = Int(r) >> 6
        return w < bits.count && bits[w] & (1 << UInt64(r & 63)) != 0
    }

    subscript(_ r: Int32) -> [Int32]? {
        get { contains(r) ? members[r] : nil }
        set {
            members[r] = newValue
            mark(r, newValue != nil)
        }
    }

    /// Adds claim `c` to fact `fact`'s entry (made as `[fact]` first when it has none).
    mutating func append(_ c: Int32, to fact: Int32) {
        members[fact, default: [fact]].append(c)
        mark(fact, true)
    }

    mutating func removeValue(forKey r: Int32) -> [Int32]? {
        guard contains(r) else { return nil }
        mark(r, false)
        return members.removeValue(forKey: r)
    }

    private mutating func mark(_ r: Int32, _ on: Bool) {
        let w = Int(r) >> 6, bit: UInt64 = 1 << UInt64(r & 63)
        if on {
            if w >= bits.count { bits.append(contentsOf: repeatElement(0, count: max(w + 1 - bits.count, bits.count))) }
            bits[w] |= bit
        } else if w < bits.count {
            bits[w] &= ~bit
        }
    }
}
