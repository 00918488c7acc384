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

import ArgumentParser

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate kb/ (and the plugins) without writing anything.")
    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let ws = try options.open(loadKB: false)
        do {
            let (files, statements) = try ws.kbLoader().check()
            print("kb: \(files) data file\(files == 1 ? "" : "s"), \(statements) statements, no errors")
        } catch let e as KBError {
            throw CLIError(e.description)
        }
        for check in CheckCommand.extraChecks { try check(ws) }
    }

    /// Further checks (plugins) registered by other glue.
    nonisolated(unsafe) static var extraChecks: [(Workspace) throws -> Void] = []
}

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load kb/ into the store now (other commands do it when kb/ changed).")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Read every file again, even unchanged ones.") var force = false
    @Flag(help: "Start the store again from kb/: set the store's files aside (.mosaic/store.sqlite.set-aside-TIME…) and load kb/ into a new one. For a store that cannot be opened; what is not in kb/ (imports, plugin writes, run history) stays in the set-aside file.")
    var rebuild = false

    func run() throws {
        if rebuild {
            let root = URL(fileURLWithPath: options.workspace).standardizedFileURL
            guard FileManager.default.fileExists(atPath: root.appendingPathComponent("kb").path) else {
                throw CLIError("error: --rebuild starts again from kb/, and \(root.path) has no kb/ folder; nothing was changed")
            }
            do {
                if let moved = try Store.setAside(path: Workspace.storePath(root)) {
                    print("set the old store aside as \(moved)")
                }
            } catch {
                throw CLIError("error: cannot set the store aside: \(error.localizedDescription); nothing was changed")
            }
        }
        let ws = try options.open(loadKB: false)
        do {
            if let report = try ws.kbLoader().load(force: force || rebuild) {
                print(report.summary)
            } else {
                print("kb: up to date (transaction \(ws.store.graph.transaction))")
            }
        } catch let e as KBError {
            throw CLIError(e.description)
        } catch let e as StoreError {
            throw CLIError("error: \(e)")
        }
    }
}
