/// How one execution of a pattern part keeps its bindings in slots (issue 16): the node and
/// relationship ids the matcher holds anyway, instead of a row dictionary written and erased
/// at every step. Its filters are compiled against the slots (SlotExpr); a row is made only
/// for a match that is emitted, and none at all for a match a lone `count(*)` counts.
///
/// Used by `Executor.matchPart` for planned parts whose filters all compile, whose new
/// variables are distinct, and whose relationships are single hops (variable-length steps
/// bind lists and keep the general path).
struct MatchSlots {
    /// `filters[k]` / `relFilters[k]`: the plan's filters, compiled.
    var filters: [[SlotExpr]] = []
    var relFilters: [[SlotExpr]] = []
    /// The row's value of each node's variable when the row binds it (the match must equal
    /// it); empty when the row binds none of them.
    var bound: [QueryValue?] = []
    /// Nodes and single-hop steps whose variables an emitted row gets.
    var nodesToBind = IndexMask()
    var relationshipsToBind = IndexMask()

    /// nil when the part needs the general path.
    init?<G: QueryGraph>(_ part: PatternPart, _ plan: PartPlan, _ row: Row, _ ex: Executor<G>) {
        if part.steps.contains(where: { $0.rel.range != nil }) { return nil }
        let nodes = plan.nodes
        for (i, np) in nodes.enumerated() {
            guard let v = np.variable else { continue }
            if !row.isEmpty, let b = row[v] {
                if bound.isEmpty { bound = Array(repeating: nil, count: nodes.count) }
                bound[i] = b
                continue
            }
            // a variable twice in the part: the general path compares the two
            if nodes[..<i].contains(where: { $0.variable == v }) { return nil }
            if !plan.unboundNodes[i] { nodesToBind.insert(i) }
        }
        for (s, step) in part.steps.enumerated() {
            guard let v = step.rel.variable, row.isEmpty || row[v] == nil else { continue }
            if nodes.contains(where: { $0.variable == v }) || part.steps[..<s].contains(where: { $0.rel.variable == v }) { return nil }
            if !plan.unboundRels[s] { relationshipsToBind.insert(s) }
        }
        guard !plan.filters.isEmpty || !plan.relFilters.isEmpty else { return }
        var names = SlotExpr.Names()
        for (i, np) in nodes.enumerated() { if let v = np.variable, bound.isEmpty || bound[i] == nil { names.nodes[v] = i } }
        for (s, step) in part.steps.enumerated() { if let v = step.rel.variable, row.isEmpty || row[v] == nil { names.relationships[v] = s } }
        func compiled(_ stages: [[Expr]]) -> [[SlotExpr]]? {
            var out: [[SlotExpr]] = []
            out.reserveCapacity(stages.count)
            for stage in stages {
                var c: [SlotExpr] = []
                for f in stage { guard let x = SlotExpr.compile(f, names, ex) else { return nil }; c.append(x) }
                out.append(c)
            }
            return out
        }
        guard let f = compiled(plan.filters), let r = compiled(plan.relFilters) else { return nil }
        filters = f
        relFilters = r
    }
}
