import Foundation
import MosaicGraph

/// Writes a graph as FollowTheMoney entities (`mosaic export --format ftm`, JSON Lines
/// `{id, schema, properties}` with every property a list) or as FtM statement rows
/// (`--format ftm-statements`, CSV with FtM's columns). One fact is one FtM relation: an
/// edge entity (Membership, Directorship, Ownership, Representation, Documentation,
/// UnknownLink…) carrying the fact's dates, sources (`proof`) and notes (`description`), or
/// a property of an entity where FtM models the relation so (an airplane's `operator`, an
/// event's `involved`). The mapping, and what is approximated or dropped: docs/interop.md.
public struct FtMExporter {
    public struct Entity: Sendable {
        public var id: String
        public var schema: String
        /// Property → values (kept sorted and distinct when written).
        public var properties: [String: [String]] = [:]
        /// Property → the Mosaic statements behind its values (for first/last seen).
        var backing: [String: [Int64]] = [:]

        mutating func add(_ prop: String, _ values: [String], statements: [Int64]) {
            let vs = values.filter { !$0.isEmpty }
            guard !vs.isEmpty else { return }
            properties[prop, default: []].append(contentsOf: vs)
            backing[prop, default: []].append(contentsOf: statements)
        }

        /// The entity as FtM JSON: `{id, schema, properties}`, properties by name, values sorted.
        public var json: Interop.JSON {
            .object([("id", .string(id)), ("schema", .string(schema)),
                     ("properties", .object(properties.keys.sorted().map { k in
                         (k, .array(Array(Set(properties[k]!)).sorted().map(Interop.JSON.string)))
                     }))])
        }
    }

    /// What the export wrote, approximated and dropped (printed by `mosaic export`).
    public struct Report: Sendable {
        public var schemata: [String: Int] = [:]
        public var approximated: [String: Int] = [:]
        public var dropped: [String: Int] = [:]

        public var summary: String {
            func list(_ m: [String: Int]) -> String {
                m.isEmpty ? "none" : m.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ")
            }
            let total = schemata.values.reduce(0, +)
            return "ftm: \(total) entities (\(schemata.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))\n"
                + "ftm: approximated: \(list(approximated))\n"
                + "ftm: dropped: \(list(dropped))\n"
        }
    }

    /// Mosaic entity types and the FtM schema each is written as (a type not listed here
    /// goes by the types it extends in the schema; FtM's own schema names map to themselves).
    public static let entityTypeMap: [(String, String)] = [
        ("Person", "Person"), ("Organization", "Organization"), ("NewsOrganization", "Organization"),
        ("Government", "PublicBody"), ("Ministry", "PublicBody"), ("PublicBody", "PublicBody"),
        ("Company", "Company"), ("LegalEntity", "LegalEntity"),
        ("Country", "Territory"), ("Governorate", "Territory"), ("Region", "Territory"), ("City", "Territory"),
        ("Territory", "Territory"), ("Subdivision", "Territory"), ("Base", "Address"), ("Location", "Address"), ("Address", "Address"),
        ("Aircraft", "Airplane"), ("Airplane", "Airplane"), ("Ship", "Vessel"), ("Vessel", "Vessel"),
        ("Event", "Event"), ("Article", "Article"), ("Document", "Document"), ("Position", "Position"),
    ]
    static let typeMap = Dictionary(uniqueKeysWithValues: entityTypeMap)

    /// The type imported FtM data's dataset source has (not exported: it is where data came from).
    public static let datasetType = "Dataset"

    /// Relation types written as FtM edge schemata (source → target as the schema's ends).
    static let edgeMap: [String: String] = [
        "HOLDS_OFFICE": "Membership", "MEMBER_OF": "Membership", "LEADS": "Directorship",
        "DIRECTOR_OF": "Directorship", "OWNS": "Ownership", "REPRESENTS": "Representation",
        "MENTIONS": "Documentation", "EMPLOYED_BY": "Employment", "ASSOCIATE_OF": "Associate",
        "FAMILY_OF": "Family", "HOLDS": "Occupancy",
    ]

