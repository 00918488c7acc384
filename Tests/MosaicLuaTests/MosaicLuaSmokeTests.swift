import XCTest
@testable import MosaicLua

final class MosaicLuaSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicLuaModule.name, "MosaicLua") }
}
