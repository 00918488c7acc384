/// Rows as slots between a MATCH and the RETURN after it (issue 16): when the RETURN only
/// lists values (no aggregate, DISTINCT, ORDER BY, SKIP or LIMIT), the matcher writes each
/// match's row of values straight from its slots, instead of a row dictionary per match that
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
    var rows: [[QueryValue]] = []
    /// Whether the matcher made the rows here.
    var taken = false

    init(part: Int, items: [Expr]) { self.part = part; self.items = items }

    /// Whether the MATCH `ci` (its `pattern` planned as `plan`, with `rest` of its WHERE
    /// left over) may make the rows of the RETURN after it: one pattern part anchored by a
    /// scan, and a RETURN that only lists values. (An index lookup makes a row or a few:
    /// setting up the slots and compiling the items cost more there than the rows they save,
    /// +1 µs on b.lookup.) The planner decides it (`ClausePlan.returnsFromSlots`).
    static func applies(_ ast: QueryAST, _ pi: Int, _ ci: Int, _ pattern: Pattern, _ plan: PartPlan?, optional: Bool, rest: Expr?) -> Bool {
        guard !optional, rest == nil, pattern.count == 1, pattern[0].pathVariable == nil, pattern[0].shortest == 0,
              plan?.access.isScan == true, ci + 1 < ast.parts[pi].clauses.count,
              case .returns(let p) = ast.parts[pi].clauses[ci + 1] else { return false }
        return !p.distinct && p.order.isEmpty && p.skip == nil && p.limit == nil && !p.items.contains { $0.expr.containsAggregate }
    }
}
