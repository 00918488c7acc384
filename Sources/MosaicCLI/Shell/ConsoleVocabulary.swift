import Foundation
import MosaicGraph

/// The console's completion vocabulary, read from the live graph and the plugins folder
/// when the console starts (and again after writes).
struct LiveVocabulary: CompletionVocabulary {
    var keywords = ConsoleCompleter.queryKeywords
    var labels: [String] = []
    var relationTypes: [String] = []
    var propertyKeys: [String] = []
    var entityIDs: [String] = []
    var entityNames: [String] = []
    var pluginNames: [String] = []
    var reportNames: [String] = []
    var luaNames: [String] = LiveVocabulary.luaAPI
    /// Functions and procedures (`CALL db.` then Tab offers `labels`, …).
    var functions: [String] = []

    static let luaAPI = ["kb.get", "kb.find", "kb.query", "kb.search", "kb.date", "kb.assert", "kb.retract", "kb.derive",
                         "kb.log", "kb.random", "kb.now", "string.format", "string.find", "string.match", "string.gsub",
                         "string.sub", "string.lower", "string.upper", "table.insert", "table.concat", "table.sort",
                         "math.floor", "math.max", "math.min", "os.time", "os.date", "print", "pairs", "ipairs", "tostring"]

    init(workspace: Workspace) {
        functions = workspace.functions.names + workspace.functions.allProcedures.map(\.name)
        let g = workspace.store.graph
        labels = g.labels
        relationTypes = g.relationTypes
        var keys: Set<String> = []
        var names: [String] = []
        for i in g.nodeIndices.prefix(100_000) {
            let n = g.node(i)
            keys.formUnion(n.properties.keys)
            entityIDs.append(n.key)
            if let name = n.name { names.append(name) }
            names.append(contentsOf: n.aliases)
        }
        propertyKeys = keys.sorted()
        entityNames = names
        let files = (try? FileManager.default.contentsOfDirectory(atPath: workspace.pluginsDirectory.path)) ?? []
        pluginNames = files.filter { !$0.hasPrefix(".") && $0 != "types" }
            .map { $0.hasSuffix(".lua") ? String($0.dropLast(4)) : $0 }.sorted()
    }
}
