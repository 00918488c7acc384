import XCTest
@testable import MosaicGraph

final class MosaicGraphSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicGraphModule.name, "MosaicGraph") }
}
