import XCTest
import MosaicGraph
import MosaicKB
import MosaicPlugins
import MosaicStore
@testable import MosaicIngest

/// A kb/ingest file declares its article (and the publisher ingest created): loaded into the
/// store ingest wrote, the declaration takes over ingest's statements (one Article, one value
/// per property); loaded alone into a new store (a rebuild, a fresh clone), kb/ checks and
/// loads with the accepted facts citing the article; ingesting the same bytes again finds the
/// declared source and proposes nothing already accepted.
final class IngestedSourceTests: XCTestCase {
    func ingest(_ path: String, _ overrides: DocumentMetadata, _ store: Store, _ queue: ProposalQueue) throws -> (Ingestor.Result, ProposalQueue.Extraction) {
        var ingestor = Ingestor(store: store)
        let r = try ingestor.ingest(try DocumentReader.read(path: path, overrides: overrides))
        let d = try XCTUnwrap(store.document(source: r.source))
        return (r, try queue.extract(d, mentions: r.mentions, dates: r.dates))
    }

    /// The open statements about `id`, counted by slot (the entity, each property, each relation).
    func slots(_ id: String, _ store: Store) throws -> [String: [Statement]] {
        Dictionary(grouping: try store.statements(subject: id)) { s -> String in
            switch s.kind {
            case .entity: return "entity"
            case .property(let n, _): return "property \(n)"
            case .relation(let t, let o, _): return "relation \(t) \(o)"
            default: return "\(s.kind)"
            }
        }
    }

    /// Relations citing `source`, as "subject TYPE object" lines, sorted.
    func facts(citing source: String, _ graph: Graph) -> [String] {
        var out: [String] = []
        for r in graph.relationshipIndices where graph.relationship(r).believed && graph.citations(ofFact: r).contains(where: { $0.citation.source == source }) {
            let rel = graph.relationship(r)
            out.append("\(graph.node(rel.source).key) \(graph.typeName(of: r)) \(graph.node(rel.target).key)")
        }
        return out.sorted()
    }

    func testTheFileDeclaresItsArticleTakesOverIngestAndLoadsAlone() throws {
        let (ws, store, queue) = try corpusWorkspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let loader = KBLoader(workspace: ws, store: store)
        // A publisher the KB does not know: ingest creates it.
        let path = fixtures.appendingPathComponent("corpus/05-airlift.md").path
        let overrides = DocumentMetadata(publisher: "Harbour Gazette", url: "https://example.org/airlift", language: "en")
        let (r, x) = try ingest(path, overrides, store, queue)
        XCTAssertGreaterThan(x.proposed, 3)
        let source = r.source
        XCTAssertEqual(try slots(source, store)["entity"]?.first?.meta.origin, .cli(command: "ingest"))

        // Accept everything: the file declares the article and the new publisher; loading it
        // into this store leaves one Article with one statement per property.
        let pending = try queue.list()
        let done = try queue.accept(pending.map(\.id)) { try loader.load() }
        XCTAssertEqual(done.proposals.count, pending.count)
        let text = try String(contentsOf: ws.appendingPathComponent("kb/ingest/\(source).yaml"), encoding: .utf8)
        XCTAssertTrue(text.contains("sources:\n  - id: \(source)\n    publisher: harbour-gazette\n    title: \"Karsh airlift reaches the naval station\"\n    date: 2031-07-03\n    url: \"https://example.org/airlift\"\n    reliability: \"B\"\n    language: \"en\"\n"), text)
        XCTAssertTrue(text.contains("  - id: harbour-gazette\n    type: NewsOrganization\n    name: \"Harbour Gazette\"\n"), text)
        for id in [source, "harbour-gazette"] {
            let s = try slots(id, store)
            XCTAssertEqual(s.filter { $0.value.count != 1 }.keys.sorted(), [], "\(id): every slot once")
            XCTAssertEqual(s.values.flatMap { $0 }.filter { $0.meta.origin.file == nil }.map(\.kind), [], "\(id): all taken over by the file")
        }
        XCTAssertTrue(Set(try slots(source, store).keys).isSuperset(of: ["entity", "property name", "property title", "property date", "property url",
                                                             "property reliability", "property language", "relation PUBLISHED_BY harbour-gazette"]))
        let g = store.graph
        XCTAssertEqual(g.nodes(withLabel: "Article").filter { g.node($0).key.hasPrefix("harbour-gazette-") }.map { g.node($0).key }, [source])
        XCTAssertEqual(g.node(g.lookup(key: source)!).property("title"), .string("Karsh airlift reaches the naval station"))
        let accepted = facts(citing: source, g)
        XCTAssertGreaterThan(accepted.count, 3)
        XCTAssertTrue(accepted.contains("\(source) PUBLISHED_BY harbour-gazette"))
        // Loading again (a forced load) changes nothing of that.
        try loader.load(force: true)
        XCTAssertEqual(try slots(source, store).filter { $0.value.count != 1 }.keys.sorted(), [])

        // kb/ alone: a new store, as after `mosaic load --rebuild` or on a fresh clone.
        let fresh = try Store.inMemory()
        let freshLoader = KBLoader(workspace: ws, store: fresh)
        XCTAssertNoThrow(try freshLoader.check())
        try freshLoader.load()
        let f = fresh.graph
        XCTAssertEqual(facts(citing: source, f), accepted, "the accepted facts, with their source")
        let article = try XCTUnwrap(f.lookup(key: source))
        XCTAssertEqual(f.node(article).type, "Article")
        XCTAssertEqual(f.node(article).property("date"), .date(PartialDate("2031-07-03")!))
        XCTAssertEqual(f.node(article).property("reliability"), .string("B"))
        XCTAssertEqual(f.node(f.lookup(key: "harbour-gazette")!).name, "Harbour Gazette")

        // The same bytes ingested into it: the declared source, nothing proposed again.
        let freshQueue = ProposalQueue(store: fresh, workspace: ws, extractors: ExtractorRunner(runner: PluginRunner(workspace: ws, store: fresh)))
        let (again, y) = try ingest(path, DocumentMetadata(), fresh, freshQueue)
        XCTAssertEqual(again.status, .reattached)
        XCTAssertEqual(again.source, source)
        XCTAssertEqual(y.proposed, 0, "every fact is in kb/ from this article already")
        XCTAssertEqual(y.skipped, x.proposed)
        XCTAssertEqual(try slots(source, fresh).filter { $0.value.count != 1 }.keys.sorted(), [])
        XCTAssertEqual(try fresh.document(source: source)?.hash, try store.document(source: source)?.hash)

        // Deleting the file retracts the Article (and publisher) it had taken over; ingesting
        // the same bytes writes them again.
        try FileManager.default.removeItem(at: ws.appendingPathComponent("kb/ingest/\(source).yaml"))
        try loader.load()
        XCTAssertNil(store.graph.lookup(key: source))
        var ingestor = Ingestor(store: store)
        let restored = try ingestor.ingest(try DocumentReader.read(path: path, overrides: overrides))
        XCTAssertEqual(restored.status, .restored)
        XCTAssertEqual(restored.source, source)
        XCTAssertEqual(try slots(source, store)["entity"]?.map(\.meta.origin), [.cli(command: "ingest")])
        XCTAssertEqual(try slots(source, store).filter { $0.value.count != 1 }.keys.sorted(), [])
        XCTAssertEqual(store.graph.node(store.graph.lookup(key: source)!).property("title"), .string("Karsh airlift reaches the naval station"))
        XCTAssertEqual(try ingestor.ingest(try DocumentReader.read(path: path, overrides: overrides)).status, .unchanged)
    }

