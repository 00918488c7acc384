import MosaicGraph

/// What `mosaic why` says about the fact a statement belongs to, before each claim's proof:
/// its claims and why they are one fact, its corroboration, grade and disputes. nil for a
/// statement that is no relation claim, or a fact with one claim and no dispute (then the
/// proof alone says it all).
struct FactExplanation {
    let graph: Graph
    let fact: Int32
    let claims: [Int64]

    init?(graph: Graph, statement id: Int64) {
        guard let r = graph.relationship(statement: id) else { return nil }
        if let f = graph.fact(ofClaim: r) {
            guard graph.claims(ofFact: f).count > 1 || graph.isDisputed(f) else { return nil }
            fact = f
        } else if graph.relationship(r).believed {
            fact = r   // a denial
        } else { return nil }
        self.graph = graph
        claims = graph.claims(ofFact: fact).map { graph.relationship($0).statement }
    }

    var isDenial: Bool { !graph.relationship(fact).alive }

    var text: String {
        let g = graph
        if isDenial {
            let denied = g.conflicts().filter { $0.kind == .denial && $0.other == fact }
            var out = "Denial #\(g.relationship(fact).statement): \(g.summary(ofClaim: fact)) does not hold, says \(g.sources(ofRelationship: fact).map(\.source).joined(separator: ", "))"
            for c in denied { out += "\n  " + g.reason(c) }
            return out
        }
        let origins = Set(g.citations(ofFact: fact).map { $0.citation.origin }).sorted()
        var out = "Fact #\(g.relationship(fact).statement): \(g.summary(ofClaim: fact))"
        out += "\n  \(claims.count) claim\(claims.count == 1 ? "" : "s"): \(claims.map { "#\($0)" }.joined(separator: ", "))"
        if claims.count > 1 {
            out += " (one fact: same subject, type, object and properties, compatible valid times, no source in common)"
        }
        out += "\n  corroboration \(g.corroboration(ofFact: fact)): independent origin\(origins.count == 1 ? "" : "s") \(origins.joined(separator: ", "))"
        if let grade = g.grading(ofFact: fact) {
            out += "\n  grade \(grade)" + (g.corroboration(ofFact: fact) >= 2
                ? " (best reliability of its claims; credibility 1: confirmed by independent origins)"
                : " (best reliability and credibility of its claims)")
        }
        for d in g.denials(ofFact: fact) {
            out += "\n  DISPUTED: denied by #\(g.relationship(d).statement) (\(g.sources(ofRelationship: d).map(\.source).joined(separator: ", "))\(g.relationship(d).grading.map { ", \($0)" } ?? ""))"
        }
        for c in g.conflicts(of: fact) { out += "\n  DISPUTED: " + g.reason(c) }
        return out
    }

    var json: Value {
        let g = graph
        return .map([
            "statement": .int(g.relationship(fact).statement), "summary": .string(g.summary(ofClaim: fact)),
            "denial": .bool(isDenial), "claims": .list(claims.map(Value.int)),
            "corroboration": .int(Int64(isDenial ? 0 : g.corroboration(ofFact: fact))),
            "grading": (isDenial ? g.relationship(fact).grading : g.grading(ofFact: fact)).map { .string($0.description) } ?? .null,
            "disputed": .bool(!isDenial && g.isDisputed(fact)),
            "denials": .list(isDenial ? [] : g.denials(ofFact: fact).map { .int(g.relationship($0).statement) }),
        ])
    }
}
