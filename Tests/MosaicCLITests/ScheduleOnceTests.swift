import Foundation
import XCTest

/// `mosaic schedule --once` with cron semantics on the sample workspace: the latest slot at
/// or before --now runs once (even late), never twice; an earlier --now is refused unless
/// --force; `mosaic runs` sorts by real start time and shows the slot.
final class ScheduleOnceTests: XCTestCase {
    func testOnceRunsTheLatestSlotOnceAndRefusesAnEarlierClock() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        // 06:30: the 06:00 slot of syria_bases/daily has not run: it runs now.
        let late = try ws.run(["schedule", "--once", "--now", "2025-10-30T06:30Z"])
        XCTAssertEqual(late.status, 0, late.err)
        let file = ws.root.appendingPathComponent("briefings/2025-10-30/syria_bases-daily-0600.md")
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path), late.err)
        // Later the same day: nothing (the slot ran).
        let again = try ws.run(["schedule", "--once", "--now", "2025-10-30T09:00Z"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.out.contains("nothing due"), again.out)
        // A clock before the last slot is refused, unless forced; forced, the slot that ran is not run again.
        let back = try ws.run(["schedule", "--once", "--now", "2025-10-30T05:00Z"])
        XCTAssertEqual(back.status, 1)
        XCTAssertTrue(back.err.contains("earlier than the last scheduled run") && back.err.contains("--force"), back.err)
        let forced = try ws.run(["schedule", "--once", "--now", "2025-10-30T06:45Z", "--force"])
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertTrue(forced.out.contains("nothing due"), forced.out)
        // Days missed: once, for the latest slot.
        let future = try ws.run(["schedule", "--once", "--now", "2031-01-05T07:00Z"])
        XCTAssertEqual(future.status, 0, future.err)
        let runs = try ws.run(["runs"]).out
        XCTAssertEqual(runs.components(separatedBy: "syria_bases/daily").count - 1, 2, runs)
        XCTAssertTrue(runs.contains("slot 2031-01-05T06:00:00Z") && runs.contains("slot 2025-10-30T06:00:00Z"), runs)
        // A manual briefing started after them is listed first (real start times), though
        // the scheduled run acted at 2031.
        XCTAssertEqual(try ws.run(["brief", "--now", "2025-10-30T06:00Z", "--out", "-"]).status, 0)
        let listed = try ws.run(["runs"]).out.split(separator: "\n").filter { $0.hasPrefix("#") }
        XCTAssertEqual(listed.count, 3, "\(listed)")
        XCTAssertFalse(listed.first?.contains("slot") ?? true, "the manual run is newest: \(listed)")
        XCTAssertTrue(listed[1].contains("slot 2031-01-05T06:00:00Z"), "\(listed)")
    }

    func testCatchUpAllFromMosaicYAML() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        XCTAssertEqual(try ws.run(["schedule", "--once", "--now", "2025-10-28T06:00Z"]).status, 0)
        try """
        schedule:
          jobs:
            syria_bases/daily: {cron: "0 6 * * *", catch_up: all}
        """.write(to: ws.root.appendingPathComponent("mosaic.yaml"), atomically: true, encoding: .utf8)
        let r = try ws.run(["schedule", "--once", "--now", "2025-10-30T08:00Z"])
        XCTAssertEqual(r.status, 0, r.err)
        for day in ["2025-10-29", "2025-10-30"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent("briefings/\(day)/syria_bases-daily-0600.md").path), r.err)
        }
        try "schedule: {catch_up: sometimes}\n".write(to: ws.root.appendingPathComponent("mosaic.yaml"), atomically: true, encoding: .utf8)
        let bad = try ws.run(["schedule", "--list"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("mosaic.yaml:1:") && bad.err.contains("catch_up takes"), bad.err)
    }
}
