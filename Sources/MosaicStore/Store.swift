import CSQLite
import Foundation
import GRDB
import MosaicGraph

/// The durable statement log and the current graph snapshot built from it.
///
/// One writer: `write` runs its body in one SQLite transaction stamped with an origin, then
/// swaps in a new snapshot. Readers take `graph` (an immutable value) and keep working on
/// it while a writer commits. Nothing is deleted: a retraction closes a statement.
// @unchecked Sendable: the snapshot (`current`) is read and installed under `lock` (compare and set, `install`); the database is GRDB's DatabasePool, which serialises writes on its own queue; `clock` is set before the first write (tests) and only read after.
public final class Store: @unchecked Sendable {
    /// A past state to read: a transaction id, or the last transaction at or before a time.
    public enum AsOf: Sendable, Hashable {
        case transaction(Int64)
        case time(Date)
    }

    /// One row of the transaction log.
    public struct Transaction: Sendable, Hashable {
        public var id: Int64
        public var time: Date
        public var origin: Origin
        public var note: String?
    }

    let writer: any DatabaseWriter
    public let path: String?
    private let lock = NSLock()
    private var current = Graph()
    /// The clock transaction times are read from (tests and reproducible runs set it).
    public var clock: @Sendable () -> Date = { Date() }

    public var graph: Graph { lock.withLock { current } }

    /// The schema's rules of what cannot hold together, given to every graph this store hands
    /// out (set by whoever opens the workspace; not stored).
    public var factRules: FactRules {
        get { lock.withLock { current.factRules } }
        set { lock.withLock { current.factRules = newValue } }
    }

