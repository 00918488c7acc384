import ArgumentParser
import Foundation
import MosaicGraph

struct BriefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brief", abstract: "Print a briefing of the knowledge base.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Read the KB as of a transaction (tx42) or a time (2025-11-01).") var asOf: String?

    func run() throws {
        let ws = try options.open()
        let g = try ws.graph(asOf: ws.resolveAsOf(asOf))
        print(KBSummary(graph: g).markdown, terminator: "")
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
