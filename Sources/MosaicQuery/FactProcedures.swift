import MosaicGraph

/// Procedures over the claims model (docs/facts.md), for hosts to register:
/// `CALL mosaic.conflicts() YIELD kind, fact, other, claim, reason`: every contradiction the
/// graph holds (denials, functional relations with two objects at once, relation types that
/// exclude each other). `fact` is null for a denial of something no claim asserts; `other`
/// is the conflicting fact, null for a denial (whose statement id is `claim`).
public enum FactProcedures {
    public static let conflicts = QueryProcedure(
        "mosaic.conflicts",
        outputs: [.init("kind", .string), .init("fact", .relationship), .init("other", .relationship),
                  .init("claim", .integer), .init("reason", .string)]) { _, graph in
        guard let g = (graph as? GraphView)?.graph else { return [] }
        return g.conflicts().map { c in
            let lone = c.kind == .denial && c.fact == c.other
            return [.string(c.kind.rawValue), lone ? .null : .relationship(Int(c.fact)),
                    c.kind == .denial ? .null : .relationship(Int(c.other)),
                    .int(Int(g.relationship(c.other).statement)), .string(g.reason(c))]
        }
    }
}
