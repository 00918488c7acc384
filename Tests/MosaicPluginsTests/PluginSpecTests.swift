import Foundation
import XCTest
@testable import MosaicPlugins

/// Broken plugins, one per case: each is reported with its file:line and a clear message,
/// and the good plugin next to them still loads.
final class PluginSpecTests: XCTestCase {
    static let cases: [(file: String, source: String, expected: String)] = [
        ("unknown_key.lua", "return {\n  name = 'unknown_key',\n  version = '1',\n  scheduel = '@daily',\n  run = function() end,\n}",
         "plugins/unknown_key.lua:4: plugin 'unknown_key' (spec): unknown key 'scheduel' in the spec (did you mean 'schedule'?); known keys: name, version, description, params, rules, reports, extractors, schedule, run"),
        ("wrong_type.lua", "return {\n  name = 'wrong_type',\n  version = 2,\n  run = function() end,\n}",
         "plugins/wrong_type.lua:3: plugin 'wrong_type' (spec): 'version' must be a string, got number"),
        ("no_version.lua", "return {\n  name = 'no_version',\n  run = function() end,\n}",
         "plugins/no_version.lua:1: plugin 'no_version' (spec): the spec needs 'version' (a string)"),
        ("renamed.lua", "return {\n  name = 'other',\n  version = '1',\n  run = function() end,\n}",
         "plugins/renamed.lua:2: plugin 'renamed' (spec): the spec's name 'other' differs from the plugin's file name 'renamed'; rename one of them"),
        ("bad_param.lua", "return {\n  name = 'bad_param',\n  version = '1',\n  params = {\n    days = { type = 'integer', default = 'ten' },\n  },\n  run = function() end,\n}",
         "plugins/bad_param.lua:5: plugin 'bad_param' (spec): params.days: the default is a string, not a integer"),
        ("run_not_function.lua", "return {\n  name = 'run_not_function',\n  version = '1',\n  run = 'now',\n}",
         "plugins/run_not_function.lua:4: plugin 'run_not_function' (spec): 'run' must be a function, got string"),
        ("syntax.lua", "return {\n  name = 'syntax'\n  version = '1',\n}",
         "plugins/syntax.lua:3: plugin 'syntax' (load): '}' expected (to close '{' at line 1) near 'version'"),
        ("raises.lua", "local x = nil\nreturn { name = x.name }",
         "plugins/raises.lua:2: plugin 'raises' (load): attempt to index a nil value (local 'x')"),
        ("no_table.lua", "local spec = 42\nreturn spec",
         "plugins/no_table.lua:2: plugin 'no_table' (spec): the file must return a spec table ({ name = ..., version = ..., run = function ... end }), got number"),
        ("nothing_to_do.lua", "return {\n  name = 'nothing_to_do',\n  version = '1',\n}",
         "plugins/nothing_to_do.lua:2: plugin 'nothing_to_do' (spec): the spec declares nothing to do: give it run, rules, reports or extractors"),
        ("loops.lua", "while true do end",
         "plugins/loops.lua:1: plugin 'loops' (load): time limit exceeded (300 ms)"),
    ]

    func testBrokenPluginsAreReportedAndSkipped() throws {
        var files: [String: String] = [:]
        for c in Self.cases { files[c.file] = c.source }
        files["good/init.lua"] = "local util = require 'util'\nreturn { name = 'good', version = '1.2', description = util.text, params = { n = 3 }, run = function(p) return p.n end }"
        files["good/util.lua"] = "return { text = 'a good plugin' }"
        let dir = try PluginFixtures.workspace(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = PluginRunner(workspace: dir, graph: .init())
        let entries = runner.discover(limits: .init(timeout: .milliseconds(300)))
        XCTAssertEqual(entries.count, Self.cases.count + 1)
        for c in Self.cases {
            let name = String(c.file.dropLast(4))
            guard let e = entries.first(where: { $0.name == name }) else { XCTFail("\(name) not discovered"); continue }
            XCTAssertEqual(e.error?.description, c.expected, name)
        }
        let good = try XCTUnwrap(entries.first { $0.name == "good" })
        XCTAssertEqual(good.file, "plugins/good/init.lua")
        XCTAssertEqual(good.spec?.description, "a good plugin")
        XCTAssertEqual(good.spec?.params.first?.kind, .integer)
        XCTAssertEqual(try runner.run("good", options: .init(params: ["n": "7"])).returned, .integer(7))
    }
}
