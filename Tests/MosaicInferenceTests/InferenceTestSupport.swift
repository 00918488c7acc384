import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicInference

/// Small hand-built stores for the inference tests.
enum InferenceFixture {
    static let containment = RuleID(plugin: "containment", name: "closure", version: "1.0")
    static let inCountry = RuleID(plugin: "containment", name: "in-country", version: "1.0")

    static func closure(_ id: RuleID = containment, condition: PremiseCondition = .any, policy: InheritancePolicy = .default) -> TransitiveClosureRule {
        TransitiveClosureRule(id, over: ["PART_OF", "LOCATED_IN"], output: "CONTAINED_IN", condition: condition, policy: policy)
    }

    static func countryRule() throws -> PatternRule {
        try PatternRule(inCountry, edges: [.init("r", "a", ["CONTAINED_IN"], "c")], labels: ["c": "Country"],
                        produce: [.relation(from: "a", type: "IN_COUNTRY", to: "c")])
    }

    static func meta(_ source: String = "art-1", grade: String? = "B2", confidence: Double? = nil,
                     from: String? = nil, to: String? = nil) -> StatementMeta {
        StatementMeta(validFrom: from.flatMap(PartialDate.init), validTo: to.flatMap(PartialDate.init),
                      sources: [Citation(source: source)], grading: grade.flatMap(Grading.init), confidence: confidence,
                      origin: .file(path: "kb/test.yaml", line: 1))
    }

    /// Writes entities (`key: type`) and returns the store.
    static func store(entities: [String: String]) throws -> Store {
        let s = try Store.inMemory()
        try s.write(origin: .system("test")) { tx in
            for (k, t) in entities.sorted(by: { $0.key < $1.key }) {
                try tx.assert(StatementDraft(subject: k, kind: .entity(type: t), meta: meta()))
            }
        }
        return s
    }

    @discardableResult
    static func relate(_ store: Store, _ a: String, _ type: String, _ b: String, meta m: StatementMeta = meta()) throws -> Int64 {
        var id: Int64 = 0
        try store.write(origin: .system("test")) { tx in
            id = try tx.assert(StatementDraft(subject: a, kind: .relation(type: type, target: b, properties: [:]), meta: m))
        }
        return id
    }

    static func retract(_ store: Store, _ id: Int64) throws {
        try store.write(origin: .system("test")) { tx in try tx.retract(id) }
    }

    /// Live relations of a type as `a>b`, sorted.
    static func pairs(_ store: Store, _ type: String) -> [String] {
        let g = store.graph
        return g.relationshipIndices.filter { g.typeName(of: $0) == type }.map {
            let r = g.relationship($0); return "\(g.node(r.source).key)>\(g.node(r.target).key)"
        }.sorted()
    }

    /// Every live derived claim with its derivations, by content: a claim is its statement's
    /// text, origin, valid time and grade (one conclusion derived with two valid times or
    /// grades is two claims of one fact, and both are listed, the folded one too); a
    /// derivation is the sorted contents of its premises. Two stores agree on this when they
    /// derived the same.
    static func derivedState(_ store: Store) throws -> [String: Set<[String]>] {
        let g = store.graph
        var out: [String: Set<[String]>] = [:]
        var content: [Int64: String] = [:]
        func text(_ id: Int64) throws -> String {
            if let t = content[id] { return t }
            guard let s = try store.statement(id) else { return "?\(id)" }
            var t = "\(Proof.describe(s)) [\(s.meta.origin)]"
            if s.meta.origin.isDerived {
                t += " valid \(s.meta.validFrom?.description ?? "-")–\(s.meta.validTo?.description ?? "-")"
                t += " grade \(s.meta.grading?.description ?? "-")"
            }
            content[id] = t
            return t
        }
        for r in g.relationshipIndices {
            for c in g.claims(ofFact: r) where g.origin(ofRelationship: c).isDerived {
                let sid = g.relationship(c).statement
                let ds = try store.derivations(of: sid)
                XCTAssertFalse(ds.isEmpty, "derived statement #\(sid) has no open derivation")
                var set = Set<[String]>()
                for d in ds { set.insert(try d.premises.map(text).sorted()) }
                let key = try text(sid)
                XCTAssertNil(out[key], "two live claims say \(key)")
                out[key] = set
            }
        }
        return out
    }

    /// The claims of the fact `a -[type]-> b` (its own first), nil when there is no such fact.
    static func claims(_ s: Store, _ a: String, _ b: String, type: String = "CONTAINED_IN") -> [Int64]? {
        let g = s.graph
        guard let n = g.lookup(key: a), let t = g.relationTypeID(type),
              let r = g.outgoing(n, type: t).first(where: { g.node(g.relationship($0).target).key == b }) else { return nil }
        return g.claims(ofFact: r).map { g.relationship($0).statement }
    }

    /// latakia-base PART_OF latakia PART_OF syria; latakia-base LOCATED_IN syria;
    /// strike-1 LOCATED_IN latakia-base.
    static func sample() throws -> (Store, [String: Int64]) {
        let s = try store(entities: ["syria": "Country", "latakia": "Governorate", "latakia-base": "Base", "strike-1": "Event"])
        var ids: [String: Int64] = [:]
        ids["base-gov"] = try relate(s, "latakia-base", "PART_OF", "latakia", meta: meta("art-1", grade: "B2"))
        ids["gov-country"] = try relate(s, "latakia", "PART_OF", "syria", meta: meta("art-2", grade: "A1"))
        ids["base-country"] = try relate(s, "latakia-base", "LOCATED_IN", "syria", meta: meta("art-3", grade: "C3"))
        ids["event-base"] = try relate(s, "strike-1", "LOCATED_IN", "latakia-base", meta: meta("art-4", grade: "B2", from: "2025-10-29", to: "2025-10-29"))
        return (s, ids)
    }

    static func statementID(_ s: Store, _ a: String, _ b: String, type: String = "CONTAINED_IN") -> Int64? {
        let g = s.graph
        guard let n = g.lookup(key: a), let t = g.relationTypeID(type) else { return nil }
        return g.outgoing(n, type: t).first { g.node(g.relationship($0).target).key == b }.map { g.relationship($0).statement }
    }
}