    /// Relation types written as an entity property: (the entity holding it is the relation's
    /// source, or its target when `reversed`), the property, the schema that must hold it.
    static let propertyRelations: [String: (prop: String, reversed: Bool)] = [
        "OPERATES": ("operator", true), "PARTICIPATED_IN": ("involved", true), "ORGANIZED": ("organizer", true),
        "TOOK_PLACE_IN": ("addressEntity", false), "PART_OF": ("partOf", false),
    ]

    public let graph: Graph
    public let schema: Schema?
    public init(graph: Graph, schema: Schema?) { self.graph = graph; self.schema = schema }

    /// The FtM schema an entity type is written as, nil when none fits.
    public func ftmSchema(ofType type: String) -> String? {
        for t in Interop.lineage(type, schema: schema) {
            if let s = FtMExporter.typeMap[t] { return s }
            if let info = FtMModel.schemata[t], info.edge == nil { return t }
        }
        return nil
    }

    /// The entities (nodes first, by id; then the relation entities, by id) and the report.
    public func entities() -> (entities: [Entity], report: Report) {
        let g = graph
        var report = Report()
        var out: [Int32: Entity] = [:]
        var order: [Int32] = []
        for i in g.nodeIndices {
            let n = g.node(i)
            if n.type == FtMExporter.datasetType { continue }
            guard let schema = ftmSchema(ofType: n.type) else {
                report.dropped["entities of types with no FtM schema (\(n.type))", default: 0] += 1
                continue
            }
            if schema != n.type { report.approximated["\(n.type) written as \(schema)", default: 0] += 1 }
            var e = Entity(id: n.key, schema: schema)
            for entry in n.entries.sorted(by: { $0.name < $1.name }) {
                entityProperty(&e, entry.name, entry.value, statement: entry.statement, report: &report)
            }
            out[i] = e
            order.append(i)
        }

        var edges: [Entity] = []
        var names = Interop.UniqueNames()
        let facts = g.relationshipIndices.map { ($0, Interop.factKey(g, $0)) }.sorted { $0.1 < $1.1 }
        for (r, key) in facts {
            let rel = g.relationship(r)
            let type = g.typeName(of: r)
            let claims = g.claims(ofFact: r).map { g.relationship($0).statement }
            guard let src = out[rel.source], let dst = out[rel.target] else {
                if g.node(rel.source).type != FtMExporter.datasetType && g.node(rel.target).type != FtMExporter.datasetType {
                    report.dropped["relations with an end that is not exported", default: 0] += 1
                }
                continue
            }
            if g.grading(ofFact: r) != nil { report.dropped["gradings and confidence of facts (no FtM property)", default: 0] += 1 }
            let validity = g.validity(ofFact: r)
            var props = g.properties(ofRelationship: r)
            props["denied"] = nil
            // An article's publisher is a text property in FtM.
            if type == "PUBLISHED_BY", FtMModel.isA(src.schema, "Document") {
                out[rel.source]!.add("publisher", [g.node(rel.target).name ?? g.node(rel.target).key], statements: claims)
                report.approximated["PUBLISHED_BY written as the article's publisher (a name)", default: 0] += 1
                continue
            }
            // Where FtM models the relation as a property (and nothing would be lost but its sources).
            if validity.from == nil && validity.to == nil && props.isEmpty,
               let (prop, holderIsTarget) = propertyForm(type, src: src.schema, dst: dst.schema) {
                let holder = holderIsTarget ? rel.target : rel.source
                let other = holderIsTarget ? src.id : dst.id
                out[holder]!.add(prop, [other], statements: claims)
                continue
            }
            var schema = FtMExporter.edgeMap[type] ?? "UnknownLink"
            if let info = FtMModel.schemata[schema], let ends = info.edge,
               !(fits(src.schema, FtMModel.property(ends.source, of: schema)) && fits(dst.schema, FtMModel.property(ends.target, of: schema))) {
                schema = "UnknownLink"
            }
            if schema == "UnknownLink" { report.approximated["relations written as UnknownLink (role: the relation type)", default: 0] += 1 }
            let ends = FtMModel.schemata[schema]!.edge!
            let id = props.removeValue(forKey: FtMImporter.idProperty)?.stringValue
                ?? names.make("\(schema.lowercased())-\(Interop.sha1Hex(key).prefix(16))")
            var e = Entity(id: id, schema: schema)
            e.add(ends.source, [src.id], statements: claims)
            e.add(ends.target, [dst.id], statements: claims)
            if schema == "UnknownLink" && !(type == "LINKED_TO" && props["role"] != nil) { e.add("role", [type], statements: claims) }
            if type == "HOLDS_OFFICE", schema == "Membership", let t = props.removeValue(forKey: "title") { e.add("role", Interop.texts(t), statements: claims) }
            if let f = validity.from, let t = validity.to, f == t {
                e.add("date", [f.description], statements: claims)
            } else {
                if let f = validity.from { e.add("startDate", [f.description], statements: claims) }
                if let t = validity.to { e.add("endDate", [t.description], statements: claims) }
            }
            for (k, v) in props.sorted(by: { $0.key < $1.key }) {
                if let t = FtMModel.property(k, of: schema), fitsValue(t, v), k != ends.source, k != ends.target {
                    e.add(k, Interop.texts(v), statements: claims)
                } else {
                    e.add("summary", Interop.texts(v).map { "\(k): \($0)" }, statements: claims)
                    report.approximated["relation properties written as summary (key: value)", default: 0] += 1
                }
            }
            for (claim, c) in g.citations(ofFact: r) {
                let stmt = g.relationship(claim).statement
                if let s = g.lookup(key: c.source), let doc = out[s], FtMModel.isA(doc.schema, "Document") {
                    e.add("proof", [c.source], statements: [stmt])
                } else if g.lookup(key: c.source).map({ g.node($0).type }) != FtMExporter.datasetType {
                    report.dropped["citations of sources that are not exported as documents", default: 0] += 1
                }
                if let note = c.note { e.add("description", [note], statements: [stmt]) }
            }
            edges.append(e)
        }
        let denials = g.denialClaims.count
        if denials > 0 { report.dropped["denials (FtM has no negative statement)", default: 0] += denials }
        var entities = order.map { out[$0]! }.sorted { $0.id < $1.id }
        entities += edges.sorted { $0.id < $1.id }
        for e in entities { report.schemata[e.schema, default: 0] += 1 }
        return (entities, report)
    }

