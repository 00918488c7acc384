/// Expressions an operator evaluates on each of its input rows, compiled against the rows'
/// slots (issue 16): a WITH's or RETURN's items and ORDER BY keys, a WITH's WHERE, the filter a
/// MATCH checks on each match's row, an aggregation's keys and arguments. The rows an operator takes share one layout (Row, RowLayout), so the
/// expressions are compiled once, for the first row's layout (`SlotExpr.compile` with
/// `Names.row`): a variable reads its slot by index, not its name; parameters, folded calls
/// and call sites are settled once; a comprehension's, quantifier's or reduce's own variable
/// is a local (`SlotExpr.local`). A row in another layout, or an expression of a form
/// SlotExpr does not cover (subqueries, patterns, pattern comprehensions),
/// is evaluated by the evaluator, by name; the operator's other expressions still compile.
/// Uses: SlotExpr (compile and evaluate), Row, Executor (the evaluator).
final class RowProgram {
    let exprs: [Expr]
    /// The layout compiled for (nil until the first row with one), and the program: every
    /// expression compiled (`compiled`), or, when only some compiled, each one or nil where it
    /// did not (`someCompiled`: the evaluator evaluates that one). Two arrays so that the
    /// common case reads its expressions without unwrapping a copy of each.
    /// (Read per row: not checked for exclusivity at run time, as the executor's state.)
    @exclusivity(unchecked) private var layout: RowLayout?
    @exclusivity(unchecked) private var compiled: [SlotExpr]?
    @exclusivity(unchecked) private var someCompiled: [SlotExpr?]?
    /// The matcher slots a compiled expression is evaluated with: none is read (the
    /// expressions were compiled without a pattern's names). Made with the program.
    @exclusivity(unchecked) private var noSlots = UnsafeMutablePointer<Int>(bitPattern: 0)

    init(_ exprs: [Expr]) { self.exprs = exprs }

    deinit { noSlots?.deallocate() }

    /// Expression `i`'s value on `row`.
    @inline(__always) func value<G>(_ i: Int, _ row: Row, _ ex: Executor<G>) throws -> QueryValue {
        if let c = program(row, ex) {
            ex.programRows += 1
            return try ex.eval(c[i], noSlots!, noSlots!, row)
        }
        if row.layout === layout, let some = someCompiled, let e = some[i] {
            ex.programRows += 1
            return try ex.eval(e, noSlots!, noSlots!, row)
        }
        return try ex.eval(exprs[i], row)
    }

    /// Every expression's value on `row`, in order.
    func values<G>(_ row: Row, _ ex: Executor<G>) throws -> [QueryValue] {
        var out: [QueryValue] = []
        out.reserveCapacity(exprs.count)
        if let c = program(row, ex) {
            ex.programRows += 1
            let none = noSlots!
            for e in c { out.append(try ex.eval(e, none, none, row)) }
        } else if row.layout === layout, let some = someCompiled {
            ex.programRows += 1
            let none = noSlots!
            for (i, e) in some.enumerated() {
                if let e { out.append(try ex.eval(e, none, none, row)) } else { out.append(try ex.eval(exprs[i], row)) }
            }
        } else {
            for e in exprs { out.append(try ex.eval(e, row)) }
        }
        return out
    }

    /// Whether expression `i` is true on `row` (a WHERE: null and false are not).
    @inline(__always) func isTrue<G>(_ i: Int, _ row: Row, _ ex: Executor<G>) throws -> Bool {
        try ex.isTrue(value(i, row, ex))
    }

    /// The compiled expressions when `row` is in the layout they were compiled for (the
    /// first row's) and every one compiled, else nil (see `someCompiled`).
    @inline(__always) private func program<G>(_ row: Row, _ ex: Executor<G>) -> [SlotExpr]? {
        guard let l = row.layout else { return nil }
        if l === layout { return compiled }
        guard layout == nil, ex.slotsEnabled else { return nil }
        layout = l
        let names = SlotExpr.Names(row: l)
        let each = exprs.map { SlotExpr.compile($0, names, ex) }
        if each.allSatisfy({ $0 != nil }) {
            compiled = each.map { $0! }
        } else if each.contains(where: { $0 != nil }) {
            someCompiled = each
        }
        if compiled != nil || someCompiled != nil {
            let none = UnsafeMutablePointer<Int>.allocate(capacity: 1)
            none.initialize(to: -1)
            noSlots = none
        }
        return compiled
    }
}
