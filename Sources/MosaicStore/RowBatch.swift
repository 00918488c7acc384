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
    /// The encoded rows (a buffer of its own, written in place: a batch of 100,000 rows takes
    /// some 600,000 fields, and appending each through an array's generic path cost the
    /// import's parsing threads a quarter of their time).
    private var storage: Storage
    private(set) var rows = 0
    private var fields = 0
    /// The columns some row has a value in (bit `i`: column `c<i>`): the insert reads only
    /// those from the batch and gives the others as NULL (a node's rows have no dates or
    /// sources, an edge's no value): a column read costs SQLite some 80 instructions a row.
    private(set) var columnsWithValues: UInt16 = 0
    /// Dates repeat across rows: their text is made once.
    private var dateTexts: [PartialDate: String] = [:]

    init(reservingRows n: Int = 0) { storage = Storage(capacity: n * 64) }
    init(reservingBytes n: Int) { storage = Storage(capacity: n) }

    /// The bytes encoded so far (for `insert` and tests).
    var byteCount: Int { storage.count }

    /// Appends a statement row.
    mutating func append(kind: Int, subject: String, predicate: String, object: String? = nil, value: String? = nil,
                         meta: StatementMeta? = nil, origin: String) {
        if let meta { return appendRelation(kind: kind, subject: subject, type: predicate, target: object, value: value, meta: meta, origin: origin) }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        // (the storage is held by `self` throughout: not retained for each field)
        let st = Unmanaged.passUnretained(storage)
        int(Int64(kind), st); text(subject, st); text(predicate, st); text(object, st); text(value, st)
        for _ in 0..<4 { null(st) }  // valid_from, valid_to, sources, grading
        null(st)  // confidence
        text(origin, st)
        precondition(fields == RowBatch.columns * (rows + 1), "a statement row has \(RowBatch.columns) fields")
        columnsWithValues |= RowBatch.always | RowBatch.column(3, object != nil) | RowBatch.column(4, value != nil)
        rows += 1
    }

    /// Appends a property row (kind 2) without metadata, its value written as its stored JSON
    /// (`Value.encoded`): a string that needs no escape, and an integer, straight into the
    /// buffer. (Made as a `String` first, `encoded` took some 800 instructions a value in
    /// callgrind on the 100k import, the bulk import writing one row per node property.)
    mutating func appendProperty(subject: String, name: String, value: Value, origin: String) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let st = Unmanaged.passUnretained(storage)
        int(2, st); text(subject, st); text(name, st); null(st)
        switch value {
        case .string(var v):
            let done = v.withUTF8 { utf8 -> Bool in
                guard !utf8.contains(where: Value.needsJSONEscape) else { return false }
                st._withUnsafeGuaranteedRef { $0.put(text: utf8, prefix: RowBatch.quote, suffix: RowBatch.quote) }
                return true
            }
            if done { fields += 1 } else { text(value.encoded, st) }
        case .int(let i): text(String(i), st)
        default: text(value.encoded, st)
        }
        for _ in 0..<4 { null(st) }  // valid_from, valid_to, sources, grading
        null(st)  // confidence
        text(origin, st)
        precondition(fields == RowBatch.columns * (rows + 1), "a statement row has \(RowBatch.columns) fields")
        columnsWithValues |= RowBatch.always | RowBatch.column(4)
        rows += 1
    }
    static let quote: [UInt8] = [0x22]

    /// Appends the row of a statement with its metadata (`meta` read in place, not copied: the
    /// bulk import calls this for every edge).
    /// `fromText`, when given, is the text of `meta.validFrom` (the parser has it).
    mutating func appendRelation(kind: Int = 3, subject: String, type: String, target: String?, value: String?,
                                 meta: StatementMeta, fromText: String? = nil, origin: String) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let st = Unmanaged.passUnretained(storage)
        int(Int64(kind), st); text(subject, st); text(type, st); text(target, st); text(value, st)
        let from = fromText ?? date(meta.validFrom)
        text(from, st)
        text(meta.validTo == meta.validFrom ? from : date(meta.validTo), st)
        sources(meta.sources, st)
        text(meta.grading?.description, st)
        if let c = meta.confidence { real(c, st) } else { null(st) }
        text(origin, st)
        precondition(fields == RowBatch.columns * (rows + 1), "a statement row has \(RowBatch.columns) fields")
        columnsWithValues |= RowBatch.always | RowBatch.column(3, target != nil) | RowBatch.column(4, value != nil)
            | RowBatch.column(5, from != nil) | RowBatch.column(6, meta.validTo != nil) | RowBatch.column(7, !meta.sources.isEmpty)
            | RowBatch.column(8, meta.grading != nil) | RowBatch.column(9, meta.confidence != nil)
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

    // (`st` is the batch's own storage, passed unretained: `self` holds it; a retain and a
    // release per field were 4% of the 100k import's CPU in `perf`)
    private mutating func null(_ st: Unmanaged<Storage>) {
        st._withUnsafeGuaranteedRef { $0.put(UInt8(MOSAIC_FIELD_NULL)) }
        fields += 1
    }

    private mutating func int(_ v: Int64, _ st: Unmanaged<Storage>) {
        st._withUnsafeGuaranteedRef { $0.put(UInt8(MOSAIC_FIELD_INT), word: UInt64(bitPattern: v)) }
        fields += 1
    }

    private mutating func real(_ v: Double, _ st: Unmanaged<Storage>) {
        st._withUnsafeGuaranteedRef { $0.put(UInt8(MOSAIC_FIELD_REAL), word: v.bitPattern) }
        fields += 1
    }

    private mutating func text(_ s: String?, _ st: Unmanaged<Storage>) {
        guard var s else { return null(st) }
        s.withUTF8 { utf8 in st._withUnsafeGuaranteedRef { $0.put(text: utf8) } }
        fields += 1
    }

    /// Bit `i`: column `c<i>` (`columnsWithValues`).
    @inline(__always) private static func column(_ i: Int, _ valued: Bool = true) -> UInt16 { valued ? 1 << UInt16(i) : 0 }
    /// Kind, subject, predicate and origin: every row has them.
    @inline(__always) private static var always: UInt16 { 0b100_0000_0111 }

    /// The sources column: `StatementCodec.encodeSources`'s text. One citation without a note
    /// whose source needs no escape (the import's case) is written as its bytes, `[["…"]]`,
    /// without making the string.
    private mutating func sources(_ s: [Citation], _ st: Unmanaged<Storage>) {
        guard !s.isEmpty else { return null(st) }
        if s.count == 1, s[0].note == nil {
            var source = s[0].source
            let done = source.withUTF8 { utf8 -> Bool in
                guard !utf8.contains(where: Value.needsJSONEscape) else { return false }
                st._withUnsafeGuaranteedRef { $0.put(text: utf8, prefix: RowBatch.sourcesPrefix, suffix: RowBatch.sourcesSuffix) }
                return true
            }
            if done { fields += 1; return }
        }
        text(StatementCodec.encodeSources(s), st)
    }
    static let sourcesPrefix: [UInt8] = Array("[[\"".utf8)
    static let sourcesSuffix: [UInt8] = Array("\"]]".utf8)

    /// A growable byte buffer written in place.
    // @unchecked Sendable: a batch's storage is written by the one thread that builds the batch (a shared one is copied first: `isKnownUniquelyReferenced`), and only read once it is handed on.
    final class Storage: @unchecked Sendable {
        private(set) var base: UnsafeMutableRawPointer
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
        }
        deinit { base.deallocate() }

        func copy() -> Storage {
            let c = Storage(capacity: capacity)
            c.base.copyMemory(from: base, byteCount: count)
            c.count = count
            return c
        }

        @inline(__always) private func room(_ n: Int) {
            guard count + n > capacity else { return }
            var c = capacity * 2
            while c < count + n { c *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 8)
            grown.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = grown
            capacity = c
        }

        @inline(__always) func put(_ tag: UInt8) {
            room(1)
            base.storeBytes(of: tag, toByteOffset: count, as: UInt8.self)
            count += 1
        }

        /// A tag and eight bytes (little-endian).
        @inline(__always) func put(_ tag: UInt8, word: UInt64) {
            room(9)
            base.storeBytes(of: tag, toByteOffset: count, as: UInt8.self)
            withUnsafeBytes(of: word.littleEndian) { (base + count + 1).copyMemory(from: $0.baseAddress!, byteCount: 8) }
            count += 9
        }

        /// A text field: its tag, its length (four bytes, little-endian) and its UTF-8 bytes.
        @inline(__always) func put(text utf8: UnsafeBufferPointer<UInt8>) {
            let n = utf8.count
            room(5 + n)
            base.storeBytes(of: UInt8(MOSAIC_FIELD_TEXT), toByteOffset: count, as: UInt8.self)
            withUnsafeBytes(of: UInt32(n).littleEndian) { (base + count + 1).copyMemory(from: $0.baseAddress!, byteCount: 4) }
            if n > 0 { (base + count + 5).copyMemory(from: utf8.baseAddress!, byteCount: n) }
            count += 5 + n
        }

        /// A text field of `prefix`, `utf8` and `suffix` together.
        @inline(__always) func put(text utf8: UnsafeBufferPointer<UInt8>, prefix: [UInt8], suffix: [UInt8]) {
            let n = prefix.count + utf8.count + suffix.count
            room(5 + n)
            base.storeBytes(of: UInt8(MOSAIC_FIELD_TEXT), toByteOffset: count, as: UInt8.self)
            withUnsafeBytes(of: UInt32(n).littleEndian) { (base + count + 1).copyMemory(from: $0.baseAddress!, byteCount: 4) }
            var at = count + 5
            prefix.withUnsafeBytes { (base + at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            at += prefix.count
            if utf8.count > 0 { (base + at).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count) }
            at += utf8.count
            suffix.withUnsafeBytes { (base + at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            count += 5 + n
        }
    }

    /// Inserts the rows into `statement` on `conn` (inside the caller's transaction), with
    /// ids from `firstID` and `tx_from` = `transaction`.
    ///
    /// When `firstID` follows the table's highest id (always, for the import into an empty
    /// store), the rows are inserted without ids and SQLite gives them (each one more than the
    /// highest: the same ids) as appended rows: the 9M rows of the 1M graph took 4.6–6.5 s of
    /// CPU in the `sqlite3` shell this way against 7.0–8.0 s with their ids given.
    func insert(on conn: OpaquePointer, firstID: Int64, transaction: Int64) throws {
        guard rows > 0 else { return }
        let appending = try RowBatch.highestID(on: conn) == firstID - 1
        // (the columns no row has a value in are given as NULL, not read from the batch)
        let values = (0..<RowBatch.columns).map { columnsWithValues & (1 << $0) != 0 ? "c\($0)" : "NULL" }.joined(separator: ", ")
        let sql = appending ? """
            INSERT INTO statement (kind, subject, predicate, object, value, valid_from, valid_to, sources, grading,
                                   confidence, origin, tx_from)
            SELECT \(values), ?3 FROM mosaic_rows(?1)
            """ : """
            INSERT INTO statement (id, kind, subject, predicate, object, value, valid_from, valid_to, sources, grading,
                                   confidence, origin, tx_from)
            SELECT ?2 + rowid, \(values), ?3 FROM mosaic_rows(?1)
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
        let rc: Int32 = withExtendedLifetime(storage) {
            var batch = mosaic_rows(bytes: storage.base.assumingMemoryBound(to: UInt8.self), length: Int64(storage.count),
                                    rows: Int64(rows), columns: Int32(RowBatch.columns))
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
        // (the ids SQLite gave must be the ones reserved: else the transaction fails)
        if appending && sqlite3_last_insert_rowid(conn) != firstID + Int64(rows) - 1 {
            throw StoreError.sqlite(context: "importing", message: "rows inserted with other ids than \(firstID)...")
        }
    }

    /// The highest statement id in the table (0 when it is empty).
    static func highestID(on conn: OpaquePointer) throws -> Int64 {
        var stmt: OpaquePointer?
        defer { sqlite3_finalize(stmt) }
        guard sqlite3_prepare_v2(conn, "SELECT max(id) FROM statement", -1, &stmt, nil) == SQLITE_OK,
              sqlite3_step(stmt) == SQLITE_ROW else {
            throw StoreError.sqlite(context: "importing", message: String(cString: sqlite3_errmsg(conn)))
        }
        return sqlite3_column_type(stmt, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(stmt, 0)
    }
}