    /// Opens (creating if needed) the store at `path`, migrating it to the current schema.
    public static func open(path: String) throws -> Store {
        _ = Store.sqliteConfigured
        let dir = (path as NSString).deletingLastPathComponent
        if let problem = Store.notAStoreReason(path) { throw StoreError.notAStore(path: path, reason: problem) }
        do {
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            var config = Configuration()
            config.busyMode = .timeout(TimeInterval(busyTimeoutMilliseconds) / 1000)
            // WAL with synchronous=NORMAL: a commit is not synced on its own (checkpoints are);
            // a killed process loses nothing committed, a power cut may lose the last commits
            // but never leaves a damaged file.
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            let pool = try DatabasePool(path: path, configuration: config)
            let store = try Store(writer: pool, path: path)
            // The store exists from now on: an empty file here later is a truncated store.
            if !FileManager.default.fileExists(atPath: path + createdMarker) {
                FileManager.default.createFile(atPath: path + createdMarker, contents: Data("a Mosaic store was created here\n".utf8))
            }
            return store
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(e.resultCode) {
            throw StoreError.notAStore(path: path, reason: "SQLite says: \(e.message ?? "\(e.resultCode)")")
        } catch let e as DatabaseError where e.resultCode == .SQLITE_READONLY || e.resultCode == .SQLITE_CANTOPEN
                    && !FileManager.default.isWritableFile(atPath: dir) {
            throw StoreError.readOnly(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// The file beside a store that says it was created (see `notAStoreReason`).
    static let createdMarker = "-created"

    /// Why the file at `path` cannot be a store, or nil (a missing file is a new store).
    /// Checked before SQLite sees it: SQLite takes an empty file for an empty database and
    /// would make a fresh store of it, losing what the file held without a word.
    static func notAStoreReason(_ path: String) -> String? {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        if attrs[.type] as? FileAttributeType == .typeDirectory { return "it is a folder" }
        let size = (attrs[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 {
            // A store being created keeps its first pages in the WAL until a checkpoint (a
            // process killed then leaves an empty file and a WAL SQLite recovers from), and
            // one killed before its first write never held anything. An empty file whose
            // store was once created (the marker written after the first migration, or a
            // snapshot file) was truncated.
            let fm = FileManager.default
            let wal = ((try? fm.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
            if wal > 0 || !(fm.fileExists(atPath: path + createdMarker) || fm.fileExists(atPath: SnapshotFile(store: path).path)) {
                return nil
            }
            return "the file is empty (0 bytes), but the store was created and written before: it was truncated"
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }  // permissions: SQLite says
        defer { try? handle.close() }
        let header = handle.readData(ofLength: 16)
        if header != Data("SQLite format 3\0".utf8) { return "it is not an SQLite database (its first bytes are not SQLite's header)" }
        return nil
    }

    /// Moves a store's files (the database, its WAL and shared memory, the snapshot file)
    /// aside, to `NAME.set-aside-TIMESTAMP…`, so that the next open starts an empty store.
    /// Returns the new name of the database file, or nil when there was none.
    public static func setAside(path: String, now: Date = Date()) throws -> String? {
        let fm = FileManager.default
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
        var moved: String?
        // (-journal: a rollback journal a killed first import left, Store+FreshImport.swift; it
        // must not be taken for the journal of the next store made under this name.)
        for suffix in ["", "-wal", "-shm", "-journal", "-snapshot", createdMarker] where fm.fileExists(atPath: path + suffix) {
            var target = "\(path).set-aside-\(stamp)\(suffix)"
            var n = 1
            while fm.fileExists(atPath: target) { n += 1; target = "\(path).set-aside-\(stamp)-\(n)\(suffix)" }
            try fm.moveItem(atPath: path + suffix, toPath: target)
            if suffix.isEmpty { moved = target }
        }
        return moved
    }

    /// A store that lives in memory only (tests, scratch work).
    public static func inMemory() throws -> Store {
        _ = Store.sqliteConfigured
        return try Store(writer: DatabaseQueue(), path: nil)
    }

    /// Process-wide SQLite settings, made once before the first connection opens.
    static let sqliteConfigured: Bool = mosaic_sqlite_disable_memstatus() == SQLITE_OK

    init(writer: any DatabaseWriter, path: String?) throws {
        self.writer = writer
        self.path = path
        if let path {
            // GRDB's migrator creates its `grdb_migrations` table outside the first migration's
            // transaction: a process killed between the two leaves that table alone, which is a
            // store being created, not another program's database.
            let tables = try writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
                .filter { $0 != "grdb_migrations" }
            if !tables.isEmpty && !tables.contains("statement") {
                throw StoreError.notAStore(path: path, reason: "it is an SQLite database of another program (no statement log)")
            }
        }
        try Store.migrator.migrate(writer)
        current = try openSnapshot()
    }

    /// The snapshot file beside a file store (none for a store in memory).
    var snapshotFile: SnapshotFile? { path.map(SnapshotFile.init(store:)) }

    /// The current snapshot at open: the snapshot file brought up to the last transaction
    /// when it is usable, else a load of the whole log (then the file is written for next time).
    private func openSnapshot() throws -> Graph {
        let file = snapshotFile
        let (graph, applied, fromFile) = try writer.read { db -> (Graph, Int, Bool) in
            let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") ?? 0
            var trace = PhaseTrace("open")
            if let file, let (saved, header) = file.read(db, trace: &trace) {
                var g = saved
                let added = try Store.fetchStatements(db, where: "id > ? AND tx_to IS NULL", [header.lastStatement])
                // (through the index on tx_to: with `ORDER BY id` SQLite would otherwise walk the
                // table by id up to the file's last statement, 1 s at 1M entities)
                let closed = try Store.fetchStatements(db, where: "tx_to > ? AND +id <= ?", [header.transaction, header.lastStatement],
                                                       index: "statement_tx_to")
                if Store.apply(added: added, closed: closed, to: &g) {
                    trace.mark("apply log (\(added.count + closed.count) statements)")
                    g.transaction = last
                    if let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM statement") {
                        g.nextStatementID = max(g.nextStatementID, maxID + 1)
                    }
                    return (g, added.count + closed.count, true)
                }
            }
            return (try SnapshotLoader.load(db, asOf: nil), 0, false)
        }
        if let file, !fromFile || applied > SnapshotFile.rewriteThreshold {
            try? writer.read { db in try file.write(graph, db) }
        }
        return graph
    }

    /// The index of statements by subject (created by the first migration; the bulk import
    /// drops and re-creates it around a large import).
    static let subjectIndexSQL = "CREATE INDEX statement_subject ON statement(subject)"

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-statements") { db in
            try db.execute(sql: """
                CREATE TABLE tx (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    origin TEXT NOT NULL,
                    note TEXT
                );
                CREATE TABLE statement (
                    id INTEGER PRIMARY KEY,
                    kind INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    predicate TEXT NOT NULL,
                    object TEXT,
                    value TEXT,
                    valid_from TEXT,
                    valid_to TEXT,
                    sources TEXT,
                    grading TEXT,
                    confidence REAL,
                    origin TEXT NOT NULL,
                    file TEXT,
                    fact_key TEXT,
                    tx_from INTEGER NOT NULL,
                    tx_to INTEGER
                );
                CREATE INDEX statement_subject ON statement(subject);
                CREATE INDEX statement_open_file ON statement(file) WHERE tx_to IS NULL AND file IS NOT NULL;
                CREATE INDEX statement_tx_to ON statement(tx_to) WHERE tx_to IS NOT NULL;
                CREATE TABLE kb_file (
                    path TEXT PRIMARY KEY,
                    hash TEXT NOT NULL,
                    tx INTEGER NOT NULL
                );
                """)
        }
        m.registerMigration("v2-article-search") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE text_index USING fts5(entity UNINDEXED, field UNINDEXED, body,
                    tokenize = 'unicode61 remove_diacritics 2');
                """)
        }
        registerRunLog(&m)
        registerDerivationMigration(&m)
        registerTextBacklog(&m)
        registerRunOwner(&m)
        registerDocumentMigration(&m)
        registerProposalMigration(&m)
        return m
    }

    // MARK: - reading

    /// The graph as it was at a past transaction or time.
    public func snapshot(asOf: AsOf) throws -> Graph {
        try writer.read { db in
            let tx: Int64
            switch asOf {
            case .transaction(let t): tx = t
            case .time(let date):
                tx = try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx WHERE at <= ?", arguments: [date.timeIntervalSince1970]) ?? 0
            }
            var g = try SnapshotLoader.load(db, asOf: tx)
            g.factRules = factRules
            return g
        }
    }

    /// Resolves an as-of to a transaction id (0: before anything was written).
    public func transactionID(asOf: AsOf) throws -> Int64 {
        switch asOf {
        case .transaction(let t): return t
        case .time(let date):
            return try writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx WHERE at <= ?", arguments: [date.timeIntervalSince1970]) ?? 0
            }
        }
    }

    public func statement(_ id: Int64) throws -> MosaicGraph.Statement? {
        try writer.read { db in try Store.fetchStatements(db, where: "id = ?", [id]).first }
    }

    /// Statements about an entity (or `#id` for a relation's own properties), oldest first.
    public func statements(subject: String, includeRetracted: Bool = false) throws -> [MosaicGraph.Statement] {
        try writer.read { db in
            try Store.fetchStatements(db, where: includeRetracted ? "subject = ?" : "subject = ? AND tx_to IS NULL", [subject])
        }
    }

    /// Relations pointing at an entity.
    public func statements(object: String, includeRetracted: Bool = false) throws -> [MosaicGraph.Statement] {
        try writer.read { db in
            try Store.fetchStatements(db, where: includeRetracted ? "object = ?" : "object = ? AND tx_to IS NULL", [object])
        }
    }

    /// Relations pointing at an entity whose subject is one of `subjects`, in statement order:
    /// read through the index of subjects, where `statements(object:)` reads every statement
    /// (there is no index of objects).
    public func statements(object: String, subjects: [String], includeRetracted: Bool = false) throws -> [MosaicGraph.Statement] {
        try writer.read { db in
            var out: [MosaicGraph.Statement] = []
            var at = 0
            while at < subjects.count {
                let batch = Array(subjects[at..<min(at + 2_000, subjects.count)])
                at += batch.count
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let clause = "subject IN (\(marks)) AND object = ?" + (includeRetracted ? "" : " AND tx_to IS NULL")
                out += try Store.fetchStatements(db, where: clause, StatementArguments(batch + [object]), index: "statement_subject")
            }
            return subjects.count > 2_000 ? out.sorted { $0.id < $1.id } : out
        }
    }

    /// Statements asserted or retracted by transactions after `tx` (for "what changed").
    public func changes(since tx: Int64, until: Int64? = nil) throws -> (asserted: [MosaicGraph.Statement], retracted: [MosaicGraph.Statement]) {
        try writer.read { db in
            let upper = until ?? Int64.max
            let added = try Store.fetchStatements(db, where: "tx_from > ? AND tx_from <= ?", [tx, upper])
            let closed = try Store.fetchStatements(db, where: "tx_to > ? AND tx_to <= ?", [tx, upper], index: "statement_tx_to")
            return (added, closed)
        }
    }

    public func transactions(limit: Int = 50) throws -> [Transaction] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, at, origin, note FROM tx ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                Transaction(id: $0[0], time: Date(timeIntervalSince1970: $0[1]), origin: Origin(parsing: $0[2]), note: $0[3])
            }
        }
    }

    /// The first transaction, if any (an as-of before it reads nothing).
    public func firstTransaction() throws -> Transaction? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT id, at, origin, note FROM tx ORDER BY id LIMIT 1").map {
                Transaction(id: $0[0], time: Date(timeIntervalSince1970: $0[1]), origin: Origin(parsing: $0[2]), note: $0[3])
            }
        }
    }

    public var lastTransaction: Int64 {
        (try? writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") ?? 0 }) ?? 0
    }

    /// The kb files as last loaded: path → content hash.
    public func kbFileHashes() throws -> [String: String] {
        try writer.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, hash FROM kb_file") { out[row[0]] = row[1] }
            return out
        }
    }

    /// Open statements that came from a kb file.
    public func openStatements(fromFile path: String) throws -> [MosaicGraph.Statement] {
        try writer.read { db in try Store.fetchStatements(db, where: "file = ? AND tx_to IS NULL", [path]) }
    }

    /// Entities (one row each, with the best-matching field) whose indexed text (article titles, notes, names) matches `text`
    /// (SQLite FTS5 syntax: words, "phrases", prefix*), best first. Text a bulk import wrote is
    /// indexed first, on the first search after it.
    public func search(_ text: String, limit: Int = 50) throws -> [(entity: String, field: String, snippet: String)] {
        // (A store that cannot be written now, read-only or busy, searches what is indexed.)
        try? catchUpTextIndex()
        return try writer.read { db in
            let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            guard !words.isEmpty else { return [] }
            let pattern = words.map { "\"\($0)\"*" }.joined(separator: " ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT entity, field, snippet(text_index, 2, '[', ']', '…', 12) FROM text_index
                WHERE text_index MATCH ? ORDER BY rank, entity
                """, arguments: [pattern])
            var seen: Set<String> = []
            var out: [(entity: String, field: String, snippet: String)] = []
            for row in rows where out.count < limit {
                let e: String = row[0]
                if seen.insert(e).inserted { out.append((e, row[1], row[2])) }
            }
            return out
        }
    }

    /// Runs `PRAGMA integrity_check`; returns "ok" on a sound database.
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    /// `index`: the index SQLite must use (`INDEXED BY`), where its planner would rather walk
    /// the table in id order to save the sort.
    static func fetchStatements(_ db: Database, where clause: String, _ args: StatementArguments,
                                index: String? = nil) throws -> [MosaicGraph.Statement] {
        try Row.fetchAll(db, sql: """
            SELECT id, kind, subject, predicate, object, value, valid_from, valid_to, sources, grading,
                   confidence, origin, tx_from, tx_to FROM statement\(index.map { " INDEXED BY " + $0 } ?? "") WHERE \(clause) ORDER BY id
            """, arguments: args).compactMap { row in
            guard let kind = StatementCodec.kind(code: row[1], predicate: row[3], object: row[4], value: row[5]) else { return nil }
            let meta = StatementMeta(
                validFrom: (row[6] as String?).flatMap(PartialDate.init), validTo: (row[7] as String?).flatMap(PartialDate.init),
                sources: StatementCodec.decodeSources(row[8]), grading: (row[9] as String?).flatMap(Grading.init),
                confidence: row[10], origin: Origin(parsing: row[11]))
            return MosaicGraph.Statement(id: row[0], subject: row[2], kind: kind, meta: meta, txFrom: row[12], txTo: row[13])
        }
    }

    // MARK: - writing

    /// Runs `body` in one transaction stamped with `origin`; commits all or nothing, then
    /// refreshes the snapshot. Returns the transaction id (unchanged when nothing was written).
    @discardableResult
    public func write(origin: Origin, note: String? = nil, _ body: (inout StoreTransaction) throws -> Void) throws -> Int64 {
        var trace = PhaseTrace("write")
        let t = try transact(origin: origin, note: note, body)
        trace.mark("transaction")
        if t.wrote { try refresh(transaction: t.id, asserted: t.asserted, retracted: t.retracted) }
        return t.id
    }

    /// One SQLite transaction: the next transaction and statement ids, `body`, the text index,
    /// and the transaction's row when something was written (else the id of the last one).
    private func transact<R>(origin: Origin, note: String?, _ body: (inout StoreTransaction) throws -> R) throws
        -> (id: Int64, wrote: Bool, asserted: [Int64], retracted: [Int64], result: R) {
        let now = clock()
        do {
            return try transactBody(now: now, origin: origin, note: note, body)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_READONLY {
            throw StoreError.readOnly(path: path ?? "in memory")
        }
    }

    private func transactBody<R>(now: Date, origin: Origin, note: String?, _ body: (inout StoreTransaction) throws -> R) throws
        -> (id: Int64, wrote: Bool, asserted: [Int64], retracted: [Int64], result: R) {
        return try writer.write { db in
            let next = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") ?? 0) + 1
            let nextStatement = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM statement") ?? 0) + 1
            var tx = StoreTransaction(db: db, id: next, nextStatement: nextStatement)
            tx.time = now
            var trace = PhaseTrace("write")
            let result = try body(&tx)
            trace.mark("statements")
            try tx.finish()
            trace.mark("text index")
            guard tx.wroteSomething else { return (next - 1, false, [], [], result) }
            try db.execute(sql: "INSERT INTO tx (id, at, origin, note) VALUES (?, ?, ?, ?)",
                           arguments: [next, now.timeIntervalSince1970, origin.description, note])
            return (next, true, tx.asserted, tx.retracted, result)
        }
    }

    /// A write whose body also builds the snapshot it leads to (the bulk import builds it
    /// from its parsed rows on the second core while SQLite inserts them): `body` gets the
    /// current snapshot and returns it with the transaction's statements applied, or nil to
    /// have it loaded from the log. The snapshot file is written afterwards.
    @discardableResult
    func write(origin: Origin, note: String?, building body: (inout StoreTransaction, Graph) throws -> Graph?) throws -> Int64 {
        let base = graph
        var trace = PhaseTrace("write")
        defer { trace.mark("commit") }
        let t = try transact(origin: origin, note: note) { tx in try body(&tx, base) }
        let txID = t.id
        guard t.wrote else { return txID }
        // A bulk write leaves a write-ahead log as big as what it wrote: fold it into the
        // database and truncate it, so the store is one file of its size again.
        defer { checkpointLog() }
        // The built snapshot only counts when `base` was the snapshot of the transaction before.
        if var g = t.result, base.transaction == txID - 1 {
            g.transaction = txID
            let installed = lock.withLock { () -> Bool in
                guard current.transaction == txID - 1 else { return false }
                g.factRules = current.factRules
                current = g
                return true
            }
            if installed {
                // The body may have written the snapshot file already (it can, before the
                // commit: the file names the transaction and its time, which only the
                // commit makes true).
                if let file = snapshotFile, !file.holds(transaction: txID) {
                    var trace = PhaseTrace("write")
                    try? writer.read { db in try file.write(g, db) }
                    trace.mark("snapshot file")
                }
                return txID
            }
        }
        try refresh()
        return txID
    }

    /// Brings the snapshot up to a write: small writes are applied to the current graph (a
    /// 100,000-entity snapshot is not rebuilt for one new fact); large ones, and retractions
    /// of entities, labels or relation properties, rebuild it from the log.
    func refresh(transaction: Int64, asserted: [Int64], retracted: [Int64]) throws {
        // In place unless the write is larger than both the limit and the snapshot itself
        // (then a rebuild costs less than applying it).
        let size = graph.liveNodeCount + graph.liveRelationshipCount
        guard asserted.count + retracted.count <= max(Store.incrementalRefreshLimit, size) else { return try refresh() }
        func fetch(_ ids: [Int64]) throws -> [MosaicGraph.Statement] {
            guard !ids.isEmpty else { return [] }
            return try writer.read { db in
                try Store.fetchStatements(db, where: "id IN (SELECT value FROM json_each(?))",
                                          [Value.list(ids.map(Value.int)).encoded])
            }
        }
        var trace = PhaseTrace("refresh in place")
        let added = try fetch(asserted), closed = try fetch(retracted)
        trace.mark("fetch \(added.count) + \(closed.count) statements")
        var g = graph
        guard g.transaction == transaction - 1, Store.apply(added: added, closed: closed, to: &g) else { return try refresh() }
        trace.mark("apply")
        g.transaction = transaction
        g.nextStatementID = max(g.nextStatementID, (asserted.max() ?? 0) + 1)
        install(g)
        trace.mark("install")
    }

    /// Applies statements asserted and closed after a snapshot was taken to it, in place.
    /// Returns false (leaving `g` half changed) for what it cannot apply in place:
    /// retractions of entities, labels or relation properties; the caller then rebuilds.
    static func apply(added: [MosaicGraph.Statement], closed: [MosaicGraph.Statement], to g: inout Graph) -> Bool {
        // Closed properties are removed node by node in one pass each (a run that replaces
        // 20,000 properties of one entity must not shift its property array 20,000 times).
        var closedProperties: [Int32: Set<String>] = [:]
        for s in closed {
            switch s.kind {
            case .relation:
                if let r = g.relationship(statement: s.id), g.relationship(r).believed { g.retractClaim(r) }
            case .property(let name, _):
                if let n = g.lookup(key: s.subject), g.node(n).propertyStatement(name) == s.id {
                    closedProperties[n, default: []].insert(name)
                }
            default:
                return false
            }
        }
        for (n, names) in closedProperties.sorted(by: { $0.key < $1.key }) { g.unloadProperties(n, names) }
        // Entities first, then labels and properties, then relations (in statement order, as the
        // snapshot keeps them), then relation properties: a file may state a relation before
        // the entity it names.
        g.beginBulkLoad()  // adjacency put in type order once, at the end
        defer { g.endBulkLoad() }
        for s in added.sorted(by: { ($0.kind.code, $0.id) < ($1.kind.code, $1.id) }) {
            switch s.kind {
            case .entity(let type): g.loadNode(key: s.subject, type: type, statement: s.id)
            case .label(let l): if let n = g.lookup(key: s.subject) { g.loadLabel(n, l, statement: s.id) }
            case .property(let name, let v): if let n = g.lookup(key: s.subject) { g.loadProperty(n, name, v, statement: s.id) }
            case .relation(let type, let target, let props):
                if let a = g.lookup(key: s.subject), let b = g.lookup(key: target) {
                    g.loadRelationship(from: a, to: b, type: type, properties: props, meta: s.meta, statement: s.id, transaction: s.txFrom)
                }
            case .relationProperty(let name, let v):
                if s.subject.hasPrefix("#"), let sid = Int64(s.subject.dropFirst()), let r = g.relationship(statement: sid) {
                    g.loadRelationshipProperty(r, name, v, statement: s.id)
                }
            }
        }
        return true
    }

    /// Writes touching more statements than this, and than the snapshot holds, rebuild the
    /// snapshot instead.
    static let incrementalRefreshLimit = 100_000

    /// Commits the changes a writer recorded on a copy of the current snapshot (the query
    /// language's writes) as one transaction, then refreshes the snapshot.
    @discardableResult
    public func commit(_ graph: Graph, changes: [GraphChange], origin: Origin, note: String? = nil) throws -> Int64 {
        guard !changes.isEmpty else { return lastTransaction }
        for case .assert(let st) in changes {
            if let problem = Store.validationProblem(st.draft) { throw StoreError.invalidWrite(problem) }
        }
        let base = self.graph.transaction
        guard graph.transaction == base else {
            throw StoreError.conflict("it was read at transaction \(graph.transaction), the store is at \(base)")
        }
        let tx = try write(origin: origin, note: note) { tx in try tx.apply(changes) }
        return tx
    }

    /// What `WriteValidation` finds wrong with a statement a query wrote, if anything. An
    /// entity statement may have no type: a query's `CREATE (n)` makes a node without labels.
    static func validationProblem(_ d: StatementDraft) -> String? {
        if case .entity(let type) = d.kind, type.isEmpty {
            return WriteValidation.checkIdentifier(d.subject, as: .entityID)
        }
        if let p = WriteValidation.checkDraft(d) { return p }
        for c in d.meta.sources {
            if let p = WriteValidation.checkIdentifier(c.source, as: .entityID) { return "source: \(p)" }
        }
        return nil
    }

    /// Rebuilds the snapshot from the statement log.
    /// The snapshot file is written again (the next open reads it).
    public func refresh() throws {
        let file = snapshotFile
        let g = try writer.read { db in
            let g = try SnapshotLoader.load(db, asOf: nil)
            try? file?.write(g, db)
            return g
        }
        install(g, keepingRules: true)
    }

    /// Copies the write-ahead log into the database and truncates it (`PRAGMA
    /// wal_checkpoint(TRUNCATE)`), after the bulk writes that make it large. Best effort: a
    /// reader that holds an old snapshot keeps the log as it is, and nothing is lost either way.
    func checkpointLog() {
        _ = try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Makes `g` the current snapshot unless a newer one is there already (compare and set:
    /// two writers refresh after their commits in either order, and a slower refresh must
    /// not put back an older graph). Returns whether it was installed.
    @discardableResult
    func install(_ g: Graph, keepingRules: Bool = false) -> Bool {
        lock.withLock {
            guard g.transaction >= current.transaction else { return false }
            var g = g
            if keepingRules { g.factRules = current.factRules }
            current = g
            return true
        }
    }
}

extension Store {
    /// Open statements from kb files other than `excludingFiles` that mention entity `id`
    /// (as subject, object or cited source): what would dangle if `id` went away.
    public func openReferences(to id: String, excludingFiles: Set<String>) throws -> [MosaicGraph.Statement] {
        var quoted = ""
        Value.writeJSONString(id, into: &quoted)
        return try writer.read { db in
            try Store.fetchStatements(db, where: """
                tx_to IS NULL AND file IS NOT NULL AND (subject = ? OR object = ? OR instr(sources, ?) > 0)
                """, [id, id, "[" + quoted])
        }.filter { s in s.meta.origin.file.map { !excludingFiles.contains($0) } ?? true }
    }
}

extension Store {
    /// Every statement believed at transaction `tx` (now when nil), in id order.
    public func believedStatements(asOf tx: Int64? = nil) throws -> [MosaicGraph.Statement] {
        try writer.read { db in
            if let tx { return try Store.fetchStatements(db, where: "tx_from <= ? AND (tx_to IS NULL OR tx_to > ?)", [tx, tx]) }
            return try Store.fetchStatements(db, where: "tx_to IS NULL", [])
        }
    }
}
