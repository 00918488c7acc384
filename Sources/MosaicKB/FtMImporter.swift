import Foundation
import MosaicGraph
import MosaicStore

/// Reads FollowTheMoney entity JSON Lines (`{id, schema, properties}`, as OpenSanctions and
/// `ftm` write them) into the store, in one transaction: node schemata become entities of
/// that type (`name`, `alias` → name and aliases; other properties as they are, dates as
/// dates), edge schemata and entity-reference properties become relations, and every
/// statement cites a source entity standing for the dataset. The inverse of `FtMExporter`
/// (docs/interop.md has both tables); a bad line is an error naming it, and nothing is written.
public struct FtMImporter {
    /// The relation property that keeps an FtM edge's own id (the writer uses it again).
    public static let idProperty = "ftm_id"

    public struct Report: Sendable {
        public var entities = 0
        public var relations = 0
        public var statements = 0
        public var transaction: Int64 = 0
        public var dataset = ""
    }

    let store: Store
    public init(store: Store) { self.store = store }

    /// `ADDRESS_ENTITY` → `addressEntity`.
    public static func camel(_ s: String) -> String {
        let parts = s.lowercased().split(separator: "_")
        guard let first = parts.first else { return s }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `addressEntity` → `ADDRESS_ENTITY`.
    public static func upperSnake(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase && !out.isEmpty { out += "_" }
            out += c.uppercased()
        }
        return out
    }

    /// FtM edge schemata and the relation types they become (source → target as the edge's ends).
    static let edgeTypes: [String: String] = [
        "Membership": "MEMBER_OF", "Directorship": "DIRECTOR_OF", "Ownership": "OWNS",
        "Representation": "REPRESENTS", "Documentation": "MENTIONS", "Employment": "EMPLOYED_BY",
        "Associate": "ASSOCIATE_OF", "Family": "FAMILY_OF", "Occupancy": "HOLDS",
    ]
    /// Reference properties with a relation type of their own: (type, the relation points from
    /// the referenced entity to the holder).
    static let propertyTypes: [String: (type: String, reversed: Bool)] = [
        "operator": ("OPERATES", true), "involved": ("PARTICIPATED_IN", true), "organizer": ("ORGANIZED", true),
        "partOf": ("PART_OF", false),
    ]

    struct Line {
        var id: String
        var schema: String
        var props: [String: [String]]
        var line: Int
    }

    /// Imports one file; `dataset` names the source (default: the file's name without extension).
    public func importFile(_ path: String, dataset: String? = nil) throws -> Report {
        let file = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.badImport(file: path, line: 0, message: "cannot read the file; check the path")
        }
        let name = dataset ?? ((file as NSString).deletingPathExtension)
        let datasetID = "dataset-" + FtMImporter.slug(name)
        let origin = Origin.importFile(path: file)

