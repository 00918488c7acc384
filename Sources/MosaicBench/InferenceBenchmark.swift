import Foundation
import MosaicGraph
import MosaicInference
import MosaicStore

/// The inference workload of `scripts/bench` (issue 5): on a directory written by
/// `gen_graph.py` / `mosaic generate`, the containment closure over `PART_OF|LOCATED_IN`
/// to a fixpoint from scratch, then the incremental update after retracting one `PART_OF`
/// fact and after adding it back. The check value is the number of reachable pairs
/// (distinct `(a, b)` with a path of one or more edges), the peers' workload e.
public enum InferenceBenchmark {
    public struct Figures: Sendable {
        public var importSeconds = 0.0
        /// The check value after the full run (the peers': 135,862 on the 100k graph).
        public var pairs = 0
        public var derivations = 0
        /// From scratch: the engine's in-memory fixpoint (read + derive), its SQL write and
        /// snapshot refresh, and the whole run.
        public var scratchCompute = 0.0
        public var scratchWriteRefresh = 0.0
        public var scratchTotal = 0.0
        /// A snapshot refresh alone (part of every write, the Store's cost).
        public var refreshSeconds = 0.0
        /// After retracting one PART_OF fact: the engine's work (change log, withdrawal,
        /// derivation, plan), its write + refresh, pairs retracted and pairs left.
        public var retractEngine = 0.0
        public var retractWriteRefresh = 0.0
        public var retractRetracted = 0
        public var pairsAfterRetract = 0
        /// After adding it back.
        public var addEngine = 0.0
        public var addWriteRefresh = 0.0
        public var addAdded = 0
        public var pairsAfterAdd = 0
        public var retractedEdge = ""
        /// Phase timings of the three runs (InferenceResult.timings).
        public var phases: [String] = []
        /// CPU seconds of the engine (read through plan) for the three runs.
        public var scratchCPU = 0.0, retractCPU = 0.0, addCPU = 0.0

        public var lines: [String] {
            func f(_ s: Double) -> String { String(format: s < 0.01 ? "%.2f ms" : "%.3f s", s < 0.01 ? s * 1000 : s) }
            return [
                "import: \(f(importSeconds))",
                "closure from scratch: \(f(scratchTotal)) (fixpoint in memory \(f(scratchCompute)), write + snapshot \(f(scratchWriteRefresh))); pairs \(pairs), derivations \(derivations)",
                "snapshot refresh alone: \(f(refreshSeconds))",
                "retract \(retractedEdge): engine \(f(retractEngine)) (\(String(format: "%.2f", retractEngine / scratchCompute * 100))% of the fixpoint, \(String(format: "%.2f", retractEngine / scratchTotal * 100))% of the full run), write + snapshot \(f(retractWriteRefresh)); \(retractRetracted) retracted, pairs \(pairsAfterRetract)",
                "add it back: engine \(f(addEngine)) (\(String(format: "%.2f", addEngine / scratchCompute * 100))% / \(String(format: "%.2f", addEngine / scratchTotal * 100))%), write + snapshot \(f(addWriteRefresh)); \(addAdded) added, pairs \(pairsAfterAdd)",
                String(format: "engine CPU time: from scratch %.3f s, after retract %.2f ms (%.3f%%), after add %.2f ms (%.3f%%)",
                       scratchCPU, retractCPU * 1000, retractCPU / scratchCPU * 100, addCPU * 1000, addCPU / scratchCPU * 100),
            ] + phases
        }
    }

    /// The rule the benchmark runs (valid time is not inherited: reachability ignores it,
    /// as the peers' query does).
    public static let rule = TransitiveClosureRule(RuleID(plugin: "bench", name: "containment", version: "1"),
                                                   over: ["PART_OF", "LOCATED_IN"], output: "CONTAINED_IN",
                                                   policy: InheritancePolicy(validTime: .none))

    /// Imports `dataDir/{nodes,edges}.csv` into a new store at `storePath` (deleted first)
    /// and runs the workload.
    public static func containment(dataDir: String, storePath: String) throws -> Figures {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        var fig = Figures()
        let store = try Store.open(path: storePath)
        var t = DispatchTime.now()
        func lap() -> Double {
            let now = DispatchTime.now()
            defer { t = now }
            return Double(now.uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
        }
        _ = try BulkImporter(store: store).importFiles([dataDir + "/nodes.csv", dataDir + "/edges.csv"])
        fig.importSeconds = lap()

        let full = try InferenceEngine.run(store: store, rules: [rule])
        fig.scratchTotal = lap()
        fig.scratchCompute = engineSeconds(full)
        fig.scratchWriteRefresh = full.timings["write+refresh"] ?? 0
        fig.pairs = count(store)
        fig.derivations = full.derivationsAdded
        fig.scratchCPU = full.timings["cpu"] ?? 0
        fig.phases.append("phases from scratch: " + phases(full))
        _ = lap()
        try store.refresh()
        fig.refreshSeconds = lap()

        // One PART_OF fact: the first governorate's link to its country.
        let g = store.graph
        guard let partOf = g.relationTypeID("PART_OF"),
              let r = g.relationshipIndices.first(where: { g.relationship($0).type == partOf && g.node(g.relationship($0).source).type == "Governorate" })
        else { return fig }
        let rel = g.relationship(r)
        let edge = try store.statement(rel.statement)!
        fig.retractedEdge = "\(g.node(rel.source).key) PART_OF \(g.node(rel.target).key)"
        try store.write(origin: .system("bench")) { tx in try tx.retract(rel.statement) }
        _ = lap()
        let afterRetract = try InferenceEngine.run(store: store, rules: [rule])
        _ = lap()
        fig.retractEngine = engineSeconds(afterRetract)
        fig.retractWriteRefresh = afterRetract.timings["write+refresh"] ?? 0
        fig.retractRetracted = afterRetract.retracted.count
        fig.retractCPU = afterRetract.timings["cpu"] ?? 0
        fig.pairsAfterRetract = count(store)
        fig.phases.append("phases after retract: " + phases(afterRetract))

        try store.write(origin: .system("bench")) { tx in try tx.assert(edge.draft) }
        _ = lap()
        let afterAdd = try InferenceEngine.run(store: store, rules: [rule])
        fig.addEngine = engineSeconds(afterAdd)
        fig.addWriteRefresh = afterAdd.timings["write+refresh"] ?? 0
        fig.addAdded = afterAdd.added.count
        fig.addCPU = afterAdd.timings["cpu"] ?? 0
        fig.pairsAfterAdd = count(store)
        fig.phases.append("phases after add: " + phases(afterAdd))
        return fig
    }

    static func phases(_ r: InferenceResult) -> String {
        r.timings.filter { $0.key != "cpu" }.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value * 1000)) ms" }.joined(separator: ", ")
    }

    static func engineSeconds(_ r: InferenceResult) -> Double {
        ["read", "withdraw", "derive", "plan"].reduce(0) { $0 + (r.timings[$1] ?? 0) }
    }

    static func count(_ store: Store) -> Int {
        let g = store.graph
        guard let t = g.relationTypeID("CONTAINED_IN") else { return 0 }
        return g.relationships.reduce(0) { $0 + ($1.alive && $1.type == t ? 1 : 0) }
    }
}
