import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// The snapshot file and the bulk import build snapshots without reading the log; each must
/// equal the snapshot loaded from the log (`GraphDigest` covers everything readers see).
final class SnapshotFileTests: StoreDirectoryTestCase {
    func loaded(_ store: Store) throws -> Graph { try store.snapshot(asOf: .transaction(store.lastTransaction)) }

    /// Exactly the same snapshot (indexes, order, tombstones).
    func assertSame(_ a: Graph, _ b: Graph, _ step: String, file: StaticString = #filePath, line: UInt = #line) {
        let (la, lb) = (GraphDigest.lines(a), GraphDigest.lines(b))
        XCTAssertEqual(la.count, lb.count, step, file: file, line: line)
        for (x, y) in zip(la, lb) where x != y { XCTFail("\(step): \(x) ≠ \(y)", file: file, line: line); break }
        XCTAssertEqual(a.nextStatementID, b.nextStatementID, step, file: file, line: line)
    }

    func meta(_ line: Int, grade: String? = "B2", note: String? = nil, confidence: Double? = nil, from: String? = nil, to: String? = nil) -> StatementMeta {
        StatementMeta(validFrom: from.flatMap(PartialDate.init), validTo: to.flatMap(PartialDate.init),
                      sources: [Citation(source: "art-\(line % 3)", note: note)], grading: grade.flatMap(Grading.init),
                      confidence: confidence, origin: .file(path: "kb/a.yaml", line: line))
    }

    /// A graph with something of every kind: labels, aliases, relation properties, dates of
    /// every precision and offset, gradings, confidences, notes, retractions.
    func fill(_ store: Store) throws {
        try store.write(origin: .system("t")) { tx in
            try tx.assert(StatementDraft(subject: "ru", kind: .entity(type: "Country"), meta: meta(1)))
            try tx.assert(StatementDraft(subject: "ru", kind: .property(name: "name", value: .string("Russia")), meta: meta(2)))
            try tx.assert(StatementDraft(subject: "hm", kind: .entity(type: "Base"), meta: meta(3)))
            try tx.assert(StatementDraft(subject: "hm", kind: .label("Airfield"), meta: meta(4)))
            try tx.assert(StatementDraft(subject: "hm", kind: .property(name: "name", value: .string("Ḥmeimim")), meta: meta(5)))
            try tx.assert(StatementDraft(subject: "hm", kind: .property(name: "aliases", value: .list([.string("Khmeimim"), .string("Latakia")])), meta: meta(6)))
            try tx.assert(StatementDraft(subject: "hm", kind: .property(name: "at", value: .geo(GeoPoint(latitude: 35.4, longitude: 35.9))), meta: meta(7)))
            try tx.assert(StatementDraft(subject: "hm", kind: .property(name: "info", value: .map(["runways": .int(2), "x": .float(1.5), "ok": .bool(true), "n": .null])), meta: meta(8)))
            try tx.assert(StatementDraft(subject: "ru", kind: .relation(type: "OPERATES", target: "hm", properties: ["since": .int(2015)]),
                                         meta: meta(9, note: "flight data", confidence: 0.7, from: "2015-09", to: "2025-10-29T06:00+03:00")))
            try tx.assert(StatementDraft(subject: "hm", kind: .relation(type: "LOCATED_IN", target: "ru", properties: [:]),
                                         meta: meta(10, grade: nil, from: "-0044", to: "2025")))
            try tx.assert(StatementDraft(subject: "hm", kind: .relation(type: "LOCATED_IN", target: "ru", properties: [:]),
                                         meta: meta(11, grade: "F6", from: "2025-10-29T06:00:30Z")))
        }
        let g = store.graph
        let second = g.relationship(2).statement
        try store.write(origin: .cli(command: "query")) { tx in
            try tx.retract(second)
            try tx.assert(StatementDraft(subject: "#\(g.relationship(0).statement)", kind: .relationProperty(name: "late", value: .date(PartialDate("2025-11")!)), meta: meta(12)))
            try tx.assert(StatementDraft(subject: "tt", kind: .entity(type: ""), meta: meta(13)))
        }
    }

    func testCheckpointRoundTripsEveryField() throws {
        let store = try Store.inMemory()
        try fill(store)
        var g = store.graph
        g.isRecording = true
        g.deleteNode(g.lookup(key: "tt")!)
        let bytes = g.checkpointBytes()
        let back = try XCTUnwrap(bytes.withUnsafeBytes { Graph(checkpoint: $0) })
        assertSame(back, g, "round trip")
        XCTAssertEqual(back.nodes(named: "khmeimim"), g.nodes(named: "Khmeimim"))
        XCTAssertEqual(back.meta(ofRelationship: 0), g.meta(ofRelationship: 0))
        // A truncated or altered file is refused, not misread.
        XCTAssertNil(Array(bytes.dropLast(5)).withUnsafeBytes { Graph(checkpoint: $0) })
        var other = bytes
        other[Graph.checkpointMagic.count] ^= 0xFF
        XCTAssertNil(other.withUnsafeBytes { Graph(checkpoint: $0) })
    }

