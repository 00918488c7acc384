import XCTest
@testable import MosaicReports

final class ResultTableTests: XCTestCase {
    static let sample = ResultTable(columns: ["base", "operator", "aircraft", "since", "tags", "note"], rows: [
        [Cell(.entity(id: "north-field", name: "North Field", type: "Base")),
         Cell(.entity(id: "russia", name: "Russia", type: "Country")), 12, Cell(.date("2015-09")),
         Cell(.list([.string("air"), .int(3)])), "runway, \"apron\""],
        [Cell(.entity(id: "east-port", name: "東港 (East Port)", type: "Base")), nil, 3.5, Cell(.date("2017")),
         Cell(.map([.init("k", .bool(true)), .init("n", .null)])), "line one\nline two"],
        [Cell(.relation(id: "r1", type: "OPERATES", from: "russia", to: "north-field")), "مرحبا", -7, nil,
         Cell(.list([])), true],
    ], elapsedMilliseconds: 12.34)

    func testTerminalGoldens() {
        Golden.check(TerminalTableRenderer(width: 120).render(Self.sample), "table-120.txt")
        Golden.check(TerminalTableRenderer(width: 60).render(Self.sample), "table-60.txt")
        Golden.check(TerminalTableRenderer(width: 60, colour: true).render(Self.sample), "table-60-colour.txt")
    }

    func testTerminalLinesFitTheWidth() {
        for width in [30, 45, 60, 80, 200] {
            let text = TerminalTableRenderer(width: width).render(Self.sample)
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(TextWidth.of(String(line)), width, "width \(width): \(line)")
            }
        }
    }

    func testOtherFormatGoldens() {
        Golden.check(CSVRenderer().render(Self.sample), "table.csv")
        Golden.check(ResultJSONRenderer(style: .array).render(Self.sample), "table.json")
        Golden.check(ResultJSONRenderer(style: .lines).render(Self.sample), "table.jsonl")
        Golden.check(LinesRenderer().render(Self.sample), "table-lines.txt")
    }

    func testJSONArrayParsesWithTypedValues() throws {
        let data = Data(ResultJSONRenderer().render(Self.sample).utf8)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0]["aircraft"] as? Int, 12)
        XCTAssertEqual(rows[1]["aircraft"] as? Double, 3.5)
        XCTAssertTrue(rows[1]["operator"] is NSNull)
        XCTAssertEqual((rows[0]["base"] as? [String: Any])?["id"] as? String, "north-field")
        XCTAssertEqual(rows[2]["note"] as? Bool, true)
    }

    func testFooterAndEmptyTable() {
        XCTAssertEqual(ResultTable(columns: ["a"], rows: [["x"]]).footer, "1 row")
        XCTAssertEqual(ResultTable(columns: ["a"], rows: [], elapsedMilliseconds: 0.04).footer, "0 rows (0.0 ms)")
        XCTAssertEqual(TerminalTableRenderer().render(ResultTable(columns: ["a"], rows: [])),
                       "+---+\n| a |\n+---+\n0 rows\n")
        XCTAssertEqual(ResultJSONRenderer().render(ResultTable(columns: ["a"], rows: [])), "[]\n")
    }

    func testFitSharesWidth() {
        let cases: [([Int], Int, [Int])] = [
            ([3, 4], 20, [3, 4]),
            ([3, 40, 40], 23, [3, 10, 10]),
            ([3, 40, 40], 24, [3, 11, 10]),
            ([10, 10], 1, [1, 1]),
        ]
        for (natural, available, expected) in cases {
            XCTAssertEqual(TerminalTableRenderer.fit(natural, into: available), expected, "\(natural) into \(available)")
        }
    }

    func testCSVQuoting() {
        let cases: [(String, String)] = [("a", "a"), ("a,b", "\"a,b\""), ("say \"x\"", "\"say \"\"x\"\"\""),
                                         ("l1\nl2", "\"l1\nl2\""), ("cr\r\nlf", "\"cr\r\nlf\""), (" sp ", " sp ")]
        for (text, expected) in cases {
            XCTAssertEqual(CSVRenderer().field(text), expected, text)
        }
    }
}

final class ResultFormatTests: XCTestCase {
    func testNamesAndDispatch() {
        let cases: [(String, ResultFormat?)] = [("table", .table), ("CSV", .csv), ("json", .json), ("jsonl", .jsonl),
                                                ("ndjson", .jsonl), ("lines", .lines), ("xml", nil), ("", nil)]
        for (name, expected) in cases {
            XCTAssertEqual(ResultFormat(name: name), expected, name)
        }
        let t = ResultTableTests.sample
        XCTAssertEqual(ResultFormat.csv.render(t), CSVRenderer().render(t))
        XCTAssertEqual(ResultFormat.jsonl.render(t), ResultJSONRenderer(style: .lines).render(t))
        XCTAssertEqual(ResultFormat.table.render(t, width: 50), TerminalTableRenderer(width: 50).render(t))
    }
}
