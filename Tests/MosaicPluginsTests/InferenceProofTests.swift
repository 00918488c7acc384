import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicPlugins

final class InferenceProofTests: XCTestCase {
    typealias F = InferenceFixture

    func testProofTreeDownToCitations() throws {
        let (s, ids) = try F.sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let sid = try XCTUnwrap(F.statementID(s, "strike-1", "syria"))
        let proof = try Proof.build(store: s, statement: sid)
        XCTAssertTrue(proof.derived)
        XCTAssertEqual(proof.derivations.count, 1)
        XCTAssertEqual(proof.derivations[0].rule, "closure")
        XCTAssertEqual(proof.derivations[0].premises.map(\.text), ["strike-1 -[LOCATED_IN]-> latakia-base", "latakia-base -[CONTAINED_IN]-> syria"])
        // latakia-base -> syria has two derivations; the leaves are the four asserted edges.
        XCTAssertEqual(proof.derivations[0].premises[1].derivations.count, 2)
        XCTAssertEqual(proof.groundPremises.map(\.statement), ids.values.sorted())
        XCTAssertEqual(proof.groundPremises.flatMap(\.sources).map(\.source).sorted(), ["art-1", "art-2", "art-3", "art-4"])
        let text = proof.render()
        XCTAssertTrue(text.hasPrefix("#\(sid) strike-1 -[CONTAINED_IN]-> syria"), text)
        XCTAssertTrue(text.contains("derivation 2 of 2: by rule containment/closure@1.0 from"), text)
        XCTAssertTrue(text.contains("asserted by kb/test.yaml:1"), text)
        XCTAssertEqual(try JSONDecoder().decode(Proof.self, from: Data(try proof.json().utf8)), proof)
        if ProcessInfo.processInfo.environment["MOSAIC_PRINT_PROOF"] != nil { print(text) }
    }

    func testProofOfAnAssertedStatementIsItsSources() throws {
        let (s, ids) = try F.sample()
        let p = try Proof.build(store: s, statement: ids["gov-country"]!)
        XCTAssertFalse(p.derived)
        XCTAssertEqual(p.sources.map(\.source), ["art-2"])
        XCTAssertEqual(p.grading, "A1")
        XCTAssertTrue(p.render().contains("[1] art-2"))
        XCTAssertThrowsError(try Proof.build(store: s, statement: 9_999))
    }

    func testProofOfARetractedDerivedStatement() throws {
        let (s, ids) = try F.sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let sid = try XCTUnwrap(F.statementID(s, "latakia", "syria"))
        try F.retract(s, ids["gov-country"]!)
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let p = try Proof.build(store: s, statement: sid)
        XCTAssertNotNil(p.retractedAt)
        XCTAssertEqual(p.derivations.first?.premises.map(\.statement), [ids["gov-country"]!])
        XCTAssertTrue(p.render().contains("[retracted in transaction"))
    }
}
