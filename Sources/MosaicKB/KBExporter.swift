import Foundation
import MosaicGraph
import MosaicStore

/// Writes the statements believed at a transaction back in the kb/ format: a schema that
/// admits them and data files per entity type, every fact with its dates, sources, grading
/// and confidence, so that loading the export into an empty store gives the same graph.
public struct KBExporter {
    public let store: Store
    public init(store: Store) { self.store = store }

    /// path (relative, `kb/…`) → file text.
    public func export(asOf tx: Int64? = nil, schemaText: String? = nil) throws -> [(path: String, text: String)] {
        let statements = try store.believedStatements(asOf: tx)
        var bySubject: [String: [Statement]] = [:]
        var order: [String] = []
        var types: [String: String] = [:]
        var relationTypes: Set<String> = []
        for s in statements {
            if bySubject[s.subject] == nil { order.append(s.subject) }
            bySubject[s.subject, default: []].append(s)
            if case .entity(let t) = s.kind { types[s.subject] = t }
            if case .relation(let t, _, _) = s.kind { relationTypes.insert(t) }
        }
        var files: [String: String] = [:]
        var relations = ""
        for subject in order where types[subject] != nil {
            let ss = bySubject[subject]!
            guard let entity = ss.first(where: { if case .entity = $0.kind { return true }; return false }) else { continue }
            let type = types[subject]!
            var block = "  - id: \(KBExporter.scalar(subject))\n    type: \(KBExporter.scalar(type))\n"
            block += KBExporter.options(entity.meta, indent: "    ", block: true)
            let labels = ss.compactMap { s -> String? in if case .label(let l) = s.kind { return l }; return nil }
            if !labels.isEmpty { block += "    labels: [\(labels.map(KBExporter.scalar).joined(separator: ", "))]\n" }
            var props = ""
            for s in ss {
                switch s.kind {
                case .property(let name, let v):
                    let opts = KBExporter.options(s.meta, indent: "", block: false, relativeTo: entity.meta)
                    props += "      \(KBExporter.scalar(name)): " + (opts.isEmpty ? KBExporter.yaml(v) : "{value: \(KBExporter.yaml(v))\(opts)}") + "\n"
                case .relation(let t, let target, let p):
                    var opts = KBExporter.options(s.meta, indent: "", block: false)
                    if !p.isEmpty { opts += ", props: \(KBExporter.yaml(.map(p)))" }
                    relations += "  - [\(KBExporter.scalar(subject)), \(KBExporter.scalar(t)), \(KBExporter.scalar(target))"
                    relations += opts.isEmpty ? "]\n" : ", {\(opts.dropFirst(2))}]\n"
                default: break
                }
            }
            if !props.isEmpty { block += "    props:\n" + props }
            let file = "kb/\(KBExporter.slug(type)).yaml"
            files[file, default: "entities:\n"] += block
        }
        var out = files.keys.sorted().map { (path: $0, text: "# Exported by mosaic export --format yaml\n" + files[$0]!) }
        if !relations.isEmpty { out.append(("kb/relations.yaml", "# Exported by mosaic export --format yaml\nrelations:\n" + relations)) }
        var schema = "# Exported by mosaic export --format yaml: the types the data uses.\nrequire_sources: false\nentity_types:\n"
        for t in Set(types.values).sorted() { schema += "  \(KBExporter.scalar(t)): {}\n" }
        schema += "relation_types:\n"
        for t in relationTypes.sorted() { schema += "  \(KBExporter.scalar(t)): {}\n" }
        out.insert(("kb/schema.yaml", schemaText ?? schema), at: 0)
        return out
    }

    /// Fact options as YAML: a block (`    source: …` lines) or inline (`, since: …`).
    static func options(_ m: StatementMeta, indent: String, block: Bool, relativeTo base: StatementMeta? = nil) -> String {
        var parts: [(String, String)] = []
        if let f = m.validFrom, let t = m.validTo, f == t { parts.append(("on", scalar(f.description))) }
        else {
            if let f = m.validFrom { parts.append(("since", scalar(f.description))) }
            if let t = m.validTo { parts.append(("until", scalar(t.description))) }
        }
        if base == nil || base!.sources != m.sources {
            if !m.sources.isEmpty {
                parts.append(("sources", "[" + m.sources.map(citation).joined(separator: ", ") + "]"))
            } else if base != nil, !(base!.sources.isEmpty) {
                parts.append(("sources", "[]"))
            }
        }
        if let g = m.grading, base == nil || base!.grading != g { parts.append(("grade", g.description)) }
        if let c = m.confidence, base == nil || base!.confidence != c { parts.append(("confidence", Value.formatFloat(c))) }
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
        if plainSafe { return s }
        var out = ""
        Value.writeJSONString(s, into: &out)
        return out
    }

    static func yaml(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return Value.formatFloat(d)
        case .string(let s):
            // A string that would read back as another type stays quoted.
            return scalar(s) == s && KBCompilerInfer.isPlainString(s) ? s : { var o = ""; Value.writeJSONString(s, into: &o); return o }()
        case .date(let d): return d.description
        case .geo(let g): return "[\(Value.formatFloat(g.latitude)), \(Value.formatFloat(g.longitude))]"
        case .list(let l): return "[" + l.map(yaml).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\(scalar($0)): \(yaml(m[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}

/// Whether a bare word reads back as a string (not a number, date, boolean or null).
enum KBCompilerInfer {
    static func isPlainString(_ s: String) -> Bool {
        if case .string = KBCompiler.infer(.scalar(.init(s))) { return true }
        return false
    }
}
