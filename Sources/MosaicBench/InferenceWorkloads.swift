import Foundation
import MosaicPlugins

/// The inference workloads (issue 5), through `InferenceBenchmark.containment`: the
/// containment closure (PART_OF|LOCATED_IN → CONTAINED_IN) to a fixpoint from scratch on
/// a store of its own (derived facts would change the other workloads' counts), then the
/// incremental update after retracting one PART_OF fact and after adding it back. One
/// call gives all four figures; it runs `--slow-reps` times (each with its own import,
/// untimed here) and the workloads share those runs.
///
/// Two rows for the run from scratch: `e.infer_fixpoint` is the engine's fixpoint in memory
/// (the closure computed, nothing persisted: what the peers' closure row times, so it is
/// the one compared with them); `e.infer_scratch` is the whole run (the fixpoint, writing the
/// derived statements and their derivations in one transaction, and the snapshot refresh),
/// which no peer does.
enum InferenceWorkloads {
    static var all: [Workload] { [fixpoint, scratch, retract, add] }

    /// The runs made so far (the workloads read the same ones).
    // @unchecked Sendable: `figures` only under `lock`.
    final class Runs: @unchecked Sendable {
        private let lock = NSLock()
        private var figures: [InferenceBenchmark.Figures] = []

        func get(_ ctx: BenchContext) throws -> [InferenceBenchmark.Figures] {
            lock.lock()
            defer { lock.unlock() }
            while figures.count < ctx.slowRepetitions {
                let dir = ctx.workDir.appendingPathComponent("inference-\(figures.count)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                figures.append(try InferenceBenchmark.containment(dataDir: ctx.data.directory.path,
                                                                  storePath: dir.appendingPathComponent("store.sqlite").path))
                try? FileManager.default.removeItem(at: dir)
            }
            return figures
        }
    }
    static let runs = Runs()

    static func percent(_ part: Double, of whole: Double) -> String { String(format: "%.2f%%", part / whole * 100) }

    /// From scratch, the engine alone: reading the rules, the fixpoint and the plan, in
    /// memory (nothing written yet). Check: the pairs derived, as peers.py's closure row.
    static let fixpoint = Workload(name: "e.infer_fixpoint", group: "e", unit: .seconds, peerRow: "closure",
                                   summary: "containment closure to fixpoint from scratch, the engine in memory (as the peers: closure only, not persisted)") { ctx in
        let f = try runs.get(ctx)
        var m = Measurement(runs: f.map(\.scratchCompute), check: String(f[0].pairs))
        m.cpuRuns = f.map(\.scratchCPU)
        m.details = ["read + derive + plan; the whole run, with the write and the snapshot, is e.infer_scratch"]
        if Set(f.map(\.pairs)).count > 1 { m.note = "pairs changed between runs: \(f.map(\.pairs))" }
        return m
    }

    /// From scratch, the whole run: the engine's fixpoint plus writing the derived facts and
    /// their derivations and the snapshot refresh (a query over CONTAINED_IN sees them
    /// afterwards). Not compared with the peers: none of them persists its closure.
    static let scratch = Workload(name: "e.infer_scratch", group: "e", unit: .seconds, peerRow: nil,
                                  summary: "containment closure from scratch, whole run: engine + write + snapshot (no peer persists its closure)") { ctx in
        let f = try runs.get(ctx)
        var m = Measurement(runs: f.map(\.scratchTotal), check: String(f[0].pairs))
        let compute = Measurement(runs: f.map(\.scratchCompute), check: "")
        let write = Measurement(runs: f.map(\.scratchWriteRefresh), check: "")
        let refresh = Measurement(runs: f.map(\.refreshSeconds), check: "")
        m.details = [
            String(format: "of which the fixpoint in memory %.3f s (e.infer_fixpoint), write + snapshot %.3f s (a full snapshot refresh alone: %.3f s); %d derivations",
                   compute.median, write.median, refresh.median, f[0].derivations),
            "first run, " + f[0].phases[0],
        ]
        return m
    }

    static func incremental(_ f: [InferenceBenchmark.Figures], engine: KeyPath<InferenceBenchmark.Figures, Double>,
                            write: KeyPath<InferenceBenchmark.Figures, Double>, check: String) -> Measurement {
        let total = Measurement(runs: f.map { $0[keyPath: engine] + $0[keyPath: write] }, check: check)
        let eng = Measurement(runs: f.map { $0[keyPath: engine] }, check: "").median
        let wr = Measurement(runs: f.map { $0[keyPath: write] }, check: "").median
        let scratch = Measurement(runs: f.map(\.scratchTotal), check: "").median
        let scratchCompute = Measurement(runs: f.map(\.scratchCompute), check: "").median
        var m = total
        m.details = [
            String(format: "engine %.2f ms + write + snapshot %.2f ms", eng * 1e3, wr * 1e3),
            "whole run / whole run from scratch: \(percent(total.median, of: scratch)); engine alone / fixpoint alone: \(percent(eng, of: scratchCompute))",
        ]
        return m
    }

    /// Retracting one PART_OF fact (a governorate's link to its country), then inference.
    /// Check: derived facts retracted and pairs left.
    static let retract = Workload(name: "e.infer_retract", group: "e", unit: .milliseconds, peerRow: nil,
                                  summary: "incremental update after retracting one PART_OF fact (engine + write + snapshot)") { ctx in
        let f = try runs.get(ctx)
        var m = incremental(f, engine: \.retractEngine, write: \.retractWriteRefresh,
                            check: "-\(f[0].retractRetracted) → \(f[0].pairsAfterRetract) pairs")
        m.details.insert("retracted: \(f[0].retractedEdge)", at: 0)
        if f[0].phases.count > 1 { m.details.append("first run, " + f[0].phases[1]) }
        return m
    }

    /// Adding the same fact back, then inference. Check: derived facts added and pairs.
    static let add = Workload(name: "e.infer_add", group: "e", unit: .milliseconds, peerRow: nil,
                              summary: "incremental update after adding one PART_OF fact (engine + write + snapshot)") { ctx in
        let f = try runs.get(ctx)
        var m = incremental(f, engine: \.addEngine, write: \.addWriteRefresh,
                            check: "+\(f[0].addAdded) → \(f[0].pairsAfterAdd) pairs")
        if f[0].phases.count > 2 { m.details.append("first run, " + f[0].phases[2]) }
        return m
    }
}
