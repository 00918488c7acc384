/// A planner rewrite: how the last expansion of a MATCH's only pattern runs, when what the
/// next clause does with the rows allows a shortcut (issue 16: decisions the executor used to
/// make on its own are part of the plan, so EXPLAIN shows them):
/// - `counted` (EXPLAIN: `CountExpand`): the rows only feed `count(*)`, so the last hop's
///   matches are counted per row, not made (`Executor.countLastHop`);
/// - `distinctEnds` (EXPLAIN: `VarLengthExpandDistinct`): the rows feed WITH/RETURN DISTINCT
///   and the last hop is variable-length, so each distinct end is found once, breadth first
///   (`Executor.reachable`), instead of every path to it.
/// The executor takes a shortcut only where the plan says so (and its own checks of the row
/// agree); `ShortcutEquivalenceTests` compare both against the general path. Uses the
/// pattern, its part plan (after the WHERE was pushed in), the variables in scope before the
/// MATCH and the projection after it.
enum LastHop: Sendable, Equatable {
    case enumerate
    case counted
    case distinctEnds

    /// The mode of `plan`'s last expansion for a MATCH whose only pattern is `part`, followed
    /// by an aggregating projection `aggregating`, or by a WITH/RETURN DISTINCT without
    /// aggregates (`distinct`), or by neither.
    static func choose(_ part: PatternPart, _ plan: PartPlan, aggregating: ProjectionPlan?, distinct: Bool, bound: Set<String>) -> LastHop {
        guard let last = plan.order.last, part.pathVariable == nil, part.shortest == 0 else { return .enumerate }
        let k = plan.order.count - 1, s = last.step
        let rp = part.steps[s].rel
        let target = last.forward ? s + 1 : s
        if rp.range == nil {
            // nothing is checked after the hop: no filter on its relationship or at its end
            guard let next = aggregating, GroupedCountAnchor.onlyCountsRows(next), plan.filters.count <= k + 1 || plan.filters[k + 1].isEmpty,
                  plan.relFilters.count <= k || plan.relFilters[k].isEmpty, rp.properties == nil else { return .enumerate }
            // the hop binds nothing anything reads: its relationship and end are new, not
            // grouping keys, and the end has no property to test
            let keys = next.keyIndices.isEmpty ? [] : GroupedCountAnchor.keyNames(next)
            let end = plan.nodes[target]
            guard end.properties == nil else { return .enumerate }
            for v in [rp.variable, end.variable].compactMap({ $0 }) {
                if bound.contains(v) || keys.contains(v) || occurrences(of: v, in: part) > 1 { return .enumerate }
            }
            return .counted
        }
        guard distinct, rp.range!.min <= 1 else { return .enumerate }
        // the relationships' list is not bound or read (`unboundRels`): only the ends matter
        // (filters at the end are checked on each end found)
        if let v = rp.variable, bound.contains(v) || !plan.unboundRels[s] { return .enumerate }
        return .distinctEnds
    }

    /// How many of the part's nodes and relationships name `v`.
    static func occurrences(of v: String, in part: PatternPart) -> Int {
        var n = part.node(0).variable == v ? 1 : 0
        for st in part.steps {
            if st.rel.variable == v { n += 1 }
            if st.node.variable == v { n += 1 }
        }
        return n
    }
}
