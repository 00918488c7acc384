import Foundation

/// Prints the figures as they come (one block per workload, with the peers' figures and
/// the ratio), then a Markdown table; optionally writes them as JSON.
final class BenchReport {
    let data: DataSet
    let peers: PeerResults?
    let reps: Int, slowReps: Int, warmup: Int
    private var rows: [(Workload, Measurement?, String)] = []

    init(data: DataSet, peers: PeerResults?, reps: Int, slowReps: Int, warmup: Int) {
        self.data = data; self.peers = peers
        self.reps = reps; self.slowReps = slowReps; self.warmup = warmup
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "-" }
        if v >= 100 { return String(format: "%.0f", v) }
        if v >= 10 { return String(format: "%.1f", v) }
        if v >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3g", v)
    }

    static func ratio(_ r: Double) -> String { r >= 0.1 ? String(format: "%.2f", r) : String(format: "%.2g", r) }

    func header() {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("mosaic-bench on \(data.directory.path): \(data.nodeCount) nodes, \(data.edgeCount) relations (entities \(data.entities), seed \(data.seed))")
        print("date \(ISO8601DateFormatter().string(from: Date())), load average \(load), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("figures: median of \(reps) timed runs after \(warmup) warm-up (import and process start: \(slowReps) runs)")
        if let peers {
            print("peers: \(peers.file) (load average then: \(peers.loadAverage)); ×r = Mosaic's figure / the peer's (below 1: Mosaic is faster)")
        } else {
            print("peers: no results in ../shared/bench/results for this data set (peers.py has to run on the same files: gen_graph.py's, same arguments)")
        }
        print("")
    }

    /// "ok" when every peer reporting this row has the same check value as Mosaic.
    func agreement(_ w: Workload, _ m: Measurement) -> String {
        guard let row = w.peerRow, let cells = peers?.rows[row] else { return "n/a" }
        let checks = cells.values.compactMap(\.check).filter { w.name != "a.import" || $0.hasSuffix("e") }
        guard !checks.isEmpty else { return "n/a" }
        if checks.allSatisfy({ $0 == m.check }) { return "ok" }
        // The peers count rows; Mosaic counts facts, and claims as rows.
        if let c = m.claimCheck, checks.allSatisfy({ $0 == c }) { return "ok as claims" }
        return "MISMATCH (peers: \(Set(checks).sorted().joined(separator: " / ")))"
    }

    func peerCells(_ w: Workload, _ m: Measurement) -> [(String, Double, Double)] {
        guard let row = w.peerRow, let cells = peers?.rows[row] else { return [] }
        let mine = m.median * w.unit.scale
        return PeerResults.peerOrder.compactMap { p in
            guard let c = cells[p], c.unit == w.unit.rawValue else { return nil }
            return (p, c.median, mine / c.median)
        }
    }

    func row(_ w: Workload, _ m: Measurement) {
        let agree = agreement(w, m)
        rows.append((w, m, agree))
        let median = m.median * w.unit.scale, best = m.best * w.unit.scale
        print("\(w.name)  \(w.summary)")
        print("  mosaic  \(BenchReport.format(median)) \(w.unit.rawValue)  (best \(BenchReport.format(best)), \(m.runs.count) runs)  check \(m.check)  peers' check: \(agree)")
        let cells = peerCells(w, m)
        if !cells.isEmpty {
            print("  peers   " + cells.map { "\($0.0) \(BenchReport.format($0.1)) (×\(BenchReport.ratio($0.2)))" }.joined(separator: " · "))
        }
        if !m.cpuRuns.isEmpty {
            let cpu = Measurement(runs: m.cpuRuns, check: "")
            print("  CPU time \(BenchReport.format(cpu.median * w.unit.scale)) \(w.unit.rawValue) (median; best \(BenchReport.format(cpu.best * w.unit.scale)))")
        }
        for d in m.details { print("  \(d)") }
        if !m.note.isEmpty { print("  note: \(m.note)") }
        fflush(nil)
    }

    func failed(_ w: Workload, _ error: Error) {
        rows.append((w, nil, ""))
        print("\(w.name)  FAILED: \(error)")
        fflush(nil)
    }

    func footer() {
        var cols: [String] = []
        for (w, m, _) in rows { if let m { for c in peerCells(w, m) where !cols.contains(c.0) { cols.append(c.0) } } }
        cols = PeerResults.peerOrder.filter(cols.contains)
        print("")
        print("| workload | unit | Mosaic (median) | check | agrees |" + cols.map { " \($0) |" }.joined())
        print("|---|---|---|---|---|" + cols.map { _ in "---|" }.joined())
        for (w, m, agree) in rows {
            guard let m else { print("| \(w.name) | \(w.unit.rawValue) | failed | | |" + cols.map { _ in " |" }.joined()); continue }
            let cells = Dictionary(uniqueKeysWithValues: peerCells(w, m).map { ($0.0, $0) })
            let peerText = cols.map { c in cells[c].map { "\(BenchReport.format($0.1)) (×\(BenchReport.ratio($0.2)))" } ?? "" }
            let short = agree.hasPrefix("MISMATCH") ? "MISMATCH" : agree
            print("| \(w.name) | \(w.unit.rawValue) | \(BenchReport.format(m.median * w.unit.scale)) | \(m.check.replacingOccurrences(of: "|", with: "\\|")) | \(short) |" + peerText.map { " \($0) |" }.joined())
        }
    }

    func writeJSON(to path: String) throws {
        var out: [[String: Any]] = []
        for (w, m, agree) in rows {
            var r: [String: Any] = ["workload": w.name, "unit": w.unit.rawValue]
            if let m {
                r["median"] = m.median * w.unit.scale
                r["best"] = m.best * w.unit.scale
                r["runs"] = m.runs.map { $0 * w.unit.scale }
                r["check"] = m.check
                if !m.cpuRuns.isEmpty { r["cpu_median"] = Measurement(runs: m.cpuRuns, check: "").median * w.unit.scale }
                r["agrees"] = agree
                if !m.details.isEmpty { r["details"] = m.details }
            } else { r["error"] = true }
            out.append(r)
        }
        let doc: [String: Any] = ["data": data.directory.path, "date": ISO8601DateFormatter().string(from: Date()),
                                  "nodes": data.nodeCount, "relations": data.edgeCount, "results": out]
        try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
    }
}
