import XCTest
@testable import MosaicQuery

/// Every row of every query is made of `QueryValue`s: their size is a cost of every copy.
/// Large payloads (durations, the temporal kinds) are boxed so they do not set it.
final class QueryValueLayoutTests: XCTestCase {
    func testAValueStaysSmall() {
        XCTAssertLessThanOrEqual(MemoryLayout<QueryValue>.stride, 24, "box the new large payload (indirect case)")
    }
}
