// ProposalReview: MosaicIngest's review queue for a workspace (with its enabled plugins'
// extractors and limits, from its PluginHost), extraction failures reported as warnings and
// failed runs, a proposal rendered for the terminal, and accepting (kb/ingest/ files, then
// kb/ is loaded). Used by `mosaic ingest`, `mosaic review` and the console's :review.
import Foundation
import MosaicGraph
import MosaicIngest
import MosaicStore

enum ProposalReview {
    /// The queue of a workspace, with its enabled plugins' extractors.
    static func queue(_ ws: Workspace) throws -> ProposalQueue {
        var ex = ExtractorRunner(runner: try ws.plugins.runner())
        ex.enabled = ws.plugins.enabled()
        return ProposalQueue(store: ws.store, workspace: ws.root, extractors: ex)
    }

    /// Reports an extraction's failures: warnings, and failed runs `PLUGIN:extractors` (mosaic runs).
    static func report(_ ws: Workspace, _ r: ProposalQueue.Extraction) {
        let now = Date()
        for f in r.failures {
            FileHandle.standardError.write(Data("warning: \(f.description) (the other extractors ran)\n".utf8))
            if let id = try? ws.store.beginRun(job: "\(f.plugin):extractors", scheduledFor: nil, transaction: ws.store.graph.transaction, at: now) {
                try? ws.store.endRun(id, status: .failed, error: f.detailed, outputs: [], at: now)
            }
        }
    }

    /// A proposal in one block: the sentence with the matched names highlighted (bold in a
    /// terminal, [brackets] otherwise), the fact, its grade and confidence.
    static func render(_ p: Proposal, text: String?, graph: Graph, color: Bool) -> String {
        func name(_ id: String) -> String {
            if let ne = p.newEntities.first(where: { $0.id == id }) { return "\(ne.name) (new \(ne.type))" }
            if let n = graph.lookup(key: id), let nm = graph.node(n).name { return "\(nm) [\(id)]" }
            return id
        }
        var valid = ""
        switch (p.validFrom, p.validTo) {
        case (nil, nil): valid = "undated"
        case let (f?, t?) where f == t: valid = "on \(f)"
        default: valid = [p.validFrom.map { "since \($0)" }, p.validTo.map { "until \($0)" }].compactMap { $0 }.joined(separator: " ")
        }
        var head = "#\(p.id)  \(name(p.from)) \(p.denied ? "NOT " : "")\(p.relation) \(name(p.to))  \(valid)"
        if p.times > 1 { head += " ×\(p.times)" }
        if !p.properties.isEmpty { head += "  {" + p.properties.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}" }
        var lines = [head]
        var meta = "    grade \(p.grade?.description ?? "—"), confidence \(String(format: "%.2f", p.confidence)), \(p.extractor)"
        if !p.via.isEmpty { meta += ", via \(p.via.joined(separator: " ← "))" }
        if p.denied { meta += ", a denial" }
        lines.append(meta)
        if let r = p.repeats { lines.append("    adds a source to #\(r)") }
        if let text {
            let bytes = Array(text.utf8)
            let s = max(0, min(p.sentence.start, bytes.count)), e = max(s, min(p.sentence.end, bytes.count))
            var out = ""
            var pos = s
            for ev in p.evidence.sorted(by: { $0.start < $1.start }) where ev.start >= pos && ev.end <= e && ev.start < ev.end {
                out += String(decoding: bytes[pos..<ev.start], as: UTF8.self)
                let word = String(decoding: bytes[ev.start..<ev.end], as: UTF8.self)
                out += color ? "\u{1B}[1;33m\(word)\u{1B}[0m" : "[\(word)]"
                pos = ev.end
            }
            out += String(decoding: bytes[pos..<e], as: UTF8.self)
            lines.append("    \(p.sentence.start)-\(p.sentence.end): " + out.replacingOccurrences(of: "\n", with: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// Accepts: the facts go to kb/ingest/ files and kb/ is loaded (they become claims citing
    /// the article); a file that does not load is put back and nothing is accepted.
    static func accept(_ ws: Workspace, _ queue: ProposalQueue, _ ids: [Int64]) throws -> String {
        guard !ids.isEmpty else { return "nothing to accept" }
        var summary: String?
        let done: ProposalQueue.Accepted
        do {
            done = try queue.accept(ids) { summary = try ws.loadKBIfChanged(quiet: true, strict: true) }
        } catch let e as IngestError {
            throw CLIError("error: \(e)")
        } catch let e as CLIError {
            throw CLIError("\(e.description)\nnothing was accepted (the kb/ingest file is as it was); edit the proposals (mosaic review edit) or reject them")
        }
        return "accepted \(done.proposals.count) proposal\(done.proposals.count == 1 ? "" : "s") into \(done.files.joined(separator: ", ")); \(summary ?? "kb/ loaded")"
    }
}
