import ArgumentParser
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print an entity card: properties, relations both ways, dates, gradings and sources.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The entity id (or a name or alias).") var id: String
    @Option(help: "Read the KB as of a transaction (tx42) or a time (2025-11-01).") var asOf: String?
    @Option(help: "Only claims whose sources were published by this date (reported time: what the reporting said by then).") var knownBy: String?
    @Option(help: "Only facts whose valid time includes this date (what held then).") var validAt: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ws = try options.open()
        let g = try ws.graph(asOf: ws.resolveAsOf(asOf), view: ws.resolveView(knownBy: knownBy, validAt: validAt))
        var key = id
        if g.lookup(key: key) == nil, let byName = g.nodes(named: id).first { key = g.node(byName).key }
        let card = try EntityCard(key: key, graph: g, store: ws.store)
        print(json ? JSONText.pretty(card.json) : card.text)
    }
}
