/// A planner rewrite: a one-hop pattern whose rows only feed `count(*)` grouped by values of
/// one of its ends is anchored at that end. The executor then counts the other end's matches
/// per anchor node without making a row each (`Executor.countLastHop`): `MATCH (a:Aircraft)
/// -[:FLEW_TO]->(b:Base) RETURN b.name, count(*)` visits each base once and counts its
/// incoming flights, instead of a row per flight grouped by the base's name. Uses the
/// pattern, the projection that follows it and `Planner.complete`.
enum GroupedCountAnchor {
    /// The plan anchored at the grouping end (`plan` itself when it already is), or nil when
    /// the rewrite does not apply (then the planner's own choice stands).
    static func rewrite(_ part: PatternPart, _ plan: PartPlan, next: ProjectionPlan?, bound: Set<String>) -> PartPlan? {
        guard let next, let end = groupingEnd(part, plan, next: next, bound: bound) else { return nil }
        return end == plan.anchor ? plan : Planner.complete(anchor: end, access: .labelOrScan, part)
    }

    /// The end (0 or 1) the projection's keys read, when the rows feed only `count(*)`, the
    /// pattern is one fixed-length hop scanned (not looked up) at its anchor, the keys read
    /// that end (and nothing of the other end or the relationship) and the other end has no
    /// property test the count would skip.
    static func groupingEnd(_ part: PatternPart, _ plan: PartPlan, next: ProjectionPlan, bound: Set<String>) -> Int? {
        guard onlyCountsRows(next), !next.keyIndices.isEmpty, part.steps.count == 1, part.pathVariable == nil, part.shortest == 0,
              part.steps[0].rel.range == nil, part.steps[0].rel.properties == nil, plan.access.isScan else { return nil }
        let keys = keyNames(next)
        for end in 0...1 {
            let near = part.node(end), far = part.node(1 - end)
            guard let v = near.variable, !bound.contains(v), !near.labels.isEmpty, keys.contains(v) else { continue }
            if let f = far.variable, bound.contains(f) || keys.contains(f) { continue }
            if let r = part.steps[0].rel.variable, bound.contains(r) || keys.contains(r) { continue }
            guard far.properties == nil else { continue }
            return end
        }
        return nil
    }

    /// The names the projection's grouping keys and its ORDER BY read (an ORDER BY name that
    /// is one of the projection's columns is that column, not a variable).
    static func keyNames(_ p: ProjectionPlan) -> Set<String> {
        var keys = Set<String>()
        for i in p.keyIndices { p.items[i].expr.freeVariables(into: &keys) }
        var sorted = Set<String>()
        for e in p.sortExprs { e.freeVariables(into: &sorted) }
        return keys.union(sorted.subtracting(p.columns))
    }

    /// Whether every aggregate of the projection is `count(*)`.
    static func onlyCountsRows(_ p: ProjectionPlan) -> Bool {
        p.hasAggregates && p.aggregates.allSatisfy { if case .countStar = $0.kind { return true }; return false }
    }
}
