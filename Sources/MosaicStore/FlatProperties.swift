import Foundation
import MosaicGraph

/// The bulk import's reading of a node's `props` column (BulkImporter.swift) when it is the
/// common case: a flat JSON object of short ASCII keys whose values are strings without
/// escapes, integers or booleans. It gives the node's property entries sorted by name, as decoding the object into a dictionary (`Value.decode`) and
/// sorting its keys does, without the dictionary (a hash of each key) or the copy of the text
/// `Value.decode` makes. Anything else (escapes, floats, nulls, nested values, tagged values such as
/// `{"$date": …}`, a repeated key, non-ASCII keys, malformed text) returns nil, and the caller
/// takes the general path, so the entries are always those the general path would give.
enum FlatProperties {
    /// The object's entries sorted by key; nil when it is not the common case.
    static func entries(_ text: String) -> [(String, Value)]? {
        var text = text
        return text.withUTF8 { entries(utf8: $0) }
    }

    static func entries(utf8 u: UnsafeBufferPointer<UInt8>) -> [(String, Value)]? {
        let n = u.count
        var i = 0
        @inline(__always) func skipSpace() { while i < n, u[i] == 32 || u[i] == 10 || u[i] == 13 || u[i] == 9 { i += 1 } }
        /// A string without escapes from i (at its opening quote): the range of its bytes.
        @inline(__always) func plainString() -> Range<Int>? {
            guard i < n, u[i] == 0x22 else { return nil }
            let start = i + 1
            var k = start
            while k < n && u[k] != 0x22 {
                if u[k] == 0x5C { return nil }
                k += 1
            }
            guard k < n else { return nil }
            i = k + 1
            return start..<k
        }
        func literal(_ s: StaticString) -> Bool {
            let m = s.utf8CodeUnitCount
            guard i + m <= n else { return false }
            for k in 0..<m where u[i + k] != s.utf8Start[k] { return false }
            i += m
            return true
        }
        /// `-?[0-9]+` that fits in 64 bits and ends at a separator (else a float or not a
        /// number: the general path).
        func integer() -> Int64? {
            var k = i
            let negative = k < n && u[k] == 0x2D
            if negative { k += 1 }
            let digits = k
            var v: Int64 = 0
            while k < n, u[k] >= 0x30 && u[k] <= 0x39 {
                let d = Int64(u[k] - 0x30)
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                if o1 || o2 { return nil }
                v = s
                k += 1
            }
            guard k > digits else { return nil }
            if k < n, u[k] != 0x2C && u[k] != 0x7D && u[k] != 32 && u[k] != 10 && u[k] != 13 && u[k] != 9 { return nil }
            i = k
            return v
        }
        skipSpace()
        guard i < n, u[i] == 0x7B else { return nil }  // {
        i += 1
        var out: [(String, Value)] = []
        out.reserveCapacity(4)
        var sorted = true
        skipSpace()
        if i < n && u[i] == 0x7D {  // }
            i += 1
        } else {
            while true {
                skipSpace()
                guard let kr = plainString(), !kr.isEmpty else { return nil }
                // Keys: ASCII (byte order is then `String`'s order), not tagged (`$date`, `$geo`).
                guard u[kr.lowerBound] != 0x24 else { return nil }
                for k in kr where u[k] >= 0x80 { _ = k; return nil }
                skipSpace()
                guard i < n, u[i] == 0x3A else { return nil }  // :
                i += 1
                skipSpace()
                guard i < n else { return nil }
                let value: Value
                switch u[i] {
                case 0x22:
                    guard let vr = plainString() else { return nil }
                    value = .string(String(decoding: UnsafeBufferPointer(rebasing: u[vr]), as: UTF8.self))
                case 0x74:  // true
                    guard literal("true") else { return nil }
                    value = .bool(true)
                case 0x66:  // false
                    guard literal("false") else { return nil }
                    value = .bool(false)
                case 0x6E:  // null: rare in the files, left to the general path (which drops it)
                    return nil
                default:
                    guard let v = integer() else { return nil }
                    value = .int(v)
                }
                let key = String(decoding: UnsafeBufferPointer(rebasing: u[kr]), as: UTF8.self)
                if sorted, let last = out.last, !(last.0 < key) { sorted = false }
                out.append((key, value))
                skipSpace()
                guard i < n else { return nil }
                if u[i] == 0x2C { i += 1; continue }  // ,
                if u[i] == 0x7D { i += 1; break }  // }
                return nil
            }
        }
        skipSpace()
        guard i == n else { return nil }
        if !sorted {
            out.sort { $0.0 < $1.0 }
            // A repeated key: the dictionary keeps the last; left to the general path.
            for k in out.indices.dropFirst() where out[k - 1].0 == out[k].0 { return nil }
        }
        return out
    }

}
