import Foundation
import MosaicGraph
import MosaicLua
import MosaicStore

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
        guard let state else { throw LuaError(.runtime, "Lua is not available: \(failure ?? "")") }
        if state.isKilled { throw LuaError(.killed, "the Lua state was stopped by a limit; leave and re-enter :lua") }
        let fn: LuaFunctionRef
        if let f = try? state.load("return " + chunk, chunkName: "=console") { fn = f } else { fn = try state.load(chunk, chunkName: "=console") }
        let values = try state.call(fn, [])
        var lines = context?.takeLogs() ?? []
        if !values.isEmpty { lines.append(values.map(\.description).joined(separator: "\t")) }
        return lines.joined(separator: "\n")
    }
}
