import Foundation
import GRDB
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// The bulk import streams its files in chunks of rows read a block of bytes at a time
/// (BulkImporter, ImportFileReader). Tiny chunks and blocks cut records, quoted fields and
/// line ends in every place: the store and its snapshot must come out the same as with one
/// chunk, and the same as the snapshot loaded from the log; a bad row in a later chunk, after
/// earlier chunks were inserted, must still write nothing.
final class ChunkedImportTests: StoreDirectoryTestCase {
    /// Node rows with quoted fields (commas, doubled quotes, a line break), labels that are
    /// also types, aliases and props; CRLF line ends and a byte-order mark in the second file.
    func writeFiles() throws -> [String] {
        var nodes = "id,type,name,props,labels,aliases\n"
        for i in 0..<40 {
            let name: String
            switch i % 4 {
            case 0: name = "\"Port, \(i)\""
            case 1: name = "\"The \"\"Quoted\"\" \(i)\""
            case 2: name = "\"Two\nlines \(i)\""
            default: name = "Plain \(i)"
            }
            let props = i % 3 == 0 ? "\"{\"\"rank\"\":\(i)}\"" : ""
            let labels = i % 5 == 0 ? "Person;Watched" : ""
            nodes += "N\(i),\(i % 2 == 0 ? "Base" : "Organization"),\(name),\(props),\(labels),\(i % 7 == 0 ? "a\(i);b\(i)" : "")\n"
        }
        var more = "\u{FEFF}id,type,name\r\n"
        for i in 0..<15 { more += "P\(i),Person,Person \(i)\r\n" }
        // A JSON Lines file with nodes and edges mixed: its nodes come before every edge.
        var mixed = ""
        for i in 0..<12 {
            mixed += #"{"src": "J\#(i)", "dst": "N\#(i)", "type": "NEAR", "since": "2020-0\#(i % 9 + 1)"}"# + "\n"
            mixed += #"{"id": "J\#(i)", "type": "Base", "name": "J \#(i)"}"# + "\n"
        }
        var edges = "src,dst,type,date,source,note\n"
        for j in 0..<150 {
            let note = j % 6 == 0 ? "\"seen, \"\"twice\"\"\"" : ""
            edges += "N\(j % 40),\(j % 3 == 0 ? "P\(j % 15)" : "N\((j * 7 + 1) % 40)"),\(["LOCATED_IN", "MET_WITH", "OPERATES"][j % 3]),"
                + "\(j % 4 == 0 ? "2021-0\(j % 9 + 1)" : ""),\(j % 5 == 0 ? "A\(j % 3)" : ""),\(note)\n"
        }
        let files = [("nodes.csv", nodes), ("edges.csv", edges), ("mixed.jsonl", mixed), ("more.csv", more)]
        return try files.map { name, text in
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
    }

    /// Every statement row of a store (but the transaction's time).
    func rows(_ store: Store) throws -> [String] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM statement ORDER BY id").map { "\($0)" }
        }
    }

    /// Everything readers see (`GraphDigest`), and each label's nodes in order.
    func assertSame(_ a: Graph, _ b: Graph, _ step: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(GraphDigest.lines(a), GraphDigest.lines(b), step, file: file, line: line)
        XCTAssertEqual(a.labels, b.labels, step, file: file, line: line)
        for label in a.labels { XCTAssertEqual(a.nodes(withLabel: label), b.nodes(withLabel: label), "\(step): \(label)", file: file, line: line) }
        XCTAssertEqual(a.nextStatementID, b.nextStatementID, step, file: file, line: line)
    }

    func testChunkAndBlockBoundariesChangeNothing() throws {
        let files = try writeFiles()
        let whole = try Store.inMemory()
        let report = try BulkImporter(store: whole, chunkRows: 1_000_000, blockSize: 1 << 20).importFiles(files)
        XCTAssertEqual(report.nodes, 40 + 12 + 15)
        XCTAssertEqual(report.relations, 150 + 12)
        let g = whole.graph
        XCTAssertEqual(g.node(g.lookup(key: "N1")!).name, "The \"Quoted\" 1")
        XCTAssertEqual(g.node(g.lookup(key: "N2")!).name, "Two\nlines 2")
        XCTAssertEqual(g.node(g.lookup(key: "P3")!).name, "Person 3")
        assertSame(g, try whole.snapshot(asOf: .transaction(whole.lastTransaction)), "one chunk against the log")
        // Statement ids: all the nodes (file order, the JSON Lines file's among them), then all the edges.
        let kinds = try whole.writer.read { db in try Int.fetchAll(db, sql: "SELECT kind FROM statement ORDER BY id") }
        XCTAssertEqual(kinds.firstIndex(of: 3), kinds.count - 162)
        let entities = try whole.writer.read { db in try String.fetchAll(db, sql: "SELECT subject FROM statement WHERE kind = 0 ORDER BY id") }
        XCTAssertEqual(entities, (0..<40).map { "N\($0)" } + (0..<12).map { "J\($0)" } + (0..<15).map { "P\($0)" })
        for (chunkRows, blockSize) in [(1, 1), (7, 13), (3, 64), (50, 5), (100_000, 2)] {
            let store = try Store.inMemory()
            let r = try BulkImporter(store: store, chunkRows: chunkRows, blockSize: blockSize).importFiles(files)
            XCTAssertEqual(r, report, "chunks of \(chunkRows), blocks of \(blockSize)")
            XCTAssertEqual(try rows(store), try rows(whole), "chunks of \(chunkRows), blocks of \(blockSize)")
            assertSame(store.graph, g, "chunks of \(chunkRows), blocks of \(blockSize)")
        }
    }

    func testTheSnapshotFileWrittenInPiecesOpensTheSameGraph() throws {
        let files = try writeFiles()
        do {
            let store = try Store.open(path: path)
            try BulkImporter(store: store, chunkRows: 9, blockSize: 100).importFiles(files)
            let reopened = try Store.open(path: path)
            assertSame(reopened.graph, store.graph, "reopened from the snapshot file")
            XCTAssertEqual(try reopened.integrityCheck(), "ok")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-snapshot"))
        // The import's write-ahead log was folded into the database and truncated at its end.
        let store = try Store.open(path: path)
        try BulkImporter(store: store, chunkRows: 5, blockSize: 64).importFiles([files[3]].map {
            let copy = dir.appendingPathComponent("again.csv").path
            try? FileManager.default.removeItem(atPath: copy)
            try? FileManager.default.copyItem(atPath: $0, toPath: copy)
            return copy
        })
        let wal = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
        XCTAssertEqual(wal, 0, "the WAL after an import, the store still open")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasSuffix(".tmp") })
    }

    /// A bad row after several chunks were inserted and applied: nothing is written, the
    /// error names the file and line, and the subject index dropped for the import is back.
    func testAnErrorInALaterChunkWritesNothing() throws {
        let files = try writeFiles()
        let store = try Store.open(path: path)
        try BulkImporter(store: store).importFiles([files[3]])  // the Person nodes
        let before = try rows(store)
        let tx = store.lastTransaction
        let cases: [(String, String, String)] = [
            // (file name, text, what the error says)
            ("late-edge.csv", "src,dst,type\n" + (0..<60).map { "P\($0 % 15),P\(($0 + 1) % 15),KNOWS\n" }.joined() + "P1,nowhere,KNOWS\n",
             "late-edge.csv:62: unknown entity 'nowhere'"),
            ("late-date.csv", "src,dst,type,date\n" + (0..<60).map { "P\($0 % 15),P1,KNOWS,2020\n" }.joined() + "P2,P1,KNOWS,yesterday\n",
             "late-date.csv:62: 'yesterday' is not a date"),
            ("late-node.csv", "id,type,name\n" + (0..<60).map { "Q\($0),Person,Q \($0)\n" }.joined() + "P3,Base,Clash\n",
             "late-node.csv:62: entity 'P3' already exists with type Person"),
            ("late-quote.csv", "id,type,name\n" + (0..<60).map { "R\($0),Person,R \($0)\n" }.joined() + "R99,Person,\"open\n",
             "late-quote.csv:62: a quoted field is not closed"),
            ("late-fields.jsonl", (0..<60).map { #"{"id": "S\#($0)", "type": "Person"}"# + "\n" }.joined() + "{\"id\": \n",
             "late-fields.jsonl:61: not a JSON object"),
        ]
        for (name, text, expected) in cases {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            // The bad row comes with the first files' nodes and edges, in chunks of 8 rows.
            XCTAssertThrowsError(try BulkImporter(store: store, chunkRows: 8, blockSize: 32).importFiles([files[0], files[1], url.path])) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
            XCTAssertEqual(store.lastTransaction, tx, name)
            XCTAssertEqual(try rows(store), before, name)
            XCTAssertNil(store.graph.lookup(key: "N1"), name)
            let indexes = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'") }
            XCTAssertTrue(indexes.contains("statement_subject"), name)
        }
        // The store still takes the good files, and a new process opens it.
        try BulkImporter(store: store, chunkRows: 8, blockSize: 32).importFiles(Array(files[0..<3]))
        assertSame(try Store.open(path: path).graph, store.graph, "reopened after the failed imports")
        XCTAssertEqual(try store.integrityCheck(), "ok")
    }

    func testAMissingFileWritesNothing() throws {
        let files = try writeFiles()
        let store = try Store.inMemory()
        XCTAssertThrowsError(try BulkImporter(store: store, chunkRows: 4, blockSize: 16).importFiles([files[0], dir.appendingPathComponent("none.csv").path])) { error in
            XCTAssertTrue("\(error)".contains("none.csv:0: cannot read the file"), "\(error)")
        }
        XCTAssertEqual(store.lastTransaction, 0)
        XCTAssertEqual(store.graph.liveNodeCount, 0)
    }

    /// The queue between the threads: bounded, in order, closed and cancelled.
    func testChunkQueue() {
        let q = ChunkQueue<Int>(capacity: 2)
        final class Taken: @unchecked Sendable { var items: [Int] = [] }  // (written by the thread, read after `done`)
        let taken = Taken()
        let done = DispatchSemaphore(value: 0)
        Thread {
            while let x = q.take() { taken.items.append(x) }
            done.signal()
        }.start()
        for i in 0..<1_000 { XCTAssertTrue(q.put(i)) }
        q.close()
        done.wait()
        XCTAssertEqual(taken.items, Array(0..<1_000))
        let c = ChunkQueue<Int>(capacity: 1)
        XCTAssertTrue(c.put(1))
        Thread { Thread.sleep(forTimeInterval: 0.05); c.cancel() }.start()
        XCTAssertFalse(c.put(2), "a full queue refuses once cancelled")
        XCTAssertNil(c.take())
    }
}
