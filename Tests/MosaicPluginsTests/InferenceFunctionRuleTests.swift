import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicPlugins

/// Function rules (what Lua rules become): errors, bad premises, explicit metadata.
final class InferenceFunctionRuleTests: XCTestCase {
    typealias F = InferenceFixture
    static let id = RuleID(plugin: "lua-demo", name: "flag", version: "0.1")

    func testAFailingRuleWritesNothing() throws {
        let (s, _) = try F.sample()
        struct Boom: Error, CustomStringConvertible { var description: String { "attempt to index a nil value (field 'x')" } }
        let bad = FunctionRule(Self.id, reads: ["PART_OF"], writes: ["flag"]) { _, _ in throw Boom() }
        let tx = s.lastTransaction
        XCTAssertThrowsError(try InferenceEngine.run(store: s, rules: [F.closure(), bad])) { e in
            XCTAssertTrue("\(e)".contains("rule lua-demo/flag@0.1 failed: attempt to index a nil value"), "\(e)")
        }
        XCTAssertEqual(s.lastTransaction, tx)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), [])
    }

    func testPremisesMustBeBelievedAndPresent() throws {
        let (s, ids) = try F.sample()
        let rule = FunctionRule(Self.id, reads: ["PART_OF"], writes: ["flag"]) { _, delta in
            delta.facts.filter(\.isRelation).flatMap { f -> [Derivation] in
                [.property(f.subject, "flag", .string("ok"), confidence: 0.42, premises: [f.id]),
                 .property(f.subject, "flag", .string("ghost"), premises: [f.id, 99_999])]   // an unknown premise: dropped
            }
        }
        let r = try InferenceEngine.run(store: s, rules: [rule])
        XCTAssertEqual(Set(r.added.map { Proof.describe($0) }), ["latakia-base.flag = ok", "latakia.flag = ok"])
        XCTAssertEqual(r.added.map(\.meta.confidence), [0.42, 0.42], "an explicit confidence wins over the policy")
        // The property conclusion is found again on the next run (no duplicate) and withdrawn with its premise.
        XCTAssertTrue(try InferenceEngine.run(store: s, rules: [rule]).changedNothing)
        try F.retract(s, ids["base-gov"]!)
        let r2 = try InferenceEngine.run(store: s, rules: [rule])
        XCTAssertEqual(r2.retracted.map { Proof.describe($0) }, ["latakia-base.flag = ok"])

        let empty = FunctionRule(RuleID(plugin: "lua-demo", name: "empty", version: "1"), reads: ["PART_OF"], writes: ["x"]) { _, delta in
            delta.facts.prefix(1).map { .property($0.subject, "x", .bool(true), premises: []) }
        }
        XCTAssertThrowsError(try InferenceEngine.run(store: s, rules: [empty])) { e in
            XCTAssertTrue("\(e)".contains("needs at least one premise"), "\(e)")
        }
    }

    func testDuplicateRuleNames() throws {
        let (s, _) = try F.sample()
        XCTAssertThrowsError(try InferenceEngine.run(store: s, rules: [F.closure(), F.closure()])) { e in
            XCTAssertTrue("\(e)".contains("defined twice"), "\(e)")
        }
    }
}
