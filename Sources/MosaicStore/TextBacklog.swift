import Foundation
import GRDB

/// The searchable text that a bulk import wrote but did not index. Indexing 100,000 names
/// into FTS5 would add ~15% to an import, so the import records its range of statement ids
/// here, and the first `Store.search` after it indexes them (set-based, in one transaction),
/// as Kuzu and Neo4j build a full-text index on request rather than during a bulk load.
extension Store {
    static func registerTextBacklog(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-text-backlog") { db in
            try db.execute(sql: "CREATE TABLE text_backlog (first INTEGER NOT NULL, last INTEGER NOT NULL)")
        }
    }

    /// Records that statements `ids` hold text not yet in `text_index` (inside the import's transaction).
    static func deferTextIndex(_ db: Database, _ ids: ClosedRange<Int64>) throws {
        try db.execute(sql: "INSERT INTO text_backlog (first, last) VALUES (?, ?)", arguments: [ids.lowerBound, ids.upperBound])
    }

    /// Indexes anew, set-based, the searchable text of the entities in the temporary table
    /// `text_subject` (from all their open statements), then empties it: what a bulk import's
    /// backlog and every ordinary write (`StoreTransaction.finish`) do.
    static func reindexTextSubjects(_ db: Database) throws {
        let fields = StoreTransaction.textFields.sorted().map { "'\($0)'" }.joined(separator: ",")
        try db.execute(sql: """
            DELETE FROM text_index WHERE entity IN (SELECT subject FROM text_subject);
            INSERT INTO text_index (entity, field, body)
                SELECT subject, predicate, CASE json_type(value)
                    WHEN 'text' THEN json_extract(value, '$')
                    ELSE (SELECT group_concat(j.value, ' ') FROM json_each(s.value) j WHERE j.type = 'text') END
                FROM statement s WHERE subject IN (SELECT subject FROM text_subject) AND tx_to IS NULL AND kind = 2
                  AND predicate IN (\(fields))
                  AND (CASE WHEN json_valid(value) THEN json_type(value) END) IN ('text', 'array')
                ORDER BY id;
            INSERT INTO text_index (entity, field, body)
                SELECT DISTINCT subject, 'note', json_extract(c.value, '$[1]')
                FROM statement s, json_each(s.sources) c
                WHERE subject IN (SELECT subject FROM text_subject) AND tx_to IS NULL AND kind IN (2, 3)
                  AND sources LIKE '%",%' AND json_type(c.value, '$[1]') = 'text';
            DELETE FROM text_subject;
            """)
    }

    /// The temporary table of subjects `reindexTextSubjects` reads.
    static func prepareTextSubjects(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS text_subject (subject TEXT PRIMARY KEY) WITHOUT ROWID;
            DELETE FROM text_subject;
            """)
    }

    /// Indexes the text of every range in the backlog, if any (a no-op read otherwise).
    func catchUpTextIndex() throws {
        guard try writer.read({ db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM text_backlog)") }) == true else { return }
        try writer.write { db in
            let fields = StoreTransaction.textFields.sorted().map { "'\($0)'" }.joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT rowid, first, last FROM text_backlog") {
                let rowid: Int64 = row[0], first: Int64 = row[1], last: Int64 = row[2]
                // The entities with text in the range are indexed anew from all their open
                // statements (as `StoreTransaction.finish` does for ordinary writes). A
                // citation with a note is stored as `["source","note"]`, hence the LIKE.
                try Store.prepareTextSubjects(db)
                try db.execute(sql: """
                    INSERT OR IGNORE INTO text_subject SELECT subject FROM statement
                        WHERE id BETWEEN ? AND ? AND tx_to IS NULL
                          AND ((kind = 2 AND predicate IN (\(fields))) OR (kind IN (2, 3) AND sources LIKE '%",%'))
                    """, arguments: [first, last])
                try Store.reindexTextSubjects(db)
                try db.execute(sql: "DELETE FROM text_backlog WHERE rowid = ?", arguments: [rowid])
            }
        }
    }
}
