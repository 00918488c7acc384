import Foundation
import XCTest
@testable import MosaicKB
@testable import MosaicStore

/// Each folder under Fixtures/ is a workspace whose kb/ has mistakes; `expected.txt` beside
/// it holds the diagnostics `mosaic check` must print (MOSAIC_UPDATE_GOLDEN=1 rewrites them).
final class KBFixtureTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func testInvalidKnowledgeBasesReportEveryErrorWithItsPosition() throws {
        let cases = try FileManager.default.contentsOfDirectory(atPath: KBFixtureTests.fixtures.path).sorted().filter { $0 != "base" }
        XCTAssertGreaterThanOrEqual(cases.count, 7)
        for name in cases {
            let dir = KBFixtureTests.fixtures.appendingPathComponent(name)
            let store = try Store.inMemory()
            let loader = KBLoader(workspace: dir, store: store)
            var text = "(no errors)"
            do { _ = try loader.check() } catch let e as KBError { text = e.description }
            // Loading fails the same way and writes nothing.
            XCTAssertThrowsError(try loader.load(), name)
            XCTAssertEqual(store.graph.liveNodeCount, 0, name)
            XCTAssertEqual(store.lastTransaction, 0, name)
            let expectedURL = dir.appendingPathComponent("expected.txt")
            if ProcessInfo.processInfo.environment["MOSAIC_UPDATE_GOLDEN"] != nil {
                try (text + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
            }
            let expected = (try? String(contentsOf: expectedURL, encoding: .utf8)) ?? "(missing expected.txt)"
            XCTAssertEqual(text + "\n", expected, "fixture \(name)")
        }
    }

    func testTheBaseFixtureIsValid() throws {
        let store = try Store.inMemory()
        let r = try KBLoader(workspace: KBFixtureTests.fixtures.appendingPathComponent("base"), store: store).load()
        XCTAssertEqual(r?.asserted, 25)
        XCTAssertNotNil(store.graph.nodes(named: "khmeimim").first)
    }
}
