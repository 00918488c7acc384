/// The executor's side of the count operators the planner chooses (CountOperator.swift):
/// - `countFromCounts` answers `count(*)` of a label or of a relationship type from the
///   graph's counts, without visiting a node (at a million entities 10–90 ms → a lookup);
/// - `countByAnchor` takes the anchor's nodes (label scan or index), counts each one's
///   matching relationships in its type's run (`Executor.countLastHop`), and adds the count
///   to the total or to the group of the anchor's keys, read through a slot (SlotExpr). It
///   makes no row per anchor and does not go through the general matcher, whose per-node
///   bookkeeping (the row written and erased, the eligibility of the counted hop decided
///   again for each node, the keys evaluated against a dictionary) cost about three times
///   the counting at a million entities (issue 15's FLEW_TO query).
/// Both give what the general matcher gives (`CountByAnchorTests` runs queries both ways);
/// they count PROFILE's rows on the operators EXPLAIN shows for them. Each returns false,
/// having done nothing, when its MATCH does not receive one row binding nothing (a
/// subquery's first clause) or the query has changed the graph: the matcher runs then.
extension Executor {
    /// Runs the MATCH `part` (planned as `cp`) into `agg` with the plan's count operator.
    func runCount(_ op: CountOperator, _ part: PatternPart, _ cp: ClausePlan, _ agg: Aggregator, _ rows: [Row]) throws -> Bool {
        guard countOperatorsEnabled, rows.count == 1, rows[0].isEmpty, let plan = cp.parts?.first else { return false }
        let total: Int
        switch op {
        case .fromCounts:
            guard changes.isEmpty, deletedNodes.isEmpty, deletedRels.isEmpty else { return false }
            total = countFromCounts(part)
            agg.addCount(total)
            if plan.profileBase >= 0, plan.profileBase < opRows.count { opRows[plan.profileBase] += 1 }
        case .byAnchor:
            guard let keys = groupingKeys(plan, agg) else { return false }
            total = try countByAnchor(part, plan, agg, keys: keys)
        }
        try tick(total)
        countOperatorRuns += 1
        if let m = cp.operatorIndex, m < opRows.count { opRows[m] += total }
        return true
    }

    /// The count of nodes with the part's label, or of relationships of its types.
    func countFromCounts(_ part: PatternPart) -> Int {
        if part.steps.isEmpty { return graph.labelCount(part.node(0).labels[0]) }
        var n = 0
        for t in Set(part.steps[0].rel.types) {
            // (a graph without the count has none of the type: GraphView and PropertyGraph keep it)
            n += graph.relationshipTypeCount(t) ?? 0
        }
        return n
    }

    /// The grouping keys of `agg`, compiled against the anchor's slot (the planner checked
    /// that they read only the anchor and have forms that compile); nil if one does not.
    func groupingKeys(_ plan: PartPlan, _ agg: Aggregator) -> [SlotExpr]? {
        guard !agg.plan.keyIndices.isEmpty else { return [] }
        guard let v = plan.nodes[plan.anchor].variable else { return nil }
        var names = SlotExpr.Names()
        names.nodes[v] = 0
        var keys: [SlotExpr] = []
        for i in agg.plan.keyIndices {
            guard let k = SlotExpr.compile(agg.plan.items[i].expr, names, self) else { return nil }
            keys.append(k)
        }
        return keys
    }

    /// Counts the one-hop `part`'s matches per anchor into `agg`, grouped by `keys` (none: one
    /// total); returns how many it counted.
    func countByAnchor(_ part: PatternPart, _ plan: PartPlan, _ agg: Aggregator, keys: [SlotExpr]) throws -> Int {
        let rp = part.steps[0].rel
        let a = plan.anchor
        let np = plan.nodes[a], fp = plan.nodes[1 - a]
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
        // PROFILE: anchors out of the scan, matches out of the expansion
        let stage = plan.profileBase >= 0 && plan.profileBase + 1 < opRows.count ? plan.profileBase : -1
        var anchors = 0, total = 0
        defer { if stage >= 0 { opRows[stage] += anchors; opRows[stage + 1] += total } }

        if keys.isEmpty {
            for n in candidates {
                try tick()
                if checkAnchor, !nodeMatches(gv, np, n, props, bound: nil) { continue }
                anchors += 1
                total += countLastHop(gv, from: n, dir: dir, types: rp.types, labels: fp.labels)
            }
            agg.addCount(total)
            return total
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
            anchors += 1
            let c = countLastHop(gv, from: n, dir: dir, types: rp.types, labels: fp.labels)
            if c == 0 { continue }
            total += c
            slot.pointee = n
            if single {
                try agg.addCount(key: eval(keys[0], slot, noRelationships, [:]), times: c, node: n)
            } else {
                values.removeAll(keepingCapacity: true)
                for k in keys { values.append(try eval(k, slot, noRelationships, [:])) }
                try agg.addCount(keys: values, times: c, node: n)
            }
        }
        return total
    }
}
