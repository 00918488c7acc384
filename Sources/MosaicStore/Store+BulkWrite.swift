import Foundation
import MosaicGraph

/// A large write of ready-made statement drafts through the bulk import's fast path (used by
/// the FtM and gazetteer readers): the rows are encoded once (`RowBatch`) and inserted with
/// one statement step, the new snapshot is built from the drafts on a second thread while
/// SQLite inserts them, and their text goes to the search backlog. Uses `RowBatch`,
/// `Store.write(origin:note:building:)` and the graph's load functions.
extension Store {
    /// What a bulk write wrote.
    public struct BulkWriteReport: Sendable, Hashable {
        public var transaction: Int64 = 0
        public var statements = 0
    }

    /// Writes `drafts` as one transaction, all or nothing, in their order (statement ids
    /// follow it). Entities, labels, properties and relations only. A relation whose end is
    /// neither in the store nor among the drafts' entities, or an entity the store holds with
    /// another type, fails the whole write: the error names `file` and `lines[i]` (the input
    /// line draft `i` came from, when the caller gives them). Readers should check their
    /// input first; this is the last line of defence, not the place for friendly messages.
    public func writeBulk(_ drafts: [StatementDraft], origin: Origin, note: String? = nil,
                          file: String, lines: [Int] = []) throws -> BulkWriteReport {
        var report = BulkWriteReport()
        guard !drafts.isEmpty else { report.transaction = lastTransaction; return report }
        var trace = PhaseTrace("bulk write")
        for d in drafts {
            if case .relationProperty = d.kind {
                throw StoreError.invalidWrite("a bulk write takes entities, labels, properties and relations, not relation properties")
            }
        }
        // The rows are encoded by two threads, each half of them (inserted one after the other).
        let half = drafts.count / 2
        let encoders = [0..<half, half..<drafts.count].map { r in BackgroundResult { Store.encode(drafts[r]) } }
        report.transaction = try write(origin: origin, note: note) { tx, base in
            let first = tx.nextStatement
            let transaction = tx.id
            let builder = BackgroundResult {
                Store.snapshot(base, applying: drafts, firstStatement: first, transaction: transaction, file: file, lines: lines)
            }
            do {
                guard let conn = tx.db.sqliteConnection else { throw StoreError.sqlite(context: "importing", message: "no connection") }
                let cacheSize = try Int.fetchOne(tx.db, sql: "PRAGMA cache_size") ?? -2000
                try tx.db.execute(sql: "PRAGMA cache_size = -262144")
                defer { try? tx.db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                // A write larger than the store: the subject index is built once, after the rows
                // (as the bulk import does; the DDL is part of the transaction).
                let rebuildIndex = Int64(drafts.count) > first - 1
                if rebuildIndex { try tx.db.execute(sql: "DROP INDEX IF EXISTS statement_subject") }
                for e in encoders {
                    let batch = e.wait()
                    trace.mark("encode")
                    try batch.insert(on: conn, firstID: tx.reserveStatementIDs(batch.rows).lowerBound, transaction: tx.id)
                }
                try Store.deferTextIndex(tx.db, first...tx.nextStatement - 1)
                if rebuildIndex { try tx.db.execute(sql: Store.subjectIndexSQL) }
            } catch {
                for e in encoders { _ = e.wait() }
                _ = builder.wait()
                throw error
            }
            trace.mark("insert")
            let g = try builder.wait().get()
            trace.mark("wait for the snapshot")
            return g
        }
        trace.mark("commit and snapshot file")
        report.statements = drafts.count
        return report
    }

    /// Drafts as statement rows (run on a thread of its own by `writeBulk`).
    static func encode(_ drafts: ArraySlice<StatementDraft>) -> RowBatch {
        var batch = RowBatch(reservingRows: drafts.count)
        // Runs of drafts share their origin: its text is made once per change.
        var lastOrigin: (Origin, String)?
        for d in drafts {
            let text: String
            if let (o, t) = lastOrigin, o == d.meta.origin { text = t } else { text = d.meta.origin.description; lastOrigin = (d.meta.origin, text) }
            batch.append(d, origin: text)
        }
        return batch
    }

    /// `base` with the drafts applied as the loader would (entities, then relations, then
    /// labels and properties, each in statement order), checking that every relation's ends
    /// exist; the failure names `file` and the input line of the draft (run on a thread of
    /// its own by `writeBulk` while SQLite inserts the rows).
    static func snapshot(_ base: Graph, applying drafts: [StatementDraft], firstStatement first: Int64, transaction: Int64,
                         file: String, lines: [Int]) -> Result<Graph, StoreError> {
        func fail(_ i: Int, _ message: String) -> Result<Graph, StoreError> {
            .failure(.badImport(file: file, line: i < lines.count ? lines[i] : 0, message: message))
        }
        var g = base
        var newNodes = 0, newRelations = 0
        for d in drafts {
            switch d.kind {
            case .entity: newNodes += 1
            case .relation: newRelations += 1
            default: break
            }
        }
        g.reserve(nodes: g.nodes.count + newNodes, relationships: g.relationships.count + newRelations)
        for (i, d) in drafts.enumerated() {
            guard case .entity(let type) = d.kind else { continue }
            if let existing = g.lookup(key: d.subject), g.node(existing).alive, g.node(existing).type != type {
                return fail(i, "entity '\(d.subject)' already exists with type \(g.node(existing).type), not \(type)")
            }
            g.loadNode(key: d.subject, type: type, statement: first + Int64(i))
        }
        var last: (key: String, node: Int32)?
        func node(_ key: String) -> Int32? {
            if let last, last.key == key { return last.node }
            guard let n = g.lookup(key: key) else { return nil }
            last = (key, n)
            return n
        }
        for (i, d) in drafts.enumerated() {
            guard case .relation(let type, let target, let props) = d.kind else { continue }
            guard let a = node(d.subject), let b = g.lookup(key: target) else {
                let end = g.lookup(key: d.subject) == nil ? d.subject : target
                return fail(i, "unknown entity '\(end)' (a relation's ends must be in the store or in the same write)")
            }
            g.loadRelationship(from: a, to: b, type: type, properties: props, meta: d.meta, statement: first + Int64(i), transaction: transaction)
        }
        for (i, d) in drafts.enumerated() {
            switch d.kind {
            case .label(let l):
                guard let n = node(d.subject) else { return fail(i, "unknown entity '\(d.subject)' for a label") }
                g.loadLabel(n, l, statement: first + Int64(i))
            case .property(let name, let value):
                guard let n = node(d.subject) else { return fail(i, "unknown entity '\(d.subject)' for property '\(name)'") }
                g.loadProperty(n, name, value, statement: first + Int64(i))
            default: break
            }
        }
        g.transaction = transaction
        g.nextStatementID = max(g.nextStatementID, first + Int64(drafts.count))
        return .success(g)
    }
}
