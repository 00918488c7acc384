import Foundation
import GRDB
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// An import into a store without statements writes with SQLite's rollback journal instead
/// of the WAL (Store+FreshImport.swift). It must give the store a WAL-mode import gives, leave
/// the store in WAL mode whether it succeeded or failed, and not be taken when the store holds
/// statements or another connection has it open. (A kill during it: CrashSafetyTests.)
final class FreshImportTests: StoreDirectoryTestCase {
    func files() throws -> [String] {
        var nodes = "id,type,name,props\n"
        for i in 0..<300 { nodes += "N\(i),\(i % 2 == 0 ? "Person" : "Organization"),Name \(i),\"{\"\"rank\"\":\(i)}\"\n" }
        var edges = "src,dst,type,date,source\n"
        for j in 0..<900 { edges += "N\(j % 300),N\((j * 7 + 1) % 300),KNOWS,\(j % 3 == 0 ? "2021-0\(j % 9 + 1)" : ""),\(j % 4 == 0 ? "N\(j % 5)" : "")\n" }
        return try [("nodes.csv", nodes), ("edges.csv", edges)].map { name, text in
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
    }

    func rows(_ store: Store) throws -> [String] {
        try store.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM statement ORDER BY id").map { "\($0)" } }
    }

    func journalMode(_ store: Store) throws -> String {
        try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Every table and index but the statements (same schema, same migrations recorded).
    func schema(_ store: Store) throws -> [String] {
        try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY name")
                + String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                + String.fetchAll(db, sql: "SELECT first || '-' || last FROM text_backlog")
        }
    }

    func testAFreshImportWritesWhatAWALImportWrites() throws {
        let files = try files()
        let fresh = try Store.open(path: path)
        let r1 = try BulkImporter(store: fresh, chunkRows: 50, blockSize: 512).importFiles(files)
        XCTAssertTrue(r1.rollbackJournal, "an empty store, open nowhere else")
        XCTAssertEqual(try journalMode(fresh), "wal", "back in WAL mode after the import")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))

        // The same import into an empty store another connection holds open: the WAL path.
        let otherPath = dir.appendingPathComponent("other.sqlite").path
        let walStore = try Store.open(path: otherPath)
        let other = try DatabaseQueue(path: otherPath)
        _ = try other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM statement") }
        let start = Date()
        let r2 = try BulkImporter(store: walStore, chunkRows: 50, blockSize: 512).importFiles(files)
        XCTAssertFalse(r2.rollbackJournal, "another connection has the store open")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "the busy store is not waited for")
        XCTAssertEqual(r1.statements, r2.statements)
        XCTAssertEqual(try rows(fresh), try rows(walStore))
        XCTAssertEqual(try schema(fresh), try schema(walStore))
        XCTAssertEqual(GraphDigest.lines(fresh.graph), GraphDigest.lines(walStore.graph))
        try other.close()

        // Reopened from its snapshot file, the fresh store is the same graph and a sound database.
        let reopened = try Store.open(path: path)
        XCTAssertEqual(GraphDigest.lines(reopened.graph), GraphDigest.lines(fresh.graph))
        XCTAssertEqual(try reopened.integrityCheck(), "ok")
        XCTAssertEqual(try journalMode(reopened), "wal")

        // A second import into the store (now not empty) takes the WAL path.
        let more = dir.appendingPathComponent("more.csv")
        try "id,type,name\nM1,Person,More\n".write(to: more, atomically: true, encoding: .utf8)
        let r3 = try BulkImporter(store: reopened).importFiles([more.path])
        XCTAssertFalse(r3.rollbackJournal)
        XCTAssertEqual(reopened.graph.liveNodeCount, 301)
    }

    /// A bad row in a late chunk of a fresh import: nothing is written, the store is back in
    /// WAL mode, sound, and the next import takes the fresh path again.
    func testAFailedFreshImportLeavesTheEmptyStore() throws {
        let files = try files()
        let bad = dir.appendingPathComponent("bad.csv")
        try ("src,dst,type\n" + (0..<100).map { "N\($0),N\($0 + 1),KNOWS\n" }.joined() + "N1,nowhere,KNOWS\n")
            .write(to: bad, atomically: true, encoding: .utf8)
        let store = try Store.open(path: path)
        XCTAssertThrowsError(try BulkImporter(store: store, chunkRows: 20, blockSize: 256).importFiles(files + [bad.path])) { error in
            XCTAssertTrue("\(error)".contains("unknown entity 'nowhere'"), "\(error)")
        }
        XCTAssertEqual(try rows(store), [])
        XCTAssertEqual(store.lastTransaction, 0)
        XCTAssertEqual(try journalMode(store), "wal")
        XCTAssertEqual(try store.integrityCheck(), "ok")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))
        let indexes = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'statement_%' ORDER BY name") }
        XCTAssertEqual(indexes, ["statement_open_file", "statement_subject", "statement_tx_to"])
        let r = try BulkImporter(store: store).importFiles(files)
        XCTAssertTrue(r.rollbackJournal)
        XCTAssertEqual(r.nodes, 300)
        XCTAssertEqual(try Store.open(path: path).integrityCheck(), "ok")
    }

    /// A rollback journal left beside a store (a killed fresh import) is moved aside with it:
    /// it must not be applied to the next store made under the name.
    func testSetAsideMovesARollbackJournal() throws {
        _ = try Store.open(path: path)
        try Data("journal".utf8).write(to: URL(fileURLWithPath: path + "-journal"))
        let moved = try XCTUnwrap(Store.setAside(path: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-journal"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved + "-journal"))
    }
}
