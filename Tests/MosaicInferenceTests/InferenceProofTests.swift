import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicInference

final class InferenceProofTests: XCTestCase {
    typealias F = InferenceFixture

    func testProofTreeDownToCitations() throws {
        let (s, ids) = try F.sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        // strike-1 -> syria is one fact with two claims: latakia-base -> syria is derived by the
        // LOCATED_IN edge (C3) and by PART_OF + latakia -> syria (B2), two claims of one fact, and
        // strike-1 -> syria rests on each (before, one statement whose premise had two derivations).
        let claims = try XCTUnwrap(F.claims(s, "strike-1", "syria"))
        XCTAssertEqual(claims.count, 2)
        let proofs = try claims.map { try Proof.build(store: s, statement: $0) }
        XCTAssertEqual(proofs.map(\.grading), ["C3", "B2"])
        for proof in proofs {
            XCTAssertTrue(proof.derived)
            XCTAssertEqual(proof.derivations.count, 1)
            XCTAssertEqual(proof.derivations[0].rule, "closure")
            XCTAssertEqual(proof.derivations[0].premises.map(\.text), ["strike-1 -[LOCATED_IN]-> latakia-base", "latakia-base -[CONTAINED_IN]-> syria"])
            XCTAssertEqual(proof.derivations[0].premises[1].derivations.count, 1)
        }
        XCTAssertEqual(proofs[0].groundPremises.map(\.statement), [ids["base-country"]!, ids["event-base"]!].sorted())
        XCTAssertEqual(proofs[1].groundPremises.map(\.statement), [ids["base-gov"]!, ids["gov-country"]!, ids["event-base"]!].sorted())
        // Together the claims rest on the four asserted edges.
        XCTAssertEqual(Set(proofs.flatMap(\.groundPremises).map(\.statement)), Set(ids.values))
        XCTAssertEqual(Set(proofs.flatMap(\.groundPremises).flatMap(\.sources).map(\.source)), ["art-1", "art-2", "art-3", "art-4"])
        let text = proofs[1].render()
        XCTAssertTrue(text.hasPrefix("#\(claims[1]) strike-1 -[CONTAINED_IN]-> syria  (valid 2025-10-29–2025-10-29, B2"), text)
        XCTAssertTrue(text.contains("latakia -[CONTAINED_IN]-> syria  (A1"), text)
        XCTAssertTrue(text.contains("asserted by kb/test.yaml:1"), text)
        for proof in proofs { XCTAssertEqual(try JSONDecoder().decode(Proof.self, from: Data(try proof.json().utf8)), proof) }
        if ProcessInfo.processInfo.environment["MOSAIC_PRINT_PROOF"] != nil { for p in proofs { print(p.render()) } }
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
