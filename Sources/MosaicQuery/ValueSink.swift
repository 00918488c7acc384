/// Rows as slots between a MATCH and the RETURN after it (issue 16): when the RETURN only
/// lists values (no aggregate, DISTINCT, ORDER BY, SKIP or LIMIT), the matcher writes each
/// match's row of values straight from its slots, instead of a row dictionary per match that
/// the RETURN then reads by name. Used by `Executor.runSingle` for a MATCH of one pattern
/// part anchored by a scan, with no WHERE left over, receiving one row, outside PROFILE; `Executor.matchPart`
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

    /// The sink for the MATCH `pattern` (planned as `cp`) followed by `next` (planned as
    /// `plan`), or nil when the RETURN needs the matches as rows.
    static func make(_ pattern: Pattern, _ cp: ClausePlan, next: Clause?, plan: ClausePlan?, rows: [Row], optional: Bool,
                     predicate: Expr?, enabled: Bool) -> ValueSink? {
        // (a pattern anchored by an index lookup makes a row or a few: setting up the slots and
        // compiling the items cost more there than the rows they save, +1 µs on b.lookup)
        guard enabled, !optional, pattern.count == 1, rows.count == 1, let next, case .returns(let proj) = next,
              let pp = plan?.projection, pp.isPlainList(proj), cp.pushedDown ? cp.residual == nil : predicate == nil,
              pattern[0].pathVariable == nil, pattern[0].shortest == 0, cp.parts?.first?.access.isScan == true else { return nil }
        return ValueSink(part: pattern[0].pos.offset, items: pp.items.map(\.expr))
    }
}
