import Foundation
import MosaicGraph
@testable import MosaicCLI
import XCTest

/// The claims model end to end: the sample KB plus a second report (Fixtures/second-source.yaml:
/// an independent repeat, a relay of the same Flightradar24 tracks, a denial, a new flight),
/// through queries, Lua, `show`, `why`, `conflicts`, `brief` and the console, on all three clocks.
final class ClaimsWorkspaceTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/second-source.yaml")

    func workspace(withSecondSource: Bool = true) throws -> SampleWorkspace {
        let ws = try SampleWorkspace()
        if withSecondSource {
            try FileManager.default.copyItem(at: ClaimsWorkspaceTests.fixture, to: ws.root.appendingPathComponent("kb/second-source.yaml"))
        }
        return ws
    }

    func testQueriesSeeOneRelationshipPerFactOnEveryClock() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let queries: [(String, [String])] = [
            ("MATCH (:Country {id: 'russia'})-[o:OPERATES]->(b) RETURN b.id, size(claims(o)) AS claims, corroboration(o) AS corr, grading(o) AS grade, disputed(o) AS disputed ORDER BY b.id", []),
            ("MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base) RETURN a.id, validFrom(f) AS on, validTo(f) AS to, size(claims(f)) AS claims, corroboration(f) AS corr, grading(f) AS grade ORDER BY on, to, a.id", []),
            ("MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base) RETURN a.id, validFrom(f) AS on, size(claims(f)) AS claims ORDER BY on, a.id", ["--known-by", "2025-11-01"]),
            ("MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base) RETURN a.id, validFrom(f) AS on ORDER BY on, a.id", ["--valid-at", "2025-10-26"]),
            ("MATCH (:Aircraft {id: 'ru-af-transport-1'})-[f:FLEW_TO]->(:Base) UNWIND sources(f) AS s RETURN s.id, s.publisher, s.date, s.grade, s.via, s.note ORDER BY s.id", []),
            ("MATCH (:Country {id: 'russia'})-[o:OPERATES]->({id: 'al-hasakah-air-base'}) UNWIND denials(o) AS d RETURN d.grade, d.sources", []),
            ("CALL mosaic.conflicts() YIELD kind, fact, reason RETURN kind, type(fact) AS type, reason", []),
        ]
        var text = ""
        for (q, flags) in queries {
            let r = try ws.run(["query", q, "--format", "csv"] + flags)
            XCTAssertEqual(r.status, 0, r.err)
            text += "# \(q) \(flags.joined(separator: " "))\n\(r.out)\n"
        }
        try SampleWorkspace.assertGolden(text, "claims-queries.txt")
        // A view is for reading: a write through it is refused.
        let write = try ws.run(["query", "CREATE (:Base {name: 'x'})", "--known-by", "2025-11-01"])
        XCTAssertEqual(write.status, 1)
        XCTAssertTrue(write.err.contains("drop --as-of, --known-by and --valid-at"), write.err)
    }

    /// The card of every entity reads the relations towards it by the subjects the graph
    /// gives (facts, folded claims, the denial) and shows what a scan of every statement shows,
    /// now and as of the first transaction.
    func testEveryCardReadsTheRelationsTowardsItAsAScanDoes() throws {
        let ws = try workspace()
        defer { ws.remove() }
        // (and a denial of a relation no one asserted: its subject is not in the entity's
        // incoming relationships)
        try """
            relations:
              - [syria, OPERATES, russian-bases-libya, {denied: true, source: monitor-2025-11-03, grade: C3}]

            """.write(to: ws.root.appendingPathComponent("kb/lone-denial.yaml"), atomically: true, encoding: .utf8)
        let w = try Workspace.open(ws.root.path)
        XCTAssertTrue(try EntityCard(key: "russian-bases-libya", graph: w.graph(asOf: nil), store: w.store).text.contains("syria"))
        for graph in [try w.graph(asOf: nil), try w.graph(asOf: .transaction(1))] {
            var cards = 0, towards = 0
            for n in graph.nodeIndices {
                let key = graph.key(ofNode: n)
                let bySubjects = try EntityCard(key: key, graph: graph, store: w.store)
                let byScan = try EntityCard(key: key, graph: graph, store: w.store, scanTowards: true)
                XCTAssertEqual(bySubjects.text, byScan.text, key)
                cards += 1
                towards += bySubjects.incoming.count
            }
            XCTAssertGreaterThan(cards, 20)
            XCTAssertGreaterThan(towards, 20)
        }
    }

    func testShowWhyAndConflictsExplainTheFacts() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let show = try ws.run(["show", "hmeimim-air-base"])
        XCTAssertEqual(show.status, 0, show.err)
        let operates = show.out.split(separator: "\n").filter { $0.contains("→ OPERATES") }
        XCTAssertEqual(operates.count, 1, show.out)
        XCTAssertTrue(operates[0].contains("2 claims") && operates[0].contains("corroboration 2") && operates[0].contains("B1"), String(operates[0]))
        let json = try ws.run(["show", "al-hasakah-air-base", "--json"])
        XCTAssertTrue(json.out.contains("\"denied\": true") && json.out.contains("\"disputed\": true"), json.out)

        let id = try ws.run(["query", "MATCH (:Country {id: 'russia'})-[o:OPERATES]->({id: 'hmeimim-air-base'}) RETURN id(o)", "--format", "csv"])
            .out.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let why = try ws.run(["why", id])
        XCTAssertEqual(why.status, 0, why.err)
        XCTAssertTrue(why.out.contains("2 claims") && why.out.contains("compatible valid times, no source in common")
                      && why.out.contains("corroboration 2") && why.out.contains("Claim 2 of 2") && why.out.contains("kb/second-source.yaml"), why.out)

        let conflicts = try ws.run(["conflicts"])
        XCTAssertEqual(conflicts.status, 0, conflicts.err)
        XCTAssertTrue(conflicts.out.contains("denial: monitor-2025-11-03 denies russia OPERATES al-hasakah-air-base"), conflicts.out)
        let early = try ws.run(["conflicts", "--known-by", "2025-11-01"])
        XCTAssertEqual(early.out, "no conflicts\n", "the denial was published on 3 November")
    }

    func testAsOfBeforeTheFirstTransactionPointsToKnownBy() throws {
        let ws = try workspace()
        defer { ws.remove() }
        XCTAssertEqual(try ws.run(["load"]).status, 0)
        let r = try ws.run(["show", "hmeimim-air-base", "--as-of", "2025-10-31"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("before the KB's first transaction") && r.err.contains("--known-by 2025-10-31"), r.err)
        let k = try ws.run(["show", "hmeimim-air-base", "--known-by", "2025-10-31"])
        XCTAssertEqual(k.status, 0, k.err)
        XCTAssertFalse(k.out.contains("2 claims"), "the second report is not known yet: \(k.out)")
    }

    func testLuaSeesFactsAndConflicts() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try """
        return {
          name = "facts_probe", version = "1.0",
          run = function(params, kb)
            for _, r in ipairs(kb.get("hmeimim-air-base"):inn("OPERATES")) do
              local ids = {}
              for _, s in ipairs(r.sources) do ids[#ids + 1] = s.id .. "/" .. (s.publisher or "?") .. "/" .. tostring(s.date) .. "/" .. s.grade .. "/" .. #s.via end
              kb.log(string.format("operates claims=%d corroboration=%d grading=%s disputed=%s sources=%s",
                #r.claims, r.corroboration, r.grading, tostring(r.disputed), table.concat(ids, ",")))
            end
            for _, c in ipairs(kb.conflicts()) do
              kb.log(c.kind .. ": " .. c.reason .. " fact=" .. c.fact.type .. " denial-grade=" .. c.other.grading)
            end
          end,
        }
        """.write(to: ws.root.appendingPathComponent("plugins/facts_probe.lua"), atomically: true, encoding: .utf8)
        let r = try ws.run(["run", "facts_probe"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("operates claims=2 corroboration=2 grading=B1 disputed=false sources=enab-2025-10-30/Enab Baladi/2025-10-30/B2/0,monitor-2025-11-03/Regional Monitor/2025-11-03/C3/0"), r.out)
        XCTAssertTrue(r.out.contains("denial: monitor-2025-11-03 denies russia OPERATES al-hasakah-air-base fact=OPERATES denial-grade=C2"), r.out)
        let early = try ws.run(["run", "facts_probe", "--known-by", "2025-11-01"])
        XCTAssertTrue(early.out.contains("operates claims=1 corroboration=1 grading=B2"), early.out)
        XCTAssertFalse(early.out.contains("denial:"), early.out)
    }

    func testTheBriefingWithASecondSourceMatchesItsGolden() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let later = try ws.run(["brief", "--now", "2025-11-04T06:00Z", "--out", "-"])
        XCTAssertEqual(later.status, 0, later.err)
        try SampleWorkspace.assertGolden(later.out, "syria_bases-two-sources.md")
        XCTAssertEqual(later.out.components(separatedBy: "| Hmeimim Air Base").count - 1, 1, "one row per base")
        // A briefing "at" 31 October reads what was reported by then: no 2 November flight, no denial.
        let earlier = try ws.run(["brief", "--now", "2025-10-31T06:00Z", "--out", "-"])
        XCTAssertEqual(earlier.status, 0, earlier.err)
        XCTAssertFalse(earlier.out.contains("2025-11-02") || earlier.out.contains("Regional Monitor") || earlier.out.contains("## Disputed"), earlier.out)
    }

    func testWhatChangedIsToldFactByFactAndAPreviewMovesNoMark() throws {
        let ws = try workspace(withSecondSource: false)
        defer { ws.remove() }
        XCTAssertEqual(try ws.run(["brief", "--record", "--now", "2025-10-31T06:00Z", "--out", "-"]).status, 0)
        try FileManager.default.copyItem(at: ClaimsWorkspaceTests.fixture, to: ws.root.appendingPathComponent("kb/second-source.yaml"))
        let preview = try ws.run(["brief", "--now", "2025-11-04T06:00Z", "--out", "-"])
        XCTAssertEqual(preview.status, 0, preview.err)
        let changed = preview.out.components(separatedBy: "## Key judgements").first ?? ""
        try SampleWorkspace.assertGolden(changed, "claims-what-changed.md")
        XCTAssertTrue(changed.contains("support:") && changed.contains("corroboration 1 → 2") && changed.contains("disputed:")
                      && changed.contains("new:"), changed)
        XCTAssertFalse(changed.contains("Regional Monitor") || changed.contains("PUBLISHED") || changed.range(of: "#[0-9]", options: .regularExpression) != nil,
                       "no bookkeeping, no internal ids: \(changed)")
        // The preview did not move the mark: the same again.
        let again = try ws.run(["brief", "--now", "2025-11-04T06:00Z", "--out", "-"])
        func body(_ t: String) -> String { t.split(separator: "\n").filter { !$0.hasPrefix("_Generated") }.joined(separator: "\n") }
        XCTAssertEqual(body(again.out), body(preview.out))
        // --since chooses where to count from.
        let none = try ws.run(["brief", "--now", "2025-11-04T06:00Z", "--since", "tx99", "--out", "-"])
        XCTAssertTrue(none.out.contains("Nothing was learnt or withdrawn"), none.out)
    }

    func testChangesShowsRefinedAndCorrectedDatesAsOldToNew() throws {
        let ws = try workspace()
        defer { ws.remove() }
        XCTAssertEqual(try ws.run(["load"]).status, 0)
        // The analyst corrects a landing's day, and a third report dates an undated fact.
        let flights = ws.root.appendingPathComponent("kb/flights.yaml")
        let text = try String(contentsOf: flights, encoding: .utf8)
        XCTAssertTrue(text.contains("{on: 2025-10-29, note: \"the latest of three landings"))
        try text.replacingOccurrences(of: "{on: 2025-10-29, note: \"the latest of three landings", with: "{on: 2025-10-28, note: \"the latest of three landings")
            .write(to: flights, atomically: true, encoding: .utf8)
        try """
        defaults: {source: monitor-2025-11-03, grade: C3}
        relations:
          - [russia, OPERATES, tartus-naval-facility, {since: 2017-01}]
        """.write(to: ws.root.appendingPathComponent("kb/third.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try ws.run(["load"]).status, 0)
        let r = try ws.run(["changes", "--since", "tx1"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("corrected: Russian heavy-lift cargo aircraft FLEW_TO Hmeimim Air Base: 2025-10-29 → 2025-10-28"), r.out)
        XCTAssertTrue(r.out.contains("refined: Russia OPERATES Tartus naval facility: undated → since 2017-01"), r.out)
        XCTAssertTrue(r.out.contains("support: Russia OPERATES Tartus naval facility: new source monitor-2025-11-03, corroboration 1 → 2"), r.out)
        XCTAssertFalse(r.out.contains("withdrawn"), r.out)
        let json = try ws.run(["changes", "--since", "tx1", "--json"])
        XCTAssertTrue(json.out.contains("\"kind\": \"corrected\""), json.out)
    }

    func testAScheduledRunReadsWhatWasReportedByItsSlot() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = try ws.run(["schedule", "--once", "--now", "2025-10-31T06:00Z"])
        XCTAssertEqual(r.status, 0, r.err)
        let md = try String(contentsOf: ws.root.appendingPathComponent("briefings/2025-10-31/syria_bases-daily-0600.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("Hmeimim Air Base"), md)
        XCTAssertFalse(md.contains("2025-11-02") || md.contains("Regional Monitor") || md.contains("## Disputed"),
                       "the 3 November report is not known at 31 October 06:00: \(md)")
    }

    func testTheConsoleReadsByEachClock() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let script = """
            :known-by 2025-11-01
            MATCH (a:Aircraft)-[f:FLEW_TO]->(:Base) RETURN count(f) AS flights;
            :known-by off
            :valid-at 2025-11-02
            MATCH (a:Aircraft)-[f:FLEW_TO]->(:Base) RETURN count(f) AS flights;
            :valid-at off
            MATCH (a:Aircraft)-[f:FLEW_TO]->(:Base) RETURN count(f) AS flights;

            """
        let r = try ws.run(["console", "--format", "csv"], input: script)
        XCTAssertEqual(r.status, 0, r.err)
        let counts = r.out.split(whereSeparator: \.isNewline).filter { Int($0) != nil }
        XCTAssertEqual(counts, ["4", "1", "5"], r.out)
    }
}
