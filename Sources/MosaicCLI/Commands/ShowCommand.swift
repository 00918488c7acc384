import ArgumentParser
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print an entity card: properties, relations both ways, dates, gradings and sources.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The entity id (or a name or alias).") var id: String
    @OptionGroup var read: ReadOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ws = try options.open()
        let g = try read.graph(ws)
        var key = id
        if g.lookup(key: key) == nil, let byName = g.nodes(named: id).first { key = g.node(byName).key }
        let card = try EntityCard(key: key, graph: g, store: ws.store)
        print(json ? JSONText.pretty(card.json) : card.text)
    }
}
