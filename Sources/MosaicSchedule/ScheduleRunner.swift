// MosaicSchedule: cron schedules (CronSchedule) and the scheduler (ScheduleRunner) that runs
// due jobs on time, writes their outputs and records the runs. What a job does (load, infer,
// render) is given by the caller. Uses MosaicStore (the run log).

import Foundation
import MosaicStore

/// What the scheduler makes up for when slots passed without a run (the scheduler was
/// down, or system cron called `mosaic schedule --once` late).
public enum CatchUp: String, Sendable, CaseIterable {
    /// Run the latest slot at or before now that has not run, once, however many were
    /// missed (the default).
    case latest
    /// Run every slot missed since the job's last run, oldest first (at most
    /// `ScheduleRunner.maxCatchUpSlots` per job at a time).
    case all
    /// Run a slot only within its own minute: what was missed is not made up.
    case off

    /// Reads the mosaic.yaml spelling: `true`/`latest`, `all`, `false`/`off`/`none`.
    public init?(setting: String) {
        switch setting.lowercased() {
        case "true", "yes", "on", "latest": self = .latest
        case "all", "every": self = .all
        case "false", "no", "off", "none": self = .off
        default: return nil
        }
    }
}

/// A report (or plugin run) due on a cron schedule.
public struct ScheduledJob: Sendable {
    /// `plugin/report`, the name runs are recorded and files written under.
    public var name: String
    public var schedule: CronSchedule
    public var formats: [String]
    /// This job's catch-up policy; nil takes the runner's.
    public var catchUp: CatchUp?
    public init(name: String, schedule: CronSchedule, formats: [String] = ["md", "html", "json"], catchUp: CatchUp? = nil) {
        self.name = name; self.schedule = schedule; self.formats = formats; self.catchUp = catchUp
    }
}

/// Runs scheduled jobs on time: before each run it prepares the KB (load, infer), then
/// renders the job's outputs, writes them atomically under
/// `briefings/YYYY-MM-DD/NAME-HHMM.ext`, and records the run in the store. A failing job
/// is recorded and the others go on.
///
/// Each job's *slots* are the instants its cron expression names. At an instant `now`
/// (`pending(at:)`), a job is due for the latest slot at or before `now` that has not run
/// yet (by its `CatchUp` policy: that one slot, every missed one, or only a slot in the
/// current minute), plus any slot a crash interrupted. A slot that ran (succeeded,
/// failed or skipped) is never run again.
// @unchecked Sendable: configured once (clocks, hooks, policy), then driven by one thread (`runOnce`, `runForever`); the store it writes is itself thread-safe.
public final class ScheduleRunner: @unchecked Sendable {
    public struct Output: Sendable { public var ext: String; public var data: Data
        public init(ext: String, data: Data) { self.ext = ext; self.data = data } }

    /// The most slots one job catches up at once with `CatchUp.all`.
    public static let maxCatchUpSlots = 100

    public let store: Store
    public let jobs: [ScheduledJob]
    public let outputDirectory: URL
    /// The policy of jobs that do not set their own.
    public var catchUp: CatchUp = .latest
    /// The scheduler's clock: which slots are due (`--now` fixes it).
    public var clock: @Sendable () -> Date = { Date() }
    /// The real clock, for the start and end times runs are recorded (and sorted) with.
    public var wallClock: @Sendable () -> Date = { Date() }
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

    /// Jobs with a slot at `now` exactly (to the minute).
    public func due(at now: Date) -> [ScheduledJob] {
        jobs.filter { $0.schedule.matches(now) }
    }

    /// The latest slot any of these jobs ran for; `now` must not be before it (unless forced).
    public func checkClock(_ now: Date, force: Bool) throws {
        guard !force, let last = try store.latestScheduledSlot(jobs: jobs.map(\.name)), now < last else { return }
        throw ScheduleError.clockWentBack(requested: now, lastSlot: last)
    }

    /// What is due at `now`, oldest slot first per job: slots a crash interrupted, then by
    /// each job's catch-up policy the slots at or before `now` that have not run.
    public func pending(at now: Date) throws -> [(ScheduledJob, Date)] {
        var out: [(ScheduledJob, Date)] = []
        let interrupted = try store.markInterruptedRuns(at: wallClock())
        // A slot is "at or before now" to the second; cron slots are whole minutes.
        let end = Date(timeIntervalSince1970: floor(now.timeIntervalSince1970) + 1)
        for job in jobs {
            var slots: [Date] = []
            for r in interrupted where r.job == job.name {
                if let due = r.scheduledFor, due < end, !slots.contains(due) { slots.append(due) }
            }
            switch job.catchUp ?? catchUp {
            case .off:
                if let slot = job.schedule.previous(before: end), now.timeIntervalSince(slot) < 60 { slots.append(slot) }
            case .latest:
                if let slot = job.schedule.previous(before: end) { slots.append(slot) }
            case .all:
                if let last = try store.latestScheduledSlot(jobs: [job.name]), last < now {
                    var missed = job.schedule.occurrences(from: last.addingTimeInterval(1), to: end, limit: .max)
                    if missed.count > ScheduleRunner.maxCatchUpSlots {
                        log("schedule: \(job.name): \(missed.count) slots missed; running the latest \(ScheduleRunner.maxCatchUpSlots)")
                        missed = Array(missed.suffix(ScheduleRunner.maxCatchUpSlots))
                    }
                    slots += missed
                } else if let slot = job.schedule.previous(before: end) {
                    slots.append(slot)
                }
            }
            var seen = Set<Date>()
            for slot in slots.sorted() where seen.insert(slot).inserted {
                if try store.hasRun(job: job.name, scheduledFor: slot) { continue }
                out.append((job, slot))
            }
        }
        return out
    }

    /// What start-up runs: `pending(at: now)`.
    public func missed(now: Date) throws -> [(ScheduledJob, Date)] { try pending(at: now) }

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
        for (job, due) in jobs where !(((try? store.hasRun(job: job.name, scheduledFor: due)) ?? false)) {
            let started = wallClock()
            let id = (try? store.beginRun(job: job.name, scheduledFor: due, transaction: tx, at: started)) ?? -1
            do {
                let outputs = try render(job, due)
                let paths = try write(outputs, job: job, due: due)
                try store.endRun(id, status: .succeeded, error: nil, outputs: paths, at: wallClock())
                log("schedule: \(job.name) due \(ScheduleRunner.stamp(due, job.schedule.timeZone)) → \(paths.joined(separator: ", "))")
            } catch {
                failures += 1
                try? store.endRun(id, status: .failed, error: "\(error)", outputs: [], at: wallClock())
                log("schedule: \(job.name) due \(ScheduleRunner.stamp(due, job.schedule.timeZone)) failed: \(error)")
            }
        }
        return failures
    }

    private func record(_ job: ScheduledJob, _ due: Date, tx: Int64, status: RunRecord.Status, error: String?, outputs: [String]) {
        if let id = try? store.beginRun(job: job.name, scheduledFor: due, transaction: tx, at: wallClock()) {
            try? store.endRun(id, status: status, error: error, outputs: outputs, at: wallClock())
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

    /// Set to 1 by the SIGINT/SIGTERM handler, a C function pointer that cannot capture
    /// context (signal dispositions are process-wide anyway). What protects it: it is a
    /// `sig_atomic_t`, the one type a handler may write; the loop clears it before it
    /// installs the handler and only reads it after.
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
        let missedJobs = try pending(at: clock())
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
