// CheckpointWriter: the little-endian field encoder of graph snapshots (GraphCheckpoint.swift);
// plain Swift, no imports.

/// Appends little-endian fields to a byte array.
struct CheckpointWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { i64(Int64(bitPattern: v.bitPattern)) }
    /// Non-negative counts as a variable-length integer (most fit in one byte).
    mutating func int(_ v: Int) {
        var x = UInt64(v)
        while x >= 0x80 { bytes.append(UInt8(x & 0x7F) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { int($0.count); bytes.append(contentsOf: $0) }
    }
    mutating func optionalString(_ s: String?) {
        if let s { u8(1); string(s) } else { u8(0) }
    }
    mutating func strings(_ l: [String]) { int(l.count); for s in l { string(s) } }
    mutating func int32s(_ l: [Int32]) { int(l.count); for x in l { i32(x) } }
    mutating func value(_ v: Value) {
        switch v {
        case .null: u8(0)
        case .bool(let b): u8(b ? 2 : 1)
        case .int(let i): u8(3); i64(i)
        case .float(let d): u8(4); f64(d)
        case .string(let s): u8(5); string(s)
        case .date(let d): u8(6); i64(d.seconds); u8(d.precision.rawValue); i32(Int32(d.offsetMinutes))
        case .list(let l): u8(7); int(l.count); for x in l { value(x) }
        case .map(let m): u8(8); int(m.count); for (k, x) in m.sorted(by: { $0.key < $1.key }) { string(k); value(x) }
        case .geo(let g): u8(9); f64(g.latitude); f64(g.longitude)
        }
    }
}
