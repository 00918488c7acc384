import Foundation
import MosaicGraph
import MosaicStore

/// Writes the statements believed at a transaction back in the kb/ format: a schema (the
/// workspace's own, or one that admits every type used) and one data file per entity type
/// plus `kb/relations.yaml`, every fact with its dates, sources (with `via` chains), grading
/// and confidence, so that loading the export into an empty store gives the same graph.
/// The order is canonical (entities by id, properties by name, relations sorted), so the
/// same graph always exports to the same bytes.
public struct KBExporter {
    public let store: Store
    public init(store: Store) { self.store = store }

    static let header = "# Exported by mosaic export --format yaml\n"

    /// path (relative, `kb/…`) → file text, the schema first.
    public func export(asOf tx: Int64? = nil, schemaText: String? = nil) throws -> [(path: String, text: String)] {
        KBExporter.render(try store.believedStatements(asOf: tx), schemaText: schemaText)
    }

    /// Renders statements (as `Store.believedStatements` gives them) as kb files.
    public static func render(_ statements: [Statement], schemaText: String? = nil) -> [(path: String, text: String)] {
        var entity: [String: Statement] = [:]
        var labels: [String: [String]] = [:]
        var props: [String: [String: Statement]] = [:]
        var relations: [Statement] = []
        var relationProps: [String: [String: Value]] = [:]
        for s in statements.sorted(by: { $0.id < $1.id }) {
            switch s.kind {
            case .entity: entity[s.subject] = s
            case .label(let l): labels[s.subject, default: []].append(l)
            case .property: props[s.subject, default: [:]][s.kind.predicate] = s
            case .relation: relations.append(s)
            case .relationProperty(let name, let v):
                // A property set on a relation later (by a query): folded into the relation.
                if v.isNull { relationProps[s.subject]?[name] = nil } else { relationProps[s.subject, default: [:]][name] = v }
            }
        }

        var files: [String: String] = [:]
        for id in entity.keys.sorted() {
            let e = entity[id]!
            guard case .entity(let type) = e.kind else { continue }
            var block = "  - id: \(scalar(id))\n    type: \(scalar(type.isEmpty ? "Thing" : type))\n"
            block += options(e.meta, indent: "    ", block: true)
            if let ls = labels[id], !ls.isEmpty { block += "    labels: [\(ls.sorted().map(scalar).joined(separator: ", "))]\n" }
            var own = props[id] ?? [:]
            // name, aliases, description read best at the top when they carry the entity's own options.
            for key in ["name", "aliases", "description"] {
                guard let p = own[key], case .property(_, let v) = p.kind,
                      options(p.meta, indent: "", block: false, relativeTo: e.meta).isEmpty else { continue }
                block += "    \(key): \(yaml(v))\n"
                own[key] = nil
            }
            if !own.isEmpty {
                block += "    props:\n"
                for name in own.keys.sorted() {
                    guard case .property(_, let v) = own[name]!.kind else { continue }
                    let opts = options(own[name]!.meta, indent: "", block: false, relativeTo: e.meta)
                    block += "      \(scalar(name)): " + (opts.isEmpty && !isMapping(v) ? yaml(v) : "{value: \(yaml(v))\(opts)}") + "\n"
                }
            }
            let file = "kb/\(slug(type.isEmpty ? "Thing" : type)).yaml"
            files[file, default: header + "entities:\n"] += block
        }

        // Relations alike in everything (a bulk import may hold such) are one line with `times: N`.
        var copies: [String: Int] = [:]
        for r in relations {
            guard case .relation(let t, let target, var p) = r.kind else { continue }
            for (k, v) in relationProps["#\(r.id)"] ?? [:] { p[k] = v }
            var opts = options(r.meta, indent: "", block: false)
            if p.removeValue(forKey: "denied") == .bool(true) { opts += ", denied: true" }
            if !p.isEmpty { opts += ", props: \(yaml(.map(p)))" }
            copies["  - [\(scalar(r.subject)), \(scalar(t)), \(scalar(target))\u{0}\(opts)", default: 0] += 1
        }
        let lines = copies.map { key, n -> String in
            let parts = key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let opts = String(parts[1]) + (n > 1 ? ", times: \(n)" : "")
            return parts[0] + (opts.isEmpty ? "]\n" : ", {\(opts.dropFirst(2))}]\n")
        }
        var out = files.keys.sorted().map { (path: $0, text: files[$0]!) }
        if !lines.isEmpty { out.append(("kb/relations.yaml", header + "relations:\n" + lines.sorted().joined())) }

        // Without the workspace's schema, declare every type used, and the properties whose
        // values would not read back as themselves untyped (a year looks like an integer,
        // a geo point like a list).
        var entityTypes: [String: [String: String]] = [:]
        for (id, e) in entity {
            guard case .entity(let t) = e.kind else { continue }
            let type = t.isEmpty ? "Thing" : t
            entityTypes[type, default: [:]].merge(declared(props[id]?.values.compactMap { s in
                if case .property(let n, let v) = s.kind { return (n, v) }; return nil } ?? []), uniquingKeysWith: widen)
        }
        var relationTypes: [String: [String: String]] = [:]
        for r in relations {
            guard case .relation(let t, _, let p) = r.kind else { continue }
            relationTypes[t, default: [:]].merge(declared(p.map { ($0.key, $0.value) }), uniquingKeysWith: widen)
        }
        func decl(_ props: [String: String]) -> String {
            props.isEmpty ? "{}" : "{properties: {" + props.keys.sorted().map { "\(scalar($0)): \(props[$0]!)" }.joined(separator: ", ") + "}}"
        }
        var schema = "# Exported by mosaic export --format yaml: the types the data uses.\nrequire_sources: false\nentity_types:\n"
        for t in entityTypes.keys.sorted() { schema += "  \(scalar(t)): \(decl(entityTypes[t]!))\n" }
        schema += "relation_types:\n"
        for t in relationTypes.keys.sorted() { schema += "  \(scalar(t)): \(decl(relationTypes[t]!))\n" }
        out.insert(("kb/schema.yaml", schemaText ?? schema), at: 0)
        return out
    }

