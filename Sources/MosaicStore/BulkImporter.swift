import Foundation
import GRDB
import MosaicGraph

/// Bulk import of nodes and edges that do not live in kb/ files: CSV (the columns
/// `id,type,name,props` for nodes, `src,dst,type,date,source` for edges, extra columns
/// `aliases`, `labels`, `since`, `until`, `grade`, `confidence`, `note`, `props` allowed) and
/// JSON Lines (one object a line, with the same keys). All files of one call are one
/// transaction: a malformed row anywhere writes nothing.
public struct BulkImporter: Sendable {
    public struct Report: Sendable, Hashable {
        public var nodes = 0
        public var relations = 0
        public var statements = 0
        public var transaction: Int64 = 0
    }

    let store: Store
    public init(store: Store) { self.store = store }

    /// A node row: its entity, extra labels and property statements in insert order (name,
    /// aliases, then the other properties by name).
    struct NodeRow: Sendable {
        var id, type, origin: String; var labels: [String]; var properties: [(String, Value)]
        var file: String; var line: Int
    }
    struct EdgeRow: Sendable {
        var src, dst, type: String; var meta: StatementMeta; var props: [String: Value]; var originText: String
        var file: String; var line: Int
    }

    /// Imports `files` (kind decided by the header or keys: `src`/`dst` make edges).
    public func importFiles(_ files: [String]) throws -> Report {
        var trace = PhaseTrace("import")
        // Files are parsed side by side on other threads while this one inserts: the nodes of
        // each file as soon as it is read, the edges once every file's nodes are in (statement
        // ids: all nodes, then all edges, in file order).
        let parsing = files.map { path in ParsedFile(path) { try BulkImporter.parseFile(path) } }
        var report = Report()
        let origins = Set(files.map { Origin.importFile(path: ($0 as NSString).lastPathComponent).description })
        var nodes: [NodeRow] = []
        var edges: [EdgeRow] = []
        report.transaction = try store.write(origin: .system("import"), note: origins.sorted().joined(separator: ", ")) { tx, base in
            let firstStatement = tx.nextStatement
            guard let conn = tx.db.sqliteConnection else { throw StoreError.sqlite(context: "importing", message: "no connection") }
            // A page cache that holds what the import writes (SQLite's default is 2 MB): with
            // the default, pages spill to the WAL in the middle of the transaction. Restored after.
            let cacheSize = try Int.fetchOne(tx.db, sql: "PRAGMA cache_size") ?? -2000
            try tx.db.execute(sql: "PRAGMA cache_size = -262144")
            defer { try? tx.db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            // A large import into a small store: the subject index is built once, sorted, after
            // the rows instead of taking each of them in a random place (the DDL is part of the
            // transaction: a failed import leaves the index as it was).
            let existing = try Int64.fetchOne(tx.db, sql: "SELECT max(id) FROM statement") ?? 0
            let rebuildIndex = parsing.reduce(0) { $0 + $1.size / 40 } > existing
            if rebuildIndex { try tx.db.execute(sql: "DROP INDEX IF EXISTS statement_subject") }
            var builder: SnapshotBuilder?
            do {
                // Each file's statement rows come encoded from its parsing thread: one insert a batch.
                var edgeBatches: [RowBatch] = []
                for file in parsing {
                    let parsed = try file.wait()
                    try parsed.nodeRows.insert(on: conn, firstID: tx.reserveStatementIDs(parsed.nodeRows.rows).lowerBound, transaction: tx.id)
                    nodes += parsed.nodes
                    edges += parsed.edges
                    edgeBatches.append(parsed.edgeRows)
                    file.release()
                }
                trace.mark("parse and insert nodes")
                // The new snapshot is built from the rows on a second thread while SQLite inserts the edges.
                builder = SnapshotBuilder(base: base, rows: Rows(nodes: nodes, edges: edges), firstStatement: firstStatement,
                                          transaction: tx.id, file: base.transaction == tx.id - 1 ? store.snapshotFile : nil,
                                          time: tx.time.timeIntervalSince1970)
                builder?.start()
                for batch in edgeBatches {
                    try batch.insert(on: conn, firstID: tx.reserveStatementIDs(batch.rows).lowerBound, transaction: tx.id)
                }
                edgeBatches = []
            } catch {
                _ = try? builder?.wait()
                throw error
            }
            report.statements = tx.asserted.count
            // Names and other text go into the search index on the first search (TextBacklog).
            if tx.nextStatement > firstStatement { try Store.deferTextIndex(tx.db, firstStatement...tx.nextStatement - 1) }
            trace.mark("insert edges")
            if rebuildIndex { try tx.db.execute(sql: Store.subjectIndexSQL) }
            trace.mark("subject index")
            // Endpoints must exist, in the store or in this import: the builder checks them
            // (a bad one throws, and the transaction writes nothing).
            let g = try builder!.wait()
            trace.mark("wait for the snapshot")
            return g
        }
        trace.mark("commit and snapshot file")
        report.nodes = nodes.count
        report.relations = edges.count
        return report
    }

    /// One file's rows, and their statement rows encoded for the insert (nodes: each node's
    /// entity, labels and properties; edges: one relation each).
    struct Parsed: Sendable {
        var nodes: [NodeRow] = []
        var edges: [EdgeRow] = []
        var nodeRows = RowBatch()
        var edgeRows = RowBatch()
    }

    /// Parses and encodes one file; throws the first bad row's error with its file and line.
    private static func parseFile(_ path: String) throws -> Parsed {
        var trace = PhaseTrace("parse \((path as NSString).lastPathComponent)")
        let (nodes, edges) = try parseRows(path)
        trace.mark("rows")
        defer { trace.mark("encode") }
        var parsed = Parsed(nodes: nodes, edges: edges)
        parsed.nodeRows = RowBatch(reservingRows: nodes.count * 3)
        for n in nodes {
            parsed.nodeRows.append(kind: 0, subject: n.id, predicate: n.type, origin: n.origin)
            for l in n.labels { parsed.nodeRows.append(kind: 1, subject: n.id, predicate: l, origin: n.origin) }
            for (k, v) in n.properties { parsed.nodeRows.append(kind: 2, subject: n.id, predicate: k, value: v.encoded, origin: n.origin) }
        }
        parsed.edgeRows = RowBatch(reservingRows: edges.count)
        for e in edges {
            parsed.edgeRows.append(kind: 3, subject: e.src, predicate: e.type, object: e.dst,
                                   value: e.props.isEmpty ? nil : Value.map(e.props).encoded, meta: e.meta, origin: e.originText)
        }
        return parsed
    }

    /// One file's rows; throws the first bad row's error with its file and line.
    private static func parseRows(_ path: String) throws -> ([NodeRow], [EdgeRow]) {
        var nodes: [NodeRow] = []
        var edges: [EdgeRow] = []
        // Dates repeat (a few thousand days across hundreds of thousands of rows): parse each text once.
        var dateCache: [String: PartialDate?] = [:]
        func parseDate(_ text: String) -> PartialDate? {
            if let d = dateCache[text] { return d }
            let d = PartialDate(text)
            dateCache[text] = d
            return d
        }
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.badImport(file: path, line: 0, message: "cannot read the file; check the path")
        }
        let fileOrigin = Origin.importFile(path: name)
        let originText = fileOrigin.description
        let records = try path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? jsonLines(data, path) : csvRecords(data, path)
        for (rec, line) in records {
            func field(_ k: Column) -> String? { rec[k].flatMap { $0.isEmpty ? nil : $0 } }
            func need(_ k: Column) throws -> String {
                guard let v = field(k) else { throw StoreError.badImport(file: path, line: line, message: "missing '\(k)'") }
                return v
            }
            var props: [String: Value] = [:]
            if let p = field(.props) {
                guard case .map(let m)? = Value.decode(p) else {
                    throw StoreError.badImport(file: path, line: line, message: "'props' is not a JSON object: \(p.prefix(60))")
                }
                props = m
            }
            if rec[.src] != nil || rec[.dst] != nil {
                var meta = StatementMeta(origin: fileOrigin)
                if let d = field(.date) {
                    guard let pd = parseDate(d) else { throw StoreError.badImport(file: path, line: line, message: "'\(d)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") }
                    meta.validFrom = pd; meta.validTo = pd
                }
                for (k, keyPath) in [(Column.since, \StatementMeta.validFrom), (.until, \StatementMeta.validTo)] {
                    if let d = field(k) {
                        guard let pd = parseDate(d) else { throw StoreError.badImport(file: path, line: line, message: "'\(d)' is not a date") }
                        meta[keyPath: keyPath] = pd
                    }
                }
                if let s = field(.source) { meta.sources = [Citation(source: s, note: field(.note))] }
                if let g = field(.grade) {
                    guard let gr = Grading(g) else { throw StoreError.badImport(file: path, line: line, message: "'\(g)' is not a grading like B2") }
                    meta.grading = gr
                }
                if let c = field(.confidence) {
                    guard let v = Double(c), (0...1).contains(v) else { throw StoreError.badImport(file: path, line: line, message: "confidence must be a number from 0 to 1") }
                    meta.confidence = v
                }
                let row = EdgeRow(src: try need(.src), dst: try need(.dst), type: try need(.type), meta: meta, props: props,
                                  originText: originText, file: path, line: line)
                if let problem = WriteValidation.checkIdentifier(row.type, as: .relationType)
                    ?? meta.sources.lazy.compactMap({ c in
                        WriteValidation.checkIdentifier(c.source, as: .entityID).map { "source: \($0)" }
                            ?? c.note.flatMap { WriteValidation.checkValue(.string($0)).map { "note: \($0)" } }
                    }).first
                    ?? (props.isEmpty ? nil : WriteValidation.checkValue(.map(props))) {
                    // (The ends are entities this import or the store holds: the snapshot builder checks them.)
                    throw StoreError.badImport(file: path, line: line, message: problem)
                }
                edges.append(row)
            } else {
                let split: (String?) -> [String] = { $0?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } ?? [] }
                var properties: [(String, Value)] = []
                if let n = field(.name) { properties.append(("name", .string(n))) }
                let aliases = split(field(.aliases))
                if !aliases.isEmpty { properties.append(("aliases", .list(aliases.map(Value.string)))) }
                for (k, v) in props.sorted(by: { $0.key < $1.key }) where !v.isNull {
                    properties.append((k, v))
                }
                let row = NodeRow(id: try need(.id), type: try need(.type), origin: originText,
                                  labels: split(field(.labels)), properties: properties, file: path, line: line)
                if let problem = WriteValidation.checkIdentifier(row.id, as: .entityID)
                    ?? WriteValidation.checkIdentifier(row.type, as: .entityType)
                    ?? row.labels.lazy.compactMap({ WriteValidation.checkIdentifier($0, as: .label) }).first
                    ?? row.properties.lazy.compactMap({ name, value in
                        WriteValidation.checkIdentifier(name, as: .propertyName) ?? WriteValidation.checkValue(value)
                    }).first {
                    throw StoreError.badImport(file: path, line: line, message: problem)
                }
                nodes.append(row)
            }
        }
        return (nodes, edges)
    }

    /// One file being parsed on a thread of its own.
    // @unchecked Sendable: `result` is written by the parsing thread before `done.signal()` and read only after `done.wait()`; the semaphore orders the two.
    final class ParsedFile: @unchecked Sendable {
        private var result: Result<Parsed, Error>?
        private let done = DispatchSemaphore(value: 0)
        /// At most two files are parsed at a time (memory, and the machine's two cores).
        static let slots = DispatchSemaphore(value: 2)
        /// The file's size in bytes (an estimate of the rows it holds: ~40 bytes a row).
        let size: Int

        init(_ path: String, _ parse: @escaping @Sendable () throws -> Parsed) {
            size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let t = Thread { [self] in
                ParsedFile.slots.wait()
                result = Result { try parse() }
                ParsedFile.slots.signal()
                done.signal()
            }
            t.stackSize = 1 << 20
            t.start()
        }

        func wait() throws -> Parsed {
            done.wait()
            done.signal()
            return try result!.get()
        }

        /// Drops the result (its encoded rows are large) once the caller holds what it needs.
        func release() { result = nil }
    }

    /// The parsed rows, shared with the snapshot builder's thread.
    // @unchecked Sendable: immutable after init (two `let` arrays of plain rows), read by both threads.
    final class Rows: @unchecked Sendable {
        let nodes: [NodeRow]
        let edges: [EdgeRow]
        init(nodes: [NodeRow], edges: [EdgeRow]) { self.nodes = nodes; self.edges = edges }
    }

    /// Applies the import's statements to the snapshot on its own thread, with the ids the
    /// inserts give them (the same order: each node's entity, labels and properties, then
    /// the edges), as the loader would apply them: entities, then relations, then labels and
    /// properties.
    // @unchecked Sendable: `graph` and `failure` are touched only by the builder's thread until it signals `done`; the importer reads them after `done.wait()`.
    final class SnapshotBuilder: @unchecked Sendable {
        private var graph: Graph
        private var failure: StoreError?
        private let rows: Rows
        private let first: Int64
        private let transaction: Int64
        private let done = DispatchSemaphore(value: 0)

        private let file: SnapshotFile?
        private let time: Double

        /// With `file`, the builder also writes the snapshot file for the transaction being
        /// committed (id `transaction`, recorded at `time`), on its own thread.
        init(base: Graph, rows: Rows, firstStatement: Int64, transaction: Int64, file: SnapshotFile?, time: Double) {
            graph = base; self.rows = rows; first = firstStatement; self.transaction = transaction
            self.file = file; self.time = time
        }

        func start() {
            let t = Thread { [self] in build(); done.signal() }
            t.stackSize = 1 << 20
            t.start()
        }

        func wait() throws -> Graph {
            done.wait()
            if let failure { throw failure }
            return graph
        }

        private func build() {
            var g = graph
            g.reserve(nodes: g.nodes.count + rows.nodes.count, relationships: g.relationships.count + rows.edges.count)
            var id = first
            var nodeIndex: [Int32] = []
            nodeIndex.reserveCapacity(rows.nodes.count)
            for n in rows.nodes {
                // An id the store (or an earlier row) holds with another type is an error: loading
                // it would add the row's type as a label to a different entity.
                if let existing = g.lookup(key: n.id), g.node(existing).alive, g.node(existing).type != n.type {
                    failure = .badImport(file: n.file, line: n.line, message: "entity '\(n.id)' already exists with type \(g.node(existing).type), "
                                         + "not \(n.type) (give the row another id, or its existing type)")
                    return
                }
                nodeIndex.append(g.loadNode(key: n.id, type: n.type, statement: id))
                id += 1 + Int64(n.labels.count + n.properties.count)
            }
            g.beginBulkLoad()  // adjacency put in type order once, after the edges
            for e in rows.edges {
                guard let a = g.lookup(key: e.src), let b = g.lookup(key: e.dst) else {
                    let end = g.lookup(key: e.src) == nil ? e.src : e.dst
                    failure = .badImport(file: e.file, line: e.line, message: "unknown entity '\(end)'; import its node first (nodes and edges may be given in one call)")
                    return
                }
                g.loadRelationship(from: a, to: b, type: e.type, properties: e.props, meta: e.meta, statement: id, transaction: transaction)
                id += 1
            }
            g.endBulkLoad()
            let last = id - 1
            id = first
            for (n, i) in zip(rows.nodes, nodeIndex) {
                id += 1
                for l in n.labels { g.loadLabel(i, l, statement: id); id += 1 }
                for (k, v) in n.properties { g.loadProperty(i, k, v, statement: id); id += 1 }
            }
            g.transaction = transaction
            g.nextStatementID = max(g.nextStatementID, last + 1)
            graph = g
            try? file?.write(g, header: .init(transaction: transaction, time: time, lastStatement: last))
        }
    }

    /// The columns the importer reads.
    private enum Column: Int, CaseIterable {
        case id, type, name, props, src, dst, date, since, until, source, note, grade, confidence, labels, aliases
    }

    /// One input row: its fields, and where each known column is (CSV rows share their
    /// file's positions; a JSON line has its own).
    private struct Record {
        let positions: [Int]
        let fields: [String]
        subscript(_ c: Column) -> String? {
            let p = positions[c.rawValue]
            return p < 0 ? nil : fields[p]
        }
        static func positions(_ index: [String: Int]) -> [Int] { Column.allCases.map { index["\($0)"] ?? -1 } }
        init(positions: [Int], fields: [String]) { self.positions = positions; self.fields = fields }
        init(_ values: [String: String]) {
            var index: [String: Int] = [:]
            var fields: [String] = []
            for (k, v) in values { index[k] = fields.count; fields.append(v) }
            self.init(positions: Record.positions(index), fields: fields)
        }
    }

    private static func csvRecords(_ data: Data, _ path: String) throws -> [(Record, Int)] {
        var reader = CSVReader(data: data)
        do {
            guard let header = try reader.next() else { return [] }
            let cols = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard cols.contains("id") || cols.contains("src") else {
                throw StoreError.badImport(file: path, line: 1, message: "the header must name 'id,type,name[,props]' (nodes) or 'src,dst,type[,date,source]' (edges); got '\(cols.joined(separator: ","))'")
            }
            // A repeated column name: the last one wins.
            let index = Record.positions(Dictionary(cols.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { $1 }))
            var out: [(Record, Int)] = []
            while let (fields, line) = try reader.next() {
                if fields.count == 1 && fields[0].isEmpty { continue }
                guard fields.count == cols.count else {
                    throw StoreError.badImport(file: path, line: line, message: "expected \(cols.count) fields (\(cols.joined(separator: ","))), found \(fields.count)")
                }
                out.append((Record(positions: index, fields: fields), line))
            }
            return out
        } catch let e as CSVReader.CSVError {
            throw StoreError.badImport(file: path, line: e.line, message: "a quoted field is not closed")
        }
    }

    private static func jsonLines(_ data: Data, _ path: String) throws -> [(Record, Int)] {
        var out: [(Record, Int)] = []
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard case .map(let m)? = Value.decode(line) else {
                throw StoreError.badImport(file: path, line: i + 1, message: "not a JSON object")
            }
            var rec: [String: String] = [:]
            for (k, v) in m {
                switch (k, v) {
                case ("props", _): rec[k] = v.encoded
                case (_, .string(let s)): rec[k] = s
                case (_, .list(let l)): rec[k] = l.map(\.description).joined(separator: ";")
                case (_, .null): break
                default: rec[k] = v.description
                }
            }
            out.append((Record(rec), i + 1))
        }
        return out
    }
}
