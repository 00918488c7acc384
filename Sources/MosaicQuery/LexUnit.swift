/// The units the lexer reads: `Character` for any text, `ASCIIUnit` (a byte) for ASCII text
/// without carriage returns, where bytes and characters coincide (a "\r\n" pair is one
/// `Character`). Both answer the lexer's questions the same way for ASCII.
protocol LexUnit: Equatable, ExpressibleByUnicodeScalarLiteral {
    var asciiValue: UInt8? { get }
    var isLetter: Bool { get }
    var isNumber: Bool { get }
    var isWhitespace: Bool { get }
    var isHexDigit: Bool { get }
    func append(to s: inout String)
    static func string<C: Collection>(_ units: C) -> String where C.Element == Self
    /// The upper-case spelling of a run of units, when cheaper than `String.uppercased()`.
    static func upper<C: Collection>(_ units: C) -> String? where C.Element == Self
}

extension Character: LexUnit {
    func append(to s: inout String) { s.append(self) }
    static func string<C: Collection>(_ units: C) -> String where C.Element == Character { String(units) }
    static func upper<C: Collection>(_ units: C) -> String? where C.Element == Character { nil }
}

/// One byte of an all-ASCII query text.
struct ASCIIUnit: LexUnit {
    let value: UInt8
    init(_ value: UInt8) { self.value = value }
    init(unicodeScalarLiteral s: Unicode.Scalar) { value = UInt8(truncatingIfNeeded: s.value) }

    var asciiValue: UInt8? { value }
    var isLetter: Bool { (value >= 65 && value <= 90) || (value >= 97 && value <= 122) }
    var isNumber: Bool { value >= 48 && value <= 57 }
    var isWhitespace: Bool { value == 32 || (value >= 9 && value <= 13) }
    var isHexDigit: Bool { isNumber || (value >= 65 && value <= 70) || (value >= 97 && value <= 102) }
    func append(to s: inout String) { s.unicodeScalars.append(Unicode.Scalar(value)) }

    static func string<C: Collection>(_ units: C) -> String where C.Element == ASCIIUnit {
        // contiguous units (array slices): decoded in one go, a small string needs no allocation
        if let s = units.withContiguousStorageIfAvailable({ b in
            b.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
        }) { return s }
        return String(unsafeUninitializedCapacity: units.count) { buf in
            var k = 0
            for u in units { buf[k] = u.value; k += 1 }
            return k
        }
    }
    static func upper<C: Collection>(_ units: C) -> String? where C.Element == ASCIIUnit {
        String(unsafeUninitializedCapacity: units.count) { buf in
            var k = 0
            for u in units { buf[k] = u.value >= 97 && u.value <= 122 ? u.value - 32 : u.value; k += 1 }
            return k
        }
    }
}

/// A query text split into the lexer's units (see `LexUnit`), for tokens and source slices.
enum QueryText {
    case ascii([ASCIIUnit])
    case characters([Character])

    init(_ text: String) {
        // the bytes checked and copied from the string's own buffer (through its UTF-8 view
        // the two loops cost about 25 instructions a byte: 830 of a compile of the 33-byte b
        // text, callgrind)
        var text = text
        let units: [ASCIIUnit]? = text.withUTF8 { bytes in
            for b in bytes where b >= 128 || b == 13 { return nil }
            return [ASCIIUnit](unsafeUninitializedCapacity: bytes.count) { buf, count in
                // one copy of the bytes (an ASCIIUnit is its byte)
                if let from = bytes.baseAddress, let to = buf.baseAddress {
                    UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: bytes.count)
                }
                count = bytes.count
            }
        }
        if let units {
            self = .ascii(units)
        } else {
            self = .characters(Array(text))
        }
    }

    var count: Int {
        switch self { case .ascii(let u): return u.count; case .characters(let c): return c.count }
    }

    func tokenize() throws -> [Token] {
        switch self {
        case .ascii(let u): var lx = Lexer(u); return try lx.tokenize()
        case .characters(let c): var lx = Lexer(c); return try lx.tokenize()
        }
    }

    /// The text from unit `start` up to `end`.
    func slice(_ start: Int, _ end: Int) -> String {
        switch self {
        case .ascii(let u): return ASCIIUnit.string(u[start..<end])
        case .characters(let c): return String(c[start..<end])
        }
    }
}