    /// A title the stored text holds (here ingest took it from the first line) is the article's
    /// words: the file does not copy it (it says where it is); the store keeps ingest's title, a rebuilt store has
    /// none until the same bytes are ingested again.
    func testATitleFromTheTextStaysOutOfTheFile() throws {
        let (ws, store, queue) = try corpusWorkspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let loader = KBLoader(workspace: ws, store: store)
        let path = ws.appendingPathComponent("note.txt").path
        let headline = "Cargo plane lands at the naval station"
        try "\(headline)\n\nA Karsh Air Wing cargo plane flew from Solvik to Port Irrin Naval Station on 2 July.\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (r, x) = try ingest(path, DocumentMetadata(publisher: "meridian-wire", date: "2031-07-03"), store, queue)
        XCTAssertGreaterThan(x.proposed, 0)
        _ = try queue.accept(try queue.list().map(\.id)) { try loader.load() }
        let text = try String(contentsOf: ws.appendingPathComponent("kb/ingest/\(r.source).yaml"), encoding: .utf8)
        XCTAssertFalse(text.contains(headline), text)
        XCTAssertTrue(text.contains("# title: not copied here: the article's own words (bytes 0-\(headline.utf8.count) of the stored document)"), text)
        XCTAssertTrue(text.contains("    publisher: meridian-wire\n    date: 2031-07-03\n"), text)
        XCTAssertFalse(text.contains("  - id: meridian-wire\n"), "a known publisher is not declared again: \(text)")
        let s = try slots(r.source, store)
        XCTAssertEqual(s.filter { $0.value.count != 1 }.keys.sorted(), [])
        XCTAssertEqual(s["property title"]?.first?.meta.origin, .cli(command: "ingest"), "ingest's title stays")
        XCTAssertEqual(s["entity"]?.first?.meta.origin.file, "kb/ingest/\(r.source).yaml")

        let fresh = try Store.inMemory()
        try KBLoader(workspace: ws, store: fresh).load()
        XCTAssertNil(fresh.graph.node(fresh.graph.lookup(key: r.source)!).property("title"))
        let freshQueue = ProposalQueue(store: fresh, workspace: ws, extractors: ExtractorRunner(runner: PluginRunner(workspace: ws, store: fresh)))
        let (again, y) = try ingest(path, DocumentMetadata(), fresh, freshQueue)
        XCTAssertEqual(again.status, .reattached)
        XCTAssertEqual(y.proposed, 0)
        let node = fresh.graph.node(fresh.graph.lookup(key: r.source)!)
        XCTAssertEqual(node.property("title"), .string(headline))
        XCTAssertEqual(node.property("date"), .date(PartialDate("2031-07-03")!), "the declaration's, although this run gave no date")
        XCTAssertEqual(try slots(r.source, fresh).filter { $0.value.count != 1 }.keys.sorted(), [])
        // A later load of the file leaves ingest's title alone (the file does not state one).
        try KBLoader(workspace: ws, store: fresh).load(force: true)
        XCTAssertEqual(fresh.graph.node(fresh.graph.lookup(key: r.source)!).property("title"), .string(headline))
    }
}
