import XCTest
@testable import MosaicKB

final class MosaicKBSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicKBModule.name, "MosaicKB") }
}
