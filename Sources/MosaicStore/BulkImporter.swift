import Foundation
import GRDB
import MosaicGraph

/// Bulk import of nodes and edges that do not live in kb/ files: CSV (the columns
/// `id,type,name,props` for nodes, `src,dst,type,date,source` for edges, extra columns
/// `aliases`, `labels`, `since`, `until`, `grade`, `confidence`, `note`, `props` allowed) and
/// JSON Lines (one object a line, with the same keys). All files of one call are one
/// transaction: a malformed row anywhere writes nothing.
///
/// The files are streamed in chunks of rows (`chunkRows`), so memory stays bounded whatever
/// their size: a parsing thread reads each file a block at a time, makes a chunk's rows and
/// encodes their statement rows (`RowBatch`); this thread inserts each chunk into SQLite and
/// hands its rows to the snapshot builder's thread, which applies them to the new snapshot
/// and, at the end, writes the snapshot file section by section. Each chunk is dropped once
/// both are done with it. The nodes of all files come first, then the edges (statement ids:
/// all nodes, then all edges, in file order), so a file of edges is read after every file
/// of nodes, and a JSON Lines file twice. Once every node is applied, each edge's ends are
/// looked up for the builder in a copy of its graph and its table of the node keys
/// (NodeKeyTable.swift; by the parsing jobs, or by this thread for chunks parsed before), and
/// this thread runs up to `SnapshotBuilder.waiting` chunks
/// ahead of the builder. A store without statements is written with the rollback journal
/// instead of the WAL (Store+FreshImport.swift); into a graph without relationships the
/// builder makes the adjacency lists at the end (MosaicGraph's PendingAdjacency.swift).
public struct BulkImporter: Sendable {
    public struct Report: Sendable, Hashable {
        public var nodes = 0
        public var relations = 0
        public var statements = 0
        public var transaction: Int64 = 0
        /// Whether the import wrote with the rollback journal (a store without statements that
        /// no other connection had open: Store+FreshImport.swift) rather than the WAL.
        public var rollbackJournal = false
    }

    let store: Store
    /// Rows parsed, inserted and applied at a time.
    let chunkRows: Int
    /// Bytes read from a file at a time.
    let blockSize: Int

    public init(store: Store) { self.init(store: store, chunkRows: 100_000, blockSize: 4 << 20) }

    /// An importer with other chunk and block sizes (tests make them small to cross many
    /// boundaries).
    init(store: Store, chunkRows: Int, blockSize: Int) {
        self.store = store
        self.chunkRows = max(1, chunkRows)
        self.blockSize = max(1, blockSize)
    }

    /// A node row: its entity, extra labels and property statements in insert order (name,
    /// aliases, then the other properties by name). (A row's file and origin are its chunk's:
    /// kept once, not with every row, whose copies and releases would each count references
    /// to one shared string from two threads.)
    struct NodeRow: Sendable {
        var id, type: String; var labels: [String]; var properties: [(String, Value)]
        var line: Int
    }
    struct EdgeRow: Sendable {
        var src, dst, type: String; var meta: StatementMeta; var props: [String: Value]
        var line: Int
        /// The text of `meta.validFrom` when the row has it at hand (its `date` column).
        var fromText: String? = nil
    }

    /// A chunk of rows, nodes or edges, and their statement rows encoded for the insert
    /// (nodes: each node's entity, labels and properties; edges: one relation each).
    struct Chunk: Sendable {
        var nodes: [NodeRow] = []
        var edges: [EdgeRow] = []
        var batch = RowBatch()
        /// The nodes the import's files may hold, estimated from their size (the builder
        /// reserves room for them once).
        var expectedNodes = 0
        /// The edges, estimated the same way (the builder makes room for them once).
        var expectedEdges = 0
        /// The graph's nodes for each edge's source and target (`2 * i`, `2 * i + 1`; -1: none),
        /// looked up by the parsing job that made the chunk (once every node is in), else by the
        /// importer's thread, so that the builder need not: empty when not.
        var ends: [Int32] = []
        /// A marker, not rows: the last node chunk went before it (`SnapshotBuilder.nodesDone`).
        var nodesDoneMarker = false
        /// The file the rows come from (a chunk's rows come from one file).
        var file = ""
    }

