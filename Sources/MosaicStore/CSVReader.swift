import Foundation

/// A small RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, CRLF or LF.
/// Yields each record with the line it started on. An unquoted field becomes a `String`
/// straight from its bytes (no per-byte copy): the bulk import reads millions of them.
public struct CSVReader {
    private let bytes: [UInt8]
    private var i = 0
    private(set) var line = 1

    public init(data: Data) {
        var b = [UInt8](data)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        bytes = b
    }

    /// The next record and its first line, nil at the end; throws on an unterminated quote.
    public mutating func next() throws -> (fields: [String], line: Int)? {
        guard i < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        fields.reserveCapacity(8)
        try bytes.withUnsafeBufferPointer { b in
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
                            i += 1; closed = true; break
                        }
                        if c == 0x0A { line += 1 }
                        field.append(c); i += 1
                    }
                    if !closed { throw CSVError(line: start) }
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
                if i >= n { return }
                switch b[i] {
                case 0x2C: i += 1
                case 0x0D:
                    i += 1
                    if i < n && b[i] == 0x0A { i += 1 }
                    line += 1
                    return
                default:
                    i += 1; line += 1
                    return
                }
            }
        }
        return (fields, start)
    }

    public struct CSVError: Error { public var line: Int }
}
