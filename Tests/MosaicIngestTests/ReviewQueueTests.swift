import XCTest
import MosaicGraph
import MosaicKB
import MosaicLua
import MosaicPlugins
import MosaicStore
@testable import MosaicIngest

/// Extractors' failures and errors, and the review queue: accept writes kb/ingest files that
/// load, reject is remembered across re-extraction, edit checks what it is given.
final class ReviewQueueTests: XCTestCase {
    /// The corpus workspace with one more plugin whose extractors are `body` (Lua).
    func workspace(plugin body: String) throws -> (URL, Store, ProposalQueue) {
        let (ws, store, _) = try corpusWorkspace()
        try """
            return {
              name = "probe", version = "1",
              extractors = {
            \(body)
              },
            }
            """.write(to: ws.appendingPathComponent("plugins/probe.lua"), atomically: true, encoding: .utf8)
        let queue = ProposalQueue(store: store, workspace: ws, extractors: ExtractorRunner(runner: PluginRunner(workspace: ws, store: store)))
        return (ws, store, queue)
    }

    func ingest(_ file: String, _ store: Store, _ queue: ProposalQueue) throws -> (StoredDocument, ProposalQueue.Extraction) {
        var ingestor = Ingestor(store: store)
        let r = try ingestor.ingest(try DocumentReader.read(path: fixtures.appendingPathComponent("corpus/\(file)").path))
        let d = try XCTUnwrap(store.document(source: r.source))
        return (d, try queue.extract(d, mentions: r.mentions, dates: r.dates))
    }

    /// Data-driven: each extractor body and the error it must give (a Lua-style message with
    /// the plugin's file and line); the sample's extractors still propose their facts.
    func testAFailingExtractorIsReportedAndTheOthersRun() throws {
        let cases: [(String, String)] = [
            ("a = function(s, doc) propose(nil) end",
             "plugins/probe.lua:4: plugin 'probe' (run): extractor 'a' failed on sentence 1 (bytes 0-120): bad argument #1 to 'propose' (table expected, got nil)"),
            ("a = function(s, doc) propose{relation = 'FLEW_TO', from = 'nobody', to = 'solvik'} end",
             "bad argument #1 to 'propose' (field 'from': unknown entity 'nobody')"),
            ("a = function(s, doc) propose{relation = 'FLEW_TO', from = 'solvik', to = 'solvik', on = '2031-02-30'} end",
             "bad argument #1 to 'propose' (field 'on': '2031-02-30' is not a date (YYYY, YYYY-MM or YYYY-MM-DD))"),
            ("a = function(s, doc) propose{relation = 'FLEW_TO', from = 'solvik', to = 'solvik', confidence = 2} end",
             "bad argument #1 to 'propose' (field 'confidence' must be a number from 0 to 1)"),
            ("a = function(s, doc) propose{relation = 'FLEW_TO', form = 'solvik', to = 'solvik'} end",
             "bad argument #1 to 'propose' (unknown field \"form\""),
            ("a = function(s, doc) error('boom') end", "plugins/probe.lua:4: plugin 'probe' (run): extractor 'a' failed on sentence 1 (bytes 0-120): boom"),
            ("a = function(s, doc) while true do end end", "time limit exceeded"),
        ]
        for (body, message) in cases {
            let (ws, store, queue) = try workspace(plugin: body)
            defer { try? FileManager.default.removeItem(at: ws) }
            if body.contains("while true") {
                queue.extractors!.runner.limitsByPlugin["probe"] = LuaLimits(timeout: .milliseconds(200))
            }
            let (_, x) = try ingest("05-airlift.md", store, queue)
            XCTAssertEqual(x.failures.count, 1, body)
            XCTAssertTrue(x.failures.first?.detailed.contains(message) == true, "\(body): \(x.failures.first?.detailed ?? "no failure")")
            XCTAssertTrue(x.extractors.contains("extract_news/flights"))
            XCTAssertGreaterThan(x.proposed, 5, "the other plugin's extractors ran")
            XCTAssertTrue(try queue.list().allSatisfy { !$0.extractor.hasPrefix("probe/") })
        }
    }