    func testOpenReadsTheFileAndTheWritesSinceIt() throws {
        do {
            let store = try Store.open(path: path)
            try fill(store)
            try store.refresh()   // a rebuild writes the file
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-snapshot"))
        do {
            // Writes after the file: a property change, a relation added and one retracted.
            let store = try Store.open(path: path)
            assertSame(store.graph, try loaded(store), "open from the file")
            let g = store.graph
            let name = g.node(g.lookup(key: "ru")!).propertyStatement("name")!
            try store.write(origin: .system("t")) { tx in
                try tx.retract(name)
                try tx.assert(StatementDraft(subject: "ru", kind: .property(name: "name", value: .string("Rossiya")), meta: self.meta(20)))
                try tx.assert(StatementDraft(subject: "ru", kind: .relation(type: "OPERATES", target: "hm", properties: [:]), meta: self.meta(21)))
                try tx.retract(g.relationship(1).statement)
            }
        }
        let store = try Store.open(path: path)
        GraphFacts.assertEquivalent(store.graph, try loaded(store), "open from the file and two later writes")
        XCTAssertEqual(store.graph.node(store.graph.lookup(key: "ru")!).name, "Rossiya")
        // An entity retracted after the file: applied by a full load.
        let tt = store.graph.node(store.graph.lookup(key: "tt")!).statement
        try store.write(origin: .system("t")) { tx in try tx.retract(tt) }
        let again = try Store.open(path: path)
        assertSame(again.graph, try loaded(again), "entity retraction after the file")
        XCTAssertNil(again.graph.lookup(key: "tt"))
    }

    func testAForeignOrDamagedFileIsIgnored() throws {
        let otherPath = dir.appendingPathComponent("other.sqlite").path
        do {
            let other = try Store.open(path: otherPath)
            try fill(other)
            try other.refresh()
            let store = try Store.open(path: path)
            try store.write(origin: .system("t")) { tx in
                try tx.assert(StatementDraft(subject: "solo", kind: .entity(type: "Base"), meta: self.meta(1)))
            }
        }
        // Another store's file (same transaction ids, other times) is refused.
        try? FileManager.default.removeItem(atPath: path + "-snapshot")
        try FileManager.default.copyItem(atPath: otherPath + "-snapshot", toPath: path + "-snapshot")
        var store = try Store.open(path: path)
        XCTAssertEqual(store.graph.liveNodeCount, 1)
        assertSame(store.graph, try loaded(store), "foreign file")
        // A damaged one too (the open above wrote a good file: flip a byte in its body).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path + "-snapshot"))
        bytes[bytes.count - 40] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path + "-snapshot"))
        store = try Store.open(path: path)
        assertSame(store.graph, try loaded(store), "damaged file")
    }

    func testBulkImportBuildsTheSnapshotTheLogGives() throws {
        let nodes = dir.appendingPathComponent("nodes.csv"), edges = dir.appendingPathComponent("edges.csv")
        let more = dir.appendingPathComponent("more.jsonl")
        try """
            id,type,name,props,labels,aliases
            C1,Country,Raenia,"{""iso3"":""RAE"",""population"":5}",,Raeny;Rae
            B1,Base,"Port, North",,Airfield,
            B2,Base,Port South,"{""name"":""Port Sud""}",,
            P1,Person,,"{""born"":""1970""}",,

            """.write(to: nodes, atomically: true, encoding: .utf8)
        try """
            src,dst,type,date,source,grade,confidence,note
            B1,C1,LOCATED_IN,2020-05,A1,B2,,
            B2,C1,LOCATED_IN,2021,A1,,0.4,seen
            P1,B2,VISITED,2021-03-04,,,,
            B1,C1,LOCATED_IN,2020-05,A1,B2,,
            """.write(to: edges, atomically: true, encoding: .utf8)
        let store = try Store.open(path: path)
        try fill(store)
        try BulkImporter(store: store).importFiles([nodes.path, edges.path])
        GraphFacts.assertEquivalent(store.graph, try loaded(store), "import into a store with data")
        try #"{"id": "X1", "type": "Base", "name": "Extra"}"# .appending("\n").appending(#"{"src": "X1", "dst": "hm", "type": "NEAR", "since": "2024"}"#)
            .write(to: more, atomically: true, encoding: .utf8)
        try BulkImporter(store: store).importFiles([more.path])
        GraphFacts.assertEquivalent(store.graph, try loaded(store), "a second import")
        XCTAssertEqual(store.graph.node(store.graph.lookup(key: "B2")!).name, "Port Sud")
        // The import wrote the snapshot file (before its commit) and it holds: a new process opens from it.
        let accepted = try store.writer.read { db in SnapshotFile(store: self.path).read(db)?.header.transaction }
        XCTAssertEqual(accepted, store.lastTransaction)
        let reopened = try Store.open(path: path)
        assertSame(reopened.graph, store.graph, "reopened from the file the import wrote")
        // And an import into an empty store.
        let fresh = try Store.inMemory()
        try BulkImporter(store: fresh).importFiles([nodes.path, edges.path])
        assertSame(fresh.graph, try loaded(fresh), "import into an empty store")
    }
}
