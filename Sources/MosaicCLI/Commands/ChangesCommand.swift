import ArgumentParser
import Foundation
import MosaicGraph
import MosaicPluginReports

struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "What changed since a transaction, a time or the last recorded briefing, fact by fact.",
        discussion: """
            Each line is one fact: new, support (a new source for a known fact, corroboration before → after),
            refined or corrected (its dates, old → new), disputed, withdrawn, or a new entity or property.
            Bookkeeping (sources, their outlets, annotations of relations) is left out. See docs/facts.md.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "From: a transaction (tx12), a date/time (2025-11-01), or 'last' (the last recorded briefing).") var since: String
    @Option(help: "Read only claims whose sources were published by this date.") var knownBy: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ws = try options.open()
        let from: Int64
        if since == "last" {
            guard let run = try ws.store.runs(limit: 1000).first(where: { $0.status == .succeeded && !$0.job.hasSuffix("(preview)") && !$0.job.hasSuffix(":rules") }) else {
                throw CLIError("error: no briefing was recorded yet; give --since a transaction (tx1) or a date, or record one with `mosaic brief --record`")
            }
            from = run.transaction
        } else {
            guard let asOf = try ws.resolveAsOf(since) else {
                throw CLIError.usage("--since takes a transaction (tx12), a date/time or 'last'", usage: "mosaic changes --since T|last [--json]")
            }
            from = try ws.store.transactionID(asOf: asOf)
        }
        let graph = try ws.graph(asOf: nil, view: ws.resolveView(knownBy: knownBy, validAt: nil))
        let list = try FactChange.between(store: ws.store, graph: graph, since: from)
        if json {
            print(JSONText.pretty(.list(list.map { c in
                .map(["kind": .string(c.kind.rawValue), "statement": .int(c.statement), "subject": .string(c.subject),
                      "predicate": .string(c.predicate), "object": c.object.map(Value.string) ?? .null,
                      "valid_from": c.validFrom.map(Value.date) ?? .null, "text": .string(c.text)])
            })))
            return
        }
        if list.isEmpty { print("nothing changed since transaction \(from)"); return }
        for c in list { print("\(c.kind.rawValue): \(c.text)") }
    }
}
