import Foundation
import MosaicLua
import MosaicPlugins

/// The Lua workloads (issue 3): the FLEW_TO count per destination as a Mosaic plugin
/// (`plugins/flew_to_per_base.lua`: `kb.edges` hands Lua the destination ids, Lua counts
/// them), against peers.py's Lua loops (plain Lua 5.4, lupa, Redis EVAL), and the cost of a
/// call across the Swift/Lua boundary.
enum LuaWorkloads {
    static var all: [Workload] { [scan, calls] }

    /// The repository root (plugins/ lives there): this file is Sources/MosaicBench/LuaWorkloads.swift.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Each run loads the plugin into a fresh Lua state (untimed) and times its `run` call.
    /// Check: "total|distinct|busiest|its count", as the peers print it.
    static let scan = Workload(name: "f.flew_lua_plugin", group: "f", unit: .milliseconds, peerRow: "flew_lua_typed",
                               summary: "FLEW_TO count per base as a Lua plugin (kb.edges + a Lua loop)") { ctx in
        let g = try ctx.graph()
        let r = try PluginScanBenchmark.run(graph: g, workspace: repository, repetitions: ctx.repetitions, warmup: 1)
        var m = Measurement(runs: r.runsMs.map { $0 / 1000 }, check: r.check)
        let expected = PluginScanBenchmark.swiftCheck(g, relationType: "FLEW_TO")
        m.details = [String(format: "first run (builds the relation-type index) %.2f ms; the Swift count agrees: %@",
                            r.coldMs, r.check == expected ? "yes" : "NO (\(expected))")]
        return m
    }

    /// Swift→Lua calls (a Lua function called from Swift) and Lua→Swift calls (a host
    /// function called from Lua), per call. No peer row; check: the iterations.
    static let calls = Workload(name: "f.lua_calls", group: "f", unit: .microsecondsPerOp, peerRow: nil,
                                summary: "cost of one call across the Swift/Lua boundary (Swift→Lua)") { ctx in
        let iterations = 200_000
        var runs: [LuaCallBenchmark.Result] = []
        for _ in 0..<max(1, ctx.repetitions) { runs.append(try LuaCallBenchmark.run(iterations: iterations)) }
        var m = Measurement(runs: runs.map { $0.swiftToLuaNs / 1e9 }, check: String(iterations))
        let med = { (k: KeyPath<LuaCallBenchmark.Result, Double>) in runs.map { $0[keyPath: k] }.sorted()[runs.count / 2] }
        m.details = [String(format: "medians: Swift→Lua %.0f ns, Lua→Swift host function %.0f ns, Lua→Lua %.0f ns",
                            med(\.swiftToLuaNs), med(\.luaToSwiftNs), med(\.luaToLuaNs))]
        return m
    }
}
