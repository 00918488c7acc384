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
    @Flag(help: "Overwrite an existing file (for yaml: the files of an earlier export in the folder).") var force = false

    func run() throws {
        if let out, out != "-" { try ExportCommand.checkTarget(out, format: format, force: force) }
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

    /// Refuses, before anything is read or written, a target that would lose data or cannot
    /// take the format: an existing file without `--force`, a folder for a one-file format,
    /// a file for yaml (which writes a folder).
    static func checkTarget(_ out: String, format: Format, force: Bool) throws {
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: out, isDirectory: &isDir)
        if format == .yaml {
            if exists && !isDir.boolValue {
                throw CLIError("error: --format yaml writes a folder (kb/schema.yaml and one file per type), and \(out) is a file; pass --out a folder (new or empty)")
            }
            let kb = URL(fileURLWithPath: out).appendingPathComponent("kb").path
            if exists && FileManager.default.fileExists(atPath: kb) && !force {
                throw CLIError("error: \(out) already holds an export (\(kb)); pass --force to overwrite its files, or choose another folder")
            }
            return
        }
        if exists && isDir.boolValue {
            throw CLIError("error: \(out) is a folder; --format \(format.rawValue) writes one file: pass --out a file name")
        }
        if exists && !force {
            throw CLIError("error: \(out) exists; pass --force to overwrite it, or choose another file")
        }
    }

    /// Set by the KB glue: writes the graph in the kb/ format (to a folder when `out` is one).
    nonisolated(unsafe) static var yamlExporter: ((Workspace, MosaicGraph.Graph, String?) throws -> String)?
}

import MosaicGraph
