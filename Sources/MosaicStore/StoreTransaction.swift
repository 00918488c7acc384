import Foundation
import GRDB
import MosaicGraph

/// The one open write: asserts and retracts statements inside `Store.write`.
public struct StoreTransaction {
    let db: Database
    /// This transaction's id (what `txFrom`/`txTo` of the statements it touches will say).
    public let id: Int64
    private(set) var nextStatement: Int64
    /// The time the transaction will be recorded with.
    var time = Date()
    private(set) var wroteSomething = false
    private var textSubjects: Set<String> = []
    /// Statements this transaction asserted and retracted, in order.
    public private(set) var asserted: [Int64] = []
    public private(set) var retracted: [Int64] = []

    init(db: Database, id: Int64, nextStatement: Int64) {
        self.db = db
        self.id = id
        self.nextStatement = nextStatement
    }

    /// Records that the transaction wrote rows other than statements (documents, proposals),
    /// so it is recorded in the `tx` table.
    mutating func markWritten() { wroteSomething = true }

    /// Properties whose text `Store.search` finds.
    static let textFields: Set<String> = ["title", "summary", "description", "name", "aliases", "note", "text"]

    /// Asserts a new statement; returns its id.
    @discardableResult
    public mutating func assert(_ draft: StatementDraft, file: String? = nil) throws -> Int64 {
        let sid = nextStatement
        try insert(id: sid, draft, file: file)
        nextStatement += 1
        return sid
    }

    /// Closes a statement (it stays in the log, with this transaction as its end).
    public mutating func retract(_ statementID: Int64) throws {
        // Cached statements: a load or a plugin's write runs these thousands of times.
        try db.cachedStatement(sql: "UPDATE statement SET tx_to = ? WHERE id = ? AND tx_to IS NULL").execute(arguments: [id, statementID])
        guard db.changesCount == 1 else {
            if try Int64.fetchOne(db, sql: "SELECT id FROM statement WHERE id = ?", arguments: [statementID]) == nil {
                throw StoreError.unknownStatement(statementID)
            }
            return  // already closed: retracting twice changes nothing
        }
        wroteSomething = true
        retracted.append(statementID)
        if let subject = try String.fetchOne(db, sql: "SELECT subject FROM statement WHERE id = ?", arguments: [statementID]) {
            textSubjects.insert(subject)
        }
    }

    /// Replays the changes a graph recorded (statement ids as the graph gave them).
    public mutating func apply(_ changes: [GraphChange]) throws {
        for change in changes {
            switch change {
            case .assert(let s):
                guard s.id >= nextStatement else {
                    throw StoreError.conflict("statement #\(s.id) already exists")
                }
                try insert(id: s.id, s.draft, file: nil)
                nextStatement = s.id + 1
            case .retract(let sid):
                try retract(sid)
            }
        }
    }

    /// Makes the open statements that came from kb file `path` equal `drafts`: facts no
    /// longer there are retracted, new ones asserted, unchanged ones keep their statement.
    @discardableResult
    public mutating func syncFile(path: String, hash: String, drafts: [StatementDraft]) throws -> SyncCounts {
        var existing: [String: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, fact_key FROM statement WHERE file = ? AND tx_to IS NULL ORDER BY id",
                                    arguments: [path]) {
            existing[row[1] ?? "", default: []].append(row[0])
        }
        var counts = SyncCounts()
        // How many statements each distinct fact should have (more than one: `times: N`).
        var wanted: [String: Int] = [:]
        var distinct: [(StatementDraft, String)] = []
        for d in drafts {
            let key = StatementCodec.factKey(d)
            wanted[key, default: 0] += 1
            if wanted[key] == 1 { distinct.append((d, key)) }
        }
        for (key, ids) in existing.sorted(by: { $0.value[0] < $1.value[0] }) {
            // Facts gone from the file, and copies beyond the number wanted, close.
            let keep = wanted[key] ?? 0
            counts.kept += min(keep, ids.count)
            for sid in ids.dropFirst(keep) {
                try retract(sid)
                counts.retracted += 1
            }
        }
        for (d, key) in distinct {
            for _ in 0..<max(0, wanted[key]! - (existing[key]?.count ?? 0)) {
                try assert(d, file: path)
                counts.asserted += 1
            }
        }
        try db.execute(sql: "INSERT INTO kb_file (path, hash, tx) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, tx = excluded.tx",
                       arguments: [path, hash, id])
        wroteSomething = true
        return counts
    }

    /// Retracts every open fact of a kb file that was deleted.
    @discardableResult
    public mutating func removeFile(path: String) throws -> SyncCounts {
        var counts = SyncCounts()
        for sid in try Int64.fetchAll(db, sql: "SELECT id FROM statement WHERE file = ? AND tx_to IS NULL ORDER BY id", arguments: [path]) {
            try retract(sid)
            counts.retracted += 1
        }
        try db.execute(sql: "DELETE FROM kb_file WHERE path = ?", arguments: [path])
        wroteSomething = true
        return counts
    }

    private mutating func insert(id sid: Int64, _ d: StatementDraft, file: String?) throws {
        let (object, value) = StatementCodec.columns(d.kind)
        let m = d.meta
        try db.cachedStatement(sql: """
            INSERT INTO statement (id, kind, subject, predicate, object, value, valid_from, valid_to, sources,
                                   grading, confidence, origin, file, fact_key, tx_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [sid, d.kind.code, d.subject, d.kind.predicate, object, value, m.validFrom?.description,
                             m.validTo?.description, StatementCodec.encodeSources(m.sources), m.grading?.description,
                             m.confidence, m.origin.description, file, file == nil ? nil : StatementCodec.factKey(d), id])
        wroteSomething = true
        asserted.append(sid)
        if case .property(let name, _) = d.kind, StoreTransaction.textFields.contains(name) { textSubjects.insert(d.subject) }
        if m.sources.contains(where: { $0.note != nil }) { textSubjects.insert(d.subject) }
    }

    /// Re-indexes the searchable text of the entities this transaction touched, set-based
    /// (a statement per step, not per entity: 20,000 new named entities cost one pass).
    mutating func finish() throws {
        guard !textSubjects.isEmpty else { return }
        try Store.prepareTextSubjects(db)
        try db.execute(sql: "INSERT OR IGNORE INTO text_subject SELECT value FROM json_each(?)",
                       arguments: [Value.list(textSubjects.sorted().map(Value.string)).encoded])
        try Store.reindexTextSubjects(db)
        textSubjects = []
    }
}

/// What a kb file sync did.
public struct SyncCounts: Sendable, Hashable {
    public var asserted = 0
    public var retracted = 0
    public var kept = 0
    public init() {}
}

extension StoreTransaction {
    /// Takes the next `count` statement ids for a raw insert (bulk import).
    mutating func reserveStatementIDs(_ count: Int) -> Range<Int64> {
        let ids = nextStatement..<nextStatement + Int64(count)
        asserted.append(contentsOf: ids)
        nextStatement = ids.upperBound
        if count > 0 { wroteSomething = true }
        return ids
    }
}

extension StoreTransaction {
    /// Records a kb file's new fingerprint when its content did not change (a touched file).
    public mutating func touchFile(path: String, hash: String) throws {
        try db.execute(sql: "UPDATE kb_file SET hash = ? WHERE path = ?", arguments: [hash, path])
    }
}
