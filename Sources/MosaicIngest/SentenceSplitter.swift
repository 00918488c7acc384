import Foundation

// Sentences of a document for the extractors: byte spans into the stored text, with the
// paragraph each belongs to. Uses nothing but the text.

/// One sentence: UTF-8 byte offsets into the document's text (`end` exclusive).
public struct Sentence: Sendable, Hashable {
    /// Position in the document, from 0.
    public var index: Int
    /// The paragraph (blocks separated by a blank line), from 0.
    public var paragraph: Int
    public var start: Int
    public var end: Int
    public var text: String
}

/// Splits text into sentences: a paragraph (text between blank lines) is cut after `.`, `!`
/// or `?` (and any closing quotes or brackets) followed by white space and a capital, a digit
/// or an opening quote; not after abbreviations (`Gen.`, `Oct.`, `U.S.`, an initial). A line
/// that does not end like a sentence and is followed by a line break (a headline, a caption
/// without a period, a list item) is a sentence of its own.
public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "gov", "sen", "rep",
        "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "est", "approx", "fig",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    ]

    public static func split(_ text: String) -> [Sentence] {
        let b = Array(text.utf8)
        var out: [Sentence] = []
        var paragraph = 0
        var i = 0
        var start = -1
        func emit(_ s: Int, _ e: Int) {
            var s = s, e = e
            while s < e, isSpace(b[s]) { s += 1 }
            while e > s, isSpace(b[e - 1]) { e -= 1 }
            guard e > s else { return }
            out.append(Sentence(index: out.count, paragraph: paragraph, start: s, end: e,
                                text: String(decoding: b[s..<e], as: UTF8.self)))
        }
        while i < b.count {
            let c = b[i]
            if start < 0 {
                if c == 10 {
                    // a blank line between sentences: the next one starts a paragraph
                    var j = i + 1
                    var blank = false
                    while j < b.count, isSpace(b[j]) { if b[j] == 10 { blank = true }; j += 1 }
                    if blank, out.last?.paragraph == paragraph { paragraph += 1 }
                    i = j
                    continue
                }
                if isSpace(c) { i += 1; continue }
                start = i
            }
            if c == 10 {
                // A blank line ends the paragraph; a line not ending like a sentence ends one too.
                var j = i + 1
                var blank = false
                while j < b.count, isSpace(b[j]) { if b[j] == 10 { blank = true }; j += 1 }
                var k = i
                while k > start, isSpace(b[k - 1]) { k -= 1 }
                let last = k > start ? b[k - 1] : 0
                let endsLikeSentence = [UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: ",")].contains(last)
                    || last == 0x9D || last == 0x99 || last == UInt8(ascii: "\"") || last == UInt8(ascii: ")")
                let nextIsLower = j < b.count && b[j] >= 97 && b[j] <= 122
                if blank || !(endsLikeSentence || nextIsLower) || (last == UInt8(ascii: ".") && !nextIsLower) {
                    emit(start, i)
                    start = -1
                    if blank, out.last?.paragraph == paragraph { paragraph += 1 }
                    i = j
                    continue
                }
                i += 1
                continue
            }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?") {
                var j = i + 1
                // closing quotes and brackets: ” (E2 80 9D), ’ (E2 80 99), " ' )
                while j < b.count {
                    if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") || b[j] == UInt8(ascii: ")") { j += 1; continue }
                    if j + 2 < b.count, b[j] == 0xE2, b[j + 1] == 0x80, b[j + 2] == 0x9D || b[j + 2] == 0x99 { j += 3; continue }
                    break
                }
                if j < b.count, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "\t") {
                    var k = j
                    while k < b.count, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\t") { k += 1 }
                    let next = k < b.count ? b[k] : 0
                    let opensSentence = (next >= 65 && next <= 90) || (next >= 48 && next <= 57) || next == UInt8(ascii: "\"")
                        || (k + 2 < b.count && next == 0xE2 && b[k + 1] == 0x80 && b[k + 2] == 0x9C) || next >= 0xC3
                    if opensSentence && !(c == UInt8(ascii: ".") && isAbbreviation(b, start, i)) {
                        emit(start, j)
                        start = -1
                        i = k
                        continue
                    }
                }
            }
            i += 1
        }
        if start >= 0 { emit(start, b.count) }
        return out
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    /// Whether the word before the period at `dot` is an abbreviation or an initial.
    private static func isAbbreviation(_ b: [UInt8], _ start: Int, _ dot: Int) -> Bool {
        var s = dot
        while s > start, (b[s - 1] >= 65 && b[s - 1] <= 90) || (b[s - 1] >= 97 && b[s - 1] <= 122) || b[s - 1] == UInt8(ascii: ".") { s -= 1 }
        let word = String(decoding: b[s..<dot], as: UTF8.self)
        if word.count == 1, word.first!.isUppercase { return true }            // an initial: "J. Smith"
        if word.contains(".") { return true }                                  // "U.S."
        return abbreviations.contains(word.lowercased())
    }
}
