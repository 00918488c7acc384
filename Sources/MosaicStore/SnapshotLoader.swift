import CSQLite
import Foundation
import GRDB
import MosaicGraph

/// Builds a `Graph` from the statements believed at a transaction, stepping SQLite directly
/// (this is the start-up path: a 100,000-entity KB must be ready in well under a second).
enum SnapshotLoader {
    private struct Pending {
        var id: Int64
        var kind: Int32
        var subject: String
        var predicate: String
        var object: String?
        var value: String?
        var meta: StatementMeta?
        var tx: Int64
    }

    static func load(_ db: Database, asOf: Int64?) throws -> Graph {
        var g = Graph()
        let lastTx = try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") ?? 0
        g.transaction = asOf.map { min($0, lastTx) } ?? lastTx
        // Capacity from the highest statement id (an O(log n) rowid lookup; a count(*) would
        // scan the whole table): at most that many statements are open. Reserved but unused
        // capacity is never touched, so it costs address space, not resident memory.
        let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM statement") ?? 0
        g.reserve(nodes: max(16, Int(maxID) / 8), relationships: Int(maxID))
        g.beginBulkLoad()  // adjacency put in type order once, at the end
        let condition = asOf == nil ? "tx_to IS NULL" : "tx_from <= \(asOf!) AND (tx_to IS NULL OR tx_to > \(asOf!))"
        let sql = """
            SELECT id, kind, subject, predicate, object, value, valid_from, valid_to, sources, grading, confidence,
                   origin, tx_from FROM statement WHERE \(condition) ORDER BY id
            """
        guard let conn = db.sqliteConnection else { throw StoreError.sqlite(context: "loading the graph", message: "no connection") }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(conn, sql, -1, &stmt, nil) == SQLITE_OK else {
            throw StoreError.sqlite(context: "loading the graph", message: String(cString: sqlite3_errmsg(conn)))
        }
        defer { sqlite3_finalize(stmt) }

        var sourceCache: [String: [Citation]] = [:]
        var originCache: [String: Origin] = [:]
        var lastOrigin: (bytes: [UInt8], origin: Origin)?
        var dateCache: [String: PartialDate] = [:]
        var pendingProps: [Pending] = []
        var pendingRels: [Pending] = []
        // Relations are added in statement order. While both ends of every relation so far
        // were already loaded, a relation is added as soon as it is read (the common case: a
        // store's entities come before their relations); from the first one that must wait
        // for an end, every later one waits too, so the order stays the statement order.
        var deferring = false
        // Consecutive statements often share their subject (an entity's properties, its relations).
        var lastSubject: (key: String, node: Int32)?

        func text(_ col: Int32) -> String? {
            guard let p = sqlite3_column_text(stmt, col) else { return nil }
            return String(cString: p)
        }
        // A relation's valid_to is mostly its valid_from: check the last date first.
        var lastDate: (text: String, date: PartialDate?)?
        func date(_ col: Int32) -> PartialDate? {
            guard let s = text(col) else { return nil }
            if let lastDate, lastDate.text == s { return lastDate.date }
            if let d = dateCache[s] { lastDate = (s, d); return d }
            let d = PartialDate(s)
            dateCache[s] = d
            lastDate = (s, d)
            return d
        }

        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw StoreError.sqlite(context: "loading the graph", message: String(cString: sqlite3_errmsg(conn)))
            }
            let id = sqlite3_column_int64(stmt, 0)
            let kind = sqlite3_column_int(stmt, 1)
            let subject = text(2) ?? ""
            let predicate = text(3) ?? ""
            if kind == 0 {
                g.loadNode(key: subject, type: predicate, statement: id)
                continue
            }
            var p = Pending(id: id, kind: kind, subject: subject, predicate: predicate, object: text(4), value: text(5),
                            meta: nil, tx: sqlite3_column_int64(stmt, 12))
            if kind == 3 {
                let sourcesText = text(8)
                var sources: [Citation] = []
                if let st = sourcesText {
                    if let c = sourceCache[st] { sources = c } else { sources = StatementCodec.decodeSources(st); sourceCache[st] = sources }
                }
                // Consecutive relations mostly share their origin: compare the bytes with the
                // previous row's before making a String of them.
                let originBytes = sqlite3_column_text(stmt, 11)
                let originLength = Int(sqlite3_column_bytes(stmt, 11))
                let origin: Origin
                if let last = lastOrigin, let current = originBytes, last.bytes.count == originLength,
                   last.bytes.elementsEqual(UnsafeBufferPointer(start: current, count: originLength)) {
                    origin = last.origin
                } else {
                    let originText = originBytes.map { String(cString: $0) } ?? ""
                    if let o = originCache[originText] { origin = o } else { origin = Origin(parsing: originText); originCache[originText] = origin }
                    if let originBytes { lastOrigin = (Array(UnsafeBufferPointer(start: originBytes, count: originLength)), origin) }
                }
                p.meta = StatementMeta(
                    validFrom: date(6), validTo: date(7), sources: sources, grading: text(9).flatMap(Grading.init),
                    confidence: sqlite3_column_type(stmt, 10) == SQLITE_NULL ? nil : sqlite3_column_double(stmt, 10),
                    origin: origin)
                if !deferring, let from = lastSubject.flatMap({ $0.key == subject ? $0.node : nil }) ?? g.lookup(key: subject),
                   let target = p.object, let to = g.lookup(key: target) {
                    lastSubject = (subject, from)
                    var props: [String: Value] = [:]
                    if let v = p.value, case .map(let m)? = Value.decode(v) { props = m }
                    g.loadRelationship(from: from, to: to, type: predicate, properties: props, meta: p.meta!, statement: id, transaction: p.tx)
                } else {
                    deferring = true
                    pendingRels.append(p)
                }
            } else {
                pendingProps.append(p)
            }
        }
        lastSubject = nil
        for p in pendingProps where p.kind != 4 {
            guard let node = lastSubject.flatMap({ $0.key == p.subject ? $0.node : nil }) ?? g.lookup(key: p.subject) else { continue }
            lastSubject = (p.subject, node)
            if p.kind == 1 {
                g.loadLabel(node, p.predicate, statement: p.id)
            } else if p.kind == 2 {
                g.loadProperty(node, p.predicate, p.value.flatMap(Value.decode) ?? .null, statement: p.id)
            }
        }
        for p in pendingRels {
            guard let from = g.lookup(key: p.subject), let target = p.object, let to = g.lookup(key: target) else { continue }
            var props: [String: Value] = [:]
            if let v = p.value, case .map(let m)? = Value.decode(v) { props = m }
            g.loadRelationship(from: from, to: to, type: p.predicate, properties: props, meta: p.meta!, statement: p.id, transaction: p.tx)
        }
        g.endBulkLoad()
        for p in pendingProps where p.kind == 4 {
            guard p.subject.hasPrefix("#"), let sid = Int64(p.subject.dropFirst()), let r = g.relationship(statement: sid) else { continue }
            g.loadRelationshipProperty(r, p.predicate, p.value.flatMap(Value.decode) ?? .null, statement: p.id)
        }
        g.nextStatementID = max(g.nextStatementID, maxID + 1)
        return g
    }
}
