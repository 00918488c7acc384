/// Rows as slots between a MATCH and the RETURN after it (issue 16): when the RETURN lists
/// values (no aggregate; DISTINCT, an ORDER BY on its columns, SKIP and LIMIT are applied to
/// the values after: `returnRows`), the matcher writes each match's row of values straight
/// from its slots, instead of a row dictionary per match that
/// the RETURN then reads by name. Used by `Executor.runSingle` where the plan says so
/// (`applies`), for a MATCH receiving one row, outside PROFILE; `Executor.matchPart`
/// takes it when every item compiles against the part's slots (`SlotExpr`), and otherwise
/// makes the rows as before (`taken` stays false). `SlotMatchingTests` compares the answers
/// with the general path.
final class ValueSink {
    /// The pattern part's source offset (a subquery's MATCH inside this one is another part).
    let part: Int
    /// The RETURN's items (with `*` expanded).
    let items: [Expr]
    /// (appended per match: exclusivity unchecked, as the executor's state)
    @exclusivity(unchecked) var rows: [[QueryValue]] = []
    /// Whether the matcher made the rows here (then it made all of them: a call whose items do
    /// not compile evaluates them on the row it made), and whether some were made from slots.
    var taken = false
    var fromSlots = false
    /// The last compilation, by the variables the row bound (`MatchSlots.outer`): a MATCH
    /// receiving several rows compiles once for all of them.
    private var cached: (outer: UInt64, items: [SlotExpr]?)?

    init(part: Int, items: [Expr]) { self.part = part; self.items = items }

    /// The items compiled against the part's slots, or nil when one does not compile.
    func compiled<G: QueryGraph>(for slots: MatchSlots, _ ex: Executor<G>) -> [SlotExpr]? {
        if slots.outerIsExact, let c = cached, c.outer == slots.outer { return c.items }
        var out: [SlotExpr]? = []
        for e in items {
            guard let c = SlotExpr.compile(e, slots.names, ex) else { out = nil; break }
            out!.append(c)
        }
        if slots.outerIsExact { cached = (slots.outer, out) }
        return out
    }

    /// Whether the MATCH `ci` (its `pattern` planned as `plan`, with `rest` of its WHERE
    /// left over) may make the rows of the RETURN after it: one pattern part anchored by a
    /// scan or with a relationship to expand, and a RETURN of values (the executor checks its
    /// ORDER BY: `valuesSuffice`). (A lone node found by an index lookup or bound by an earlier
    /// clause is a row: setting up the slots and compiling the items cost more there than the
    /// row they save, +1 µs on b.lookup.) The planner decides it (`ClausePlan.returnsFromSlots`).
    static func applies(_ ast: QueryAST, _ pi: Int, _ ci: Int, _ pattern: Pattern, _ plan: PartPlan?, optional: Bool, rest: Expr?) -> Bool {
        guard !optional, rest == nil, pattern.count == 1, pattern[0].pathVariable == nil, pattern[0].shortest == 0,
              plan?.access.isScan == true || !pattern[0].steps.isEmpty, ci + 1 < ast.parts[pi].clauses.count,
              case .returns(let p) = ast.parts[pi].clauses[ci + 1] else { return false }
        return !p.items.contains { $0.expr.containsAggregate }
    }

    /// Whether the RETURN's rows follow from its values alone: DISTINCT, and an ORDER BY that
    /// names its columns (not other expressions of the MATCH's variables), SKIP and LIMIT.
    static func valuesSuffice(_ plan: ProjectionPlan) -> Bool {
        plan.sortExprs.allSatisfy { if case .variable(let n) = $0.kind { return plan.columns.contains(n) }; return false }
    }
}

extension Executor {
    /// The RETURN's rows from the rows of values a ValueSink made: DISTINCT, ORDER BY (on
    /// columns), SKIP and LIMIT applied to the values, as `project` applies them to rows.
    func returnRows(_ values: [[QueryValue]], _ proj: Projection, _ plan: ProjectionPlan) throws -> [[QueryValue]] {
        var values = values
        if proj.distinct {
            var seen = Set<GroupKeys>(minimumCapacity: values.count)
            values = values.filter { seen.insert(GroupKeys(values: $0)).inserted }
        }
        guard !proj.order.isEmpty || proj.skip != nil || proj.limit != nil else { return values }
        let columns = plan.sortExprs.map { e -> Int in
            if case .variable(let n) = e.kind, let c = plan.columns.firstIndex(of: n) { return c }
            preconditionFailure("ValueSink.valuesSuffice admits ORDER BY on columns only")
        }
        let skip = try proj.skip.map { try countArgument($0, "SKIP") }
        let limit = try proj.limit.map { try countArgument($0, "LIMIT") }
        return Self.ordered(values.count, ascending: proj.order.map(\.ascending), skip: skip, limit: limit) { values[$0][columns[$1]] }
            .map { values[$0] }
    }
}
