import XCTest
@testable import MosaicCLI

final class MosaicCLISmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicCLIModule.name, "MosaicCLI") }
}
