import Foundation
import MosaicGraph
import Yams

/// Reads `kb/schema.yaml` into a `Schema`, reporting every problem with its position.
enum KBSchemaParser {
    static let builtinProperties: [String: Schema.PropertyType] = ["name": .string, "aliases": .list, "description": .string]

    static func parse(_ text: String, path: String) -> (Schema, [KBDiagnostic]) {
        var schema = Schema()
        var diags: [KBDiagnostic] = []
        func err(_ n: Yams.Node?, _ m: String) {
            diags.append(KBDiagnostic(file: path, line: n?.mark?.line ?? 1, column: n?.mark?.column ?? 1, message: m))
        }
        let (root, syntax) = KBParser.compose(text, path: path)
        if let syntax { return (schema, [syntax]) }
        guard let top = root?.mapping else {
            err(root, "the schema is a mapping with entity_types and relation_types")
            return (schema, diags)
        }
        func properties(_ n: Yams.Node?) -> [String: Schema.PropertyType] {
            var out: [String: Schema.PropertyType] = [:]
            guard let n else { return out }
            guard let m = n.mapping else { err(n, "properties is a mapping of name: type"); return out }
            for (k, v) in m {
                guard let t = v.string.flatMap(Schema.PropertyType.init(rawValue:)) else {
                    err(v, "unknown property type '\(v.string ?? "")'\(Suggest.hint(v.string ?? "", Schema.PropertyType.allCases.map(\.rawValue))) (types: \(Schema.PropertyType.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                out[k.string ?? ""] = t
            }
            return out
        }
        func names(_ n: Yams.Node?) -> [String] {
            guard let n else { return [] }
            if let s = n.string { return [s] }
            return n.sequence?.compactMap(\.string) ?? []
        }
        for (k, v) in top {
            switch k.string ?? "" {
            case "strict": schema.strict = v.bool ?? false
            case "require_sources": schema.requireSources = v.bool ?? true
            case "entity_types":
                for (tk, tv) in v.mapping ?? [:] {
                    let name = tk.string ?? ""
                    var t = Schema.EntityType(name: name)
                    if let m = tv.mapping {
                        for (ok, _) in m where !["extends", "properties", "description"].contains(ok.string ?? "") {
                            err(ok, "unknown key '\(ok.string ?? "")' in entity type \(name) (extends, properties, description)")
                        }
                        t.parent = m["extends"]?.string
                        t.properties = properties(m["properties"])
                        t.description = m["description"]?.string
                    }
                    schema.entityTypes[name] = t
                }
            case "relation_types":
                for (rk, rv) in v.mapping ?? [:] {
                    let name = rk.string ?? ""
                    var r = Schema.RelationType(name: name)
                    if let m = rv.mapping {
                        for (ok, _) in m where !["from", "to", "properties", "description", "functional", "excludes"].contains(ok.string ?? "") {
                            err(ok, "unknown key '\(ok.string ?? "")' in relation type \(name) (from, to, properties, description, functional, excludes)")
                        }
                        r.from = names(m["from"]); r.to = names(m["to"])
                        if let f = m["functional"] {
                            switch f.string?.lowercased() {
                            case "true"?, "yes"?: r.functional = true
                            case "false"?, "no"?: r.functional = false
                            default: err(f, "'functional' is true (one object per subject at a time) or false")
                            }
                        }
                        r.excludes = names(m["excludes"])
                        r.properties = properties(m["properties"])
                        r.description = m["description"]?.string
                    }
                    schema.relationTypes[name] = r
                }
            default:
                let keys = ["strict", "require_sources", "entity_types", "relation_types"]
                err(k, "unknown schema key '\(k.string ?? "")'\(Suggest.hint(k.string ?? "", keys)) (\(keys.joined(separator: ", ")))")
            }
        }
        // Every referenced type must exist, and `extends` must not loop.
        let known = Array(schema.entityTypes.keys)
        for (name, t) in schema.entityTypes {
            if let p = t.parent, schema.entityTypes[p] == nil {
                err(top["entity_types"]?.mapping?[name]?.mapping?["extends"], "\(name) extends unknown type '\(p)'\(Suggest.hint(p, known))")
            }
            if schema.lineage(of: name).count > 1, schema.lineage(of: name).last.flatMap({ schema.entityTypes[$0]?.parent }) != nil {
                err(top["entity_types"]?.mapping?[name], "the 'extends' chain of \(name) loops back on itself")
            }
        }
        for (name, r) in schema.relationTypes {
            for t in r.excludes where schema.relationTypes[t] == nil {
                err(top["relation_types"]?.mapping?[name]?.mapping?["excludes"], "relation type \(name) excludes unknown relation type '\(t)'\(Suggest.hint(t, Array(schema.relationTypes.keys)))")
            }
            for t in r.from + r.to where schema.entityTypes[t] == nil {
                err(top["relation_types"]?.mapping?[name], "relation type \(name) names unknown entity type '\(t)'\(Suggest.hint(t, known))")
            }
        }
        return (schema, diags)
    }
}
