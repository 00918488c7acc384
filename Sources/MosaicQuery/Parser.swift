/// Recursive-descent parser from tokens to `QueryAST`. Keywords are case-insensitive.
struct Parser {
    var tokens: [Token]
    var p = 0
    let source: QueryText
    /// How deep the recursive descent is (expressions, patterns, subqueries, NOT and unary
    /// signs), the deepest it went, and how many operator-chain links were built (a chain
    /// `1+1+…` is parsed in a loop but makes a tree as tall as it is long). See `QueryNesting`.
    var depth = 0, maxDepth = 0, links = 0
    /// `EXISTS { … }` subqueries parsed (QueryAST.maySubquery).
    var subqueries = 0
    /// The depth past which parsing stops: `QueryNesting.maxDepth`, or less when the caller's
    /// stack has no room for more (the parse is then redone on a thread with a big stack).
    let depthLimit: Int
    /// For each opening bracket token, the index of its closing one (built on first use).
    var closing: [Int]? = nil
    /// The first limit the parse went past: what the parse reports, whatever happened after
    /// (an attempt the parser abandons, e.g. a pattern tried before an expression, swallows it).
    var limitError: QueryError? = nil

    init(_ text: String, depthLimit: Int = QueryNesting.maxDepth) throws {
        source = QueryText(text)
        tokens = try source.tokenize()
        self.depthLimit = min(depthLimit, QueryNesting.maxDepth)
    }

    static func parse(_ text: String) throws -> QueryAST {
        var parser = try Parser(text)
        return try parser.parseQuery()
    }

    /// The query, or the first error; a parse that went past a limit reports that.
    mutating func parseQuery() throws -> QueryAST {
        let ast: QueryAST
        do { ast = try parseQueryBody() } catch {
            throw limitError ?? error
        }
        if let e = limitError { throw e }
        return ast
    }

    /// One level deeper (`weight` levels for constructs that recurse more per level when
    /// run, such as subqueries); throws past the limit. Pair with `leave`.
    @inline(__always) mutating func enter(_ weight: Int = 1) throws {
        depth += weight
        if depth > maxDepth {
            maxDepth = depth
            if depth > depthLimit { throw limit(tooDeep()) }
        }
    }
    @inline(__always) mutating func leave(_ weight: Int = 1) { depth -= weight }

    /// `n` more links of an operator chain. The tree they build may be as tall as their
    /// number: on the caller's stack, more than it has room for sends the parse to a big
    /// stack (even freeing a tall tree recurses); there, a text of more than
    /// `QueryNesting.maxOperators` is refused.
    @inline(__always) mutating func link(_ n: Int = 1) throws {
        links += n
        if 2 * maxDepth + links > depthLimit {
            if depthLimit < QueryNesting.maxDepth { throw limit(QueryNesting.needsBigStack) }
            if links > QueryNesting.maxOperators { throw limit(QueryNesting.tooLarge(at: pos)) }
        }
    }

    func tooDeep() -> QueryError {
        if depthLimit < QueryNesting.maxDepth { return QueryNesting.needsBigStack }
        return QueryNesting.error(at: pos)
    }

    /// Records the first limit the parse went past (see `parseQuery`).
    mutating func limit(_ e: QueryError) -> QueryError {
        if limitError == nil { limitError = e }
        return e
    }

    /// The index of the bracket closing the one at token `i` (`(`, `[`, `{`), or nil.
    mutating func closingIndex(_ i: Int) -> Int? {
        if closing == nil {
            var c = Array(repeating: -1, count: tokens.count)
            var open: [Int] = []
            for (k, t) in tokens.enumerated() {
                guard case .symbol(let s) = t.kind else { continue }
                if s == "(" || s == "[" || s == "{" { open.append(k) }
                else if s == ")" || s == "]" || s == "}", let o = open.popLast() { c[o] = k }
            }
            closing = c
        }
        let k = closing![i]
        return k < 0 ? nil : k
    }

    /// Whether the parenthesis at token `i` may start a relationship pattern: its closing
    /// parenthesis is followed by `-` or `<`, or it opens another parenthesis (`((a)-->(b))`).
    /// (Trying a pattern first and falling back to an expression re-parses the contents: at
    /// every level of `({a: ({a: …})})` that doubled the work.)
    mutating func mayStartPattern(_ i: Int) -> Bool {
        if symbol(at: min(i + 1, tokens.count - 1), "(") { return true }
        guard let c = closingIndex(i), c + 1 < tokens.count else { return false }
        return symbol(at: c + 1, "-") || symbol(at: c + 1, "<")
    }

