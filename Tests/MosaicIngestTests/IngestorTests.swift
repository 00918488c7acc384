import XCTest
import MosaicGraph
import MosaicStore
@testable import MosaicIngest

final class IngestorTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ingest-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A store holding the corpus KB's entities.
    func store() throws -> Store {
        let store = try Store.inMemory()
        let text = try String(contentsOf: fixtures.appendingPathComponent("corpus/entities.tsv"), encoding: .utf8)
        try store.write(origin: .system("test")) { tx in
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: "\t").map(String.init)
                let names = f[2].split(separator: "|").map(String.init)
                let m = StatementMeta(origin: .system("test"))
                try tx.assert(StatementDraft(subject: f[0], kind: .entity(type: f[1]), meta: m))
                try tx.assert(StatementDraft(subject: f[0], kind: .property(name: "name", value: .string(names[0])), meta: m))
                if names.count > 1 {
                    try tx.assert(StatementDraft(subject: f[0], kind: .property(name: "aliases", value: .list(names.dropFirst().map { .string($0) })), meta: m))
                }
            }
        }
        return store
    }

    func copy(_ name: String) throws -> String {
        let to = dir.appendingPathComponent(name)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("corpus/\(name)"), to: to)
        return to.path
    }

    func testIngestOnceByContentThenNewVersions() throws {
        let store = try store()
        var ingestor = Ingestor(store: store)
        let path = try copy("01-drills.md")
        let r = try ingestor.ingest(try DocumentReader.read(path: path))
        XCTAssertEqual(r.status, .ingested)
        XCTAssertTrue(r.source.hasPrefix("coastline-courier-2031-03-12-"), r.source)
        let g = store.graph
        let a = try XCTUnwrap(g.lookup(key: r.source))
        XCTAssertEqual(g.node(a).type, "Article")
        XCTAssertEqual(g.node(a).property("title")?.stringValue, "Velorian navy resumes drills off Port Irrin")
        XCTAssertEqual(g.node(a).property("date")?.dateValue, PartialDate("2031-03-12"))
        XCTAssertEqual(g.node(a).property("reliability")?.stringValue, "C")
        let published = g.outgoing(a).map { g.node(g.relationship($0).target).key }
        XCTAssertEqual(published, ["coastline-courier"], "the publisher's name resolves to the known entity")
        XCTAssertEqual(g.origin(ofRelationship: g.outgoing(a)[0]).description, "cli:ingest")

        // Stored with its text, mentions and dates; searchable.
        let doc = try XCTUnwrap(store.document(source: r.source))
        XCTAssertEqual(doc.text, try DocumentReader.read(path: path).text)
        let mentions = try store.annotations(document: doc.id, kind: "mention")
        XCTAssertEqual(mentions.count, r.mentions.count)
        XCTAssertTrue(mentions[0].json.hasPrefix("{\"document\": \"\(r.source)\", \"start\": "), mentions[0].json)
        XCTAssertFalse(try store.annotations(document: doc.id, kind: "date").isEmpty)
        XCTAssertEqual(try store.searchDocuments("collision harbour").map(\.source), [r.source])

        // The same bytes again: nothing happens.
        let tx = store.lastTransaction
        let again = try ingestor.ingest(try DocumentReader.read(path: path))
        XCTAssertEqual(again.status, .unchanged)
        XCTAssertEqual(again.source, r.source)
        XCTAssertEqual(store.lastTransaction, tx)

        // Changed bytes at the same path: a new version, a new source.
        try (try String(contentsOfFile: path, encoding: .utf8) + "\nA correction was added.\n").write(toFile: path, atomically: true, encoding: .utf8)
        let v2 = try ingestor.ingest(try DocumentReader.read(path: path))
        XCTAssertEqual(v2.status, .newVersion)
        XCTAssertNotEqual(v2.source, r.source)
        XCTAssertEqual(try store.document(source: v2.source)?.previous, doc.id)
        XCTAssertEqual(try store.documents().count, 2)
    }

    func testUnknownPublisherBecomesAnOrganisation() throws {
        let store = try store()
        var ingestor = Ingestor(store: store)
        let path = try copy("04-weather.txt")
        let r = try ingestor.ingest(try DocumentReader.read(path: path, overrides: DocumentMetadata(publisher: "Harbour Gazette", date: "2031-05-02")))
        let g = store.graph
        let pub = try XCTUnwrap(g.lookup(key: "harbour-gazette"))
        XCTAssertEqual(g.node(pub).type, "NewsOrganization")
        XCTAssertEqual(g.node(pub).name, "Harbour Gazette")
        XCTAssertTrue(r.mentions.isEmpty && r.dates.isEmpty)
        XCTAssertEqual(g.node(g.lookup(key: r.source)!).property("title")?.stringValue, "a quiet week on the coast", "the first line is the title")
    }

    func testBadFilesWriteNothing() throws {
        let store = try store()
        let tx = store.lastTransaction
        for (name, bytes) in [("e.txt", [UInt8]()), ("b.txt", [0x41, 0x00, 0x42]), ("l.txt", [0x63, 0x61, 0x66, 0xE9])] {
            let p = dir.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: p, contents: Data(bytes))
            XCTAssertThrowsError(try DocumentReader.read(path: p))
        }
        XCTAssertEqual(store.lastTransaction, tx)
        XCTAssertEqual(try store.documents().count, 0)
    }
}
