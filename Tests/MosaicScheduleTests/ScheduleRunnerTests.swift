import Foundation
import XCTest
@testable import MosaicSchedule
@testable import MosaicStore

final class ScheduleRunnerTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-sched-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func date(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    func runner(_ store: Store, now: String, failing: Set<String> = []) throws -> ScheduleRunner {
        let daily = ScheduledJob(name: "syria/daily", schedule: try CronSchedule("0 6 * * *"), formats: ["md"])
        let hourly = ScheduledJob(name: "other/hourly", schedule: try CronSchedule("@hourly"), formats: ["md"])
        let r = ScheduleRunner(store: store, jobs: [daily, hourly], outputDirectory: dir, prepare: { 7 }) { job, due in
            if failing.contains(job.name) { throw NSError(domain: "report raised at plugins/x.lua:3", code: 1) }
            return [ScheduleRunner.Output(ext: "md", data: Data("# \(job.name) due \(due)\n".utf8))]
        }
        let fixed = date(now)
        r.clock = { fixed }
        r.log = { _ in }
        return r
    }

    func testDueJobsWriteFilesAndRecordRuns() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2025-10-30T06:00:00Z")
        let due = date("2025-10-30T06:00:00Z")
        XCTAssertEqual(r.due(at: due).map(\.name), ["syria/daily", "other/hourly"])
        XCTAssertEqual(r.runJobs(r.due(at: due).map { ($0, due) }), 0)
        let file = dir.appendingPathComponent("2025-10-30/syria-daily-0600.md")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8).hasPrefix("# syria/daily"), true)
        let runs = try store.runs()
        XCTAssertEqual(Set(runs.map(\.status)), [.succeeded])
        XCTAssertEqual(runs.first?.transaction, 7)
        // Running the same due instant again does nothing (no duplicate briefings).
        XCTAssertEqual(r.runJobs([(r.jobs[0], due)]), 0)
        XCTAssertEqual(try store.runs(job: "syria/daily").count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path).filter { $0.hasPrefix(".") }, [])
    }

    func testAFailingJobIsRecordedAndTheOthersGoOn() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2025-10-30T06:00:00Z", failing: ["syria/daily"])
        let due = date("2025-10-30T06:00:00Z")
        XCTAssertEqual(r.runJobs(r.due(at: due).map { ($0, due) }), 1)
        XCTAssertEqual(try store.runs(job: "syria/daily").first?.status, .failed)
        XCTAssertTrue(try store.runs(job: "syria/daily").first?.error?.contains("plugins/x.lua:3") ?? false)
        XCTAssertEqual(try store.runs(job: "other/hourly").first?.status, .succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("2025-10-30/syria-daily-0600.md").path))
    }

    func testStartUpRerunsInterruptedRunsAndCatchesUpOnce() throws {
        let store = try Store.inMemory()
        let first = try runner(store, now: "2025-10-28T06:00:00Z")
        let d28 = date("2025-10-28T06:00:00Z")
        first.runJobs([(first.jobs[0], d28)])
        // A run of the 29th started and the process died (left 'running').
        _ = try store.beginRun(job: "syria/daily", scheduledFor: date("2025-10-29T06:00:00Z"), transaction: 1, at: date("2025-10-29T06:00:01Z"))
        let later = try runner(store, now: "2025-10-31T09:30:00Z")
        let missed = try later.pending(at: date("2025-10-31T09:30:00Z"))
        // The interrupted slot, then the latest slot (once, not the 30th too); the hourly job's latest slot.
        XCTAssertEqual(missed.map { "\($0.0.name) \(iso($0.1))" },
                       ["syria/daily 2025-10-29T06:00:00Z", "syria/daily 2025-10-31T06:00:00Z", "other/hourly 2025-10-31T09:00:00Z"])
        XCTAssertEqual(try store.runs(job: "syria/daily").filter { $0.scheduledFor == date("2025-10-29T06:00:00Z") }.map(\.status), [.interrupted])
        later.runJobs(missed)
        XCTAssertTrue(try later.pending(at: date("2025-10-31T09:30:00Z")).isEmpty, "a slot that ran is not run again")
    }

    func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    /// `--once` late in the day still runs the morning's slot; then nothing until the next slot.
    func testTheLatestSlotAtOrBeforeNowRunsOnceEvenWhenLate() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2025-10-30T06:30:00Z")
        let daily = { (t: String) throws -> [String] in
            try r.pending(at: self.date(t)).filter { $0.0.name == "syria/daily" }.map { self.iso($0.1) }
        }
        XCTAssertEqual(try daily("2025-10-30T06:01:00Z"), ["2025-10-30T06:00:00Z"])
        XCTAssertEqual(try daily("2025-10-30T06:30:00Z"), ["2025-10-30T06:00:00Z"])
        XCTAssertEqual(try daily("2025-10-30T06:00:00Z"), ["2025-10-30T06:00:00Z"], "the slot's own minute")
        XCTAssertEqual(try daily("2025-10-30T05:59:59Z"), ["2025-10-29T06:00:00Z"])
        r.runJobs(try r.pending(at: date("2025-10-30T06:30:00Z")))
        XCTAssertEqual(try daily("2025-10-30T23:59:00Z"), [])
        XCTAssertEqual(try daily("2025-10-31T06:00:00Z"), ["2025-10-31T06:00:00Z"])
        XCTAssertEqual(try store.runs(job: "syria/daily").map { $0.scheduledFor.map(iso) }, ["2025-10-30T06:00:00Z"])
    }

    /// Missed days: once by default, every one with `all`, none with `off`.
    func testCatchUpPolicies() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2025-10-27T06:00:00Z")
        r.runJobs([(r.jobs[0], date("2025-10-27T06:00:00Z"))])
        let daily = { (t: String) throws -> [String] in
            try r.pending(at: self.date(t)).filter { $0.0.name == "syria/daily" }.map { self.iso($0.1) }
        }
        XCTAssertEqual(try daily("2025-10-30T09:00:00Z"), ["2025-10-30T06:00:00Z"])
        r.catchUp = .all
        XCTAssertEqual(try daily("2025-10-30T09:00:00Z"), ["2025-10-28T06:00:00Z", "2025-10-29T06:00:00Z", "2025-10-30T06:00:00Z"])
        r.catchUp = .off
        XCTAssertEqual(try daily("2025-10-30T09:00:00Z"), [])
        XCTAssertEqual(try daily("2025-10-30T06:00:40Z"), ["2025-10-30T06:00:00Z"])
        // A job's own policy wins over the runner's.
        var job = r.jobs[0]
        job.catchUp = .all
        let own = ScheduleRunner(store: store, jobs: [job], outputDirectory: dir, prepare: { 7 }) { _, _ in [] }
        own.catchUp = .off
        XCTAssertEqual(try own.pending(at: date("2025-10-29T07:00:00Z")).map { iso($0.1) }, ["2025-10-28T06:00:00Z", "2025-10-29T06:00:00Z"])
    }

    func testAFailedSlotIsNotRunAgain() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2025-10-30T06:00:00Z", failing: ["syria/daily"])
        XCTAssertEqual(r.runJobs(try r.pending(at: date("2025-10-30T06:00:00Z"))), 1)
        XCTAssertEqual(try r.pending(at: date("2025-10-30T06:10:00Z")).filter { $0.0.name == "syria/daily" }.count, 0)
        XCTAssertEqual(r.runJobs([(r.jobs[0], date("2025-10-30T06:00:00Z"))]), 0, "runJobs skips it too")
        XCTAssertEqual(try store.runs(job: "syria/daily").count, 1)
    }

    func testAClockEarlierThanTheLastSlotIsRefusedUnlessForced() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2025-10-30T06:00:00Z")
        XCTAssertNoThrow(try r.checkClock(date("2020-01-01T00:00:00Z"), force: false), "no runs yet")
        r.runJobs(try r.pending(at: date("2025-10-30T06:00:00Z")))
        XCTAssertNoThrow(try r.checkClock(date("2025-10-30T06:00:00Z"), force: false))
        XCTAssertThrowsError(try r.checkClock(date("2025-10-30T05:00:00Z"), force: false)) {
            XCTAssertTrue("\($0)".contains("--force"), "\($0)")
        }
        XCTAssertNoThrow(try r.checkClock(date("2025-10-30T05:00:00Z"), force: true))
    }

    /// Runs are recorded with the real start time, whatever instant the scheduler acts at.
    func testRunsRecordTheRealStartTimeAndTheSlot() throws {
        let store = try Store.inMemory()
        let r = try runner(store, now: "2030-01-01T06:00:00Z")
        let real = date("2026-02-01T12:00:00Z")
        r.wallClock = { real }
        r.runJobs([(r.jobs[0], date("2030-01-01T06:00:00Z"))])
        let run = try XCTUnwrap(store.runs(job: "syria/daily").first)
        XCTAssertEqual(run.started, real)
        XCTAssertEqual(run.scheduledFor, date("2030-01-01T06:00:00Z"))
    }
}
