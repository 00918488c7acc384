import Foundation

/// The form names are indexed and looked up by: case, diacritics, punctuation and spacing
/// folded away, so "Ḥmeimim  air-base" and "hmeimim air base" meet.
public enum NameKey {
    public static func normalize(_ s: String) -> String {
        var ascii = true
        for b in s.utf8 where b >= 0x80 { ascii = false; break }
        if ascii { return normalizeASCII(s) }
        let folded = ascii ? s : s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for ch in folded.unicodeScalars {
            if ch.value < 0x80 ? isASCIIAlphanumeric(ch.value) : CharacterSet.alphanumerics.contains(ch) {
                if pendingSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
                pendingSpace = false
                if ch.value < 0x80 { out.unicodeScalars.append(lower(ch)) }
                else { out += String(ch).lowercased() }
            } else if ch == "'" || ch == "\u{2019}" || ch == "\u{02BF}" || ch == "\u{02BE}" {
                continue
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    /// `normalize` for ASCII text, byte by byte (the same rules: letters and digits kept and
    /// lowercased, apostrophes dropped, any other run of characters one space, none at the ends).
    private static func normalizeASCII(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for b in s.utf8 {
            if isASCIIAlphanumeric(UInt32(b)) {
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append((65...90).contains(b) ? b + 32 : b)
            } else if b == 0x27 {
                continue
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The ASCII members of `CharacterSet.alphanumerics` (letters and digits), without its
    /// per-call cost (building the snapshot normalises every name).
    private static func isASCIIAlphanumeric(_ v: UInt32) -> Bool {
        (48...57).contains(v) || (65...90).contains(v) || (97...122).contains(v)
    }

    private static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (65...90).contains(c.value) ? Unicode.Scalar(c.value + 32)! : c
    }
}
