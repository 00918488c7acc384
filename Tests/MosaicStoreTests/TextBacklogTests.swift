import Foundation
import GRDB
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// Text a bulk import wrote is indexed on the first search after it, as an ordinary write
/// indexes its text: names, aliases, titles and other text fields, and citation notes.
final class TextBacklogTests: XCTestCase {
    func indexRows(_ store: Store) throws -> [String] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT entity, field, body FROM text_index").map { "\($0[0] as String) \($0[1] as String): \($0[2] as String)" }
        }.sorted()
    }

    func testSearchIndexesWhatTheImportWrote() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nodes = dir.appendingPathComponent("nodes.csv"), edges = dir.appendingPathComponent("edges.jsonl")
        try """
            id,type,name,aliases,props
            B1,Base,Ḥmeimim Air Base,Khmeimim;Latakia airport,"{""runway_m"":2800}"
            A1,Article,,,"{""title"":""Flights to the coast"",""summary"":""Cargo flights resumed""}"
            C1,Country,Syria,,
            """.write(to: nodes, atomically: true, encoding: .utf8)
        try """
            {"src": "B1", "dst": "C1", "type": "LOCATED_IN", "source": "A1", "note": "named in the second paragraph"}
            """.write(to: edges, atomically: true, encoding: .utf8)
        let store = try Store.inMemory()
        _ = try BulkImporter(store: store).importFiles([nodes.path, edges.path])
        XCTAssertEqual(try indexRows(store), [], "the import itself indexes nothing")
        XCTAssertEqual(try store.search("khmeimim").map(\.entity), ["B1"])
        XCTAssertEqual(try indexRows(store), [
            "A1 summary: Cargo flights resumed",
            "A1 title: Flights to the coast",
            "B1 aliases: Khmeimim Latakia airport",
            "B1 name: Ḥmeimim Air Base",
            "B1 note: named in the second paragraph",
            "C1 name: Syria",
        ])
        XCTAssertEqual(try store.search("coast").map(\.entity), ["A1"])
        XCTAssertEqual(try store.search("paragraph").map(\.entity), ["B1"])
        // The backlog is gone: a later ordinary write re-indexes its entity once, not twice.
        try store.write(origin: .system("test")) { tx in
            try tx.assert(StatementDraft(subject: "C1", kind: .property(name: "note", value: .string("coastal state")),
                                         meta: StatementMeta(origin: .system("test"))))
        }
        XCTAssertEqual(try indexRows(store).filter { $0.hasPrefix("C1 ") }, ["C1 name: Syria", "C1 note: coastal state"])
        XCTAssertEqual(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM text_backlog") }, 0)
    }
}
