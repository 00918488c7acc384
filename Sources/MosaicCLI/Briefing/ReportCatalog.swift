// The report catalog: what a report needs to run (ReportRequest), a report a plugin offers
// (ReportEntry, rendering a MosaicReports Document), and the reports of a workspace
// (ReportCatalog), which its PluginHost lists.
import Foundation
import MosaicGraph
import MosaicReports
import MosaicStore

/// What a report needs to run: the graph it reads (now or as of a past transaction), the
/// store, the transaction its last successful run read ("what changed since"), the
/// engine's clock, and its parameters.
struct ReportRequest {
    var graph: Graph
    var store: Store
    var since: Int64?
    var asOf: String?
    var now: Date
    var params: [String: Value] = [:]
}

/// A report a plugin offers: `plugin/name`, its schedule, and how to render it.
struct ReportEntry {
    var plugin: String
    var name: String
    var version: String
    var schedule: String?
    var timezone: String?
    var formats: [String] = ["md", "html", "json"]
    var render: (ReportRequest) throws -> Document

    var job: String { "\(plugin)/\(name)" }
}

/// The reports a workspace's enabled plugins offer, sorted by job (PluginHost.reports()
/// lists them), and the choice of some by name.
struct ReportCatalog {
    var entries: [ReportEntry]

    /// The reports named (`plugin/report`, `plugin`, or `report`), or all of them.
    func select(_ names: [String]) throws -> [ReportEntry] {
        let all = entries
        guard !names.isEmpty else { return all }
        return try names.flatMap { name -> [ReportEntry] in
            let hits = all.filter { $0.job == name || $0.plugin == name || $0.name == name }
            guard !hits.isEmpty else {
                throw CLIError("error: no report '\(name)'; reports: \(all.map(\.job).joined(separator: ", "))")
            }
            return hits
        }
    }
}
