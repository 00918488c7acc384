import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore
@testable import MosaicInference

/// After random sequences of asserts and retracts, incremental truth maintenance leaves the
/// same derived claims (by content, valid time and grade), with the same derivations, as a
/// fresh run over the same base facts.
final class InferencePropertyTests: XCTestCase {
    typealias F = InferenceFixture

    struct Rng: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static let entities: [String: String] = ["n0": "Country", "n1": "Country", "n2": "Governorate", "n3": "Governorate",
                                             "n4": "Base", "n5": "Base", "n6": "Event", "n7": "Event"]

    func rules() throws -> [any Rule] { [F.closure(), try F.countryRule()] }

    func testIncrementalEqualsFromScratch() throws {
        var derivedSeen = 0
        for seed in 1...6 {
            var rng = Rng(state: UInt64(seed))
            let store = try F.store(entities: Self.entities)
            var live: [String: Int64] = [:]   // "a TYPE b" -> statement
            let keys = Self.entities.keys.sorted()
            for step in 0..<10 {
                // One to three writes between inference runs; cycles are allowed.
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    if !live.isEmpty && Int.random(in: 0..<3, using: &rng) == 0 {
                        let k = live.keys.sorted().randomElement(using: &rng)!
                        try F.retract(store, live.removeValue(forKey: k)!)
                    } else {
                        let a = keys.randomElement(using: &rng)!, b = keys.randomElement(using: &rng)!
                        let t = Bool.random(using: &rng) ? "PART_OF" : "LOCATED_IN"
                        let k = "\(a) \(t) \(b)"
                        guard a != b, live[k] == nil else { continue }
                        let dated = Int.random(in: 0..<4, using: &rng) == 0
                        // Two grades and two precisions: a conclusion is derived with several valid
                        // times and grades, so facts of several claims are compared too.
                        let grade = Int.random(in: 0..<3, using: &rng) == 0 ? "C3" : "B2"
                        let date = Bool.random(using: &rng) ? "2024" : "2024-05"
                        live[k] = try F.relate(store, a, t, b, meta: F.meta("art-\(step)", grade: grade, from: dated ? date : nil, to: dated ? date : nil))
                    }
                }
                _ = try InferenceEngine.run(store: store, rules: try rules())
                // A fresh store with the same base facts, inferred from scratch.
                let fresh = try F.store(entities: Self.entities)
                for k in live.keys.sorted() {
                    let s = try XCTUnwrap(try store.statement(live[k]!))
                    try fresh.write(origin: .system("test")) { tx in try tx.assert(s.draft) }
                }
                _ = try InferenceEngine.run(store: fresh, rules: try rules())
                let got = try F.derivedState(store), want = try F.derivedState(fresh)
                XCTAssertEqual(got.keys.sorted(), want.keys.sorted(), "seed \(seed) step \(step)")
                XCTAssertEqual(got, want, "seed \(seed) step \(step): derivations differ")
                derivedSeen += got.count
                if got != want { return }
            }
        }
        XCTAssertGreaterThan(derivedSeen, 100, "the random graphs derived too little to test anything")
    }
}
