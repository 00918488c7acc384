import XCTest
@testable import MosaicQuery

final class MosaicQuerySmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicQueryModule.name, "MosaicQuery") }
}
