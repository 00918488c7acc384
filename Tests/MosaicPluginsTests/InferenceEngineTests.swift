import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicPlugins

final class InferenceEngineTests: XCTestCase {
    typealias F = InferenceFixture

    func sample() throws -> (Store, [String: Int64]) { try F.sample() }

    func testClosureFromScratch() throws {
        let (s, _) = try sample()
        let r = try InferenceEngine.run(store: s, rules: [F.closure()])
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), ["latakia-base>latakia", "latakia-base>syria", "latakia>syria",
                                                   "strike-1>latakia", "strike-1>latakia-base", "strike-1>syria"])
        XCTAssertEqual(r.added.count, 6)
        XCTAssertNotNil(r.transaction)
        // latakia-base>syria: by the LOCATED_IN edge, and by PART_OF + latakia>syria.
        let g = s.graph
        let base = g.lookup(key: "latakia-base")!
        let rel = g.outgoing(base, type: g.relationTypeID("CONTAINED_IN")).first { g.node(g.relationship($0).target).key == "syria" }!
        XCTAssertEqual(try s.derivations(of: g.relationship(rel).statement).count, 2)
        XCTAssertEqual(g.origin(ofRelationship: rel), .plugin(name: "containment", version: "1.0", rule: "closure"))
        XCTAssertEqual(try s.derivedBy(g.relationship(rel).statement), ["containment/closure@1.0"])
        // Running again changes nothing.
        let again = try InferenceEngine.run(store: s, rules: [F.closure()])
        XCTAssertTrue(again.changedNothing)
        XCTAssertNil(again.transaction)
    }

    func testInheritedMetadata() throws {
        let (s, _) = try sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let g = s.graph
        let ev = g.lookup(key: "strike-1")!
        let toSyria = g.outgoing(ev, type: g.relationTypeID("CONTAINED_IN")).first { g.node(g.relationship($0).target).key == "syria" }!
        let m = g.meta(ofRelationship: toSyria)
        // First derivation found: strike-1 -> latakia-base (LOCATED_IN, B2, dated) then latakia-base -> syria.
        XCTAssertEqual(m.validFrom?.description, "2025-10-29")
        XCTAssertEqual(m.validTo?.description, "2025-10-29")
        XCTAssertTrue(m.sources.map(\.source).contains("art-4"))
        XCTAssertEqual(m.confidence!, m.sources.map(\.source).contains("art-3") ? 0.49 : 0.72, accuracy: 1e-6)
        XCTAssertEqual(m.grading?.description, m.sources.map(\.source).contains("art-3") ? "C3" : "B2")
    }

    func testTwoDerivationsOneRetractedTheFactStays() throws {
        let (s, ids) = try sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let before = try F.derivedState(s)
        let stmt = try XCTUnwrap(statementID(s, "latakia-base", "syria"))
        try F.retract(s, ids["base-country"]!)
        let r = try InferenceEngine.run(store: s, rules: [F.closure()])
        XCTAssertEqual(r.retracted.count, 0)
        XCTAssertEqual(statementID(s, "latakia-base", "syria"), stmt, "the fact keeps its statement")
        XCTAssertEqual(try s.derivations(of: stmt).count, 1)
        XCTAssertEqual(Set(try F.derivedState(s).keys), Set(before.keys))
        // Now cut the other path too: latakia-base no longer reaches syria, and neither does strike-1.
        try F.retract(s, ids["gov-country"]!)
        let r2 = try InferenceEngine.run(store: s, rules: [F.closure()])
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), ["latakia-base>latakia", "strike-1>latakia", "strike-1>latakia-base"])
        XCTAssertEqual(r2.retracted.count, 3)
        XCTAssertNil(statementID(s, "latakia-base", "syria"))
        // Closed, not deleted.
        XCTAssertNotNil(try s.statement(stmt)?.txTo)
    }

    func testAddingAPremiseDerivesIncrementally() throws {
        let (s, _) = try sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        try s.write(origin: .system("test")) { tx in
            try tx.assert(StatementDraft(subject: "hangar-3", kind: .entity(type: "Location"), meta: F.meta()))
        }
        try F.relate(s, "hangar-3", "PART_OF", "latakia-base")
        let r = try InferenceEngine.run(store: s, rules: [F.closure()])
        XCTAssertEqual(Set(r.added.map { Proof.describe($0) }),
                       ["hangar-3 -[CONTAINED_IN]-> latakia-base", "hangar-3 -[CONTAINED_IN]-> latakia", "hangar-3 -[CONTAINED_IN]-> syria"])
        XCTAssertEqual(r.retracted.count, 0)
    }

    func testStrataAndPatternOverDerivedFacts() throws {
        let (s, ids) = try sample()
        let r = try InferenceEngine.run(store: s, rules: [try F.countryRule(), F.closure()])
        XCTAssertEqual(r.strata, [["containment/closure@1.0"], ["containment/in-country@1.0"]])
        XCTAssertEqual(F.pairs(s, "IN_COUNTRY"), ["latakia-base>syria", "latakia>syria", "strike-1>syria"])
        try F.retract(s, ids["gov-country"]!)
        try F.retract(s, ids["base-country"]!)
        _ = try InferenceEngine.run(store: s, rules: [try F.countryRule(), F.closure()])
        XCTAssertEqual(F.pairs(s, "IN_COUNTRY"), [])
    }

    func testRuleVersionChangeRederives() throws {
        let (s, _) = try sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let old = F.pairs(s, "CONTAINED_IN")
        let v2 = RuleID(plugin: "containment", name: "closure", version: "2.0")
        let r = try InferenceEngine.run(store: s, rules: [F.closure(v2)])
        XCTAssertEqual(r.retracted.count, old.count)
        XCTAssertEqual(r.added.count, old.count)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), old)
        let g = s.graph
        for i in g.relationshipIndices where g.typeName(of: i) == "CONTAINED_IN" {
            XCTAssertEqual(g.origin(ofRelationship: i), v2.origin)
        }
        XCTAssertEqual(try s.inferenceRules().map(\.version), ["2.0"])
    }

    func testRemovingARuleRetractsWhatItDerivedButNeverAssertedFacts() throws {
        let (s, _) = try sample()
        // An analyst asserted one containment fact by hand.
        try F.relate(s, "strike-1", "CONTAINED_IN", "syria")
        _ = try InferenceEngine.run(store: s, rules: [F.closure(), try F.countryRule()])
        // The derivation joins the asserted fact as a second claim: one relationship, two claims.
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN").filter { $0 == "strike-1>syria" }.count, 1)
        let g = s.graph
        let fact = g.relationshipIndices.first { g.typeName(of: $0) == "CONTAINED_IN" && g.node(g.relationship($0).source).key == "strike-1"
            && g.node(g.relationship($0).target).key == "syria" }
        XCTAssertEqual(fact.map { g.claims(ofFact: $0).count }, 2)
        let r = try InferenceEngine.run(store: s, rules: [])
        XCTAssertEqual(r.retracted.count, 6 + 3)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), ["strike-1>syria"])
        XCTAssertEqual(F.pairs(s, "IN_COUNTRY"), [])
        XCTAssertEqual(try s.inferenceRules().count, 0)
    }

    func testNonConvergingRulesNameBothAndWriteNothing() throws {
        let (s, _) = try sample()
        func bump(_ name: String, reads: String, writes: String) -> FunctionRule {
            FunctionRule(RuleID(plugin: "loop", name: name, version: "1"), reads: [reads], writes: [writes]) { _, delta in
                delta.facts.compactMap { f in
                    guard case .property(_, .int(let n)) = f.kind else { return nil }
                    return .property(f.subject, writes, .int(n + 1), premises: [f.id])
                }
            }
        }
        try s.write(origin: .system("test")) { tx in
            try tx.assert(StatementDraft(subject: "syria", kind: .property(name: "ping", value: .int(0)), meta: F.meta()))
        }
        let tx = s.lastTransaction
        XCTAssertThrowsError(try InferenceEngine.run(store: s, rules: [bump("a", reads: "ping", writes: "pong"),
                                                                     bump("b", reads: "pong", writes: "ping"), F.closure()],
                                                     maxRounds: 12)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("loop/a@1") && text.contains("loop/b@1"), text)
            XCTAssertFalse(text.contains("containment"), text)
        }
        XCTAssertEqual(s.lastTransaction, tx)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), [])
        XCTAssertEqual(try s.inferenceRules().count, 0)
    }

    func testDryRunWritesNothing() throws {
        let (s, ids) = try sample()
        let dry = try InferenceEngine.run(store: s, rules: [F.closure()], dryRun: true)
        XCTAssertEqual(dry.added.count, 6)
        XCTAssertNil(dry.transaction)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), [])
        XCTAssertEqual(try s.inferenceRules().count, 0)
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        try F.retract(s, ids["gov-country"]!)
        let tx = s.lastTransaction
        let dry2 = try InferenceEngine.run(store: s, rules: [F.closure()], dryRun: true)
        XCTAssertEqual(dry2.retracted.count, 1)  // latakia>syria; latakia-base>syria keeps its LOCATED_IN
        XCTAssertTrue(dry2.summary().contains("would retract 1"), dry2.summary())
        XCTAssertEqual(s.lastTransaction, tx)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN").count, 6)
        // The real run does what the dry run said.
        let real = try InferenceEngine.run(store: s, rules: [F.closure()])
        XCTAssertEqual(real.retracted.map(\.id), dry2.retracted.map(\.id))
    }

    func testConditionAndEmptyIntersection() throws {
        let s = try F.store(entities: ["a": "Base", "b": "Governorate", "c": "Country", "d": "Country"])
        try F.relate(s, "a", "PART_OF", "b", meta: F.meta(grade: "E5"))                       // confidence 0.09
        try F.relate(s, "b", "PART_OF", "c", meta: F.meta(grade: "A1"))
        try F.relate(s, "c", "PART_OF", "d", meta: F.meta(from: "2020", to: "2020"))
        try F.relate(s, "b", "LOCATED_IN", "c", meta: F.meta(from: "2021", to: "2021"))
        _ = try InferenceEngine.run(store: s, rules: [F.closure(condition: PremiseCondition(minConfidence: 0.5))])
        // a>… needs the weak edge; b>d via the 2021 LOCATED_IN and the 2020 PART_OF never held together,
        // but b>d via the undated PART_OF b>c holds.
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), ["b>c", "b>d", "c>d"])
        let g = s.graph
        let bd = try XCTUnwrap(statementID(s, "b", "d"))
        XCTAssertEqual(try s.derivations(of: bd).count, 1)
        XCTAssertEqual(g.meta(ofRelationship: g.relationship(statement: bd)!).validFrom?.description, "2020")
    }

    func testConfidencePolicies() {
        let ms = [F.meta(grade: "A1"), F.meta(grade: "C3"), F.meta("art-9", grade: nil, confidence: 0.5)]
        func conf(_ p: InheritancePolicy.ConfidencePolicy) -> Double? {
            InheritancePolicy(confidence: p).meta(for: ms, explicit: StatementMeta(origin: .system("x")), origin: .system("o"))?.confidence
        }
        XCTAssertEqual(conf(.min), 0.49)
        XCTAssertEqual(conf(.product), 0.221)
        XCTAssertEqual(conf(.average), 0.63)
        XCTAssertEqual(conf(.custom { 1 - $0.reduce(1) { $0 * (1 - $1) } })!, 0.975, accuracy: 0.001)
        let m = InheritancePolicy.default.meta(for: ms, explicit: StatementMeta(origin: .system("x")), origin: .system("o"))!
        XCTAssertEqual(m.grading?.description, "C3")
        XCTAssertEqual(m.sources.map(\.source), ["art-1", "art-9"])
        XCTAssertNil(InheritancePolicy.default.meta(for: [F.meta(from: "2020", to: "2020"), F.meta(from: "2021", to: "2021")],
                                                    explicit: StatementMeta(origin: .system("x")), origin: .system("o")))
        let span = InheritancePolicy(validTime: .span).meta(for: [F.meta(from: "2020-03-01", to: "2020-03-01"), F.meta(from: "2020-03-05", to: "2020-03-05")],
                                                             explicit: StatementMeta(origin: .system("x")), origin: .system("o"))!
        XCTAssertEqual("\(span.validFrom!)–\(span.validTo!)", "2020-03-01–2020-03-05")
    }

    func statementID(_ s: Store, _ a: String, _ b: String, type: String = "CONTAINED_IN") -> Int64? {
        F.statementID(s, a, b, type: type)
    }
}
