import Foundation

/// An expression compiled against where its variables live (issue 16): a pattern's variable
/// reads the matcher's node or relationship slot, a row's variable its slot in the row's
/// layout (RowProgram), a comprehension's, quantifier's or reduce's own variable a local of
/// the executor; call sites are resolved once, parameters and folded calls are constants.
/// Evaluation reuses the evaluator's value-level operations (`binaryValues`, `property`,
/// `graphCall`, `slice`, …), so the language's rules live in one place.
///
/// Compiled by `SlotExpr.compile` once per execution and pattern part or operator (call sites
/// belong to an execution; MatchSlots and RowProgram keep the result for later rows); nil
/// when the expression has a form not covered here (subqueries, patterns, pattern
/// comprehensions, aggregates), and the caller then evaluates it by name.
indirect enum SlotExpr {
    case constant(QueryValue)
    /// A parameter that was not given: evaluating it raises the usual error.
    case missingParameter(String, SourcePosition)
    /// The node bound at index i of the pattern (null while unbound).
    case node(Int)
    /// The relationship bound by single-hop step s of the pattern (null while unbound).
    case relationship(Int)
    /// A variable of the row the pattern is matched for.
    case outer(String)
    /// Slot i of the row, whose layout is the one the expression was compiled against
    /// (`Names.row`: an operator's input rows, RowProgram).
    case slot(Int)
    case property(SlotExpr, String, SourcePosition)
    case logical(BinaryOp, SlotExpr, SlotExpr, SourcePosition)
    case binary(BinaryOp, SlotExpr, SlotExpr, SourcePosition)
    case not(SlotExpr, SourcePosition)
    case isNull(SlotExpr, negated: Bool)
    case labelCheck(SlotExpr, [String], SourcePosition)
    case list([SlotExpr])
    case graphCall(GraphFunction, CallSite, SlotExpr, SourcePosition)
    case call(CallSite, [SlotExpr], SourcePosition)
    /// Local variable i of a comprehension, quantifier or reduce the expression is inside
    /// (`Executor.locals`; compiled with `Names.locals`).
    case local(Int)
    case index(SlotExpr, SlotExpr, SourcePosition)
    case slice(SlotExpr, SlotExpr?, SlotExpr?, SourcePosition)
    case negate(SlotExpr, SourcePosition)
    case map([String], [SlotExpr])
    case choice(Choice)
    case iteration(Iteration)
    /// A map projection (`a {.name, .*, k: expr}`) of what the first expression holds.
    case mapProjection(SlotExpr, [ProjectionItem], SourcePosition)
    /// A binary operator between two operands read without recursion (`id(p) < id(q)`,
    /// `a.name = $n`, `validFrom(r) >= date($from)`): the common filters, evaluated flat.
    case operands(BinaryOp, Operand, Operand, SourcePosition)

    /// A value read straight from a slot, the row or the plan.
    enum Operand {
        case constant(QueryValue)
        case node(Int)
        case nodeID(Int)
        case relationship(Int)
        /// A property of the node / relationship in a slot.
        case nodeProperty(Int, String, SourcePosition)
        case relationshipProperty(Int, String, SourcePosition)
        /// A graph function of the relationship in a slot (type, validFrom, confidence, …).
        case relationshipFunction(GraphFunction, String, Int, SourcePosition)
        case outer(String)
        /// Slot i of the row, and a property of what it holds.
        case slot(Int)
        case slotProperty(Int, String, SourcePosition)
    }

    /// CASE: with a subject, the first `when` equal to it; without, the first true one.
    struct Choice {
        var subject: SlotExpr?
        var whens: [(SlotExpr, SlotExpr)]
        var otherwise: SlotExpr?
    }

    /// One item of a map projection: a property of the base, all of them, or a key's value.
    enum ProjectionItem {
        case property(String)
        case allProperties
        case value(String, SlotExpr)
    }

    /// A list comprehension, quantifier or reduce: `body` evaluated with each element of
    /// `list` in local `element` (and reduce's accumulator in local `element - 1`).
    struct Iteration {
        enum Form {
            case comprehension(predicate: SlotExpr?, projection: SlotExpr?)
            case quantifier(QuantifierKind, predicate: SlotExpr, at: SourcePosition)
            /// reduce(): the accumulator's first value, the body, and whether the body may nest
            /// the accumulator a level an iteration (checked now and then).
            case reduce(initial: SlotExpr, body: SlotExpr, nests: Bool)

            /// How an error names the form (made only for the error).
            var what: String {
                switch self {
                case .comprehension: return "a list comprehension"
                case .quantifier(let q, _, _): return "\(q.rawValue)()"
                case .reduce: return "reduce()"
                }
            }
        }
        var form: Form
        var element: Int
        var list: SlotExpr
        var listAt: SourcePosition
        var at: SourcePosition
    }

    /// The expression as an operand, when it is one.
    var operand: Operand? {
        switch self {
        case .constant(let v): return .constant(v)
        case .node(let i): return .node(i)
        case .relationship(let s): return .relationship(s)
        case .outer(let n): return .outer(n)
        case .slot(let i): return .slot(i)
        case .property(.slot(let i), let key, let pos): return .slotProperty(i, key, pos)
        case .property(.node(let i), let key, let pos): return .nodeProperty(i, key, pos)
        case .property(.relationship(let s), let key, let pos): return .relationshipProperty(s, key, pos)
        case .graphCall(.id, _, .node(let i), _): return .nodeID(i)
        case .graphCall(let g, let site, .relationship(let s), let pos):
            switch g { case .type, .metadata: return .relationshipFunction(g, site.lowerName, s, pos); default: return nil }
        default: return nil
        }
    }

    /// Where the compiled expression finds the pattern's variables: node variables by their
    /// index in the pattern, single-hop relationship variables by their step.
    struct Names {
        var nodes = NameList<Int>()
        var relationships = NameList<Int>()
        /// The layout of the rows the expression is evaluated on: its names read their slot.
        var row: RowLayout? = nil
        /// The local variables of the comprehensions, quantifiers and reduces the expression
        /// being compiled is inside (innermost wins), and the next free local.
        var locals = NameList<Int>()
        var nextLocal = 0

        /// These names with `name` a new local (shadowing any other binding of it).
        func binding(local name: String) -> (Names, Int) {
            var n = self
            let i = n.nextLocal
            n.locals[name] = i
            n.nextLocal += 1
            return (n, i)
        }
    }

    /// Whether `compile` covers the form of `e` (it may still decline a name that turns out
    /// to be no function): what the planner can tell without an execution.
    static func mayCompile(_ e: Expr) -> Bool {
        switch e.kind {
        case .literal, .parameter, .variable: return true
        case .property(let base, _): return mayCompile(base)
        case .binary(_, let a, let b): return mayCompile(a) && mayCompile(b)
        case .not(let a), .isNull(let a, _), .labelCheck(let a, _): return mayCompile(a)
        case .list(let items): return items.allSatisfy(mayCompile)
        case .index(let a, let b): return mayCompile(a) && mayCompile(b)
        case .slice(let a, let lo, let hi): return mayCompile(a) && [lo, hi].allSatisfy { $0.map(mayCompile) ?? true }
        case .negate(let a): return mayCompile(a)
        case .map(let entries): return entries.allSatisfy { mayCompile($0.value) }
        case .caseExpr(let subject, let whens, let otherwise):
            return (subject.map(mayCompile) ?? true) && whens.allSatisfy { mayCompile($0.0) && mayCompile($0.1) }
                && (otherwise.map(mayCompile) ?? true)
        case .listComprehension(_, let l, let p, let proj):
            return mayCompile(l) && (p.map(mayCompile) ?? true) && (proj.map(mayCompile) ?? true)
        case .quantifier(_, _, let l, let p): return mayCompile(l) && mayCompile(p)
        case .reduce(_, let initial, _, let l, let body): return mayCompile(initial) && mayCompile(l) && mayCompile(body)
        case .mapProjection(_, let items):
            return items.allSatisfy { if case .literal(_, let x) = $0 { return mayCompile(x) }; return true }
        case .function(let name, _, let args):
            let lname = name.lowercased()
            if Expr.aggregateNames.contains(lname) || lname == "exists" { return false }
            if GraphFunction(lname) != nil, args.count != 1 { return false }
            return args.allSatisfy(mayCompile)
        default: return false
        }
    }

    /// Compiles each of `exprs`, or nil when one does not compile.
    static func compile<G: QueryGraph>(all exprs: [Expr], _ names: Names, _ ex: Executor<G>) -> [SlotExpr]? {
        var out: [SlotExpr] = []
        out.reserveCapacity(exprs.count)
        for e in exprs {
            guard let c = compile(e, names, ex) else { return nil }
            out.append(c)
        }
        return out
    }

    /// Compiles `e` for `ex`'s execution, or nil when it has a form not covered.
    static func compile<G: QueryGraph>(_ e: Expr, _ names: Names, _ ex: Executor<G>) -> SlotExpr? {
        switch e.kind {
        case .literal(let v): return .constant(v)
        case .parameter(let n): return ex.params[n].map { .constant($0) } ?? .missingParameter(n, e.pos)
        case .variable(let n):
            if let i = names.locals[n] { return .local(i) }
            if let i = names.nodes[n] { return .node(i) }
            if let s = names.relationships[n] { return .relationship(s) }
            if let i = names.row?.index(of: n) { return .slot(i) }
            return .outer(n)
        case .property(let base, let key): return compile(base, names, ex).map { .property($0, key, e.pos) }
        case .binary(let op, let a, let b):
            guard let x = compile(a, names, ex), let y = compile(b, names, ex) else { return nil }
            switch op {
            case .and, .or, .xor: return .logical(op, x, y, e.pos)
            default:
                if let l = x.operand, let r = y.operand { return .operands(op, l, r, e.pos) }
                return .binary(op, x, y, e.pos)
            }
        case .not(let a): return compile(a, names, ex).map { .not($0, e.pos) }
        case .isNull(let a, let negated): return compile(a, names, ex).map { .isNull($0, negated: negated) }
        case .labelCheck(let a, let labels): return compile(a, names, ex).map { .labelCheck($0, labels, e.pos) }
        case .list(let items):
            var out: [SlotExpr] = []
            for it in items { guard let x = compile(it, names, ex) else { return nil }; out.append(x) }
            return .list(out)
        case .index(let a, let b):
            guard let x = compile(a, names, ex), let y = compile(b, names, ex) else { return nil }
            return .index(x, y, e.pos)
        case .slice(let a, let lo, let hi):
            guard let x = compile(a, names, ex) else { return nil }
            var bounds: [SlotExpr?] = []
            for b in [lo, hi] {
                guard let b else { bounds.append(nil); continue }
                guard let y = compile(b, names, ex) else { return nil }
                bounds.append(y)
            }
            return .slice(x, bounds[0], bounds[1], e.pos)
        case .negate(let a): return compile(a, names, ex).map { .negate($0, e.pos) }
        case .map(let entries):
            guard let values = compile(all: entries.map(\.value), names, ex) else { return nil }
            return .map(entries.map(\.key), values)
        case .caseExpr(let subject, let whens, let otherwise):
            var c = Choice(subject: nil, whens: [], otherwise: nil)
            if let subject { guard let x = compile(subject, names, ex) else { return nil }; c.subject = x }
            for (w, t) in whens {
                guard let x = compile(w, names, ex), let y = compile(t, names, ex) else { return nil }
                c.whens.append((x, y))
            }
            if let otherwise { guard let x = compile(otherwise, names, ex) else { return nil }; c.otherwise = x }
            return .choice(c)
        case .listComprehension(let v, let l, let pred, let proj):
            guard let list = compile(l, names, ex) else { return nil }
            let (inner, i) = names.binding(local: v)
            var p: SlotExpr? = nil, q: SlotExpr? = nil
            if let pred { guard let x = compile(pred, inner, ex) else { return nil }; p = x }
            if let proj { guard let x = compile(proj, inner, ex) else { return nil }; q = x }
            return .iteration(Iteration(form: .comprehension(predicate: p, projection: q), element: i, list: list, listAt: l.pos, at: e.pos))
        case .quantifier(let kind, let v, let l, let pred):
            guard let list = compile(l, names, ex) else { return nil }
            let (inner, i) = names.binding(local: v)
            guard let p = compile(pred, inner, ex) else { return nil }
            return .iteration(Iteration(form: .quantifier(kind, predicate: p, at: pred.pos), element: i, list: list, listAt: l.pos, at: e.pos))
        case .reduce(let acc, let initial, let v, let l, let body):
            guard let first = compile(initial, names, ex), let list = compile(l, names, ex) else { return nil }
            // the accumulator in one local, the element in the next (an element named like the
            // accumulator hides it, as in the evaluator, which binds the element second)
            let (withAcc, a) = names.binding(local: acc)
            let (inner, i) = withAcc.binding(local: v)
            precondition(i == a + 1)
            guard let b = compile(body, inner, ex) else { return nil }
            return .iteration(Iteration(form: .reduce(initial: first, body: b, nests: body.mayNestValues), element: i, list: list,
                                        listAt: l.pos, at: e.pos))
        case .mapProjection(let v, let items):
            guard let base = compile(Expr(.variable(v), e.pos), names, ex) else { return nil }
            var out: [ProjectionItem] = []
            for it in items {
                switch it {
                case .property(let k): out.append(.property(k))
                case .allProperties: out.append(.allProperties)
                case .variable(let x):
                    guard let y = compile(Expr(.variable(x), e.pos), names, ex) else { return nil }
                    out.append(.value(x, y))
                case .literal(let k, let x):
                    guard let y = compile(x, names, ex) else { return nil }
                    out.append(.value(k, y))
                }
            }
            return .mapProjection(base, out, e.pos)
        case .function(let name, _, let args):
            let site = ex.callSite(name, args, e.pos)
            if let v = site.folded { return .constant(v) }
            var compiled: [SlotExpr] = []
            for a in args { guard let x = compile(a, names, ex) else { return nil }; compiled.append(x) }
            switch site.target {
            case .graph(let g) where args.count == 1: return .graphCall(g, site, compiled[0], e.pos)
            case .registry:
                // a pure function of constants (date($from)) is evaluated now, once; if that
                // fails, the error comes when (and if) a row evaluates it
                let constants = compiled.compactMap { if case .constant(let c) = $0 { return c }; return nil }
                if site.foldable, constants.count == compiled.count, let v = try? ex.registryCallChecked(site, constants, e.pos) {
                    return .constant(v)
                }
                return .call(site, compiled, e.pos)
            default: return nil  // aggregates, exists(), unknown names: the general path says what is wrong
            }
        default: return nil
        }
    }
}

