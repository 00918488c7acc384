import Foundation
import MosaicGraph
import MosaicLua
import MosaicReports
import MosaicStore

/// Runs a plugin's report function with the `doc` builder and returns the document:
/// `reports = { daily = function(params, kb) doc.heading(1, "…") … end }` (or
/// `reports = { daily = { build = function(params, kb) … end } }`). The report reads `graph`
/// (the KB now, or as of a past transaction); a report that raises produces no document
/// and an error naming the plugin's file and line.
public enum PluginReports {
    public static func render(workspace: URL, graph: Graph, store: Store, plugin: String, report: String,
                              since: Int64?, now: Date, params: [String: String] = [:]) throws -> Document {
        let runner = PluginRunner(workspace: workspace, graph: graph)
        let session = try runner.session(plugin, options: PluginRunOptions(params: params, now: now))
        let bridge = LuaDocumentBridge(title: report, graph: graph, store: store, since: since)
        bridge.install(in: session.state)
        let p = try session.parameters(params)
        do {
            _ = try session.call(path: ["reports", report], params: p)
        } catch let e as PluginError where e.message.hasPrefix("the spec has no function") {
            _ = try session.call(path: ["reports", report, "build"], params: p)
        }
        return bridge.document
    }
}

/// The console's Lua mode: one sandboxed state with the `kb` API over the current graph,
/// kept for the session (globals persist between chunks). An expression is evaluated and
/// printed; otherwise the chunk runs as statements.
public final class PluginConsole {
    let state: LuaState?
    let context: KBContext?
    let failure: String?

    public init(workspace: URL, graph: Graph, store: Store, isCancelled: (@Sendable () -> Bool)? = nil) {
        do {
            let s = try LuaState(limits: LuaLimits(timeout: .seconds(30)))
            s.isCancelled = isCancelled
            let c = KBContext(graph: graph, plugin: "console", version: "", now: Date(), seed: 0, query: nil,
                              search: { [store] text, limit in try store.search(text, limit: limit) })
            try c.install(in: s)
            state = s; context = c; failure = nil
        } catch {
            state = nil; context = nil; failure = "\(error)"
        }
    }

    /// Whether a chunk is whole: it compiles, or fails for a reason other than its end.
    public static func isComplete(_ chunk: String) -> Bool {
        guard let s = try? LuaState(limits: LuaLimits(timeout: .seconds(1))) else { return true }
        if (try? s.load("return " + chunk, chunkName: "=console")) != nil { return true }
        do { _ = try s.load(chunk, chunkName: "=console"); return true } catch {
            return !"\(error)".contains("<eof>")
        }
    }

    public func evaluate(_ chunk: String) throws -> String {
        guard let state else { throw PluginReportError("Lua is not available: \(failure ?? "")") }
        if state.isKilled { throw PluginReportError("the Lua state was stopped by a limit; leave and re-enter :lua") }
        let fn: LuaFunctionRef
        if let f = try? state.load("return " + chunk, chunkName: "=console") { fn = f } else { fn = try state.load(chunk, chunkName: "=console") }
        let values = try state.call(fn, [])
        var lines = context?.takeLogs() ?? []
        if !values.isEmpty { lines.append(values.map(\.description).joined(separator: "\t")) }
        return lines.joined(separator: "\n")
    }
}
