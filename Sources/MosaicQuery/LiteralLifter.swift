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
        var key: String
        var values: [String: QueryValue]
    }

    static let prefix = "__lit"

    /// The query with its liftable literals as parameters, or nil when it has none (or does
    /// not lex: the compiler will report that).
    static func lift(_ text: String) -> Lifted? {
        // a cheap exit for texts without any literal
        guard text.utf8.contains(where: { $0 == 39 || $0 == 34 || ($0 >= 48 && $0 <= 57) }) else { return nil }
        let source = QueryText(text)
        guard let tokens = try? source.tokenize() else { return nil }
        var lifting = false
        var out = ""
        var kinds = ""
        var values: [String: QueryValue] = [:]
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
                switch t.upper ?? word.uppercased() {
                case "EXPLAIN", "PROFILE": if i == 0 { return nil }
                case "MATCH", "WHERE": lifting = true
                case "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "CALL", "YIELD",
                     "ORDER", "SKIP", "LIMIT", "UNION", "FOREACH", "ON", "USE", "LOAD":
                    lifting = false
                default: break
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
            let name = prefix + String(values.count)
            out += source.slice(copied, t.pos.offset)
            out += "$" + name
            copied = t.end
            values[name] = value
        }
        guard !values.isEmpty else { return nil }
        out += source.slice(copied, source.count)
        return Lifted(text: out, key: out + "\u{0}" + kinds, values: values)
    }

    /// Not a variable-length bound (`*2`, `*1..5`, `*..3`) nor a multiplication's operand.
    private static func liftableNumber(_ prev: Token.Kind?, _ next: Token.Kind?) -> Bool {
        if case .symbol(let s)? = prev, s == "*" || s == ".." { return false }
        if case .symbol("..")? = next { return false }
        return true
    }
}
