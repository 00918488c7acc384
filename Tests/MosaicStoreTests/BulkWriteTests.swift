import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// `Store.writeBulk`, the bulk path of the FtM and gazetteer readers: the snapshot it builds
/// equals one loaded from the log, a relation to a missing entity or an entity of another
/// type fails the whole write (naming the line), and a search finds the written names.
final class BulkWriteTests: XCTestCase {
    func meta(_ source: String = "d") -> StatementMeta { StatementMeta(sources: [Citation(source: source)], origin: .importFile(path: "x.jsonl")) }

    func testTheBuiltSnapshotEqualsTheLog() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("t")) { tx in
            try tx.assert(StatementDraft(subject: "old", kind: .entity(type: "Place"), meta: meta()))
            try tx.assert(StatementDraft(subject: "old", kind: .property(name: "name", value: .string("Old Town")), meta: meta()))
        }
        var drafts: [StatementDraft] = []
        for i in 0..<50 {
            drafts.append(StatementDraft(subject: "e\(i)", kind: .entity(type: "Person"), meta: meta()))
            drafts.append(StatementDraft(subject: "e\(i)", kind: .property(name: "name", value: .string("Person \(i)")), meta: meta()))
            drafts.append(StatementDraft(subject: "e\(i)", kind: .label("Named"), meta: meta()))
        }
        for i in 0..<50 {
            var m = meta("e\((i + 7) % 50)")
            m.validFrom = PartialDate("2025-10"); m.validTo = m.validFrom
            drafts.append(StatementDraft(subject: "e\(i)", kind: .relation(type: "MET", target: i % 2 == 0 ? "old" : "e\((i + 1) % 50)", properties: ["n": .int(Int64(i))]), meta: m))
        }
        // A property of an entity the store holds already, and the same fact twice (one fact, two claims).
        drafts.append(StatementDraft(subject: "old", kind: .property(name: "aliases", value: .list([.string("Altstadt")])), meta: meta()))
        drafts.append(StatementDraft(subject: "e1", kind: .relation(type: "KNOWS", target: "e2", properties: [:]), meta: meta()))
        drafts.append(StatementDraft(subject: "e1", kind: .relation(type: "KNOWS", target: "e2", properties: [:]), meta: meta("e3")))
        let report = try store.writeBulk(drafts, origin: .system("import"), file: "x.jsonl")
        XCTAssertEqual(report.statements, drafts.count)
        XCTAssertEqual(report.transaction, store.lastTransaction)
        let rebuilt = try store.snapshot(asOf: .transaction(store.lastTransaction))
        GraphFacts.assertEquivalent(store.graph, rebuilt, "bulk write")
        XCTAssertEqual(store.graph.liveRelationshipCount, 51, "the two KNOWS claims are one fact")
        XCTAssertEqual(try store.search("Altstadt").first?.entity, "old")
    }

    func testABadDraftWritesNothing() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("t")) { tx in try tx.assert(StatementDraft(subject: "a", kind: .entity(type: "Place"), meta: meta())) }
        let before = store.lastTransaction
        let missing = [StatementDraft(subject: "b", kind: .entity(type: "Place"), meta: meta()),
                       StatementDraft(subject: "b", kind: .relation(type: "NEAR", target: "nowhere", properties: [:]), meta: meta())]
        XCTAssertThrowsError(try store.writeBulk(missing, origin: .system("import"), file: "f.jsonl", lines: [4, 9])) { error in
            XCTAssertTrue("\(error)".contains("f.jsonl:9: unknown entity 'nowhere'"), "\(error)")
        }
        let retyped = [StatementDraft(subject: "a", kind: .entity(type: "Person"), meta: meta())]
        XCTAssertThrowsError(try store.writeBulk(retyped, origin: .system("import"), file: "f.jsonl", lines: [3])) { error in
            XCTAssertTrue("\(error)".contains("f.jsonl:3: entity 'a' already exists with type Place, not Person"), "\(error)")
        }
        XCTAssertEqual(store.lastTransaction, before)
        XCTAssertNil(store.graph.lookup(key: "b"))
        XCTAssertEqual(try store.snapshot(asOf: .transaction(before)).liveNodeCount, 1)
    }
}
