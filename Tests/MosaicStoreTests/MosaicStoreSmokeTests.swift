import XCTest
@testable import MosaicStore

final class MosaicStoreSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicStoreModule.name, "MosaicStore") }
}
