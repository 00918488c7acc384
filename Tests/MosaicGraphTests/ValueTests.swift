import XCTest
@testable import MosaicGraph

final class ValueTests: XCTestCase {
    func testStoredEncodingRoundTrips() {
        let values: [Value] = [
            .null, .bool(true), .int(-42), .int(Int64.max), .float(1.0), .float(0.25), .float(-1e300),
            .string("Ḥmeimim \"air\" base\n\t\\"), .string("حميميم"), .date(PartialDate("2025-10")!),
            .date(PartialDate("2025-10-29T06:00+03:00")!), .geo(GeoPoint(latitude: 35.4, longitude: 35.95)),
            .list([.int(1), .float(2.5), .list([]), .map([:])]),
            .map(["b": .int(1), "a": .list([.string("x")]), "$date": .int(3)]),
        ]
        for v in values {
            XCTAssertEqual(Value.decode(v.encoded), v, v.encoded)
        }
        XCTAssertEqual(Value.float(3).encoded, "3.0")
        XCTAssertEqual(Value.map(["b": .int(1), "a": .int(2)]).encoded, "{\"a\":2,\"b\":1}")
        XCTAssertNil(Value.decode("{\"a\":"))
        XCTAssertEqual(Value.decode("\"\\u00e9\\ud83d\\ude00\""), .string("é😀"))
    }

    func testGradingAndConfidence() {
        XCTAssertEqual(Grading("b2")?.description, "B2")
        XCTAssertNil(Grading("G1"))
        XCTAssertNil(Grading("A7"))
        XCTAssertEqual(Grading("A1")!.impliedConfidence, 0.9)
        XCTAssertEqual(Grading("B2")!.impliedConfidence, 0.72)
    }

    func testOriginRoundTrips() {
        let origins: [Origin] = [.file(path: "kb/bases.yaml", line: 12), .console(session: "s1"), .cli(command: "query"),
                                 .importFile(path: "nodes.csv"), .plugin(name: "activity", version: "1.0", rule: "busy"),
                                 .plugin(name: "p", version: "2", rule: nil), .system("kb-load")]
        for o in origins { XCTAssertEqual(Origin(parsing: o.description), o) }
    }
}
