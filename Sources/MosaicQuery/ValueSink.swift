/// Rows as slots between a MATCH and the RETURN or WITH after it (issue 16): when the
/// projection lists values (no aggregate; DISTINCT, an ORDER BY on its columns, SKIP and
/// LIMIT are applied to the values after: `returnRows`), the matcher writes each match's row
/// of values straight from its slots, instead of a `Row` per match that the
/// projection then reads by name. A WITH makes its rows of its columns from those values
/// (its WHERE, which then may read only its columns, filters them).
/// Used by `Executor.runSingle` where the plan says so (`applies`, `Planner.matchSink`),
/// under PROFILE too; `Executor.matchPart` computes the values from the slots when every item
/// compiles against them (`SlotExpr`, once per set of variables the MATCH's rows bind:
/// `KeptCompilation`), and otherwise evaluates the items on each match's row.
/// `SlotMatchingTests` compares the answers with the general path.
final class ValueSink {
    /// The pattern part's source offset (a subquery's MATCH inside this one is another part).
    let part: Int
    /// The RETURN's or WITH's items (with `*` expanded).
    let items: [Expr]
    /// (appended per match: exclusivity unchecked, as the executor's state)
    @exclusivity(unchecked) var rows: [[QueryValue]] = []
    /// Whether some of the rows were made from the slots (for tests; the matcher makes all
    /// of them here, evaluating items on each match's row where they do not compile).
    var fromSlots = false
    @exclusivity(unchecked) private var kept = KeptCompilation<[SlotExpr]>()

    init(part: Int, items: [Expr]) { self.part = part; self.items = items }

    /// Adds a row of values, charged to the query's memory.
    @inline(__always) func append<G: QueryGraph>(_ values: [QueryValue], _ ex: Executor<G>) throws {
        try ex.charge(QueryMemory.valueBytes * (values.count + 1), "rows of MATCH")
        rows.append(values)
    }

    /// The items compiled against the part's slots, or nil when one does not compile.
    func compiled<G: QueryGraph>(for slots: MatchSlots, _ ex: Executor<G>) -> [SlotExpr]? {
        kept.value(for: slots) { SlotExpr.compile(all: items, slots.names, ex) }
    }

    /// Whether the MATCH `ci` (its `pattern` planned as `plan`, with `rest` of its WHERE
    /// left over) may make the rows of the RETURN or WITH after it (OPTIONAL too: a row that
    /// matches nothing gives its values with nulls, `Executor.execMatch`): one pattern part anchored
    /// by a scan or with a relationship to expand, and a projection of values (the planner
    /// then checks that its ORDER BY names columns, `ProjectionPlan.sortColumns`, and that a
    /// WITH's WHERE reads only its columns: `Planner.matchSink`). (A lone node found by an
    /// index lookup or bound by an earlier clause is a row: setting up the slots and
    /// compiling the items cost more there than the row they save, +1 µs on b.lookup.)
    /// EXPLAIN marks the projection.
    static func applies(_ ast: QueryAST, _ pi: Int, _ ci: Int, _ pattern: Pattern, _ plan: PartPlan?, rest: Expr?) -> Bool {
        guard rest == nil, pattern.count == 1, pattern[0].pathVariable == nil, pattern[0].shortest == 0,
              !pattern[0].steps.contains(where: { $0.rel.range != nil }),  // (no slots for a variable length: MatchSlots)
              plan?.access.isScan == true || !pattern[0].steps.isEmpty, ci + 1 < ast.parts[pi].clauses.count,
              let p = AggregateSink.projection(ast.parts[pi].clauses[ci + 1]) else { return false }
        return !p.items.contains { $0.expr.containsAggregate }
    }
}

extension Executor {
    /// The RETURN's rows from the rows of values a ValueSink made: DISTINCT, then ORDER BY (on
    /// columns: the plan's `sortColumns`), SKIP and LIMIT applied to the values, as `project`
    /// applies them to rows.
    func returnRows(_ values: [[QueryValue]], _ proj: Projection, _ sortColumns: [Int]) throws -> [[QueryValue]] {
        var values = values
        if proj.distinct {
            var seen = Set<GroupKeys>(minimumCapacity: values.count)
            values = values.filter { seen.insert(GroupKeys(values: $0)).inserted }
        }
        return try orderedValues(values, proj, sortColumns)
    }
}
