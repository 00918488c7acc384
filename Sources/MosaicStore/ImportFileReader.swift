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
    /// The bytes of a record (or line) the last block did not finish.
    private var carry: [UInt8] = []
    /// The line of the first byte of `carry`.
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
        isJSON = path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.badImport(file: path, line: 0, message: "cannot read the file; check the path")
        }
        self.handle = handle
        if isJSON { kind = .mixed; return }
        // The header: blocks are read until its record is whole (or the file ends).
        var first = true
        while true {
            var bytes = carry
            let block = try readBlock()
            bytes.append(contentsOf: block)
            // A byte-order mark is dropped (once its three bytes are read, or the file ended).
            if first && (bytes.count >= 3 || block.isEmpty) {
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                first = false
            }
            var reader = CSVReader(bytes: bytes, line: line, final: block.isEmpty)
            let header: [String]?
            do { header = try reader.next()?.fields } catch let e as CSVReader.CSVError {
                throw StoreError.badImport(file: path, line: e.line, message: "a quoted field is not closed")
            }
            if let header {
                carry = Array(bytes[reader.consumed...])
                line = reader.line
                try takeHeader(header)
                return
            }
            carry = bytes
            if block.isEmpty { atEnd = true; return }  // an empty file: no rows
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

    private func readBlock() throws -> [UInt8] {
        do {
            guard let data = try handle.read(upToCount: blockSize) else { return [] }
            return [UInt8](data)
        } catch {
            throw StoreError.badImport(file: path, line: line, message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// The records of the next block (possibly none), nil after the last.
    mutating func next() throws -> [(BulkImporter.Record, Int)]? {
        guard !atEnd else { return nil }
        var bytes = carry
        carry = []
        let block = try readBlock()
        bytes.append(contentsOf: block)
        let final = block.isEmpty
        if final { atEnd = true }
        return isJSON ? try jsonRecords(bytes, final: final) : try csvRecords(bytes, final: final)
    }

    private mutating func csvRecords(_ bytes: [UInt8], final: Bool) throws -> [(BulkImporter.Record, Int)] {
        var reader = CSVReader(bytes: bytes, line: line, final: final)
        var out: [(BulkImporter.Record, Int)] = []
        do {
            while let (fields, at) = try reader.next() {
                if fields.count == 1 && fields[0].isEmpty { continue }
                guard fields.count == columnCount else {
                    throw StoreError.badImport(file: path, line: at, message: "expected \(columnCount) fields (\(columnNames)), found \(fields.count)")
                }
                out.append((BulkImporter.Record(positions: positions, fields: fields), at))
            }
        } catch let e as CSVReader.CSVError {
            throw StoreError.badImport(file: path, line: e.line, message: "a quoted field is not closed")
        }
        carry = Array(bytes[reader.consumed...])
        line = reader.line
        return out
    }

    private mutating func jsonRecords(_ bytes: [UInt8], final: Bool) throws -> [(BulkImporter.Record, Int)] {
        // Whole lines only: up to the last newline, unless this is the end of the file.
        var end = bytes.count
        if !final {
            end = (bytes.lastIndex(of: 0x0A) ?? -1) + 1
        }
        carry = Array(bytes[end...])
        var out: [(BulkImporter.Record, Int)] = []
        let text = String(decoding: bytes[..<end], as: UTF8.self)
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
            out.append((BulkImporter.Record(rec), line))
        }
        return out
    }

    func close() { try? handle.close() }
}
