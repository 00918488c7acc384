import Foundation
import XCTest
import MosaicGraph
import MosaicLua
import MosaicStore
@testable import MosaicPlugins

final class PluginRunnerTests: XCTestCase {
    /// Every shipped plugin loads with a valid spec.
    func testShippedPluginsLoad() throws {
        let store = try PluginFixtures.sampleStore()
        let runner = PluginRunner(workspace: PluginFixtures.repo, store: store)
        let entries = runner.discover(limits: PluginFixtures.testLimits)
        XCTAssertGreaterThanOrEqual(entries.count, 3)
        for e in entries { XCTAssertNil(e.error, e.error?.detailed ?? "") }
        let names = entries.map(\.name)
        XCTAssertEqual(names, names.sorted())
        XCTAssertTrue(names.contains("flight_log") && names.contains("base_activity"))
    }

    /// flight_log's counts equal the same count done in Swift over the graph.
    func testFlightLogOverTheSampleKB() throws {
        let store = try PluginFixtures.sampleStore()
        let runner = PluginRunner(workspace: PluginFixtures.repo, store: store)
        let result = try runner.run("flight_log", options: PluginRunOptions(params: ["since": "2025-10-20", "until": "2025-10-31"],
                                                                         now: PluginFixtures.fixedNow, limits: PluginFixtures.testLimits))
        let g = store.graph
        let since = PartialDate("2025-10-20")!, until = PartialDate("2025-10-31")!
        var expected: [(String, Int)] = []
        for b in g.nodes(withLabel: "Base") {
            let n = g.incoming(b, type: g.relationTypeID("FLEW_TO")).filter { r in
                guard let d = g.relationship(r).validFrom else { return false }
                return d.relation(to: since) != .before && d.relation(to: until) != .after
            }.count
            if n > 0 { expected.append((g.node(b).key, n)) }
        }
        expected.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        XCTAssertFalse(expected.isEmpty, "the sample KB has flights into bases")
        guard case .table(let t)? = result.returned else { return XCTFail("no summary returned") }
        XCTAssertEqual(t.array.map { $0.tableValue?["base"].stringValue ?? "?" }, expected.map(\.0))
        XCTAssertEqual(t.array.map { $0.tableValue?["flights"].intValue ?? -1 }, expected.map { Int64($0.1) })
        XCTAssertEqual(result.logs.count, expected.count)
        XCTAssertNil(result.transaction, "a read-only run writes nothing")
    }

    /// base_activity commits one transaction with the plugin as origin, citing the flights' sources.
    func testBaseActivityCommitsOneTransaction() throws {
        let store = try PluginFixtures.sampleStore()
        let runner = PluginRunner(workspace: PluginFixtures.repo, store: store)
        let before = store.lastTransaction
        let options = PluginRunOptions(now: PluginFixtures.fixedNow, limits: PluginFixtures.testLimits)
        let result = try runner.run("base_activity", options: options)
        let marked = result.returned?.tableValue?.array.compactMap(\.stringValue) ?? []
        XCTAssertTrue(marked.contains("hmeimim-air-base"), "\(marked)")
        XCTAssertEqual(result.effects.asserted.count, marked.count)
        let tx = try XCTUnwrap(result.transaction)
        XCTAssertEqual(tx, before + 1)
        XCTAssertEqual(try store.transactions(limit: 1).first?.origin, .plugin(name: "base_activity", version: "1.0", rule: nil))
        let statements = try store.statements(subject: "hmeimim-air-base").filter { $0.kind.predicate == "activity_status" }
        XCTAssertEqual(statements.count, 1)
        XCTAssertEqual(statements.first?.meta.origin.description, "plugin:base_activity@1.0")
        XCTAssertEqual(statements.first?.meta.sources.map(\.source), ["enab-2025-10-30"])
        XCTAssertEqual(statements.first?.meta.validFrom?.description, "2025-10-24")
        // Running again finds the bases already active and writes nothing.
        let again = try runner.run("base_activity", options: options)
        XCTAssertNil(again.transaction)
        XCTAssertEqual(store.lastTransaction, tx)
        // A clock far from the flights marks nothing.
        let later = try runner.run("base_activity", options: PluginRunOptions(now: Date(timeIntervalSince1970: 1_900_000_000),
                                                                             limits: PluginFixtures.testLimits))
        XCTAssertTrue(later.effects.isEmpty)
    }

