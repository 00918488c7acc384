/// A token of the query language.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)        // bare word (keywords are identifiers checked case-insensitively)
        case quotedIdentifier(String)  // `back ticked`
        case integer(String)
        case float(Double)
        case string(String)
        case parameter(String)
        case symbol(String)
        case eof
    }
    var kind: Kind
    var pos: SourcePosition
    /// Offset just after the token (for source slices such as column names).
    var end: Int
    /// The upper-case spelling of an identifier (keywords are case-insensitive).
    var upper: String? = nil
}

/// Turns query text into tokens; comments and whitespace are skipped. Generic over the
/// text's units: `ASCIIUnit` bytes for the usual all-ASCII text (no grapheme breaking, no
/// `Character` per unit), `Character` otherwise; offsets count units, which for ASCII text
/// without carriage returns are its characters (`QueryText` chooses).
struct Lexer<U: LexUnit> {
    let chars: [U]
    var i = 0, line = 1, col = 1

    init(_ units: [U]) { chars = units }

    @inline(__always) static func isIdentStart(_ c: U) -> Bool {
        if let a = c.asciiValue { return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || a == 95 }
        return c.isLetter
    }
    @inline(__always) static func isIdentPart(_ c: U) -> Bool {
        if let a = c.asciiValue { return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || a == 95 || (a >= 48 && a <= 57) }
        return c.isLetter || c.isNumber
    }
    @inline(__always) static func isDigit(_ c: U) -> Bool {
        if let a = c.asciiValue { return a >= 48 && a <= 57 }
        return false
    }
    @inline(__always) static func isSpace(_ c: U) -> Bool {
        if let a = c.asciiValue { return a == 32 || a == 10 || a == 9 || a == 13 || a == 11 || a == 12 }
        return c.isWhitespace
    }
    /// The one-character symbols.
    @inline(__always) static func isSymbol(_ c: U) -> Bool {
        guard let a = c.asciiValue else { return false }
        switch a {
        case 40, 41, 91, 93, 123, 125, 44, 46, 58, 59, 124, 43, 45, 42, 47, 37, 94, 61, 60, 62: return true  // ()[]{},.:;|+-*/%^=<>
        default: return false
        }
    }

    mutating func advance() { if chars[i] == "\n" { line += 1; col = 1 } else { col += 1 }; i += 1 }
    var here: SourcePosition { SourcePosition(offset: i, line: line, column: col) }

