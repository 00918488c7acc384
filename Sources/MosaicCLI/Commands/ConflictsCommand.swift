import ArgumentParser
import Foundation
import MosaicGraph

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List the contradictions the KB holds: denials, functional relations with two objects at once, relation types that exclude each other.",
        discussion: "Both sides stay in the graph, marked disputed(r). Declare functional: true or excludes: [TYPE] under a relation type in kb/schema.yaml. See docs/facts.md.")
    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var read: ReadOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ws = try options.open()
        let g = try read.graph(ws)
        let list = g.conflicts()
        if json {
            print(JSONText.pretty(.list(list.map { c in
                let lone = c.kind == .denial && c.fact == c.other
                return .map(["kind": .string(c.kind.rawValue),
                             "fact": lone ? .null : .int(g.relationship(c.fact).statement),
                             "other": .int(g.relationship(c.other).statement),
                             "sources": .list(g.sources(ofRelationship: c.other).map { .string($0.source) }),
                             "reason": .string(g.reason(c))])
            })))
            return
        }
        if list.isEmpty { print("no conflicts"); return }
        for c in list {
            let lone = c.kind == .denial && c.fact == c.other
            let ids = lone ? "#\(g.relationship(c.other).statement)" : "#\(g.relationship(c.fact).statement) vs #\(g.relationship(c.other).statement)"
            print("\(c.kind.rawValue): \(g.reason(c))  \(ids)")
        }
        print("\(list.count) conflict\(list.count == 1 ? "" : "s")")
    }
}
