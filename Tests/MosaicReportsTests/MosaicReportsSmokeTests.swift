import XCTest
@testable import MosaicReports

final class MosaicReportsSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicReportsModule.name, "MosaicReports") }
}
