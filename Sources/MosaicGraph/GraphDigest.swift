/// A 64-bit digest of everything a graph snapshot holds that readers can see (nodes with
/// labels, properties and their statements; relationships with type, ends, metadata and
/// properties; type order; counters), to check that a loader optimisation builds exactly
/// the same snapshot: `mosaic-bench --digest STORE` before and after, and the tests that
/// compare a snapshot built in place (import, checkpoint) with one loaded from the log.
public struct GraphDigest {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The lines hashed, when kept (tests compare them to show what differs).
    private var kept: [String]?

    private mutating func add(_ s: String) {
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ 0xFF) &* 0x100_0000_01b3
        kept?.append(s)
    }

    public static func of(_ g: Graph) -> UInt64 {
        var d = GraphDigest()
        d.feed(g)
        return d.h
    }

    /// What the digest hashes, one line per item.
    public static func lines(_ g: Graph) -> [String] {
        var d = GraphDigest()
        d.kept = []
        d.feed(g)
        return d.kept!
    }

    private mutating func feed(_ g: Graph) {
        add("tx \(g.transaction) next \(g.nextStatementID) nodes \(g.liveNodeCount) rels \(g.liveRelationshipCount)")
        add(g.relationTypes.joined(separator: ","))
        add(g.labels.map { "\($0):\(g.nodes(withLabel: $0))" }.joined(separator: ";"))
        for (i, n) in g.nodes.enumerated() {
            add("\(i) \(n.key) \(n.labels) \(n.statement) \(n.alive)")
            for e in n.entries.sorted(by: { $0.name < $1.name }) { add("\(e.name)=\(e.value.encoded)@\(e.statement)") }
            for k in n.labelStatements.keys.sorted() { add("L\(k)@\(n.labelStatements[k]!)") }
            if let name = n.name { add("named \(g.nodes(named: name))") }
            add("out \(g.outList(Int32(i))) in \(g.inList(Int32(i)))")
        }
        for (i, r) in g.relationships.enumerated() {
            let m = g.meta(ofRelationship: Int32(i))
            add("\(r.source) \(r.target) \(g.relationTypeName(r.type)) \(r.statement) \(r.alive) \(r.folded) \(r.txFrom) \(String(describing: m))")
            let p = g.properties(ofRelationship: Int32(i))
            for k in p.keys.sorted() { add("\(k)=\(p[k]!.encoded)") }
            if r.alive, g.claims(ofFact: Int32(i)).count > 1 { add("claims \(g.claims(ofFact: Int32(i)))") }
        }
        add("denials \(g.denialClaims)")
    }
}
