import Foundation
import MosaicGraph

/// Shared pieces of the interchange writers and readers (FtM, STIX, GEXF, gazetteers):
/// SHA-1 (FtM statement ids, UUIDv5), name-based UUIDs, JSON with keys in a fixed order,
/// and a stable key per fact. See docs/interop.md.
public enum Interop {
    // MARK: - SHA-1 (FIPS 180-4), for ids only: never for security.

    public static func sha1(_ message: [UInt8]) -> [UInt8] {
        let h = message.withUnsafeBytes { sha1Words($0) }
        return [h.0, h.1, h.2, h.3, h.4].flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
    }

    /// The first 64 bits of a text's SHA-1 (its first 16 hex digits as a number), without
    /// copying the text.
    public static func sha1Prefix64(_ text: String) -> UInt64 {
        var t = text
        let h = t.withUTF8 { sha1Words(UnsafeRawBufferPointer($0)) }
        return UInt64(h.0) << 32 | UInt64(h.1)
    }

    /// SHA-1's five result words; the message is read in place, the padding built in a block
    /// on the stack (the message schedule too): no allocation.
    static func sha1Words(_ message: UnsafeRawBufferPointer) -> (UInt32, UInt32, UInt32, UInt32, UInt32) {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
        let n = message.count
        let bitLength = UInt64(n) * 8
        // Whole blocks from the message, then one or two blocks of its tail and the padding.
        let whole = n / 64
        let rest = n - whole * 64
        let tailBlocks = rest + 9 <= 64 ? 1 : 2
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
            tail.initialize(repeating: 0)
            for i in 0..<rest { tail[i] = message[whole * 64 + i] }
            tail[rest] = 0x80
            for i in 0..<8 { tail[tailBlocks * 64 - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8)) }
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
                func block(_ p: UnsafeRawBufferPointer, _ at: Int) {
                    for i in 0..<16 {
                        let j = at + i * 4
                        w[i] = UInt32(p[j]) << 24 | UInt32(p[j + 1]) << 16 | UInt32(p[j + 2]) << 8 | UInt32(p[j + 3])
                    }
                    for i in 16..<80 {
                        let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                        w[i] = x << 1 | x >> 31
                    }
                    var a = h.0, b = h.1, c = h.2, d = h.3, e = h.4
                    for i in 0..<80 {
                        let f: UInt32, k: UInt32
                        switch i {
                        case 0..<20: f = (b & c) | (~b & d); k = 0x5A827999
                        case 20..<40: f = b ^ c ^ d; k = 0x6ED9EBA1
                        case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC
                        default: f = b ^ c ^ d; k = 0xCA62C1D6
                        }
                        let t = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                        e = d; d = c; c = b << 30 | b >> 2; b = a; a = t
                    }
                    h.0 &+= a; h.1 &+= b; h.2 &+= c; h.3 &+= d; h.4 &+= e
                }
                for i in 0..<whole { block(message, i * 64) }
                let t = UnsafeRawBufferPointer(tail)
                for i in 0..<tailBlocks { block(t, i * 64) }
            }
        }
        return h
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func sha1Hex(_ text: String) -> String { hex(sha1(Array(text.utf8))) }

    /// A name-based UUID, version 5 (RFC 9562): SHA-1 of the namespace's bytes and the name.
    public static func uuid5(namespace: String, name: String) -> String {
        let ns = namespace.replacingOccurrences(of: "-", with: "")
        var nsBytes: [UInt8] = []
        var i = ns.startIndex
        while i < ns.endIndex {
            let j = ns.index(i, offsetBy: 2)
            nsBytes.append(UInt8(ns[i..<j], radix: 16) ?? 0)
            i = j
        }
        var d = Array(sha1(nsBytes + Array(name.utf8)).prefix(16))
        d[6] = (d[6] & 0x0F) | 0x50
        d[8] = (d[8] & 0x3F) | 0x80
        let h = hex(d)
        let parts = [h.prefix(8), h.dropFirst(8).prefix(4), h.dropFirst(12).prefix(4), h.dropFirst(16).prefix(4), h.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }

    // MARK: - JSON with ordered keys

    /// A JSON value whose objects keep their keys in the order given (stable output).
    public indirect enum JSON: Sendable, Equatable {
        case null, bool(Bool), int(Int64), number(Double), string(String), array([JSON]), object([(String, JSON)])

        public static func == (a: JSON, b: JSON) -> Bool { a.text == b.text }

        public var text: String { var s = ""; write(into: &s); return s }

        public func write(into out: inout String) {
            switch self {
            case .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .int(let i): out += String(i)
            case .number(let d): out += Value.formatFloat(d)
            case .string(let s): Value.writeJSONString(s, into: &out)
            case .array(let a):
                out += "["
                for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.write(into: &out) }
                out += "]"
            case .object(let o):
                out += "{"
                for (i, (k, v)) in o.enumerated() {
                    if i > 0 { out += "," }
                    Value.writeJSONString(k, into: &out); out += ":"; v.write(into: &out)
                }
                out += "}"
            }
        }

        /// Pretty text, two spaces an indent.
        public func pretty(_ indent: String = "") -> String {
            let inner = indent + "  "
            switch self {
            case .array(let a) where !a.isEmpty:
                return "[\n" + a.map { inner + $0.pretty(inner) }.joined(separator: ",\n") + "\n\(indent)]"
            case .object(let o) where !o.isEmpty:
                return "{\n" + o.map { k, v in
                    var key = ""; Value.writeJSONString(k, into: &key)
                    return inner + key + ": " + v.pretty(inner)
                }.joined(separator: ",\n") + "\n\(indent)}"
            default: return text
            }
        }
    }

    // MARK: - values as text

    /// A property value as flat text values (lists spread out; dates and geo points as text).
    public static func texts(_ v: Value) -> [String] {
        switch v {
        case .null: return []
        case .string(let s): return s.isEmpty ? [] : [s]
        case .date(let d): return [d.description]
        case .list(let l): return l.flatMap(texts)
        case .geo(let g): return ["\(Value.formatFloat(g.latitude)),\(Value.formatFloat(g.longitude))"]
        case .map: return [v.encoded]
        default: return [v.description]
        }
    }

    /// A stable key for a fact: type, ends, valid time, identifying properties and its
    /// citations (what tells three landings on the same days apart: their notes).
    public static func factKey(_ g: Graph, _ r: Int32) -> String {
        let rel = g.relationship(r)
        return factKey(type: g.typeName(of: r), source: g.key(ofNode: rel.source), target: g.key(ofNode: rel.target),
                       validity: g.validity(ofFact: r), properties: g.properties(ofRelationship: r),
                       citations: g.citations(ofFact: r).map(\.citation))
    }

    /// `factKey` from the fact's parts (for a writer that has them already; a "denied"
    /// property is not part of the key).
    public static func factKey(type: String, source: String, target: String, validity v: (from: PartialDate?, to: PartialDate?),
                               properties: [String: Value], citations: [Citation]) -> String {
        var key = type
        key.reserveCapacity(type.utf8.count + source.utf8.count + target.utf8.count + 64)
        key += "\u{1F}"; key += source; key += "\u{1F}"; key += target; key += "\u{1F}"
        if let f = v.from { key += f.description }
        key += "\u{1F}"
        if let t = v.to { key += t.description }
        key += "\u{1F}"
        if properties.isEmpty || (properties.count == 1 && properties["denied"] != nil) {
            key += "{}"
        } else {
            var props = properties
            props["denied"] = nil
            Value.map(props).encode(into: &key)
        }
        key += "\u{1F}"
        switch citations.count {
        case 0: break
        case 1: key += citations[0].source; key += "|"; key += citations[0].note ?? ""
        default: key += citations.map { "\($0.source)|\($0.note ?? "")" }.sorted().joined(separator: ";")
        }
        return key
    }

    /// Names for things whose keys may collide: the first keeps `base`, later ones get `-2`, `-3`…
    public struct UniqueNames {
        private var seen: [String: Int] = [:]
        public init() {}
        public mutating func make(_ base: String) -> String {
            let n = seen[base, default: 0] + 1
            seen[base] = n
            return n == 1 ? base : "\(base)-\(n)"
        }
    }

    /// The types a type extends, itself first (from the schema when one is given).
    public static func lineage(_ type: String, schema: Schema?) -> [String] {
        var out = [type]
        var t = type
        while let p = schema?.entityTypes[t]?.parent, !out.contains(p) { out.append(p); t = p }
        return out
    }

    /// ISO-8601 UTC text of a time, to the second (`2025-10-30T06:00:00`).
    public static func isoSeconds(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: date)
    }

    /// STIX timestamps: `2025-10-30T00:00:00.000Z`.
    public static func stixTime(_ seconds: Int64) -> String {
        isoSeconds(Date(timeIntervalSince1970: TimeInterval(seconds))) + ".000Z"
    }
}
