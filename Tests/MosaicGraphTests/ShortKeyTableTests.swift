import XCTest
@testable import MosaicGraph

/// `ShortKeyTable` holds short ASCII keys and answers as a `[String: Int32]` does for them,
/// refusing the others; a copy is a value.
final class ShortKeyTableTests: XCTestCase {
    func testItAnswersAsADictionaryForTheKeysItHolds() {
        var table = ShortKeyTable(expected: 0)
        var dictionary: [String: Int32] = [:]
        var keys = (0..<20_000).map { "R\(String(format: "%07d", $0 * 7919 % 1_000_003))" }  // (past the first size: it grows)
        keys += ["a", "sixteen-bytes-ab", "seventeen-bytes-a", "Ḥmeimim", "\u{212A}0", "K0", "", "x\u{0}y", "C0000001"]
        for (i, k) in keys.enumerated() {
            let held = table.insert(k, value: Int32(i))
            var b = k
            XCTAssertEqual(held, b.withUTF8 { ShortKeyTable.holds($0) }, k)
            XCTAssertEqual(held, !k.isEmpty && k.utf8.count <= 16 && k.utf8.allSatisfy { $0 < 0x80 }, k)
            if held && dictionary[k] == nil { dictionary[k] = Int32(i) }
        }
        // A key inserted again keeps its value.
        XCTAssertTrue(table.insert("a", value: -7))
        XCTAssertEqual(table.lookup("a"), dictionary["a"])
        XCTAssertEqual(table.count, dictionary.count)
        for k in keys + ["R0000000x", "K1", "sixteen-bytes-ac", "b", "C000000"] {
            let expected = k.utf8.count <= 16 && k.utf8.allSatisfy({ $0 < 0x80 }) ? dictionary[k] : nil
            XCTAssertEqual(table.lookup(k), expected, k)
        }
        // Negative values and zero come back as given.
        var t = ShortKeyTable(expected: 4)
        t.insert("neg", value: -1); t.insert("zero", value: 0); t.insert("max", value: .max); t.insert("min", value: .min)
        XCTAssertEqual([t.lookup("neg"), t.lookup("zero"), t.lookup("max"), t.lookup("min")], [-1, 0, .max, .min])
        // A copy does not see later inserts.
        let copy = t
        t.insert("later", value: 5)
        XCTAssertNil(copy.lookup("later"))
        XCTAssertEqual(t.lookup("later"), 5)
    }
}
