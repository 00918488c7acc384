import MosaicGraph

/// A 64-bit digest of everything a graph snapshot holds that readers can see (nodes with
/// labels, properties and their statements; relationships with type, ends, metadata and
/// properties; type order; counters), to check that a loader optimisation builds exactly
/// the same snapshot: `mosaic-bench --digest STORE` before and after.
struct GraphDigest {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325

    private mutating func add(_ s: String) {
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ 0xFF) &* 0x100_0000_01b3
    }

    static func of(_ g: Graph) -> UInt64 {
        var d = GraphDigest()
        d.add("tx \(g.transaction) next \(g.nextStatementID) nodes \(g.liveNodeCount) rels \(g.liveRelationshipCount)")
        d.add(g.relationTypes.joined(separator: ","))
        d.add(g.labels.map { "\($0):\(g.nodes(withLabel: $0))" }.joined(separator: ";"))
        for (i, n) in g.nodes.enumerated() {
            d.add("\(i) \(n.key) \(n.labels) \(n.statement) \(n.alive)")
            for k in n.properties.keys.sorted() { d.add("\(k)=\(n.properties[k]!.encoded)@\(n.propertyStatements[k] ?? -1)") }
            for k in n.labelStatements.keys.sorted() { d.add("L\(k)@\(n.labelStatements[k]!)") }
            if let name = n.name { d.add("named \(g.nodes(named: name))") }
            d.add("out \(g.outList(Int32(i))) in \(g.inList(Int32(i)))")
        }
        for (i, r) in g.relationships.enumerated() {
            let m = g.meta(ofRelationship: Int32(i))
            d.add("\(r.source) \(r.target) \(g.relationTypeName(r.type)) \(r.statement) \(r.alive) \(r.txFrom) \(String(describing: m))")
            let p = g.properties(ofRelationship: Int32(i))
            for k in p.keys.sorted() { d.add("\(k)=\(p[k]!.encoded)") }
        }
        return d.h
    }
}
