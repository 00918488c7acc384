import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

final class StoreTests: XCTestCase {
    func draft(_ subject: String, _ kind: StatementKind, line: Int = 1, grade: String? = "B2", note: String? = nil) -> StatementDraft {
        StatementDraft(subject: subject, kind: kind,
                       meta: StatementMeta(sources: [Citation(source: "art-1", note: note)],
                                           grading: grade.flatMap(Grading.init), origin: .file(path: "kb/a.yaml", line: line)))
    }

    var baseFacts: [StatementDraft] {
        [draft("russia", .entity(type: "Country")), draft("russia", .property(name: "name", value: .string("Russia"))),
         draft("hmeimim", .entity(type: "Base")), draft("hmeimim", .property(name: "name", value: .string("Ḥmeimim Air Base"))),
         draft("hmeimim", .property(name: "aliases", value: .list([.string("Khmeimim")]))),
         draft("russia", .relation(type: "OPERATES", target: "hmeimim", properties: ["since": .int(2015)]), note: "flight data"),
         draft("russia", .property(name: "summary", value: .string("operates flights")), note: "flight data")]
    }

    func testWriteBuildsTheSnapshotAndKeepsMetadata() throws {
        let store = try Store.inMemory()
        let tx = try store.write(origin: .system("test")) { tx in for d in baseFacts { try tx.assert(d) } }
        XCTAssertEqual(tx, 1)
        let g = store.graph
        XCTAssertEqual(g.transaction, 1)
        let base = try XCTUnwrap(g.nodes(named: "khmeimim").first)
        XCTAssertEqual(g.node(base).key, "hmeimim")
        let r = try XCTUnwrap(g.incoming(base).first)
        XCTAssertEqual(g.typeName(of: r), "OPERATES")
        XCTAssertEqual(g.properties(ofRelationship: r), ["since": .int(2015)])
        XCTAssertEqual(g.meta(ofRelationship: r).sources, [Citation(source: "art-1", note: "flight data")])
        XCTAssertEqual(g.node(g.lookup(key: "russia")!).properties.count, 2)
        XCTAssertEqual(g.relationship(r).grading?.description, "B2")
        XCTAssertEqual(try store.search("flight").map(\.entity), ["russia"])
        XCTAssertEqual(try store.search("hmeim").map(\.entity), ["hmeimim"])
    }

    func testRetractionClosesAndAsOfSeesThePast() throws {
        let store = try Store.inMemory()
        var now = Date(timeIntervalSince1970: 1_700_000_000)
        store.clock = { [now] in now }
        try store.write(origin: .system("t1")) { tx in for d in baseFacts { try tx.assert(d) } }
        let rel = store.graph.relationshipIndices.first!
        let sid = store.graph.relationship(rel).statement
        now = now.addingTimeInterval(3600)
        store.clock = { [now] in now }
        let tx2 = try store.write(origin: .console(session: "s")) { tx in try tx.retract(sid) }
        XCTAssertEqual(store.graph.liveRelationshipCount, 0)
        XCTAssertEqual(try store.statement(sid)?.txTo, tx2)
        XCTAssertEqual(try store.snapshot(asOf: .transaction(1)).liveRelationshipCount, 1)
        XCTAssertEqual(try store.snapshot(asOf: .time(Date(timeIntervalSince1970: 1_700_000_100))).liveRelationshipCount, 1)
        XCTAssertEqual(try store.snapshot(asOf: .time(now)).liveRelationshipCount, 0)
        XCTAssertEqual(try store.changes(since: 1).retracted.map(\.id), [sid])
        XCTAssertThrowsError(try store.write(origin: .system("t")) { tx in try tx.retract(999) })
    }