    /// Imports `files` (kind decided by the header or keys: `src`/`dst` make edges).
    public func importFiles(_ files: [String]) throws -> Report {
        var trace = PhaseTrace("import")
        var report = Report()
        let origins = Set(files.map { Origin.importFile(path: ($0 as NSString).lastPathComponent).description })
        let size = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        // Into a store without statements, with the rollback journal instead of the WAL
        // (Store+FreshImport.swift): each page is written once.
        report.transaction = try store.withRollbackJournalWhenEmpty { fresh in
            trace.mark(fresh ? "rollback journal (fresh store)" : "WAL (store not empty or in use)")
            report.rollbackJournal = fresh
            return try store.write(origin: .system("import"), note: origins.sorted().joined(separator: ", ")) { tx, base in
                let firstStatement = tx.nextStatement
                guard let conn = tx.db.sqliteConnection else { throw StoreError.sqlite(context: "importing", message: "no connection") }
                // SQLite's page cache stays at its default (2 MB): the rows are appended (pages the
                // cache cannot hold spill mid-transaction, to the WAL, or with the rollback journal
                // to the database file, each written once), and the
                // subject index below sorts faster with a small cache (at 1M entities: 6-7 s against
                // 10 s with 256 MB) and without the ~530 MB a large one takes.
                // A large import into a small store: the subject index is built once, sorted, after
                // the rows instead of taking each of them in a random place (the DDL is part of the
                // transaction: a failed import leaves the index as it was). ~40 bytes a row.
                let existing = try Int64.fetchOne(tx.db, sql: "SELECT max(id) FROM statement") ?? 0
                let rebuildIndex = size / 40 > existing
                if rebuildIndex { try tx.db.execute(sql: "DROP INDEX IF EXISTS statement_subject") }
                let parser = try ChunkParser(files: files, chunkRows: chunkRows, blockSize: blockSize)
                // The new snapshot is built from the chunks on a thread of its own while SQLite
                // inserts them (it also writes the snapshot file when the store's snapshot file
                // reflects the transaction before).
                let builder = SnapshotBuilder(base: base, firstStatement: firstStatement, transaction: tx.id,
                                              file: base.transaction == tx.id - 1 ? store.snapshotFile : nil,
                                              time: tx.time.timeIntervalSince1970)
                defer { parser.stop(); builder.stop() }
                var inserting = 0.0, waitingForRows = 0.0, waitingForBuilder = 0.0, nodesDone = false
                func seconds(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9 }
                var asked = DispatchTime.now()
                var resolver: Resolver?
                while let chunk = try parser.next() {
                    waitingForRows += seconds(since: asked)
                    // The builder found a bad row (an unknown end, a clash of types): stop here.
                    guard !builder.failed else { break }
                    if !nodesDone && !chunk.edges.isEmpty {
                        nodesDone = true
                        trace.mark("nodes")
                        // The builder need not look up the edges' ends: they are looked up in a copy
                        // of the graph taken once every node is in, by this thread for the chunks
                        // parsed before, by the parsing jobs for those they make from now on.
                        let t = DispatchTime.now()
                        resolver = builder.nodesDone()
                        trace.report("waiting for the builder to apply the nodes (this thread)", seconds: seconds(since: t))
                        // The parsing threads look them up too, in the chunks they make from now on.
                        parser.resolver.set(resolver)
                    }
                    let t0 = DispatchTime.now()
                    try chunk.batch.insert(on: conn, firstID: tx.reserveStatementIDs(chunk.batch.rows).lowerBound, transaction: tx.id)
                    inserting += Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
                    report.nodes += chunk.nodes.count
                    report.relations += chunk.edges.count
                    var handed = Chunk(nodes: chunk.nodes, edges: chunk.edges, expectedNodes: chunk.expectedNodes,
                                       expectedEdges: chunk.expectedEdges)
                    handed.file = chunk.file
                    if let resolver, !chunk.edges.isEmpty {
                        handed.ends = chunk.ends.isEmpty ? resolver.ends(of: chunk.edges) : chunk.ends
                    }
                    let t1 = DispatchTime.now()
                    builder.add(handed)
                    waitingForBuilder += seconds(since: t1)
                    asked = DispatchTime.now()
                }
                // (The copies are let go before the builder goes on to the labels, which change the
                // nodes: the builder's graph is then the only one holding them. The parsing jobs
                // have ended: they hold none.)
                resolver = nil
                parser.resolver.set(nil)
                builder.finish()
                // A bad row the builder found fails the import now, before the index is rebuilt.
                if builder.failed { _ = try builder.wait() }
                trace.mark(nodesDone ? "edges" : "nodes")
                trace.report("inserting (this thread)", seconds: inserting)
                trace.report("waiting for parsed rows (this thread)", seconds: waitingForRows)
                trace.report("waiting for room at the snapshot builder (this thread)", seconds: waitingForBuilder)
                for (phase, seconds) in parser.phases { trace.report(phase, seconds: seconds) }
                report.statements = tx.asserted.count
                // Names and other text go into the search index on the first search (TextBacklog).
                if tx.nextStatement > firstStatement { try Store.deferTextIndex(tx.db, firstStatement...tx.nextStatement - 1) }
                if rebuildIndex { try tx.db.execute(sql: Store.subjectIndexSQL) }
                trace.mark("subject index")
                // Endpoints must exist, in the store or in this import: the builder checks them
                // (a bad one throws, and the transaction writes nothing).
                let g = try builder.wait()
                trace.mark("wait for the snapshot")
                return g
            }
        }
        trace.mark("commit and checkpoint")
        return report
    }

