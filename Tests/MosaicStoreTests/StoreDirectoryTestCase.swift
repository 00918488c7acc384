import Foundation
import XCTest

/// A test case with a fresh directory of its own for each test (`dir`, removed afterwards)
/// and a store path in it: the fixture of the store tests that write files.
class StoreDirectoryTestCase: XCTestCase {
    var dir: URL!
    var path: String { dir.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-\(type(of: self))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
}
