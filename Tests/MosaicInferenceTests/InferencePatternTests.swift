import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicInference

/// Join rules over dated flights: activity and routes.
final class InferencePatternTests: XCTestCase {
    typealias F = InferenceFixture

    static let activity = RuleID(plugin: "activity", name: "busy-base", version: "1")
    static let routes = RuleID(plugin: "routes", name: "route", version: "1")

    /// Two landings of the same aircraft at a base within 7 days: the base is active over that span.
    func activityRule() throws -> PatternRule {
        try PatternRule(Self.activity, edges: [.init("f1", "a", ["FLEW_TO"], "b"), .init("f2", "a", ["FLEW_TO"], "b")],
                        labels: ["a": "Aircraft", "b": "Base"],
                        where: { m in m.daysBetween("f1", "f2").map { $0 > 0 && $0 <= 7 } ?? false },
                        produce: [.property(on: "b", name: "active", value: .bool(true))],
                        policy: InheritancePolicy(validTime: .span))
    }

    /// An aircraft at A then at B within 3 days: a logistics route A -> B.
    func routeRule() throws -> PatternRule {
        try PatternRule(Self.routes, edges: [.init("f1", "a", ["FLEW_TO"], "x"), .init("f2", "a", ["FLEW_TO"], "y")],
                        labels: ["a": "Aircraft"],
                        where: { m in m.key("x") != m.key("y") && (m.daysBetween("f1", "f2").map { $0 >= 0 && $0 <= 3 } ?? false) },
                        produce: [.relation(from: "x", type: "ROUTE", to: "y")],
                        policy: InheritancePolicy(confidence: .product, validTime: .span))
    }

    func flights() throws -> (Store, [String: Int64]) {
        let s = try F.store(entities: ["il-76": "Aircraft", "an-124": "Aircraft", "hmeimim": "Base", "al-khadim": "Base"])
        var ids: [String: Int64] = [:]
        func fly(_ a: String, _ b: String, _ d: String, _ src: String) throws {
            ids["\(a)>\(b)@\(d)"] = try F.relate(s, a, "FLEW_TO", b, meta: F.meta(src, grade: "B2", from: d, to: d))
        }
        try fly("il-76", "al-khadim", "2025-10-01", "art-1")
        try fly("il-76", "hmeimim", "2025-10-02", "art-1")
        try fly("il-76", "hmeimim", "2025-10-06", "art-2")
        try fly("il-76", "hmeimim", "2025-11-20", "art-3")
        try fly("an-124", "hmeimim", "2025-10-03", "art-2")
        return (s, ids)
    }

    func activeStatements(_ s: Store) throws -> [MosaicGraph.Statement] {
        try s.statements(subject: "hmeimim").filter { if case .property("active", _) = $0.kind { return true }; return false }
            + s.statements(subject: "al-khadim").filter { if case .property("active", _) = $0.kind { return true }; return false }
    }

    func testActivityAndRoutes() throws {
        let (s, ids) = try flights()
        let r = try InferenceEngine.run(store: s, rules: [try activityRule(), try routeRule()])
        // Only hmeimim saw one aircraft twice within a week (10-02 and 10-06).
        let active = try activeStatements(s)
        XCTAssertEqual(active.map(\.subject), ["hmeimim"])
        XCTAssertEqual("\(active[0].meta.validFrom!)–\(active[0].meta.validTo!)", "2025-10-02–2025-10-06")
        XCTAssertEqual(Set(active[0].meta.sources.map(\.source)), ["art-1", "art-2"])
        XCTAssertEqual(try s.derivations(of: active[0].id).map(\.premises),
                       [[ids["il-76>hmeimim@2025-10-02"]!, ids["il-76>hmeimim@2025-10-06"]!]])
        // The Libya-style link: al-khadim -> hmeimim, one day apart.
        XCTAssertEqual(F.pairs(s, "ROUTE"), ["al-khadim>hmeimim"])
        XCTAssertEqual(r.added.count, 2)
        let route = try XCTUnwrap(F.statementID(s, "al-khadim", "hmeimim", type: "ROUTE"))
        XCTAssertEqual(try s.statement(route)?.meta.confidence ?? 0, 0.72 * 0.72, accuracy: 0.001)

        // A fourth landing within a week of 11-20 adds a second activity (a new span). A property
        // value is not grouped into facts by the graph (it shows the last statement), so a
        // derived property stays one statement with its first derivation's span; a relation
        // derived over another span would be another claim of its fact (InferenceEngineTests).
        try F.relate(s, "il-76", "FLEW_TO", "hmeimim", meta: F.meta("art-4", from: "2025-11-25", to: "2025-11-25"))
        let r2 = try InferenceEngine.run(store: s, rules: [try activityRule(), try routeRule()])
        XCTAssertEqual(r2.added.count, 0, "the same conclusion gains a derivation, not a new statement")
        XCTAssertEqual(try s.derivations(of: active[0].id).count, 2)

        // Retract the 10-06 landing: the first derivation goes, the fact stays on the second.
        try F.retract(s, ids["il-76>hmeimim@2025-10-06"]!)
        let r3 = try InferenceEngine.run(store: s, rules: [try activityRule(), try routeRule()])
        XCTAssertEqual(r3.retracted.count, 0)
        XCTAssertEqual(try s.derivations(of: active[0].id).count, 1)
        // Retract the al-khadim flight: the route goes.
        try F.retract(s, ids["il-76>al-khadim@2025-10-01"]!)
        let r4 = try InferenceEngine.run(store: s, rules: [try activityRule(), try routeRule()])
        XCTAssertEqual(r4.retracted.map(\.id), [route])
        XCTAssertEqual(F.pairs(s, "ROUTE"), [])
    }

    func testPatternValidation() {
        XCTAssertThrowsError(try PatternRule(Self.routes, edges: [.init("f1", "a", ["FLEW_TO"], "x"), .init("f2", "b", ["FLEW_TO"], "y")],
                                             produce: [.relation(from: "x", type: "ROUTE", to: "y")])) { e in
            XCTAssertTrue("\(e)".contains("not connected"), "\(e)")
        }
        XCTAssertThrowsError(try PatternRule(Self.routes, edges: [.init("f1", "a", ["FLEW_TO"], "x")],
                                             produce: [.relation(from: "x", type: "ROUTE", to: "z")])) { e in
            XCTAssertTrue("\(e)".contains("'z'"), "\(e)")
        }
    }
}
