import XCTest
import MosaicGraph
import MosaicKB
import MosaicPlugins
import MosaicStore
@testable import MosaicIngest

/// The test corpus (Fixtures/corpus: short articles of invented events) ingested into a
/// workspace holding the fictional KB (Fixtures/corpus/kb.yaml, entities only) and the
/// sample's extractors; the proposals scored against the hand-made relations.tsv.
final class ExtractionCorpusTests: XCTestCase {
    let files = ["01-drills.md", "02-convoy.txt", "03-denial.md", "04-weather.txt", "05-airlift.md", "06-summit.md", "07-jets.md", "08-appointment.md", "09-visit.md"]
    let flags: [String: DocumentMetadata] = ["02-convoy.txt": DocumentMetadata(publisher: "Meridian Wire", date: "2031-10-04")]

    func testCorpusRelations() throws {
        let (ws, store, queue) = try corpusWorkspace()
        defer { try? FileManager.default.removeItem(at: ws) }
        var proposals: [Proposal] = []
        var sameAs: [String: String] = [:]
        var ingestor = Ingestor(store: store)
        for file in files {
            let doc = try DocumentReader.read(path: fixtures.appendingPathComponent("corpus/\(file)").path, overrides: flags[file] ?? DocumentMetadata())
            let r = try ingestor.ingest(doc)
            let stored = try XCTUnwrap(store.document(source: r.source))
            let x = try queue.extract(stored, mentions: r.mentions, dates: r.dates)
            XCTAssertEqual(x.failures.map(\.description), [], file)
            let mine = try queue.list(document: stored.id)
            if file == "04-weather.txt" { XCTAssertEqual(mine.map(\.relation), [], "nothing to extract") }
            proposals += mine
            sameAs[r.source] = "ARTICLE:\(file)"
        }
        let score = RelationScore(proposals: proposals, expected: try expected(), sameAs: sameAs)
        print("corpus, relations: \(score.summary)")
        for f in score.wrong { print("  not expected: \(f)  (\(f.origin))") }
        for f in score.missed { print("  missed: \(f)  (\(f.origin))") }
        XCTAssertGreaterThanOrEqual(score.precision, 0.7)
        XCTAssertGreaterThanOrEqual(score.recall, 0.6)
        // The denials are proposed as denials, with the denier as the origin of the claim.
        let denials = proposals.filter(\.denied)
        XCTAssertEqual(Set(denials.map(\.to)), ["dalmak-air-base", "port-irrin"])
        XCTAssertTrue(denials.allSatisfy { $0.via == ["velorian-defence-ministry"] }, "\(denials.map(\.via))")
        // The relay: Meridian Wire citing IRIS is the via chain of the article's facts.
        XCTAssertTrue(proposals.contains { $0.relation == "LEADS" && $0.via == ["meridian-wire", "iris-agency"] })
    }

    /// relations.tsv as facts, `ARTICLE` standing for each file's article.
    func expected() throws -> [RelationScore.Fact] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("corpus/relations.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let denied = f[2].hasPrefix("NOT ")
            let subject = f[1] == "ARTICLE" ? "ARTICLE:\(f[0])" : f[1]
            return RelationScore.Fact(from: subject, relation: denied ? String(f[2].dropFirst(4)) : f[2], to: f[3],
                                      validFrom: PartialDate(f[4]), validTo: PartialDate(f[5]), denied: denied, origin: f[0])
        }
    }
}

/// A temporary workspace with the sample schema, the corpus KB and the sample's extractors,
/// loaded into an in-memory store; and its review queue.
func corpusWorkspace() throws -> (URL, Store, ProposalQueue) {
    let fm = FileManager.default
    let ws = fm.temporaryDirectory.appendingPathComponent("mosaic-corpus-\(UUID().uuidString)")
    try fm.createDirectory(at: ws.appendingPathComponent("kb"), withIntermediateDirectories: true)
    try fm.createDirectory(at: ws.appendingPathComponent("plugins"), withIntermediateDirectories: true)
    try fm.copyItem(at: repositoryRoot.appendingPathComponent("kb/schema.yaml"), to: ws.appendingPathComponent("kb/schema.yaml"))
    try fm.copyItem(at: fixtures.appendingPathComponent("corpus/kb.yaml"), to: ws.appendingPathComponent("kb/corpus.yaml"))
    try fm.copyItem(at: repositoryRoot.appendingPathComponent("plugins/extract_news.lua"), to: ws.appendingPathComponent("plugins/extract_news.lua"))
    let store = try Store.inMemory()
    try KBLoader(workspace: ws, store: store).load()
    let queue = ProposalQueue(store: store, workspace: ws, extractors: ExtractorRunner(runner: PluginRunner(workspace: ws, store: store)))
    return (ws, store, queue)
}