    /// The graph with every node in, and the import's node keys (NodeKeyTable.swift): where
    /// edges' ends are looked up once the nodes are applied.
    struct Resolver: Sendable {
        let graph: Graph
        let keys: NodeKeyTable

        /// The nodes of `edges`' sources and targets (-1: not there), two per edge.
        func ends(of edges: [EdgeRow]) -> [Int32] {
            var out = [Int32](repeating: -1, count: 2 * edges.count)
            var last: (key: String, node: Int32)?
            edges.withUnsafeBufferPointer { edges in
                for r in edges.indices {
                    if let last, last.key == edges[r].src { out[2 * r] = last.node } else if let a = keys.node(edges[r].src, in: graph) {
                        out[2 * r] = a
                        last = (edges[r].src, a)
                    }
                    out[2 * r + 1] = keys.node(edges[r].dst, in: graph) ?? -1
                }
            }
            return out
        }
    }

    /// Makes the row of one record; throws the record's error with its file and line.
    /// `dates` caches parsed dates (a few thousand days repeat across millions of rows), each
    /// with whether its text is the date's own (`description`).
    static func row(_ rec: Record, line: Int, path: String, origin fileOrigin: Origin,
                    dates: inout DateCache) throws -> (node: NodeRow?, edge: EdgeRow?) {
        var canonical = false
        func parseDate(_ text: String) -> PartialDate? {
            let d = dates.date(text)
            canonical = d?.canonical ?? false
            return d?.date
        }
        var fromText: String?
        func field(_ k: Column) -> String? { rec[k].flatMap { $0.isEmpty ? nil : $0 } }
        func need(_ k: Column) throws -> String {
            guard let v = field(k) else { throw StoreError.badImport(file: path, line: line, message: "missing '\(k)'") }
            return v
        }
        var props: [String: Value] = [:]
        // A node's flat object (the common case) is read into its sorted entries straight away
        // (FlatProperties.swift); anything else is decoded into a dictionary.
        var flat: [(String, Value)]?
        if let p = field(.props) {
            if !rec.isEdge, let entries = FlatProperties.entries(p) { flat = entries }
            else if case .map(let m)? = Value.decode(p) { props = m }
            else {
                throw StoreError.badImport(file: path, line: line, message: "'props' is not a JSON object: \(p.prefix(60))")
            }
        }
        if rec.isEdge {
            var meta = StatementMeta(origin: fileOrigin)
            if let d = field(.date) {
                guard let pd = parseDate(d) else { throw StoreError.badImport(file: path, line: line, message: "'\(d)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") }
                meta.validFrom = pd; meta.validTo = pd
                // (the row is written with the date's own text: the column's when it is that)
                if canonical { fromText = d }
            }
            // (since and until without a table of key paths: this runs for every edge)
            if let d = field(.since) {
                guard let pd = parseDate(d) else { throw StoreError.badImport(file: path, line: line, message: "'\(d)' is not a date") }
                meta.validFrom = pd
                fromText = nil
            }
            if let d = field(.until) {
                guard let pd = parseDate(d) else { throw StoreError.badImport(file: path, line: line, message: "'\(d)' is not a date") }
                meta.validTo = pd
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
                              line: line, fromText: fromText)
            if let problem = WriteValidation.checkIdentifier(row.type, as: .relationType)
                ?? meta.sources.lazy.compactMap({ c in
                    WriteValidation.checkIdentifier(c.source, as: .entityID).map { "source: \($0)" }
                        ?? c.note.flatMap { WriteValidation.checkValue(.string($0)).map { "note: \($0)" } }
                }).first
                ?? (props.isEmpty ? nil : WriteValidation.checkValue(.map(props))) {
                // (The ends are entities this import or the store holds: the snapshot builder checks them.)
                throw StoreError.badImport(file: path, line: line, message: problem)
            }
            return (nil, row)
        }
        let split: (String?) -> [String] = { $0?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } ?? [] }
        var properties: [(String, Value)] = []
        if let n = field(.name) { properties.append(("name", .string(n))) }
        let aliases = split(field(.aliases))
        if !aliases.isEmpty { properties.append(("aliases", .list(aliases.map(Value.string)))) }
        if let flat { properties.append(contentsOf: flat) }
        for (k, v) in props.sorted(by: { $0.key < $1.key }) where !v.isNull {
            properties.append((k, v))
        }
        let row = NodeRow(id: try need(.id), type: try need(.type),
                          labels: split(field(.labels)), properties: properties, line: line)
        if let problem = WriteValidation.checkIdentifier(row.id, as: .entityID)
            ?? WriteValidation.checkIdentifier(row.type, as: .entityType)
            ?? row.labels.lazy.compactMap({ WriteValidation.checkIdentifier($0, as: .label) }).first
            ?? row.properties.lazy.compactMap({ name, value in
                WriteValidation.checkIdentifier(name, as: .propertyName) ?? WriteValidation.checkValue(value)
            }).first {
            throw StoreError.badImport(file: path, line: line, message: problem)
        }
        return (row, nil)
    }

    /// Reads the files and makes their chunks, in order: the nodes of every file, then the
    /// edges, each chunk's statement rows encoded. Each (file, kind of row) is a job on a
    /// thread of its own, two jobs at a time (the first two at once, then each that ends
    /// starts the one two places after it), so the edges of one file are parsed while the
    /// nodes of another are inserted; each job keeps at most `ahead` chunks waiting.
    // @unchecked Sendable: `jobs` is made in init and not changed after; `current` is used only by the consuming thread; `stopped` and each job's `started` are read and written under `lock`.
    final class ChunkParser: @unchecked Sendable {
        /// Chunks a job may have made before the importer takes them.
        static let ahead = 4

        /// The graph with every node, once the importer has it: a job that makes a chunk of
        /// edges looks up their ends in it (`Chunk.ends`), on its own thread.
        let resolver = SharedGraph()

        // @unchecked Sendable: `resolver` is read and written under `lock`; the graph is a
        // value, which its readers copy, and the key table is only read once handed on.
        final class SharedGraph: @unchecked Sendable {
            private let lock = NSLock()
            private var resolver: Resolver?
            func set(_ r: Resolver?) { lock.withLock { resolver = r } }
            func get() -> Resolver? { lock.withLock { resolver } }
        }

        /// One file read for one kind of row.
        // @unchecked Sendable: `reader`, `failure` and the times are touched by the job's thread until it signals `done`, and read after `done.wait()`.
        final class Job: @unchecked Sendable {
            let queue = ChunkQueue<Chunk>(capacity: ChunkParser.ahead)
            var reader: ImportFileReader
            let pass: ImportFileReader.Kind
            var failure: Error?
            var parsing = 0.0
            var started = false
            private let done = DispatchSemaphore(value: 0)
            init(reader: ImportFileReader, pass: ImportFileReader.Kind) { self.reader = reader; self.pass = pass }
            func finish() { done.signal() }
            /// Waits for the job's thread to end (as often as asked).
            func join() { done.wait(); done.signal() }
        }

        private let jobs: [Job]
        private var current = 0
        private let lock = NSLock()
        private var stopped = false
        private let chunkRows: Int
        private let blockSize: Int
        /// Room for the nodes: files of nodes (or of both) at ~40 bytes a row at least; and
        /// for the edges: files of edges (or of both) at ~40 bytes a row.
        private let expectedNodes: Int
        private let expectedEdges: Int

        /// Opens the files (reading each CSV header: a file that cannot be read, or a bad
        /// header, throws here) and starts the first two jobs.
        init(files: [String], chunkRows: Int, blockSize: Int) throws {
            self.chunkRows = chunkRows
            self.blockSize = blockSize
            var readers: [ImportFileReader] = []
            do {
                for f in files { readers.append(try ImportFileReader(path: f, blockSize: blockSize)) }
            } catch {
                for r in readers { r.close() }
                throw error
            }
            var jobs: [Job] = []
            for pass in [ImportFileReader.Kind.nodes, .edges] {
                for r in readers where r.kind == pass || r.kind == .mixed {
                    // A JSON Lines file is read a second time for its edges.
                    let reader = pass == .edges && r.kind == .mixed ? try ImportFileReader(path: r.path, blockSize: blockSize) : r
                    jobs.append(Job(reader: reader, pass: pass))
                }
            }
            self.jobs = jobs
            expectedNodes = zip(files, readers).reduce(0) { sum, fr in
                fr.1.kind == .edges ? sum : sum + ((try? FileManager.default.attributesOfItem(atPath: fr.0)[.size] as? Int) ?? 0) / 40
            }
            expectedEdges = zip(files, readers).reduce(0) { sum, fr in
                fr.1.kind == .nodes ? sum : sum + ((try? FileManager.default.attributesOfItem(atPath: fr.0)[.size] as? Int) ?? 0) / 40
            }
            for k in 0..<ChunkParser.together { start(k) }
        }
        /// Jobs that run at once.
        static let together = 2

        private func start(_ k: Int) {
            guard k < jobs.count else { return }
            let go = lock.withLock { () -> Bool in
                guard !stopped else { return false }
                jobs[k].started = true
                return true
            }
            guard go else { return }
            let job = jobs[k]
            let t = Thread { [self] in
                do { try run(job) } catch { job.failure = error }
                job.reader.close()
                job.queue.close()
                job.finish()
                start(k + ChunkParser.together)
            }
            t.stackSize = 1 << 20
            t.start()
        }

        /// The next chunk, nil after the last; a job's error is thrown once the chunks it
        /// made before it are taken (so the first bad row in file order is the one reported).
        func next() throws -> Chunk? {
            while current < jobs.count {
                let job = jobs[current]
                if let chunk = job.queue.take() { return chunk }
                job.join()
                if let failure = job.failure { throw failure }
                current += 1
            }
            return nil
        }

        /// Time spent reading, parsing and encoding rows over all jobs (wall time of the jobs'
        /// threads, their waits for the queue left out).
        var phases: [(String, Double)] {
            [("reading, parsing and encoding rows (parsing threads)", jobs.reduce(0) { $0 + $1.parsing })]
        }

        /// Stops every job (dropping the chunks not taken) and waits for those started.
        func stop() {
            let started = lock.withLock { () -> [Job] in
                stopped = true
                return jobs.filter(\.started)
            }
            for job in jobs { job.queue.cancel() }
            for job in started { job.join() }
            for job in jobs where !job.started { job.reader.close() }
        }

        private func run(_ job: Job) throws {
            let path = job.reader.path
            let pass = job.pass
            var clock = DispatchTime.now()
            func lap() -> Double {
                let now = DispatchTime.now()
                defer { clock = now }
                return Double(now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1e9
            }
            // Each chunk's arrays are made at their full size once (grown row by row, a chunk
            // of 100,000 edges would be copied some seventeen times on the way).
            var nodes: [NodeRow] = [], edges: [EdgeRow] = []
            let origin = Origin.importFile(path: (path as NSString).lastPathComponent)
            let originText = origin.description
            // Each row's statement rows are encoded as soon as the row is made, from the row in
            // hand: encoded later from the chunk's arrays, every field read was a copy, retained
            // and released (a quarter of the parsing threads' time at 1M, in `perf`).
            var batch = RowBatch()
            func fresh() {
                nodes = []; edges = []
                let n = min(chunkRows, 1 << 17)
                if pass == .nodes { nodes.reserveCapacity(n) } else { edges.reserveCapacity(n) }
                // (~100 bytes an edge's row, ~60 a node's entity or property row)
                batch = RowBatch(reservingBytes: pass == .nodes ? n * 180 : n * 112)
            }
            fresh()
            /// Hands on the rows gathered so far; false when the import stopped.
            func flush() -> Bool {
                guard !nodes.isEmpty || !edges.isEmpty else { return true }
                var chunk = Chunk(nodes: nodes, edges: edges, expectedNodes: expectedNodes, expectedEdges: expectedEdges)
                chunk.file = path
                chunk.batch = batch
                if !edges.isEmpty, let r = resolver.get() { chunk.ends = r.ends(of: edges) }
                fresh()
                job.parsing += lap()
                defer { _ = lap() }  // (the wait for room in the queue is not parsing)
                return job.queue.put(chunk)
            }
            var dates = DateCache()
            // Each record is made into its row as it is read (no array of a block's records).
            var stopped = false
            while try job.reader.nextBlock({ rec, line in
                guard rec.isEdge == (pass == .edges) else { return true }
                let (node, edge) = try BulkImporter.row(rec, line: line, path: path, origin: origin, dates: &dates)
                if let node {
                    batch.append(kind: 0, subject: node.id, predicate: node.type, origin: originText)
                    for l in node.labels { batch.append(kind: 1, subject: node.id, predicate: l, origin: originText) }
                    for (k, v) in node.properties { batch.appendProperty(subject: node.id, name: k, value: v, origin: originText) }
                    nodes.append(node)
                }
                if let edge {
                    batch.appendRelation(subject: edge.src, type: edge.type, target: edge.dst,
                                         value: edge.props.isEmpty ? nil : Value.map(edge.props).encoded,
                                         meta: edge.meta, fromText: edge.fromText, origin: originText)
                    edges.append(edge)
                }
                if nodes.count + edges.count >= chunkRows && !flush() { stopped = true }
                return !stopped
            }) {}
            if !stopped { _ = flush() }
        }
    }

    /// Applies the import's chunks to the snapshot on its own thread, with the ids the
    /// inserts give them (the same order: each node's entity, labels and properties, then
    /// the edges), to the same graph the loader would make of them (it applies entities,
    /// then relations, then labels and properties; here a node's properties are applied
    /// with it, which touches nothing the entities and relations after it do, and its extra
    /// labels are kept aside and applied last, so that each label lists its nodes in the
    /// loader's order). With `file`, it also writes the snapshot file, section by section.
    // @unchecked Sendable: `graph` and `failure` are written only by the builder's thread until it signals `done`; the importer reads them after `done.wait()`. `failed` is read under `lock`.
    final class SnapshotBuilder: @unchecked Sendable {
        private var graph: Graph
        private var failure: StoreError?
        private let lock = NSLock()
        private var failedFlag = false
        /// Chunks inserted and waiting for the builder: the inserts run ahead of it by up to
        /// this many chunks (some 15 MB each), and the subject index is built while it applies
        /// the last ones. (Since the relations are loaded without adjacency lists, the writer
        /// waited 0.1 s for room here in a 35 s import at 1M, under load.)
        static let waiting = 8
        private let queue = ChunkQueue<Chunk>(capacity: SnapshotBuilder.waiting)
        private let first: Int64
        private let transaction: Int64
        private let done = DispatchSemaphore(value: 0)
        private var finished = false
        private let file: SnapshotFile?
        private let time: Double
        /// The graph with every node applied (`nodesDone`), under `lock`; signalled once it is
        /// set, or when the builder failed or stopped first.
        private var withNodes: Resolver?
        /// The import's node keys and their nodes, filled as the nodes are applied.
        private var keys = NodeKeyTable(expected: 0)
        private let nodesApplied = DispatchSemaphore(value: 0)

        /// With `file`, the builder also writes the snapshot file for the transaction being
        /// committed (id `transaction`, recorded at `time`), on its own thread.
        init(base: Graph, firstStatement: Int64, transaction: Int64, file: SnapshotFile?, time: Double) {
            graph = base; first = firstStatement; self.transaction = transaction
            self.file = file; self.time = time
            let t = Thread { [self] in build(); done.signal() }
            t.stackSize = 1 << 20
            t.start()
        }

        /// Whether a row failed (the importer stops sending chunks).
        var failed: Bool { lock.withLock { failedFlag } }

        /// Hands a chunk to the builder (waits while `waiting` chunks wait already).
        func add(_ chunk: Chunk) { queue.put(chunk) }

        /// Says that every node chunk was handed over, and returns a copy of the graph once the
        /// builder has applied them (nil when it failed first), to look up edges' ends in while
        /// the builder applies relations (which add no node).
        func nodesDone() -> Resolver? {
            var marker = Chunk()
            marker.nodesDoneMarker = true
            queue.put(marker)
            nodesApplied.wait()
            return lock.withLock { () -> Resolver? in
                defer { withNodes = nil }  // (the importer's copy is then the only other one)
                return withNodes
            }
        }

        /// No more chunks: the builder finishes the snapshot.
        func finish() { queue.close() }

        /// The built snapshot, or the first bad row's error.
        func wait() throws -> Graph {
            join()
            if let failure { throw failure }
            return graph
        }

        /// Stops the builder where it is (the import failed) and waits for it.
        func stop() {
            queue.cancel()
            join()
        }

        private func join() {
            guard !finished else { return }
            done.wait()
            finished = true
        }

        private func fail(_ error: StoreError) {
            failure = error
            lock.withLock { failedFlag = true }
            queue.cancel()
            nodesApplied.signal()  // (an importer waiting in `nodesDone` goes on, and stops)
        }

        private func build() {
            var g = graph
            graph = Graph()
            var id = first
            var reserved = false
            var bulk = false
            /// Extra labels of the nodes (node, label, statement), applied after the relations.
            var labels: [(Int32, String, Int64)] = []
            while let chunk = queue.take() {
                if chunk.nodesDoneMarker {
                    lock.withLock { withNodes = Resolver(graph: g, keys: keys) }
                    nodesApplied.signal()
                    continue
                }
                if !reserved {
                    g.reserve(nodes: g.nodes.count + chunk.expectedNodes, relationships: g.relationships.count)
                    // (the estimate is from the files' sizes at ~40 bytes a row: about twice the
                    // nodes of the 1M graph; the table grows past three quarters full)
                    keys = NodeKeyTable(expected: chunk.expectedNodes / 2)
                    reserved = true
                }
                // (Rows read in place, as in `ChunkParser.run`.)
                let nodeKeys = keys
                let bad: StoreError? = chunk.nodes.withUnsafeBufferPointer { nodes in
                    for r in nodes.indices {
                        // An id the store (or an earlier row) holds with another type is an error: loading
                        // it would add the row's type as a label to a different entity.
                        if let existing = g.lookup(key: nodes[r].id), g.node(existing).alive, g.node(existing).type != nodes[r].type {
                            let n = nodes[r]
                            return .badImport(file: chunk.file, line: n.line, message: "entity '\(n.id)' already exists with type \(g.node(existing).type), "
                                              + "not \(n.type) (give the row another id, or its existing type)")
                        }
                        let i = g.loadNode(key: nodes[r].id, type: nodes[r].type, statement: id)
                        nodeKeys.insert(nodes[r].id, node: i)
                        id += 1
                        for l in nodes[r].labels { labels.append((i, l, id)); id += 1 }
                        for (k, v) in nodes[r].properties { g.loadProperty(i, k, v, statement: id); id += 1 }
                    }
                    return nil
                }
                if let bad { return fail(bad) }
                if !chunk.edges.isEmpty && !bulk {
                    // (into a store without relationships no list is kept until the end, which
                    // makes them all at once: PendingAdjacency.swift)
                    g.beginBulkLoad(relationships: chunk.expectedEdges)
                    bulk = true
                }
                // Runs of edges share their source: its lookup is kept.
                var last: (key: String, node: Int32)?
                let edgeKeys = keys  // (a local: no exclusivity check of the property per edge)
                let unknown: StoreError? = chunk.edges.withUnsafeBufferPointer { edges in
                    for r in edges.indices {
                        let a: Int32?, b: Int32?
                        if !chunk.ends.isEmpty {
                            // (looked up by the importer's thread in the same nodes)
                            a = chunk.ends[2 * r] >= 0 ? chunk.ends[2 * r] : nil
                            b = chunk.ends[2 * r + 1] >= 0 ? chunk.ends[2 * r + 1] : nil
                        } else {
                            if let last, last.key == edges[r].src { a = last.node } else {
                                a = edgeKeys.node(edges[r].src, in: g)
                                if let a { last = (edges[r].src, a) }
                            }
                            b = edgeKeys.node(edges[r].dst, in: g)
                        }
                        guard let a, let b else {
                            let e = edges[r]
                            let end = g.lookup(key: e.src) == nil ? e.src : e.dst
                            return .badImport(file: chunk.file, line: e.line, message: "unknown entity '\(end)'; import its node first (nodes and edges may be given in one call)")
                        }
                        g.loadRelationship(from: a, to: b, type: edges[r].type, properties: edges[r].props, meta: edges[r].meta,
                                           statement: id, transaction: transaction)
                        id += 1
                    }
                    return nil
                }
                if let unknown { return fail(unknown) }
            }
            if bulk { g.endBulkLoad() }
            for (i, l, s) in labels { g.loadLabel(i, l, statement: s) }
            let last = id - 1
            g.transaction = transaction
            g.nextStatementID = max(g.nextStatementID, last + 1)
            try? file?.write(g, header: .init(transaction: transaction, time: time, lastStatement: last))
            graph = g
        }
    }

    /// A date read from a file, and whether its text is the one the date prints as.
    struct ParsedDate { var date: PartialDate; var canonical: Bool }

    /// The columns the importer reads.
    enum Column: Int, CaseIterable {
        case id, type, name, props, src, dst, date, since, until, source, note, grade, confidence, labels, aliases
    }

    /// One input row: its fields, and where each known column is (CSV rows share their
    /// file's positions; a JSON line has its own).
    struct Record {
        let positions: [Int]
        let fields: [String]
        subscript(_ c: Column) -> String? {
            let p = positions[c.rawValue]
            return p < 0 ? nil : fields[p]
        }
        /// A row with a `src` or `dst` column is an edge.
        var isEdge: Bool { positions[Column.src.rawValue] >= 0 || positions[Column.dst.rawValue] >= 0 }
        static func positions(_ index: [String: Int]) -> [Int] { Column.allCases.map { index["\($0)"] ?? -1 } }
        init(positions: [Int], fields: [String]) { self.positions = positions; self.fields = fields }
        init(_ values: [String: String]) {
            var index: [String: Int] = [:]
            var fields: [String] = []
            for (k, v) in values { index[k] = fields.count; fields.append(v) }
            self.init(positions: Record.positions(index), fields: fields)
        }
    }
}
