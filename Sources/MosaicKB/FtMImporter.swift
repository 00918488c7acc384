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

    struct Line: Sendable {
        var id: String
        var schema: String
        var props: FtMProperties
        var line: Int
        /// An edge's first `date`, `startDate` and `endDate`, read when the line was checked.
        var dates: (date: PartialDate?, start: PartialDate?, end: PartialDate?) = (nil, nil, nil)
    }

    /// Imports one file; `dataset` names the source (default: the file's name without extension).
    /// Every line is checked before anything is written; the statements then go in as one
    /// transaction through the store's bulk path (`Store.writeBulk`). Parsing and the drafts
    /// are made by two threads, each half of the file.
    public func importFile(_ path: String, dataset: String? = nil) throws -> Report {
        var trace = PhaseTrace("ftm import")
        let file = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.badImport(file: path, line: 0, message: "cannot read the file; check the path")
        }
        let name = dataset ?? ((file as NSString).deletingPathExtension)
        let datasetID = "dataset-" + FtMImporter.slug(name)
        let origin = Origin.importFile(path: file)
        let bytes = [UInt8](data)
        // Where each line starts and ends.
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(bytes.count / 100)
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            for i in 0..<b.count where b[i] == 0x0A {
                ranges.append(start..<i)
                start = i + 1
            }
            if start < b.count { ranges.append(start..<b.count) }
        }
        trace.mark("read")

        // Parse and check every line first: nothing is written unless all are good.
        let half = ranges.count / 2
        let allRanges = ranges
        let secondHalf = BackgroundResult { FtMImporter.parse(bytes, allRanges, half..<allRanges.count, path: path) }
        let (firstLines, firstError) = FtMImporter.parse(bytes, ranges, 0..<half, path: path)
        let (secondLines, secondError) = secondHalf.wait()
        var lines = firstLines
        lines += secondLines
        let parseError = firstError ?? secondError
        // Each entity once (checked in file order, up to the first line that did not parse).
        var ids: Set<String> = []
        ids.reserveCapacity(lines.count)
        for l in lines where FtMModel.schemata[l.schema]?.edge == nil {
            if let parseError, case .badImport(_, let at, _) = parseError, at < l.line { break }
            guard ids.insert(l.id).inserted else {
                throw StoreError.badImport(file: path, line: l.line, message: "the entity '\(l.id)' is given twice (merge its fragments first: ftm aggregate)")
            }
        }
        if let parseError { throw parseError }
        trace.mark("parse")

        // Drafts: the dataset source, the entities, then the relations.
        let graph = store.graph
        let context = DraftContext(ids: ids, graph: graph, datasetID: datasetID, origin: origin, path: path)
        let allLines = lines
        let split = lines.count / 2
        let secondDrafts = BackgroundResult { context.drafts(allLines[split...]) }
        let firstDrafts = context.drafts(lines[..<split])
        let other = secondDrafts.wait()
        lines = []
        for part in [firstDrafts, other] { if let e = part.error { throw e } }
        trace.mark("drafts")
        let plain = StatementMeta(origin: origin)
        let head: [StatementDraft] = [
            StatementDraft(subject: datasetID, kind: .entity(type: FtMExporter.datasetType), meta: plain),
            StatementDraft(subject: datasetID, kind: .property(name: "name", value: .string(name)), meta: plain),
            StatementDraft(subject: datasetID, kind: .property(name: "title", value: .string("FtM dataset \(name) (\(file))")), meta: plain),
        ]
        // The statements in order: the dataset, the entities, the reference relations, the
        // edge relations (each from both halves), as segments (not copied into one array).
        var segments = [head]
        var at = [[0, 0, 0]]
        let parts: [(KeyPath<Drafts, [StatementDraft]>, KeyPath<Drafts, [Int]>)] =
            [(\.entities, \.entityLines), (\.references, \.referenceLines), (\.edges, \.edgeLines)]
        for (part, lines) in parts {
            for d in [firstDrafts, other] {
                segments.append(d[keyPath: part])
                at.append(d[keyPath: lines])
            }
        }
        var report = Report()
        report.dataset = datasetID
        report.entities = firstDrafts.entityCount + other.entityCount
        report.relations = firstDrafts.references.count + other.references.count + firstDrafts.edges.count + other.edges.count
        report.statements = segments.reduce(0) { $0 + $1.count }
        trace.mark("assemble")
        report.transaction = try store.writeBulk(segments: segments, origin: .system("import"), note: origin.description, file: path, lines: at).transaction
        trace.mark("write")
        return report
    }

    /// Parses the lines `part` of `ranges`: the good ones, and the first error.
    static func parse(_ bytes: [UInt8], _ ranges: [Range<Int>], _ part: Range<Int>, path: String) -> ([Line], StoreError?) {
        var lines: [Line] = []
        lines.reserveCapacity(part.count)
        for i in part {
            let raw = bytes[ranges[i]]
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                lines.append(try parseLine(raw, line: i + 1, path: path))
            } catch let e as StoreError {
                return (lines, e)
            } catch {
                return (lines, StoreError.badImport(file: path, line: i + 1, message: "\(error)"))
            }
        }
        return (lines, nil)
    }

    /// One line: an FtM entity, checked (schema known and concrete, properties lists, an edge's
    /// ends, dates of edges).
    static func parseLine(_ text: ArraySlice<UInt8>, line: Int, path: String) throws -> Line {
        func fail(_ m: String) -> StoreError { StoreError.badImport(file: path, line: line, message: m) }
        let id: String, schema: String
        var props = FtMProperties()
        if let e = FtMLineScanner.scan(text) {
            (id, schema, props) = (e.id, e.schema, e.properties)
        } else {
            // Not the usual shape: the general parser (slower, and it says what is wrong).
            guard case .map(let m)? = Value.decode(utf8: Array(text)) else { throw fail("not a JSON object (FtM entities are one JSON object a line)") }
            guard case .string(let i)? = m["id"] else { throw fail("the entity has no 'id'") }
            guard case .string(let s)? = m["schema"] else { throw fail("the entity '\(i)' has no 'schema'") }
            (id, schema) = (i, s)
            switch m["properties"] {
            case nil, .null?: break
            case .map(let pm)?:
                for (k, v) in pm.sorted(by: { $0.key < $1.key }) {
                    guard case .list(let l) = v else { throw fail("property '\(k)' of '\(id)' is not a list (FtM properties are lists of strings)") }
                    _ = props.add(k, l.compactMap { x -> String? in
                        switch x { case .string(let s): s; case .null: nil; default: x.description }
                    })
                }
            default: throw fail("'properties' of '\(id)' is not an object")
            }
        }
        guard !id.isEmpty else { throw fail("the entity has no 'id'") }
        guard FtMModel.allSchemata.contains(schema) else {
            throw fail("unknown FtM schema '\(schema)' (FtM schemata are names like Person, Organization, Ownership)")
        }
        guard !FtMModel.abstractSchemata.contains(schema) else { throw fail("'\(schema)' is an abstract FtM schema; entities must use a concrete one") }
        if let problem = WriteValidation.checkIdentifier(id, as: .entityID) { throw fail(problem) }
        for (k, values) in props {
            if let problem = WriteValidation.checkIdentifier(k, as: .propertyName) { throw fail(problem) }
            if let problem = values.lazy.compactMap({ WriteValidation.checkValue(.string($0)) }).first { throw fail("'\(k)' of '\(id)': \(problem)") }
        }
        if let ends = FtMModel.schemata[schema]?.edge {
            for end in [ends.source, ends.target] where (props[end] ?? []).count != 1 {
                throw fail("the \(schema) '\(id)' needs exactly one '\(end)' (has \((props[end] ?? []).count))")
            }
            // Every date checked, the first of each kept.
            func firstDate(_ key: String) throws -> PartialDate? {
                var first: PartialDate?
                for d in props[key] ?? [] {
                    guard let parsed = PartialDate(d) else { throw fail("'\(d)' in '\(key)' of '\(id)' is not a date (YYYY, YYYY-MM, YYYY-MM-DD)") }
                    first = first ?? parsed
                }
                return first
            }
            return Line(id: id, schema: schema, props: props, line: line,
                        dates: (try firstDate("date"), try firstDate("startDate"), try firstDate("endDate")))
        }
        return Line(id: id, schema: schema, props: props, line: line)
    }

    /// A half of the file's statements, each with its line: the entities with their
    /// properties, the relations made of reference properties, and those of edge entities.
    struct Drafts: Sendable {
        var entities: [StatementDraft] = []
        var references: [StatementDraft] = []
        var edges: [StatementDraft] = []
        /// The input line of each draft.
        var entityLines: [Int] = [], referenceLines: [Int] = [], edgeLines: [Int] = []
        var entityCount = 0
        var error: StoreError?
    }

    /// What making drafts needs: the file's entity ids, the store's graph, the dataset.
    struct DraftContext: Sendable {
        let ids: Set<String>
        let graph: Graph
        let datasetID: String
        let origin: Origin
        let path: String

        func exists(_ id: String) -> Bool { ids.contains(id) || graph.lookup(key: id) != nil }

        func drafts(_ lines: ArraySlice<Line>) -> Drafts {
            var out = Drafts()
            do { try make(lines, into: &out) } catch let e as StoreError { out.error = e } catch {}
            return out
        }

        private func make(_ lines: ArraySlice<Line>, into out: inout Drafts) throws {
            let cite = StatementMeta(sources: [Citation(source: datasetID)], origin: origin)
            for l in lines where FtMModel.schemata[l.schema]?.edge == nil {
                if let n = graph.lookup(key: l.id), graph.node(n).alive, graph.node(n).type != l.schema {
                    throw StoreError.badImport(file: path, line: l.line, message: "the entity '\(l.id)' is already in the store as a \(graph.node(n).type), not a \(l.schema) (give it another id, or import it into another workspace)")
                }
                out.entityCount += 1
                func add(_ kind: StatementKind) { out.entities.append(StatementDraft(subject: l.id, kind: kind, meta: cite)); out.entityLines.append(l.line) }
                add(.entity(type: l.schema))
                var names = l.props["name"] ?? []
                var aliases: [String] = []
                if names.count > 1 { aliases = Array(names.dropFirst()); names = [names[0]] }
                aliases += l.props["alias"] ?? []
                if let n = names.first { add(.property(name: "name", value: .string(n))) }
                if !aliases.isEmpty { add(.property(name: "aliases", value: .list(aliases.map(Value.string)))) }
                for (k, values) in l.props.items.sorted(by: { $0.key < $1.key }) where k != "name" && k != "alias" && !values.isEmpty {
                    if case .entity? = FtMModel.property(k, of: l.schema) {
                        for ref in values {
                            guard exists(ref) else {
                                throw StoreError.badImport(file: path, line: l.line, message: "'\(k)' of '\(l.id)' refers to '\(ref)', which is neither in this file nor in the store")
                            }
                            var (type, reversed) = FtMImporter.propertyTypes[k] ?? (FtMImporter.upperSnake(k), false)
                            if k == "addressEntity" && FtMModel.isA(l.schema, "Event") { (type, reversed) = ("TOOK_PLACE_IN", false) }
                            let (s, o) = reversed ? (ref, l.id) : (l.id, ref)
                            out.references.append(StatementDraft(subject: s, kind: .relation(type: type, target: o, properties: [:]), meta: cite))
                            out.referenceLines.append(l.line)
                        }
                        continue
                    }
                    let isDate = FtMModel.property(k, of: l.schema) == .date
                    let vs = values.map { v -> Value in isDate ? (PartialDate(v).map(Value.date) ?? .string(v)) : .string(v) }
                    add(.property(name: k, value: vs.count == 1 ? vs[0] : .list(vs)))
                }
            }
            for l in lines {
                guard let ends = FtMModel.schemata[l.schema]?.edge else { continue }
                let src = l.props[ends.source]![0], dst = l.props[ends.target]![0]
                for end in [src, dst] where !exists(end) {
                    throw StoreError.badImport(file: path, line: l.line, message: "the \(l.schema) '\(l.id)' refers to '\(end)', which is neither in this file nor in the store")
                }
                var type = FtMImporter.edgeTypes[l.schema] ?? "LINKED_TO"
                var roleIsType = false
                if l.schema == "UnknownLink" {
                    if let role = l.props["role"], role.count == 1, FtMImporter.isRelationTypeName(role[0]) {
                        type = role[0]
                        roleIsType = true
                    }
                }
                var meta = StatementMeta(origin: origin)
                if let d = l.dates.date { meta.validFrom = d; meta.validTo = d }
                if let d = l.dates.start { meta.validFrom = d }
                if let d = l.dates.end { meta.validTo = d }
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
                for (k, vs) in l.props where !vs.isEmpty && !(roleIsType && k == "role") {
                    switch k {
                    case ends.source, ends.target, "date", "startDate", "endDate", "proof", "description": continue
                    default: rp[k] = vs.count == 1 ? .string(vs[0]) : .list(vs.map(Value.string))
                    }
                }
                out.edges.append(StatementDraft(subject: src, kind: .relation(type: type, target: dst, properties: rp), meta: meta))
                out.edgeLines.append(l.line)
            }
        }
    }

    /// `OPERATES`: upper case letters, digits and underscores, starting with a letter.
    static func isRelationTypeName(_ s: String) -> Bool {
        guard let first = s.utf8.first, first >= 0x41 && first <= 0x5A else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    static func slug(_ s: String) -> String {
        let folded = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(folded).split(separator: "-").joined(separator: "-")
    }
}
