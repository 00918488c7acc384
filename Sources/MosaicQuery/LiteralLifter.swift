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
    /// The position of the lifted value a parameter name stands for (`__lit3` → 3), or nil
    /// for any other name: how `QueryParameters` finds a lifted value without a dictionary.
    static func index(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { b -> Int? in
            // "__lit" then decimal digits
            guard b.count > 5, b.count < 12, b[0] == 95, b[1] == 95, b[2] == 108, b[3] == 105, b[4] == 116 else { return nil }
            var i = 0
            for k in 5..<b.count {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                i = i * 10 + Int(b[k] - 48)
            }
            return b.count > 6 && b[5] == 48 ? nil : i  // (`__lit01` is not a lifted name)
        }
    }

    /// The query with its liftable literals as parameters, or nil when it has none (or does
    /// not lex: the compiler will report that).
    static func lift(_ text: String) -> Lifted? {
        if let fast = fastLift(text) { return fast }
        // a cheap exit for texts without any literal, before the lexer (the byte pass takes
        // most texts: scanning each one first was 2.5% of a one-off lookup, fifteenth session)
        guard text.utf8.contains(where: { $0 == 39 || $0 == 34 || ($0 >= 48 && $0 <= 57) }) else { return nil }
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
            case .parameter(let p) where index(p) != nil:
                return nil  // the text uses a lifted value's name itself: it is not lifted
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
            // the literals' spans, on the stack (a text with more is left to the lexer)
            withUnsafeTemporaryAllocation(of: (start: Int, end: Int).self, capacity: maxFastLiterals) { spans in
                fastLift(b, spans)
            }
        }
    }

    /// The literals a text may have for the byte pass (`fastLift`) to take it.
    static let maxFastLiterals = 16

    private static func fastLift(_ b: UnsafeBufferPointer<UInt8>, _ spans: UnsafeMutableBufferPointer<(start: Int, end: Int)>) -> Lifted?? {
        let n = b.count
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
        // The lifted text is made once at the end, from the literals' spans: the bytes
        // were copied into an array first, then into the string (two allocations and
        // copies; a byte appended at a time had been half of the pass's time). The
        // values and kinds are passed in, not captured: a captured array was checked for
        // uniqueness at every append.
        func emit(_ value: QueryValue, _ kind: Character, _ start: Int, _ end: Int,
                  _ values: inout [QueryValue], _ kinds: inout String) -> Bool {
            guard values.count < spans.count else { return false }
            spans[values.count] = (start, end)
            if values.isEmpty { values.reserveCapacity(4) }
            values.append(value)
            kinds.append(kind)
            return true
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
                let st = i
                while i < n, isIdentPart(b[i]) { i += 1 }
                // the text uses a lifted value's name itself (`$__lit0`): it is not lifted
                if i - st > 5, b[st] == 95, b[st + 1] == 95, index(String(decoding: b[st..<i], as: UTF8.self)) != nil {
                    return .some(nil)
                }
                prev = .other
                continue
            }
            if c == 39 || c == 34 {  // a string without escapes
                var j = i + 1
                while j < n, b[j] != c { if b[j] == 92 { return nil }; j += 1 }
                guard j < n else { return nil }
                if lifting && prev != .regex {
                    guard emit(.string(String(decoding: b[(i + 1)..<j], as: UTF8.self)), "s", i, j + 1, &values, &kinds) else { return nil }
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
                    guard emit(.float(d), "f", st, i, &values, &kinds) else { return nil }
                    continue
                }
                if liftable, !isFloat, digits.count == 1 || digits.first != 48, let v = Int(String(decoding: digits, as: UTF8.self)) {
                    guard emit(.int(v), "i", st, i, &values, &kinds) else { return nil }
                    continue
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
        // each literal becomes `$` and its name
        var length = n
        for k in values.indices { length += 1 + name(k).utf8.count - (spans[k].end - spans[k].start) }
        let lifted = String(unsafeUninitializedCapacity: length) { out in
            // (no nested function writing `at`: a captured variable is checked at every access)
            var at = 0, copied = 0
            for k in values.indices {
                at = copy(UnsafeBufferPointer(rebasing: b[copied..<spans[k].start]), into: out, at)
                out[at] = 36; at += 1
                var literalName = name(k)
                at = literalName.withUTF8 { copy($0, into: out, at) }
                copied = spans[k].end
            }
            return copy(UnsafeBufferPointer(rebasing: b[copied..<n]), into: out, at)
        }
        return .some(Lifted(text: lifted, kinds: kinds, values: values))
    }

    /// Copies `bytes` into `out` at `at`; returns the position after them.
    @inline(__always) private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, _ at: Int) -> Int {
        if let src = bytes.baseAddress, !bytes.isEmpty { (out.baseAddress! + at).update(from: src, count: bytes.count) }
        return at + bytes.count
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
