import Foundation
import XCTest

/// Failures stay local: a plugin whose rule loops or that does not load does not take the
/// briefing down, and what a broken plugin derived survives it, marked stale.
final class PluginIsolationTests: XCTestCase {
    func testALoopingRuleIsSkippedAndTheBriefingIsStillProduced() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try """
        return { name = "loop", version = "1",
          rules = {
            spin = { reads = { "FLEW_TO" }, writes = { "SPUN" },
              derive = function(params, kb, changes)
                while true do end
              end },
            after = { reads = { "SPUN" }, writes = { "AFTER" },
              derive = function(params, kb, changes) end },
          } }
        """.write(to: ws.root.appendingPathComponent("plugins/loop.lua"), atomically: true, encoding: .utf8)
        try "plugins:\n  loop:\n    limits: {time_ms: 300}\n".write(to: ws.root.appendingPathComponent("mosaic.yaml"), atomically: true, encoding: .utf8)
        let r = try ws.run(["brief", "--now", "2025-10-30T06:00Z", "--out", "-"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("warning: rule loop/spin@1 failed: plugins/loop.lua:5:") && r.err.contains("time limit exceeded"), r.err)
        XCTAssertTrue(r.err.contains("rule loop/after@1 skipped: it reads what loop/spin@1 writes"), r.err)
        XCTAssertTrue(r.out.contains("Hmeimim Air Base"), "the briefing is there: \(r.out)")
        XCTAssertTrue(r.out.contains("Inference was incomplete") && r.out.contains("loop/spin@1"), r.out)
        // The other plugins' rules ran.
        let routes = try ws.run(["query", "MATCH ()-[r:LOGISTICS_ROUTE]->() RETURN count(r)", "--format", "csv"])
        XCTAssertTrue(routes.out.contains("\n1"), routes.out + routes.err)
        let runs = try ws.run(["runs"])
        XCTAssertTrue(runs.out.contains("loop:rules") && runs.out.contains("failed") && runs.out.contains("plugins/loop.lua:5"), runs.out)
    }

    func testABrokenPluginKeepsItsDerivedFactsMarkedStaleUntilItLoadsOrIsDisabled() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let q = "MATCH ()-[r:LOGISTICS_ROUTE]->() RETURN id(r) AS id, stale(r) AS stale"
        func csv() throws -> String {
            try ws.run(["query", q, "--format", "csv"]).out.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines) + "\n"
        }
        XCTAssertEqual(try ws.run(["infer"]).status, 0)
        let before = try csv()
        let lines = before.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, before)
        let id = String(lines[1].split(separator: ",")[0])
        XCTAssertEqual(lines[1], "\(id),false")
        // A one-character syntax error.
        let file = ws.root.appendingPathComponent("plugins/routes.lua")
        let good = try String(contentsOf: file, encoding: .utf8)
        try good.replacingOccurrences(of: "return {", with: "return {{").write(to: file, atomically: true, encoding: .utf8)
        let brief = try ws.run(["brief", "--now", "2025-10-31T06:00Z", "--out", "-"])
        XCTAssertEqual(brief.status, 0, brief.err)
        XCTAssertTrue(brief.err.contains("plugins/routes.lua:") && brief.err.contains("marked stale"), brief.err)
        XCTAssertFalse(brief.out.contains("withdrawn"), brief.out)
        XCTAssertEqual(try csv(), "id,stale\n\(id),true\n", "same id, stale")
        let why = try ws.run(["why", id])
        XCTAssertTrue(why.out.contains("stale: plugin routes has failed to load or run since"), why.out)
        // Fixed: the same fact, no longer stale.
        try good.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ws.run(["infer"]).status, 0)
        XCTAssertEqual(try csv(), "id,stale\n\(id),false\n")
        XCTAssertFalse(try ws.run(["why", id]).out.contains("stale"))
        // Broken again, then disabled: disabling retracts, as before.
        try good.replacingOccurrences(of: "return {", with: "return {{").write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ws.run(["infer"]).status, 0)
        try "plugins:\n  routes: {enabled: false}\n".write(to: ws.root.appendingPathComponent("mosaic.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try ws.run(["infer"]).status, 0)
        XCTAssertEqual(try csv(), "id,stale\n")
    }
}