    // MARK: token helpers
    var tok: Token { tokens[p] }
    var pos: SourcePosition { tokens[p].pos }
    func peek(_ k: Int = 1) -> Token { tokens[min(p + k, tokens.count - 1)] }
    var lastEnd: Int { p > 0 ? tokens[p - 1].end : 0 }

    /// `kw` is upper case; identifiers carry their upper-case form from the lexer.
    /// (The helpers read the token's fields in place: copying a Token retains its strings.)
    func isKeyword(_ t: Token, _ kw: String) -> Bool { t.upper == kw }
    func at(_ kw: String) -> Bool { tokens[p].upper == kw }
    func atSymbol(_ s: String) -> Bool { symbol(at: p, s) }
    /// Whether the token `k` ahead is the symbol `s`.
    func peekSymbol(_ k: Int, _ s: String) -> Bool { symbol(at: min(p + k, tokens.count - 1), s) }
    func symbol(at i: Int, _ s: String) -> Bool {
        if case .symbol(let x) = tokens[i].kind { return x == s }
        return false
    }
    mutating func accept(_ kw: String) -> Bool { if at(kw) { p += 1; return true }; return false }
    mutating func acceptSymbol(_ s: String) -> Bool { if atSymbol(s) { p += 1; return true }; return false }
    mutating func expect(_ kw: String) throws { guard accept(kw) else { throw unexpected("'\(kw.uppercased())'") } }
    mutating func expectSymbol(_ s: String) throws { guard acceptSymbol(s) else { throw unexpected("'\(s)'") } }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .identifier(let s): return "'\(s)'"
        case .quotedIdentifier(let s): return "`\(s)`"
        case .integer(let s): return s
        case .float(let d): return "\(d)"
        case .string(let s): return "'\(s)'"
        case .parameter(let s): return "$\(s)"
        case .symbol(let s): return "'\(s)'"
        case .eof: return "the end of the query"
        }
    }
    func unexpected(_ wanted: String) -> QueryError {
        QueryError.syntax("InvalidSyntax", "expected \(wanted) but found \(describe(tok))", pos)
    }

    /// Words that cannot name a variable (they end or continue an expression).
    static let reserved: Set<String> = ["MATCH", "WHERE", "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET",
        "REMOVE", "DELETE", "ORDER", "SKIP", "LIMIT", "UNION", "AS", "AND", "OR", "XOR", "NOT", "IN",
        "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "CALL"]

    /// A name: identifier or back-quoted identifier (keywords allowed where unambiguous).
    mutating func name(_ what: String = "a name") throws -> String {
        switch tok.kind {
        case .identifier(let s): p += 1; return s
        case .quotedIdentifier(let s): p += 1; return s
        default: throw unexpected(what)
        }
    }
    mutating func variableName() throws -> String {
        // (reserved words are 2 to 8 letters: a one-letter name needs no hashing)
        if case .identifier(let s) = tok.kind, s.utf8.count >= 2, Parser.reserved.contains(tok.upper ?? s) {
            throw unexpected("a variable name")
        }
        return try name("a variable name")
    }
    func isNameToken(_ t: Token) -> Bool {
        switch t.kind { case .identifier, .quotedIdentifier: return true; default: return false }
    }
    func text(from start: Int, to end: Int) -> String {
        guard start < end, end <= source.count else { return "" }
        return source.slice(start, end)
    }

    // MARK: query structure
    mutating func parseQueryBody() throws -> QueryAST {
        var explain = false, profile = false
        if accept("EXPLAIN") { explain = true } else if accept("PROFILE") { profile = true }
        var parts = [try parseSingle()]
        var unionAll: [Bool] = []
        while accept("UNION") {
            unionAll.append(accept("ALL"))
            parts.append(try parseSingle())
        }
        _ = acceptSymbol(";")
        guard case .eof = tok.kind else { throw unexpected("a clause (MATCH, RETURN, ...)") }
        return QueryAST(parts: parts, unionAll: unionAll, explain: explain, profile: profile, maySubquery: subqueries > 0)
    }

    mutating func parseSingle() throws -> SingleQuery {
        var clauses: [Clause] = []
        clauses.reserveCapacity(4)  // (a Clause is large: growing from one to two reallocates)
        while true {
            let start = pos
            if at("MATCH") || (at("OPTIONAL") && isKeyword(peek(), "MATCH")) {
                let optional = accept("OPTIONAL"); p += 1
                let pat = try parsePattern()
                let pred = accept("WHERE") ? try expression() : nil
                clauses.append(.match(pat, optional: optional, predicate: pred, start))
            } else if accept("UNWIND") {
                let e = try expression()
                try expect("AS")
                clauses.append(.unwind(e, try variableName(), start))
            } else if accept("WITH") {
                let proj = try projection(start)
                let pred = accept("WHERE") ? try expression() : nil
                clauses.append(.with(proj, predicate: pred))
            } else if accept("RETURN") {
                clauses.append(.returns(try projection(start)))
            } else if accept("CREATE") {
                clauses.append(.create(try parsePattern(), start))
            } else if accept("MERGE") {
                let part = try patternPart()
                var onCreate: [SetItem] = [], onMatch: [SetItem] = []
                while at("ON") {
                    p += 1
                    if accept("CREATE") { try expect("SET"); onCreate += try setItems() }
                    else if accept("MATCH") { try expect("SET"); onMatch += try setItems() }
                    else { throw unexpected("CREATE or MATCH after ON") }
                }
                clauses.append(.merge(part, onCreate: onCreate, onMatch: onMatch, start))
            } else if accept("SET") {
                clauses.append(.set(try setItems(), start))
            } else if accept("REMOVE") {
                var items: [RemoveItem] = []
                repeat {
                    let ipos = pos
                    let v = try variableName()
                    if atSymbol(":") {
                        items.append(.labels(v, try labelList(), ipos))
                    } else {
                        var target = Expr(.variable(v), ipos)
                        try expectSymbol(".")
                        var key = try name("a property name")
                        while acceptSymbol(".") { try link(); target = Expr(.property(target, key), ipos); key = try name("a property name") }
                        items.append(.property(target, key))
                    }
                } while acceptSymbol(",")
                clauses.append(.remove(items, start))
            } else if at("DELETE") || (at("DETACH") && isKeyword(peek(), "DELETE")) {
                let detach = accept("DETACH"); p += 1
                var es = [try expression()]
                while acceptSymbol(",") { es.append(try expression()) }
                clauses.append(.delete(es, detach: detach, start))
            } else if accept("CALL") {
                var name = try self.name("a procedure name")
                while acceptSymbol(".") { name += "." + (try self.name("a procedure name")) }
                var args: [Expr]? = nil
                if acceptSymbol("(") {
                    var a: [Expr] = []
                    if !atSymbol(")") { repeat { a.append(try expression()) } while acceptSymbol(",") }
                    try expectSymbol(")")
                    args = a
                }
                var yields: [(String, String)]? = nil
                if accept("YIELD") {
                    var y: [(String, String)] = []
                    if acceptSymbol("*") { y = [] } else {
                        repeat {
                            let f = try self.name("a field name")
                            y.append((f, accept("AS") ? try variableName() : f))
                        } while acceptSymbol(",")
                    }
                    yields = y
                }
                var predicate: Expr? = nil
                if yields != nil, accept("WHERE") { predicate = try expression() }
                clauses.append(.call(name, args, yields: yields, predicate: predicate, start))
            } else {
                break
            }
        }
        if clauses.isEmpty { throw unexpected("a clause (MATCH, RETURN, CREATE, ...)") }
        return SingleQuery(clauses: clauses)
    }

    mutating func labelList() throws -> [String] {
        var labels: [String] = []
        while acceptSymbol(":") { labels.append(try name("a label")) }
        return labels
    }

    mutating func setItems() throws -> [SetItem] {
        var items: [SetItem] = []
        repeat {
            let ipos = pos
            if atSymbol("(") {
                let target = try postfix(try atom())
                guard case .property(let base, let key) = target.kind else { throw unexpected("a property to set, e.g. (n).name") }
                try expectSymbol("=")
                items.append(.property(base, key, try expression()))
                continue
            }
            let v = try variableName()
            if atSymbol(":") {
                items.append(.labels(v, try labelList(), ipos))
            } else if acceptSymbol("=") {
                items.append(.replaceAll(v, try expression(), ipos))
            } else if acceptSymbol("+=") {
                items.append(.merge(v, try expression(), ipos))
            } else {
                var target = Expr(.variable(v), ipos)
                if atSymbol("(") { throw unexpected("a property or label to set") }
                try expectSymbol(".")
                var key = try name("a property name")
                while acceptSymbol(".") { try link(); target = Expr(.property(target, key), ipos); key = try name("a property name") }
                try expectSymbol("=")
                items.append(.property(target, key, try expression()))
            }
        } while acceptSymbol(",")
        return items
    }

    mutating func projection(_ start: SourcePosition) throws -> Projection {
        let distinct = accept("DISTINCT")
        var star = false
        var items: [ProjectionItem] = []
        if acceptSymbol("*") {
            star = true
            if acceptSymbol(",") { items = try projectionItems() }
        } else {
            items = try projectionItems()
        }
        var order: [SortItem] = []
        if at("ORDER") {
            p += 1; try expect("BY")
            repeat {
                let e = try expression()
                var asc = true
                if accept("DESC") || accept("DESCENDING") { asc = false } else if accept("ASC") || accept("ASCENDING") { asc = true }
                order.append(SortItem(expr: e, ascending: asc))
            } while acceptSymbol(",")
        }
        let skip = accept("SKIP") ? try expression() : nil
        let limit = accept("LIMIT") ? try expression() : nil
        return Projection(distinct: distinct, star: star, items: items, order: order, skip: skip, limit: limit, pos: start)
    }

    mutating func projectionItems() throws -> [ProjectionItem] {
        var items: [ProjectionItem] = []
        repeat {
            let startOffset = tok.pos.offset
            let e = try expression()
            let txt = text(from: startOffset, to: lastEnd)
            var alias: String? = nil
            if accept("AS") { alias = try variableName() }
            items.append(ProjectionItem(expr: e, alias: alias, text: txt))
        } while acceptSymbol(",")
        return items
    }

    // MARK: patterns
    mutating func parsePattern() throws -> Pattern {
        var parts = [try patternPart()]
        // (the matcher recurses once per part and per step: they count like chain links)
        while acceptSymbol(",") { try link(2); parts.append(try patternPart()) }
        return parts
    }

    mutating func patternPart() throws -> PatternPart {
        let start = pos
        var pathVar: String? = nil
        if isNameToken(tok), peekSymbol(1, "=") {
            pathVar = try variableName(); p += 1
        }
        var shortest = 0
        if at("SHORTESTPATH") || at("ALLSHORTESTPATHS"), peekSymbol(1, "(") {
            shortest = at("SHORTESTPATH") ? 1 : 2
            p += 2
            var part = try patternElement(start)
            try expectSymbol(")")
            part.pathVariable = pathVar; part.shortest = shortest
            return part
        }
        var part = try patternElement(start)
        part.pathVariable = pathVar
        return part
    }

    mutating func patternElement(_ start: SourcePosition) throws -> PatternPart {
        if atSymbol("("), peekSymbol(1, "(") {
            try enter(); defer { leave() }
            p += 1
            let inner = try patternElement(start)
            try expectSymbol(")")
            return inner
        }
        let first = try nodePattern()
        var steps: [PatternStep] = []
        while atSymbol("-") || atSymbol("<") {
            try link(2)
            let r = try relPattern()
            steps.append(PatternStep(rel: r, node: try nodePattern()))
        }
        return PatternPart(pathVariable: nil, start: first, steps: steps, pos: start)
    }

    mutating func nodePattern() throws -> NodePattern {
        let start = pos
        try expectSymbol("(")
        var v: String? = nil
        if isNameToken(tok) { v = try variableName() }
        let labels = try labelList()
        var props: Expr? = nil
        if atSymbol("{") { props = try mapLiteral() }
        else if case .parameter(let n) = tok.kind { props = Expr(.parameter(n), pos); p += 1 }
        try expectSymbol(")")
        return NodePattern(variable: v, labels: labels, properties: props, pos: start)
    }

    mutating func relPattern() throws -> RelPattern {
        let start = pos
        let left = acceptSymbol("<")
        try expectSymbol("-")
        var v: String? = nil
        var types: [String] = []
        var props: Expr? = nil
        var range: (Int, Int?)? = nil
        if acceptSymbol("[") {
            if isNameToken(tok) { v = try variableName() }
            if acceptSymbol(":") {
                types.append(try name("a relationship type"))
                while acceptSymbol("|") { _ = acceptSymbol(":"); types.append(try name("a relationship type")) }
            }
            if acceptSymbol("*") {
                var lo: Int? = nil, hi: Int? = nil
                if case .integer(let s) = tok.kind { lo = Int(s); p += 1 }
                if acceptSymbol("..") {
                    if case .integer(let s) = tok.kind { hi = Int(s); p += 1 }
                    range = (lo ?? 1, hi)
                } else if let l = lo { range = (l, l) } else { range = (1, nil) }
            }
            if atSymbol("{") { props = try mapLiteral() }
            else if case .parameter(let n) = tok.kind { props = Expr(.parameter(n), pos); p += 1 }
            try expectSymbol("]")
        }
        try expectSymbol("-")
        let right = acceptSymbol(">")
        let dir: Direction = left && right ? .both : left ? .incoming : right ? .outgoing : .both
        return RelPattern(variable: v, types: types, properties: props, direction: dir, range: range, pos: start)
    }

    mutating func mapLiteral() throws -> Expr {
        let start = pos
        try expectSymbol("{")
        var entries: [MapEntry] = []
        if !atSymbol("}") {
            repeat {
                let k = try name("a map key")
                try expectSymbol(":")
                entries.append(MapEntry(key: k, value: try expression()))
            } while acceptSymbol(",")
        }
        try expectSymbol("}")
        return Expr(.map(entries), start)
    }

    // MARK: expressions
    mutating func expression() throws -> Expr {
        try enter(); defer { leave() }
        return try orExpr()
    }

    mutating func orExpr() throws -> Expr {
        var l = try xorExpr()
        while at("OR") { let ps = pos; p += 1; try link(); l = Expr(.binary(.or, l, try xorExpr()), ps) }
        return l
    }
    mutating func xorExpr() throws -> Expr {
        var l = try andExpr()
        while at("XOR") { let ps = pos; p += 1; try link(); l = Expr(.binary(.xor, l, try andExpr()), ps) }
        return l
    }
    mutating func andExpr() throws -> Expr {
        var l = try notExpr()
        while at("AND") { let ps = pos; p += 1; try link(); l = Expr(.binary(.and, l, try notExpr()), ps) }
        return l
    }
    mutating func notExpr() throws -> Expr {
        // NOT NOT … in a loop (20,000 of them must not recurse); each is one level of the tree
        var nots: [SourcePosition] = []
        while at("NOT") { nots.append(pos); p += 1 }
        if nots.isEmpty { return try comparison() }
        try enter(nots.count); defer { leave(nots.count) }
        var e = try comparison()
        for ps in nots.reversed() { e = Expr(.not(e), ps) }
        return e
    }
    mutating func comparison() throws -> Expr {
        let first = try predicateExpr()
        guard case .symbol(let s0) = tok.kind, Parser.comparisonOperator(s0) != nil else { return first }
        var operands = [first]
        var ops: [(BinaryOp, SourcePosition)] = []
        while case .symbol(let s) = tok.kind, let op = Parser.comparisonOperator(s) {
            if s == "!=" { throw QueryError.syntax("InvalidSyntax", "'!=' is not an operator here; use '<>' for inequality", pos) }
            ops.append((op, pos)); p += 1
            operands.append(try predicateExpr())
        }
        if ops.isEmpty { return first }
        try link(2 * ops.count)
        var result: Expr? = nil
        for (i, (op, ps)) in ops.enumerated() {
            let c = Expr(.binary(op, operands[i], operands[i + 1]), ps)
            result = result.map { Expr(.binary(.and, $0, c), ps) } ?? c
        }
        return result!
    }
    /// The comparison operator a symbol spells, if any (`!=` is reported as an error).
    static func comparisonOperator(_ s: String) -> BinaryOp? {
        switch s {
        case "=": return .eq
        case "<>", "!=": return .neq
        case "<": return .lt
        case ">": return .gt
        case "<=": return .le
        case ">=": return .ge
        default: return nil
        }
    }
    mutating func predicateExpr() throws -> Expr {
        var l = try additive()
        while true {
            let ps = pos
            if at("STARTS") && isKeyword(peek(), "WITH") { p += 2; try link(); l = Expr(.binary(.startsWith, l, try additive()), ps) }
            else if at("ENDS") && isKeyword(peek(), "WITH") { p += 2; try link(); l = Expr(.binary(.endsWith, l, try additive()), ps) }
            else if at("CONTAINS") { p += 1; try link(); l = Expr(.binary(.contains, l, try additive()), ps) }
            else if at("IN") { p += 1; try link(); l = Expr(.binary(.inList, l, try additive()), ps) }
            else if acceptSymbol("=~") { try link(); l = Expr(.binary(.regex, l, try additive()), ps) }
            else if at("IS") {
                p += 1
                let neg = accept("NOT")
                try expect("NULL")
                try link(); l = Expr(.isNull(l, negated: neg), ps)
            } else { return l }
        }
    }
    mutating func additive() throws -> Expr {
        var l = try multiplicative()
        while true {
            let ps = pos
            if acceptSymbol("+") { try link(); l = Expr(.binary(.add, l, try multiplicative()), ps) }
            else if acceptSymbol("-") { try link(); l = Expr(.binary(.sub, l, try multiplicative()), ps) }
            else { return l }
        }
    }
    mutating func multiplicative() throws -> Expr {
        var l = try power()
        while true {
            let ps = pos
            if acceptSymbol("*") { try link(); l = Expr(.binary(.mul, l, try power()), ps) }
            else if acceptSymbol("/") { try link(); l = Expr(.binary(.div, l, try power()), ps) }
            else if acceptSymbol("%") { try link(); l = Expr(.binary(.mod, l, try power()), ps) }
            else { return l }
        }
    }
    mutating func power() throws -> Expr {
        var l = try unary()
        while atSymbol("^") { let ps = pos; p += 1; try link(); l = Expr(.binary(.pow, l, try unary()), ps) }
        return l
    }
    mutating func unary() throws -> Expr {
        // signs in a loop (- - - … must not recurse); each minus is one level of the tree
        var minuses: [SourcePosition] = []
        var literal: Expr? = nil  // a minus before an integer is part of the literal (-9223372036854775808)
        while atSymbol("-") || atSymbol("+") {
            let ps = pos
            if acceptSymbol("-") {
                if case .integer(let s) = tok.kind {
                    p += 1
                    literal = Expr(.literal(try integerValue("-" + s, ps)), ps)
                    break
                }
                minuses.append(ps)
            } else { p += 1 }
        }
        if minuses.isEmpty { return try postfix(try literal ?? atom()) }
        try enter(minuses.count); defer { leave(minuses.count) }
        var e = try postfix(try literal ?? atom())
        for m in minuses.reversed() { e = Expr(.negate(e), m) }
        return e
    }

    func integerValue(_ text: String, _ ps: SourcePosition) throws -> QueryValue {
        var s = text, neg = false
        if s.hasPrefix("-") { neg = true; s.removeFirst() }
        var v: Int?
        if s.hasPrefix("0x") { v = Int((neg ? "-" : "") + s.dropFirst(2), radix: 16) }
        else if s.hasPrefix("0o") { v = Int((neg ? "-" : "") + s.dropFirst(2), radix: 8) }
        else {
            if s.count > 1 && s.hasPrefix("0") && s.allSatisfy(\.isNumber) {
                v = Int((neg ? "-" : "") + s.dropFirst(), radix: 8)
            } else {
                v = Int((neg ? "-" : "") + s)
            }
            if v == nil && s.allSatisfy(\.isNumber) {
                throw QueryError.syntax("IntegerOverflow", "the integer \(text) does not fit in 64 bits", ps)
            }
        }
        guard let value = v else {
            let digitsOK = s.hasPrefix("0x") ? s.dropFirst(2).allSatisfy(\.isHexDigit) : s.hasPrefix("0o") ? s.dropFirst(2).allSatisfy { ("0"..."7").contains($0) } : false
            if digitsOK && s.count > 2 { throw QueryError.syntax("IntegerOverflow", "the integer \(text) does not fit in 64 bits", ps) }
            throw QueryError.syntax("InvalidNumberLiteral", "'\(text)' is not a valid number", ps)
        }
        return .int(value)
    }

    mutating func postfix(_ base: Expr) throws -> Expr {
        var e = base
        while true {
            let ps = pos
            if atSymbol("."), isNameToken(peek()) {
                p += 1
                try link(); e = Expr(.property(e, try name()), ps)
            } else if acceptSymbol("[") {
                if acceptSymbol("..") {
                    let hi = atSymbol("]") ? nil : try expression()
                    try expectSymbol("]")
                    try link(); e = Expr(.slice(e, nil, hi), ps)
                    continue
                }
                let idx = try expression()
                if acceptSymbol("..") {
                    let hi = atSymbol("]") ? nil : try expression()
                    try expectSymbol("]")
                    try link(); e = Expr(.slice(e, idx, hi), ps)
                } else {
                    try expectSymbol("]")
                    try link(); e = Expr(.index(e, idx), ps)
                }
            } else if atSymbol(":"), isNameToken(peek()) {
                try link(); e = Expr(.labelCheck(e, try labelList()), ps)
            } else {
                return e
            }
        }
    }

    mutating func atom() throws -> Expr {
        let ps = pos
        switch tok.kind {
        case .integer(let s): p += 1; return Expr(.literal(try integerValue(s, ps)), ps)
        case .float(let d): p += 1; return Expr(.literal(.float(d)), ps)
        case .string(let s): p += 1; return Expr(.literal(.string(s)), ps)
        case .parameter(let s): p += 1; return Expr(.parameter(s), ps)
        case .symbol("["): return try listOrComprehension()
        case .symbol("{"): return try mapLiteral()
        case .symbol("("):
            let save = p
            if mayStartPattern(p), let part = try? patternElement(ps), !part.steps.isEmpty {
                return Expr(.pattern(part), ps)
            }
            p = save + 1
            let e = try expression()
            try expectSymbol(")")
            return e
        case .identifier(let s):
            let u = tok.upper ?? s
            if u == "TRUE" { p += 1; return Expr(.literal(.bool(true)), ps) }
            if u == "FALSE" { p += 1; return Expr(.literal(.bool(false)), ps) }
            if u == "NULL" { p += 1; return Expr(.literal(.null), ps) }
            if u == "CASE" { return try caseExpr() }
            if u == "COUNT", peekSymbol(1, "("), peekSymbol(2, "*") {
                p += 3; try expectSymbol(")"); return Expr(.countStar, ps)
            }
            if u == "EXISTS", peekSymbol(1, "{") {
                // a subquery runs through more functions per level than an expression
                try enter(QueryNesting.subqueryWeight); defer { leave(QueryNesting.subqueryWeight) }
                let open = p + 1
                p += 2
                let bodyStart = p
                _ = accept("MATCH")
                if !hasClauseKeyword(from: p, to: closingIndex(open) ?? tokens.count), let pat = try? parsePattern() {
                    let pred = accept("WHERE") ? try expression() : nil
                    if acceptSymbol("}") { return Expr(.exists(pat, pred), ps) }
                }
                // a full subquery: clauses until the closing brace
                p = bodyStart
                let q = try parseSingle()
                try expectSymbol("}")
                subqueries += 1
                return Expr(.existsQuery(q), ps)
            }
            if u == "ALL" || u == "ANY" || u == "NONE" || u == "SINGLE", peekSymbol(1, "("), isNameToken(peek(2)), isKeyword(peek(3), "IN") {
                p += 2
                let v = try variableName(); try expect("IN")
                let list = try expression()
                guard accept("WHERE") else { throw unexpected("WHERE in \(u.lowercased())(...)") }
                let pred = try expression()
                try expectSymbol(")")
                return Expr(.quantifier(QuantifierKind(rawValue: u.lowercased())!, variable: v, list: list, predicate: pred), ps)
            }
            if u == "REDUCE", peekSymbol(1, "(") {
                p += 2
                let acc = try variableName(); try expectSymbol("=")
                let initial = try expression()
                try expectSymbol(",")
                let v = try variableName(); try expect("IN")
                let list = try expression()
                try expectSymbol("|")
                let body = try expression()
                try expectSymbol(")")
                return Expr(.reduce(accumulator: acc, initial: initial, variable: v, list: list, expression: body), ps)
            }
            // function call (possibly namespaced)?
            var k = 1
            while peekSymbol(k, "."), isNameToken(peek(k + 1)) { k += 2 }
            if peekSymbol(k, "(") {
                var fname = try name()
                while acceptSymbol(".") { fname += "." + (try name()) }
                try expectSymbol("(")
                let distinct = accept("DISTINCT")
                var args: [Expr] = []
                if !atSymbol(")") { repeat { args.append(try expression()) } while acceptSymbol(",") }
                try expectSymbol(")")
                return Expr(.function(name: fname, distinct: distinct, args: args), ps)
            }
            if Parser.reserved.contains(u) { throw unexpected("an expression") }
            p += 1
            if atSymbol("{") { return try mapProjection(s, ps) }
            return Expr(.variable(s), ps)
        case .quotedIdentifier(let s):
            p += 1
            if atSymbol("{") { return try mapProjection(s, ps) }
            return Expr(.variable(s), ps)
        default:
            throw unexpected("an expression")
        }
    }

    /// Whether a clause keyword (other than a leading MATCH) appears between tokens `from` and
    /// `to` outside nested brackets: then `EXISTS { … }` is a full subquery, and trying the
    /// short form first would parse its body twice at every level of nesting.
    mutating func hasClauseKeyword(from: Int, to: Int) -> Bool {
        var k = from
        while k < min(to, tokens.count) {
            if case .symbol(let s) = tokens[k].kind, s == "(" || s == "[" || s == "{" {
                k = (closingIndex(k) ?? tokens.count) + 1; continue
            }
            if let u = tokens[k].upper {
                switch u {
                case "RETURN", "WITH", "UNWIND", "CALL", "MATCH", "OPTIONAL", "UNION", "CREATE", "MERGE", "SET", "DELETE", "REMOVE": return true
                default: break
                }
            }
            k += 1
        }
        return false
    }

    mutating func mapProjection(_ v: String, _ ps: SourcePosition) throws -> Expr {
        try expectSymbol("{")
        var items: [MapProjectionItem] = []
        if !atSymbol("}") {
            repeat {
                if acceptSymbol(".") {
                    if acceptSymbol("*") { items.append(.allProperties) } else { items.append(.property(try name("a property name"))) }
                } else if isNameToken(tok), peekSymbol(1, ":") {
                    let k = try name(); p += 1
                    items.append(.literal(k, try expression()))
                } else {
                    items.append(.variable(try variableName()))
                }
            } while acceptSymbol(",")
        }
        try expectSymbol("}")
        return Expr(.mapProjection(v, items), ps)
    }

    mutating func caseExpr() throws -> Expr {
        let ps = pos
        p += 1
        let subject = at("WHEN") ? nil : try expression()
        var whens: [(Expr, Expr)] = []
        while accept("WHEN") {
            let w = try expression()
            try expect("THEN")
            whens.append((w, try expression()))
        }
        if whens.isEmpty { throw unexpected("WHEN") }
        let otherwise = accept("ELSE") ? try expression() : nil
        try expect("END")
        return Expr(.caseExpr(subject: subject, whens: whens, otherwise: otherwise), ps)
    }

    mutating func listOrComprehension() throws -> Expr {
        let ps = pos
        // list comprehension: [x IN list WHERE p | e]
        if isNameToken(peek()), isKeyword(peek(2), "IN") {
            p += 1
            let v = try variableName(); p += 1
            let list = try expression()
            let pred = accept("WHERE") ? try expression() : nil
            let proj = acceptSymbol("|") ? try expression() : nil
            try expectSymbol("]")
            return Expr(.listComprehension(variable: v, list: list, predicate: pred, projection: proj), ps)
        }
        // pattern comprehension: [p = (a)-->(b) WHERE ... | e]
        let save = p
        p += 1
        var pathVar: String? = nil
        if isNameToken(tok), peekSymbol(1, "=") { pathVar = try? variableName(); p += 1 }
        if atSymbol("("), mayStartPattern(p) {
            if let part = try? patternElement(pos), !part.steps.isEmpty, at("WHERE") || atSymbol("|") {
                let pred = accept("WHERE") ? try expression() : nil
                try expectSymbol("|")
                let proj = try expression()
                try expectSymbol("]")
                return Expr(.patternComprehension(pathVariable: pathVar, pattern: part, predicate: pred, projection: proj), ps)
            }
        }
        p = save + 1
        var items: [Expr] = []
        if !atSymbol("]") { repeat { items.append(try expression()) } while acceptSymbol(",") }
        try expectSymbol("]")
        return Expr(.list(items), ps)
    }
}
