import Foundation
import GRDB
import MosaicGraph

/// The snapshot file beside a store (`store.sqlite-snapshot`): the graph of one transaction
/// as bytes (`Graph.writeCheckpoint`), so that opening a store reads one file and applies
/// the statements written since, instead of stepping every statement row.
///
/// It is a cache, never the truth: the header names the transaction it reflects (with that
/// transaction's time, so a file from another store is refused) and the highest statement id
/// then; each section of the graph's bytes carries its own checksum. Anything that does not
/// match makes `Store.open` load from the log as before. It is written after a write that
/// rebuilt the snapshot (an import, a large load, inference from scratch) and when an open had
/// to apply many statements to it; a crash while writing leaves only a temporary file. It is
/// read by mapping it into memory: the relationships and adjacency lists are used where they lie in the mapping
/// (which the graph keeps, and unmaps when the last graph reading it is gone); the rest is
/// decoded. The file is only ever replaced (written beside and renamed), never changed in
/// place, so a mapping stays valid while another process writes a newer file.
struct SnapshotFile {
    let path: String

    init(store: String) { path = store + "-snapshot" }

    /// 2: the body's checksums moved into its sections (graph format 4); 3: the header padded
    /// to 64 bytes, so that the body's aligned sections are aligned in the mapping too.
    static let magic: [UInt8] = Array("MOSAIC-SNAPSHOT-3".utf8)
    /// Magic, then the transaction, its time and the last statement (8 bytes each), then zeros.
    static var headerSize: Int { 64 }
    /// Statements applied on open beyond which the file is written again.
    static let rewriteThreshold = 20_000

    struct Header {
        var transaction: Int64
        var time: Double
        var lastStatement: Int64
    }

    /// The transaction's time and the highest statement id written up to it.
    static func header(_ db: Database, transaction: Int64) throws -> Header? {
        guard let time = try Double.fetchOne(db, sql: "SELECT at FROM tx WHERE id = ?", arguments: [transaction]) else { return nil }
        let last = try Int64.fetchOne(db, sql: "SELECT id FROM statement WHERE tx_from <= ? ORDER BY id DESC LIMIT 1",
                                      arguments: [transaction]) ?? 0
        return Header(transaction: transaction, time: time, lastStatement: last)
    }

    /// Writes `graph` (which must reflect a committed transaction) atomically.
    func write(_ graph: Graph, _ db: Database) throws {
        guard graph.transaction > 0, let h = try SnapshotFile.header(db, transaction: graph.transaction) else { return }
        try write(graph, header: h)
    }

    /// Whether the file on disk claims to hold `transaction` (its header only; `read` checks it).
    func holds(transaction: Int64) -> Bool {
        guard let fh = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? fh.close() }
        guard let head = try? fh.read(upToCount: SnapshotFile.magic.count + 8), head.count == SnapshotFile.magic.count + 8,
              head.prefix(SnapshotFile.magic.count).elementsEqual(SnapshotFile.magic) else { return false }
        let tx = head.suffix(8).withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
        return tx == transaction
    }

    /// Writes `graph` with a header given by the caller: a writer that knows the transaction
    /// it is committing (its id, time and last statement) may write the file before the commit.
    func write(_ graph: Graph, header h: Header) throws {
        var head = SnapshotFile.magic
        for v in [h.transaction, Int64(bitPattern: h.time.bitPattern), h.lastStatement] {
            withUnsafeBytes(of: v.littleEndian) { head.append(contentsOf: $0) }
        }
        head += repeatElement(0, count: SnapshotFile.headerSize - head.count)
        let tmp = path + ".\(getpid()).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        var closed = false
        defer {
            if !closed { close(fd) }
            if FileManager.default.fileExists(atPath: tmp) { try? FileManager.default.removeItem(atPath: tmp) }
        }
        /// Writes all of `bytes` at `offset` of the file.
        func put(_ offset: Int, _ bytes: UnsafeRawBufferPointer) throws {
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw WriteFailure(path: tmp, reason: n < 0 ? String(cString: strerror(errno)) : "nothing written")
                }
                done += n
            }
        }
        // The graph's bytes are written section by section as they are encoded (its head last),
        // after the file's own header: the snapshot is never held whole in memory.
        try head.withUnsafeBytes { try put(0, $0) }
        try graph.writeCheckpoint { offset, bytes in try put(head.count + offset, bytes) }
        closed = true
        guard close(fd) == 0 else { return }
        _ = rename(tmp, path)
    }

    /// The graph the file holds, when it belongs to this store and is intact.
    func read(_ db: Database) -> (graph: Graph, header: Header)? {
        var trace = PhaseTrace("open")
        return read(db, trace: &trace)
    }

    /// The same, reporting the time of each phase to `trace`.
    func read(_ db: Database, trace: inout PhaseTrace) -> (graph: Graph, header: Header)? {
        guard let file = MappedFile(path: path) else { return nil }
        trace.mark("map")
        let raw = file.bytes
        // Unmaps the file when the last graph reading it in place is gone (at once when the
        // file is refused or the graph copied everything).
        let keeper = ReadOnlyBytes(raw) { MappedFile.unmap($0) }
        return withExtendedLifetime(keeper) { () -> (graph: Graph, header: Header)? in
            let fixed = SnapshotFile.headerSize
            guard raw.count > fixed, raw.prefix(SnapshotFile.magic.count).elementsEqual(SnapshotFile.magic) else { return nil }
            func i64(_ at: Int) -> Int64 { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: SnapshotFile.magic.count + at, as: Int64.self)) }
            let claimed = Header(transaction: i64(0), time: Double(bitPattern: UInt64(bitPattern: i64(8))), lastStatement: i64(16))
            guard let actual = try? SnapshotFile.header(db, transaction: claimed.transaction),
                  actual.time == claimed.time, actual.lastStatement == claimed.lastStatement else { return nil }
            let body = UnsafeRawBufferPointer(rebasing: raw[fixed...])
            let graph = Graph(checkpoint: body, keeper: keeper, phase: { trace.report($0, seconds: $1) })
            trace.mark("decode (wall)")
            // Every page was read once (the checksums, the decode): let them go from this
            // process's memory. They stay in the page cache; those the graph reads in place
            // come back on first touch.
            MappedFile.dropResidentPages(raw)
            guard let graph, graph.transaction == claimed.transaction else { return nil }
            return (graph, claimed)
        }
    }

    /// A write of the file that failed (callers drop the file: it is only a cache).
    struct WriteFailure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write the snapshot file \(path): \(reason)" }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
