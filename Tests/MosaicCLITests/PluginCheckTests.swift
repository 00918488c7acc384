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
    }
}
