import Foundation

/// A point on the Earth, in degrees (WGS 84).
public struct GeoPoint: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double
    public init(latitude: Double, longitude: Double) { self.latitude = latitude; self.longitude = longitude }
}

/// A property value. Integers and floats stay distinct; dates keep their precision.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case date(PartialDate)
    case list([Value])
    case map([String: Value])
    case geo(GeoPoint)

    public var isNull: Bool { if case .null = self { return true }; return false }
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int64? { if case .int(let i) = self { return i }; return nil }
    public var doubleValue: Double? {
        switch self { case .int(let i): Double(i); case .float(let d): d; default: nil }
    }
    public var dateValue: PartialDate? { if case .date(let d) = self { return d }; return nil }
    public var listValue: [Value]? { if case .list(let l) = self { return l }; return nil }

    /// The name of the value's type, as used in error messages and the schema.
    public var typeName: String {
        switch self {
        case .null: "null"; case .bool: "boolean"; case .int: "integer"; case .float: "float"
        case .string: "string"; case .date: "date"; case .list: "list"; case .map: "map"
        case .geo: "geo"
        }
    }
}

// MARK: - the stored encoding
//
// Values are stored as JSON text with two tagged forms, `{"$date": "2025-10"}` and
// `{"$geo": [lat, lon]}`. A float is always written with a fraction or exponent, so an
// integer stays an integer across a round trip. Map keys are written sorted (stable bytes).

extension Value {
    public var encoded: String {
        var out = ""
        encode(into: &out)
        return out
    }

