import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicInference

/// Function rules (what Lua rules become): errors, bad premises, explicit metadata.
final class InferenceFunctionRuleTests: XCTestCase {
    typealias F = InferenceFixture
    static let id = RuleID(plugin: "lua-demo", name: "flag", version: "0.1")

    /// A failing rule is skipped with the rules that read its writes; the others run and
    /// their facts are written.
    func testAFailingRuleIsSkippedAndTheOthersGoOn() throws {
        let (s, _) = try F.sample()
        struct Boom: Error, CustomStringConvertible { var description: String { "attempt to index a nil value (field 'x')" } }
        let bad = FunctionRule(Self.id, reads: ["PART_OF"], writes: ["flag"]) { _, _ in throw Boom() }
        let after = FunctionRule(RuleID(plugin: "other", name: "after", version: "1"), reads: ["flag"], writes: ["flag2"]) { _, _ in [] }
        let r = try InferenceEngine.run(store: s, rules: [F.closure(), bad, after])
        XCTAssertEqual(r.failures.map(\.rule), ["lua-demo/flag@0.1", "other/after@1"])
        XCTAssertTrue(r.failures[0].message.contains("attempt to index a nil value") && !r.failures[0].skipped, "\(r.failures)")
        XCTAssertTrue(r.failures[1].skipped && r.failures[1].message.contains("lua-demo/flag@0.1"), "\(r.failures)")
        XCTAssertFalse(F.pairs(s, "CONTAINED_IN").isEmpty, "the closure ran and was written")
    }

    /// A held plugin (present, failed to load) keeps what its rules derived; the same
    /// plugin gone (not held) has it retracted.
    func testAHeldPluginKeepsItsDerivedFacts() throws {
        let (s, _) = try F.sample()
        _ = try InferenceEngine.run(store: s, rules: [F.closure()])
        let derived = F.pairs(s, "CONTAINED_IN")
        XCTAssertFalse(derived.isEmpty)
        let ids = derived.map { p in F.statementID(s, String(p.split(separator: ">")[0]), String(p.split(separator: ">")[1])) }
        let held = try InferenceEngine.run(store: s, rules: [], held: [F.containment.plugin])
        XCTAssertTrue(held.retracted.isEmpty)
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), derived)
        // Back, rescanned: the same statements (same ids), nothing new or withdrawn.
        let back = try InferenceEngine.run(store: s, rules: [F.closure()], rescan: [F.containment.plugin])
        XCTAssertTrue(back.added.isEmpty && back.retracted.isEmpty, back.summary())
        XCTAssertEqual(derived.map { p in F.statementID(s, String(p.split(separator: ">")[0]), String(p.split(separator: ">")[1])) }, ids)
        _ = try InferenceEngine.run(store: s, rules: [])
        XCTAssertEqual(F.pairs(s, "CONTAINED_IN"), [], "gone, not held: retracted")
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
        let failed = try InferenceEngine.run(store: s, rules: [empty])
        XCTAssertTrue(failed.failures.first?.message.contains("needs at least one premise") ?? false, "\(failed.failures)")
    }

    func testDuplicateRuleNames() throws {
        let (s, _) = try F.sample()
        XCTAssertThrowsError(try InferenceEngine.run(store: s, rules: [F.closure(), F.closure()])) { e in
            XCTAssertTrue("\(e)".contains("defined twice"), "\(e)")
        }
    }
}