    func testSyncKeepsUnchangedFactsAndRetractsRemovedOnes() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("kb-load")) { tx in try tx.syncFile(path: "kb/a.yaml", hash: "h1", drafts: baseFacts) }
        let before = try store.openStatements(fromFile: "kb/a.yaml")
        var edited = baseFacts
        edited[5] = draft("russia", .relation(type: "OPERATES", target: "hmeimim", properties: [:]), line: 9)
        edited[1].meta.origin = .file(path: "kb/a.yaml", line: 40)  // moved, unchanged
        var counts = SyncCounts()
        try store.write(origin: .system("kb-load")) { tx in counts = try tx.syncFile(path: "kb/a.yaml", hash: "h2", drafts: edited) }
        XCTAssertEqual(counts.kept, 6)
        XCTAssertEqual(counts.asserted, 1)
        XCTAssertEqual(counts.retracted, 1)
        let after = try store.openStatements(fromFile: "kb/a.yaml")
        XCTAssertEqual(Set(after.map(\.id)).intersection(before.map(\.id)).count, 6)
        XCTAssertEqual(try store.kbFileHashes(), ["kb/a.yaml": "h2"])
        try store.write(origin: .system("kb-load")) { tx in try tx.removeFile(path: "kb/a.yaml") }
        XCTAssertEqual(store.graph.liveNodeCount, 0)
        XCTAssertEqual(try store.kbFileHashes(), [:])
    }

    func testQueryStyleWritesCommitTheRecordedChanges() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("t")) { tx in for d in baseFacts { try tx.assert(d) } }
        var g = store.graph
        g.isRecording = true
        g.writeMeta = StatementMeta(origin: .cli(command: "query"))
        let n = g.addNode(key: "tartus", labels: ["Base"], properties: ["name": .string("Tartus")])
        g.addRelationship(from: g.lookup(key: "russia")!, to: n, type: "OPERATES")
        g.setProperty(g.lookup(key: "russia")!, "name", .string("Russian Federation"))
        try store.commit(g, changes: g.takeChanges(), origin: .cli(command: "query"))
        let s = store.graph
        XCTAssertEqual(s.node(s.lookup(key: "russia")!).name, "Russian Federation")
        XCTAssertEqual(s.outgoing(s.lookup(key: "russia")!).count, 2)
        // A stale writer is refused.
        var stale = g
        stale.addNode(key: "x")
        XCTAssertThrowsError(try store.commit(stale, changes: stale.takeChanges(), origin: .cli(command: "query")))
    }

    func testBulkImportAllOrNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nodes = dir.appendingPathComponent("nodes.csv"), edges = dir.appendingPathComponent("edges.csv")
        try "id,type,name,props\nC1,Country,Raenia,\"{\"\"iso3\"\":\"\"RAE\"\"}\"\nB1,Base,\"Port, North\",\n".write(to: nodes, atomically: true, encoding: .utf8)
        try "src,dst,type,date,source\nB1,C1,LOCATED_IN,2020-05,\n".write(to: edges, atomically: true, encoding: .utf8)
        let store = try Store.inMemory()
        let report = try BulkImporter(store: store).importFiles([nodes.path, edges.path])
        XCTAssertEqual(report.nodes, 2)
        XCTAssertEqual(report.relations, 1)
        let g = store.graph
        XCTAssertEqual(g.node(g.lookup(key: "B1")!).name, "Port, North")
        XCTAssertEqual(g.node(g.lookup(key: "C1")!).properties["iso3"], .string("RAE"))
        XCTAssertEqual(g.relationship(0).validFrom?.description, "2020-05")
        // A bad row writes nothing.
        let bad = dir.appendingPathComponent("bad.jsonl")
        try "{\"id\": \"X1\", \"type\": \"Base\"}\n{\"src\": \"X1\", \"dst\": \"nowhere\", \"type\": \"LOCATED_IN\"}\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BulkImporter(store: store).importFiles([bad.path])) { error in
            XCTAssertTrue("\(error)".contains("bad.jsonl:2: unknown entity 'nowhere'"), "\(error)")
        }
        XCTAssertNil(store.graph.lookup(key: "X1"))
    }

    func testFileStoreReopensWithTheSameGraph() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-\(UUID().uuidString)/store.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            let store = try Store.open(path: path)
            try store.write(origin: .system("t")) { tx in for d in baseFacts { try tx.assert(d) } }
        }
        let again = try Store.open(path: path)
        XCTAssertEqual(again.graph.liveNodeCount, 2)
        XCTAssertEqual(again.graph.liveRelationshipCount, 1)
        XCTAssertEqual(try again.integrityCheck(), "ok")
        XCTAssertEqual(again.graph.nextStatementID, 8)
    }
}

/// Small writes update the snapshot in place; it must equal a snapshot rebuilt from the log.
final class IncrementalRefreshTests: XCTestCase {
    func testSmallWritesMatchARebuiltSnapshot() throws {
        let store = try Store.inMemory()
        func meta() -> StatementMeta { StatementMeta(sources: [Citation(source: "a")], origin: .system("t")) }
        func check(_ step: String) throws {
            let rebuilt = try store.snapshot(asOf: .transaction(store.lastTransaction))
            GraphFacts.assertEquivalent(store.graph, rebuilt, step)
        }
        // A relation stated before the entities it joins, in one write.
        try store.write(origin: .system("t")) { tx in
            try tx.assert(StatementDraft(subject: "a", kind: .relation(type: "R", target: "b", properties: ["w": .int(1)]), meta: meta()))
            try tx.assert(StatementDraft(subject: "a", kind: .entity(type: "T"), meta: meta()))
            try tx.assert(StatementDraft(subject: "b", kind: .entity(type: "T"), meta: meta()))
            try tx.assert(StatementDraft(subject: "a", kind: .property(name: "name", value: .string("A")), meta: meta()))
        }
        try check("first write")
        let nameStatement = store.graph.node(store.graph.lookup(key: "a")!).propertyStatements["name"]!
        try store.write(origin: .system("t")) { tx in
            try tx.retract(nameStatement)
            try tx.assert(StatementDraft(subject: "a", kind: .property(name: "name", value: .string("Alpha")), meta: meta()))
            try tx.assert(StatementDraft(subject: "b", kind: .relation(type: "R", target: "a", properties: [:]), meta: meta()))
        }
        try check("a property changes, a relation is added")
        let rel = store.graph.relationship(store.graph.relationshipIndices.first!).statement
        try store.write(origin: .system("t")) { tx in
            try tx.retract(rel)
            try tx.assert(StatementDraft(subject: "#\(rel)", kind: .relationProperty(name: "late", value: .int(2)), meta: meta()))
        }
        try check("a relation is retracted")
        var g = store.graph
        g.isRecording = true
        g.setRelationshipProperty(g.relationshipIndices.first!, "w", .int(9))
        g.addLabel(g.lookup(key: "b")!, "Extra")
        try store.commit(g, changes: g.takeChanges(), origin: .cli(command: "query"))
        try check("a query's writes")
        let entity = store.graph.node(store.graph.lookup(key: "b")!).statement
        try store.write(origin: .system("t")) { tx in try tx.retract(entity) }
        try check("an entity is retracted (rebuilt)")
    }
}
