// ConsoleEngines: what the console asks of the engines, for one workspace: queries (through
// QueryRunner), Lua (MosaicPlugins' PluginConsole, one sandboxed state for the session),
// the plugins' listing and runs, inference, proofs (WhyCommand) and briefings. ConsoleSession
// reads statements and prints; this runs them.
import Foundation
import MosaicGraph
import MosaicPlugins
import MosaicReports

final class ConsoleEngines {
    let workspace: Workspace
    /// The memory budget of each query, in MiB (mosaic.yaml's query.memory_mb when the console started).
    private let queryMemoryMegabytes: Int?
    /// The session's Lua state over the graph as the console started (its globals persist between chunks).
    private let luaConsole: PluginConsole

    init(workspace: Workspace) {
        self.workspace = workspace
        queryMemoryMegabytes = (try? workspace.config())?.queryMemoryMegabytes
        luaConsole = PluginConsole(workspace: workspace.root, graph: workspace.store.graph, store: workspace.store,
                                   isCancelled: { LineEditor.interruptFlag != 0 })
    }

    /// Runs a query (or its plan) on `graph`; a query that writes commits as the console's own
    /// transaction, and only when `graph` is the current KB. Ctrl-C cancels it.
    func query(_ text: String, parameters: [String: Value], graph: Graph, mode: ConsoleSession.QueryMode,
               timeout: Double?) throws -> ResultTable {
        var q = text
        if mode == .explain { q = "EXPLAIN " + text }
        if mode == .profile { q = "PROFILE " + text }
        LineEditor.interruptFlag = 0
        let ws = workspace
        let outcome = try QueryRunner(workspace: ws).run(
            q, parameters: parameters, graph: graph, readOnly: graph.transaction != ws.store.graph.transaction,
            origin: .console(session: String(getpid())), timeout: timeout, memoryMegabytes: queryMemoryMegabytes,
            isCancelled: { LineEditor.interruptFlag != 0 })
        var table = outcome.table
        if let tx = outcome.transaction {
            table.columns = table.columns.isEmpty ? ["written"] : table.columns
            FileHandle.standardError.write(Data("wrote \(outcome.changes) statement change\(outcome.changes == 1 ? "" : "s") in transaction \(tx)\n".utf8))
        }
        return table
    }

    /// Evaluates a Lua chunk in the session's state (an expression's value is printed).
    func lua(_ chunk: String) throws -> String {
        LineEditor.interruptFlag = 0
        return try luaConsole.evaluate(chunk)
    }

    /// Whether a Lua chunk is whole (compiles, or fails for a reason other than `<eof>`).
    static func luaIsComplete(_ chunk: String) -> Bool { PluginConsole.isComplete(chunk) }

    func plugins() throws -> String { try PluginsCommand.listing(workspace, json: false) }

    func run(plugin name: String) throws -> String { try RunCommand.execute(workspace, name: name, params: [:]) }

    func infer() throws -> String { try workspace.plugins.infer(dryRun: false).summary() }

    func why(_ id: String) throws -> String { try WhyCommand.explain(id, store: workspace.store, json: false) }

    /// The first report named (all when nil), rendered in Markdown from the current KB.
    func brief(_ name: String?) throws -> String {
        let ws = workspace
        let selected = try ws.plugins.reports().select(name.map { [$0] } ?? [])
        guard let first = selected.first else { return "no reports (a plugin's spec declares reports = {…})" }
        let doc = try Briefing.run(first, ws: ws, graph: ws.store.graph, asOf: nil, now: Date())
        return String(decoding: Briefing.render(doc, format: "md"), as: UTF8.self)
    }
}
