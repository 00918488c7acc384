import XCTest
@testable import MosaicGraph

/// `ChunkedArray` against `Array` under random appends, writes and copies (each copy must
/// keep its own values: copy-on-write by chunk), with elements that are themselves arrays.
final class ChunkedArrayTests: XCTestCase {
    func testCopiesKeepTheirOwnValuesUnderRandomWrites() {
        var rng = SystemRandomNumberGenerator()
        var model: [[[Int32]]] = [[]]
        var arrays: [ChunkedArray<[Int32]>] = [ChunkedArray()]
        for step in 0..<60_000 {
            let k = Int.random(in: 0..<arrays.count, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...4:
                let e = [Int32(step), Int32(k)]
                arrays[k].append(e); model[k].append(e)
            case 5...7 where !model[k].isEmpty:
                let i = Int.random(in: 0..<model[k].count, using: &rng)
                arrays[k][i].append(Int32(step)); model[k][i].append(Int32(step))
            case 8 where arrays.count < 6:
                arrays.append(arrays[k]); model.append(model[k])
            case 9 where arrays.count > 1:
                arrays.remove(at: k); model.remove(at: k)
            default: break
            }
        }
        for (a, m) in zip(arrays, model) { XCTAssertEqual(Array(a), m) }
    }
}
