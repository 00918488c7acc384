import XCTest
@testable import MosaicGraph

/// The fact-claim table answers as the dictionary it wraps, through random writes: its bit
/// per fact must follow every entry made, changed and removed.
final class FactClaimTableTests: XCTestCase {
    func testAgreesWithADictionaryThroughRandomWrites() {
        var table = FactClaimTable()
        var reference: [Int32: [Int32]] = [:]
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        for step in 0..<20_000 {
            let r = Int32(next(step < 10_000 ? 300 : 5_000))
            switch next(4) {
            case 0:
                let c = Int32(next(5_000))
                table.append(c, to: r)
                reference[r, default: [r]].append(c)
            case 1:
                let v: [Int32]? = next(3) == 0 ? nil : [r, Int32(next(100))]
                table[r] = v
                reference[r] = v
            case 2:
                XCTAssertEqual(table.removeValue(forKey: r), reference.removeValue(forKey: r))
            default:
                XCTAssertEqual(table[r], reference[r])
            }
            XCTAssertEqual(table.contains(r), reference[r] != nil)
        }
        XCTAssertEqual(table.members, reference)
        XCTAssertEqual(table.count, reference.count)
        for r in Int32(0)..<5_100 { XCTAssertEqual(table[r], reference[r], "\(r)") }
        let rebuilt = FactClaimTable(reference)
        XCTAssertEqual(rebuilt.members, reference)
        for r in Int32(0)..<5_100 { XCTAssertEqual(rebuilt.contains(r), reference[r] != nil) }
    }
}
