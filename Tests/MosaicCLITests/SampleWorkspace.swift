import Foundation
import XCTest

/// A scratch copy of the repository's sample workspace (kb/, plugins/) and a way to run
/// the `mosaic` binary in it, for golden tests of whole commands.
struct SampleWorkspace {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for dir in ["kb", "plugins"] {
            try FileManager.default.copyItem(at: SampleWorkspace.repository.appendingPathComponent(dir), to: root.appendingPathComponent(dir))
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Runs `mosaic ARGS` here; returns (status, stdout, stderr).
    @discardableResult
    func run(_ args: [String], input: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = MosaicBinary.url
        p.arguments = args
        p.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let inPipe = Pipe()
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)); try inPipe.fileHandleForWriting.close() }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Compares `text` with Golden/NAME (MOSAIC_UPDATE_GOLDEN=1 rewrites it).
    static func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MOSAIC_UPDATE_GOLDEN"] != nil {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "(missing golden file \(name))"
        XCTAssertEqual(text, expected, "differs from Golden/\(name); MOSAIC_UPDATE_GOLDEN=1 rewrites it", file: file, line: line)
    }
}

/// The sample briefing (plugins/syria_bases.lua on kb/), pinned byte for byte.
final class SampleBriefingTests: XCTestCase {
    func testTheDailyBriefingMatchesItsGoldenFilesAndReproduces() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let out = ws.root.appendingPathComponent("out")
        let first = try ws.run(["brief", "--record", "--now", "2025-10-30T06:00Z", "--format", "md", "--format", "json", "--format", "html", "--out", out.path])
        XCTAssertEqual(first.status, 0, first.err)
        let md = try String(contentsOf: out.appendingPathComponent("syria_bases-daily.md"), encoding: .utf8)
        let json = try String(contentsOf: out.appendingPathComponent("syria_bases-daily.json"), encoding: .utf8)
        try SampleWorkspace.assertGolden(md, "syria_bases-daily.md")
        try SampleWorkspace.assertGolden(json, "syria_bases-daily.json")
        let html = try String(contentsOf: out.appendingPathComponent("syria_bases-daily.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.contains("Hmeimim Air Base"), "a self-contained HTML briefing")
        // Re-running as of the transaction it read, with the same clock, gives the same bytes.
        let again = try ws.run(["brief", "--as-of", "tx2", "--now", "2025-10-30T06:00Z", "--out", "-"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(again.out, md)
        // A second briefing opens with what changed since the first: nothing.
        let second = try ws.run(["brief", "--now", "2025-10-31T06:00Z", "--out", "-"])
        XCTAssertTrue(second.out.contains("Nothing was learnt or withdrawn since the last briefing."), second.out)
    }

    func testAReportThatRaisesWritesNoFileAndRecordsTheError() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try """
        return { name = "broken", version = "1", reports = { daily = function(params, kb)
          doc.heading(1, "x")
          error("no data for this report")
        end } }
        """.write(to: ws.root.appendingPathComponent("plugins/broken.lua"), atomically: true, encoding: .utf8)
        let out = ws.root.appendingPathComponent("out")
        let r = try ws.run(["brief", "broken", "--format", "md", "--out", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("plugins/broken.lua:3"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("broken-daily.md").path))
        let runs = try ws.run(["runs", "--json"])
        XCTAssertTrue(runs.out.contains("\"failed\""), runs.out)
    }
}

/// The console in batch mode on the sample KB, pinned.
final class ConsoleBatchTests: XCTestCase {
    func testBatchOutputOnTheSampleKB() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let script = """
            :schema
            MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base)
            RETURN a.name AS aircraft, b.name AS base, validFrom(f) AS from, grading(f) AS grade
            ORDER BY from, aircraft;
            :format csv
            MATCH (p:Person)-[:PARTICIPATED_IN]->(e:Event) RETURN e.name AS event, count(p) AS people ORDER BY event;
            :lua
            #kb.find{type = "Base"}
            :cypher
            :show hmeimim-air-base

            """
        let r = try ws.run(["console", "--format", "table"], input: script)
        XCTAssertEqual(r.status, 0, r.err)
        try SampleWorkspace.assertGolden(r.out, "console-batch.txt")
        // The first error stops a batch with status 1, unless --keep-going.
        let bad = try ws.run(["console"], input: "MATCH (n) RETURN n +;\n:stats\n")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("^"), "stderr: \(bad.err) stdout: \(bad.out)")
        XCTAssertFalse(bad.out.contains("entities"))
        let going = try ws.run(["console", "--keep-going"], input: "MATCH (n) RETURN n +;\n:stats\n")
        XCTAssertEqual(going.status, 1)
        XCTAssertTrue(going.out.contains("entities"), going.out)
    }
}

/// The sample rule plugins on the sample KB: what each derives, proofs, and truth
/// maintenance when a premise leaves kb/.
final class SampleRulesTests: XCTestCase {
    func testEachSampleRuleDerivesOnTheSampleKB() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let dry = try ws.run(["infer", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.hasPrefix("would add"), dry.out)
        func count(_ q: String) throws -> String {
            try ws.run(["query", q, "--format", "csv"]).out.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        }
        XCTAssertEqual(try count("MATCH ()-[r:IN_COUNTRY]->() RETURN count(r)"), "0", "a dry run writes nothing")
        XCTAssertEqual(try ws.run(["infer"]).status, 0)
        let queries = [
            "MATCH (b:Base)-[r:IN_COUNTRY]->(c) RETURN b.id, c.id, derived(r) ORDER BY b.id, c.id",
            "MATCH (b:Base) WHERE b.activity IS NOT NULL RETURN b.id, b.activity",
            "MATCH (a)-[r:LOGISTICS_ROUTE]->(b) RETURN a.id, b.id, validFrom(r), derivedBy(r)",
            "MATCH (a)-[r:CONTACT]->(b) RETURN a.id, b.id, validFrom(r), r.event ORDER BY validFrom(r)",
            "MATCH (a)-[f:FLEW_TO]->(b) RETURN DISTINCT corroboration(f)",
        ]
        var text = ""
        for q in queries {
            let r = try ws.run(["query", q, "--format", "csv"])
            XCTAssertEqual(r.status, 0, r.err)
            text += "# \(q)\n\(r.out)\n"
        }
        try SampleWorkspace.assertGolden(text, "sample-rules.txt")
        // The route's proof goes down to the kb facts and their article.
        let id = try count("MATCH ()-[r:LOGISTICS_ROUTE]->() RETURN id(r)")
        let why = try ws.run(["why", id])
        XCTAssertTrue(why.out.contains("by rule routes/route@1.0") && why.out.contains("kb/flights.yaml") && why.out.contains("enab-2025-10-30"), why.out)
        // Truth maintenance: without the departure from Libya, the route is retracted.
        let flights = ws.root.appendingPathComponent("kb/flights.yaml")
        let kept = try String(contentsOf: flights, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("FLEW_FROM") }.joined(separator: "\n")
        try kept.write(to: flights, atomically: true, encoding: .utf8)
        let again = try ws.run(["infer"])
        XCTAssertTrue(again.out.contains("retracted 1"), "the route: \(again.out)")
        XCTAssertEqual(try count("MATCH ()-[r:LOGISTICS_ROUTE]->() RETURN count(r)"), "0")
        XCTAssertEqual(try count("MATCH ()-[r:IN_COUNTRY]->() RETURN count(r) > 0"), "true", "other derivations stay")
    }
}

/// The scheduler end to end: due runs, one scheduler per workspace, and a kill -9 during a
/// run (no half-written briefing; the run is interrupted and the next start completes it).
final class SchedulerCommandTests: XCTestCase {
    func testKillDuringARunThenTheNextStartCompletesIt() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try """
        return { name = "zslow", version = "1", schedule = "0 6 * * *",
          reports = { daily = function(params, kb)
            local t = os.clock()
            while os.clock() - t < 1.5 do end
            doc.heading(1, "done")
          end } }
        """.write(to: ws.root.appendingPathComponent("plugins/zslow.lua"), atomically: true, encoding: .utf8)
        let list = try ws.run(["schedule", "--list"])
        XCTAssertTrue(list.out.contains("zslow/daily") && list.out.contains("syria_bases/daily"), list.out)
        // Start a run due at 06:00 and kill it while the slow report (run after syria_bases) works.
        let p = Process()
        p.executableURL = MosaicBinary.url
        p.arguments = ["schedule", "--once", "--now", "2025-10-30T06:00Z", "--workspace", ws.root.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let day = ws.root.appendingPathComponent("briefings/2025-10-30")
        let syria = day.appendingPathComponent("syria_bases-daily-0600.md")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: syria.path) && Date() < deadline { usleep(50_000) }
        // kill it once the slow report's run has begun (the run log says so)
        while Date() < deadline, !((try? ws.run(["runs", "--json"]).out) ?? "").contains("\"job\": \"zslow/daily\"") { usleep(50_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let slow = day.appendingPathComponent("zslow-daily-0600.md")
        XCTAssertFalse(FileManager.default.fileExists(atPath: slow.path), "a killed run leaves no briefing")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: day.path)) ?? []
        XCTAssertTrue(leftovers.allSatisfy { !$0.hasSuffix(".md") || !$0.hasPrefix("zslow") }, "\(leftovers)")
        // The next start marks the run interrupted and completes it (and does not redo the other).
        let next = try ws.run(["schedule", "--once", "--now", "2025-10-30T06:07Z"])
        XCTAssertEqual(next.status, 0, next.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: slow.path))
        let runs = try ws.run(["runs", "--json"]).out
        XCTAssertTrue(runs.contains("\"interrupted\""), runs)
        XCTAssertEqual(runs.components(separatedBy: "\"job\": \"syria_bases/daily\"").count - 1, 1, runs)
        // One scheduler per workspace.
        let holder = Process()
        holder.executableURL = MosaicBinary.url
        holder.arguments = ["schedule", "--workspace", ws.root.path]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        // wait until it holds the lock (it writes its pid into the lock file then)
        let lockFile = ws.root.appendingPathComponent(".mosaic/schedule.lock")
        let lockDeadline = Date().addingTimeInterval(60)
        while Date() < lockDeadline,
              (try? String(contentsOf: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) != "\(holder.processIdentifier)" {
            usleep(20_000)
        }
        let second = try ws.run(["schedule", "--once"])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.err.contains("another scheduler is running"), second.err)
    }
}

