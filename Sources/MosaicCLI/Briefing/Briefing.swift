// Briefing: runs one report of the catalog (what changed since its last run, the banners of an
// incomplete inference or an unloaded kb/, the document's metadata) and renders the document
// with MosaicReports' renderers.
import Foundation
import MosaicGraph
import MosaicReports

/// Renders a document in the briefing formats.
enum Briefing {
    static func render(_ doc: Document, format: String) -> Data {
        switch format {
        case "html": return Data(HTMLRenderer().render(doc).utf8)
        case "json": return Data(JSONRenderer().render(doc).utf8)
        default: return Data(MarkdownRenderer().render(doc).utf8)
        }
    }

    /// Runs a report: reads "since" from its last successful run, renders, records the run.
    static func run(_ entry: ReportEntry, ws: Workspace, graph: Graph, asOf: String?, now: Date,
                    scheduledFor: Date? = nil, since: Int64? = nil) throws -> Document {
        // "What changed" counts from `since` when given, else from the last recorded run; a
        // run as of a past transaction counts from the last one before it, so re-running it
        // gives the same bytes.
        let last = since != nil ? nil : asOf == nil ? try ws.store.lastSuccessfulRun(job: entry.job)
            : try ws.store.runs(job: entry.job, limit: 1000).first { $0.status == .succeeded && $0.transaction < graph.transaction }
        let request = ReportRequest(graph: graph, store: ws.store, since: since ?? last?.transaction, asOf: asOf, now: now)
        var doc = try entry.render(request)
        if asOf == nil && !ws.plugins.lastInferenceProblems.isEmpty {
            // The report read a KB whose inference was incomplete: say so at the top.
            var runs: [Inline] = [.strong("Inference was incomplete for this briefing."),
                                  .text(" Facts derived by these plugins' rules may be missing or out of date (kept from an earlier run, marked stale), and this report may rely on them: ")]
            for (i, p) in ws.plugins.lastInferenceProblems.enumerated() {
                if i > 0 { runs.append(.text("; ")) }
                runs.append(.code(String(p.split(separator: "\n").first ?? "")))
            }
            runs.append(.text("."))
            doc.blocks.insert(.note(Note(style: .warning, content: runs)), at: 0)
        }
        if asOf == nil, let kb = ws.kbErrorSummary {
            // kb/ has errors and did not load: the report read the last loaded state.
            let runs: [Inline] = [.strong("The KB has unloaded errors."),
                                  .text(" kb/ has \(kb.count) error\(kb.count == 1 ? "" : "s") and was not loaded, so this briefing reads the last loaded state (transaction \(kb.transaction)); edits made since are not in it. The first: "),
                                  .code(kb.first),
                                  .text(". "), .code("mosaic check"), .text(" lists every error.")]
            doc.blocks.insert(.note(Note(style: .warning, content: runs)), at: 0)
        }
        doc.metadata.generatedAt = DocumentMetadata.timestamp(now)
        doc.metadata.transaction = graph.transaction
        // The transaction read is recorded; an as-of rerun of it then renders the same bytes.
        doc.metadata.plugin = entry.plugin
        doc.metadata.pluginVersion = entry.version
        doc.metadata.report = entry.name
        return doc
    }
}
