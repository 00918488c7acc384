import Foundation
import MosaicGraph
import MosaicKB
import MosaicStore

/// Connects the CLI to MosaicKB: loading kb/ when it changed, YAML export.
enum KBGlue {
    static func install() {
        Workspace.kbLoad = { ws, quiet in
            // A KBError goes to the workspace, which decides: thrown (strict) or warned about.
            let report = try ws.kbLoader().load()
            if let report, !quiet { print(report.summary) }
            if let report, quiet { FileHandle.standardError.write(Data((report.summary + "\n").utf8)) }
            return report?.summary
        }
        ExportCommand.yamlExporter = { ws, graph, out in
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
}
