import CRowTable
import CSQLite
import Foundation
import MosaicGraph

/// Statement rows encoded for CRowTable's `mosaic_rows` table-valued function, so the bulk
/// import inserts a whole file's rows with one statement step (`INSERT … SELECT … FROM
/// mosaic_rows(?)`) instead of binding and stepping a statement per row. Batches are built
/// on the threads that parse the files; only the insert runs on the writer's connection.
///
/// A row's fields are the `statement` columns after `id` and before `tx_from`: kind,
/// subject, predicate, object, value, valid_from, valid_to, sources, grading, confidence,
/// origin. The statement ids are the batch's first id plus the row's index; `tx_from` is
/// the writing transaction.
struct RowBatch: Sendable {
    static let columns = 11
    private(set) var bytes: [UInt8] = []
    private(set) var rows = 0
    private var fields = 0
    /// Dates repeat across rows: their text is made once.
    private var dateTexts: [PartialDate: String] = [:]

    init(reservingRows n: Int = 0) { bytes.reserveCapacity(n * 64) }
    init(reservingBytes n: Int) { bytes.reserveCapacity(n) }

    /// Appends a statement row.
    mutating func append(kind: Int, subject: String, predicate: String, object: String? = nil, value: String? = nil,
                         meta: StatementMeta? = nil, origin: String) {
        int(Int64(kind)); text(subject); text(predicate); text(object); text(value)
        let from = date(meta?.validFrom)
        text(from)
        text(meta?.validTo == meta?.validFrom ? from : date(meta?.validTo))
        text(meta.flatMap { StatementCodec.encodeSources($0.sources) })
        text(meta?.grading?.description)
        if let c = meta?.confidence { real(c) } else { null() }
        text(origin)
        precondition(fields == RowBatch.columns * (rows + 1), "a statement row has \(RowBatch.columns) fields")
        rows += 1
    }

    /// Appends the row of a statement draft, with `origin` as its origin's text (callers
    /// writing runs of one origin make the text once).
    mutating func append(_ d: StatementDraft, origin: String) {
        let (object, value) = StatementCodec.columns(d.kind)
        append(kind: d.kind.code, subject: d.subject, predicate: d.kind.predicate, object: object, value: value,
               meta: d.meta, origin: origin)
    }

    private mutating func date(_ d: PartialDate?) -> String? {
        guard let d else { return nil }
        if let t = dateTexts[d] { return t }
        let t = d.description
        dateTexts[d] = t
        return t
    }

    private mutating func null() { bytes.append(UInt8(MOSAIC_FIELD_NULL)); fields += 1 }

    private mutating func int(_ v: Int64) {
        bytes.append(UInt8(MOSAIC_FIELD_INT))
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
        fields += 1
    }

    private mutating func real(_ v: Double) {
        bytes.append(UInt8(MOSAIC_FIELD_REAL))
        withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        fields += 1
    }

    private mutating func text(_ s: String?) {
        guard var s else { return null() }
        s.withUTF8 { utf8 in
            bytes.append(UInt8(MOSAIC_FIELD_TEXT))
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        fields += 1
    }

    /// Inserts the rows into `statement` on `conn` (inside the caller's transaction), with
    /// ids from `firstID` and `tx_from` = `transaction`.
    func insert(on conn: OpaquePointer, firstID: Int64, transaction: Int64) throws {
        guard rows > 0 else { return }
        let sql = """
            INSERT INTO statement (id, kind, subject, predicate, object, value, valid_from, valid_to, sources, grading,
                                   confidence, origin, tx_from)
            SELECT ?2 + rowid, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, ?3 FROM mosaic_rows(?1)
            """
        var stmt: OpaquePointer?
        if sqlite3_prepare_v2(conn, sql, -1, &stmt, nil) != SQLITE_OK {
            // The module is registered on a connection the first time it is needed.
            sqlite3_finalize(stmt); stmt = nil
            guard mosaic_rows_register(conn) == SQLITE_OK, sqlite3_prepare_v2(conn, sql, -1, &stmt, nil) == SQLITE_OK else {
                throw StoreError.sqlite(context: "importing", message: String(cString: sqlite3_errmsg(conn)))
            }
        }
        guard let stmt else { throw StoreError.sqlite(context: "importing", message: "no statement") }
        defer { sqlite3_finalize(stmt) }
        let rc: Int32 = bytes.withUnsafeBufferPointer { buf in
            var batch = mosaic_rows(bytes: buf.baseAddress, length: Int64(buf.count), rows: Int64(rows), columns: Int32(RowBatch.columns))
            return withUnsafePointer(to: &batch) { p in
                mosaic_rows_bind(stmt, 1, p)
                sqlite3_bind_int64(stmt, 2, firstID)
                sqlite3_bind_int64(stmt, 3, transaction)
                return sqlite3_step(stmt)
            }
        }
        guard rc == SQLITE_DONE else {
            throw StoreError.sqlite(context: "importing", message: String(cString: sqlite3_errmsg(conn)))
        }
    }
}