extension Executor {
    /// The call site of a function call of the text (resolved on first use, see CallSite).
    func callSite(_ name: String, _ args: [Expr], _ pos: SourcePosition) -> CallSite {
        if let s = callSites[pos.offset], s.name == name { return s }
        let s = CallSite(name: name, args: args, functions: functions)
        callSites[pos.offset] = s
        return s
    }

    /// Evaluates a compiled filter with the matcher's slots and the row it matches for.
    func eval(_ e: SlotExpr, _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws -> QueryValue {
        switch e {
        case .constant(let v): return v
        case .missingParameter(let n, let pos):
            throw QueryError(.parameterMissing, "MissingParameter", "the parameter $\(n) was not given a value; pass it with the query", at: pos)
        case .node(let i): let n = nodeIDs[i]; return n < 0 ? .null : .node(n)
        case .relationship(let s): let r = relIDs[s]; return r < 0 ? .null : .relationship(r)
        case .outer(let n): return row[n] ?? .null
        case .slot(let i): return row.value(at: i) ?? .null
        case .property(let base, let key, let pos): return try property(try eval(base, nodeIDs, relIDs, row), key, pos)
        case .logical(let op, let a, let b, let pos):
            let x = try truth(op, eval(a, nodeIDs, relIDs, row), pos)
            return logical(op, x, try truth(op, eval(b, nodeIDs, relIDs, row), pos))
        case .binary(let op, let a, let b, let pos):
            return try binaryValues(op, try eval(a, nodeIDs, relIDs, row), try eval(b, nodeIDs, relIDs, row), pos)
        case .not(let a, let pos): return try not(try eval(a, nodeIDs, relIDs, row), pos)
        case .isNull(let a, let negated): return .bool(try eval(a, nodeIDs, relIDs, row).isNull != negated)
        case .labelCheck(let a, let labels, let pos): return try labelCheck(try eval(a, nodeIDs, relIDs, row), labels, pos)
        case .list(let items): return .list(try items.map { try eval($0, nodeIDs, relIDs, row) })
        case .graphCall(let g, let site, let a, let pos): return try graphCall(g, site, try eval(a, nodeIDs, relIDs, row), pos)
        case .call(let site, let args, let pos):
            if let v = site.folded { return v }
            return try registryCallChecked(site, try args.map { try eval($0, nodeIDs, relIDs, row) }, pos)
        case .operands(let op, let a, let b, let pos):
            return try binaryValues(op, try value(a, nodeIDs, relIDs, row, pos), try value(b, nodeIDs, relIDs, row, pos), pos)
        case .local(let i): return locals[i]
        case .index(let a, let b, let pos): return try index(try eval(a, nodeIDs, relIDs, row), try eval(b, nodeIDs, relIDs, row), pos)
        case .slice(let a, let lo, let hi, let pos): return try evalSlice(a, lo, hi, pos, nodeIDs, relIDs, row)
        case .negate(let a, let pos): return try negate(try eval(a, nodeIDs, relIDs, row), pos)
        case .map(let keys, let values): return try evalMap(keys, values, nodeIDs, relIDs, row)
        case .choice(let c): return try eval(c, nodeIDs, relIDs, row)
        case .iteration(let it): return try eval(it, nodeIDs, relIDs, row)
        case .mapProjection(let b, let items, let pos): return try evalProjection(b, items, pos, nodeIDs, relIDs, row)
        }
    }

    // (the forms below are evaluated out of line: written out in `eval` they grew its frame,
    // which every filter of the matcher pays on each call)
    @inline(never) func evalSlice(_ a: SlotExpr, _ lo: SlotExpr?, _ hi: SlotExpr?, _ pos: SourcePosition,
                                  _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws -> QueryValue {
        let b = try eval(a, nodeIDs, relIDs, row)
        return try slice(b, try lo.map { try eval($0, nodeIDs, relIDs, row) }, try hi.map { try eval($0, nodeIDs, relIDs, row) }, pos)
    }

    @inline(never) func evalMap(_ keys: [String], _ values: [SlotExpr],
                                _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws -> QueryValue {
        var m: [String: QueryValue] = [:]
        for (k, v) in zip(keys, values) { m[k] = try eval(v, nodeIDs, relIDs, row) }
        return .map(m)
    }

    @inline(never) func evalProjection(_ b: SlotExpr, _ items: [SlotExpr.ProjectionItem], _ pos: SourcePosition,
                                       _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws -> QueryValue {
        let base = try eval(b, nodeIDs, relIDs, row)
        if base.isNull { return .null }
        var m: [String: QueryValue] = [:]
        for it in items {
            switch it {
            case .property(let k): m[k] = try property(base, k, pos)
            case .allProperties: try addAllProperties(of: base, to: &m, pos)
            case .value(let k, let v): m[k] = try eval(v, nodeIDs, relIDs, row)
            }
        }
        return .map(m)
    }

    @inline(never) func eval(_ c: SlotExpr.Choice, _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws -> QueryValue {
        if let s = c.subject {
            let sv = try eval(s, nodeIDs, relIDs, row)
            for (w, t) in c.whens where sv.equals(try eval(w, nodeIDs, relIDs, row)) == true { return try eval(t, nodeIDs, relIDs, row) }
        } else {
            for (w, t) in c.whens where try eval(w, nodeIDs, relIDs, row) == .bool(true) { return try eval(t, nodeIDs, relIDs, row) }
        }
        return try c.otherwise.map { try eval($0, nodeIDs, relIDs, row) } ?? .null
    }

    /// A comprehension, quantifier or reduce: each element goes in its local (the locals it
    /// uses are put back afterwards, so an evaluation inside another one leaves it whole).
    @inline(never) func eval(_ it: SlotExpr.Iteration, _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws -> QueryValue {
        var accumulator = QueryValue.null
        if case .reduce(let initial, _, _) = it.form { accumulator = try eval(initial, nodeIDs, relIDs, row) }
        guard let list = try iterated(try eval(it.list, nodeIDs, relIDs, row), it.form.what, it.listAt) else { return .null }
        let k = it.element
        while locals.count <= k { locals.append(.null) }
        let isReduce: Bool
        if case .reduce = it.form { isReduce = true } else { isReduce = false }
        let saved = locals[k], savedAccumulator = isReduce ? locals[k - 1] : .null
        defer { locals[k] = saved; if isReduce { locals[k - 1] = savedAccumulator } }
        switch it.form {
        case .comprehension(let pred, let proj):
            var out: [QueryValue] = []
            for x in list {
                try tick()
                locals[k] = x
                if let p = pred, try eval(p, nodeIDs, relIDs, row) != .bool(true) { continue }
                out.append(try proj.map { try eval($0, nodeIDs, relIDs, row) } ?? x)
                if out.count & 0x3FF == 0 { try checkValue(out.count * QueryMemory.valueBytes, "a list of \(out.count) values", it.at) }
            }
            return .list(out)
        case .quantifier(let q, let pred, let at):
            var tally = QuantifierTally()
            for x in list {
                locals[k] = x
                try tally.add(try eval(pred, nodeIDs, relIDs, row), q, at)
            }
            return tally.result(q, of: list.count)
        case .reduce(_, let body, let nests):
            let checks = nests && list.count > 64
            for (i, x) in list.enumerated() {
                try tick()
                locals[k - 1] = accumulator
                locals[k] = x
                accumulator = try eval(body, nodeIDs, relIDs, row)
                if checks, i & 63 == 63 { try checkReduceNesting(accumulator, it.at) }
            }
            return accumulator
        }
    }

    @inline(__always) func value(_ o: SlotExpr.Operand, _ nodeIDs: UnsafeMutablePointer<Int>, _ relIDs: UnsafeMutablePointer<Int>, _ row: Row, _ pos: SourcePosition) throws -> QueryValue {
        switch o {
        case .constant(let v): return v
        case .node(let i): let n = nodeIDs[i]; return n < 0 ? .null : .node(n)
        case .nodeID(let i): let n = nodeIDs[i]; return n < 0 ? .null : .int(n)
        case .relationship(let s): let r = relIDs[s]; return r < 0 ? .null : .relationship(r)
        case .nodeProperty(let i, let key, let at): let n = nodeIDs[i]; return n < 0 ? .null : try property(.node(n), key, at)
        case .relationshipProperty(let s, let key, let at): let r = relIDs[s]; return r < 0 ? .null : try property(.relationship(r), key, at)
        case .relationshipFunction(let g, let name, let s, let at):
            let r = relIDs[s]
            return r < 0 ? .null : try graphFunction(g, name, .relationship(r), at) ?? .null
        case .outer(let n): return row[n] ?? .null
        case .slot(let i): return row.value(at: i) ?? .null
        case .slotProperty(let i, let key, let at): return try slotProperty(row, i, key, at)
        }
    }

    /// A property of what slot `i` of the row holds. Kept out of `value`, which the matcher's
    /// filters inline at every candidate: with this case written out in it, it was no longer
    /// inlined (d.pattern +2.7 % instructions, callgrind).
    @inline(never) func slotProperty(_ row: Row, _ i: Int, _ key: String, _ at: SourcePosition) throws -> QueryValue {
        guard let v = row.value(at: i) else { return .null }
        return try property(v, key, at)
    }
}
