import ArgumentParser
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the KB out: yaml (the kb/ format), json, jsonl, graphml or dot.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json, jsonl, graphml, dot }
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "yaml, json, jsonl, graphml or dot.") var format: Format = .yaml
    @Option(help: "Where to write: a file (a folder for yaml); '-' or nothing for standard output.") var out: String?
    @Option(help: "Read the KB as of a transaction (tx42) or a time (2025-11-01).") var asOf: String?
    @Option(help: "Only claims whose sources were published by this date (reported time: what the reporting said by then).") var knownBy: String?
    @Option(help: "Only facts whose valid time includes this date (what held then).") var validAt: String?

    func run() throws {
        let ws = try options.open()
        let g = try ws.graph(asOf: ws.resolveAsOf(asOf), view: ws.resolveView(knownBy: knownBy, validAt: validAt))
        let text: String
        switch format {
        case .json: text = GraphExport.json(g)
        case .jsonl: text = GraphExport.jsonLines(g)
        case .graphml: text = GraphExport.graphML(g)
        case .dot: text = GraphExport.dot(g)
        case .yaml:
            guard let exportYAML = ExportCommand.yamlExporter else {
                throw CLIError("error: YAML export is not available in this build")
            }
            text = try exportYAML(ws, g, out)
            if let out, out != "-" { print("wrote \(out)"); return }
        }
        if let out, out != "-" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Set by the KB glue: writes the graph in the kb/ format (to a folder when `out` is one).
    nonisolated(unsafe) static var yamlExporter: ((Workspace, MosaicGraph.Graph, String?) throws -> String)?
}

import MosaicGraph
