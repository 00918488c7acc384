import Foundation

/// A lexical guess at whether Lua text is a complete chunk, for when the Lua runtime's own
/// answer (load the text; incomplete means an error at `<eof>`) is not wired in. It tracks
/// strings, long strings and comments, brackets, block keywords (`function`, `do`, `if`,
/// `repeat` against `end` and `until`) and a line ending in a binary operator or comma.
public enum LuaChunkScanner {
    public struct Result: Sendable, Equatable {
        public var open: QueryScanner.Open?
    }

    static let openers: Set<String> = ["function", "do", "if", "repeat"]
    static let trailingWords: Set<String> = ["and", "or", "not", "=", "==", "~=", "<=", ">=", "<", ">",
                                             "+", "-", "*", "/", "//", "%", "^", "..", ",", "local"]

    public static func scan(_ text: String) -> Result {
        let chars = Array(text)
        var i = 0
        var brackets: [Character] = []
        var blocks: [String] = []
        var lastToken = ""
        func longBracketLevel(at p: Int) -> Int? {
            // `[` `=`* `[` starting at p
            guard p < chars.count, chars[p] == "[" else { return nil }
            var q = p + 1, level = 0
            while q < chars.count, chars[q] == "=" { level += 1; q += 1 }
            return q < chars.count && chars[q] == "[" ? level : nil
        }
        func skipLong(from p: Int, level: Int) -> Int? {
            // returns index after the closing bracket, nil if unclosed
            let close = "]" + String(repeating: "=", count: level) + "]"
            let closeChars = Array(close)
            var q = p
            while q + closeChars.count <= chars.count {
                if Array(chars[q..<(q + closeChars.count)]) == closeChars { return q + closeChars.count }
                q += 1
            }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                if let level = longBracketLevel(at: i + 2) {
                    let start = i + 2 + level + 2
                    guard let end = skipLong(from: start, level: level) else { return Result(open: .comment) }
                    i = end
                } else {
                    while i < chars.count, chars[i] != "\n" { i += 1 }
                }
                continue
            }
            if let level = longBracketLevel(at: i) {
                guard let end = skipLong(from: i + level + 2, level: level) else { return Result(open: .string("[")) }
                i = end
                lastToken = "string"
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var closed = false
                while j < chars.count {
                    if chars[j] == "\\" { j += 2; continue }
                    if chars[j] == c { closed = true; break }
                    if chars[j] == "\n" { break }  // an unfinished short string is an error, not more input
                    j += 1
                }
                if !closed {
                    if j >= chars.count { return Result(open: .string(c)) }
                    lastToken = "string"
                    i = j
                    continue
                }
                i = j + 1
                lastToken = "string"
                continue
            }
            if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                let word = String(chars[i..<j])
                // `a.end` is not a keyword use; neither is `t.function`.
                let afterDot = i > 0 && chars[i - 1] == "." && !(i > 1 && chars[i - 2] == ".")
                if !afterDot {
                    if openers.contains(word) {
                        // `while … do` and `for … do` open one block, counted at `do`.
                        blocks.append(word)
                    } else if word == "end" || word == "until" {
                        if !blocks.isEmpty { blocks.removeLast() }
                    }
                }
                lastToken = word
                i = j
                continue
            }
            if c.isNumber {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "." { j += 1 }
                lastToken = "number"
                i = j
                continue
            }
            switch c {
            case "(", "[", "{": brackets.append(c); lastToken = String(c)
            case ")", "]", "}": if !brackets.isEmpty { brackets.removeLast() }; lastToken = String(c)
            case " ", "\t", "\n", "\r": break
            default:
                // Operators: take the longest of the two-character ones.
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
                if ["==", "~=", "<=", ">=", "//", "..", "::"].contains(two) {
                    lastToken = two
                    i += 2
                    continue
                }
                lastToken = String(c)
            }
            i += 1
        }
        if !brackets.isEmpty { return Result(open: .brackets(brackets)) }
        if let block = blocks.last { return Result(open: .block(block)) }
        if trailingWords.contains(lastToken) { return Result(open: .block(lastToken)) }
        return Result(open: nil)
    }
}
