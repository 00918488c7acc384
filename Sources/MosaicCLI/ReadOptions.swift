import ArgumentParser
import MosaicGraph

/// The three clocks a reading command takes (docs/facts.md): `--as-of` (transaction time),
/// `--known-by` (what the sources had published by then), `--valid-at` (what held then).
struct ReadOptions: ParsableArguments {
    @Option(help: "Read the KB as of a transaction (tx42) or a time (2025-11-01).") var asOf: String?
    @Option(help: "Only claims whose sources were published by this date (reported time: what the reporting said by then).") var knownBy: String?
    @Option(help: "Only facts whose valid time includes this date (what held then).") var validAt: String?

    /// The graph these options read in `ws`, kept until the process exits (the one-off
    /// commands that read it end with it: `KeptUntilExit`).
    func graph(_ ws: Workspace) throws -> Graph {
        let g = try ws.graph(asOf: ws.resolveAsOf(asOf), view: view(ws))
        KeptUntilExit.keep(g)
        return g
    }

    func view(_ ws: Workspace) throws -> ClockView { try ws.resolveView(knownBy: knownBy, validAt: validAt) }
}
