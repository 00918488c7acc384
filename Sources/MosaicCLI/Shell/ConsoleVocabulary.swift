import Foundation
import MosaicGraph

/// What Tab completes in the console, read from the live graph: keywords, labels,
/// relation types, property keys, entity ids and names, meta-commands and plugin names.
final class ConsoleVocabulary {
    let workspace: Workspace
    init(workspace: Workspace) { self.workspace = workspace }

    static let keywords = ["MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "ORDER BY", "SKIP", "LIMIT", "DISTINCT",
                           "UNWIND", "UNION", "CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH DELETE", "AS", "AND",
                           "OR", "NOT", "XOR", "IN", "STARTS WITH", "ENDS WITH", "CONTAINS", "IS NULL", "IS NOT NULL",
                           "CASE", "WHEN", "THEN", "ELSE", "END", "EXISTS", "EXPLAIN", "PROFILE", "ON CREATE SET", "ON MATCH SET",
                           "count(", "collect(", "sources(", "confidence(", "validFrom(", "validTo(", "grading(", "date(",
                           "labels(", "type(", "id(", "properties(", "keys(", "nodes(", "relationships(", "length(",
                           "derived(", "derivedBy(", "toLower(", "toUpper(", "size(", "coalesce(", "exists("]
    static let metaCommands = [":help", ":schema", ":show", ":why", ":explain", ":profile", ":params", ":as-of", ":plugins",
                               ":run", ":infer", ":brief", ":lua", ":cypher", ":timing", ":format", ":stats", ":quit"]

    func complete(line: String, word: String, start: Int) -> [String] {
        let g = workspace.store.graph
        let before = String(line.prefix(start))
        let trimmedBefore = before.trimmingCharacters(in: .whitespaces)
        func matching(_ items: [String], _ prefix: String) -> [String] {
            let p = prefix.lowercased()
            return Array(Set(items.filter { $0.lowercased().hasPrefix(p) })).sorted()
        }
        if start == 0 && word.hasPrefix(":") || trimmedBefore.isEmpty && word.hasPrefix(":") {
            return matching(ConsoleVocabulary.metaCommands, word)
        }
        if trimmedBefore.hasPrefix(":run") || trimmedBefore.hasPrefix(":brief") {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: workspace.pluginsDirectory.path)) ?? []
            return matching(names.filter { !$0.hasPrefix(".") && $0 != "types" }.map { $0.hasSuffix(".lua") ? String($0.dropLast(4)) : $0 }, word)
        }
        if trimmedBefore.hasPrefix(":show") || trimmedBefore.hasPrefix(":why") {
            return Array(matching(g.nodeIndices.map { g.node($0).key }, word).prefix(200))
        }
        if trimmedBefore.hasPrefix(":format") { return matching(ConsoleSession.Format.allCases.map(\.rawValue), word) }
        if trimmedBefore.hasPrefix(":timing") { return matching(["on", "off"], word) }
        // Inside a pattern: `(n:Ba` completes labels, `[:FL` relation types, `n.na` property keys.
        if let colon = word.lastIndex(of: ":") {
            let head = String(word[...colon])
            let rest = String(word[word.index(after: colon)...])
            let inRelationship = before.last == "[" || before.hasSuffix("[") || line.prefix(start).last == "["
            var types: [String] = []
            for r in g.relationshipIndices.prefix(200_000) { types.append(g.typeName(of: r)) }
            let pool = inRelationship ? Array(Set(types)) : g.labels
            return matching(pool, rest).map { head + $0 }
        }
        if let dot = word.lastIndex(of: "."), dot != word.startIndex {
            let head = String(word[...dot])
            var keys: Set<String> = []
            for i in g.nodeIndices.prefix(50_000) { keys.formUnion(g.node(i).properties.keys) }
            return matching(Array(keys), String(word[word.index(after: dot)...])).map { head + $0 }
        }
        if before.hasSuffix("'") || before.hasSuffix("\"") {
            let names = g.nodeIndices.prefix(50_000).flatMap { i -> [String] in
                let n = g.node(i)
                return [n.key] + (n.name.map { [$0] } ?? []) + n.aliases
            }
            return Array(matching(names, word).prefix(200))
        }
        let labels = g.labels
        return matching(ConsoleVocabulary.keywords + labels, word)
    }
}