    /// A run that fails writes nothing, whatever it buffered, and names the plugin, phase and line.
    func testFailedRunWritesNothing() throws {
        let store = try PluginFixtures.sampleStore()
        let dir = try PluginFixtures.workspace([
            "writer.lua": """
            return { name = "writer", version = "0.1", run = function(params, kb)
              kb.assert { entity = "hmeimim-air-base", property = "note_x", value = "x" }
              local ok = pcall(function() while true do end end)
              return "swallowed"
            end }
            """,
            "raiser.lua": """
            return { name = "raiser", version = "0.1", run = function(params, kb)
              kb.assert { entity = "hmeimim-air-base", property = "note_y", value = "y" }
              error("stop here")
            end }
            """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = PluginRunner(workspace: dir, store: store)
        let before = store.lastTransaction
        let limits = LuaLimits(timeout: .milliseconds(300))
        XCTAssertThrowsError(try runner.run("writer", options: PluginRunOptions(limits: limits))) { e in
            let e = e as! PluginError
            XCTAssertEqual(e.luaKind, .timeout)
            XCTAssertEqual(e.phase, .run)
            XCTAssertEqual(e.file, "plugins/writer.lua")
            XCTAssertEqual(e.line, 3)
        }
        XCTAssertThrowsError(try runner.run("raiser")) { e in
            XCTAssertEqual((e as! PluginError).description, "plugins/raiser.lua:3: plugin 'raiser' (run): stop here")
            XCTAssertTrue((e as! PluginError).traceback?.contains("plugins/raiser.lua:3") ?? false)
        }
        XCTAssertEqual(store.lastTransaction, before)
    }

    func testParameters() throws {
        let store = try PluginFixtures.sampleStore()
        let runner = PluginRunner(workspace: PluginFixtures.repo, store: store)
        XCTAssertThrowsError(try runner.run("base_activity", options: PluginRunOptions(params: ["days": "soon"], dryRun: true))) {
            XCTAssertEqual(($0 as! PluginError).message, "parameter 'days' must be an integer, got 'soon'")
        }
        XCTAssertThrowsError(try runner.run("base_activity", options: PluginRunOptions(params: ["dayz": "3"], dryRun: true))) {
            XCTAssertEqual(($0 as! PluginError).message, "unknown parameter 'dayz' (this plugin takes: days, min_flights)")
        }
        XCTAssertThrowsError(try runner.run("no_such_plugin")) {
            XCTAssertTrue(($0 as! PluginError).message.hasPrefix("no plugin named 'no_such_plugin'"))
        }
        // dry run: effects computed, nothing committed
        let before = store.lastTransaction
        let r = try runner.run("base_activity", options: PluginRunOptions(params: ["min_flights": "1"], now: PluginFixtures.fixedNow, dryRun: true))
        XCTAssertFalse(r.effects.isEmpty)
        XCTAssertEqual(store.lastTransaction, before)
    }

    /// The scan plugin gives the same check value as the same count done in Swift.
    func testScanPluginMatchesSwift() throws {
        let store = try PluginFixtures.sampleStore()
        let runner = PluginRunner(workspace: PluginFixtures.repo, store: store)
        let r = try runner.run("flew_to_per_base", options: PluginRunOptions(limits: PluginFixtures.testLimits))
        // the reference count: FLEW_TO destinations, the busiest (the smallest id among ties)
        let g = store.graph
        let t = try XCTUnwrap(g.relationTypeID("FLEW_TO"))
        let destinations = g.relationships.filter { $0.alive && $0.type == t }.map { g.node($0.target).key }
        let counts = Dictionary(grouping: destinations, by: { $0 }).mapValues(\.count)
        let top = try XCTUnwrap(counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        XCTAssertEqual(r.returned?.stringValue, "\(destinations.count)|\(counts.count)|\(top.key)|\(top.value)")
    }
}
