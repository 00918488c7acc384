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
        /// The (property, value) pairs in the order added; written sorted and distinct. One
        /// flat array: entities have a handful of values, and there are many entities.
        var pairs: [(name: String, value: String)] = []
        /// The Mosaic statements behind each property's values (for the statement rows' first
        /// and last seen), kept only when `keepsStatements`.
        var statements: [(name: String, ids: [Int64])] = []

        /// Whether `add` keeps the statements (only the statement rows need them).
        var keepsStatements = true

        public init(id: String, schema: String) { self.id = id; self.schema = schema; pairs.reserveCapacity(6) }

        /// Property → values.
        public var properties: [String: [String]] {
            Dictionary(uniqueKeysWithValues: sortedProperties().map { ($0.name, $0.values) })
        }

        mutating func add(_ prop: String, _ values: [String], statements ids: [Int64]) {
            var added = false
            for v in values where !v.isEmpty { pairs.append((prop, v)); added = true }
            guard added, keepsStatements else { return }
            if let i = statements.firstIndex(where: { $0.name == prop }) {
                statements[i].ids.append(contentsOf: ids)
            } else {
                statements.append((prop, ids))
            }
        }

        /// The positions of `pairs` by property name, then value.
        func sortedPairs() -> [Int] {
            pairs.indices.sorted { pairs[$0].name < pairs[$1].name || (pairs[$0].name == pairs[$1].name && pairs[$0].value < pairs[$1].value) }
        }

        /// The properties sorted by name, each with its values sorted and distinct.
        func sortedProperties() -> [(name: String, values: [String], statements: [Int64])] {
            var out: [(name: String, values: [String], statements: [Int64])] = []
            for k in sortedPairs() {
                let (name, value) = pairs[k]
                if out.last?.name == name {
                    if out[out.count - 1].values.last != value { out[out.count - 1].values.append(value) }
                } else {
                    out.append((name, [value], statements.first { $0.name == name }?.ids ?? []))
                }
            }
            return out
        }

        /// `json`'s text, appended to UTF-8 bytes without building the JSON value; returns
        /// where the id's text ends in `out` (for a suffix added later).
        @discardableResult
        func writeJSON(into out: inout [UInt8]) -> Int {
            out.append(contentsOf: FtMExporter.idKey)
            Value.writeJSONString(id, into: &out)
            let idEnd = out.count - 1
            out.append(contentsOf: FtMExporter.schemaKey)
            Value.writeJSONString(schema, into: &out)
            out.append(contentsOf: FtMExporter.propertiesKey)
            var last: (name: String, value: String)?
            for k in sortedPairs() {
                let (name, value) = pairs[k]
                if let l = last, l.name == name {
                    if l.value == value { continue }
                    out.append(0x2C)
                } else {
                    if last != nil { out.append(0x5D); out.append(0x2C) }
                    Value.writeJSONString(name, into: &out)
                    out.append(0x3A); out.append(0x5B)
                }
                Value.writeJSONString(value, into: &out)
                last = (name, value)
            }
            if last != nil { out.append(0x5D) }
            out.append(0x7D); out.append(0x7D)
            return idEnd
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
        var (nodes, report) = nodeEntities()
        let (edges, order) = edgeEntities(nodes: &nodes, report: &report) { e in e }
        var entities = nodes.compactMap { $0 }
        entities.sort { $0.id < $1.id }
        entities.reserveCapacity(entities.count + order.count)
        for (i, suffix) in order {
            var e = edges[i].payload
            if suffix > 1 { e.id += "-\(suffix)" }
            entities.append(e)
        }
        for e in entities { report.schemata[e.schema, default: 0] += 1 }
        return (entities, report)
    }

    /// The entities as JSON Lines (what `Entity.json` writes, a line each, in the order of
    /// `entities()`), made without keeping the relation entities: each is written as it is
    /// made, by two threads, then the lines are put in order.
    public func jsonLines() -> (bytes: [UInt8], report: Report) {
        var trace = PhaseTrace("ftm export")
        var (nodes, report) = nodeEntities()
        trace.mark("nodes")
        let (edges, order) = edgeEntities(nodes: &nodes, report: &report) { e -> Line in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(256)
            let idEnd = e.writeJSON(into: &bytes)
            return Line(bytes: bytes, idEnd: idEnd, schema: e.schema)
        }
        trace.mark("relations")
        var entities = nodes.compactMap { $0 }
        nodes = []
        entities.sort { $0.id < $1.id }
        for e in entities { report.schemata[e.schema, default: 0] += 1 }
        for e in edges { report.schemata[e.payload.schema, default: 0] += 1 }
        var out = FtMExporter.jsonLinesBytes(entities)
        out.reserveCapacity(out.count + edges.reduce(0) { $0 + $1.payload.bytes.count + 1 } + 8 * order.count)
        for (i, suffix) in order {
            let line = edges[i].payload
            if suffix > 1 {
                out.append(contentsOf: line.bytes[..<line.idEnd])
                out.append(0x2D)
                out.append(contentsOf: String(suffix).utf8)
                out.append(contentsOf: line.bytes[line.idEnd...])
            } else {
                out.append(contentsOf: line.bytes)
            }
            out.append(0x0A)
        }
        trace.mark("JSON lines")
        return (out, report)
    }

    /// A relation entity's JSON line (without its newline), where its id's text ends (before
    /// the closing quote: a "-n" goes there), and its schema.
    struct Line: Sendable {
        var bytes: [UInt8]
        var idEnd: Int
        var schema: String
    }

    /// The node entities, by node index (nil: not exported), and the report so far.
    func nodeEntities() -> ([Entity?], Report) {
        let g = graph
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
        let denials = graph.denialClaims.count
        if denials > 0 { report.dropped["denials (FtM has no negative statement)", default: 0] += denials }
        return (out, report)
    }

    /// A relation entity made from a fact, with what ordering needs: its id as made, the fact,
    /// whether the id was made here (a repeated made id takes "-2", "-3"…), and the payload.
    struct Edge<Payload: Sendable>: Sendable {
        var id: EdgeID
        var fact: Int32
        var named: Bool
        var payload: Payload
    }

    /// An edge id: of the form the export makes (`<lower-case letters>-<16 hex digits>`, kept as
    /// the prefix and the number, which order as the text does), or any other text.
    enum EdgeID: Sendable {
        case hashed(prefix: String, hex: UInt64)
        case text(String)

        init(_ id: String) {
            let u = id.utf8
            if u.count > 17 {
                let dash = u.index(u.endIndex, offsetBy: -17)
                var hex: UInt64 = 0
                var ok = u[dash] == 0x2D
                for c in u[u.index(after: dash)...] where ok {
                    switch c {
                    case 0x30...0x39: hex = hex << 4 | UInt64(c - 0x30)
                    case 0x61...0x66: hex = hex << 4 | UInt64(c - 0x61 + 10)
                    default: ok = false
                    }
                }
                let prefix = id[..<String.Index(dash, within: id)!]
                if ok && prefix.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { self = .hashed(prefix: String(prefix), hex: hex); return }
            }
            self = .text(id)
        }

        var text: String {
            switch self {
            case .hashed(let prefix, let hex):
                let digits = String(hex, radix: 16)
                return prefix + "-" + String(repeating: "0", count: 16 - digits.count) + digits
            case .text(let t): return t
            }
        }
    }

    /// The relation entities (each fact converted by `fact`, on two threads, each half of the
    /// facts; the properties it adds to node entities go into `nodes`), and their order by id
    /// with each one's "-n" suffix (0: none). Facts with the same made id are told apart in
    /// the order of their keys: the first keeps the id.
    func edgeEntities<P: Sendable>(nodes: inout [Entity?], report: inout Report,
                                   _ payload: @escaping @Sendable (Entity) -> P) -> ([Edge<P>], [(Int, Int)]) {
        let g = graph
        let exporter = self
        let frozen = nodes
        let relationships = Array(g.relationshipIndices)
        @Sendable func convert(_ part: Range<Int>) -> (edges: [Edge<P>], properties: [(Int32, String, String, [Int64])], report: Report) {
            var report = Report()
            var edges: [Edge<P>] = []
            var properties: [(Int32, String, String, [Int64])] = []
            edges.reserveCapacity(part.count)
            for r in relationships[part] {
                switch exporter.fact(r, nodes: frozen, report: &report) {
                case .none: break
                case .property(let holder, let prop, let value, let claims): properties.append((holder, prop, value, claims))
                case .edge(let e, let id, let named): edges.append(Edge(id: id, fact: r, named: named, payload: payload(e)))
                }
            }
            return (edges, properties, report)
        }
        let half = relationships.count / 2
        let second = BackgroundResult { convert(half..<relationships.count) }
        let first = convert(0..<half)
        let other = second.wait()
        var edges = first.edges
        edges += other.edges
        for part in [first, other] {
            report.approximated.merge(part.report.approximated, uniquingKeysWith: +)
            report.dropped.merge(part.report.dropped, uniquingKeysWith: +)
            for (holder, prop, value, claims) in part.properties { nodes[Int(holder)]!.add(prop, [value], statements: claims) }
        }
        return (edges, order(edges))
    }

    /// The edges' positions in the order of their ids' text, each with its "-n" suffix (0: none).
    func order<P>(_ edges: [Edge<P>]) -> [(Int, Int)] {
        // Ids of the made form sort by number (prefix rank, then value); any other id by text.
        var hashed = true
        var prefixes: [String: Int] = [:]
        for e in edges {
            guard case .hashed(let prefix, _) = e.id else { hashed = false; break }
            prefixes[prefix] = 0
        }
        var order = Array(edges.indices)
        let same: (Int, Int) -> Bool
        if hashed {
            for (rank, p) in prefixes.keys.sorted().enumerated() { prefixes[p] = rank }
            let keys = edges.map { e -> (Int, UInt64) in
                guard case .hashed(let prefix, let hex) = e.id else { return (0, 0) }
                return (prefixes[prefix]!, hex)
            }
            order.sort { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            same = { keys[$0] == keys[$1] }
        } else {
            let texts = edges.map(\.id.text)
            order.sort { texts[$0] < texts[$1] || (texts[$0] == texts[$1] && $0 < $1) }
            same = { texts[$0] == texts[$1] }
        }
        // Runs of one id: in the order of the facts' keys, the first made id keeps it, the
        // others take -2, -3…; then the run goes in the order of the final ids' text.
        var suffixes = [Int](repeating: 0, count: edges.count)
        var renamed = false
        var run = 0
        while run < order.count {
            var end = run + 1
            while end < order.count && same(order[run], order[end]) { end += 1 }
            if end - run > 1 {
                var keyed: [(key: String, edge: Int)] = order[run..<end].map { (Interop.factKey(graph, edges[$0].fact), $0) }
                keyed.sort { (a, b) -> Bool in a.key < b.key || (a.key == b.key && a.edge < b.edge) }
                var n = 0
                for (_, i) in keyed where edges[i].named {
                    n += 1
                    if n > 1 { suffixes[i] = n; renamed = true }
                }
                let base = edges[order[run]].id.text
                var finals: [(id: String, rank: Int, edge: Int)] = []
                for (rank, k) in keyed.enumerated() {
                    finals.append((suffixes[k.edge] > 1 ? base + "-" + String(suffixes[k.edge]) : base, rank, k.edge))
                }
                finals.sort { (a, b) -> Bool in a.id < b.id || (a.id == b.id && a.rank < b.rank) }
                order.replaceSubrange(run..<end, with: finals.map(\.edge))
            }
            run = end
        }
        // Ids of any form: a "-n" can move an id past others (`a-2` after `a-1x`), so the text
        // order is made again (the made form cannot: its ids differ before the suffix).
        if renamed && !hashed {
            let finals = edges.indices.map { suffixes[$0] > 1 ? edges[$0].id.text + "-\(suffixes[$0])" : edges[$0].id.text }
            let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
            order.sort { finals[$0] < finals[$1] || (finals[$0] == finals[$1] && position[$0]! < position[$1]!) }
        }
        return order.map { ($0, suffixes[$0]) }
    }

    /// What one fact becomes: nothing, a property of a node entity, or a relation entity with
    /// its id (which, when `named`, was made here and is still to be made unique).
    enum Outcome: Sendable {
        case none
        case property(holder: Int32, prop: String, value: String, claims: [Int64])
        case edge(Entity, id: EdgeID, named: Bool)
    }

    /// One fact (`r`) as FtM, given the node entities (nil: not exported).
    func fact(_ r: Int32, nodes out: [Entity?], report: inout Report) -> Outcome {
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
        let claimList = g.claims(ofFact: r)
        let claims = keepsStatements ? claimList.map { g.relationship($0).statement } : []
        if claimList.contains(where: { g.relationship($0).grading != nil }) {
            report.dropped["gradings and confidence of facts (no FtM property)", default: 0] += 1
        }
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
        let citations = g.citations(ofFact: r)
        let id: EdgeID
        let imported = props.removeValue(forKey: FtMImporter.idProperty)?.stringValue
        if let imported {
            id = EdgeID(imported)
        } else {
            let key = Interop.factKey(type: type, source: srcID, target: dstID, validity: validity,
                                      properties: g.properties(ofRelationship: r), citations: citations.map(\.citation))
            id = .hashed(prefix: schema.lowercased(), hex: Interop.sha1Prefix64(key))
        }
        var e = Entity(id: id.text, schema: schema)
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
        for (claim, c) in citations {
            let stmt = g.relationship(claim).statement
            let source = g.lookup(key: c.source)
            if let s = source, let doc = out[Int(s)], FtMModel.isA(doc.schema, "Document") {
                e.add("proof", [c.source], statements: [stmt])
            } else if source.map({ g.node($0).type }) != FtMExporter.datasetType {
                report.dropped["citations of sources that are not exported as documents", default: 0] += 1
            }
            if let note = c.note { e.add("description", [note], statements: [stmt]) }
        }
        return .edge(e, id: id, named: imported == nil)
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
