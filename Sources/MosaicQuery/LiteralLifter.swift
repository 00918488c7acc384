/// Lifts the literals of a query's MATCH and WHERE clauses into parameters, so that queries
/// that differ only in those literals (`MATCH (n {id: 'a'})`, then `{id: 'b'}`, as a plugin
/// or a script builds them) share one compiled plan in `Query.run`'s plan cache, as database
/// engines auto-parameterise statements. Uses the query lexer (`QueryText`).
///
/// What is lifted: string, integer and float literals inside MATCH (patterns, property maps)
/// and WHERE. What is not: anything in RETURN, WITH, ORDER BY, SKIP, LIMIT, UNWIND and the
/// writing clauses (so column names and the compile-time checks of LIMIT/SKIP never change),
/// the bounds of variable-length relationships (`*1..5`: syntax, not values), the operand
/// after `*` and the pattern after `=~`, `true`/`false`/`null`, and EXPLAIN/PROFILE queries
/// (their plans show the literals). The key carries the lifted values' kinds, so a plan is
/// only shared between literals of the same kinds.
struct LiteralLifter {
    /// The lifted text (literals replaced by `$__lit0`, `$__lit1`, …), its cache key (the text
    /// plus the kinds of the lifted values) and the values.
    struct Lifted {
        var text: String
        /// The kinds of the values, in order (`s`tring, `i`nteger, `f`loat): with `text`, the
        /// plan cache's key.
        var kinds: String
        /// The values of `$__lit0`, `$__lit1`, … in order.
        var values: [QueryValue]
    }

    static let prefix = "__lit"
    private static let names = (0..<32).map { prefix + String($0) }
    /// The parameter name of the i-th lifted value.
    static func name(_ i: Int) -> String { i < names.count ? names[i] : prefix + String(i) }

    /// The query with its liftable literals as parameters, or nil when it has none (or does
    /// not lex: the compiler will report that).
    static func lift(_ text: String) -> Lifted? {
        // a cheap exit for texts without any literal
        guard text.utf8.contains(where: { $0 == 39 || $0 == 34 || ($0 >= 48 && $0 <= 57) }) else { return nil }
        if let fast = fastLift(text) { return fast }
        return tokenLift(text)
    }

