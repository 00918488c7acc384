import Foundation
import MosaicGraph

/// A large write of ready-made statement drafts through the bulk import's fast path (used by
/// the FtM and gazetteer readers): the rows are encoded once (`RowBatch`) and inserted with
/// one statement step, the new snapshot is built from the drafts (and its file written) on a
/// second thread while SQLite inserts them, and their text goes to the search backlog. Uses `RowBatch`,
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
        try writeBulk(segments: [drafts], origin: origin, note: note, file: file, lines: [lines])
    }

    /// `writeBulk` of drafts given as segments, written one after the other (a reader that
    /// makes them on several threads need not copy them into one array); `lines[k]` are the
    /// input lines of segment `k`'s drafts.
    public func writeBulk(segments: [[StatementDraft]], origin: Origin, note: String? = nil,
                          file: String, lines: [[Int]] = []) throws -> BulkWriteReport {
        var report = BulkWriteReport()
        let drafts = BulkDrafts(segments: segments, lines: lines)
        guard drafts.count > 0 else { report.transaction = lastTransaction; return report }
        var trace = PhaseTrace("bulk write")
        for segment in segments {
            for d in segment {
                if case .relationProperty = d.kind {
                    throw StoreError.invalidWrite("a bulk write takes entities, labels, properties and relations, not relation properties")
                }
            }
        }
        // The rows are encoded by two threads, each half of them (inserted one after the other).
        let encoders = drafts.halves().map { pieces in
            BackgroundResult { pieces.map { Store.encode(segments[$0.segment][$0.range]) } }
        }
        let snapshotFile = self.snapshotFile
        report.transaction = try write(origin: origin, note: note) { tx, base in
            let first = tx.nextStatement
            let transaction = tx.id
            let time = tx.time.timeIntervalSince1970
            // The new snapshot is built on a thread of its own while SQLite inserts the rows, and
            // its file written there too (its header names this transaction, its time and last
            // statement, which the commit makes true; should the commit fail, the file names a
            // transaction that never was and is not read, and the next open loads from the log).
            let builder = BackgroundResult { () -> Result<Graph, StoreError> in
                let built = Store.snapshot(base, applying: drafts, firstStatement: first, transaction: transaction, file: file)
                if case .success(let g) = built, base.transaction == transaction - 1 {
                    try? snapshotFile?.write(g, header: .init(transaction: transaction, time: time, lastStatement: first + Int64(drafts.count) - 1))
                }
                return built
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
                    for batch in e.wait() {
                        try batch.insert(on: conn, firstID: tx.reserveStatementIDs(batch.rows).lowerBound, transaction: tx.id)
                    }
                    trace.mark("encode and insert")
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
        trace.mark("commit")
        report.statements = drafts.count
        return report
    }

    /// Drafts in segments, with their input lines, read as one sequence.
    struct BulkDrafts: Sendable {
        let segments: [[StatementDraft]]
        let lines: [[Int]]
        let count: Int

        init(segments: [[StatementDraft]], lines: [[Int]]) {
            self.segments = segments
            self.lines = lines
            count = segments.reduce(0) { $0 + $1.count }
        }

        /// Calls `body` with each draft's position in the sequence and the draft.
        func forEach(_ body: (Int, StatementDraft) throws -> Void) rethrows {
            var i = 0
            for segment in segments {
                for d in segment { try body(i, d); i += 1 }
            }
        }

        /// The input line of the draft at position `i` (0 when not given).
        func line(_ i: Int) -> Int {
            var i = i
            for (k, segment) in segments.enumerated() {
                if i < segment.count { return k < lines.count && i < lines[k].count ? lines[k][i] : 0 }
                i -= segment.count
            }
            return 0
        }

        /// The drafts cut into two runs of about half each (a segment may be cut), as
        /// (segment, range) pieces in order.
        func halves() -> [[(segment: Int, range: Range<Int>)]] {
            var parts: [[(segment: Int, range: Range<Int>)]] = [[], []]
            var seen = 0
            let half = count / 2
            for (k, segment) in segments.enumerated() where !segment.isEmpty {
                let start = seen, end = seen + segment.count
                if end <= half {
                    parts[0].append((k, 0..<segment.count))
                } else if start >= half {
                    parts[1].append((k, 0..<segment.count))
                } else {
                    parts[0].append((k, 0..<(half - start)))
                    parts[1].append((k, (half - start)..<segment.count))
                }
                seen = end
            }
            return parts
        }
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
    static func snapshot(_ base: Graph, applying drafts: BulkDrafts, firstStatement first: Int64, transaction: Int64,
                         file: String) -> Result<Graph, StoreError> {
        struct Failure: Error { let index: Int; let message: String }
        var g = base
        var newNodes = 0, newRelations = 0
        drafts.forEach { _, d in
            switch d.kind {
            case .entity: newNodes += 1
            case .relation: newRelations += 1
            default: break
            }
        }
        g.reserve(nodes: g.nodes.count + newNodes, relationships: g.relationships.count + newRelations)
        do {
            try drafts.forEach { i, d in
                guard case .entity(let type) = d.kind else { return }
                if let existing = g.lookup(key: d.subject), g.node(existing).alive, g.node(existing).type != type {
                    throw Failure(index: i, message: "entity '\(d.subject)' already exists with type \(g.node(existing).type), not \(type)")
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
            g.beginBulkLoad(relationships: newRelations)  // adjacency put in type order once, after the relations
            try drafts.forEach { i, d in
                guard case .relation(let type, let target, let props) = d.kind else { return }
                guard let a = node(d.subject), let b = g.lookup(key: target) else {
                    let end = g.lookup(key: d.subject) == nil ? d.subject : target
                    throw Failure(index: i, message: "unknown entity '\(end)' (a relation's ends must be in the store or in the same write)")
                }
                g.loadRelationship(from: a, to: b, type: type, properties: props, meta: d.meta, statement: first + Int64(i), transaction: transaction)
            }
            g.endBulkLoad()
            try drafts.forEach { i, d in
                switch d.kind {
                case .label(let l):
                    guard let n = node(d.subject) else { throw Failure(index: i, message: "unknown entity '\(d.subject)' for a label") }
                    g.loadLabel(n, l, statement: first + Int64(i))
                case .property(let name, let value):
                    guard let n = node(d.subject) else { throw Failure(index: i, message: "unknown entity '\(d.subject)' for property '\(name)'") }
                    g.loadProperty(n, name, value, statement: first + Int64(i))
                default: break
                }
            }
        } catch let f as Failure {
            return .failure(.badImport(file: file, line: drafts.line(f.index), message: f.message))
        } catch {
            return .failure(.badImport(file: file, line: 0, message: "\(error)"))
        }
        g.transaction = transaction
        g.nextStatementID = max(g.nextStatementID, first + Int64(drafts.count))
        return .success(g)
    }
}
