import XCTest
@testable import MosaicGraph

final class PartialDateTests: XCTestCase {
    func testParsesAndPrintsEachPrecision() {
        let cases: [(String, String?, PartialDate.Precision?)] = [
            ("2015", "2015", .year), ("2024-12", "2024-12", .month), ("2025-10-29", "2025-10-29", .day),
            ("2025-10-29T06:00", "2025-10-29T06:00Z", .minute), ("2025-10-29T06:00:30Z", "2025-10-29T06:00:30Z", .second),
            ("2025-10-29 06:00+03:00", "2025-10-29T06:00+03:00", .minute), ("2024-02-29", "2024-02-29", .day),
            ("2025-02-29", nil, nil), ("2025-13", nil, nil), ("2025-04-31", nil, nil), ("25-10", nil, nil),
            ("2025-10-29T24:00", nil, nil), ("2025/10/29", nil, nil), ("", nil, nil),
        ]
        for (text, printed, precision) in cases {
            let d = PartialDate(text)
            XCTAssertEqual(d?.description, printed, text)
            XCTAssertEqual(d?.precision, precision, text)
        }
    }

    func testRelationsRespectPrecision() {
        func d(_ s: String) -> PartialDate { PartialDate(s)! }
        XCTAssertEqual(d("2025-10").relation(to: d("2025-10-29")), .overlaps)
        XCTAssertEqual(d("2025-09").relation(to: d("2025-10-01")), .before)
        XCTAssertEqual(d("2025").relation(to: d("2024-12-31")), .after)
        XCTAssertEqual(d("2025-10").relation(to: d("2025-10")), .same)
        XCTAssertTrue(d("2025-10").contains(d("2025-10-29T06:00")))
        XCTAssertFalse(d("2025-10-29").contains(d("2025-10")))
        XCTAssertTrue(d("2025-10") < d("2025-10-01"))
        XCTAssertTrue(d("2025-10-01") < d("2025-10-02"))
    }

    func testDayArithmeticKeepsPrecision() {
        XCTAssertEqual(PartialDate("2025-10")!.adding(days: 40).description, "2025-11")
        XCTAssertEqual(PartialDate("2025-10-29")!.adding(days: 3).description, "2025-11-01")
        XCTAssertEqual(PartialDate("2024-12-31")!.adding(days: -366).description, "2023-12-31")
        XCTAssertEqual(PartialDate("2025-10-24")!.days(to: PartialDate("2025-10-29")!), 5)
        XCTAssertEqual(PartialDate("1969-12-31")!.civil.day, 31)
    }

    /// Hostile day counts (math.maxinteger from a plugin) give nil, not a trap.
    func testShiftingOutOfRangeIsNilAndAddingClamps() {
        let d = PartialDate("2025")!
        XCTAssertNil(d.shifted(days: Int.max))
        XCTAssertNil(d.shifted(days: Int.min))
        XCTAssertNil(d.shifted(days: 4_000_000))
        XCTAssertNil(PartialDate("9999-12-31")!.shifted(days: 1))
        XCTAssertNil(PartialDate("-9999-01-01")?.shifted(days: -1))
        XCTAssertNil(PartialDate("2025-10-29T06:00Z")!.shifted(days: Int.max / 86_400))
        XCTAssertEqual(PartialDate("9999-12-30")!.shifted(days: 1)?.description, "9999-12-31")
        XCTAssertEqual(d.adding(days: Int.max).description, "9999")
        XCTAssertEqual(PartialDate("2025-10-29")!.adding(days: Int.min).description, "-9999-01-01")
    }

    func testCivilRoundTripOverCenturies() {
        for days in stride(from: Int64(-800_000), to: 800_000, by: 997) {
            let (y, m, d) = PartialDate.civilFromDays(days)
            XCTAssertEqual(PartialDate.daysFromCivil(y, m, d), days)
        }
    }
}
