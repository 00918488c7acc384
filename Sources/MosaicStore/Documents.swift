import Foundation
import GRDB
import MosaicGraph

// Documents: the articles `mosaic ingest` read, kept once each by the SHA-256 of their bytes,
// with their text (full-text searchable in `document_text`) and the mentions found in them.
// A document is a source: its Article entity (`source`) is written as ordinary statements in
// the same transaction as its row here. The mention rows are the ingest module's JSON: the
// store keeps them, it does not read them.

/// A stored document.
public struct StoredDocument: Sendable, Hashable {
    public var id: Int64
    /// SHA-256 of the ingested bytes, 64 hex digits.
    public var hash: String
    /// The Article entity that stands for it.
    public var source: String
    /// The path it was ingested from (as given; may be nil).
    public var path: String?
    public var format: String
    public var byteCount: Int
    /// Where `text` starts in the file (front matter and byte order mark skipped).
    public var bodyOffset: Int
    public var text: String
    /// The document this one is a new version of (the last one ingested from the same path).
    public var previous: Int64?
    /// The transaction that ingested it, and when.
    public var transaction: Int64
    public var ingestedAt: Date
}

/// A document to store (`StoreTransaction.insertDocument`).
public struct NewDocument: Sendable, Hashable {
    public var hash: String
    public var source: String
    public var path: String?
    public var format: String
    public var byteCount: Int
    public var bodyOffset: Int
    public var text: String
    public var previous: Int64?
    public init(hash: String, source: String, path: String?, format: String, byteCount: Int, bodyOffset: Int, text: String, previous: Int64?) {
        self.hash = hash; self.source = source; self.path = path; self.format = format; self.byteCount = byteCount
        self.bodyOffset = bodyOffset; self.text = text; self.previous = previous
    }
}

/// One row of a document's annotations (a mention, a date): its span and the ingest
/// module's JSON for it.
public struct DocumentAnnotation: Sendable, Hashable {
    public var kind: String
    public var start: Int
    public var end: Int
    public var json: String
    public init(kind: String, start: Int, end: Int, json: String) {
        self.kind = kind; self.start = start; self.end = end; self.json = json
    }
}

extension Store {
    static func registerDocumentMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v6-documents") { db in
            try db.execute(sql: """
                CREATE TABLE document (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    path TEXT,
                    format TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    body_offset INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    previous INTEGER REFERENCES document(id),
                    tx INTEGER NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX document_source ON document(source);
                CREATE INDEX document_path ON document(path);
                CREATE TABLE document_annotation (
                    document INTEGER NOT NULL REFERENCES document(id),
                    kind TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    end INTEGER NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX document_annotation_document ON document_annotation(document, start);
                CREATE VIRTUAL TABLE document_text USING fts5(text, content = 'document', content_rowid = 'id',
                    tokenize = 'unicode61 remove_diacritics 2');
                """)
        }
    }

    private static let documentColumns = "id, hash, source, path, format, bytes, body_offset, text, previous, tx, at"

    private static func document(_ row: Row) -> StoredDocument {
        StoredDocument(id: row[0], hash: row[1], source: row[2], path: row[3], format: row[4], byteCount: row[5],
                       bodyOffset: row[6], text: row[7], previous: row[8], transaction: row[9],
                       ingestedAt: Date(timeIntervalSince1970: row[10]))
    }

    /// The document with these bytes' hash, if it was ingested.
    public func document(hash: String) throws -> StoredDocument? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Store.documentColumns) FROM document WHERE hash = ?", arguments: [hash]).map(Store.document)
        }
    }

    /// The document an Article entity stands for.
    public func document(source: String) throws -> StoredDocument? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Store.documentColumns) FROM document WHERE source = ? ORDER BY id DESC LIMIT 1", arguments: [source]).map(Store.document)
        }
    }

    /// The last document ingested from `path`.
    public func latestDocument(path: String) throws -> StoredDocument? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Store.documentColumns) FROM document WHERE path = ? ORDER BY id DESC LIMIT 1", arguments: [path]).map(Store.document)
        }
    }

    /// The open statements `origin` made about the stored documents' sources and about the
    /// entities those sources are PUBLISHED_BY (what `mosaic ingest` wrote for its Articles and
    /// the publishers it created). Found through the document table and the subject index,
    /// not a scan of every statement.
    public func documentSourceStatements(origin: Origin) throws -> [MosaicGraph.Statement] {
        try writer.read { db in
            try Store.fetchStatements(db, where: """
                tx_to IS NULL AND origin = ?1 AND subject IN (
                    SELECT source FROM document
                    UNION SELECT p.object FROM statement p WHERE p.subject IN (SELECT source FROM document)
                        AND p.predicate = 'PUBLISHED_BY' AND p.tx_to IS NULL AND p.origin = ?1)
                """, [origin.description])
        }
    }

    /// Every stored document, oldest first (without their text when `withText` is false).
    public func documents(withText: Bool = false) throws -> [StoredDocument] {
        let cols = withText ? Store.documentColumns : Store.documentColumns.replacingOccurrences(of: " text,", with: " '' AS text,")
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(cols) FROM document ORDER BY id").map(Store.document)
        }
    }

    /// A document's annotations of one kind (or all), in order of start.
    public func annotations(document: Int64, kind: String? = nil) throws -> [DocumentAnnotation] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT kind, start, end, data FROM document_annotation WHERE document = ? AND (?2 IS NULL OR kind = ?2)
                ORDER BY start, end, rowid
                """, arguments: [document, kind])
            return rows.map { DocumentAnnotation(kind: $0[0], start: $0[1], end: $0[2], json: $0[3]) }
        }
    }

    /// Documents whose text matches `text` (words, all of them, as prefixes), best first:
    /// the source id and a snippet with the matches in [brackets].
    public func searchDocuments(_ text: String, limit: Int = 20) throws -> [(source: String, snippet: String)] {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard !words.isEmpty else { return [] }
        let pattern = words.map { "\"\($0)\"*" }.joined(separator: " ")
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.source, snippet(document_text, 0, '[', ']', '…', 12) FROM document_text
                JOIN document d ON d.id = document_text.rowid
                WHERE document_text MATCH ? ORDER BY rank LIMIT ?
                """, arguments: [pattern, limit]).map { ($0[0], $0[1]) }
        }
    }
}

extension StoreTransaction {
    /// Stores a document (its text indexed for search) in this transaction; returns its id.
    /// The same bytes twice is a conflict: look the hash up first.
    public mutating func insertDocument(_ d: NewDocument) throws -> Int64 {
        if try Int64.fetchOne(db, sql: "SELECT id FROM document WHERE hash = ?", arguments: [d.hash]) != nil {
            throw StoreError.conflict("a document with hash \(d.hash) is already stored")
        }
        try db.execute(sql: """
            INSERT INTO document (hash, source, path, format, bytes, body_offset, text, previous, tx, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [d.hash, d.source, d.path, d.format, d.byteCount, d.bodyOffset, d.text, d.previous, id, time.timeIntervalSince1970])
        let rowID = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO document_text (rowid, text) VALUES (?, ?)", arguments: [rowID, d.text])
        return rowID
    }

    /// Stores a document's annotations (mentions, dates) in this transaction.
    public mutating func insertAnnotations(document: Int64, _ rows: [DocumentAnnotation]) throws {
        let st = try db.cachedStatement(sql: "INSERT INTO document_annotation (document, kind, start, end, data) VALUES (?, ?, ?, ?, ?)")
        for r in rows { try st.execute(arguments: [document, r.kind, r.start, r.end, r.json]) }
    }
}
