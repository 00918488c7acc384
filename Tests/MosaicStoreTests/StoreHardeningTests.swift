import Foundation
import GRDB
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// Issue 19: what the store refuses to write, files that are not a store, runs left behind,
/// and writes of many properties of one entity applied in one pass.
final class StoreHardeningTests: StoreDirectoryTestCase {
    func meta() -> StatementMeta { StatementMeta(origin: .system("test")) }

    // MARK: - many properties of one entity

    func testManyPropertiesOfOneEntitySetAndRetractedInPlaceMatchARebuild() throws {
        let store = try Store.inMemory()
        var ids: [Int64] = []
        try store.write(origin: .system("test")) { tx in
            try tx.assert(StatementDraft(subject: "e", kind: .entity(type: "Thing"), meta: meta()))
            for i in 0..<200 {
                ids.append(try tx.assert(StatementDraft(subject: "e", kind: .property(name: "p\(i)", value: .int(Int64(i))), meta: meta())))
            }
            ids.append(try tx.assert(StatementDraft(subject: "e", kind: .property(name: "name", value: .string("Wide thing")), meta: meta())))
        }
        // One write retracts every other property and the name, and replaces p1.
        try store.write(origin: .system("test")) { tx in
            for (i, id) in ids.enumerated() where i % 2 == 0 || i == 200 { try tx.retract(id) }
            try tx.retract(ids[1])
            try tx.assert(StatementDraft(subject: "e", kind: .property(name: "p1", value: .string("new")), meta: meta()))
        }
        let inPlace = store.graph
        let n = try XCTUnwrap(inPlace.lookup(key: "e"))
        XCTAssertEqual(inPlace.node(n).entries.count, 100)
        XCTAssertNil(inPlace.node(n).property("p0"))
        XCTAssertEqual(inPlace.node(n).property("p3"), .int(3))
        XCTAssertEqual(inPlace.node(n).property("p1"), .string("new"))
        XCTAssertEqual(inPlace.node(n).property("p199"), .int(199))
        XCTAssertTrue(inPlace.nodes(named: "Wide thing").isEmpty, "the retracted name left the name index")
        try store.refresh()
        XCTAssertEqual(GraphDigest.lines(inPlace), GraphDigest.lines(store.graph))
    }

    func testANodeWithManyPropertiesFindsEachByNameAfterRemovals() {
        var node = Node(key: "e", labels: ["Thing"], statement: 1)
        for i in 0..<100 { node.setEntry("p\(i)", .int(Int64(i)), statement: Int64(i + 2)) }
        XCTAssertEqual(node.propertyStatement("p57"), 59)
        _ = node.removeEntries(["p0", "p10", "p99"])
        node.setEntry("p50", nil, statement: 0)
        XCTAssertEqual(node.entries.count, 96)
        XCTAssertEqual(node.entries.map(\.name).prefix(2), ["p1", "p2"], "the order the properties were set in is kept")
        for i in 0..<100 {
            let expected: Value? = [0, 10, 50, 99].contains(i) ? nil : .int(Int64(i))
            XCTAssertEqual(node.property("p\(i)"), expected, "p\(i)")
        }
        node.setEntry("p10", .int(-1), statement: 500)
        XCTAssertEqual(node.property("p10"), .int(-1))
        XCTAssertEqual(node.entries.last?.name, "p10")
    }

    // MARK: - a file that is not a store

