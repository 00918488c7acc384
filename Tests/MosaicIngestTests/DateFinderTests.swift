import XCTest
import MosaicGraph
@testable import MosaicIngest

final class DateFinderTests: XCTestCase {
    /// Published Thursday 30 October 2025.
    let finder = DateFinder(published: PartialDate("2025-10-30"))

    func found(_ text: String, _ f: DateFinder? = nil) -> [String] {
        (f ?? finder).find(in: text).map { "\($0.text)=\(dateValue($0)):\($0.precision.rawValue)" }
    }

    func testAbsoluteDates() {
        XCTAssertEqual(found("On 29 October 2025, on October 29, 2025, on 2025-10-29 and in October 2025."),
                       ["29 October 2025=2025-10-29:day", "October 29, 2025=2025-10-29:day", "2025-10-29=2025-10-29:day", "October 2025=2025-10:month"])
    }

    func testYearlessDatesTakeTheNearestYear() {
        // Within 60 days after publication: this year; later in the year: the year before.
        XCTAssertEqual(found("Oct. 29 and 3 December and Dec. 31 and in early March"),
                       ["Oct. 29=2025-10-29:day", "3 December=2025-12-03:day", "Dec. 31=2024-12-31:day", "early March=2025-03:month"])
    }

    func testWeekdayWithADateIsOneDate() {
        XCTAssertEqual(found("the ferry docked late on Wednesday, October 29, said the harbour office"), ["Wednesday, October 29=2025-10-29:day"])
    }

    func testRelativeDates() {
        XCTAssertEqual(found("yesterday"), ["yesterday=2025-10-29:day"])
        XCTAssertEqual(found("on Wednesday"), ["on Wednesday=2025-10-29:day"])
        XCTAssertEqual(found("on Thursday"), ["on Thursday=2025-10-30:day"])
        XCTAssertEqual(found("last Thursday"), ["last Thursday=2025-10-23:day"])
        XCTAssertEqual(found("next Monday"), ["next Monday=2025-11-03:day"])
        XCTAssertEqual(found("last week"), ["last week=2025-10-20/2025-10-26:range"])
        XCTAssertEqual(found("earlier this week"), ["earlier this week=2025-10-27/2025-10-29:range"])
        XCTAssertEqual(found("earlier this month"), ["earlier this month=2025-10-01/2025-10-29:range"])
        XCTAssertEqual(found("last month"), ["last month=2025-09:month"])
        XCTAssertEqual(found("last year"), ["last year=2024:year"])
        XCTAssertEqual(found("three days ago"), ["three days ago=2025-10-27:day"])
    }

    func testRelativeDatesNeedAPublicationDate() {
        let none = DateFinder(published: nil)
        XCTAssertEqual(found("yesterday and Oct. 29 and 2025-10-29", none), ["yesterday=nil:day", "Oct. 29=nil:day", "2025-10-29=2025-10-29:day"])
        // A publication date known to the month anchors only what the month allows.
        let month = DateFinder(published: PartialDate("2025-10"))
        XCTAssertEqual(found("last month and yesterday", month), ["last month=2025-09:month", "yesterday=nil:day"])
    }

    func testImpossibleDatesAndNumbersAreNotDates() {
        XCTAssertEqual(found("2025-02-30, 31 February 2025, 1500 troops, May they"), [])
    }

    func testOffsetsAreUTF8Bytes() {
        let ds = finder.find(in: "Ḥama, 29 October 2025")
        XCTAssertEqual(ds.first?.start, "Ḥama, ".utf8.count)
        XCTAssertEqual(ds.first?.end, "Ḥama, 29 October 2025".utf8.count)
    }
}
