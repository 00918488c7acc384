import Foundation
import MosaicGraph
import MosaicStore

/// Writes a graph as FollowTheMoney entities (`mosaic export --format ftm`, JSON Lines
/// `{id, schema, properties}` with every property a list) or as FtM statement rows
/// (`--format ftm-statements`, CSV with FtM's columns). One fact is one FtM relation: an
/// edge entity (Membership, Directorship, Ownership, Representation, Documentation,
/// UnknownLink…) carrying the fact's dates, sources (`proof`) and notes (`description`), or
/// a property of an entity where FtM models the relation so (an airplane's `operator`, an
/// event's `involved`). The mapping, and what is approximated or dropped: docs/interop.md.
public struct FtMExporter: Sendable {
    public struct Entity: Sendable {
        public var id: String
        public var schema: String
        /// The properties in the order first added, each with its values (kept sorted and
        /// distinct when written) and the Mosaic statements behind them (for first/last seen).
        /// A small array: entities have a handful of properties, and there are many entities.
        var slots: [(name: String, values: [String], statements: [Int64])] = []

        /// Whether `add` keeps the statements (only the statement rows need them).
        var keepsStatements = true

        public init(id: String, schema: String) { self.id = id; self.schema = schema }

        /// Property → values.
        public var properties: [String: [String]] {
            Dictionary(slots.map { ($0.name, $0.values) }, uniquingKeysWith: +)
        }

        mutating func add(_ prop: String, _ values: [String], statements: [Int64]) {
            guard values.contains(where: { !$0.isEmpty }) else { return }
            let statements = keepsStatements ? statements : []
            let vs = values.count == 1 ? values : values.filter { !$0.isEmpty }
            if let i = slots.firstIndex(where: { $0.name == prop }) {
                slots[i].values.append(contentsOf: vs)
                slots[i].statements.append(contentsOf: statements)
            } else {
                slots.append((prop, vs, statements))
            }
        }

        /// The properties sorted by name, each with its values sorted and distinct.
        func sortedProperties() -> [(name: String, values: [String], statements: [Int64])] {
            slots.sorted { $0.name < $1.name }.map { slot in
                if slot.values.count == 1 { return slot }
                var distinct: [String] = []
                distinct.reserveCapacity(slot.values.count)
                for v in slot.values.sorted() where v != distinct.last { distinct.append(v) }
                return (slot.name, distinct, slot.statements)
            }
        }

        /// `json`'s text, appended to UTF-8 bytes without building the JSON value.
        func writeJSON(into out: inout [UInt8]) {
            out.append(contentsOf: FtMExporter.idKey)
            Value.writeJSONString(id, into: &out)
            out.append(contentsOf: FtMExporter.schemaKey)
            Value.writeJSONString(schema, into: &out)
            out.append(contentsOf: FtMExporter.propertiesKey)
            // The slots by name (an insertion sort of their positions: a handful each).
            var order = Array(slots.indices)
            for i in order.indices.dropFirst() {
                var j = i
                while j > 0 && slots[order[j]].name < slots[order[j - 1]].name { order.swapAt(j, j - 1); j -= 1 }
            }
            for (i, k) in order.enumerated() {
                if i > 0 { out.append(0x2C) }
                Value.writeJSONString(slots[k].name, into: &out)
                out.append(0x3A); out.append(0x5B)
                if slots[k].values.count == 1 {
                    Value.writeJSONString(slots[k].values[0], into: &out)
                } else {
                    var last: String?
                    for v in slots[k].values.sorted() where v != last {
                        if last != nil { out.append(0x2C) }
                        Value.writeJSONString(v, into: &out)
                        last = v
                    }
                }
                out.append(0x5D)
            }
            out.append(0x7D); out.append(0x7D)
        }

        /// The entity as FtM JSON: `{id, schema, properties}`, properties by name, values sorted.
        public var json: Interop.JSON {
            .object([("id", .string(id)), ("schema", .string(schema)),
                     ("properties", .object(sortedProperties().map { p in (p.name, .array(p.values.map(Interop.JSON.string))) }))])
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
        ("Territory", "Territory"), ("Subdivision", "Territory"), ("Base", "Address"), ("Airport", "Address"), ("Location", "Address"), ("Address", "Address"),
        ("Aircraft", "Airplane"), ("Airplane", "Airplane"), ("Ship", "Vessel"), ("Vessel", "Vessel"),
        ("Event", "Event"), ("Article", "Article"), ("Document", "Document"), ("Position", "Position"),
    ]
    static let typeMap = Dictionary(uniqueKeysWithValues: entityTypeMap)

