import XCTest
@testable import MosaicReports

final class ResultTableFooterTests: XCTestCase {
    func testFooterCountsRowsAndTime() {
        XCTAssertEqual(ResultTable(columns: ["a"], rows: [["x"]]).footer, "1 row")
        XCTAssertEqual(ResultTable(columns: ["a"], rows: [["x"], [nil]], elapsedMilliseconds: 12.34).footer, "2 rows (12.3 ms)")
    }
}
