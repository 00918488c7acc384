/// The sink rewrite: where a MATCH hands its matches when the WITH or RETURN after it takes
/// them from the matcher's slots (rows of values: ValueSink.swift; keys and arguments of an
/// aggregation: AggregateSink.swift), decided once both clauses are planned. Used by
/// `Planner.plan`; the plan tree turns it into the MATCH's output (PlanTree.swift).
/// Uses: the clause plans (Planner.swift).

/// Where a MATCH hands its matches when the clause after it takes them from the matcher's
/// slots: `values` (ValueSink.swift), `aggregates` (AggregateSink.swift).
enum MatchSink: Sendable {
    case values, aggregates
    /// What EXPLAIN adds to the projection's operator.
    var explainMark: String {
        switch self {
        case .values: return "(rows of values from the match's slots)"
        case .aggregates: return "(keys and arguments from the match's slots)"
        }
    }
}

extension Planner {
    /// Whether the WITH or RETURN after a MATCH the binder's shape allows (`applies`) takes
    /// its matches from the slots, now that both are planned: not when the MATCH stops after
    /// its first rows (LIMIT pushed down), nor when it is counted (a count operator, or
    /// count(*)s counted at the last hop); values: the ORDER BY names columns, and a WITH's
    /// WHERE reads only its columns; an aggregation's groups are its rows, without
    /// percentiles (`AggregateSink.takes`).
    static func matchSink(_ match: ClausePlan.Fields, next: ClausePlan.Fields, _ clause: Clause) -> MatchSink? {
        guard let sink = match.sink, let pp = next.projection, match.firstRows == nil, match.counting == nil,
              let proj = AggregateSink.projection(clause) else { return nil }
        switch sink {
        case .values:
            guard pp.sortColumns != nil else { return nil }
            if case .with(_, let w?) = clause {
                // the WITH's WHERE is evaluated on the rows of its columns
                var names = Set<String>()
                w.freeVariables(into: &names)
                guard names.isSubset(of: pp.columns) else { return nil }
            }
            return sink
        case .aggregates:
            return !GroupedCountAnchor.onlyCountsRows(pp) && AggregateSink.takes(pp, proj) ? sink : nil
        }
    }
}
