import Foundation
import MosaicStore

/// A report (or plugin run) due on a cron schedule.
public struct ScheduledJob: Sendable {
    /// `plugin/report`, the name runs are recorded and files written under.
    public var name: String
    public var schedule: CronSchedule
    public var formats: [String]
    public init(name: String, schedule: CronSchedule, formats: [String] = ["md", "html", "json"]) {
        self.name = name; self.schedule = schedule; self.formats = formats
    }
}

/// Runs scheduled jobs on time: before each run it prepares the KB (load, infer), then
/// renders the job's outputs, writes them atomically under
/// `briefings/YYYY-MM-DD/NAME-HHMM.ext`, and records the run in the store. A failing job
/// is recorded and the others go on. On start it marks runs a crash left behind as
/// interrupted and (with `catchUp`) runs, once, what was missed while it was down.
public final class ScheduleRunner: @unchecked Sendable {
    public struct Output: Sendable { public var ext: String; public var data: Data
        public init(ext: String, data: Data) { self.ext = ext; self.data = data } }

    public let store: Store
    public let jobs: [ScheduledJob]
    public let outputDirectory: URL
    public var catchUp = true
    public var clock: @Sendable () -> Date = { Date() }
    /// Loads kb/ and runs inference; returns the KB transaction the runs will read.
    public var prepare: () throws -> Int64
    /// Renders a job due at `due`; returns its outputs (nothing is written when it throws).
    public var render: (_ job: ScheduledJob, _ due: Date) throws -> [Output]
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    public init(store: Store, jobs: [ScheduledJob], outputDirectory: URL,
                prepare: @escaping () throws -> Int64, render: @escaping (ScheduledJob, Date) throws -> [Output]) {
        self.store = store; self.jobs = jobs; self.outputDirectory = outputDirectory
        self.prepare = prepare; self.render = render
    }

    /// The instants each job is next due, for `mosaic schedule --list`.
    public func upcoming(count: Int = 3) -> [(job: ScheduledJob, next: [Date])] {
        let now = clock()
        return jobs.map { ($0, $0.schedule.nextOccurrences(after: now, count: count)) }
    }

    /// Jobs due at `now` exactly (to the minute): what `--once --now T` runs.
    public func due(at now: Date) -> [ScheduledJob] {
        jobs.filter { $0.schedule.matches(now) }
    }

    /// What start-up must run: runs a crash interrupted, and (with `catchUp`) for each job
    /// the latest instant missed since its last run, once.
    public func missed(now: Date) throws -> [(ScheduledJob, Date)] {
        var out: [(ScheduledJob, Date)] = []
        let interrupted = try store.markInterruptedRuns(at: now)
        for job in jobs {
            if let r = interrupted.first(where: { $0.job == job.name }), let due = r.scheduledFor,
               !(try store.hasCompletedRun(job: job.name, scheduledFor: due)) {
                out.append((job, due))
                continue
            }
            guard catchUp, let last = try store.runs(job: job.name, limit: 1).first else { continue }
            let since = last.scheduledFor ?? last.started
            if let latest = job.schedule.lastOccurrence(from: since.addingTimeInterval(1), to: now.addingTimeInterval(1)),
               !(try store.hasCompletedRun(job: job.name, scheduledFor: latest)) {
                out.append((job, latest))
            }
        }
        return out
    }

    /// Runs `jobs` due at `due`: prepares the KB once, then each job; returns how many failed.
    @discardableResult
    public func runJobs(_ jobs: [(ScheduledJob, Date)]) -> Int {
        guard !jobs.isEmpty else { return 0 }
        let tx: Int64
        do { tx = try prepare() } catch {
            log("schedule: preparing the KB failed: \(error)")
            for (job, due) in jobs { record(job, due, tx: store.graph.transaction, status: .failed, error: "preparing the KB: \(error)", outputs: []) }
            return jobs.count
        }
        var failures = 0
        for (job, due) in jobs where !(((try? store.hasCompletedRun(job: job.name, scheduledFor: due)) ?? false)) {
            let started = clock()
            let id = (try? store.beginRun(job: job.name, scheduledFor: due, transaction: tx, at: started)) ?? -1
            do {
                let outputs = try render(job, due)
                let paths = try write(outputs, job: job, due: due)
                try store.endRun(id, status: .succeeded, error: nil, outputs: paths, at: clock())
                log("schedule: \(job.name) due \(ScheduleRunner.stamp(due, job.schedule.timeZone)) → \(paths.joined(separator: ", "))")
            } catch {
                failures += 1
                try? store.endRun(id, status: .failed, error: "\(error)", outputs: [], at: clock())
                log("schedule: \(job.name) due \(ScheduleRunner.stamp(due, job.schedule.timeZone)) failed: \(error)")
            }
        }
        return failures
    }

    private func record(_ job: ScheduledJob, _ due: Date, tx: Int64, status: RunRecord.Status, error: String?, outputs: [String]) {
        if let id = try? store.beginRun(job: job.name, scheduledFor: due, transaction: tx, at: clock()) {
            try? store.endRun(id, status: status, error: error, outputs: outputs, at: clock())
        }
    }

    /// Writes each output to a temporary file in the target folder, then renames it into
    /// place, so a reader (or a crash) never sees half a briefing.
    func write(_ outputs: [Output], job: ScheduledJob, due: Date) throws -> [String] {
        let tz = job.schedule.timeZone
        let (day, hhmm) = ScheduleRunner.dayAndTime(due, tz)
        let dir = outputDirectory.appendingPathComponent(day)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let base = job.name.replacingOccurrences(of: "/", with: "-")
        var paths: [String] = []
        for o in outputs {
            let final = dir.appendingPathComponent("\(base)-\(hhmm).\(o.ext)")
            let temp = dir.appendingPathComponent(".\(base)-\(hhmm).\(o.ext).tmp-\(getpid())")
            try o.data.write(to: temp)
            guard rename(temp.path, final.path) == 0 else {
                try? FileManager.default.removeItem(at: temp)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path])
            }
            paths.append(final.path)
        }
        return paths
    }

    static func dayAndTime(_ d: Date, _ tz: TimeZone) -> (String, String) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        return (String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), String(format: "%02d%02d", c.hour!, c.minute!))
    }

    static func stamp(_ d: Date, _ tz: TimeZone) -> String {
        let (day, t) = dayAndTime(d, tz)
        return "\(day) \(t.prefix(2)):\(t.suffix(2))"
    }

    // MARK: - the foreground loop

    nonisolated(unsafe) static var stopRequested: sig_atomic_t = 0

    /// Runs until SIGINT or SIGTERM: catches up, then sleeps until each next due minute.
    public func runForever() throws {
        ScheduleRunner.stopRequested = 0
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in ScheduleRunner.stopRequested = 1 }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
        let missedJobs = try missed(now: clock())
        if !missedJobs.isEmpty { log("schedule: catching up \(missedJobs.count) missed run(s)"); runJobs(missedJobs) }
        while ScheduleRunner.stopRequested == 0 {
            let now = clock()
            guard let next = jobs.map({ $0.schedule.next(after: now) }).min() else { log("schedule: nothing scheduled"); return }
            while ScheduleRunner.stopRequested == 0 && clock() < next {
                usleep(UInt32(min(1.0, max(0.01, next.timeIntervalSince(clock()))) * 1_000_000))
            }
            if ScheduleRunner.stopRequested != 0 { break }
            runJobs(due(at: next).map { ($0, next) })
        }
        log("schedule: stopped")
    }
}
