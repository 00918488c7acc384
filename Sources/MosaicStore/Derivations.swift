import CSQLite
import Foundation
import GRDB
import MosaicGraph

// Derivations: what the inference engine records beside the statements it derives. A
// derived statement is an ordinary statement (origin `plugin:NAME@VERSION#RULE`); each of
// its derivations names the rule that produced it and the premises (statement ids) it was
// produced from. Derivations are closed in transaction time like statements, never deleted.

extension Store {
    /// The schema of the derivation tables (registered in `Store.migrator`).
    static func registerDerivationMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-derivations") { db in
            try db.execute(sql: """
                CREATE TABLE inference_rule (
                    id INTEGER PRIMARY KEY,
                    plugin TEXT NOT NULL,
                    name TEXT NOT NULL,
                    version TEXT NOT NULL,
                    reads TEXT NOT NULL,
                    writes TEXT NOT NULL,
                    tx_from INTEGER NOT NULL,
                    tx_to INTEGER
                );
                CREATE INDEX inference_rule_open ON inference_rule(plugin, name) WHERE tx_to IS NULL;
                CREATE TABLE derivation (
                    id INTEGER PRIMARY KEY,
                    statement INTEGER NOT NULL,
                    rule INTEGER NOT NULL,
                    premises TEXT NOT NULL,
                    tx_from INTEGER NOT NULL,
                    tx_to INTEGER
                );
                CREATE INDEX derivation_statement ON derivation(statement);
                CREATE INDEX derivation_open_rule ON derivation(rule) WHERE tx_to IS NULL;
                CREATE TABLE derivation_premise (
                    premise INTEGER NOT NULL,
                    derivation INTEGER NOT NULL,
                    PRIMARY KEY (premise, derivation)
                ) WITHOUT ROWID;
                CREATE TABLE inference_state (
                    key TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
        }
    }

    /// One derivation of a derived statement.
    public struct DerivationRecord: Sendable, Hashable {
        public var id: Int64
        /// The derived statement.
        public var statement: Int64
        public var plugin: String
        public var rule: String
        public var version: String
        /// Premise statement ids, in the order the rule gave them.
        public var premises: [Int64]
        public var txFrom: Int64
        public var txTo: Int64?
        /// `plugin/rule@version`.
        public var ruleDescription: String { "\(plugin)/\(rule)@\(version)" }
    }

    /// A rule the inference engine has run (open while the rule is enabled at that version).
    public struct InferenceRuleRecord: Sendable, Hashable {
        public var id: Int64
        public var plugin: String
        public var name: String
        public var version: String
        public var reads: [String]
        public var writes: [String]
    }

    /// Where the last inference run left off: the last transaction and statement id it saw.
    public struct InferenceCheckpoint: Sendable, Hashable {
        public var transaction: Int64
        public var statement: Int64
        public init(transaction: Int64, statement: Int64) { self.transaction = transaction; self.statement = statement }
    }

    /// What an inference run reads of the log since its checkpoint (`InferenceReader.inferenceChanges`).
    public struct InferenceChanges: Sendable {
        /// Statements asserted after the checkpoint and still open, in id order.
        public var asserted: [MosaicGraph.Statement]
        /// Ids of statements the checkpoint saw that were retracted since, in id order.
        public var retracted: [Int64]
        public init(asserted: [MosaicGraph.Statement], retracted: [Int64]) { self.asserted = asserted; self.retracted = retracted }
    }

    // MARK: - reading

    /// Runs `body` with a reader of the derivation tables inside ONE read transaction (an
    /// inference run reads many small things; one transaction keeps them consistent and
    /// cheap). The reader must not escape `body`.
    public func withInferenceReader<T>(_ body: (InferenceReader) throws -> T) throws -> T {
        try writer.read { db in try body(InferenceReader(db: db)) }
    }

    /// Open (or, with `includeClosed`, all) derivations of a statement, oldest first.
    public func derivations(of statement: Int64, includeClosed: Bool = false) throws -> [DerivationRecord] {
        try withInferenceReader { try $0.derivations(of: statement, includeClosed: includeClosed) }
    }

    /// Open derivations of any of `statements`.
    public func derivations(ofStatements statements: [Int64]) throws -> [DerivationRecord] {
        try withInferenceReader { try $0.derivations(ofStatements: statements) }
    }

    /// Open derivations that use any of `premises`.
    public func derivations(usingPremises premises: [Int64]) throws -> [DerivationRecord] {
        try withInferenceReader { try $0.derivations(usingPremises: premises) }
    }

    /// True when the statement has an open derivation.
    public func isDerived(_ statement: Int64) throws -> Bool {
        try withInferenceReader { try $0.isDerived(statement) }
    }

    /// The rules (`plugin/rule@version`) with an open derivation of the statement, sorted.
    public func derivedBy(_ statement: Int64) throws -> [String] {
        Array(Set(try derivations(of: statement).map(\.ruleDescription))).sorted()
    }

    /// The rules registered as enabled.
    public func inferenceRules() throws -> [InferenceRuleRecord] {
        try withInferenceReader { try $0.inferenceRules() }
    }

    /// Where the last inference run left off (zeros before the first run).
    public func inferenceCheckpoint() throws -> InferenceCheckpoint {
        try withInferenceReader { try $0.inferenceCheckpoint() }
    }

    // MARK: - held plugins (derived facts kept, marked stale)

    /// Plugins whose rules did not run in the last inference run although the plugin is
    /// there and enabled (it failed to load, or a rule failed or was skipped): what they
    /// derived is kept but stale. Name → the transaction since which it is held.
    public func heldPlugins() throws -> [String: Int64] {
        try writer.read { db in
            var out: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM inference_state WHERE key LIKE 'held:%'") {
                out[String((row[0] as String).dropFirst(5))] = row[1]
            }
            return out
        }
    }

    /// Records the held plugins (replacing the set); a plugin already held keeps its date.
    public func setHeldPlugins(_ plugins: Set<String>, at transaction: Int64) throws {
        try writer.write { db in
            let now = try Row.fetchAll(db, sql: "SELECT key FROM inference_state WHERE key LIKE 'held:%'").map { String(($0[0] as String).dropFirst(5)) }
            for name in now where !plugins.contains(name) {
                try db.execute(sql: "DELETE FROM inference_state WHERE key = ?", arguments: ["held:" + name])
            }
            for name in plugins where !now.contains(name) {
                try db.execute(sql: "INSERT INTO inference_state (key, value) VALUES (?, ?)", arguments: ["held:" + name, transaction])
            }
        }
    }

    /// The held plugins a derived statement's belief rests on, sorted: non-empty when every
    /// open derivation of it is by a held plugin's rule (it is stale: kept, not re-checked).
    public func staleness(of statement: Int64) throws -> [String] {
        let held = try heldPlugins()
        guard !held.isEmpty else { return [] }
        let plugins = Set(try derivations(of: statement).map(\.plugin))
        guard !plugins.isEmpty, plugins.allSatisfy({ held[$0] != nil }) else { return [] }
        return plugins.sorted()
    }

    /// Statements by id (any state), in id order.
    public func statements(ids: [Int64]) throws -> [MosaicGraph.Statement] {
        try withInferenceReader { try $0.statements(ids: ids) }
    }

    static func fetchDerivations(_ db: Database, where clause: String, _ args: StatementArguments) throws -> [DerivationRecord] {
        try Row.fetchAll(db, sql: """
            SELECT d.id, d.statement, r.plugin, r.name, r.version, d.premises, d.tx_from, d.tx_to
            FROM derivation d JOIN inference_rule r ON r.id = d.rule WHERE \(clause) ORDER BY d.id
            """, arguments: args).map { row in
            DerivationRecord(id: row[0], statement: row[1], plugin: row[2], rule: row[3], version: row[4],
                             premises: (row[5] as String).split(separator: ",").compactMap { Int64($0) },
                             txFrom: row[6], txTo: row[7])
        }
    }

    // MARK: - writing

    /// Writes an inference plan as one transaction stamped `origin`, and moves the
    /// checkpoint to it. Throws `StoreError.conflict` (writing nothing) when another write
    /// came after `plan.baseTransaction`. Returns the transaction id (the base one when the
    /// plan changed nothing). `written`, when given, is called once the SQL of the plan is
    /// executed (before the commit and the snapshot refresh: the caller's timing split).
    @discardableResult
    public func writeInference(_ plan: InferenceWrite, origin: Origin, note: String? = nil,
                               written: (() -> Void)? = nil) throws -> Int64 {
        var result = plan.baseTransaction
        let now = clock()
        let changesStatements = !plan.assert.isEmpty || !plan.retract.isEmpty
        let body: (inout StoreTransaction) throws -> Void = { tx in
            let db = tx.db
            let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") ?? 0
            guard last == plan.baseTransaction else {
                throw StoreError.conflict("inference was planned at transaction \(plan.baseTransaction), the store is at \(last)")
            }
            guard let conn = db.sqliteConnection else { throw StoreError.sqlite(context: "writing derivations", message: "no connection") }
            if plan.isEmpty {
                try Store.saveCheckpoint(db, tx: plan.baseTransaction, statement: tx.nextStatement - 1)
                return
            }
            // A large plan (a rule run from scratch) inserts into every index of the statement
            // and derivation tables at scattered places: a bigger page cache for this
            // transaction (as BulkImporter does), restored after it.
            let large = plan.assert.count + plan.derivations.count > 20_000
            let cacheSize = large ? (try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000) : 0
            if large { try db.execute(sql: "PRAGMA cache_size = -262144") }
            defer { if large { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") } }
            // Statements, with the ids the plan gave them.
            if !plan.assert.isEmpty {
                var batch = RowBatch(reservingRows: plan.assert.count)
                var lastOrigin: Origin? = nil, originText = ""
                for (i, new) in plan.assert.enumerated() {
                    let d = new.draft
                    guard new.id == tx.nextStatement + Int64(i) else {
                        throw StoreError.conflict("derived statement #\(new.id) was planned, the next free id is #\(tx.nextStatement + Int64(i))")
                    }
                    // Derived statements come in runs of one rule: its origin's text once per run.
                    if d.meta.origin != lastOrigin {
                        lastOrigin = d.meta.origin
                        originText = d.meta.origin.description
                    }
                    batch.append(d, origin: originText)
                }
                let ids = tx.reserveStatementIDs(batch.rows)
                try batch.insert(on: conn, firstID: ids.lowerBound, transaction: tx.id)
            }
            for id in plan.retract { try tx.retract(id) }
            // Rules.
            for id in plan.closeRules {
                try db.execute(sql: "UPDATE inference_rule SET tx_to = ? WHERE id = ? AND tx_to IS NULL", arguments: [tx.id, id])
            }
            var ruleIDs: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, plugin, name, version FROM inference_rule WHERE tx_to IS NULL") {
                ruleIDs["\(row[1] as String)\u{1}\(row[2] as String)\u{1}\(row[3] as String)"] = row[0]
            }
            for r in plan.registerRules {
                let key = "\(r.plugin)\u{1}\(r.name)\u{1}\(r.version)"
                guard ruleIDs[key] == nil else { continue }
                try db.execute(sql: "INSERT INTO inference_rule (plugin, name, version, reads, writes, tx_from) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [r.plugin, r.name, r.version, r.reads.joined(separator: ","), r.writes.joined(separator: ","), tx.id])
                ruleIDs[key] = db.lastInsertedRowID
            }
            // Derivations.
            for chunk in plan.closeDerivations.chunked(500) {
                try db.execute(sql: "UPDATE derivation SET tx_to = ? WHERE id IN (\(chunk.map(String.init).joined(separator: ","))) AND tx_to IS NULL",
                               arguments: [tx.id])
            }
            if !plan.derivations.isEmpty {
                var next = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM derivation") ?? 0) + 1
                let dstmt = try Store.prepare(conn, "INSERT INTO derivation (id, statement, rule, premises, tx_from) VALUES (?, ?, ?, ?, ?)")
                let pstmt = try Store.prepare(conn, "INSERT OR IGNORE INTO derivation_premise (premise, derivation) VALUES (?, ?)")
                defer { sqlite3_finalize(dstmt); sqlite3_finalize(pstmt) }
                let transient = mosaic_sqlite_transient()
                // Derivations come in runs of the same rule: look its id up once per run.
                var last: (plugin: String, rule: String, version: String, id: Int64)? = nil
                var premisesText = ""
                var premiseRows: [(premise: Int64, derivation: Int64)] = []
                premiseRows.reserveCapacity(plan.derivations.count * 2)
                for d in plan.derivations {
                    let rule: Int64
                    if let l = last, l.plugin == d.plugin, l.rule == d.rule, l.version == d.version {
                        rule = l.id
                    } else {
                        guard let id = ruleIDs["\(d.plugin)\u{1}\(d.rule)\u{1}\(d.version)"] else {
                            throw StoreError.conflict("rule \(d.plugin)/\(d.rule)@\(d.version) is not registered")
                        }
                        rule = id
                        last = (d.plugin, d.rule, d.version, id)
                    }
                    premisesText.removeAll(keepingCapacity: true)
                    for (k, p) in d.premises.enumerated() {
                        if k > 0 { premisesText.append(",") }
                        premisesText.append(String(p))
                    }
                    sqlite3_bind_int64(dstmt, 1, next)
                    sqlite3_bind_int64(dstmt, 2, d.statement)
                    sqlite3_bind_int64(dstmt, 3, rule)
                    sqlite3_bind_text(dstmt, 4, premisesText, -1, transient)
                    sqlite3_bind_int64(dstmt, 5, tx.id)
                    try Store.step(dstmt, conn)
                    for p in d.premises { premiseRows.append((p, next)) }
                    next += 1
                }
                // The premise index in key order: appending to its B-tree instead of inserting
                // all over it (the premises of a large run are scattered).
                premiseRows.sort { $0.premise != $1.premise ? $0.premise < $1.premise : $0.derivation < $1.derivation }
                for row in premiseRows {
                    sqlite3_bind_int64(pstmt, 1, row.premise)
                    sqlite3_bind_int64(pstmt, 2, row.derivation)
                    try Store.step(pstmt, conn)
                }
            }
            if !changesStatements {
                // Only derivations or rules changed: the transaction still needs its row.
                try db.execute(sql: "INSERT INTO tx (id, at, origin, note) VALUES (?, ?, ?, ?)",
                               arguments: [tx.id, now.timeIntervalSince1970, origin.description, note])
            }
            try Store.saveCheckpoint(db, tx: tx.id, statement: tx.nextStatement - 1)
            result = tx.id
            written?()
        }
        try write(origin: origin, note: note, body)
        return result
    }

    static func saveCheckpoint(_ db: Database, tx: Int64, statement: Int64) throws {
        try db.execute(sql: """
            INSERT INTO inference_state (key, value) VALUES ('transaction', ?), ('statement', ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value
            """, arguments: [tx, statement])
    }

    static func prepare(_ conn: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(conn, sql, -1, &s, nil) == SQLITE_OK, let s else {
            throw StoreError.sqlite(context: "writing derivations", message: String(cString: sqlite3_errmsg(conn)))
        }
        return s
    }

    static func step(_ s: OpaquePointer, _ conn: OpaquePointer) throws {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw StoreError.sqlite(context: "writing derivations", message: String(cString: sqlite3_errmsg(conn)))
        }
    }
}


/// Reads of the derivation tables and the statement log inside one read transaction
/// (`Store.withInferenceReader`).
public struct InferenceReader {
    let db: Database

    /// Open (or, with `includeClosed`, all) derivations of a statement, oldest first.
    public func derivations(of statement: Int64, includeClosed: Bool = false) throws -> [Store.DerivationRecord] {
        try Store.fetchDerivations(db, where: "d.statement = ?" + (includeClosed ? "" : " AND d.tx_to IS NULL"), [statement])
    }

    /// Open derivations of any of `statements`.
    public func derivations(ofStatements statements: [Int64]) throws -> [Store.DerivationRecord] {
        var out: [Store.DerivationRecord] = []
        for chunk in statements.chunked(500) {
            out += try Store.fetchDerivations(db, where: "d.statement IN (\(chunk.map(String.init).joined(separator: ","))) AND d.tx_to IS NULL", [])
        }
        return out
    }

    /// Open derivations that use any of `premises`.
    public func derivations(usingPremises premises: [Int64]) throws -> [Store.DerivationRecord] {
        var out: [Store.DerivationRecord] = []
        for chunk in premises.chunked(500) {
            out += try Store.fetchDerivations(db, where: """
                d.id IN (SELECT derivation FROM derivation_premise WHERE premise IN (\(chunk.map(String.init).joined(separator: ","))))
                AND d.tx_to IS NULL
                """, [])
        }
        return out
    }

    /// Open derivations made by registered rules `ruleIDs`.
    public func derivations(byRules ruleIDs: [Int64]) throws -> [Store.DerivationRecord] {
        guard !ruleIDs.isEmpty else { return [] }
        return try Store.fetchDerivations(db, where: "d.rule IN (\(ruleIDs.map(String.init).joined(separator: ","))) AND d.tx_to IS NULL", [])
    }

    public func isDerived(_ statement: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM derivation WHERE statement = ? AND tx_to IS NULL)", arguments: [statement]) ?? false
    }

    /// The rules registered as enabled.
    public func inferenceRules() throws -> [Store.InferenceRuleRecord] {
        try Row.fetchAll(db, sql: "SELECT id, plugin, name, version, reads, writes FROM inference_rule WHERE tx_to IS NULL ORDER BY id").map {
            Store.InferenceRuleRecord(id: $0[0], plugin: $0[1], name: $0[2], version: $0[3],
                                      reads: ($0[4] as String).split(separator: ",").map(String.init),
                                      writes: ($0[5] as String).split(separator: ",").map(String.init))
        }
    }

    /// Where the last inference run left off (zeros before the first run).
    public func inferenceCheckpoint() throws -> Store.InferenceCheckpoint {
        var out = Store.InferenceCheckpoint(transaction: 0, statement: 0)
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM inference_state") {
            switch row[0] as String {
            case "transaction": out.transaction = row[1]
            case "statement": out.statement = row[1]
            default: break
            }
        }
        return out
    }

    /// The last transaction in the log.
    public func lastTransaction() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") ?? 0
    }

    /// Statements written since a checkpoint: those asserted after it that are still open
    /// (ids above `checkpoint.statement`: ids grow with transactions), and those retracted
    /// after it (ids only). Cheap: both use an index.
    public func inferenceChanges(since checkpoint: Store.InferenceCheckpoint) throws -> Store.InferenceChanges {
        let added = try Store.fetchStatements(db, where: "id > ? AND tx_to IS NULL", [checkpoint.statement])
        let closed = try Int64.fetchAll(db, sql: "SELECT id FROM statement INDEXED BY statement_tx_to WHERE tx_to > ? AND +id <= ? ORDER BY id",
                                        arguments: [checkpoint.transaction, checkpoint.statement])
        return Store.InferenceChanges(asserted: added, retracted: closed)
    }

    /// Open statements of a subject with this kind code, predicate and origin (finding a
    /// derived property or label statement again).
    public func openStatements(subject: String, kindCode: Int, predicate: String, origin: Origin) throws -> [MosaicGraph.Statement] {
        try Store.fetchStatements(db, where: "subject = ? AND kind = ? AND predicate = ? AND origin = ? AND tx_to IS NULL",
                                  [subject, kindCode, predicate, origin.description])
    }

    /// Statements by id (any state), in id order.
    public func statements(ids: [Int64]) throws -> [MosaicGraph.Statement] {
        var out: [MosaicGraph.Statement] = []
        for chunk in ids.chunked(500) {
            out += try Store.fetchStatements(db, where: "id IN (\(chunk.map(String.init).joined(separator: ",")))", [])
        }
        return out.sorted { $0.id < $1.id }
    }
}

private extension Array {
    func chunked(_ n: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: n).map { self[$0..<Swift.min($0 + n, count)] }
    }
}
