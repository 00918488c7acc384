import Foundation
import MosaicGraph

/// The dates a parsing thread of the bulk import has read (BulkImporter.swift), by their text:
/// a few thousand days repeat across millions of edges. A text of at most 16 ASCII bytes (a
/// `YYYY-MM-DD`) is found in a small direct-mapped array by a multiply-and-shift hash of its
/// bytes, without `String`'s hash; other texts, and those the array has not kept, in a
/// dictionary (which parses each text once). Each date comes with whether its text is the
/// date's own (`description`), so that the row can be written with it.
///
/// Measured on the 1M graph (`perf`): the dictionary's look-ups by `String` were about a third
/// of the edge parser's hashing.
struct DateCache {
    private var parsed: [String: BulkImporter.ParsedDate?] = [:]
    /// A slot: the text's two words (zero-padded), its length (0: empty) and its date.
    private struct Slot { var w0: UInt64 = 0; var w1: UInt64 = 0; var n: UInt64 = 0; var date: BulkImporter.ParsedDate? }
    private var slots = [Slot](repeating: Slot(), count: DateCache.size)
    static let size = 4096

    /// The date `text` says (nil: not a date).
    mutating func date(_ text: String) -> BulkImporter.ParsedDate? {
        var t = text
        let key: (UInt64, UInt64, UInt64)? = t.withUTF8 { u in
            let n = u.count
            guard n > 0 && n <= 16 else { return nil }
            var w: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &w) { $0.baseAddress!.copyMemory(from: u.baseAddress!, byteCount: n) }
            guard (w.0 | w.1) & 0x8080_8080_8080_8080 == 0 else { return nil }  // (ASCII only)
            return (w.0, w.1, UInt64(n))
        }
        guard let (w0, w1, n) = key else { return general(text) }
        var h = (w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ (n << 56)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        let i = Int(truncatingIfNeeded: h >> 52) & (DateCache.size - 1)
        if slots[i].n == n && slots[i].w0 == w0 && slots[i].w1 == w1 { return slots[i].date }
        let d = general(text)
        slots[i] = Slot(w0: w0, w1: w1, n: n, date: d)
        return d
    }

    private mutating func general(_ text: String) -> BulkImporter.ParsedDate? {
        if let d = parsed[text] { return d }
        let d = PartialDate(text).map { BulkImporter.ParsedDate(date: $0, canonical: $0.description == text) }
        parsed[text] = d
        return d
    }
}
