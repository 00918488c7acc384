import Foundation
import XCTest
@testable import MosaicPlugins
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
        let missed = try later.missed(now: date("2025-10-31T09:30:00Z"))
        XCTAssertEqual(missed.map { "\($0.0.name) \(ISO8601DateFormatter().string(from: $0.1))" }, ["syria/daily 2025-10-29T06:00:00Z"])
        XCTAssertEqual(try store.runs(job: "syria/daily").first?.status, .interrupted)
        later.runJobs(missed)
        // Once the interrupted run is complete, catch-up runs only the latest missed instant.
        let again = try later.missed(now: date("2025-10-31T09:30:00Z"))
        XCTAssertEqual(again.map { ISO8601DateFormatter().string(from: $0.1) }, ["2025-10-31T06:00:00Z"])
        later.catchUp = false
        XCTAssertTrue(try later.missed(now: date("2025-10-31T09:30:00Z")).isEmpty)
    }
}