    mutating func tokenize() throws -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(chars.count / 2 + 2)
        while true {
            try skipTrivia()
            let start = here
            guard i < chars.count else { out.append(Token(kind: .eof, pos: start, end: i)); return out }
            let c = chars[i]
            if Lexer.isIdentStart(c) {
                let st = i
                while i < chars.count, Lexer.isIdentPart(chars[i]) { i += 1 }
                col += i - st
                let s = U.string(chars[st..<i])
                // a word written in capitals (MATCH, RETURN) is its own upper-case spelling
                var hasLower = false
                for k in st..<i where chars[k].asciiValue.map({ $0 >= 97 && $0 <= 122 }) ?? true { hasLower = true; break }
                // keywords have 2 to 16 letters (ALLSHORTESTPATHS): other names (a, n, long
                // ones, whose upper-case copy would be a heap string) need no upper-case form
                let upper = i - st < 2 || i - st > 16 ? nil : hasLower ? U.upper(chars[st..<i]) ?? s.uppercased() : s
                out.append(Token(kind: .identifier(s), pos: start, end: i, upper: upper))
            } else if c == "`" {
                advance()
                var s = ""
                while true {
                    guard i < chars.count else { throw QueryError.syntax("UnterminatedIdentifier", "a back-quoted name is not closed; add a closing `", start) }
                    if chars[i] == "`" {
                        if i + 1 < chars.count, chars[i + 1] == "`" { s.append("`"); advance(); advance(); continue }
                        advance(); break
                    }
                    chars[i].append(to: &s); advance()
                }
                out.append(Token(kind: .quotedIdentifier(s), pos: start, end: i))
            } else if Lexer.isDigit(c) || (c == "." && i + 1 < chars.count && Lexer.isDigit(chars[i + 1]) && !(out.last.map { Lexer.endsOperand($0) } ?? false)) {
                out.append(try number(start))
            } else if c == "'" || c == "\"" {
                out.append(try string(start, quote: c))
            } else if c == "$" {
                advance()
                var s = ""
                if i < chars.count, chars[i] == "`" {
                    advance()
                    while i < chars.count, chars[i] != "`" { chars[i].append(to: &s); advance() }
                    if i < chars.count { advance() }
                } else {
                    let st = i
                    while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                    col += i - st  // (no line breaks in a name)
                    s = U.string(chars[st..<i])
                }
                if s.isEmpty { throw QueryError.syntax("InvalidParameter", "a parameter needs a name after $, e.g. $name", start) }
                out.append(Token(kind: .parameter(s), pos: start, end: i))
            } else {
                var matched: String? = nil
                if i + 1 < chars.count {
                    switch (c, chars[i + 1]) {
                    case (".", "."): matched = ".."
                    case ("<", ">"): matched = "<>"
                    case ("!", "="): matched = "!="
                    case ("<", "="): matched = "<="
                    case (">", "="): matched = ">="
                    case ("=", "~"): matched = "=~"
                    case ("+", "="): matched = "+="
                    default: break
                    }
                }
                if matched == nil && !Lexer.isSymbol(c) {
                    throw QueryError.syntax("UnexpectedCharacter", "unexpected character '\(U.string(CollectionOfOne(c)))'", start)
                }
                let sym = matched ?? Lexer.symbolString(c)
                advance(); if matched != nil { advance() }
                out.append(Token(kind: .symbol(sym), pos: start, end: i))
            }
        }
    }

    /// The spelling of a one-character symbol (`isSymbol`), without building a string.
    static func symbolString(_ c: U) -> String {
        switch c.asciiValue {
        case 40: return "("; case 41: return ")"; case 91: return "["; case 93: return "]"
        case 123: return "{"; case 125: return "}"; case 44: return ","; case 46: return "."
        case 58: return ":"; case 59: return ";"; case 124: return "|"; case 43: return "+"
        case 45: return "-"; case 42: return "*"; case 47: return "/"; case 37: return "%"
        case 94: return "^"; case 61: return "="; case 60: return "<"; case 62: return ">"
        default: return U.string(CollectionOfOne(c))
        }
    }

    static func endsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier(let s): return !Parser.reserved.contains(s.uppercased())
        case .quotedIdentifier, .integer, .float, .string, .parameter: return true
        case .symbol(let s): return s == ")" || s == "]" || s == "}"
        case .eof: return false
        }
    }

    mutating func skipTrivia() throws {
        while i < chars.count {
            let c = chars[i]
            if Lexer.isSpace(c) { advance(); continue }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { advance() }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                let start = here
                advance(); advance()
                while true {
                    guard i + 1 < chars.count else { throw QueryError.syntax("UnterminatedComment", "a /* comment is not closed; add */", start) }
                    if chars[i] == "*", chars[i + 1] == "/" { advance(); advance(); break }
                    advance()
                }
                continue
            }
            return
        }
    }

    mutating func number(_ start: SourcePosition) throws -> Token {
        var s = ""
        if chars[i] == "0", i + 1 < chars.count, chars[i + 1] == "x" || chars[i + 1] == "o" {
            s = "0"; chars[i + 1].append(to: &s); advance(); advance()
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { chars[i].append(to: &s); advance() }
            return Token(kind: .integer(s), pos: start, end: i)
        }
        var isFloat = false
        while i < chars.count, Lexer.isDigit(chars[i]) { chars[i].append(to: &s); advance() }
        if i + 1 < chars.count, chars[i] == ".", Lexer.isDigit(chars[i + 1]) {
            isFloat = true; s.append("."); advance()
            while i < chars.count, Lexer.isDigit(chars[i]) { chars[i].append(to: &s); advance() }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "-" || chars[j] == "+" { j += 1 }
            if j < chars.count, chars[j].isNumber {
                isFloat = true; s.append("e"); advance()
                if chars[i] == "-" || chars[i] == "+" { chars[i].append(to: &s); advance() }
                while i < chars.count, chars[i].isNumber { chars[i].append(to: &s); advance() }
            }
        }
        if i < chars.count, chars[i].isLetter || chars[i] == "_" {
            var bad = s
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { chars[i].append(to: &bad); advance() }
            throw QueryError.syntax("InvalidNumberLiteral", "'\(bad)' is not a valid number", start)
        }
        if isFloat {
            guard let d = Double(s) else { throw QueryError.syntax("InvalidNumberLiteral", "'\(s)' is not a valid number", start) }
            if d.isInfinite { throw QueryError.syntax("FloatingPointOverflow", "'\(s)' is too large for a float", start) }
            return Token(kind: .float(d), pos: start, end: i)
        }
        return Token(kind: .integer(s), pos: start, end: i)
    }

    mutating func string(_ start: SourcePosition, quote: U) throws -> Token {
        advance()
        var s = ""
        while true {
            guard i < chars.count else { throw QueryError.syntax("UnterminatedString", "a string is not closed; add a closing \(U.string(CollectionOfOne(quote)))", start) }
            let c = chars[i]
            if c == quote { advance(); break }
            if c == "\\" {
                advance()
                guard i < chars.count else { continue }
                let e = chars[i]; advance()
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "r": s.append("\r")
                case "b": s.append("\u{8}")
                case "f": s.append("\u{c}")
                case "'": s.append("'")
                case "\"": s.append("\"")
                case "\\": s.append("\\")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<n where i < chars.count && chars[i].isHexDigit { chars[i].append(to: &hex); advance() }
                    guard hex.count == n, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                        throw QueryError.syntax("InvalidUnicodeLiteral", "\\\(U.string(CollectionOfOne(e))) needs \(n) hexadecimal digits", start)
                    }
                    s.unicodeScalars.append(u)
                default: s.append("\\"); e.append(to: &s)
                }
                continue
            }
            c.append(to: &s); advance()
        }
        return Token(kind: .string(s), pos: start, end: i)
    }
}
