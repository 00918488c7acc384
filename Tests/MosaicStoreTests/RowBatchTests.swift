import Foundation
import GRDB
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// Rows inserted through `RowBatch` (CRowTable's `mosaic_rows`) are the rows the ordinary
/// statement insert writes, column for column.
final class RowBatchTests: XCTestCase {
    static let columns = "kind, subject, predicate, object, value, valid_from, valid_to, sources, grading, confidence, origin, tx_from"

    /// Drafts that use every column and every kind of field: empty and non-ASCII texts,
    /// several citations with and without notes, dates of each precision, a grading with and
    /// without an explicit confidence, relation properties.
    var drafts: [StatementDraft] {
        let origin = Origin.importFile(path: "nodes.csv")
        func meta(_ from: String? = nil, _ to: String? = nil, sources: [Citation] = [], grading: String? = nil,
                  confidence: Double? = nil) -> StatementMeta {
            StatementMeta(validFrom: from.flatMap(PartialDate.init), validTo: to.flatMap(PartialDate.init), sources: sources,
                          grading: grading.flatMap(Grading.init), confidence: confidence, origin: origin)
        }
        return [
            StatementDraft(subject: "hmeimim", kind: .entity(type: "Base"), meta: meta()),
            StatementDraft(subject: "hmeimim", kind: .label("Airfield"), meta: meta()),
            StatementDraft(subject: "hmeimim", kind: .property(name: "name", value: .string("Ḥmeimim Air Base")), meta: meta()),
            StatementDraft(subject: "hmeimim", kind: .property(name: "note", value: .string("")), meta: meta()),
            StatementDraft(subject: "hmeimim", kind: .property(name: "aliases", value: .list([.string("Khmeimim"), .string("حميميم")])),
                           meta: meta(sources: [Citation(source: "art-1", note: "quoted \"twice\""), Citation(source: "art-2")])),
            StatementDraft(subject: "russia", kind: .relation(type: "OPERATES", target: "hmeimim", properties: ["since": .int(2015)]),
                           meta: meta("2015-09", "2025", sources: [Citation(source: "art-1")], grading: "B2")),
            StatementDraft(subject: "russia", kind: .relation(type: "VISITED", target: "hmeimim", properties: [:]),
                           meta: meta("2025-10-16", "2025-10-16", grading: "C3", confidence: 0.25)),
            StatementDraft(subject: "russia", kind: .relationProperty(name: "weight", value: .float(0.5)), meta: meta(confidence: 1)),
        ]
    }

    func rows(_ store: Store) throws -> [[DatabaseValue]] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, \(RowBatchTests.columns) FROM statement ORDER BY id").map { Array($0.databaseValues) }
        }
    }

    func testBatchRowsEqualTheRowsOfTheStatementInsert() throws {
        let plain = try Store.inMemory(), batched = try Store.inMemory()
        try plain.write(origin: .system("test")) { tx in for d in drafts { try tx.assert(d) } }
        try batched.write(origin: .system("test")) { tx in
            var batch = RowBatch()
            for d in drafts { batch.append(d, origin: d.meta.origin.description) }
            XCTAssertEqual(batch.rows, drafts.count)
            let ids = tx.reserveStatementIDs(batch.rows)
            try batch.insert(on: try XCTUnwrap(tx.db.sqliteConnection), firstID: ids.lowerBound, transaction: tx.id)
        }
        let expected = try rows(plain), got = try rows(batched)
        XCTAssertEqual(got.count, drafts.count)
        for (e, g) in zip(expected, got) { XCTAssertEqual(e, g) }
        // The snapshots built from the two logs agree as well.
        XCTAssertEqual(GraphDigest.lines(plain.graph), GraphDigest.lines(batched.graph))
    }

    func testAnEmptyBatchWritesNothing() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("test")) { tx in
            try RowBatch().insert(on: try XCTUnwrap(tx.db.sqliteConnection), firstID: 1, transaction: tx.id)
        }
        XCTAssertEqual(try rows(store).count, 0)
    }
}
