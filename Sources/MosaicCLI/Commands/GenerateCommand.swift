import ArgumentParser
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic news graph (nodes.csv, edges.csv, meta.json) for benchmarks and tests.",
        discussion: """
            The graph has the shape of shared/bench/gen_graph.py's (countries, governorates, bases, aircraft, people,
            organisations, articles, events; skewed degrees). The same arguments write byte-identical files.
            Load it with: mosaic import DIR/nodes.csv DIR/edges.csv
            """)
    @Option(help: "How many entities.") var entities: Int
    @Option(help: "Relations per entity, on average.") var edgesPerEntity: Double = 5
    @Option(help: "The random seed.") var seed: UInt64 = 42
    @Option(help: "The folder to write.") var out: String

    func run() throws {
        let g = GraphGenerator(entities: entities, edgesPerEntity: edgesPerEntity, seed: seed)
        if let problem = g.problem {
            throw CLIError.usage(problem, usage: "mosaic generate --entities N [--edges-per-entity E] [--seed S] --out DIR")
        }
        let started = Date()
        do {
            let s = try g.write(to: URL(fileURLWithPath: out))
            print("wrote \(s.nodeCount) entities and \(s.edgeCount) relations to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        } catch {
            throw CLIError("error: \(error)")
        }
    }
}