    /// The lexer's reading: every token, for any text.
    static func tokenLift(_ text: String) -> Lifted? {
        let source = QueryText(text)
        guard let tokens = try? source.tokenize() else { return nil }
        var lifting = false
        var out = ""
        var kinds = ""
        var values: [QueryValue] = []
        var copied = 0  // source units copied to `out` so far
        for (i, t) in tokens.enumerated() {
            let prev = i > 0 ? tokens[i - 1].kind : nil
            let next = i + 1 < tokens.count ? tokens[i + 1].kind : nil
            let value: QueryValue
            switch t.kind {
            case .identifier(let word):
                // a keyword starts a clause unless it is a property (`.match`), a label
                // (`:Where`) or a map key (`{limit: 1}`)
                if case .symbol(let s)? = prev, s == "." || s == ":" { continue }
                if case .symbol(":")? = next { continue }
                switch keyword(t.upper ?? word.uppercased()) {
                case .explain: if i == 0 { return nil }
                case .lifting(let on): lifting = on
                case nil: break
                }
                continue
            case .string(let s):
                guard lifting else { continue }
                if case .symbol("=~")? = prev { continue }
                value = .string(s); kinds += "s"
            case .integer(let digits):
                // plain decimals only (`0x1F`, `017` and overflows stay for the parser)
                guard lifting, liftableNumber(prev, next), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                      digits.utf8.count == 1 || digits.utf8.first != 48, let n = Int(digits) else { continue }
                value = .int(n); kinds += "i"
            case .float(let d):
                guard lifting, liftableNumber(prev, next) else { continue }
                value = .float(d); kinds += "f"
            default:
                continue
            }
            out += source.slice(copied, t.pos.offset)
            out += "$" + name(values.count)
            copied = t.end
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        out += source.slice(copied, source.count)
        return Lifted(text: out, kinds: kinds, values: values)
    }

    /// The same reading in one pass over the bytes, without tokens, for the usual text (the
    /// lifting is on the path of every `Query.run`): nil (the outer optional) when the text
    /// has anything it leaves to the lexer (non-ASCII, comments, escapes, back-quotes,
    /// exponents, `.5`). `testFastPathReadsAsTheLexer` holds the two to the same output over
    /// the TCK's queries.
    static func fastLift(_ text: String) -> Lifted?? {
        var text = text
        return text.withUTF8 { b -> Lifted?? in
            let n = b.count
            var out = [UInt8]()  // (made at the first literal)
            var kinds = ""
            var values: [QueryValue] = []
            var lifting = false
            // the previous token, as far as the rules need it
            enum Prev { case other, star, range, regex, dot, colon }
            var prev = Prev.other
            var i = 0
            @inline(__always) func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
            @inline(__always) func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) }
            @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
            @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 9 || c == 11 || c == 12 }
            /// The next byte that is not a space, at or after `j`, or 0.
            func nextSignificant(_ j: Int) -> (UInt8, Int) {
                var j = j
                while j < n, isSpace(b[j]) { j += 1 }
                return j < n ? (b[j], j) : (0, j)
            }
            // The text is copied in spans: the bytes since the last literal, when the next is
            // lifted (a byte appended at a time was half of the pass's time). The output,
            // values and kinds are passed in, not captured: a captured array was checked for
            // uniqueness at every append.
            var copied = 0
            func emit(_ value: QueryValue, _ kind: Character, _ start: Int, _ end: Int, _ copied: inout Int,
                      _ out: inout [UInt8], _ values: inout [QueryValue], _ kinds: inout String) {
                if values.isEmpty { out.reserveCapacity(n + 16) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<start]))
                out.append(36); out.append(contentsOf: name(values.count).utf8)
                copied = end
                values.append(value)
                kinds.append(kind)
            }
            while i < n {
                let c = b[i]
                if c >= 128 || c == 13 || c == 96 { return nil }  // non-ASCII, CR, back-quotes: the lexer
                if isSpace(c) { i += 1; continue }
                if c == 47, i + 1 < n, b[i + 1] == 47 || b[i + 1] == 42 { return nil }  // comments
                if isIdentStart(c) {
                    let st = i
                    while i < n, isIdentPart(b[i]) { i += 1 }
                    let len = i - st
                    defer { prev = .other }
                    if prev == .dot || prev == .colon || len < 2 || len > 7 || nextSignificant(i).0 == 58 { continue }
                    // the word in capitals, packed into one integer (no string made per word)
                    var packed: UInt64 = 0
                    for k in st..<i { packed = packed << 8 | UInt64(b[k] >= 97 ? b[k] - 32 : b[k]) }
                    switch keyword(packed: packed) {
                    case .explain: if st == nextSignificant(0).1 { return .some(nil) }
                    case .lifting(let on): lifting = on
                    case nil: break
                    }
                    continue
                }
                if c == 36 {  // $name
                    i += 1
                    while i < n, isIdentPart(b[i]) { i += 1 }
                    prev = .other
                    continue
                }
                if c == 39 || c == 34 {  // a string without escapes
                    var j = i + 1
                    while j < n, b[j] != c { if b[j] == 92 { return nil }; j += 1 }
                    guard j < n else { return nil }
                    if lifting && prev != .regex {
                        emit(.string(String(decoding: b[(i + 1)..<j], as: UTF8.self)), "s", i, j + 1, &copied, &out, &values, &kinds)
                    }
                    i = j + 1; prev = .other
                    continue
                }
                if isDigit(c) {
                    let st = i
                    if c == 48, i + 1 < n, b[i + 1] == 120 || b[i + 1] == 111 { return nil }  // 0x, 0o
                    while i < n, isDigit(b[i]) { i += 1 }
                    var isFloat = false
                    if i + 1 < n, b[i] == 46, isDigit(b[i + 1]) {
                        isFloat = true; i += 1
                        while i < n, isDigit(b[i]) { i += 1 }
                    }
                    if i < n, isIdentStart(b[i]) { return nil }  // exponents, bad numbers: the lexer
                    let digits = b[st..<i]
                    let followedByRange = { () -> Bool in let (x, j) = nextSignificant(i); return x == 46 && j + 1 < n && b[j + 1] == 46 }()
                    let liftable = lifting && prev != .star && prev != .range && !followedByRange
                    prev = .other
                    if liftable, isFloat, let d = Double(String(decoding: digits, as: UTF8.self)), d.isFinite {
                        emit(.float(d), "f", st, i, &copied, &out, &values, &kinds); continue
                    }
                    if liftable, !isFloat, digits.count == 1 || digits.first != 48, let v = Int(String(decoding: digits, as: UTF8.self)) {
                        emit(.int(v), "i", st, i, &copied, &out, &values, &kinds); continue
                    }
                    continue
                }
                // symbols
                if c == 46 {
                    if i + 1 < n, b[i + 1] == 46 { i += 2; prev = .range; continue }
                    if i + 1 < n, isDigit(b[i + 1]) { return nil }  // .5
                    prev = .dot
                } else if c == 61, i + 1 < n, b[i + 1] == 126 {
                    i += 2; prev = .regex; continue
                } else if c == 42 { prev = .star
                } else if c == 58 { prev = .colon
                } else { prev = .other }
                i += 1
            }
            guard !values.isEmpty else { return .some(nil) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<n]))
            let lifted = String(decoding: out, as: UTF8.self)
            return .some(Lifted(text: lifted, kinds: kinds, values: values))
        }
    }

    /// What a keyword (in capitals) does to the lifting: MATCH and WHERE start it, the other
    /// clauses stop it; EXPLAIN and PROFILE (first in the text) turn it off for the query.
    enum Keyword: Equatable { case explain, lifting(Bool) }
    /// `keyword(_:)` for a word given as its capitals packed into an integer, a byte each
    /// (the keywords are 2 to 7 letters): what the byte pass looks its words up in. A switch
    /// on constants, not a dictionary: hashing every word of every text was 3% of a one-off
    /// lookup (fourteenth session). `testPackedKeywordsMatchKeyword` holds it to `keyword(_:)`.
    static func keyword(packed: UInt64) -> Keyword? {
        switch packed {
        case 0x4558504C41494E /* EXPLAIN */, 0x50524F46494C45 /* PROFILE */: return .explain
        case 0x4D41544348 /* MATCH */, 0x5748455245 /* WHERE */: return .lifting(true)
        case 0x52455455524E /* RETURN */, 0x57495448 /* WITH */, 0x554E57494E44 /* UNWIND */, 0x435245415445 /* CREATE */,
             0x4D45524745 /* MERGE */, 0x534554 /* SET */, 0x44454C455445 /* DELETE */, 0x444554414348 /* DETACH */,
             0x52454D4F5645 /* REMOVE */, 0x43414C4C /* CALL */, 0x5949454C44 /* YIELD */, 0x4F52444552 /* ORDER */,
             0x534B4950 /* SKIP */, 0x4C494D4954 /* LIMIT */, 0x554E494F4E /* UNION */, 0x464F5245414348 /* FOREACH */,
             0x4F4E /* ON */, 0x555345 /* USE */, 0x4C4F4144 /* LOAD */:
            return .lifting(false)
        default: return nil
        }
    }

    /// A word's capitals packed as `keyword(packed:)` reads them.
    static func pack(_ upper: String) -> UInt64 { upper.utf8.reduce(0) { $0 << 8 | UInt64($1) } }

    static func keyword(_ upper: String) -> Keyword? {
        switch upper {
        case "EXPLAIN", "PROFILE": return .explain
        case "MATCH", "WHERE": return .lifting(true)
        case "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "CALL", "YIELD",
             "ORDER", "SKIP", "LIMIT", "UNION", "FOREACH", "ON", "USE", "LOAD":
            return .lifting(false)
        default: return nil
        }
    }

    /// Not a variable-length bound (`*2`, `*1..5`, `*..3`) nor a multiplication's operand.
    private static func liftableNumber(_ prev: Token.Kind?, _ next: Token.Kind?) -> Bool {
        if case .symbol(let s)? = prev, s == "*" || s == ".." { return false }
        if case .symbol("..")? = next { return false }
        return true
    }
}
