/// The operator that runs a one-hop MATCH whose rows only feed `count(*)`, alone or grouped
/// by values of the anchor (the plans of the `GroupedCountAnchor` rewrite, issue 15's
/// `MATCH (a:Aircraft)-[:FLEW_TO]->(b:Base) RETURN b.name, count(*)`; the benchmarks'
/// `MATCH (a {id: $id})-[]->(b) RETURN count(*)`): it takes the anchor's nodes (label scan or
/// index), counts each one's matching relationships in its type's run
/// (`Executor.countLastHop`), and adds the count to the total or to the group of the anchor's
/// keys, which are read through a slot (SlotExpr). It makes no row per anchor and does not go
/// through the general matcher, whose per-node bookkeeping (the row written and erased, the
/// eligibility of the counted hop decided again for each node, the keys evaluated against a
/// dictionary) cost about three times the counting at a million entities.
///
/// It takes the plan the general matcher would (the EXPLAIN tree is unchanged: the anchor's
/// scan or lookup, Expand, the aggregation) and answers the same; `CountByAnchorTests` runs
/// queries both ways. Used by `Executor.runSingle` for a MATCH that receives one row binding
/// nothing (the query's first clause, or after one whose variables are not read again);
/// PROFILE runs the general matcher, which counts each stage's rows.
extension Executor {
    /// Runs `part` into `agg` when it has the operator's shape; false (nothing done) when it
    /// does not and the general matcher must.
    func countByAnchor(_ part: PatternPart, _ plan: PartPlan?, _ agg: Aggregator, _ rows: [Row]) throws -> Bool {
        if try countFromCounts(part, plan, agg, rows) { return true }
        guard countByAnchorEnabled, opRows.isEmpty, rows.count == 1, rows[0].isEmpty, let plan,
              part.steps.count == 1, part.pathVariable == nil, part.shortest == 0,
              plan.order.count == 1, !plan.filtered.any, !plan.relFiltered.any, plan.nodes.count == 2 else { return false }
        if case .bound = plan.access { return false }
        let rp = part.steps[0].rel
        guard rp.range == nil, rp.properties == nil else { return false }
        let a = plan.anchor, far = 1 - a
        let np = plan.nodes[a], fp = plan.nodes[far]
        guard fp.properties == nil else { return false }
        if let v = np.variable, fp.variable == v || rp.variable == v { return false }
        // the keys read the anchor only (not the far end, the relationship or anything else)
        var keys: [SlotExpr] = []
        if !agg.plan.keyIndices.isEmpty {
            guard let v = np.variable else { return false }
            var read = Set<String>()
            for i in agg.plan.keyIndices { agg.plan.items[i].expr.freeVariables(into: &read) }
            guard read == [v] else { return false }
            var names = SlotExpr.Names()
            names.nodes[v] = 0
            for i in agg.plan.keyIndices {
                guard let k = SlotExpr.compile(agg.plan.items[i].expr, names, self) else { return false }
                keys.append(k)
            }
        }

        let gv = graph
        var props = try evalProps(np.properties, [:])
        var exactHits = false
        let candidates = try anchorCandidates(np, plan.access, [:], exact: &exactHits)
        if exactHits, case .property(let key, let e) = plan.access {
            // the index's hits have the property: it need not be compared again
            props = Executor.without(key, e, np.properties, props)
        }
        // a label scan of the anchor's only label, or an index's hits with nothing more to
        // check, need no check of their nodes
        let checkAnchor: Bool
        switch plan.access {
        case .labelOrScan: checkAnchor = props != nil || np.labels.count > 1
        default: checkAnchor = props != nil || !np.labels.isEmpty
        }
        var dir = rp.direction
        if a == 1 { dir = dir == .outgoing ? .incoming : dir == .incoming ? .outgoing : .both }
        countByAnchorRuns += 1
        if keys.isEmpty {
            // count(*) alone: one total
            var total = 0
            for n in candidates {
                try tick()
                if checkAnchor, !nodeMatches(gv, np, n, props, bound: nil) { continue }
                let c = countLastHop(gv, from: n, dir: dir, types: rp.types, labels: fp.labels)
                try tick(c)
                total += c
            }
            agg.addCount(total)
            return true
        }
        agg.anchorVariable = np.variable
        let slot = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        slot.initialize(to: -1)
        let noRelationships = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        noRelationships.initialize(to: -1)
        defer { slot.deallocate(); noRelationships.deallocate() }
        let single = keys.count == 1
        var values: [QueryValue] = []
        for n in candidates {
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

    /// `MATCH (n:Label) RETURN count(*)` and `MATCH ()-[:TYPE]->() RETURN count(*)` answered
    /// from the graph's counts (nodes per label, live relationships per type: what the
    /// planner reads), without visiting a node: at a million entities 10–90 ms → a lookup.
    /// Only for a query that has changed nothing so far (the counts are the graph's).
    func countFromCounts(_ part: PatternPart, _ plan: PartPlan?, _ agg: Aggregator, _ rows: [Row]) throws -> Bool {
        guard countByAnchorEnabled, opRows.isEmpty, rows.count == 1, rows[0].isEmpty, agg.plan.keyIndices.isEmpty,
              changes.isEmpty, deletedNodes.isEmpty, deletedRels.isEmpty, part.pathVariable == nil, part.shortest == 0 else { return false }
        let first = part.node(0)
        guard first.properties == nil else { return false }
        if part.steps.isEmpty {
            guard first.labels.count == 1 else { return false }
            let n = graph.labelCount(first.labels[0])
            try tick(n)
            countFromCountsRuns += 1
            agg.addCount(n)
            return true
        }
        guard part.steps.count == 1 else { return false }
        let rp = part.steps[0].rel, last = part.node(1)
        guard rp.range == nil, rp.properties == nil, rp.direction != .both, !rp.types.isEmpty, last.properties == nil,
              first.labels.isEmpty, last.labels.isEmpty else { return false }
        if let v = first.variable, v == last.variable || v == rp.variable { return false }
        if let v = last.variable, v == rp.variable { return false }
        var n = 0
        for t in Set(rp.types) {
            guard let c = graph.relationshipTypeCount(t) else { return false }
            n += c
        }
        try tick(n)
        countFromCountsRuns += 1
        agg.addCount(n)
        return true
    }
}
