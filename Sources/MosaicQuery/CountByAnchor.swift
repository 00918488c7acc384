/// The operator that runs the plans of the `GroupedCountAnchor` rewrite (issue 15's query,
/// `MATCH (a:Aircraft)-[:FLEW_TO]->(b:Base) RETURN b.name, count(*)`): it scans the anchor's
/// label, counts each anchor's matching relationships in its type's run
/// (`Executor.countLastHop`), and adds the count to the group of the anchor's keys, which are
/// read through a slot (SlotExpr). It makes no row per anchor and does not go through the
/// general matcher, whose per-node bookkeeping (the row written and erased, the eligibility
/// of the counted hop decided again for each node, the keys evaluated against a dictionary)
/// cost about three times the counting at a million entities.
///
/// It takes the same plan the general matcher would (the EXPLAIN tree is unchanged:
/// NodeByLabelScan, Expand, AggregateResults) and answers the same; `CountByAnchorTests`
/// runs queries both ways. Used by `Executor.runSingle` for a MATCH that receives one row
/// binding nothing (the query's first clause, or after one whose variables are not read
/// again); PROFILE runs the general matcher, which counts each stage's rows.
extension Executor {
    /// Runs `part` into `agg` when it has the operator's shape; false (nothing done) when it
    /// does not and the general matcher must.
    func countByAnchor(_ part: PatternPart, _ plan: PartPlan?, _ agg: Aggregator, _ rows: [Row]) throws -> Bool {
        guard countByAnchorEnabled, opRows.isEmpty, rows.count == 1, rows[0].isEmpty, let plan,
              part.steps.count == 1, part.pathVariable == nil, part.shortest == 0,
              plan.order.count == 1, !plan.filtered.any, !plan.relFiltered.any, plan.access.isScan,
              plan.nodes.count == 2 else { return false }
        let rp = part.steps[0].rel
        guard rp.range == nil, rp.properties == nil else { return false }
        let a = plan.anchor, far = 1 - a
        let np = plan.nodes[a], fp = plan.nodes[far]
        guard let anchorVar = np.variable, fp.properties == nil, !agg.plan.keyIndices.isEmpty else { return false }
        // the keys read the anchor only (not the far end, the relationship or anything else)
        var read = Set<String>()
        for i in agg.plan.keyIndices { agg.plan.items[i].expr.freeVariables(into: &read) }
        guard read == [anchorVar], fp.variable != anchorVar, rp.variable != anchorVar else { return false }
        var names = SlotExpr.Names()
        names.nodes[anchorVar] = 0
        var keys: [SlotExpr] = []
        for i in agg.plan.keyIndices {
            guard let k = SlotExpr.compile(agg.plan.items[i].expr, names, self) else { return false }
            keys.append(k)
        }

        let gv = graph
        let props = try evalProps(np.properties, [:])
        // a label scan of the anchor's only label needs no check of its nodes
        let checkAnchor = props != nil || np.labels.count != 1
        var dir = rp.direction
        if a == 1 { dir = dir == .outgoing ? .incoming : dir == .incoming ? .outgoing : .both }
        let slot = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        slot.initialize(to: -1)
        let noRelationships = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        noRelationships.initialize(to: -1)
        defer { slot.deallocate(); noRelationships.deallocate() }
        countByAnchorRuns += 1
        agg.anchorVariable = anchorVar
        let single = keys.count == 1
        var values: [QueryValue] = []
        for n in try anchorCandidates(np, plan.access, [:]) {
            try tick()
            if checkAnchor, !nodeMatches(gv, np, n, props, bound: nil) { continue }
            let c = countLastHop(gv, from: n, dir: dir, types: rp.types, labels: fp.labels)
            if c == 0 { continue }
            try tick(c)
            slot.pointee = n
            if single {
                try agg.addCount(key: eval(keys[0], slot, noRelationships, [:]), times: c, node: n)
            } else {
                values.removeAll(keepingCapacity: true)
                for k in keys { values.append(try eval(k, slot, noRelationships, [:])) }
                try agg.addCount(keys: values, times: c, node: n)
            }
        }
        return true
    }
}
