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

    /// Writes `drafts` through the statement insert into one store and through a RowBatch
    /// filled by `append` into another, checks the two logs' rows are equal, and returns the
    /// two stores.
    @discardableResult
    func assertBatchWritesTheStatementRows(_ drafts: [StatementDraft], _ append: (inout RowBatch, StatementDraft) throws -> Void,
                                           file: StaticString = #filePath, line: UInt = #line) throws -> (plain: Store, batched: Store) {
        let plain = try Store.inMemory(), batched = try Store.inMemory()
        try plain.write(origin: .system("test")) { tx in for d in drafts { try tx.assert(d) } }
        try batched.write(origin: .system("test")) { tx in
            var batch = RowBatch()
            for d in drafts { try append(&batch, d) }
            XCTAssertEqual(batch.rows, drafts.count, file: file, line: line)
            let ids = tx.reserveStatementIDs(batch.rows)
            try batch.insert(on: try XCTUnwrap(tx.db.sqliteConnection), firstID: ids.lowerBound, transaction: tx.id)
        }
        let expected = try rows(plain), got = try rows(batched)
        XCTAssertEqual(got.count, drafts.count, file: file, line: line)
        for (e, g) in zip(expected, got) { XCTAssertEqual(e, g, file: file, line: line) }
        return (plain, batched)
    }

    func testBatchRowsEqualTheRowsOfTheStatementInsert() throws {
        let (plain, batched) = try assertBatchWritesTheStatementRows(drafts) { batch, d in batch.append(d, origin: d.meta.origin.description) }
        // The snapshots built from the two logs agree as well.
        XCTAssertEqual(GraphDigest.lines(plain.graph), GraphDigest.lines(batched.graph))
    }

    /// The import's relation rows (`appendRelation`: one citation without a note written as
    /// bytes, the date text the parser had) are the rows the statement insert writes.
    func testRelationRowsWrittenInPlaceEqualTheRowsOfTheStatementInsert() throws {
        let origin = Origin.importFile(path: "edges.csv")
        func meta(_ date: String?, _ sources: [Citation]) -> StatementMeta {
            StatementMeta(validFrom: date.flatMap(PartialDate.init), validTo: date.flatMap(PartialDate.init), sources: sources, origin: origin)
        }
        let drafts = [
            StatementDraft(subject: "a", kind: .relation(type: "MET_WITH", target: "b", properties: [:]),
                           meta: meta("2018-05-31", [Citation(source: "R0065599")])),
            StatementDraft(subject: "a", kind: .relation(type: "MET_WITH", target: "b", properties: [:]),
                           meta: meta("2018-05", [Citation(source: "Ḥmeimim-حميميم")])),
            StatementDraft(subject: "a", kind: .relation(type: "FLEW_TO", target: "b", properties: [:]),
                           meta: meta(nil, [Citation(source: "with \"quote\" and \\")])),
            StatementDraft(subject: "a", kind: .relation(type: "FLEW_TO", target: "b", properties: ["n": .int(1)]),
                           meta: meta("2020", [Citation(source: "x", note: "p. 2")])),
            StatementDraft(subject: "a", kind: .relation(type: "FLEW_TO", target: "b", properties: [:]),
                           meta: meta("2021-01-02", [Citation(source: "x"), Citation(source: "y")])),
            StatementDraft(subject: "a", kind: .relation(type: "PART_OF", target: "b", properties: [:]), meta: meta(nil, [])),
        ]
        try assertBatchWritesTheStatementRows(drafts) { batch, d in
            guard case .relation(let type, let target, let props) = d.kind else { return XCTFail() }
            batch.appendRelation(subject: d.subject, type: type, target: target, value: props.isEmpty ? nil : Value.map(props).encoded,
                                 meta: d.meta, fromText: d.meta.validFrom?.description, origin: origin.description)
        }
    }

    /// The import's property rows (`appendProperty`: plain strings and integers written as
    /// their JSON straight into the buffer) are the rows the statement insert writes, for
    /// values of every kind and strings that need escapes.
    func testPropertyRowsWrittenInPlaceEqualTheRowsOfTheStatementInsert() throws {
        let origin = Origin.importFile(path: "nodes.csv")
        let values: [Value] = [
            .string("Raenia"), .string(""), .string("Ḥmeimim حميميم"), .string("say \"hi\""), .string("back\\slash"),
            .string("tab\tand\nline\u{1}"), .string(String(repeating: "long ", count: 40)),
            .int(0), .int(-5), .int(323157141), .int(.max), .int(.min), .float(1.5), .float(2), .bool(true),
            .date(PartialDate("2020-05")!), .list([.string("a"), .int(1)]), .map(["b": .int(1), "a": .string("x")]),
            .geo(GeoPoint(latitude: 1.5, longitude: -2)),
        ]
        let drafts = values.enumerated().map { k, v in
            StatementDraft(subject: "n\(k % 3)", kind: .property(name: "p\(k)", value: v), meta: StatementMeta(origin: origin))
        }
        try assertBatchWritesTheStatementRows(drafts) { batch, d in
            guard case .property(let name, let value) = d.kind else { return XCTFail() }
            batch.appendProperty(subject: d.subject, name: name, value: value, origin: origin.description)
        }
    }

    /// The insert reads from the batch only the columns some row has a value in: a value in
    /// the last row alone is written, and a batch of entities gives the other columns as NULL.
    func testAColumnWithAValueInOneRowOnlyIsWritten() throws {
        let entity = drafts[0]
        for d in drafts.dropFirst() {
            try assertBatchWritesTheStatementRows([entity, entity, d]) { batch, d in batch.append(d, origin: d.meta.origin.description) }
        }
        try assertBatchWritesTheStatementRows([entity, drafts[2]]) { batch, d in
            guard case .property(let name, let value) = d.kind else { return batch.append(d, origin: d.meta.origin.description) }
            batch.appendProperty(subject: d.subject, name: name, value: value, origin: d.meta.origin.description)
        }
        var batch = RowBatch()
        batch.append(entity, origin: "o")
        // (kind, subject, predicate, origin)
        XCTAssertEqual(batch.columnsWithValues, 0b100_0000_0111)
    }

    func testAnEmptyBatchWritesNothing() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("test")) { tx in
            try RowBatch().insert(on: try XCTUnwrap(tx.db.sqliteConnection), firstID: 1, transaction: tx.id)
        }
        XCTAssertEqual(try rows(store).count, 0)
    }
}
