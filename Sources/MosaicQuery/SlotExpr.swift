import Foundation

/// A MATCH filter compiled against the slots of the pattern being matched (issue 16): a
/// variable of the pattern reads the matcher's node or relationship slot instead of a row
/// dictionary, call sites are resolved once, parameters and folded calls are constants.
/// Evaluation reuses the evaluator's value-level operations (`binaryValues`, `property`,
/// `graphCall`, …), so the language's rules live in one place.
///
/// Compiled by `SlotExpr.compile` once per execution and pattern part (call sites belong to
/// an execution; MatchSlots keeps the result for the part's later rows); nil when the expression has a form not covered here (subqueries, patterns,
/// comprehensions, CASE, …), and the matcher then binds rows as before (the general path).
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
