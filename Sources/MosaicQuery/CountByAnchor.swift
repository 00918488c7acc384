import Foundation

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
/// subquery's first clause), and `countFromCounts` also when the query has changed the
/// graph or the graph keeps no count it needs: the matcher runs then.
extension Executor {
    /// Runs the MATCH `part` (planned as `cp`) into `agg` with the plan's count operator.
    func runCount(_ op: CountOperator, _ part: PatternPart, _ cp: ClausePlan, _ agg: Aggregator, _ rows: [Row]) throws -> Bool {
        guard countOperatorsEnabled, rows.count == 1, rows[0].isEmpty, let plan = cp.parts?.first else { return false }
        let total: Int
        switch op {
        case .fromCounts:
            guard changes.isEmpty, deletedNodes.isEmpty, deletedRels.isEmpty, let n = countFromCounts(part) else { return false }
            total = n
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

    /// The count of nodes with the part's label, or of relationships of its types; nil when
    /// the graph does not keep a count it needs (then the matcher counts).
    func countFromCounts(_ part: PatternPart) -> Int? {
        if part.steps.isEmpty { return part.node(0).labels.first.map { graph.labelCount($0) } ?? graph.nodeCount }
        var n = 0
        for t in Set(part.steps[0].rel.types) {
            guard let c = graph.relationshipTypeCount(t) else { return nil }
            n += c
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
        let (candidates, props, checkAnchor) = try scanAnchors(np, plan.access)
        let dir = a == 1 ? rp.direction.reversed : rp.direction
        // PROFILE: anchors out of the scan, matches out of the expansion
        let stage = plan.profileBase >= 0 && plan.profileBase + 1 < opRows.count ? plan.profileBase : -1
        var anchors = 0, total = 0
        defer { if stage >= 0 { opRows[stage] += anchors; opRows[stage + 1] += total } }

        if !keys.isEmpty { agg.anchorVariable = np.variable }
        // (a Mosaic graph is a value its threads may read at once; another QueryGraph may not be)
        if !keys.isEmpty, candidates.count >= parallelCountMinimum, gv is GraphView, let names = Self.anchorProperties(keys),
           ProcessInfo.processInfo.activeProcessorCount > 1 {
            (anchors, total) = try countByAnchorInParallel(gv, candidates, np, props, checkAnchor: checkAnchor, dir: dir, types: rp.types,
                                                           farLabels: fp.labels, keys: names, into: agg)
            return total
        }
        if keys.isEmpty {
            (anchors, total) = try countHops(candidates, np, props, check: checkAnchor, dir: dir, types: rp.types, farLabels: fp.labels)
            agg.addCount(total)
            return total
        }
        let single = keys.count == 1
        var values: [QueryValue] = []
        try withNodeSlot { slot, noRelationships in
            for n in candidates {
                try tick()
                if checkAnchor, !nodeMatches(gv, np, n, props, bound: nil) { continue }
                anchors += 1
                let c = countLastHop(gv, from: n, dir: dir, types: rp.types, labels: fp.labels)
                total += c
                if c == 0 { continue }
                slot.pointee = n
                if single {
                    try agg.addCount(key: eval(keys[0], slot, noRelationships, [:]), times: c, node: n)
                } else {
                    values.removeAll(keepingCapacity: true)
                    for k in keys { values.append(try eval(k, slot, noRelationships, [:])) }
                    try agg.addCount(keys: values, times: c, node: n)
                }
            }
        }
        return total
    }

    /// The matches of a one-hop count without keys: the anchors among `candidates` that pass
    /// their checks, and the hops counted from them (`countByAnchor` without keys, and a
    /// query that is one count operator).
    func countHops(_ candidates: [Int], _ np: NodePattern, _ props: [PropertyTest]?, check: Bool, dir: Direction,
                   types: [String], farLabels: [String]) throws -> (anchors: Int, total: Int) {
        let gv = graph
        var anchors = 0, total = 0
        for n in candidates {
            try tick()
            if check, !nodeMatches(gv, np, n, props, bound: nil) { continue }
            anchors += 1
            total += countLastHop(gv, from: n, dir: dir, types: types, labels: farLabels)
        }
        return (anchors, total)
    }

    /// The property names the keys read, when each key is a property of the anchor (`b.name`):
    /// what the parallel count reads without the executor. nil otherwise.
    static func anchorProperties(_ keys: [SlotExpr]) -> [String]? {
        var out: [String] = []
        for k in keys {
            guard case .property(.node(0), let name, _) = k else { return nil }
            out.append(name)
        }
        return out
    }

    /// The threads' shares, one slot each. Unchecked Sendable: thread p writes only slot p,
    /// and the slots are read after `concurrentPerform` has returned (it joins the threads).
    struct PartialResults: @unchecked Sendable {
        let slots: UnsafeMutablePointer<PartialCount>
        let count: Int
        init(_ n: Int) {
            count = n
            slots = .allocate(capacity: n)
            slots.initialize(repeating: PartialCount(), count: n)
        }
        func free() { slots.deinitialize(count: count); slots.deallocate() }
    }

    /// One thread's share of a grouped count: its groups in the order it found them.
    struct PartialCount {
        var index: [GroupKeys: Int] = [:]
        var keys: [[QueryValue]] = []
        var counts: [Int] = []
        var firstNodes: [Int] = []
        var anchors = 0
        var total = 0
        var stopped = false
    }

    /// `countByAnchor` over the machine's cores (issue 15: a query that reads a whole type):
    /// the anchors are cut into as many contiguous runs as there are cores, each counted on
    /// its own thread against the graph (an immutable value) with the far end's labels as
    /// bitsets made beforehand; the groups are then merged in the order of the runs, so the
    /// aggregation sees them in the order one thread would have found them. Each thread
    /// checks the deadline and cancellation every 1,024 anchors.
    func countByAnchorInParallel(_ g: G, _ candidates: [Int], _ np: NodePattern, _ props: [PropertyTest]?, checkAnchor: Bool,
                                 dir: Direction, types: [String], farLabels: [String], keys: [String],
                                 into agg: Aggregator) throws -> (anchors: Int, total: Int) {
        // the far end's labels as bitsets (made here: the executor's cache is not shared)
        let bits = farLabels.map { labelMembers($0, checks: Int.max / 4) }
        let parts = min(ProcessInfo.processInfo.activeProcessorCount, 8)
        let results = PartialResults(parts)
        defer { results.free() }
        let deadline = self.deadline, isCancelled = self.isCancelled
        let per = (candidates.count + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let lo = p * per, hi = min(candidates.count, lo + per)
            guard lo < hi else { return }
            results.slots[p] = Self.countRun(g, candidates[lo..<hi], np, props, checkAnchor: checkAnchor, dir: dir, types: types,
                                             labels: farLabels, bits: bits, keys: keys, deadline: deadline, isCancelled: isCancelled)
        }
        parallelCountRuns += 1
        var anchors = 0, total = 0
        for p in 0..<parts {
            anchors += results.slots[p].anchors
            total += results.slots[p].total
            if results.slots[p].stopped { try checkTime() }
        }
        try tick(anchors)
        for p in 0..<parts {
            let part = results.slots[p]
            for g in part.keys.indices {
                if part.keys[g].count == 1 {
                    try agg.addCount(key: part.keys[g][0], times: part.counts[g], node: part.firstNodes[g])
                } else {
                    try agg.addCount(keys: part.keys[g], times: part.counts[g], node: part.firstNodes[g])
                }
            }
        }
        return (anchors, total)
    }

    /// One thread's run of anchors: what `countByAnchor`'s loop does, reading the graph only.
    static func countRun(_ g: G, _ run: ArraySlice<Int>, _ np: NodePattern, _ props: [PropertyTest]?, checkAnchor: Bool,
                         dir: Direction, types: [String], labels: [String], bits: [[UInt64]?], keys: [String],
                         deadline: UInt64, isCancelled: (@Sendable () -> Bool)?) -> PartialCount {
        var r = PartialCount()
        var values: [QueryValue] = []
        values.reserveCapacity(keys.count)
        var seen = 0
        for n in run {
            seen += 1
            if seen & 1023 == 0, DispatchTime.now().uptimeNanoseconds > deadline || isCancelled?() == true { r.stopped = true; break }
            if checkAnchor, !nodeMatches(g, np, n, props, bound: nil) { continue }
            r.anchors += 1
            let c = labels.isEmpty ? g.degree(of: n, direction: dir, types: types)
                : countRelationships(g, from: n, dir: dir, types: types, labels: labels, sets: bits, used: [])
            if c == 0 { continue }
            r.total += c
            values.removeAll(keepingCapacity: true)
            for k in keys { values.append(g.nodeProperty(n, k)) }
            let g = r.keys.count
            let found = Aggregator.claim(&r.index[GroupKeys(values: values), default: -1], g)
            if found == g {
                r.keys.append(values); r.counts.append(c); r.firstNodes.append(n)
            } else {
                r.counts[found] += c
            }
        }
        return r
    }
}
