import Foundation
import XCTest

/// `mosaic check` checks plugins fully: rule patterns, the variables rules name, schedules;
/// each error with plugins/NAME.lua:LINE, exit 1.
final class PluginCheckTests: XCTestCase {
    func testCheckReportsRuleAndScheduleErrorsWithTheirLines() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        XCTAssertEqual(try ws.run(["check"]).status, 0, "the sample is clean")
        let cases: [(String, String, String)] = [
            ("unbound", """
                return { name = "unbound", version = "1",
                  rules = {
                    r = { match = "(a:Aircraft)-[f:FLEW_TO]->(b:Base)",
                          derive = { relation = "SEEN_AT", from = "a", to = "x" } } } }
                """, "plugins/unbound.lua:3: plugin 'unbound' (spec): rule 'r':"),
            ("paren", """
                return { name = "paren", version = "1",
                  rules = {
                    r = { match = "(a:Aircraft-[f:FLEW_TO]->(b:Base)",
                          derive = { relation = "SEEN_AT", from = "a", to = "b" } } } }
                """, "plugins/paren.lua:3: plugin 'paren' (spec): rule 'r': match:"),
            ("distinct", """
                return { name = "distinct", version = "1",
                  rules = {
                    r = { match = "(a:Aircraft)-[f:FLEW_TO]->(b:Base)", distinct = { "f", "g" },
                          derive = { relation = "SEEN_AT", from = "a", to = "b" } } } }
                """, "distinct names 'g', which the pattern does not bind"),
            ("within", """
                return { name = "within", version = "1",
                  rules = {
                    r = { match = "(a:Aircraft)-[f:FLEW_TO]->(b:Base)", within_days = "window",
                          derive = { relation = "SEEN_AT", from = "a", to = "b" } } } }
                """, "within_days names 'window', which is not a parameter"),
            ("reltype", """
                return { name = "reltype", version = "1",
                  rules = {
                    r = { match = "(a:Aircraft)-[f:FLEWTO]->(b:Base)",
                          derive = { relation = "SEEN_AT", from = "a", to = "b" } } } }
                """, "plugins/reltype.lua:3: plugin 'reltype' (spec): rule 'r': the relation type 'FLEWTO' is not declared in kb/schema.yaml and no fact has it (did you mean FLEW_TO?)"),
            ("label", """
                return { name = "label", version = "1",
                  rules = {
                    r = { match = "(a:Aircraf)-[f:FLEW_TO]->(b:Base)",
                          derive = { relation = "SEEN_AT", from = "a", to = "b" } } } }
                """, "rule 'r': the entity type 'Aircraf' is not declared in kb/schema.yaml and no entity has it (did you mean Aircraft?)"),
            ("luareads", """
                return { name = "luareads", version = "1",
                  rules = {
                    r = { reads = { "FLEW_TOO" }, writes = { "SEEN_AT" },
                          derive = function(params, kb, changes) end } } }
                """, "rule 'r': the relation type 'FLEW_TOO' is not declared"),
            ("cron", """
                return { name = "cron", version = "1",
                  schedule = "61 6 * * *",
                  reports = { daily = function(params, kb) doc.heading(1, "x") end } }
                """, "plugins/cron.lua:2: plugin 'cron' (spec): schedule: cron '61 6 * * *', column 1"),
        ]
        for (name, source, expected) in cases {
            let file = ws.root.appendingPathComponent("plugins/\(name).lua")
            try source.write(to: file, atomically: true, encoding: .utf8)
            let r = try ws.run(["check"])
            XCTAssertEqual(r.status, 1, "\(name): \(r.out) \(r.err)")
            XCTAssertTrue(r.err.contains(expected), "\(name): \(r.err)")
            try FileManager.default.removeItem(at: file)
        }
        // A rule that reads what another rule derives is fine, and so is a derived type
        // the schema does not declare (the schema is not strict).
        try """
            return { name = "chain", version = "1",
              rules = {
                a = { match = "(a:Aircraft)-[f:FLEW_TO]->(b:Base)", derive = { relation = "SEEN_AT", from = "a", to = "b" } },
                b = { match = "(a:Aircraft)-[s:SEEN_AT]->(b:Base)", derive = { label = "Watched", of = "b" } },
                c = { match = "(b:Watched)<-[s:SEEN_AT]-(a)", derive = { property = "watched", of = "b", value = true } } } }
            """.write(to: ws.root.appendingPathComponent("plugins/chain.lua"), atomically: true, encoding: .utf8)
        let chain = try ws.run(["check"])
        XCTAssertEqual(chain.status, 0, chain.err)
    }

    /// Parameters set in mosaic.yaml must be the plugin's and of its declared types;
    /// `mosaic check` says where, and runs use them (a --param still wins).
    func testConfiguredParamsAreCheckedAndUsed() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try """
            return { name = "p", version = "1", params = { days = { type = "integer", default = 7 }, label = "x" },
              run = function(params, kb) return params.label .. ":" .. params.days end }
            """.write(to: ws.root.appendingPathComponent("plugins/p.lua"), atomically: true, encoding: .utf8)
        let config = ws.root.appendingPathComponent("mosaic.yaml")
        let original = (try? String(contentsOf: config, encoding: .utf8)) ?? ""
        func configure(_ params: String) throws {
            try (original + "\nplugins:\n  p:\n    params: {\(params)}\n").write(to: config, atomically: true, encoding: .utf8)
        }
        try configure("days: 3, label: y")
        XCTAssertEqual(try ws.run(["check"]).status, 0)
        XCTAssertTrue(try ws.run(["run", "p"]).out.contains("y:3"))
        XCTAssertTrue(try ws.run(["run", "p", "--param", "days=9"]).out.contains("y:9"))
        try configure("days: soon")
        var r = try ws.run(["check"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("mosaic.yaml: plugins.p.params.days: must be an integer, got 'soon'"), r.err)
        try configure("weeks: 2")
        r = try ws.run(["check"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("mosaic.yaml: plugins.p.params: unknown parameter 'weeks' (this plugin takes: days, label)"), r.err)
    }
}