        // Parse and check every line first: nothing is written unless all are good.
        var lines: [Line] = []
        var ids: Set<String> = []
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            func fail(_ m: String) -> StoreError { StoreError.badImport(file: path, line: i + 1, message: m) }
            guard case .map(let m)? = Value.decode(text) else { throw fail("not a JSON object (FtM entities are one JSON object a line)") }
            guard case .string(let id)? = m["id"], !id.isEmpty else { throw fail("the entity has no 'id'") }
            guard case .string(let schema)? = m["schema"] else { throw fail("the entity '\(id)' has no 'schema'") }
            guard FtMModel.allSchemata.contains(schema) else {
                throw fail("unknown FtM schema '\(schema)' (FtM schemata are names like Person, Organization, Ownership)")
            }
            guard !FtMModel.abstractSchemata.contains(schema) else { throw fail("'\(schema)' is an abstract FtM schema; entities must use a concrete one") }
            var props: [String: [String]] = [:]
            switch m["properties"] {
            case nil, .null?: break
            case .map(let pm)?:
                for (k, v) in pm {
                    guard case .list(let l) = v else { throw fail("property '\(k)' of '\(id)' is not a list (FtM properties are lists of strings)") }
                    props[k] = l.compactMap { x -> String? in
                        switch x { case .string(let s): s; case .null: nil; default: x.description }
                    }
                }
            default: throw fail("'properties' of '\(id)' is not an object")
            }
            if let ends = FtMModel.schemata[schema]?.edge {
                for end in [ends.source, ends.target] where (props[end] ?? []).count != 1 {
                    throw fail("the \(schema) '\(id)' needs exactly one '\(end)' (has \((props[end] ?? []).count))")
                }
            }
            for date in ["date", "startDate", "endDate"] where FtMModel.schemata[schema]?.edge != nil {
                for d in props[date] ?? [] where PartialDate(d) == nil {
                    throw fail("'\(d)' in '\(date)' of '\(id)' is not a date (YYYY, YYYY-MM, YYYY-MM-DD)")
                }
            }
            if FtMModel.schemata[schema]?.edge == nil {
                guard ids.insert(id).inserted else { throw fail("the entity '\(id)' is given twice (merge its fragments first: ftm aggregate)") }
            }
            lines.append(Line(id: id, schema: schema, props: props, line: i + 1))
        }
        let graph = store.graph
        func exists(_ id: String) -> Bool { ids.contains(id) || graph.lookup(key: id) != nil }

        // Drafts: the dataset source, the entities, then the relations.
        var drafts: [StatementDraft] = []
        let cite = StatementMeta(sources: [Citation(source: datasetID)], origin: origin)
        let plain = StatementMeta(origin: origin)
        drafts.append(StatementDraft(subject: datasetID, kind: .entity(type: FtMExporter.datasetType), meta: plain))
        drafts.append(StatementDraft(subject: datasetID, kind: .property(name: "name", value: .string(name)), meta: plain))
        drafts.append(StatementDraft(subject: datasetID, kind: .property(name: "title", value: .string("FtM dataset \(name) (\(file))")), meta: plain))
        var relations: [StatementDraft] = []
        var report = Report()
        report.dataset = datasetID
        for l in lines where FtMModel.schemata[l.schema]?.edge == nil {
            report.entities += 1
            drafts.append(StatementDraft(subject: l.id, kind: .entity(type: l.schema), meta: cite))
            var names = l.props["name"] ?? []
            var aliases: [String] = []
            if names.count > 1 { aliases = Array(names.dropFirst()); names = [names[0]] }
            aliases += l.props["alias"] ?? []
            if let n = names.first { drafts.append(StatementDraft(subject: l.id, kind: .property(name: "name", value: .string(n)), meta: cite)) }
            if !aliases.isEmpty { drafts.append(StatementDraft(subject: l.id, kind: .property(name: "aliases", value: .list(aliases.map(Value.string))), meta: cite)) }
            for (k, values) in l.props.sorted(by: { $0.key < $1.key }) where k != "name" && k != "alias" && !values.isEmpty {
                if case .entity? = FtMModel.property(k, of: l.schema) {
                    for ref in values {
                        guard exists(ref) else {
                            throw StoreError.badImport(file: path, line: l.line, message: "'\(k)' of '\(l.id)' refers to '\(ref)', which is neither in this file nor in the store")
                        }
                        var (type, reversed) = FtMImporter.propertyTypes[k] ?? (FtMImporter.upperSnake(k), false)
                        if k == "addressEntity" && FtMModel.isA(l.schema, "Event") { (type, reversed) = ("TOOK_PLACE_IN", false) }
                        let (s, o) = reversed ? (ref, l.id) : (l.id, ref)
                        relations.append(StatementDraft(subject: s, kind: .relation(type: type, target: o, properties: [:]), meta: cite))
                    }
                    continue
                }
                let isDate = FtMModel.property(k, of: l.schema) == .date
                let vs = values.map { v -> Value in isDate ? (PartialDate(v).map(Value.date) ?? .string(v)) : .string(v) }
                drafts.append(StatementDraft(subject: l.id, kind: .property(name: k, value: vs.count == 1 ? vs[0] : .list(vs)), meta: cite))
            }
        }
        for l in lines {
            guard let ends = FtMModel.schemata[l.schema]?.edge else { continue }
            let src = l.props[ends.source]![0], dst = l.props[ends.target]![0]
            for end in [src, dst] where !exists(end) {
                throw StoreError.badImport(file: path, line: l.line, message: "the \(l.schema) '\(l.id)' refers to '\(end)', which is neither in this file nor in the store")
            }
            var props = l.props
            for k in [ends.source, ends.target, "date", "startDate", "endDate", "proof", "description"] { props[k] = nil }
            var type = FtMImporter.edgeTypes[l.schema] ?? "LINKED_TO"
            if l.schema == "UnknownLink" {
                if let role = props["role"], role.count == 1, role[0].range(of: "^[A-Z][A-Z0-9_]*$", options: .regularExpression) != nil {
                    type = role[0]
                    props["role"] = nil
                }
            }
            var meta = StatementMeta(origin: origin)
            if let d = l.props["date"]?.first.flatMap(PartialDate.init) { meta.validFrom = d; meta.validTo = d }
            if let d = l.props["startDate"]?.first.flatMap(PartialDate.init) { meta.validFrom = d }
            if let d = l.props["endDate"]?.first.flatMap(PartialDate.init) { meta.validTo = d }
            let proofs = (l.props["proof"] ?? []).sorted()
            for p in proofs where !exists(p) {
                throw StoreError.badImport(file: path, line: l.line, message: "'proof' of '\(l.id)' refers to '\(p)', which is neither in this file nor in the store")
            }
            let notes = (l.props["description"] ?? []).sorted()
            for i in 0..<max(1, proofs.count, notes.count) {
                let source = proofs.isEmpty ? datasetID : proofs[min(i, proofs.count - 1)]
                meta.sources.append(Citation(source: source, note: i < notes.count ? notes[i] : nil))
            }
            var rp: [String: Value] = [FtMImporter.idProperty: .string(l.id)]
            for (k, vs) in props where !vs.isEmpty { rp[k] = vs.count == 1 ? .string(vs[0]) : .list(vs.map(Value.string)) }
            relations.append(StatementDraft(subject: src, kind: .relation(type: type, target: dst, properties: rp), meta: meta))
        }
        report.relations = relations.count
        drafts += relations
        report.statements = drafts.count
        report.transaction = try store.write(origin: .system("import"), note: origin.description) { tx in
            for d in drafts { try tx.assert(d) }
        }
        return report
    }

    static func slug(_ s: String) -> String {
        let folded = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(folded).split(separator: "-").joined(separator: "-")
    }
}
