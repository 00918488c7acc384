import Foundation
import MosaicGraph

/// Reads one file of a bulk import (BulkImporter.swift) a block of bytes at a time and yields
/// its records with their line numbers, so that a file of any size is read in bounded memory:
/// CSV (the header names the columns and says whether the rows are nodes or edges; a
/// record cut by the end of a block is read again with the next one) or JSON Lines (one
/// object a line; each line is a node or an edge by its keys). Errors name the file and line.
struct ImportFileReader {
    /// What the file's rows are: a CSV file's header decides for all of them; a JSON Lines
    /// file may hold both.
    enum Kind { case nodes, edges, mixed }

    let path: String
    private(set) var kind: Kind = .nodes
    private let isJSON: Bool
    private let blockSize: Int
    private let handle: FileHandle
    /// The bytes read and not yet consumed: at the front, a record (or line) the last block did
    /// not finish, then the next block. One buffer for the whole file (read into in place,
    /// its consumed bytes removed in place), not three new arrays a block.
    private var buffer: [UInt8] = []
    /// Where a block is read before it is appended to `buffer` (made once, its bytes not
    /// cleared first: only what `read` wrote is used).
    private var scratch: [UInt8]
    /// The line of the first byte of `buffer`.
    private var line = 1
    private var atEnd = false
    /// Where each known column is in a CSV record (from the header).
    private var positions: [Int] = []
    private var columnCount = 0
    private var columnNames = ""

    /// Opens `path` and, for CSV, reads its header; `blockSize` bytes are read at a time.
    init(path: String, blockSize: Int) throws {
        self.path = path
        self.blockSize = max(1, blockSize)
        scratch = [UInt8](unsafeUninitializedCapacity: self.blockSize) { _, n in n = max(1, blockSize) }
        isJSON = path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.badImport(file: path, line: 0, message: "cannot read the file; check the path")
        }
        self.handle = handle
        if isJSON { kind = .mixed; return }
        // The header: blocks are read until its record is whole (or the file ends).
        var first = true
        while true {
            let read = try readBlock()
            // A byte-order mark is dropped (once its three bytes are read, or the file ended).
            if first && (buffer.count >= 3 || read == 0) {
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
                first = false
            }
            var reader = CSVReader(bytes: buffer, line: line, final: read == 0)
            let header: [String]?
            do { header = try reader.next()?.fields } catch let e as CSVReader.CSVError {
                throw StoreError.badImport(file: path, line: e.line, message: "a quoted field is not closed")
            }
            if let header {
                let consumed = reader.consumed
                line = reader.line
                reader = CSVReader(bytes: [], line: 0, final: true)  // (lets go of the buffer before it changes)
                buffer.removeSubrange(0..<consumed)
                try takeHeader(header)
                return
            }
            if read == 0 { atEnd = true; return }  // an empty file: no rows
        }
    }

    private mutating func takeHeader(_ header: [String]) throws {
        let cols = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard cols.contains("id") || cols.contains("src") else {
            throw StoreError.badImport(file: path, line: 1, message: "the header must name 'id,type,name[,props]' (nodes) or 'src,dst,type[,date,source]' (edges); got '\(cols.joined(separator: ","))'")
        }
        // A repeated column name: the last one wins.
        positions = BulkImporter.Record.positions(Dictionary(cols.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { $1 }))
        columnCount = cols.count
        columnNames = cols.joined(separator: ",")
        kind = cols.contains("src") || cols.contains("dst") ? .edges : .nodes
    }

    /// Reads up to `blockSize` bytes onto the end of `buffer`; returns how many (0 at the end
    /// of the file).
    private mutating func readBlock() throws -> Int {
        let fd = handle.fileDescriptor
        let size = blockSize
        var got = 0
        let failed: Bool = scratch.withUnsafeMutableBytes { raw in
            while got < size {
                let n = read(fd, raw.baseAddress! + got, size - got)
                if n < 0 { if errno == EINTR { continue }; return true }
                if n == 0 { break }
                got += n
            }
            return false
        }
        if failed {
            throw StoreError.badImport(file: path, line: line, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        buffer.append(contentsOf: scratch[0..<got])
        return got
    }

    /// Reads the next block and calls `body` with each of its records and its line, in order,
    /// while `body` returns true. Returns false after the last block (or when `body` said stop).
    /// The record is only lent to `body` (its fields array is reused for the next record).
    mutating func nextBlock(_ body: (BulkImporter.Record, Int) throws -> Bool) throws -> Bool {
        guard !atEnd else { return false }
        let final = try readBlock() == 0
        if final { atEnd = true }
        let go = isJSON ? try jsonRecords(final: final, body) : try csvRecords(final: final, body)
        return go && !final
    }

    private mutating func csvRecords(final: Bool, _ body: (BulkImporter.Record, Int) throws -> Bool) throws -> Bool {
        var reader = CSVReader(bytes: buffer, line: line, final: final)
        var fields: [String] = []
        fields.reserveCapacity(columnCount)
        var go = true
        do {
            while go, let at = try reader.next(into: &fields) {
                if fields.count == 1 && fields[0].isEmpty { continue }
                guard fields.count == columnCount else {
                    throw StoreError.badImport(file: path, line: at, message: "expected \(columnCount) fields (\(columnNames)), found \(fields.count)")
                }
                go = try body(BulkImporter.Record(positions: positions, fields: fields), at)
            }
        } catch let e as CSVReader.CSVError {
            throw StoreError.badImport(file: path, line: e.line, message: "a quoted field is not closed")
        }
        let consumed = reader.consumed
        line = reader.line
        reader = CSVReader(bytes: [], line: 0, final: true)  // (lets go of the buffer before it changes)
        buffer.removeSubrange(0..<consumed)
        return go
    }

    private mutating func jsonRecords(final: Bool, _ body: (BulkImporter.Record, Int) throws -> Bool) throws -> Bool {
        // Whole lines only: up to the last newline, unless this is the end of the file.
        var end = buffer.count
        if !final {
            end = (buffer.lastIndex(of: 0x0A) ?? -1) + 1
        }
        let text = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeSubrange(0..<end)
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
        if !final, pieces.last?.isEmpty == true { pieces.removeLast() }  // (after the last newline)
        for raw in pieces {
            defer { line += 1 }
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard case .map(let m)? = Value.decode(text) else {
                throw StoreError.badImport(file: path, line: line, message: "not a JSON object")
            }
            var rec: [String: String] = [:]
            for (k, v) in m {
                switch (k, v) {
                case ("props", _): rec[k] = v.encoded
                case (_, .string(let s)): rec[k] = s
                case (_, .list(let l)): rec[k] = l.map(\.description).joined(separator: ";")
                case (_, .null): break
                default: rec[k] = v.description
                }
            }
            guard try body(BulkImporter.Record(rec), line) else { return false }
        }
        return true
    }

    func close() { try? handle.close() }
}