    func testAProposalOfAnExtractorCarriesItsSentenceEvidenceAndGrade() throws {
        let (ws, store, queue) = try workspace(plugin: """
            a = function(s, doc)
              for _, m in ipairs(s.mentions) do
                if m.type == "Aircraft" then
                  propose{relation = "FLEW_TO", from = m, to = {new = {name = "Nowhere Field", type = "Base"}}, since = "2031-06", confidence = 0.9,
                          evidence = {m}, via = {"skywatch"}, note = "probe"}
                end
              end
            end
            """)
        defer { try? FileManager.default.removeItem(at: ws) }
        let (doc, _) = try ingest("05-airlift.md", store, queue)
        let p = try XCTUnwrap(queue.list().first { $0.extractor == "probe/a" })
        XCTAssertEqual(p.from, "karsh-cargo-plane")
        XCTAssertEqual(p.to, "new:nowhere-field")
        XCTAssertEqual(p.newEntities, [Proposal.NewEntity(id: "new:nowhere-field", name: "Nowhere Field", type: "Base")])
        XCTAssertEqual(p.validFrom?.description, "2031-06")
        XCTAssertNil(p.validTo)
        XCTAssertEqual(p.grade?.description, "B2", "the article's reliability B and confidence 0.9")
        XCTAssertEqual(p.via, ["skywatch"])
        let bytes = Array(doc.text.utf8)
        XCTAssertEqual(String(decoding: bytes[p.evidence[0].start..<p.evidence[0].end], as: UTF8.self), "Karsh Air Wing cargo plane")
        XCTAssertTrue(p.sentence.start <= p.evidence[0].start && p.evidence[0].end <= p.sentence.end)
        // The JSON shape round-trips.
        XCTAssertEqual(Proposal(json: p.json().rendered()), p)
        // Accepting writes the new entity and the fact into kb/ingest/SOURCE.yaml, which loads.
        let done = try queue.accept([p.id])
        XCTAssertEqual(done.files, ["kb/ingest/\(doc.source).yaml"])
        let text = try String(contentsOf: ws.appendingPathComponent(done.files[0]), encoding: .utf8)
        XCTAssertTrue(text.contains("  - id: nowhere-field\n    type: Base\n    name: \"Nowhere Field\""), text)
        XCTAssertTrue(text.contains("{subject: karsh-cargo-plane, type: FLEW_TO, object: nowhere-field, since: 2031-06, via: [skywatch], grade: B2, confidence: 0.90"), text)
        XCTAssertNoThrow(try KBLoader(workspace: ws, store: store).check())
        try KBLoader(workspace: ws, store: store).load()
        let g = store.graph
        let r = try XCTUnwrap(g.outgoing(g.lookup(key: "karsh-cargo-plane")!, type: g.relationTypeID("FLEW_TO")).first { g.node(g.relationship($0).target).key == "nowhere-field" })
        XCTAssertEqual(g.sources(ofRelationship: r).map(\.source), [doc.source])
        XCTAssertEqual(try queue.list().filter { $0.id == p.id }, [], "no longer pending")
        XCTAssertThrowsError(try queue.accept([p.id])) { XCTAssertEqual("\($0)", "proposal #\(p.id) is accepted, not pending") }
    }

    func testRejectedProposalsDoNotComeBackAndKnownFactsAreRepeats() throws {
        let (ws, store, queue) = try corpusWorkspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        let (doc, first) = try ingest("07-jets.md", store, queue)
        let pending = try queue.list()
        XCTAssertEqual(pending.count, first.proposed)
        let denial = try XCTUnwrap(pending.first { $0.denied })
        XCTAssertEqual(try queue.reject([denial.id]), [denial.id])
        let again = try queue.reextract(source: doc.source)
        XCTAssertEqual(again.skipped, 1)
        XCTAssertFalse(try queue.list().contains { $0.key == denial.key }, "a rejected proposal does not come back")
        XCTAssertEqual(try store.proposals(status: .superseded).count, first.proposed - 1)
        // Accept one, then re-extract: the accepted fact is known; a second article saying it repeats it.
        let flight = try XCTUnwrap(queue.list().first { $0.relation == "FLEW_FROM" })
        _ = try queue.accept([flight.id])
        try KBLoader(workspace: ws, store: store).load()
        XCTAssertNotNil(ProposalQueue.knownFact(flight, graph: store.graph))
        // Edits are checked.
        let other = try XCTUnwrap(queue.list().first)
        XCTAssertThrowsError(try queue.edit(other.id, .init(to: "atlantis"))) {
            XCTAssertEqual("\($0)", "#\(other.id): 'atlantis' is not an entity id of the KB (or one of the proposal's new entities)")
        }
        let edited = try queue.edit(other.id, .init(on: "2031-08-27", confidence: 0.3))
        XCTAssertEqual(edited.validFrom?.description, "2031-08-27")
        XCTAssertEqual(edited.grade?.description, "B5")
        XCTAssertTrue(edited.extractor.hasSuffix("(edited)"))
    }

    func testAnAcceptedFactThatDoesNotLoadIsPutBack() throws {
        let (ws, store, queue) = try workspace(plugin: """
            a = function(s, doc)
              if s.index == 1 then propose{relation = "FLEW_TOO", from = "karsh-cargo-plane", to = "solvik", confidence = 0.9} end
            end
            """)
        defer { try? FileManager.default.removeItem(at: ws) }
        let (doc, _) = try ingest("05-airlift.md", store, queue)
        let p = try XCTUnwrap(queue.list().first { $0.relation == "FLEW_TOO" })
        let loader = KBLoader(workspace: ws, store: store)
        XCTAssertThrowsError(try queue.accept([p.id]) { try loader.load() }) { error in
            XCTAssertTrue("\(error)".contains("unknown relation type 'FLEW_TOO'"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.appendingPathComponent("kb/ingest/\(doc.source).yaml").path))
        XCTAssertTrue(try queue.list().contains { $0.id == p.id }, "still pending")
        // Edited to a known type, it is accepted.
        _ = try queue.edit(p.id, .init(relation: "FLEW_TO"))
        XCTAssertEqual(try queue.accept([p.id]) { try loader.load() }.proposals, [p.id])
    }
}