    /// Property types to declare so that values read back as the same kind of value.
    static func declared(_ props: [(String, Value)]) -> [String: String] {
        var out: [String: String] = [:]
        for (name, v) in props where !["name", "aliases", "description"].contains(name) {
            switch v {
            case .date: out[name] = widen(out[name], "date")
            case .geo: out[name] = widen(out[name], "geo")
            case .float: out[name] = widen(out[name], "float")
            default: out[name] = widen(out[name], "any")
            }
        }
        return out.filter { $0.value != "any" }
    }

    static func widen(_ a: String?, _ b: String) -> String { a == nil || a == b ? b : "any" }

    /// Fact options as YAML: a block (`    source: …` lines) or inline (`, since: …`); with
    /// `base`, only what differs from it (what the fact would inherit).
    static func options(_ m: StatementMeta, indent: String, block: Bool, relativeTo base: StatementMeta? = nil) -> String {
        var parts: [(String, String)] = []
        if let f = m.validFrom, let t = m.validTo, f == t { parts.append(("on", date(f))) }
        else {
            if let f = m.validFrom { parts.append(("since", date(f))) }
            if let t = m.validTo { parts.append(("until", date(t))) }
        }
        if base == nil || base!.sources != m.sources {
            if m.sources.count == 1 {
                // One source: `source:`, `via:` and `note:` options, as a person writes them.
                let (via, text) = KBProvenance.split(m.sources[0].note)
                parts.append(("source", scalar(m.sources[0].source)))
                if !via.isEmpty { parts.append(("via", via.count == 1 ? scalar(via[0]) : "[\(via.map(scalar).joined(separator: ", "))]")) }
                if let text { parts.append(("note", quoted(text))) }
            } else if !m.sources.isEmpty {
                parts.append(("sources", "[" + m.sources.map(citation).joined(separator: ", ") + "]"))
            } else if base != nil, !(base!.sources.isEmpty) {
                parts.append(("sources", "[]"))
            }
        }
        // `null` where the fact has none but would inherit one from its entity.
        if base == nil || base!.grading != m.grading {
            if let g = m.grading { parts.append(("grade", g.description)) } else if base != nil { parts.append(("grade", "null")) }
        }
        if base == nil || base!.confidence != m.confidence {
            if let c = m.confidence { parts.append(("confidence", Value.formatFloat(c))) } else if base != nil { parts.append(("confidence", "null")) }
        }
        if block { return parts.map { "\(indent)\($0.0): \($0.1)\n" }.joined() }
        return parts.map { ", \($0.0): \($0.1)" }.joined()
    }

    /// `id`, or `{id: …, via: […], note: …}` when the citation has a chain of outlets or a note.
    static func citation(_ c: Citation) -> String {
        let (via, text) = KBProvenance.split(c.note)
        if via.isEmpty && text == nil { return scalar(c.source) }
        var parts = ["id: \(scalar(c.source))"]
        if !via.isEmpty { parts.append("via: [\(via.map(scalar).joined(separator: ", "))]") }
        if let text { parts.append("note: \(quoted(text))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A date as written in kb files: plain, quoted when it holds a time (a colon).
    static func date(_ d: PartialDate) -> String { d.description.contains(":") ? quoted(d.description) : d.description }

    static func isMapping(_ v: Value) -> Bool { if case .map = v { return true }; return false }

    static func quoted(_ s: String) -> String {
        var out = ""
        Value.writeJSONString(s, into: &out)
        return out
    }

    static func slug(_ s: String) -> String {
        let lower = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(lower).isEmpty ? "untyped" : String(lower)
    }

    /// A YAML scalar: plain when unambiguous, else double-quoted (JSON escapes).
    static func scalar(_ s: String) -> String {
        let plainSafe = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            && !(s.first!.isNumber) && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(s.lowercased())
        return plainSafe ? s : quoted(s)
    }

    static func yaml(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return Value.formatFloat(d)
        case .string(let s):
            // Plain when it reads back as the same string; quoted otherwise.
            return isPlainText(s) && isPlainString(s) ? s : quoted(s)
        case .date(let d): return date(d)
        case .geo(let g): return "[\(Value.formatFloat(g.latitude)), \(Value.formatFloat(g.longitude))]"
        case .list(let l): return "[" + l.map(yaml).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\(scalar($0)): \(yaml(m[$0]!))" }.joined(separator: ", ") + "}"
        }
    }

    /// Text safe to write unquoted inside flow collections: words, spaces and a few marks,
    /// starting with a letter, no YAML indicators (`:`, `#`, `,`, brackets, quotes first).
    static func isPlainText(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter, s.last != " ", !s.contains("  ") else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || " -_.'’()/–".contains($0) }
    }

    /// Whether a bare word reads back as a string (not a number, date, boolean or null).
    static func isPlainString(_ s: String) -> Bool {
        if case .string = KBCompiler.infer(.scalar(.init(s, .implicit, .plain))) { return true }
        return false
    }
}
