// MosaicPluginReports: plugins' report functions, the `doc` builder and `changes()` they
// write briefings with, citations resolved against the graph and the store, and fact-level
// changes between transactions (also `mosaic changes`). Uses MosaicPlugins (sessions),
// MosaicLua, MosaicReports (documents), MosaicGraph and MosaicStore.

import Foundation
import MosaicGraph
import MosaicLua
import MosaicPlugins
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
