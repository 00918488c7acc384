import Foundation
import XCTest

/// `mosaic ingest` proposing facts and `mosaic review` on them, through the binary: the seed
/// article ingested into the sample workspace stripped of its relations; accepting every
/// proposal gives a KB that checks and briefs; the kb/ingest file copies no sentence of the
/// article; kb/ alone (the store rebuilt from it) still checks, shows the article and briefs,
/// and re-ingesting the article finds its declared source. Skipped when ../shared/seed is not
/// beside the repository.
final class ReviewCommandTests: XCTestCase {
    static let article = SampleWorkspace.repository.deletingLastPathComponent().appendingPathComponent("shared/seed/russia-syria-bases-article.txt")

    func testIngestReviewAcceptCheckBrief() throws {
        guard FileManager.default.fileExists(atPath: ReviewCommandTests.article.path) else { throw XCTSkip("no seed article here") }
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        // Only the entity files: every kb file without its relations section.
        let kb = ws.root.appendingPathComponent("kb")
        for name in try FileManager.default.contentsOfDirectory(atPath: kb.path) where name != "schema.yaml" {
            let url = kb.appendingPathComponent(name)
            var out: [Substring] = []
            var skipping = false
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("relations:") { skipping = true; continue }
                if skipping, let c = line.first, !c.isWhitespace, c != "#" { skipping = false }
                if !skipping { out.append(line) }
            }
            try out.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let ingest = try ws.run(["ingest", ReviewCommandTests.article.path, "--publisher", "enab-baladi", "--date", "2025-10-30", "--reliability", "B"])
        XCTAssertEqual(ingest.status, 0, ingest.err)
        XCTAssertTrue(ingest.out.contains("proposed facts pending review"), ingest.out)
        let source = try XCTUnwrap(ingest.out.components(separatedBy: "ingested as ").last?.split(separator: " ").first.map(String.init))

        // The JSON shape.
        let listed = try ws.run(["review", "--json"])
        XCTAssertEqual(listed.status, 0, listed.err)
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]])
        XCTAssertGreaterThan(array.count, 40)
        for p in array {
            for key in ["id", "document", "sentence", "relation", "from", "to", "valid", "denied", "confidence", "grade", "extractor", "evidence", "via", "status"] {
                XCTAssertNotNil(p[key], "\(key) in \(p)")
            }
            XCTAssertEqual(p["document"] as? String, source)
            XCTAssertEqual(Set((p["valid"] as? [String: Any] ?? [:]).keys), ["from", "to", "precision"])
        }
        // The text listing highlights the matched names ([…] when not a terminal).
        let text = try ws.run(["review"])
        XCTAssertTrue(text.out.contains("[Bloomberg]"), text.out)

        // Reject one, edit one, accept the rest.
        let ids = array.compactMap { $0["id"] as? Int }
        XCTAssertEqual(try ws.run(["review", "reject", "\(ids[0])"]).status, 0)
        let edit = try ws.run(["review", "edit", "\(ids[1])", "--confidence", "0.9"])
        XCTAssertEqual(edit.status, 0, edit.err)
        XCTAssertTrue(edit.out.contains("confidence 0.90"), edit.out)
        let bad = try ws.run(["review", "accept", "999999"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("no proposal #999999"), bad.err)
        let accept = try ws.run(["review", "accept", "--all-above", "0"])
        XCTAssertEqual(accept.status, 0, accept.err)
        XCTAssertTrue(accept.out.contains("kb/ingest/\(source).yaml"), accept.out)
        XCTAssertTrue(try ws.run(["review"]).out.contains("no pending proposals"))
        // A re-extraction brings back neither the rejected nor the accepted ones.
        let again = try ws.run(["ingest", "--reextract", source])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.out.contains(": 0 proposed facts pending review"), again.out)

        // The KB checks and briefs.
        let check = try ws.run(["check"])
        XCTAssertEqual(check.status, 0, check.err + check.out)
        let brief = try ws.run(["brief", "--now", "2025-10-31T06:00Z", "--out", "-"])
        XCTAssertEqual(brief.status, 0, brief.err)
        XCTAssertTrue(brief.out.contains("Marhaf Abu Qasra and Andrey Belousov met in Moscow"), brief.out)

        // kb/ alone: the store started again from kb/ (as on a fresh clone of the analyst's
        // repository) checks, shows the article, briefs, and holds the accepted facts with their source.
        func citing() throws -> String {
            let q = try ws.run(["query", "MATCH (a)-[r]->(b) WHERE '\(source)' IN [s IN sources(r) | s.id] RETURN type(r), a.id, b.id ORDER BY type(r), a.id, b.id", "--format", "csv"])
            XCTAssertEqual(q.status, 0, q.err)
            return q.out
        }
        let held = try citing()
        XCTAssertGreaterThan(held.split(whereSeparator: \.isNewline).count, 60, held)
        let rebuild = try ws.run(["load", "--rebuild"])
        XCTAssertEqual(rebuild.status, 0, rebuild.err + rebuild.out)
        // (the briefing derived facts from them too: the plugins' rules derive them again)
        XCTAssertEqual(try ws.run(["infer"]).status, 0)
        XCTAssertEqual(try citing(), held)
        let recheck = try ws.run(["check"])
        XCTAssertEqual(recheck.status, 0, recheck.err + recheck.out)
        let show = try ws.run(["show", source])
        XCTAssertEqual(show.status, 0, show.err)
        XCTAssertTrue(show.out.contains("(Article; id \(source))") && show.out.contains("PUBLISHED_BY → Enab Baladi [enab-baladi]"), show.out)
        XCTAssertEqual(show.out.components(separatedBy: "\n  date: 2025-10-30").count, 2, "one date: \(show.out)")
        let rebrief = try ws.run(["brief", "--now", "2025-10-31T06:00Z", "--out", "-"])
        XCTAssertEqual(rebrief.status, 0, rebrief.err)
        XCTAssertTrue(rebrief.out.contains("Marhaf Abu Qasra and Andrey Belousov met in Moscow"), rebrief.out)
        // The same bytes again (no flags): the source kb/ declares; of the accepted facts none is
        // proposed again (the rejected one is: rejections lived in the old store).
        let reingest = try ws.run(["ingest", ReviewCommandTests.article.path])
        XCTAssertEqual(reingest.status, 0, reingest.err)
        XCTAssertTrue(reingest.out.contains("ingested as \(source), the source kb/ declares for these bytes"), reingest.out)
        let back = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try ws.run(["review", "--json"]).out.utf8)) as? [[String: Any]])
        let rejected = array[0]
        XCTAssertEqual(back.map { "\($0["relation"]!) \($0["from"]!) \($0["to"]!)" }, ["\(rejected["relation"]!) \(rejected["from"]!) \(rejected["to"]!)"])
        XCTAssertEqual(try citing(), held)
        let titled = try ws.run(["show", source])
        XCTAssertTrue(titled.out.contains("  title: "), "ingest gives back the title taken from the text: \(titled.out)")
        XCTAssertEqual(try ws.run(["check"]).status, 0)

        // The kb file copies no sentence of the article: no run of 40 characters of it.
        let file = try String(contentsOf: kb.appendingPathComponent("ingest/\(source).yaml"), encoding: .utf8)
        let article = Array(try String(contentsOf: ReviewCommandTests.article, encoding: .utf8))
        var copied: [String] = []
        for i in stride(from: 0, to: max(0, article.count - 40), by: 10) {
            let piece = String(article[i..<(i + 40)])
            if file.contains(piece) { copied.append(piece) }
        }
        XCTAssertEqual(copied, [])
    }

    /// A folder gives its .txt, .md and .html files (and nothing else).
    func testAFolderGivesItsArticlesOfEveryFormat() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let folder = ws.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "A note on the harbour of Velport, filed on Monday.\n".write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "<html><body><article><p>The ferry to Velport ran late again.</p></article></body></html>"
            .write(to: folder.appendingPathComponent("b.html"), atomically: true, encoding: .utf8)
        try "not an article".write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let r = try ws.run(["ingest", folder.path, "--no-extract", "--date", "2031-03-12"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("[2/2] ") && r.err.contains("2 documents: 2 ingested"), r.out + r.err)
        XCTAssertTrue((r.out + r.err).contains("b.html"), r.out + r.err)
        XCTAssertFalse((r.out + r.err).contains("c.csv"), r.out + r.err)
    }

    func testAProposalThatRepeatsAKnownFactAddsASource() throws {
        guard FileManager.default.fileExists(atPath: ReviewCommandTests.article.path) else { throw XCTSkip("no seed article here") }
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let ingest = try ws.run(["ingest", ReviewCommandTests.article.path, "--publisher", "enab-baladi", "--date", "2025-10-30"])
        XCTAssertEqual(ingest.status, 0, ingest.err)
        let listed = try ws.run(["review", "--json"])
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]])
        XCTAssertGreaterThan(array.filter { $0["repeats"] != nil }.count, 30, "most of the seed's facts are in kb/ already")
        XCTAssertTrue(try ws.run(["review"]).out.contains("adds a source to #"))
        // The console's :review takes the same words.
        let first = try XCTUnwrap(array.first?["id"] as? Int)
        let console = try ws.run(["console"], input: ":review reject \(first)\n:review --json\n:review bogus\n:quit\n")
        XCTAssertTrue(console.out.contains("rejected #\(first)"), console.out + console.err)
        XCTAssertFalse(console.out.contains("\"id\": \(first),"), "rejected, so no longer listed")
        XCTAssertTrue((console.out + console.err).contains("unknown review action 'bogus'"), console.out + console.err)
    }
}
