import Foundation
import GRDB
import MosaicGraph

/// The record of plugin and report runs (the scheduler's history and "since last run").
public struct RunRecord: Sendable, Hashable {
    public enum Status: String, Sendable { case running, succeeded, failed, interrupted, skipped }
    public var id: Int64
    /// What ran: `plugin/report` or `plugin:run`.
    public var job: String
    /// The instant the run was due (scheduled runs), or nil.
    public var scheduledFor: Date?
    public var started: Date
    public var ended: Date?
    public var status: Status
    public var error: String?
    public var outputs: [String]
    /// The KB transaction the run read.
    public var transaction: Int64
}

extension Store {
    static func registerRunLog(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-runs") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY,
                    job TEXT NOT NULL,
                    scheduled_for REAL,
                    started REAL NOT NULL,
                    ended REAL,
                    status TEXT NOT NULL,
                    error TEXT,
                    outputs TEXT,
                    kb_tx INTEGER NOT NULL
                );
                CREATE INDEX run_job ON run(job, started);
                """)
        }
    }

    /// The process that runs each `running` row, so that the next start can tell a run whose
    /// process died (kill -9, a crash, a power cut) from one still running elsewhere.
    static func registerRunOwner(_ m: inout DatabaseMigrator) {
        m.registerMigration("v5-run-owner") { db in
            try db.execute(sql: "ALTER TABLE run ADD COLUMN pid INTEGER")
        }
    }

    /// Marks interrupted the runs left `running` by processes that are gone (a row without
    /// a process id, from before v5, counts as gone); runs of live processes, this one
    /// included, are left alone. Returns the runs marked. A no-op read when none is running.
    @discardableResult
    public func markAbandonedRuns(at: Date) throws -> [RunRecord] {
        let running = try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, pid FROM run WHERE status = 'running'").map { ($0[0] as Int64, $0[1] as Int32?) }
        }
        let me = getpid()
        let dead = running.filter { _, pid in
            guard let pid else { return true }
            if pid == me { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }.map(\.0)
        guard !dead.isEmpty else { return [] }
        let list = Value.list(dead.map(Value.int)).encoded
        try writer.write { db in
            try db.execute(sql: """
                UPDATE run SET status = 'interrupted', ended = ?,
                    error = coalesce(error, 'the process running it ended before it finished (killed or crashed)')
                WHERE status = 'running' AND id IN (SELECT value FROM json_each(?))
                """, arguments: [at.timeIntervalSince1970, list])
        }
        return try runs(where: "id IN (SELECT value FROM json_each(?))", [list])
    }

    /// Records that a run started; returns its id.
    public func beginRun(job: String, scheduledFor: Date?, transaction: Int64, at: Date) throws -> Int64 {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO run (job, scheduled_for, started, status, kb_tx, pid) VALUES (?, ?, ?, 'running', ?, ?)",
                           arguments: [job, scheduledFor?.timeIntervalSince1970, at.timeIntervalSince1970, transaction, getpid()])
            return db.lastInsertedRowID
        }
    }

    public func endRun(_ id: Int64, status: RunRecord.Status, error: String?, outputs: [String], at: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE run SET ended = ?, status = ?, error = ?, outputs = ? WHERE id = ?",
                           arguments: [at.timeIntervalSince1970, status.rawValue, error, outputs.joined(separator: "\n"), id])
        }
    }

    /// Runs left `running` by a process that died are marked interrupted; returns them.
    @discardableResult
    public func markInterruptedRuns(at: Date) throws -> [RunRecord] {
        let stale = try runs(where: "status = 'running'")
        try writer.write { db in
            try db.execute(sql: "UPDATE run SET status = 'interrupted', ended = ? WHERE status = 'running'", arguments: [at.timeIntervalSince1970])
        }
        return stale.map { var r = $0; r.status = .interrupted; return r }
    }

    /// The newest runs first (all jobs, or one).
    public func runs(job: String? = nil, limit: Int = 100) throws -> [RunRecord] {
        if let job { return try runs(where: "job = ?", [job], limit: limit) }
        return try runs(where: "1", limit: limit)
    }

    /// The last successful run of a job.
    public func lastSuccessfulRun(job: String) throws -> RunRecord? {
        try runs(where: "job = ? AND status = 'succeeded'", [job], limit: 1).first
    }

    /// Whether a run of `job` due at `scheduledFor` already succeeded (so it is not run twice).
    public func hasCompletedRun(job: String, scheduledFor: Date) throws -> Bool {
        !(try runs(where: "job = ? AND scheduled_for = ? AND status = 'succeeded'", [job, scheduledFor.timeIntervalSince1970], limit: 1)).isEmpty
    }

    /// Whether `job`'s slot `scheduledFor` already ran to an end (succeeded, failed or
    /// skipped): the scheduler never runs such a slot again. A run a crash left behind
    /// (interrupted) does not count.
    public func hasRun(job: String, scheduledFor: Date) throws -> Bool {
        !(try runs(where: "job = ? AND scheduled_for = ? AND status IN ('succeeded', 'failed', 'skipped')",
                   [job, scheduledFor.timeIntervalSince1970], limit: 1)).isEmpty
    }

    /// The latest slot any of `jobs` (all jobs when nil) was run for, or nil.
    public func latestScheduledSlot(jobs: [String]? = nil) throws -> Date? {
        try writer.read { db in
            var sql = "SELECT MAX(scheduled_for) FROM run WHERE scheduled_for IS NOT NULL"
            var args: StatementArguments = []
            if let jobs {
                guard !jobs.isEmpty else { return nil }
                sql += " AND job IN (\(jobs.map { _ in "?" }.joined(separator: ", ")))"
                args = StatementArguments(jobs)
            }
            return try Double.fetchOne(db, sql: sql, arguments: args).map { Date(timeIntervalSince1970: $0) }
        }
    }

    private func runs(where clause: String, _ args: StatementArguments = [], limit: Int = 1000) throws -> [RunRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, job, scheduled_for, started, ended, status, error, outputs, kb_tx FROM run
                WHERE \(clause) ORDER BY started DESC, id DESC LIMIT \(limit)
                """, arguments: args).map { row in
                RunRecord(id: row[0], job: row[1], scheduledFor: (row[2] as Double?).map { Date(timeIntervalSince1970: $0) },
                          started: Date(timeIntervalSince1970: row[3]), ended: (row[4] as Double?).map { Date(timeIntervalSince1970: $0) },
                          status: RunRecord.Status(rawValue: row[5]) ?? .failed, error: row[6],
                          outputs: ((row[7] as String?) ?? "").split(separator: "\n").map(String.init), transaction: row[8])
            }
        }
    }
}
