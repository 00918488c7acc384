import CSQLite
import Foundation
import GRDB

/// A bulk write into a store that holds no statement yet (an analyst's first import) without
/// the write-ahead log's double write: the database is switched to SQLite's rollback journal
/// for the write and back to WAL after it. Appended pages (all of a fresh store's rows) are
/// not journaled at all, so each page is written once, into the database file, instead of
/// into the WAL and then again by the checkpoint. A process killed meanwhile leaves a hot
/// journal that the next open rolls back (SQLite's own recovery): the store opens as it was
/// before the write, or with all of it. Used by `BulkImporter`.
extension Store {
    /// Runs `body` with the store in rollback-journal mode when that is safe and pays: the
    /// store is a file, holds no statement, and no other connection (another process, a
    /// reader of this one still in use) has it open. Otherwise `body` runs as any write does,
    /// in WAL mode. `body` is told which (`true`: rollback journal). The journal mode is set
    /// back to WAL after `body`, whether it threw or not.
    func withRollbackJournalWhenEmpty<R>(_ body: (Bool) throws -> R) throws -> R {
        guard let pool = writer as? DatabasePool else { return try body(false) }
        // Leaving WAL mode needs the only connection: this store's idle readers are closed
        // (they open again on the next read).
        pool.releaseMemory()
        var leftWAL = false
        _ = try? pool.writeWithoutTransaction { db in
            guard try Int64.fetchOne(db, sql: "SELECT max(id) FROM statement") == nil else { return }
            // Another process that has the store open holds it in WAL mode: SQLite says busy.
            // Asked without waiting (the store's busy timeout would wait 10 s for nothing).
            guard let conn = db.sqliteConnection else { return }
            sqlite3_busy_timeout(conn, 0)
            defer { sqlite3_busy_timeout(conn, Store.busyTimeoutMilliseconds) }
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")?.lowercased() == "delete" else { return }
            leftWAL = true
            // With a rollback journal only FULL keeps a power cut from damaging the file (WAL is
            // safe with NORMAL). New pages are not journaled, so it costs a few syncs of a small
            // journal, not one per page.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        guard leftWAL else { return try body(false) }
        defer { restoreWAL(pool) }
        return try body(true)
    }

    /// Puts the store back in WAL mode (what every open expects; an open does it too, should
    /// this fail or the process die first).
    private func restoreWAL(_ pool: DatabasePool) {
        _ = try? pool.writeWithoutTransaction { db in
            // (Should another connection keep it from WAL mode, the store stays with the
            // rollback journal and FULL syncs, which is safe, until the next open.)
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")?.lowercased() == "wal" else { return }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")  // as `Store.open` sets it
        }
    }

    /// The busy timeout `Store.open` configures (`Configuration.busyMode`).
    static let busyTimeoutMilliseconds: Int32 = 10_000
}
