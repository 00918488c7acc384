import MosaicStore

/// The derivations an inference run has read from the store (those truth maintenance
/// looks at), indexed by the statement each derives and by each premise it uses. The
/// indexes hold only what `record` put in, so every lookup finds its records.
struct StoredDerivations {
    private var byID: [Int64: Store.DerivationRecord] = [:]
    private var byStatement: [Int64: [Int64]] = [:]
    private var byPremise: [Int64: [Int64]] = [:]

    /// Adds a derivation; false when it was already recorded.
    mutating func record(_ d: Store.DerivationRecord) -> Bool {
        guard byID[d.id] == nil else { return false }
        byID[d.id] = d
        byStatement[d.statement, default: []].append(d.id)
        for p in d.premises { byPremise[p, default: []].append(d.id) }
        return true
    }

    /// The recorded derivations of a statement.
    func derivations(of statement: Int64) -> some Sequence<Store.DerivationRecord> {
        (byStatement[statement] ?? []).lazy.compactMap { byID[$0] }
    }

    /// The recorded derivations that use a statement as a premise.
    func users(of premise: Int64) -> some Sequence<Store.DerivationRecord> {
        (byPremise[premise] ?? []).lazy.compactMap { byID[$0] }
    }

    /// Every recorded derivation, in no particular order.
    var all: Dictionary<Int64, Store.DerivationRecord>.Values { byID.values }
}
