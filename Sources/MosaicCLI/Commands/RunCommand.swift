// `mosaic run` (and the console's :run): a plugin's run function through MosaicPlugins'
// runner; its writes commit as one transaction, or are shown only on a partial view.
import ArgumentParser
import Foundation
import MosaicGraph
import MosaicPlugins

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a plugin's run function; its writes commit as one transaction.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The plugin.") var plugin: String
    @Option(name: .customLong("param"), help: "A parameter, name=value; repeatable.") var params: [String] = []
    @Option(help: "Read only claims whose sources were published by this date (writes are then shown, not committed).") var knownBy: String?
    @Option(help: "Read only facts whose valid time includes this date (writes are then shown, not committed).") var validAt: String?

    func run() throws {
        var p: [String: String] = [:]
        for kv in params {
            guard let eq = kv.firstIndex(of: "=") else { throw CLIError.usage("--param takes name=value, got '\(kv)'", usage: "mosaic run PLUGIN [--param k=v …]") }
            p[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
        }
        let ws = try options.open()
        let view = try ws.resolveView(knownBy: knownBy, validAt: validAt)
        // Ctrl-C interrupts the run (it fails and writes nothing) instead of killing the process
        LineEditor.installInterruptHandler()
        print(try RunCommand.execute(ws, name: plugin, params: p, view: view))
    }

    static func execute(_ ws: Workspace, name: String, params: [String: String], view: ClockView = ClockView()) throws -> String {
        LineEditor.interruptFlag = 0
        let result: PluginRunResult
        do {
            let graph = view.isEmpty ? nil : ws.store.graph.viewed(view)
            result = try ws.plugins.runner(graph: graph).run(name, options: PluginRunOptions(params: params))
        } catch let e as PluginError {
            throw CLIError(e.detailed)
        }
        var lines = result.logs
        if let r = result.returned { lines.append("returned: \(r)") }
        let e = result.effects
        lines.append("\(name)@\(result.version): \(e.asserted.count) asserted, \(e.retracted.count) retracted"
                     + (result.transaction.map { " (transaction \($0))" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
