import Foundation

/// Display width of text in a terminal cell grid: one column per grapheme cluster, two for
/// East Asian wide/fullwidth characters and emoji shown as pictures, none for a cluster
/// made only of zero-width marks. Arabic, Hebrew and combining sequences count one per
/// cluster (their order on screen is the terminal's business).
public enum TextWidth {
    /// Columns taken by `text` (control characters count as the one column they are
    /// replaced by in `sanitized`).
    public static func of(_ text: String) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    /// Columns taken by one grapheme cluster.
    public static func of(_ ch: Character) -> Int {
        let scalars = ch.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count > 1 {
            // An emoji presentation selector or a ZWJ sequence makes a picture.
            if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
            if scalars.contains(where: { $0.value == 0x200D }),
               scalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        }
        if isZeroWidth(first) && scalars.allSatisfy(isZeroWidth) { return 0 }
        return isWide(first) ? 2 : 1
    }

    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return s.value == 0x200B
        }
    }

    static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x1100 { return false }
        if s.properties.isEmojiPresentation { return true }
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E,
             0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1B000...0x1B2FF,
             0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// One line of text safe to print in a cell: tabs, newlines and other control
    /// characters become a single space (a newline shows as `↵`).
    public static func sanitized(_ text: String) -> String {
        if isPrintableASCII(text) { return text }
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return text
        }
        var out = ""
        for ch in text {
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                out.append("↵")
            } else if ch.unicodeScalars.count == 1, let s = ch.unicodeScalars.first,
                      s.properties.generalCategory == .control {
                out.append(" ")
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// `text` cut to at most `width` columns, ending with `…` when something was cut.
    public static func truncated(_ text: String, to width: Int) -> String {
        if of(text) <= width { return text }
        if width <= 0 { return "" }
        var out = ""
        var used = 0
        for ch in text {
            let w = of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// `text` padded with spaces to `width` columns (left, right or centred).
    public static func padded(_ text: String, to width: Int, alignment: ColumnAlignment) -> String {
        let gap = max(0, width - of(text))
        switch alignment {
        case .left: return text + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + text
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + text + String(repeating: " ", count: gap - left)
        }
    }
}
