import ArgumentParser
import Foundation
import MosaicGraph
import MosaicReports

struct BriefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brief",
        abstract: "Render briefings: load kb/ if it changed, run inference, run the plugins' reports.",
        discussion: """
            With one report in Markdown the briefing is printed (unless --out names a folder); otherwise the files
            are written under --out (default briefings/) and their paths printed. A briefing records the KB
            transaction it read: rerunning it with --as-of that transaction and the same --now gives the same bytes.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Reports to run (plugin/report, plugin or report); all when none.") var reports: [String] = []
    @Option(help: "md, html or json (repeatable; default md).") var format: [String] = []
    @Option(help: "A folder for the files, or '-' for standard output.") var out: String?
    @Option(help: "Read the KB as of a transaction (tx42) or a time (2025-11-01).") var asOf: String?
    @Option(help: "Only claims whose sources were published by this date (default with --now: that moment).") var knownBy: String?
    @Option(help: "Only facts whose valid time includes this date (what held then).") var validAt: String?
    @Option(help: "The engine's clock, for reproducible runs (2025-10-30T06:00Z); the briefing reads what was reported by then.") var now: String?
    @Option(help: "What changed since: a transaction (tx12), a date/time, or 'last' (the last recorded briefing, the default).") var since: String?
    @Flag(help: "Record this run as the report's last briefing (what 'What changed' counts from next time); scheduled runs always do, a preview does not.") var record = false

    func run() throws {
        let formats = format.isEmpty ? ["md"] : format
        for f in formats where !["md", "html", "json"].contains(f) {
            throw CLIError.usage("--format takes md, html or json", usage: "mosaic brief [REPORT…] [--format md|html|json] [--out DIR] [--as-of T]")
        }
        let clock: Date
        if let now {
            guard let d = PartialDate(now) else {
                throw CLIError.usage("--now takes a date-time such as 2025-10-30T06:00Z", usage: "mosaic brief [--now T]")
            }
            clock = d.date
        } else { clock = Date() }
        let ws = try options.open()
        if asOf == nil { _ = try ws.plugins.infer(dryRun: false) }
        let asOfValue = try ws.resolveAsOf(asOf)
        // A run "at" a moment reads what the sources had reported by then.
        let view = try ws.resolveView(knownBy: knownBy ?? now, validAt: validAt)
        let graph = try ws.graph(asOf: asOfValue, view: view)
        // "What changed" from: a transaction, a time, or the last recorded briefing.
        var sinceTransaction: Int64? = nil
        if let since, since != "last" {
            guard let resolved = try ws.resolveAsOf(since) else {
                throw CLIError.usage("--since takes a transaction (tx12), a date/time or 'last'", usage: "mosaic brief [--since T|last]")
            }
            sinceTransaction = try ws.store.transactionID(asOf: resolved)
        }
        let catalog = try ws.plugins.reports()
        if catalog.entries.isEmpty && reports.isEmpty {
            // No plugin offers a report: a plain summary of the KB.
            if asOf == nil, let kb = ws.kbErrorSummary {
                print("> **Warning: the KB has unloaded errors.** kb/ has \(kb.count) error\(kb.count == 1 ? "" : "s") (first: `\(kb.first)`); this summary reads the last loaded state (transaction \(kb.transaction)).\n")
            }
            print(KBSummary(graph: graph).markdown, terminator: "")
            return
        }
        let selected = try catalog.select(reports)
        let toStdout = out == "-" || (out == nil && selected.count == 1 && formats == ["md"])
        if toStdout && (selected.count > 1 || formats.count > 1) {
            throw CLIError.usage("--out - prints one Markdown report; name one report and --format md, or give a folder", usage: "mosaic brief REPORT --out -")
        }
        var failures = 0
        for entry in selected {
            let started = Date()
            // A preview is logged under its own name, so it does not move the report's mark.
            let job = record ? entry.job : entry.job + " (preview)"
            let runID = try ws.store.beginRun(job: job, scheduledFor: nil, transaction: graph.transaction, at: started)
            do {
                let doc = try Briefing.run(entry, ws: ws, graph: graph, asOf: asOf, now: clock, since: sinceTransaction)
                var written: [String] = []
                if toStdout {
                    FileHandle.standardOutput.write(Briefing.render(doc, format: "md"))
                } else {
                    let dir = URL(fileURLWithPath: out ?? ws.root.appendingPathComponent("briefings").path)
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    for f in formats {
                        let url = dir.appendingPathComponent("\(entry.plugin)-\(entry.name).\(f)")
                        try Briefing.render(doc, format: f).write(to: url, options: .atomic)
                        written.append(url.path)
                        print(url.path)
                    }
                }
                try ws.store.endRun(runID, status: .succeeded, error: nil, outputs: written, at: Date())
            } catch {
                failures += 1
                try? ws.store.endRun(runID, status: .failed, error: "\(error)", outputs: [], at: Date())
                FileHandle.standardError.write(Data("error: report \(entry.job) failed: \(error)\n".utf8))
            }
        }
        if failures > 0 { throw CLIError("", exitCode: 1) }
    }
}

/// A plain summary of a KB: what kinds of things it holds, and its dated facts newest first.
struct KBSummary {
    let graph: Graph

    var markdown: String {
        let g = graph
        var out = "# Knowledge base summary\n\n"
        out += "\(g.liveNodeCount) entities and \(g.liveRelationshipCount) relations, as of transaction \(g.transaction).\n\n"
        var byType: [String: [Int32]] = [:]
        for i in g.nodeIndices { byType[g.node(i).type, default: []].append(i) }
        out += "## Entities\n\n"
        for (type, nodes) in byType.sorted(by: { $0.key < $1.key }) {
            let names = nodes.prefix(12).map { g.node($0).name ?? g.node($0).key }
            out += "- **\(type.isEmpty ? "(no type)" : type)** (\(nodes.count)): \(names.joined(separator: ", "))\(nodes.count > 12 ? ", …" : "")\n"
        }
        let dated = g.relationshipIndices.filter { g.relationship($0).validFrom != nil }
            .sorted { (g.relationship($0).validFrom!, g.relationship($0).statement) > (g.relationship($1).validFrom!, g.relationship($1).statement) }
        if !dated.isEmpty {
            out += "\n## Dated facts, newest first\n\n"
            for r in dated.prefix(20) {
                let rel = g.relationship(r)
                let when = rel.validFrom == rel.validTo || rel.validTo == nil ? "\(rel.validFrom!)" : "\(rel.validFrom!) – \(rel.validTo!)"
                let from = g.node(rel.source), to = g.node(rel.target)
                out += "- \(when): \(from.name ?? from.key) \(g.typeName(of: r)) \(to.name ?? to.key)"
                out += rel.grading.map { " (\($0))" } ?? ""
                out += "\n"
            }
        }
        return out
    }
}
