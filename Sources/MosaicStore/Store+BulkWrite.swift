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
        let encoders = [DraftEncoder(drafts, 0..<half), DraftEncoder(drafts, half..<drafts.count)]
        for e in encoders { e.start() }
        report.transaction = try write(origin: origin, note: note) { tx, base in
            let first = tx.nextStatement
            let builder = DraftSnapshotBuilder(base: base, drafts: drafts, firstStatement: first, transaction: tx.id,
                                               file: file, lines: lines)
            builder.start()
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
                _ = try? builder.wait()
                throw error
            }
            trace.mark("insert")
            let g = try builder.wait()
            trace.mark("wait for the snapshot")
            return g
        }
        trace.mark("commit and snapshot file")
        report.statements = drafts.count
        return report
    }

    /// Encodes drafts into statement rows on a thread of its own.
    final class DraftEncoder: @unchecked Sendable {
        private let drafts: [StatementDraft]
        private let range: Range<Int>
        private var result: RowBatch?
        private let done = DispatchSemaphore(value: 0)
        init(_ drafts: [StatementDraft], _ range: Range<Int>) { self.drafts = drafts; self.range = range }

        func start() {
            let t = Thread { [self] in
                var batch = RowBatch(reservingRows: range.count)
                // Runs of drafts share their origin: its text is made once per change.
                var lastOrigin: (Origin, String)?
                for d in drafts[range] {
                    let text: String
                    if let (o, t) = lastOrigin, o == d.meta.origin { text = t } else { text = d.meta.origin.description; lastOrigin = (d.meta.origin, text) }
                    batch.append(d, origin: text)
                }
                result = batch
                done.signal()
            }
            t.stackSize = 1 << 20
            t.start()
        }

        func wait() -> RowBatch {
            done.wait()
            done.signal()
            return result!
        }
    }

    /// Applies the drafts to the snapshot as the loader would (entities, then relations, then
    /// labels and properties, each in statement order) on a thread of its own, checking that
    /// every relation's ends exist.
    final class DraftSnapshotBuilder: @unchecked Sendable {
        private var graph: Graph
        private var failure: StoreError?
        private let drafts: [StatementDraft]
        private let first: Int64
        private let transaction: Int64
        private let file: String
        private let lines: [Int]
        private let done = DispatchSemaphore(value: 0)

        init(base: Graph, drafts: [StatementDraft], firstStatement: Int64, transaction: Int64, file: String, lines: [Int]) {
            graph = base; self.drafts = drafts; first = firstStatement; self.transaction = transaction
            self.file = file; self.lines = lines
        }

        func start() {
            let t = Thread { [self] in build(); done.signal() }
            t.stackSize = 1 << 20
            t.start()
        }

        func wait() throws -> Graph {
            done.wait()
            done.signal()
            if let failure { throw failure }
            return graph
        }

        private func fail(_ i: Int, _ message: String) {
            failure = .badImport(file: file, line: i < lines.count ? lines[i] : 0, message: message)
        }

        private func build() {
            var g = graph
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
            graph = g
        }
    }
}