    /// Whether an entity of `schema` fits a property's entity range.
    func fits(_ schema: String, _ type: FtMModel.PropType?) -> Bool {
        guard case .entity(let range)? = type else { return false }
        return FtMModel.isA(schema, range)
    }

    /// The property a relation type is written as between these schemata, if any: the named
    /// ones, or a relation type that is a reference property's name in upper snake case
    /// (`ADDRESS_ENTITY` → `addressEntity`, as the reader makes them).
    func propertyForm(_ type: String, src: String, dst: String) -> (String, Bool)? {
        if let (prop, reversed) = FtMExporter.propertyRelations[type] {
            let (holder, other) = reversed ? (dst, src) : (src, dst)
            if fits(other, FtMModel.property(prop, of: holder)) { return (prop, reversed) }
            return nil
        }
        let camel = FtMImporter.camel(type)
        if fits(dst, FtMModel.property(camel, of: src)) { return (camel, false) }
        return nil
    }

    /// Whether a Mosaic value can be written as this FtM property type as it is.
    func fitsValue(_ t: FtMModel.PropType, _ v: Value) -> Bool {
        let texts = Interop.texts(v)
        guard !texts.isEmpty else { return false }
        switch t {
        case .entity: return false
        case .date: return texts.allSatisfy { PartialDate($0) != nil }
        case .number: return texts.allSatisfy { Double($0) != nil }
        case .country: return texts.allSatisfy { $0.count == 2 && $0 == $0.lowercased() && $0.allSatisfy(\.isLetter) }
        case .language: return texts.allSatisfy { $0.count == 3 && $0 == $0.lowercased() }
        case .url: return texts.allSatisfy { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        default: return true
        }
    }

    /// One entity property: renamed where FtM has its own name for it, as itself when the
    /// schema has it, else kept as a note (`key: value`).
    func entityProperty(_ e: inout Entity, _ name: String, _ value: Value, statement: Int64, report: inout Report) {
        let texts = Interop.texts(value)
        let s = [statement]
        func note() {
            e.add("notes", texts.map { "\(name): \($0)" }, statements: s)
            report.approximated["entity properties written as notes (key: value)", default: 0] += 1
        }
        switch name {
        case "name": e.add("name", texts, statements: s); return
        case "aliases": e.add("alias", texts, statements: s); return
        case "description": e.add("description", texts, statements: s); return
        case "url" where !FtMModel.isA(e.schema, "Address"):
            if fitsValue(.url, value) { e.add("sourceUrl", texts, statements: s) } else { note() }
            return
        case "iso_code", "country_code":
            let codes = texts.map { $0.lowercased() }
            if e.schema == "Territory" { e.add("territoryCode", codes, statements: s) }
            if codes.allSatisfy({ $0.count == 2 }) { e.add("country", codes, statements: s) } else if e.schema != "Territory" { note() }
            return
        case "coordinates":
            if case .geo(let p) = value, e.schema == "Address" {
                e.add("latitude", [Value.formatFloat(p.latitude)], statements: s)
                e.add("longitude", [Value.formatFloat(p.longitude)], statements: s)
            } else { note() }
            return
        case "language" where FtMModel.isA(e.schema, "Document"):
            let codes = texts.map { FtMModel.languages3[$0.lowercased()] ?? $0.lowercased() }
            if codes.allSatisfy({ $0.count == 3 }) { e.add("language", codes, statements: s) } else { note() }
            return
        default: break
        }
        let renamed: String? = switch (e.schema, name) {
        case ("Person", "role"): "position"
        case ("Person", "born"), ("Person", "birth_date"): "birthDate"
        case ("Article", "date"), ("Document", "date"): "publishedAt"
        case ("Event", "topics"): "keywords"
        default: nil
        }
        let target = renamed ?? name
        if let t = FtMModel.property(target, of: e.schema), fitsValue(t, value) {
            e.add(target, texts, statements: s)
        } else {
            note()
        }
    }

    // MARK: - output

    public static func jsonLines(_ entities: [Entity]) -> String {
        var out = ""
        for e in entities { e.json.write(into: &out); out += "\n" }
        return out
    }

    /// FtM statement rows (the columns of `ftm statements -f csv`). `seen` gives a Mosaic
    /// statement's transaction time and origin; `lastSeen` is the time of the export's view.
    public static func statementsCSV(_ entities: [Entity], dataset: String, lastSeen: String?,
                                     seen: (Int64) -> (time: String, origin: String)?) -> String {
        func csv(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out = ["canonical_id", "entity_id", "prop", "prop_type", "schema", "value", "dataset", "origin", "lang",
                   "original_value", "external", "first_seen", "last_seen", "id"].map(csv).joined(separator: ",") + "\n"
        func row(_ e: Entity, _ prop: String, _ type: String, _ value: String, origin: String, first: String?, id: String) {
            out += [e.id, e.id, prop, type, e.schema, value, dataset, origin, "", "", "f", first ?? "", lastSeen ?? "", id]
                .map(csv).joined(separator: ",") + "\n"
        }
        for e in entities {
            var ids: [String] = []
            var firsts: [String] = []
            for prop in e.properties.keys.sorted() {
                let seens = (e.backing[prop] ?? []).compactMap(seen)
                let first = seens.map(\.time).min()
                let origin = seens.map(\.origin).min() ?? ""
                if let first { firsts.append(first) }
                for value in Array(Set(e.properties[prop]!)).sorted() {
                    let id = Interop.sha1Hex("\(dataset).\(e.id).\(prop).\(value)")
                    ids.append(id)
                    row(e, prop, propTypeName(prop, e.schema), value, origin: origin, first: first, id: id)
                }
            }
            let checksum = Interop.hex(Interop.sha1(Array(e.schema.utf8) + ids.sorted().flatMap { Array($0.utf8) }))
            row(e, "id", "id", checksum, origin: "", first: firsts.min(), id: Interop.sha1Hex("\(dataset).\(e.id).id.\(checksum)"))
        }
        return out
    }

    static func propTypeName(_ prop: String, _ schema: String) -> String {
        switch FtMModel.property(prop, of: schema) {
        case .entity?: "entity"
        case .name?: "name"
        case .date?: "date"
        case .number?: "number"
        case .url?: "url"
        case .country?: "country"
        case .language?: "language"
        case .identifier?: "identifier"
        case .text?: ["summary", "notes", "description", "biography"].contains(prop) ? "text" : "string"
        case nil: "string"
        }
    }
}
