import ArgumentParser
import Foundation
import MosaicGraph
import MosaicStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count entities, relations and statements.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var read: ReadOptions

    func run() throws {
        var trace = PhaseTrace("stats")
        let ws = try options.open()
        trace.mark("open workspace")
        let g = try read.graph(ws)  // (freed by the process's exit, not one allocation at a time)
        // Counted from the label index and the counts by relation type the graph keeps.
        var entityTypes: [String: Int] = [:]
        for (t, n) in g.nodeCountsByType() { entityTypes[t.isEmpty ? "(none)" : t, default: 0] += n }
        var relationTypes: [String: Int] = [:]
        for t in g.relationTypes {
            let n = g.relationshipCount(ofType: t)
            if n > 0 { relationTypes[t, default: 0] += n }
        }
        trace.mark("count")
        let txs = try ws.store.transactions(limit: 1)
        let report: [String: Value] = [
            "entities": .int(Int64(g.liveNodeCount)), "relations": .int(Int64(g.liveRelationshipCount)),
            "entity_types": .map(entityTypes.mapValues { .int(Int64($0)) }),
            "relation_types": .map(relationTypes.mapValues { .int(Int64($0)) }),
            "transaction": .int(g.transaction),
            "last_write": txs.first.map { .string(ISO8601DateFormatter().string(from: $0.time)) } ?? .null,
        ]
        if json { print(JSONText.pretty(.map(report))); return }
        print("\(g.liveNodeCount) entities, \(g.liveRelationshipCount) relations (transaction \(g.transaction))")
        print("\nentity types:")
        for (t, n) in entityTypes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { print("  \(pad(t, 22)) \(n)") }
        print("\nrelation types:")
        for (t, n) in relationTypes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { print("  \(pad(t, 22)) \(n)") }
    }
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

/// Pretty JSON of Mosaic values with sorted keys (stable output for diffs and goldens).
enum JSONText {
    static func pretty(_ v: Value, indent: String = "") -> String {
        let inner = indent + "  "
        switch v {
        case .list(let l) where !l.isEmpty:
            return "[\n" + l.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .map(let m) where !m.isEmpty:
            return "{\n" + m.keys.sorted().map { k in
                var key = ""
                Value.writeJSONString(k, into: &key)
                return inner + key + ": " + pretty(m[k]!, indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
        case .date(let d): return "\"\(d.description)\""
        case .geo(let g): return "[\(Value.formatFloat(g.latitude)), \(Value.formatFloat(g.longitude))]"
        default: return v.encoded
        }
    }

    /// One line of JSON (dates as strings).
    static func compact(_ v: Value) -> String {
        switch v {
        case .date(let d): return "\"\(d.description)\""
        case .geo(let g): return "[\(Value.formatFloat(g.latitude)),\(Value.formatFloat(g.longitude))]"
        case .list(let l): return "[" + l.map(compact).joined(separator: ",") + "]"
        case .map(let m):
            return "{" + m.keys.sorted().map { k in
                var key = ""
                Value.writeJSONString(k, into: &key)
                return key + ":" + compact(m[k]!)
            }.joined(separator: ",") + "}"
        default: return v.encoded
        }
    }
}
