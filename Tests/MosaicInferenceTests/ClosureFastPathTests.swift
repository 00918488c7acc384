import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicInference

/// The fast path of a transitive closure run from scratch (ClosureFixpoint.swift) plans
/// exactly what the generic semi-naive loop plans: the same statements with the same ids and
/// metadata, the same derivations in the same order, the same rounds.
final class ClosureFastPathTests: XCTestCase {
    typealias F = InferenceFixture

    /// A random store: entities, PART_OF / LOCATED_IN / other edges (cycles and self-loops
    /// allowed), some dated, some with low confidence or another source, and a few asserted
    /// CONTAINED_IN facts.
    func randomStore(seed: UInt64) throws -> Store {
        var rng = InferencePropertyTests.Rng(state: seed)
        let n = 12 + Int(seed % 7)
        var entities: [String: String] = [:]
        for k in 0..<n { entities["n\(k)"] = ["Country", "Governorate", "Base"][k % 3] }
        let store = try F.store(entities: entities)
        try store.write(origin: .system("test")) { tx in
            for _ in 0..<(n * 2) {
                let a = "n\(Int.random(in: 0..<n, using: &rng))", b = "n\(Int.random(in: 0..<n, using: &rng))"
                let type = ["PART_OF", "LOCATED_IN", "NEAR", "PART_OF", "CONTAINED_IN"][Int.random(in: 0..<5, using: &rng)]
                let dated = Int.random(in: 0..<3, using: &rng) == 0
                let m = F.meta(Bool.random(using: &rng) ? "art-1" : "art-2", confidence: Int.random(in: 0..<4, using: &rng) == 0 ? 0.3 : nil,
                               from: dated ? "20\(10 + Int.random(in: 0..<10, using: &rng))" : nil,
                               to: dated ? "2030" : nil)
                try tx.assert(StatementDraft(subject: a, kind: .relation(type: type, target: b, properties: [:]), meta: m))
            }
        }
        return store
    }

    struct Plan: Equatable {
        var statements: [String]
        var derivations: [String]
        var rounds: Int
    }

    func plan(_ store: Store, _ rules: [any Rule], fast: Bool) throws -> Plan {
        let run = try InferenceRun(store: store, rules: rules, maxRounds: InferenceEngine.defaultMaxRounds, closureFastPath: fast)
        let result = try run.execute(dryRun: true)
        return Plan(statements: run.newStatements.map { "#\($0.id) \($0.draft)" },
                    derivations: run.newDerivations.map { "#\($0.statement) \($0.rule) \($0.premises)" },
                    rounds: result.rounds)
    }

    func rules(_ variant: Int) throws -> [any Rule] {
        switch variant % 4 {
        case 0: return [F.closure()]
        case 1: return [F.closure(policy: InheritancePolicy(validTime: .none)), try F.countryRule()]
        case 2: return [F.closure(condition: PremiseCondition(minConfidence: 0.5))]
        default: return [F.closure(condition: PremiseCondition(sources: ["art-1"]), policy: InheritancePolicy(validTime: .span))]
        }
    }

    func testFastPathPlansWhatTheGenericLoopPlans() throws {
        var derived = 0
        for seed in UInt64(1)...24 {
            let store = try randomStore(seed: seed)
            let rules = try rules(Int(seed))
            let fast = try plan(store, rules, fast: true), slow = try plan(store, rules, fast: false)
            XCTAssertEqual(fast, slow, "seed \(seed)")
            derived += fast.statements.count
        }
        XCTAssertGreaterThan(derived, 100)
    }

    /// A new version of the rule runs from scratch while the old version's derived facts are
    /// withdrawn (hidden) in the same run.
    func testFastPathAfterARuleVersionChange() throws {
        for seed in UInt64(30)...37 {
            let store = try randomStore(seed: seed)
            _ = try InferenceEngine.run(store: store, rules: [F.closure()])
            let v2 = [F.closure(RuleID(plugin: "containment", name: "closure", version: "2.0"))]
            let fast = try plan(store, v2, fast: true), slow = try plan(store, v2, fast: false)
            XCTAssertEqual(fast, slow, "seed \(seed)")
            XCTAssertFalse(fast.statements.isEmpty, "seed \(seed)")
        }
    }
}
