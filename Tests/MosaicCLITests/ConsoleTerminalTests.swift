import Foundation
import XCTest

/// The console driven through a pseudo-terminal: what a person types and sees.
final class ConsoleTerminalTests: XCTestCase {
    var workspace: URL!

    override func setUpWithError() throws {
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        let nodes = workspace.appendingPathComponent("nodes.csv")
        try "id,type,name,props\nhmeimim,Base,Hmeimim Air Base,\nsyria,Country,Syria,\n".write(to: nodes, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = MosaicBinary.url
        p.arguments = ["import", "--workspace", workspace.path, nodes.path]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: workspace) }

    func console() throws -> PseudoTerminal {
        let t = try PseudoTerminal(MosaicBinary.url, ["console"], directory: workspace)
        XCTAssertTrue(t.waitFor("mosaic> "), "no prompt: \(t.screen)")
        return t
    }

    func testTabCompletesMetaCommandsAndEntityIds() throws {
        let t = try console()
        t.type(":sch")
        t.press(.tab)
        XCTAssertTrue(t.waitFor(":schema"), t.screen)
        t.press(.enter)
        XCTAssertTrue(t.waitFor("Country"), t.screen)
        let mark = t.screen.count
        t.type(":show hme")
        t.press(.tab)
        XCTAssertTrue(t.waitFor("hmeimim", after: mark), t.screen)
        t.press(.enter)
        XCTAssertTrue(t.waitFor("Hmeimim Air Base  (Base; id hmeimim)", after: mark), t.screen)
        t.waitForPrompt()
        t.press(.ctrlD)
        XCTAssertEqual(t.waitForExit(), 0)
    }

    func testHistoryIsRecalledAndKeptAcrossSessions() throws {
        do {
            let t = try console()
            t.type(":show syria\r")
            XCTAssertTrue(t.waitFor("Syria  (Country"), t.screen)
            t.waitForPrompt()
            t.press(.ctrlD)
            XCTAssertEqual(t.waitForExit(), 0)
        }
        let history = try String(contentsOf: workspace.appendingPathComponent(".mosaic/history"), encoding: .utf8)
        XCTAssertTrue(history.contains("syria"), history)
        let t = try console()
        let mark = t.screen.count
        t.press(.up)
        t.press(.enter)
        XCTAssertTrue(t.waitFor("Syria  (Country", after: mark), t.screen)
        t.waitForPrompt()
        t.press(.ctrlD)
        XCTAssertEqual(t.waitForExit(), 0)
    }

    func testCtrlCClearsTheLineBeingTypedAndKeepsTheConsole() throws {
        let t = try console()
        t.type("MATCH (n")
        t.press(.enter)
        XCTAssertTrue(t.waitFor("...> "), "no continuation prompt: \(t.screen)")
        t.press(.ctrlC)
        XCTAssertTrue(t.waitFor("^C"), t.screen)
        let mark = t.screen.count
        t.type(":stats\r")
        XCTAssertTrue(t.waitFor("2 entities", after: mark), t.screen)
        t.type(":quit\r")
        XCTAssertEqual(t.waitForExit(), 0)
    }

    func testCtrlCCancelsARunningQuery() throws {
        let t = try console()
        t.waitForPrompt()
        // (a query that runs for minutes: it is cancelled once it has used some CPU time,
        // which shows it is running, not after a fixed wait)
        let idle = t.cpuSeconds
        t.type("UNWIND range(1, 5000) AS x WITH x WHERE size([y IN range(1, 100000) WHERE x * y = -1]) > 0 RETURN count(*);\r")
        XCTAssertTrue(t.waitForWork(0.3, since: idle), "the query did not start (\(idle) → \(t.cpuSeconds) s of CPU): \(t.screen)")
        let mark = t.screen.count
        t.press(.ctrlC)
        XCTAssertTrue(t.waitFor("cancelled", after: mark), t.screen)
        t.waitForPrompt()
        let again = t.screen.count
        t.type(":stats\r")
        XCTAssertTrue(t.waitFor("2 entities", after: again), t.screen)
        t.type(":quit\r")
        XCTAssertEqual(t.waitForExit(), 0)
    }
}
