import Foundation
import MosaicGraph

/// Renders a result table as JSON with typed values: one object per row, keys in column
/// order. `.array` writes one array (an object per line inside it), `.lines` writes JSON
/// Lines (one object per line, nothing else). Numbers stay numbers, entities become
/// `{"id","name","type"}`, relations `{"id","type","from","to"}`, dates strings.
public struct ResultJSONRenderer: Sendable {
    public enum Style: Sendable { case array, lines }
    public var style: Style

    public init(style: Style = .array) { self.style = style }

    public func render(_ table: ResultTable) -> String {
        let objects = table.rows.indices.map { r in
            "{" + table.columns.indices.map { c in
                JSONText.string(table.columns[c]) + ": " + JSONText.value(table.cell(r, c).value)
            }.joined(separator: ", ") + "}"
        }
        switch style {
        case .lines:
            return objects.map { $0 + "\n" }.joined()
        case .array:
            if objects.isEmpty { return "[]\n" }
            return "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
        }
    }
}

/// Minimal JSON writing for result values.
enum JSONText {
    static func value(_ v: CellValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : "null"
        case .string(let s), .date(let s): return string(s)
        case .entity(let id, let name, let type):
            return object([("id", string(id)), ("name", string(name)), ("type", string(type))])
        case .relation(let id, let type, let from, let to, let fact):
            var fields: [(String, String)] = []
            if let id { fields.append(("id", string(id))) }
            fields += [("type", string(type)), ("from", string(from)), ("to", string(to))]
            fields += fact.map { ($0.key, value($0.value)) }
            return object(fields)
        case .list(let items): return "[" + items.map(value).joined(separator: ", ") + "]"
        case .map(let entries): return object(entries.map { ($0.key, value($0.value)) })
        }
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }

    static func string(_ s: String) -> String {
        var out = ""
        Value.writeJSONString(s, into: &out)
        return out
    }
}
