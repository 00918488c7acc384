import Foundation
import MosaicGraph

/// The dates a parsing thread of the bulk import has read (BulkImporter.swift), by their text:
/// a few thousand days repeat across millions of edges. A text of at most 16 ASCII bytes (a
/// `YYYY-MM-DD`) is found by its bytes in a `ShortKeyTable` (MosaicGraph), without `String`'s
/// hash; other texts in a dictionary. Each text is parsed once, and its date comes with
/// whether the text is the date's own (`description`), so that the row can be written with it.
///
/// Measured with callgrind on the 100k import: the dictionary by `String` took some 450
/// instructions a date.
struct DateCache {
    private var ids = ShortKeyTable(expected: 4096)
    private var dates: [BulkImporter.ParsedDate?] = []
    private var others: [String: BulkImporter.ParsedDate?] = [:]

    /// The date `text` says (nil: not a date).
    mutating func date(_ text: String) -> BulkImporter.ParsedDate? {
        var t = text
        return t.withUTF8 { u in
            if let i = ids.lookup(u) { return dates[Int(i)] }
            // (a text the table cannot hold is looked up before it is parsed again)
            let held = ShortKeyTable.holds(u)
            if !held, let known = others[text] { return known }
            let d = PartialDate(text).map { BulkImporter.ParsedDate(date: $0, canonical: $0.description == text) }
            if held, ids.insert(u, value: Int32(dates.count)) { dates.append(d) } else { others[text] = d }
            return d
        }
    }
}