    public func encode(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += Value.formatFloat(d)
        case .string(let s): Value.writeJSONString(s, into: &out)
        case .date(let d): out += "{\"$date\":\""; out += d.description; out += "\"}"
        case .geo(let g): out += "{\"$geo\":[\(Value.formatFloat(g.latitude)),\(Value.formatFloat(g.longitude))]}"
        case .list(let l):
            out += "["
            for (i, v) in l.enumerated() { if i > 0 { out += "," }; v.encode(into: &out) }
            out += "]"
        case .map(let m):
            out += "{"
            for (i, k) in m.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                Value.writeJSONString(k, into: &out)
                out += ":"
                m[k]!.encode(into: &out)
            }
            out += "}"
        }
    }

    /// Formats a float so that it reads back as a float: `1.0`, `0.25`, `1e+300`, `NaN`.
    public static func formatFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        var s = "\(d)"
        if !s.contains(".") && !s.contains("e") && !s.contains("E") { s += ".0" }
        return s
    }

    public static func writeJSONString(_ s: String, into out: inout String) {
        // Most strings need no escape: appended whole.
        let plain = s.utf8.withContiguousStorageIfAvailable { !$0.contains(where: Value.needsJSONEscape) }
            ?? !s.utf8.contains(where: Value.needsJSONEscape)
        if plain {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    /// Whether a UTF-8 byte must be escaped in a JSON string (quote, backslash, controls).
    @inline(__always)
    public static func needsJSONEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C }

    /// `writeJSONString` into UTF-8 bytes, with the same escapes.
    public static func writeJSONString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { buf in
            guard buf.contains(where: Value.needsJSONEscape) else { out.append(contentsOf: buf); return }
            let hex = Array("0123456789abcdef".utf8)
            for b in buf {
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0..<0x20: out.append(contentsOf: Array("\\u00".utf8)); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }

    /// `decode` of UTF-8 bytes (a reader that splits a file into lines decodes them so).
    public static func decode(utf8 bytes: [UInt8]) -> Value? {
        var p = ValueParser(bytes)
        guard let v = p.parseValue() else { return nil }
        p.skipSpace()
        return p.atEnd ? v : nil
    }

    /// Decodes the stored encoding (also plain JSON). Returns nil on malformed text.
    public static func decode(_ text: String) -> Value? {
        var p = ValueParser(Array(text.utf8))
        guard let v = p.parseValue() else { return nil }
        p.skipSpace()
        return p.atEnd ? v : nil
    }
}

struct ValueParser {
    let u: [UInt8]
    var i = 0
    init(_ u: [UInt8]) { self.u = u }
    var atEnd: Bool { i >= u.count }

    mutating func skipSpace() { while i < u.count, u[i] == 32 || u[i] == 10 || u[i] == 13 || u[i] == 9 { i += 1 } }

    mutating func literal(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard i + b.count <= u.count, Array(u[i..<(i + b.count)]) == b else { return false }
        i += b.count
        return true
    }

    mutating func parseValue() -> Value? {
        skipSpace()
        guard i < u.count else { return nil }
        switch u[i] {
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "N"): return literal("NaN") ? .float(.nan) : nil
        case UInt8(ascii: "I"): return literal("Infinity") ? .float(.infinity) : nil
        case UInt8(ascii: "\""): return parseString().map(Value.string)
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < u.count && u[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                guard let v = parseValue() else { return nil }
                items.append(v)
                skipSpace()
                guard i < u.count else { return nil }
                if u[i] == UInt8(ascii: ",") { i += 1; continue }
                if u[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                return nil
            }
        case UInt8(ascii: "{"):
            i += 1
            var m: [String: Value] = [:]
            skipSpace()
            if i < u.count && u[i] == UInt8(ascii: "}") { i += 1; return .map(m) }
            while true {
                skipSpace()
                guard let k = parseString() else { return nil }
                skipSpace()
                guard i < u.count, u[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let v = parseValue() else { return nil }
                m[k] = v
                skipSpace()
                guard i < u.count else { return nil }
                if u[i] == UInt8(ascii: ",") { i += 1; continue }
                if u[i] == UInt8(ascii: "}") { i += 1; break }
                return nil
            }
            if m.count == 1, let tagged = m["$date"], case .string(let s) = tagged {
                return PartialDate(s).map(Value.date)
            }
            if m.count == 1, let tagged = m["$geo"], case .list(let l) = tagged, l.count == 2,
               let lat = l[0].doubleValue, let lon = l[1].doubleValue {
                return .geo(GeoPoint(latitude: lat, longitude: lon))
            }
            return .map(m)
        default:
            return parseNumber()
        }
    }

    mutating func parseNumber() -> Value? {
        let start = i
        if i < u.count && u[i] == UInt8(ascii: "-") {
            i += 1
            if literal("Infinity") { return .float(-.infinity) }
        }
        var isFloat = false
        while i < u.count {
            let c = u[i]
            if c >= 48 && c <= 57 { i += 1 }
            else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || (c == UInt8(ascii: "-") && i > start) { isFloat = true; i += 1 }
            else { break }
        }
        guard i > start, let s = String(bytes: u[start..<i], encoding: .utf8) else { return nil }
        if isFloat { return Double(s).map(Value.float) }
        if let v = Int64(s) { return .int(v) }
        return Double(s).map(Value.float)
    }

    mutating func parseString() -> String? {
        guard i < u.count, u[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        var simple = true
        while i < u.count && u[i] != UInt8(ascii: "\"") {
            if u[i] == UInt8(ascii: "\\") { simple = false; i += 2 } else { i += 1 }
        }
        guard i < u.count else { return nil }
        defer { i += 1 }
        if simple { return String(decoding: u[start..<i], as: UTF8.self) }
        var bytes: [UInt8] = []
        var k = start
        while k < i {
            let c = u[k]
            if c != UInt8(ascii: "\\") { bytes.append(c); k += 1; continue }
            k += 1
            guard k < i else { return nil }
            switch u[k] {
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "r"): bytes.append(13)
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "b"): bytes.append(8)
            case UInt8(ascii: "f"): bytes.append(12)
            case UInt8(ascii: "u"):
                guard k + 4 < i + 1, let h = String(bytes: u[(k + 1)...(k + 4)], encoding: .ascii),
                      var code = UInt32(h, radix: 16) else { return nil }
                k += 4
                if (0xD800..<0xDC00).contains(code), k + 6 < i + 1, u[k + 1] == UInt8(ascii: "\\"), u[k + 2] == UInt8(ascii: "u"),
                   let h2 = String(bytes: u[(k + 3)...(k + 6)], encoding: .ascii), let low = UInt32(h2, radix: 16) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                bytes.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
            default: bytes.append(u[k])
            }
            k += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Value: CustomStringConvertible {
    /// A readable form: strings bare at the top level, dates as written.
    public var description: String {
        switch self {
        case .string(let s): return s
        case .date(let d): return d.description
        case .null: return "null"
        case .geo(let g): return "\(Value.formatFloat(g.latitude)),\(Value.formatFloat(g.longitude))"
        default: return encoded
        }
    }
}

extension Value: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .float(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let l = try? c.decode([Value].self) { self = .list(l); return }
        let m = try c.decode([String: Value].self)
        if m.count == 1, case .string(let s)? = m["$date"], let d = PartialDate(s) { self = .date(d); return }
        if m.count == 1, case .list(let l)? = m["$geo"], l.count == 2, let a = l[0].doubleValue, let b = l[1].doubleValue {
            self = .geo(GeoPoint(latitude: a, longitude: b)); return
        }
        self = .map(m)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .float(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .date(let d): try c.encode(["$date": d.description])
        case .geo(let g): try c.encode(["$geo": [g.latitude, g.longitude]])
        case .list(let l): try c.encode(l)
        case .map(let m): try c.encode(m)
        }
    }
}
