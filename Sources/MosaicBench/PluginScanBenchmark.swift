import Foundation
import MosaicGraph
import MosaicLua
import MosaicPlugins

/// The Lua scan workload for `scripts/bench`: `plugins/flew_to_per_base.lua` counts FLEW_TO
/// relations per destination over a graph. Each repetition loads the plugin in a fresh
/// state and times its `run` call (kb.edges building the id arrays, then the Lua count),
/// the figure to compare with plain Lua's scan over a Lua table (peers: 6.0 ms).
public enum PluginScanBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var runsMs: [Double]
        /// The first run: it also builds the runner's relation-type index.
        public var coldMs: Double
        public var bestMs: Double { runsMs.min() ?? 0 }
        public var medianMs: Double { runsMs.sorted()[runsMs.count / 2] }
        /// "total|distinct destinations|busiest|its count", as the peers print it.
        public var check: String
        public var description: String {
            String(format: "lua scan plugin: best %.2f ms, median %.2f ms (first run %.2f ms), check ", bestMs, medianMs, coldMs) + check
        }
    }

    /// Runs the plugin `repetitions` times after `warmup` untimed runs. `workspace` holds
    /// plugins/flew_to_per_base.lua (the repository root).
    public static func run(graph: Graph, workspace: URL, repetitions: Int = 5, warmup: Int = 1,
                           relationType: String = "FLEW_TO") throws(PluginError) -> Result {
        let runner = PluginRunner(workspace: workspace, graph: graph)
        var runs: [Double] = []
        var check = ""
        var cold = 0.0
        let options = PluginRunOptions(params: ["reltype": relationType], limits: LuaLimits(timeout: .seconds(120), memory: 1 << 30))
        for i in 0..<(warmup + max(1, repetitions)) {
            let session = try runner.session("flew_to_per_base", options: options)
            let start = DispatchTime.now().uptimeNanoseconds
            let r = try session.callRun(params: options.params)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            check = r?.stringValue ?? "?"
            if i == 0 { cold = ms }
            if i >= warmup { runs.append(ms) }
        }
        return Result(runsMs: runs, coldMs: cold, check: check)
    }

    /// The same count done in Swift, for checking.
    public static func swiftCheck(_ graph: Graph, relationType: String) -> String {
        guard let t = graph.relationTypeID(relationType) else { return "0|0||-1" }
        var counts: [String: Int] = [:]
        for r in graph.relationships where r.alive && r.type == t { counts[graph.node(r.target).key, default: 0] += 1 }
        var total = 0, top = "", topc = -1
        for (k, v) in counts {
            total += v
            if v > topc || (v == topc && k < top) { (top, topc) = (k, v) }
        }
        return "\(total)|\(counts.count)|\(top)|\(topc)"
    }
}