    func testAnEmptyOrForeignFileIsNotAStoreAndIsLeftAlone() throws {
        let path = dir.appendingPathComponent("store.sqlite").path
        // An empty file where a store was created before: truncated.
        try Data("created".utf8).write(to: URL(fileURLWithPath: path + "-created"))
        for (content, expected) in [(Data(), "empty"), (Data("garbage, not a database at all".utf8), "not an SQLite database")] {
            try content.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Store.open(path: path)) { error in
                guard case StoreError.notAStore = error else { return XCTFail("\(error)") }
                let text = "\(error)"
                XCTAssertTrue(text.contains(expected) && text.contains("mosaic load --rebuild"), text)
            }
            XCTAssertEqual(FileManager.default.contents(atPath: path), content, "the file is not touched")
        }
    }

    func testAnEmptyFileWithNoSnapshotIsAStoreBeingCreated() throws {
        // A process killed while creating the store leaves an empty file (its first pages were
        // in the WAL, or never written): that opens, as a new store.
        let path = dir.appendingPathComponent("new.sqlite").path
        try Data().write(to: URL(fileURLWithPath: path))
        let store = try Store.open(path: path)
        XCTAssertEqual(store.lastTransaction, 0)
    }

    func testADatabaseKilledBeforeItsFirstMigrationIsAStoreBeingCreated() throws {
        // The migrator's own table is created before the first migration's transaction:
        // a kill between the two leaves a database holding that table alone.
        let path = dir.appendingPathComponent("half.sqlite").path
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        let store = try Store.open(path: path)
        XCTAssertEqual(store.lastTransaction, 0)
        XCTAssertEqual(try Store.open(path: path).lastTransaction, 0)
    }

    func testAnotherProgramsDatabaseIsNotAStore() throws {
        let path = dir.appendingPathComponent("other.sqlite").path
        let store = try Store.open(path: path)   // a real store, then made into another program's database
        _ = store
        try Store.open(path: path).writer.write { db in
            try db.execute(sql: "DROP TABLE statement; CREATE TABLE notes (body TEXT)")
        }
        XCTAssertThrowsError(try Store.open(path: path)) { error in
            guard case StoreError.notAStore = error else { return XCTFail("\(error)") }
        }
    }

    func testSetAsideMovesTheStoresFilesAndANewStoreStartsEmpty() throws {
        let path = dir.appendingPathComponent("store.sqlite").path
        try Data().write(to: URL(fileURLWithPath: path))
        try Data("x".utf8).write(to: URL(fileURLWithPath: path + "-snapshot"))
        let moved = try XCTUnwrap(Store.setAside(path: path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved))
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved + "-snapshot"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let store = try Store.open(path: path)
        XCTAssertEqual(store.graph.liveNodeCount, 0)
    }

    // MARK: - runs left running

    func testRunsOfAProcessThatEndedAreMarkedInterruptedAndLiveOnesAreNot() throws {
        let store = try Store.open(path: dir.appendingPathComponent("store.sqlite").path)
        let mine = try store.beginRun(job: "p/daily", scheduledFor: nil, transaction: 0, at: Date())
        let dead = try store.beginRun(job: "p:run", scheduledFor: nil, transaction: 0, at: Date())
        // A process id no process has (above Linux's pid_max).
        try store.writer.write { db in try db.execute(sql: "UPDATE run SET pid = ? WHERE id = ?", arguments: [Int32.max, dead]) }
        let marked = try store.markAbandonedRuns(at: Date())
        XCTAssertEqual(marked.map(\.id), [dead])
        let byID = Dictionary(uniqueKeysWithValues: try store.runs().map { ($0.id, $0) })
        XCTAssertEqual(byID[dead]?.status, .interrupted)
        XCTAssertNotNil(byID[dead]?.error)
        XCTAssertEqual(byID[mine]?.status, .running, "this process's run is still running")
        XCTAssertEqual(try store.markAbandonedRuns(at: Date()).count, 0)
    }

    // MARK: - read-only

    func testAWriteToAStoreThatCannotBeWrittenSaysSoInOneLine() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("test")) { tx in
            try tx.assert(StatementDraft(subject: "e", kind: .entity(type: "Thing"), meta: meta()))
        }
        // What a read-only file or folder does to SQLite, on a store this test can make.
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
        XCTAssertThrowsError(try store.write(origin: .system("test")) { tx in
            try tx.assert(StatementDraft(subject: "f", kind: .entity(type: "Thing"), meta: meta()))
        }) { error in
            guard case StoreError.readOnly = error else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("INSERT"), "no SQL text: \(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertEqual(store.graph.liveNodeCount, 1, "reads still work")
    }

    // MARK: - validation

    func testQueryWritesAreValidatedBeforeCommit() throws {
        let store = try Store.inMemory()
        for (label, value) in [("Thing", Value.float(.nan)), ("", Value.string("a\u{0}b")), ("Bad\u{1}Type", Value.int(1))] {
            var g = store.graph
            g.isRecording = true
            let n = g.addNode(labels: label.isEmpty ? [] : [label])
            g.setProperty(n, "x", value)
            XCTAssertThrowsError(try store.commit(g, changes: g.takeChanges(), origin: .console(session: "t"))) { error in
                guard case StoreError.invalidWrite = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(store.graph.liveNodeCount, 0)
        // A node without labels (openCypher's CREATE (n)) is fine.
        var g = store.graph
        g.isRecording = true
        let n = g.addNode()
        g.setProperty(n, "x", .float(1.5))
        XCTAssertNoThrow(try store.commit(g, changes: g.takeChanges(), origin: .console(session: "t")))
    }

    /// An import checkpoints and truncates the write-ahead log at the end (issue 15): the
    /// store is one file of its size again, and it reopens with everything.
    func testImportLeavesNoLargeLog() throws {
        let path = dir.appendingPathComponent("store.sqlite").path
        let nodes = dir.appendingPathComponent("nodes.csv")
        var csv = "id,type,name\n"
        for i in 0..<20_000 { csv += "e\(i),Thing,Entity number \(i) with a longer name\n" }
        try csv.write(to: nodes, atomically: true, encoding: .utf8)
        do {
            let store = try Store.open(path: path)
            try BulkImporter(store: store).importFiles([nodes.path])
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            XCTAssertEqual(wal, 0, "the log is truncated after the import")
        }
        let reopened = try Store.open(path: path)
        XCTAssertEqual(reopened.graph.liveNodeCount, 20_000)
    }

    func testImportRowsAreValidatedAndAnIdOfAnotherTypeIsAnError() throws {
        let store = try Store.inMemory()
        let nodes = dir.appendingPathComponent("nodes.csv")
        try "id,type,name\nrussia,Country,Russia\n".write(to: nodes, atomically: true, encoding: .utf8)
        try BulkImporter(store: store).importFiles([nodes.path])
        let cases: [(String, String, String)] = [
            ("dup.csv", "id,type,name\nsyria,Country,Syria\nrussia,Base,Dup\n", "dup.csv:3: entity 'russia' already exists with type Country"),
            ("nul.csv", "id,type,name\nru\u{0}x,Country,X\n", "nul.csv:2: entity id must not contain control characters"),
            ("type.csv", "id,type,name\nx,Coun\u{0}try,X\n", "type.csv:2: entity type must not contain control characters"),
            ("nan.jsonl", "{\"id\": \"x\", \"type\": \"Thing\", \"props\": {\"v\": \"a\\u0000b\"}}\n", "nan.jsonl:1: string value must not contain a NUL byte"),
            ("edge.csv", "src,dst,type\nrussia,russia,\"BAD TYPE\"\n", "edge.csv:2: relation type 'BAD TYPE' must not contain whitespace"),
            ("twice.csv", "id,type,name\nnew,Country,A\nnew,Base,B\n", "twice.csv:3: entity 'new' already exists with type Country"),
        ]
        for (name, text, expected) in cases {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try BulkImporter(store: store).importFiles([url.path]), name) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(name): \(error)")
            }
        }
        let g = store.graph
        XCTAssertEqual(g.liveNodeCount, 1, "nothing of the refused imports was written")
        XCTAssertEqual(g.node(g.lookup(key: "russia")!).labels, ["Country"])
        XCTAssertEqual(try store.statements(subject: "russia").count, 2)
    }
}