/// `mosaic query` on the sample KB: each output format with every kind of value, pinned.
final class QueryCommandTests: XCTestCase {
    func testFormatsRenderEveryValueType() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let q = """
            MATCH (b:Base {id: 'hmeimim-air-base'})<-[r:OPERATES]-(c)
            RETURN c AS node, b.name AS name, 1 AS int, 2.5 AS float, true AS bool, null AS nothing,
                   date('2025-10') AS month, duration.between(date('2025-10-01'), date('2025-10-30')) AS span,
                   [1, 'a, "b"'] AS list, {k: 1} AS map, validFrom(r) AS from, $p AS param
            """
        var text = ""
        for format in ["table", "json", "csv"] {
            let r = try ws.run(["query", q, "--format", format, "--param", "p=[1,2]"])
            XCTAssertEqual(r.status, 0, r.err)
            // the table's footer carries the time: keep its row count only
            let out = r.out.replacingOccurrences(of: #"\(\d+(\.\d+)? ms\)"#, with: "(… ms)", options: .regularExpression)
            text += "# --format \(format)\n\(out)\n"
        }
        try SampleWorkspace.assertGolden(text, "query-formats.txt")
        // the store's full-text index as a procedure, joined with a pattern
        let search = try ws.run(["query", "CALL mosaic.search('hmeimim') YIELD node, rank WITH node, rank ORDER BY rank LIMIT 1 MATCH (node)<-[:OPERATES]-(c) RETURN node.id, c.id", "--format", "csv"])
        XCTAssertEqual(search.status, 0, search.err)
        XCTAssertEqual(search.out.trimmingCharacters(in: .newlines), "node.id,c.id\r\nhmeimim-air-base,russia")
        let bad = try ws.run(["query", "MATCH (n) RETURN m"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("UndefinedVariable") && bad.err.contains("1:18") && bad.err.contains("^"), bad.err)
    }
}
