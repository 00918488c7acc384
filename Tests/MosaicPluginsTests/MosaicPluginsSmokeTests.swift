import XCTest
@testable import MosaicPlugins

final class MosaicPluginsSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(MosaicPluginsModule.name, "MosaicPlugins") }
}
