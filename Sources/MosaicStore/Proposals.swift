import Foundation
import GRDB
import MosaicGraph

// Proposals: the facts extractors proposed for an ingested document, waiting for review
// (pending), or reviewed (accepted, rejected), or replaced by a re-extraction (superseded).
// Each row keeps the ingest module's JSON for the proposal; the store reads only its key
// (what it says, for "rejected ones do not come back") and its status. Uses GRDB.

/// A stored proposal.
public struct StoredProposal: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable {
        case pending, accepted, rejected, superseded
    }
    public var id: Int64
    /// The document (its row id) the proposal was extracted from.
    public var document: Int64
    /// What the proposal says (relation, ends, dates, denial), independent of its wording:
    /// a rejected key is not proposed again for documents of the same scope.
    public var key: String
    /// The documents a rejection holds for: the path the document came from (new versions of
    /// a file share it), else its source id.
    public var scope: String
    public var status: Status
    /// The ingest module's JSON of the proposal.
    public var json: String
    /// The transaction that created it, and the one that last reviewed it.
    public var transaction: Int64
    public var reviewedIn: Int64?
}

/// A proposal to store (`StoreTransaction.insertProposals`).
public struct NewProposal: Sendable, Hashable {
    public var key: String
    public var json: String
    public init(key: String, json: String) { self.key = key; self.json = json }
}

extension Store {
    static func registerProposalMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v7-proposals") { db in
            try db.execute(sql: """
                CREATE TABLE proposal (
                    id INTEGER PRIMARY KEY,
                    document INTEGER NOT NULL REFERENCES document(id),
                    key TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    status TEXT NOT NULL,
                    data TEXT NOT NULL,
                    tx INTEGER NOT NULL,
                    reviewed_tx INTEGER
                );
                CREATE INDEX proposal_document ON proposal(document);
                CREATE INDEX proposal_status ON proposal(status);
                CREATE INDEX proposal_scope_key ON proposal(scope, key);
                """)
        }
    }

    private static let proposalColumns = "id, document, key, scope, status, data, tx, reviewed_tx"

    private static func proposal(_ row: Row) -> StoredProposal {
        StoredProposal(id: row[0], document: row[1], key: row[2], scope: row[3],
                       status: StoredProposal.Status(rawValue: row[4]) ?? .pending, json: row[5], transaction: row[6], reviewedIn: row[7])
    }

    /// Proposals, oldest first: of one status and/or one document, or all.
    public func proposals(status: StoredProposal.Status? = nil, document: Int64? = nil) throws -> [StoredProposal] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Store.proposalColumns) FROM proposal WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR document = ?2) ORDER BY id
                """, arguments: [status?.rawValue, document]).map(Store.proposal)
        }
    }

    /// The proposals with these ids (those that exist), in id order.
    public func proposals(ids: [Int64]) throws -> [StoredProposal] {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Store.proposalColumns) FROM proposal WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY id",
                             arguments: StatementArguments(ids)).map(Store.proposal)
        }
    }

    /// The keys reviewed in a scope with a status (rejected: never propose them again there).
    public func proposalKeys(scope: String, status: StoredProposal.Status) throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT key FROM proposal WHERE scope = ? AND status = ?", arguments: [scope, status.rawValue]))
        }
    }
}

extension StoreTransaction {
    /// Stores a document's proposals as pending; returns their ids in order.
    @discardableResult
    public mutating func insertProposals(document: Int64, scope: String, _ proposals: [NewProposal]) throws -> [Int64] {
        let st = try db.cachedStatement(sql: "INSERT INTO proposal (document, key, scope, status, data, tx) VALUES (?, ?, ?, 'pending', ?, ?)")
        var ids: [Int64] = []
        if !proposals.isEmpty { markWritten() }
        for p in proposals {
            try st.execute(arguments: [document, p.key, scope, p.json, id])
            ids.append(db.lastInsertedRowID)
        }
        return ids
    }

    /// Sets the status of proposals (a review), recording this transaction; `json` replaces a
    /// proposal's data when given (an edited proposal).
    public mutating func setProposalStatus(_ ids: [Int64], _ status: StoredProposal.Status, json: [Int64: String] = [:]) throws {
        if !ids.isEmpty { markWritten() }
        for pid in ids {
            if let j = json[pid] {
                try db.execute(sql: "UPDATE proposal SET status = ?, reviewed_tx = ?, data = ? WHERE id = ?", arguments: [status.rawValue, id, j, pid])
            } else {
                try db.execute(sql: "UPDATE proposal SET status = ?, reviewed_tx = ? WHERE id = ?", arguments: [status.rawValue, id, pid])
            }
            guard db.changesCount == 1 else { throw StoreError.conflict("no proposal #\(pid)") }
        }
    }

    /// Replaces a proposal's data (and key) without reviewing it.
    public mutating func updateProposal(_ pid: Int64, key: String, json: String) throws {
        markWritten()
        try db.execute(sql: "UPDATE proposal SET key = ?, data = ? WHERE id = ?", arguments: [key, json, pid])
        guard db.changesCount == 1 else { throw StoreError.conflict("no proposal #\(pid)") }
    }
}
