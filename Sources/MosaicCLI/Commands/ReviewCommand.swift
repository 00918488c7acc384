// mosaic review (and the console's :review): the queue of facts the extractors proposed for
// ingested articles: list, accept, reject, edit. A thin shell over MosaicIngest's
// ProposalQueue through ProposalReview.
import ArgumentParser
import Foundation
import MosaicGraph
import MosaicIngest
import MosaicStore

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review the facts proposed for ingested articles: list, accept, reject, edit.",
        discussion: """
            mosaic review [--json] [--all]            the pending proposals (--all: every status)
            mosaic review accept ID…                  append them to kb/ingest/<source-id>.yaml (which declares the
                                                      article too, so kb/ loads on its own) and load kb/
            mosaic review accept --all-above C        every pending proposal with confidence ≥ C
            mosaic review reject ID…                  not proposed again for the same file
            mosaic review edit ID [--relation R] [--from E] [--to E] [--on D] [--since D] [--until D]
                                  [--denied true|false] [--confidence C]
            A proposal that repeats a known fact shows "adds a source to #N". --json prints the pending
            proposals as a JSON array of {id, document, sentence, relation, from, to, valid, denied,
            confidence, grade, extractor, evidence, via, status, repeats?, …} (docs/ingest.md).
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "accept | reject | edit, then proposal ids (none: list).") var words: [String] = []
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "List every proposal, not only the pending ones.") var all = false
    @Option(help: "accept: every pending proposal with at least this confidence.") var allAbove: Double?
    @Option(help: "edit: the relation type.") var relation: String?
    @Option(help: "edit: the subject (an entity id).") var from: String?
    @Option(help: "edit: the object (an entity id).") var to: String?
    @Option(help: "edit: the date (sets since and until).") var on: String?
    @Option(help: "edit: the start of the valid time.") var since: String?
    @Option(help: "edit: the end of the valid time.") var until: String?
    @Option(help: "edit: true for a denial.") var denied: Bool?
    @Option(help: "edit: the confidence, 0–1.") var confidence: Double?

    static let usage = "mosaic review [--json] | accept ID…|--all-above C | reject ID… | edit ID [--relation R] [--from E] [--to E] [--on D]"

    func run() throws {
        print(try output(try options.open()))
    }

    /// The console's `:review ARGS` (the same words and flags as the command).
    static func console(_ ws: Workspace, _ arg: String) throws -> String {
        let words = arg.split(whereSeparator: \.isWhitespace).map(String.init)
        let command: ReviewCommand
        do { command = try ReviewCommand.parse(words) } catch { throw CLIError("usage: :review \(ReviewCommand.usage.dropFirst("mosaic review ".count)) (\(ReviewCommand.message(for: error)))") }
        return try command.output(ws)
    }

    /// What the command prints.
    func output(_ ws: Workspace) throws -> String {
        let queue = try ProposalReview.queue(ws)
        let verb = words.first
        let ids = try words.dropFirst().map { w -> Int64 in
            guard let n = Int64(w.hasPrefix("#") ? String(w.dropFirst()) : w) else { throw CLIError.usage("'\(w)' is not a proposal id", usage: ReviewCommand.usage) }
            return n
        }
        switch verb {
        case nil:
            let list = try queue.list(status: all ? nil : .pending)
            if json { return "[" + list.map { $0.json().rendered() }.joined(separator: ",\n ") + "]" }
            return try ReviewCommand.listing(ws, list)
        case "accept":
            var chosen = ids
            if let c = allAbove {
                guard ids.isEmpty else { throw CLIError.usage("give ids or --all-above, not both", usage: ReviewCommand.usage) }
                chosen = try queue.list().filter { $0.confidence >= c }.map(\.id)
            } else if ids.isEmpty { throw CLIError.usage("name the proposals to accept (or --all-above C)", usage: ReviewCommand.usage) }
            return try ProposalReview.accept(ws, queue, chosen)
        case "reject":
            guard !ids.isEmpty else { throw CLIError.usage("name the proposals to reject", usage: ReviewCommand.usage) }
            do { let r = try queue.reject(ids); return "rejected \(r.map { "#\($0)" }.joined(separator: " ")); they will not be proposed again for the same file" }
            catch let e as IngestError { throw CLIError("error: \(e)") }
        case "edit":
            guard ids.count == 1 else { throw CLIError.usage("edit one proposal at a time", usage: ReviewCommand.usage) }
            do {
                let p = try queue.edit(ids[0], ProposalQueue.Edit(relation: relation, from: from, to: to, on: on, since: since, until: until,
                                                                  denied: denied, confidence: confidence))
                return ProposalReview.render(p, text: nil, graph: ws.store.graph, color: false)
            } catch let e as IngestError { throw CLIError("error: \(e)") }
        default:
            throw CLIError.usage("unknown review action '\(verb!)' (accept, reject, edit, or nothing to list)", usage: ReviewCommand.usage)
        }
    }

    /// The text listing: proposals grouped by document, each with its sentence.
    static func listing(_ ws: Workspace, _ list: [Proposal]) throws -> String {
        if list.isEmpty { return "no pending proposals (mosaic ingest proposes facts when plugins declare extractors)" }
        let color = isatty(STDOUT_FILENO) != 0
        var texts: [String: String] = [:]
        var out: [String] = []
        var current = ""
        for p in list {
            if p.document != current {
                current = p.document
                texts[current] = try ws.store.document(source: current)?.text
                out.append("\(current):")
            }
            out.append(ProposalReview.render(p, text: texts[current], graph: ws.store.graph, color: color))
        }
        out.append("\(list.count) proposal\(list.count == 1 ? "" : "s"); mosaic review accept ID… | reject ID… | edit ID")
        return out.joined(separator: "\n")
    }
}
