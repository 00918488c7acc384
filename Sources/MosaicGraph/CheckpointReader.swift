// CheckpointReader: reads back what CheckpointWriter wrote, from a byte buffer the caller
// owns (a mapped snapshot file); used by GraphCheckpoint.swift.

/// Reads what `CheckpointWriter` wrote; past the end or on a bad tag it stops and `ok` turns
/// false (the caller then refuses the whole file).
struct CheckpointReader {
    private let data: UnsafeRawBufferPointer
    private var i = 0
    private(set) var ok = true

    init(_ data: UnsafeRawBufferPointer) { self.data = data }

    var atEnd: Bool { i == data.count }
    /// Bytes not read yet.
    var remaining: Int { data.count - i }

    mutating func take(_ n: Int) -> Slice<UnsafeRawBufferPointer> {
        guard ok, n >= 0, i + n <= data.count else { ok = false; return data[0..<0] }
        defer { i += n }
        return data[i..<(i + n)]
    }
    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T {
        guard ok, i + MemoryLayout<T>.size <= data.count else { ok = false; return 0 }
        defer { i += MemoryLayout<T>.size }
        return T(littleEndian: data.loadUnaligned(fromByteOffset: i, as: T.self))
    }
    mutating func u8() -> UInt8 { fixed(UInt8.self) }
    mutating func u32() -> UInt32 { fixed(UInt32.self) }
    mutating func i32() -> Int32 { fixed(Int32.self) }
    mutating func i64() -> Int64 { fixed(Int64.self) }
    mutating func f64() -> Double { Double(bitPattern: UInt64(bitPattern: i64())) }
    mutating func int() -> Int {
        var x: UInt64 = 0, shift: UInt64 = 0
        while ok {
            let b = u8()
            x |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
            if shift > 63 { ok = false }
        }
        return ok && x <= UInt64(Int.max) ? Int(x) : 0
    }
    /// A count of items that follow, each taking a byte or more: a count larger than the bytes
    /// left is refused (a damaged count must not make the caller loop for ever).
    mutating func count() -> Int {
        let n = int()
        guard n <= remaining else { ok = false; return 0 }
        return n
    }
    mutating func string() -> String {
        let n = int()
        let raw = take(n)
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw), as: UTF8.self)
    }
    /// A string, `previous` itself when the bytes are its UTF-8 (no check, no new string).
    mutating func string(reusing previous: String) -> String {
        let n = int()
        let raw = UnsafeRawBufferPointer(rebasing: take(n))
        let same = previous.utf8.withContiguousStorageIfAvailable { p in
            guard p.count == raw.count else { return false }
            for j in 0..<p.count where p[j] != raw[j] { return false }
            return true
        }
        if same == true { return previous }
        return String(decoding: raw, as: UTF8.self)
    }
    mutating func optionalString() -> String? { u8() == 1 ? string() : nil }
    mutating func strings() -> [String] { (0..<count()).map { _ in string() } }
    mutating func int32s() -> [Int32] {
        let n = count()
        guard n <= remaining / 4 else { ok = false; return [] }
        return [Int32](unsafeUninitializedCapacity: n) { buf, k in
            for j in 0..<n { buf[j] = i32() }
            k = n
        }
    }
    mutating func value() -> Value {
        switch u8() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(i64())
        case 4: return .float(f64())
        case 5: return .string(string())
        case 6:
            let s = i64(), p = u8(), o = i32()
            guard let precision = PartialDate.Precision(rawValue: p) else { ok = false; return .null }
            return .date(PartialDate(seconds: s, precision: precision, offsetMinutes: Int16(truncatingIfNeeded: o)))
        case 7: return .list((0..<count()).map { _ in value() })
        case 8:
            var m: [String: Value] = [:]
            for _ in 0..<count() where ok { m[string()] = value() }
            return .map(m)
        case 9: return .geo(GeoPoint(latitude: f64(), longitude: f64()))
        default: ok = false; return .null
        }
    }
}
