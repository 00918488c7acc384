/// One benchmark workload: a name, the unit of its figure, the peers.py row it compares
/// with (if any), and a closure that measures it on a `BenchContext`.
///
/// To add one, append it to a group in `WorkloadRegistry` (see docs/benchmarks.md):
///
///     Workload(name: "c.hop1", group: "c", unit: .microsecondsPerOp, peerRow: "hop1",
///              summary: "1-hop out-path count per entity") { ctx in
///         let g = try ctx.graph()
///         let ids = ctx.data.params.hopIDs
///         return try ctx.measure(ops: ids.count) { String(ids.reduce(0) { … }) }
///     }
struct Workload: Sendable {
    enum Unit: String, Sendable {
        case seconds = "s"
        case milliseconds = "ms"
        case microsecondsPerOp = "us/op"
        case microsecondsPerEntity = "us/entity"
        case millisecondsPerQuery = "ms/query"
        case bytesPerRelation = "B/relation"

        /// Factor from the measured seconds (per op) to this unit; 1 for non-time units.
        var scale: Double {
            switch self {
            case .seconds, .bytesPerRelation: 1
            case .milliseconds, .millisecondsPerQuery: 1e3
            case .microsecondsPerOp, .microsecondsPerEntity: 1e6
            }
        }
    }

    /// `letter.row`, e.g. `b.lookup`; the letter is peers.py's workload letter.
    let name: String
    /// What `--workloads` selects (peers.py's letters a–f, or another word for new groups).
    let group: String
    let unit: Unit
    /// The row of peers.py's results this figure and check value are compared with.
    let peerRow: String?
    let summary: String
    let run: @Sendable (BenchContext) throws -> Measurement
    /// Runs only when named (`--workloads x.fanout`), not with its group or by default: for
    /// rows that take minutes.
    var onlyByName = false
}

/// What a workload measured: every timed repetition (in seconds per op, or the raw value
/// for non-time units), the check value, and a note.
struct Measurement {
    var runs: [Double]
    var check: String
    /// The check counted by claims instead of facts (docs/facts.md), as the peers count rows;
    /// set when the graph folds claims into facts, so the row can agree with the peers.
    var claimCheck: String?
    var note: String = ""
    /// Extra lines printed under the row (secondary figures).
    var details: [String] = []
    /// The thread's CPU time of each timed run, in the same unit as `runs` (from
    /// `BenchContext.measure`): on a loaded machine, the work without the waiting.
    var cpuRuns: [Double] = []

    var median: Double {
        let s = runs.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var best: Double { runs.min() ?? .nan }
}
