import ArgumentParser
import Foundation
import MosaicGraph
import MosaicKB
import MosaicStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the KB out: yaml (the kb/ format), json, jsonl, graphml, dot, gexf, ftm, ftm-statements or stix.",
        discussion: """
            ftm: FollowTheMoney entities (JSON Lines); ftm-statements: FtM statement rows (CSV);
            stix: one STIX 2.1 bundle (JSON); gexf: GEXF 1.3 with valid time for Gephi's timeline.
            What maps, what is approximated and what is dropped: docs/interop.md (the counts go to stderr).
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml, json, jsonl, graphml, dot, gexf, ftm, stix
        case ftmStatements = "ftm-statements"
    }
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "yaml, json, jsonl, graphml, dot, gexf, ftm, ftm-statements or stix.") var format: Format = .yaml
    @Option(help: "The dataset name of ftm-statements rows.") var dataset = "mosaic"
    @Option(help: "Where to write: a file (a folder for yaml); '-' or nothing for standard output.") var out: String?
    @OptionGroup var read: ReadOptions
    @Flag(help: "Overwrite an existing file (for yaml: the files of an earlier export in the folder).") var force = false

    func run() throws {
        if let out, out != "-" { try ExportCommand.checkTarget(out, format: format, force: force) }
        let ws = try options.open()
        let g = try read.graph(ws)
        var text = ""
        var bytes: [UInt8]?
        switch format {
        case .json: text = GraphExport.json(g)
        case .jsonl: text = GraphExport.jsonLines(g)
        case .graphml: text = GraphExport.graphML(g)
        case .dot: text = GraphExport.dot(g)
        case .gexf: text = GEXFExporter(graph: g).document()
        case .ftm, .ftmStatements:
            var exporter = FtMExporter(graph: g, schema: ws.kbLoader.currentSchema())
            exporter.keepsStatements = format == .ftmStatements
            let report: FtMExporter.Report
            if format == .ftm {
                (bytes, report) = exporter.jsonLines()
            } else {
                let entities: [FtMExporter.Entity]
                (entities, report) = exporter.entities()
                text = try ExportCommand.statements(ws, g, entities, dataset: dataset)
            }
            FileHandle.standardError.write(Data(report.summary.utf8))
        case .stix:
            let (bundle, report) = STIXExporter(graph: g, schema: ws.kbLoader.currentSchema()).bundle()
            text = bundle
            FileHandle.standardError.write(Data(report.utf8))
        case .yaml:
            text = try ExportCommand.yaml(ws, g, out: out)
            if let out, out != "-" { print("wrote \(out)"); return }
        }
        // The bytes are written where they are (an FtM export of a large graph is 100 MB).
        var output = bytes ?? Array(text.utf8)
        try output.withUnsafeMutableBytes { raw in
            let data = raw.isEmpty ? Data() : Data(bytesNoCopy: raw.baseAddress!, count: raw.count, deallocator: .none)
            if let out, out != "-" {
                try data.write(to: URL(fileURLWithPath: out), options: .atomic)
                FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }

    /// FtM statement rows: first seen is the time of the transaction that asserted the
    /// earliest Mosaic statement behind a value, last seen the time of the view exported.
    static func statements(_ ws: Workspace, _ g: MosaicGraph.Graph, _ entities: [FtMExporter.Entity], dataset: String) throws -> String {
        var times: [Int64: String] = [:]
        for t in try ws.store.transactions(limit: Int(Int32.max)) { times[t.id] = Interop.isoSeconds(t.time) }
        var seen: [Int64: (String, String)] = [:]
        for s in try ws.store.believedStatements(asOf: g.transaction) {
            seen[s.id] = (times[s.txFrom] ?? "", s.meta.origin.description)
        }
        let last = times[g.transaction]
        return FtMExporter.statementsCSV(entities, dataset: dataset, lastSeen: last) { id in seen[id].map { (time: $0.0, origin: $0.1) } }
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

    /// The graph in the kb/ format (MosaicKB's exporter), with the workspace's schema: written
    /// to the folder `out` (returning ""), or returned as one text for standard output.
    static func yaml(_ ws: Workspace, _ graph: MosaicGraph.Graph, out: String?) throws -> String {
        let schemaURL = ws.kbDirectory.appendingPathComponent("schema.yaml")
        let schema = try? String(contentsOf: schemaURL, encoding: .utf8)
        let files = try KBExporter(store: ws.store).export(asOf: graph.transaction, schemaText: schema)
        guard let out, out != "-" else {
            return files.map { "# ---- \($0.path)\n\($0.text)" }.joined(separator: "\n")
        }
        let dir = URL(fileURLWithPath: out)
        for f in files {
            let url = dir.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(f.text.utf8).write(to: url, options: .atomic)
        }
        return ""
    }
}
