import Foundation

/// A small RFC 4180 CSV reader over bytes: quoted fields, doubled quotes, CRLF or LF.
/// Yields each record with the line it started on.
struct CSVReader {
    private let bytes: [UInt8]
    private var i = 0
    private(set) var line = 1

    init(data: Data) {
        var b = [UInt8](data)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        bytes = b
    }

    /// The next record and its first line, nil at the end; throws on an unterminated quote.
    mutating func next() throws -> (fields: [String], line: Int)? {
        guard i < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    quoted = false; i += 1; continue
                }
                if c == 0x0A { line += 1 }
                field.append(c); i += 1; continue
            }
            switch c {
            case 0x22 where field.isEmpty: quoted = true; i += 1
            case 0x2C: fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true); i += 1
            case 0x0D: i += 1
            case 0x0A:
                i += 1; line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return (fields, start)
            default: field.append(c); i += 1
            }
        }
        if quoted { throw CSVError(line: start) }
        fields.append(String(decoding: field, as: UTF8.self))
        return (fields, start)
    }

    struct CSVError: Error { var line: Int }
}
