import MosaicGraph

// Precision and recall of proposed relations against expected facts (a KB's relations or a
// hand-made list). A proposal is right when it matches an expected fact not matched before:
// the same relation type, the same two ends (entity ids; the ingested article's id counts as
// the expected source's), the same denial, and compatible valid time (each bound equal,
// open on either side, or one within the other). Properties and `via` are not compared.
// A proposal made N times (`times`) counts N times. Uses MosaicGraph's partial dates.

public struct RelationScore: Sendable {
    /// An expected fact.
    public struct Fact: Sendable, Hashable, CustomStringConvertible {
        public var from: String
        public var relation: String
        public var to: String
        public var validFrom: PartialDate?
        public var validTo: PartialDate?
        public var denied: Bool
        /// Where it is written (a kb file's path, or a fixture's name), for the report.
        public var origin: String
        public init(from: String, relation: String, to: String, validFrom: PartialDate? = nil, validTo: PartialDate? = nil,
                    denied: Bool = false, origin: String = "") {
            self.from = from; self.relation = relation; self.to = to; self.validFrom = validFrom; self.validTo = validTo
            self.denied = denied; self.origin = origin
        }
        public var description: String {
            var s = "\(denied ? "NOT " : "")\(from) \(relation) \(to)"
            if let f = validFrom { s += " \(f)" }
            if let t = validTo, t != validFrom { s += "…\(t)" }
            return s
        }
    }

    public var proposed: Int = 0
    public var expected: Int = 0
    public var right: Int = 0
    /// Expected facts matched by a proposal.
    public var found: Int = 0
    public var wrong: [Fact] = []
    public var missed: [Fact] = []

    public var precision: Double { proposed == 0 ? 0 : Double(right) / Double(proposed) }
    public var recall: Double { expected == 0 ? 0 : Double(found) / Double(expected) }

    /// Scores proposals; `sameAs` maps ids of the proposals to ids of the expected facts
    /// (the ingested article's source id → the KB's id for the same article).
    public init(proposals: [Proposal], expected gold: [Fact], sameAs: [String: String] = [:]) {
        var facts: [Fact] = []
        for p in proposals {
            let f = Fact(from: sameAs[p.from] ?? p.from, relation: p.relation, to: sameAs[p.to] ?? p.to, validFrom: p.validFrom,
                         validTo: p.validTo, denied: p.denied, origin: "#\(p.id) \(p.extractor)")
            for _ in 0..<max(1, p.times) { facts.append(f) }
        }
        // the most precise first, so a dated proposal takes the dated expected fact
        facts.sort { ($0.validFrom != nil ? 0 : 1, $0.validTo != nil ? 0 : 1) < ($1.validFrom != nil ? 0 : 1, $1.validTo != nil ? 0 : 1) }
        var taken = Array(repeating: false, count: gold.count)
        proposed = facts.count
        expected = gold.count
        for f in facts {
            var best: Int?
            for (i, g) in gold.enumerated() where !taken[i] && g.from == f.from && g.relation == f.relation && g.to == f.to && g.denied == f.denied
                && RelationScore.compatible(g.validFrom, f.validFrom) && RelationScore.compatible(g.validTo, f.validTo) {
                if g.validFrom == f.validFrom && g.validTo == f.validTo { best = i; break }
                if best == nil { best = i }
            }
            if let b = best { taken[b] = true; right += 1 } else { wrong.append(f) }
        }
        found = taken.filter { $0 }.count
        missed = gold.enumerated().filter { !taken[$0.offset] }.map(\.element)
    }

    static func compatible(_ a: PartialDate?, _ b: PartialDate?) -> Bool {
        guard let a, let b else { return true }
        return a == b || a.contains(b) || b.contains(a)
    }

    /// `precision 0.812 (26 of 32), recall 0.650 (26 of 40)`
    public var summary: String {
        String(format: "precision %.3f (%d of %d proposed), recall %.3f (%d of %d expected)", precision, right, proposed, recall, found, expected)
    }
}
