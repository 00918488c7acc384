import Foundation

/// A small RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, CRLF or LF.
/// Yields each record with the line it started on. An unquoted field becomes a `String`
/// straight from its bytes (no per-byte copy): the bulk import reads millions of them.
/// The bytes may be one piece of a longer input (the bulk import reads files a block at a
/// time): then a record the piece does not finish is not returned, and `consumed` says
/// where it starts, for the caller to read again with the next block.
public struct CSVReader {
    private let bytes: [UInt8]
    private var i = 0
    private(set) var line = 1
    /// Whether the bytes end the input (else the last, unfinished record waits for more).
    private let final: Bool

    public init(data: Data) {
        var b = [UInt8](data)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        bytes = b
        final = true
    }

    /// A reader of one piece of an input, whose first byte is on line `line`; with `final`
    /// false, a record that runs to the end of the piece is left for the next one.
    init(bytes: [UInt8], line: Int, final: Bool) {
        self.bytes = bytes
        self.line = line
        self.final = final
    }

    /// The bytes read up to the end of the last whole record returned.
    var consumed: Int { i }

    /// The next record and its first line, nil at the end (or, in a piece that is not the
    /// last, before a record it does not finish); throws on an unterminated quote.
    public mutating func next() throws -> (fields: [String], line: Int)? {
        var fields: [String] = []
        fields.reserveCapacity(8)
        guard let line = try next(into: &fields) else { return nil }
        return (fields, line)
    }

    /// `next()` into `fields` (emptied first, its room kept: the bulk import reuses one array
    /// for millions of records); returns the record's first line, nil at the end.
    mutating func next(into fields: inout [String]) throws -> Int? {
        fields.removeAll(keepingCapacity: true)
        guard i < bytes.count else { return nil }
        let start = line, recordStart = i
        let finished: Bool = try bytes.withUnsafeBufferPointer { b in
            let n = b.count
            while true {
                // One field, starting at i.
                if i < n && b[i] == 0x22 {
                    var field: [UInt8] = []
                    i += 1
                    var closed = false
                    while i < n {
                        let c = b[i]
                        if c == 0x22 {
                            if i + 1 < n && b[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                            // A quote that ends a piece may be the first of a doubled pair.
                            if i + 1 == n && !final { return false }
                            i += 1; closed = true; break
                        }
                        if c == 0x0A { line += 1 }
                        field.append(c); i += 1
                    }
                    if !closed {
                        if !final { return false }
                        throw CSVError(line: start)
                    }
                    // Anything after the closing quote up to the separator belongs to the field.
                    while i < n && b[i] != 0x2C && b[i] != 0x0A && b[i] != 0x0D { field.append(b[i]); i += 1 }
                    fields.append(String(decoding: field, as: UTF8.self))
                } else {
                    let s = i
                    while i < n {
                        let c = b[i]
                        if c == 0x2C || c == 0x0A || c == 0x0D { break }
                        i += 1
                    }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: b[s..<i]), as: UTF8.self))
                }
                // The separator after it.
                if i >= n { return final }
                switch b[i] {
                case 0x2C: i += 1
                case 0x0D:
                    // A CR that ends a piece may be the first half of a CRLF.
                    if i + 1 == n && !final { return false }
                    i += 1
                    if i < n && b[i] == 0x0A { i += 1 }
                    line += 1
                    return true
                default:
                    i += 1; line += 1
                    return true
                }
            }
        }
        guard finished else {
            i = recordStart
            line = start
            return nil
        }
        return start
    }

    public struct CSVError: Error { public var line: Int }
}
