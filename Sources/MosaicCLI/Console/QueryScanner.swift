import Foundation

/// A light lexical scan of query text: where statements end (`;` outside strings, comments
/// and brackets) and what is still open at the end.
public enum QueryScanner {
    /// What an unfinished input is inside of.
    public enum Open: Sendable, Equatable {
        /// A string or quoted name opened by this character (`'`, `"`, `` ` ``; `[` for a
        /// Lua long string).
        case string(Character)
        /// A block comment.
        case comment
        /// Brackets not yet closed, innermost last (`(`, `[`, `{`).
        case brackets([Character])
        /// A Lua block (`function`, `do`, `if`, `repeat`) or a line ending in an operator.
        case block(String)

        /// A short marker for the continuation prompt: `'`, `(`, `/*`, `do` …
        public var marker: String {
            switch self {
            case .string(let c): return String(c)
            case .comment: return "/*"
            case .brackets(let b): return b.last.map(String.init) ?? ""
            case .block(let word): return word
            }
        }
    }

    public struct Result: Sendable, Equatable {
        /// Complete statements, trimmed, without their `;`; empty statements are dropped.
        public var statements: [String]
        /// Text after the last `;`.
        public var rest: String
        /// What is open at the end of the text; nil when the rest is complete.
        public var open: Open?
    }

    public static func scan(_ text: String) -> Result {
        let chars = Array(text)
        var statements: [String] = []
        var start = 0
        var stack: [Character] = []
        var i = 0
        var open: Open?
        func closeStatement(at end: Int) {
            let s = String(chars[start..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            if !s.isEmpty { statements.append(s) }
            start = end + 1
        }
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "'", "\"", "`":
                var j = i + 1
                var closed = false
                while j < chars.count {
                    if chars[j] == "\\" && c != "`" { j += 2; continue }
                    if chars[j] == c {
                        // A doubled backtick inside a quoted name is an escaped backtick.
                        if c == "`", j + 1 < chars.count, chars[j + 1] == "`" { j += 2; continue }
                        closed = true
                        break
                    }
                    j += 1
                }
                if !closed { open = .string(c); i = chars.count; continue }
                i = j + 1
                continue
            case "/" where next == "/":
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            case "/" where next == "*":
                var j = i + 2
                var closed = false
                while j + 1 < chars.count {
                    if chars[j] == "*" && chars[j + 1] == "/" { closed = true; break }
                    j += 1
                }
                if !closed { open = .comment; i = chars.count; continue }
                i = j + 2
                continue
            case "(", "[", "{":
                stack.append(c)
            case ")", "]", "}":
                // An unmatched closer is left for the parser to report.
                if !stack.isEmpty { stack.removeLast() }
            case ";" where stack.isEmpty:
                closeStatement(at: i)
            default:
                break
            }
            i += 1
        }
        if open == nil, !stack.isEmpty { open = .brackets(stack) }
        let rest = start < chars.count ? String(chars[start...]) : ""
        return Result(statements: statements, rest: rest, open: open)
    }
}