    static let idKey = Array(#"{"id":"#.utf8), schemaKey = Array(#","schema":"#.utf8), propertiesKey = Array(#","properties":{"#.utf8)

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
    /// Whether entities keep the Mosaic statements behind their values (for the statement
    /// rows' first and last seen; the entity export does without, and saves the memory).
    public var keepsStatements = true
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
        var trace = PhaseTrace("ftm export")
        var report = Report()
        var out = [Entity?](repeating: nil, count: g.nodes.count)
        for i in g.nodeIndices {
            let n = g.node(i)
            if n.type == FtMExporter.datasetType { continue }
            guard let schema = ftmSchema(ofType: n.type) else {
                report.dropped["entities of types with no FtM schema (\(n.type))", default: 0] += 1
                continue
            }
            if schema != n.type { report.approximated["\(n.type) written as \(schema)", default: 0] += 1 }
            var e = Entity(id: n.key, schema: schema)
            e.keepsStatements = keepsStatements
            for entry in n.entries.sorted(by: { $0.name < $1.name }) {
                entityProperty(&e, entry.name, entry.value, statement: entry.statement, report: &report)
            }
            out[Int(i)] = e
        }

        // The facts in the order of their keys; each becomes an edge entity or a property of
        // a node. Two threads each take half (the node entities are only read meanwhile);
        // then, in order, the properties are added and the edge ids made unique.
        trace.mark("nodes")
        let nodes = out
        let relationships = Array(g.relationshipIndices)
        @Sendable func keys(_ part: Range<Int>) -> [(Int32, String)] { relationships[part].map { ($0, Interop.factKey(g, $0)) } }
        let half = relationships.count / 2
        let secondKeys = BackgroundResult { keys(half..<relationships.count) }
        var facts = keys(0..<half)
        facts += secondKeys.wait()
        facts.sort { $0.1 < $1.1 }
        let sortedFacts = facts
        trace.mark("fact keys")
        let exporter = self
        @Sendable func convert(_ part: Range<Int>) -> ([Outcome], Report) {
            var report = Report()
            var outcomes: [Outcome] = []
            outcomes.reserveCapacity(part.count)
            for (r, key) in sortedFacts[part] { outcomes.append(exporter.fact(r, key: key, nodes: nodes, report: &report)) }
            return (outcomes, report)
        }
        let second = BackgroundResult { convert(sortedFacts.count / 2..<sortedFacts.count) }
        var (outcomes, firstReport) = convert(0..<sortedFacts.count / 2)
        let (more, secondReport) = second.wait()
        outcomes += more
        for r in [firstReport, secondReport] {
            report.approximated.merge(r.approximated, uniquingKeysWith: +)
            report.dropped.merge(r.dropped, uniquingKeysWith: +)
        }
        trace.mark("facts")
        var edges: [Entity] = []
        var named: [Bool] = []
        edges.reserveCapacity(outcomes.count)
        for o in outcomes {
            switch o {
            case .none: break
            case .property(let holder, let prop, let value, let claims): out[Int(holder)]!.add(prop, [value], statements: claims)
            case .edge(let e, let isNamed): edges.append(e); named.append(isNamed)
            }
        }
        outcomes = []
        let denials = g.denialClaims.count
        if denials > 0 { report.dropped["denials (FtM has no negative statement)", default: 0] += denials }
        // Sorted by id through an index (moving the entities themselves costs more); equal ids
        // keep their order (the sort is stable).
        func byID(_ list: [Entity]) -> [Int] {
            if let fast = FtMExporter.hashedOrder(list) { return fast }
            return list.enumerated().map { ($0.element.id, $0.offset) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let nodeEntities = out.compactMap { $0 }
        out = []
        var entities = byID(nodeEntities).map { nodeEntities[$0] }
        // Edge ids made of a hash of the fact key: facts with the same id (the same key) are
        // neighbours once sorted; the first (in fact order) keeps it, the others get -2, -3…
        var order = byID(edges)
        var renamed = false
        var run = 0
        while run < order.count {
            var end = run + 1
            while end < order.count && edges[order[end]].id == edges[order[run]].id { end += 1 }
            var n = 0
            for i in order[run..<end] where named[i] {
                n += 1
                if n > 1 { edges[i].id += "-\(n)"; renamed = true }
            }
            run = end
        }
        if renamed { order = byID(edges) }
        entities += order.map { edges[$0] }
        for e in entities { report.schemata[e.schema, default: 0] += 1 }
        trace.mark("ids and order")
        return (entities, report)
    }

    /// The order of ids of the form `<lower-case letters>-<16 lower-case hex digits>` (the
    /// edge ids the export makes) as the order of the text, computed on numbers: the prefix's
    /// rank among the prefixes, then the hex value (same length, and '-' sorts before any
    /// letter, so this is the text's order); ties keep their order. nil when an id has
    /// another form (an imported FtM id), for the caller to sort the text.
    static func hashedOrder(_ list: [Entity]) -> [Int]? {
        var prefixes: [Substring: Int] = [:]
        var keys: [(prefix: Substring, hex: UInt64)] = []
        keys.reserveCapacity(list.count)
        for e in list {
            let u = e.id.utf8
            guard u.count > 17 else { return nil }
            let dash = u.index(u.endIndex, offsetBy: -17)
            guard u[dash] == 0x2D else { return nil }
            var hex: UInt64 = 0
            for c in u[u.index(after: dash)...] {
                switch c {
                case 0x30...0x39: hex = hex << 4 | UInt64(c - 0x30)
                case 0x61...0x66: hex = hex << 4 | UInt64(c - 0x61 + 10)
                default: return nil
                }
            }
            let prefix = e.id[..<String.Index(dash, within: e.id)!]
            guard prefix.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
            prefixes[prefix] = 0
            keys.append((prefix, hex))
        }
        for (rank, p) in prefixes.keys.sorted().enumerated() { prefixes[p] = rank }
        let ranked = keys.enumerated().map { (rank: prefixes[$0.element.prefix]!, hex: $0.element.hex, index: $0.offset) }
        return ranked.sorted { ($0.rank, $0.hex) < ($1.rank, $1.hex) }.map(\.index)
    }

    /// What one fact becomes: nothing, a property of a node entity, or an edge entity (whose
    /// id, when `named`, is still to be made unique).
    enum Outcome: Sendable {
        case none
        case property(holder: Int32, prop: String, value: String, claims: [Int64])
        case edge(Entity, named: Bool)
    }

    /// One fact (`r`, with its key) as FtM, given the node entities (nil: not exported).
    func fact(_ r: Int32, key: String, nodes out: [Entity?], report: inout Report) -> Outcome {
        let g = graph
        let rel = g.relationship(r)
        let type = g.typeName(of: r)
        guard let srcSchema = out[Int(rel.source)]?.schema, let dstSchema = out[Int(rel.target)]?.schema else {
            if g.node(rel.source).type != FtMExporter.datasetType && g.node(rel.target).type != FtMExporter.datasetType {
                report.dropped["relations with an end that is not exported", default: 0] += 1
            }
            return .none
        }
        let srcID = g.key(ofNode: rel.source), dstID = g.key(ofNode: rel.target)
        // The statements behind the fact, for the statement rows only.
        let claims = keepsStatements ? g.claims(ofFact: r).map { g.relationship($0).statement } : []
        if g.grading(ofFact: r) != nil { report.dropped["gradings and confidence of facts (no FtM property)", default: 0] += 1 }
        let validity = g.validity(ofFact: r)
        var props = g.properties(ofRelationship: r)
        props["denied"] = nil
        // An article's publisher is a text property in FtM.
        if type == "PUBLISHED_BY", FtMModel.isA(srcSchema, "Document") {
            report.approximated["PUBLISHED_BY written as the article's publisher (a name)", default: 0] += 1
            return .property(holder: rel.source, prop: "publisher", value: g.node(rel.target).name ?? dstID, claims: claims)
        }
        // Where FtM models the relation as a property (and nothing would be lost but its sources).
        if validity.from == nil && validity.to == nil && props.isEmpty,
           let (prop, holderIsTarget) = propertyForm(type, src: srcSchema, dst: dstSchema) {
            return .property(holder: holderIsTarget ? rel.target : rel.source, prop: prop, value: holderIsTarget ? srcID : dstID, claims: claims)
        }
        var schema = FtMExporter.edgeMap[type] ?? "UnknownLink"
        if let info = FtMModel.schemata[schema], let ends = info.edge,
           !(fits(srcSchema, FtMModel.property(ends.source, of: schema)) && fits(dstSchema, FtMModel.property(ends.target, of: schema))) {
            schema = "UnknownLink"
        }
        if schema == "UnknownLink" { report.approximated["relations written as UnknownLink (role: the relation type)", default: 0] += 1 }
        let ends = FtMModel.schemata[schema]!.edge!
        let imported = props.removeValue(forKey: FtMImporter.idProperty)?.stringValue
        var e = Entity(id: imported ?? "\(schema.lowercased())-\(Interop.sha1Hex(key).prefix(16))", schema: schema)
        e.keepsStatements = keepsStatements
        e.add(ends.source, [srcID], statements: claims)
        e.add(ends.target, [dstID], statements: claims)
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
            let source = g.lookup(key: c.source)
            if let s = source, let doc = out[Int(s)], FtMModel.isA(doc.schema, "Document") {
                e.add("proof", [c.source], statements: [stmt])
            } else if source.map({ g.node($0).type }) != FtMExporter.datasetType {
                report.dropped["citations of sources that are not exported as documents", default: 0] += 1
            }
            if let note = c.note { e.add("description", [note], statements: [stmt]) }
        }
        return .edge(e, named: imported == nil)
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
        String(decoding: jsonLinesBytes(entities), as: UTF8.self)
    }

    /// The JSON Lines as UTF-8 bytes (what `json` writes, a line each), written by two
    /// threads, each half of the entities.
    public static func jsonLinesBytes(_ entities: [Entity]) -> [UInt8] {
        @Sendable func write(_ part: ArraySlice<Entity>) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(part.count * 160)
            for e in part { e.writeJSON(into: &out); out.append(0x0A) }
            return out
        }
        guard entities.count > 20_000 else { return write(entities[...]) }
        let half = entities.count / 2
        let second = BackgroundResult { write(entities[half...]) }
        var out = write(entities[..<half])
        out.append(contentsOf: second.wait())
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
            for (prop, values, statements) in e.sortedProperties() {
                let seens = statements.compactMap(seen)
                let first = seens.map(\.time).min()
                let origin = seens.map(\.origin).min() ?? ""
                if let first { firsts.append(first) }
                for value in values {
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
