import ArgumentParser
import Foundation
import MosaicGraph
import MosaicSchedule

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run the plugins' reports on their schedules and file the briefings.",
        discussion: """
            Runs in the foreground until SIGINT or SIGTERM. Schedules come from the plugin specs (5-field cron,
            @hourly, @daily, @weekly; a time zone) and can be overridden in mosaic.yaml (schedule.jobs,
            schedule.catch_up, timezone; see docs/reports.md). Briefings are written to
            briefings/YYYY-MM-DD/NAME-HHMM.{md,html,json}; every run is recorded with its slot (mosaic runs).
            With --once (for system cron) it runs, for each job, the latest slot at or before --now (default: now)
            that has not run yet, once, and exits; a slot that ran is never run again, and a --now earlier than
            the last run's slot is refused unless --force. On start the foreground scheduler does the same.
            One scheduler per workspace.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "List the scheduled reports and their next run times, then exit.") var list = false
    @Flag(help: "Run what is due at --now (or now) and exit: for tests and system cron.") var once = false
    @Option(help: "The instant to act at, with --once (2025-10-30T06:00Z).") var now: String?
    @Flag(help: "With --once: act at a --now earlier than the last run's slot.") var force = false

    func run() throws {
        let ws = try options.open()
        let config = try ws.config()
        let entries = try ws.plugins.reports().entries
        var jobs: [ScheduledJob] = []
        var byName: [String: ReportEntry] = [:]
        for e in entries {
            let override = config.jobs[e.job]
            if override?.enabled == false { continue }
            guard let cron = override?.cron ?? e.schedule else { continue }
            let zone = override?.timezone ?? e.timezone ?? config.timezone
            let schedule: CronSchedule
            do { schedule = try CronSchedule(cron, timeZoneIdentifier: zone) } catch {
                throw CLIError("error: the schedule of \(e.job): \(error)")
            }
            jobs.append(ScheduledJob(name: e.job, schedule: schedule, formats: override?.formats ?? e.formats,
                                     catchUp: override?.catchUp))
            byName[e.job] = e
        }
        var clock: Date = Date()
        if let now {
            guard let d = PartialDate(now) else { throw CLIError.usage("--now takes a date-time such as 2025-10-30T06:00Z", usage: "mosaic schedule --once --now T") }
            clock = d.date
        }
        let fixed = clock
        let runner = ScheduleRunner(store: ws.store, jobs: jobs, outputDirectory: ws.root.appendingPathComponent("briefings"),
                                    prepare: {
            try ws.loadKBIfChanged(quiet: true)
            _ = try ws.plugins.infer(dryRun: false)
            return ws.store.graph.transaction
        }, render: { job, due in
            guard let entry = byName[job.name] else { return [] }
            let doc = try Briefing.run(entry, ws: ws, graph: ws.store.graph.viewed(ClockView(knownBy: PartialDate(due))), asOf: nil, now: due)
            return job.formats.map { ScheduleRunner.Output(ext: $0, data: Briefing.render(doc, format: $0)) }
        })
        runner.catchUp = config.catchUp
        if now != nil { runner.clock = { fixed } }

        if list {
            if jobs.isEmpty { print("nothing is scheduled (a plugin's spec sets schedule = {report = \"0 6 * * *\"}, or mosaic.yaml's schedule.jobs)") }
            let f = ISO8601DateFormatter()
            for (job, next) in runner.upcoming(count: 3) {
                f.timeZone = job.schedule.timeZone
                print("\(job.name)  \(job.schedule)  next: \(next.map { f.string(from: $0) }.joined(separator: ", "))")
            }
            return
        }
        let lock = try ScheduleLock(ws.stateDirectory.appendingPathComponent("schedule.lock"))
        defer { lock.release() }
        if once {
            do { try runner.checkClock(fixed, force: force) } catch { throw CLIError("error: \(error)", exitCode: 1) }
            let work = try runner.pending(at: fixed)
            if work.isEmpty { print("nothing due at \(ISO8601DateFormatter().string(from: fixed)) (every job's latest slot has run)") }
            let failures = runner.runJobs(work)
            if failures > 0 { throw CLIError("error: \(failures) run\(failures == 1 ? "" : "s") failed; see mosaic runs", exitCode: 1) }
            return
        }
        print("mosaic schedule: \(jobs.count) job\(jobs.count == 1 ? "" : "s"); Ctrl-C stops")
        try runner.runForever()
    }
}

/// One scheduler per workspace: an exclusive lock on .mosaic/schedule.lock.
final class ScheduleLock {
    let fd: Int32
    init(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        fd = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw CLIError("error: cannot open \(url.path)") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buf = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buf, buf.count)
            let pid = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw CLIError("error: another scheduler is running in this workspace (pid \(pid)); stop it first, or use --once alongside system cron")
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }
    func release() { flock(fd, LOCK_UN); close(fd) }
}
