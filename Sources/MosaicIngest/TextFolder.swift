import Foundation

/// Text folded the way `NameKey.normalize` folds names (case, diacritics and width folded;
/// letters and digits kept; apostrophes inside words dropped; every other run of characters
/// one space), with a map from each folded byte back to the UTF-8 byte span of the original
/// character it came from, so matches in the folded text become offsets into the original.
///
/// Differences from `NameKey` that only text needs:
/// - a possessive `'s` / `’s` (followed by a non-letter) and a trailing apostrophe
///   ("the Assads'") separate the word from what follows instead of joining it, so
///   "Russia's" holds the word "russia";
/// - a hyphen at the end of a line between two letters is a line-break hyphenation: it
///   and the line break are dropped ("Hmei-\nmim" is "hmeimim");
/// - a soft hyphen (U+00AD) is dropped.
public struct FoldedText: Sendable {
    /// The folded bytes: lowercase ASCII letters and digits, UTF-8 of folded non-ASCII
    /// letters and digits, single spaces between words; no space at either end.
    public private(set) var bytes: [UInt8] = []
    /// For each folded byte: the original byte offset where its character starts and ends.
    public private(set) var starts: [Int32] = []
    public private(set) var ends: [Int32] = []

    public init(_ text: String) {
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = [], starts: [Int32] = [], ends: [Int32] = []
        bytes.reserveCapacity(utf8.count)
        starts.reserveCapacity(utf8.count)
        ends.reserveCapacity(utf8.count)
        var pendingSpace = false
        var cache: [Unicode.Scalar: [Unicode.Scalar]] = [:]

        func emit(_ b: UInt8, _ s: Int, _ e: Int) {
            if pendingSpace && !bytes.isEmpty {
                bytes.append(0x20); starts.append(Int32(s)); ends.append(Int32(s))
            }
            pendingSpace = false
            bytes.append(b); starts.append(Int32(s)); ends.append(Int32(e))
        }
        func isAlnumByte(_ b: UInt8) -> Bool { (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) }
        /// The byte at `i` starts a letter or digit (ASCII, or any non-ASCII byte: a rough test
        /// used only to decide whether an apostrophe is a possessive).
        func wordAt(_ i: Int) -> Bool { i < utf8.count && (isAlnumByte(utf8[i]) || utf8[i] >= 0xC0) }

        func isLetterByte(_ b: UInt8) -> Bool { (65...90).contains(b) || (97...122).contains(b) || b >= 0x80 }
        /// An apostrophe: a separator when possessive ('s then a non-letter) or after a word
        /// and before a non-letter; otherwise dropped (the word goes on).
        func apostrophe(_ e: Int) {
            let possessive = e < utf8.count && (utf8[e] == 0x73 || utf8[e] == 0x53) && !wordAt(e + 1)
            if possessive || !wordAt(e) { pendingSpace = true }
        }
        /// After a hyphen ending at `e` that follows a letter: the offset of the lowercase
        /// letter that continues the word on the next line, or nil.
        func hyphenationResume(_ e: Int) -> Int? {
            var j = e
            while j < utf8.count && (utf8[j] == 0x20 || utf8[j] == 0x0D || utf8[j] == 0x09) { j += 1 }
            guard j < utf8.count && utf8[j] == 0x0A else { return nil }
            j += 1
            while j < utf8.count && (utf8[j] == 0x20 || utf8[j] == 0x09) { j += 1 }
            return j < utf8.count && (97...122).contains(utf8[j]) ? j : nil
        }

        let scs = Array(text.unicodeScalars)
        var k = 0
        var i = 0
        var skipTo = -1
        while k < scs.count {
            let sc = scs[k]
            let len = UTF8.width(sc)
            let s = i, e = i + len
            k += 1; i = e
            if s < skipTo { continue }
            let v = sc.value
            if v < 0x80 {
                let b = UInt8(v)
                if isAlnumByte(b) { emit((65...90).contains(b) ? b + 32 : b, s, e); continue }
                if b == 0x27 { apostrophe(e); continue }
                if b == 0x2D, s > 0, isLetterByte(utf8[s - 1]), let resume = hyphenationResume(e) {
                    skipTo = resume
                    continue
                }
                pendingSpace = true
                continue
            }
            if v == 0x2019 || v == 0x02BC { apostrophe(e); continue }
            if v == 0x02BF || v == 0x02BE || v == 0xAD { continue }
            let folded: [Unicode.Scalar]
            if let f = cache[sc] { folded = f } else {
                let f = Array(String(sc).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased().unicodeScalars)
                cache[sc] = f
                folded = f
            }
            var any = false
            for f in folded {
                if f.properties.generalCategory == .nonspacingMark { any = true; continue }
                if f.value < 0x80 ? isAlnumByte(UInt8(f.value)) : CharacterSet.alphanumerics.contains(f) {
                    for b in String(f).utf8 { emit(b, s, e) }
                    any = true
                }
            }
            if !any { pendingSpace = true }
        }
        self.bytes = bytes; self.starts = starts; self.ends = ends
    }

    /// The original byte span of the folded span `[start, end)`.
    public func originalSpan(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
        (Int(starts[start]), Int(ends[end - 1]))
    }
}
