/// The executor's side of the whole-query rewrites (CountQuery.swift, NodeLookupQuery.swift):
/// a query the planner found to be one count operator, or one index lookup and the values
/// of the node found, runs here instead of clause by clause. Also the anchor scan they and
/// the count operators (CountByAnchor.swift) share. Uses the matcher's node checks, the
/// last-hop counts (LastHop.swift) and SlotExpr.
extension Executor {
    /// The anchors a count or a lookup starts from (by the plan's access path), the property
    /// tests each must still pass, and whether any test is left (a label scan of the anchor's only
    /// label, or an index's exact hits with nothing more to compare, need none).
    /// `row`: the bindings the pattern is matched for (an earlier clause's).
    func scanAnchors(_ np: NodePattern, _ access: AnchorAccess, _ row: Row = [:]) throws
        -> (candidates: [Int], props: [PropertyTest]?, check: Bool) {
        var exactHits = false
        var props: [PropertyTest]?
        let candidates: [Int]
        if case .property(let key, let e) = access, np.properties?.isMap(ofOnly: key, e) == true {
            // `{id: $id}` looked up by its index: when the hits are exact, the map has nothing
            // more to compare, so it is not evaluated (its one value was, for the lookup)
            candidates = try anchorCandidates(np, access, row, exact: &exactHits)
            props = exactHits ? nil : try evalProps(np.properties, row)
        } else {
            props = try evalProps(np.properties, row)
            candidates = try anchorCandidates(np, access, row, exact: &exactHits)
            if exactHits, case .property(let key, let e) = access {
                // the index's hits have the property: it need not be compared again
                props = Executor.without(key, e, np.properties, props)
            }
        }
        switch access {
        case .labelOrScan: return (candidates, props, props != nil || np.labels.count > 1)
        default: return (candidates, props, props != nil || !np.labels.isEmpty)
        }
    }

    /// Runs a query that is one count operator (`QueryPlan.countQuery`): its one row, each
    /// column the count. nil when the graph does not keep a count it needs (then the
    /// clauses run).
    func runCountQuery(_ cq: CountQuery) throws -> (columns: [String], rows: [[QueryValue]])? {
        let total: Int
        var anchors = 0
        switch cq.op {
        case .fromCounts:
            guard let n = countFromCounts(cq.part) else { return nil }
            total = n
        case .byAnchor:
            let (candidates, props, check) = try scanAnchors(cq.anchor, cq.plan.access)
            (anchors, total) = try countHops(candidates, cq.anchor, props, check: check, dir: cq.direction, types: cq.types, farLabels: cq.farLabels)
        }
        try tick(total)
        countOperatorRuns += 1
        countQueryRuns += 1
        if !opRows.isEmpty {
            // as the clauses count them (runCount): one row out of a count read from the
            // graph's counts, else the anchors and the hops counted; one row of results
            let p = cq.profiled
            if case .fromCounts = cq.op { p.add(&opRows, p.stage, 1) } else { p.add(&opRows, p.stage, anchors); p.add(&opRows, p.stage + 1, total) }
            p.add(&opRows, p.match, total)
            p.add(&opRows, p.result, 1)
        }
        return (cq.columns, [Array(repeating: .int(total), count: cq.columns.count)])
    }

    /// Runs a query that is one index lookup and the values of the node found
    /// (`QueryPlan.nodeLookup`): its rows. nil when an item does not compile against the
    /// node's slot (then the clauses run).
    func runNodeLookupQuery(_ q: NodeLookupQuery) throws -> (columns: [String], rows: [[QueryValue]])? {
        if let reads = q.reads {
            // plain reads of the node found: nothing to compile
            return try nodeLookupRows(q) { c, values in
                for r in reads {
                    switch r {
                    case .node: values.append(.node(c))
                    case .property(let key, let pos): values.append(try property(.node(c), key, pos))
                    case .constant(let v): values.append(v)
                    }
                }
            }
        }
        var names = SlotExpr.Names()
        if let v = q.node.variable { names.nodes[v] = 0 }
        guard let items = SlotExpr.compile(all: q.items, names, self) else { return nil }
        return try withNodeSlot { slot, noRelationships in
            try nodeLookupRows(q) { c, values in
                slot.pointee = c
                for e in items { values.append(try eval(e, slot, noRelationships, [:])) }
            }
        }
    }

    /// The lookup's rows: each node found (and matching the pattern) with the values
    /// `append` adds for it.
    private func nodeLookupRows(_ q: NodeLookupQuery, _ append: (Int, inout [QueryValue]) throws -> Void)
        throws -> (columns: [String], rows: [[QueryValue]]) {
        let gv = graph
        let node = q.node, width = q.columns.count
        let (candidates, props, check) = try scanAnchors(node, q.access)
        var rows: [[QueryValue]] = []
        for c in candidates {
            try tick()
            if check, !nodeMatches(gv, node, c, props, bound: nil) { continue }
            var values: [QueryValue] = []
            values.reserveCapacity(width)
            try append(c, &values)
            try charge(QueryMemory.valueBytes * (values.count + 1), "rows of RETURN")
            rows.append(values)
        }
        nodeLookupRuns += 1
        if !opRows.isEmpty {
            // as the clauses count them: each node found out of the lookup, the MATCH and the RETURN
            for op in [q.profiled.stage, q.profiled.match, q.profiled.result] { q.profiled.add(&opRows, op, rows.count) }
        }
        return (q.columns, rows)
    }

    /// Runs `body` with a slot for one node (unset) and no relationship slot: what keys and
    /// items compiled against an anchor (SlotExpr) are evaluated with.
    func withNodeSlot<R>(_ body: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) throws -> R) rethrows -> R {
        let slot = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        slot.initialize(to: -1)
        let noRelationships = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        noRelationships.initialize(to: -1)
        defer { slot.deallocate(); noRelationships.deallocate() }
        return try body(slot, noRelationships)
    }
}

/// The operators of a whole query (CountQuery, NodeLookupQuery) where PROFILE counts its rows,
/// as the clauses would: the MATCH's, its pattern's first stage (the anchor; the hop's follows
/// it) and the RETURN's (-1: none).
struct WholeQueryOperators: Sendable {
    let match: Int, stage: Int, result: Int
    init(_ clauses: [ClausePlan], _ plan: PartPlan) {
        match = clauses[0].operatorIndex ?? -1
        stage = plan.profileBase
        result = clauses[1].operatorIndex ?? -1
    }
    func add(_ opRows: inout [Int], _ op: Int, _ n: Int) {
        if op >= 0, op < opRows.count { opRows[op] += n }
    }
}
