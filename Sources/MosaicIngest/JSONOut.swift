import Foundation
import MosaicGraph

/// A JSON value that keeps its keys in the order written (the documented shapes are read by
/// people too).
public indirect enum JSONOut: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number written with at most two decimals (confidences).
    case number(Double)
    case string(String)
    case array([JSONOut])
    case object([(String, JSONOut)])

    public static func == (a: JSONOut, b: JSONOut) -> Bool { a.rendered() == b.rendered() }

    public func rendered() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d):
            let r = (d * 100).rounded() / 100
            out += r == r.rounded() ? String(format: "%.1f", r) : String(format: "%.2f", r).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
        case .string(let s): JSONOut.quote(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += ", " }; v.write(to: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += ", " }
                JSONOut.quote(k, into: &out); out += ": "; v.write(to: &out)
            }
            out += "}"
        }
    }

    /// A JSON string literal, escaped as the graph's own JSON writer escapes it.
    static func quote(_ s: String, into out: inout String) { Value.writeJSONString(s, into: &out) }
}

extension Mention {
    /// The documented shape: `{document, start, end, text, alias, entity | candidates[],
    /// new_entity?}` plus `kind`, and `title`, `new_alias`, `distance` when they apply.
    public func json(document: String) -> JSONOut {
        var o: [(String, JSONOut)] = [("document", .string(document)), ("start", .int(start)), ("end", .int(end)),
                                      ("text", .string(text)), ("alias", alias.map(JSONOut.string) ?? .null)]
        if let entity { o.append(("entity", .string(entity))) }
        else if kind != .new { o.append(("candidates", .array(candidates.map(JSONOut.string)))) }
        o.append(("kind", .string(kind.rawValue)))
        if let title { o.append(("title", .string(title))) }
        if let newAlias { o.append(("new_alias", .string(newAlias))) }
        if let distance { o.append(("distance", .int(distance))) }
        if kind == .new {
            o.append(("new_entity", .object([("name", .string(text)), ("type", .string(newEntityType ?? "Entity"))])))
        }
        return .object(o)
    }
}

extension DateMention {
    /// `{document, start, end, text, value, precision, from?, to?, relative}`: `value` is the
    /// partial date (`2025-10-29`, `2025-10`), or for a range `FROM/TO`; null when unanchored.
    public func json(document: String) -> JSONOut {
        var value: JSONOut = .null
        if let from {
            if precision == .range, let to { value = .string("\(from)/\(to)") } else { value = .string(from.description) }
        }
        var o: [(String, JSONOut)] = [("document", .string(document)), ("start", .int(start)), ("end", .int(end)),
                                      ("text", .string(text)), ("value", value), ("precision", .string(precision.rawValue))]
        if precision == .range {
            o.append(("from", from.map { .string($0.description) } ?? .null))
            o.append(("to", to.map { .string($0.description) } ?? .null))
        }
        o.append(("relative", .bool(relative)))
        return .object(o)
    }
}
