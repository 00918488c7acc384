/// How one execution of a pattern part keeps its bindings in slots (issue 16): the node and
/// relationship ids the matcher holds anyway, instead of a `Row` written and erased
/// at every step. Its filters are compiled against the slots (SlotExpr); a row is made only
/// for a match that is emitted, and none at all for a match a lone `count(*)` counts.
///
/// Used by `Executor.matchPart` for planned parts with pushed filters that all compile, whose
/// new variables are distinct, and whose relationships are single hops (variable-length steps
/// bind lists and keep the general path). The slots and their compiled filters depend only on
/// which of the part's variables the row binds: the executor keeps them per part for the rest
/// of its run (`forRow`, `KeptSlots`), so a MATCH after an UNWIND sets them up once, not once
/// per row.
final class MatchSlots {
    /// `filters[k]` / `relFilters[k]`: the plan's filters, compiled.
    let filters: [[SlotExpr]]
    let relFilters: [[SlotExpr]]
    /// The row's value of each node's variable when the row binds it (the match must equal
    /// it); empty when the row binds none of them. Refilled for each row (`refill`).
    @exclusivity(unchecked) private(set) var bound: [QueryValue?] = []
    /// The nodes whose variable the row binds, with the variable: what `refill` reads.
    private let boundNodes: [(node: Int, name: String)]
    /// Nodes and single-hop steps whose variables an emitted row gets.
    let nodesToBind: IndexMask
    let relationshipsToBind: IndexMask
    /// Where the part's variables are: what a RETURN read through the slots compiles against.
    let names: SlotExpr.Names
    /// Each node's labels, and the nodes that have some (what the matcher checks per node).
    let nodeLabels: [[String]]
    let labelled: LowMask
    /// Which of the part's variables the row binds (bit i: node i; bit nodes + s: step s), and
    /// whether that is exact (a part of at most 64 nodes and steps): what compiled
    /// expressions depend on, so what they are kept by.
    let outer: UInt64
    let outerIsExact: Bool
    /// Set while a match uses these slots: a part matched again inside its own match (it
    /// cannot be today; the guard keeps it correct if it ever is) gets slots of its own.
    @exclusivity(unchecked) var inUse = false
    /// The matcher's frame for these slots' next row (`frame(for:steps:)`).
    @exclusivity(unchecked) private var keptFrame: MatchFrame?

    /// A frame for matching `row` with these slots: the one the part's last row used, reset
    /// (one allocation fewer per row). `steps`: the part's steps when it has a path variable.
    func frame(for row: Row, steps: Int?) -> MatchFrame {
        let relIDs: [[Int]] = steps.map { Array(repeating: [], count: $0) } ?? []
        guard let f = keptFrame else {
            let f = MatchFrame(row: row, relIDs: relIDs)
            keptFrame = f
            return f
        }
        f.row = row
        f.relIDs = relIDs
        f.counted = 0
        return f
    }

    /// The slots for matching `part` from `row`, nil when the part takes the general path.
    /// The executor keeps the last slots of each part (`keptSlots`, by source offset): a row
    /// that binds the same variables as the row before reuses them, only `bound` refilled,
    /// so a MATCH receiving many rows (after UNWIND, WITH or a MATCH) sets them up and
    /// compiles its filters once, not per row (issue 16: the set-up per row was about two
    /// thirds of such a MATCH's time).
    static func forRow<G: QueryGraph>(_ part: PatternPart, _ plan: PartPlan, _ row: Row, _ ex: Executor<G>) -> MatchSlots? {
        let key = part.pos.offset
        let kept: KeptSlots
        // (kept for the plan they were made for: a part has one plan per run today)
        if let k = ex.keptSlots[key], k.plan == plan.identity { kept = k } else {
            kept = KeptSlots(part, plan)
            ex.keptSlots[key] = kept
        }
        guard kept.exact else { return MatchSlots(part, plan, row, ex) }
        var outer: UInt64 = 0
        if !row.isEmpty { for (bit, name) in kept.variables where row[name] != nil { outer |= 1 << UInt64(bit) } }
        if kept.filled, kept.outer == outer {
            guard let s = kept.slots else { return nil }
            if s.inUse { return MatchSlots(part, plan, row, ex) }
            s.refill(row)
            return s
        }
        let s = MatchSlots(part, plan, row, ex)
        kept.filled = true
        kept.outer = outer
        kept.slots = s
        return s
    }

    /// The values of the nodes `row` binds, for the next match with these slots.
    private func refill(_ row: Row) {
        for (i, name) in boundNodes { bound[i] = row[name] }
    }

    /// nil when the part needs the general path.
    private init?<G: QueryGraph>(_ part: PatternPart, _ plan: PartPlan, _ row: Row, _ ex: Executor<G>) {
        ex.slotSetUps += 1
        if part.steps.contains(where: { $0.rel.range != nil }) { return nil }
        let nodes = plan.nodes
        var names = SlotExpr.Names()
        var outer: UInt64 = 0
        var bound: [QueryValue?] = []
        var boundNodes: [(node: Int, name: String)] = []
        var nodesToBind = IndexMask(), relationshipsToBind = IndexMask()
        for (i, np) in nodes.enumerated() {
            guard let v = np.variable else { continue }
            if !row.isEmpty, let b = row[v] {
                if bound.isEmpty { bound = Array(repeating: nil, count: nodes.count) }
                bound[i] = b
                boundNodes.append((i, v))
                if i < 64 { outer |= 1 << UInt64(i) }
                continue
            }
            // a variable twice in the part: the general path compares the two
            if names.nodes[v] != nil { return nil }
            names.nodes[v] = i
            if !plan.unboundNodes[i] { nodesToBind.insert(i) }
        }
        for (s, step) in part.steps.enumerated() {
            guard let v = step.rel.variable else { continue }
            if !row.isEmpty, row[v] != nil {
                if nodes.count + s < 64 { outer |= 1 << UInt64(nodes.count + s) }
                continue
            }
            if names.nodes[v] != nil || names.relationships[v] != nil { return nil }
            names.relationships[v] = s
            if !plan.unboundRels[s] { relationshipsToBind.insert(s) }
        }
        // no filters (slots asked for by a RETURN read through them): nothing to compile
        var filters: [[SlotExpr]] = [], relFilters: [[SlotExpr]] = []
        if plan.filtered.any || plan.relFiltered.any {
            func compiled(_ stages: [[Expr]]) -> [[SlotExpr]]? {
                var out: [[SlotExpr]] = []
                out.reserveCapacity(stages.count)
                for stage in stages {
                    guard let c = SlotExpr.compile(all: stage, names, ex) else { return nil }
                    out.append(c)
                }
                return out
            }
            guard let f = compiled(plan.filters), let r = compiled(plan.relFilters) else { return nil }
            (filters, relFilters) = (f, r)
        }
        self.filters = filters
        self.relFilters = relFilters
        self.bound = bound
        self.boundNodes = boundNodes
        self.nodesToBind = nodesToBind
        self.relationshipsToBind = relationshipsToBind
        self.names = names
        nodeLabels = nodes.map(\.labels)
        var labelled = LowMask()
        for i in nodes.indices where !nodes[i].labels.isEmpty { labelled.insert(i) }
        self.labelled = labelled
        self.outer = outer
        outerIsExact = nodes.count + part.steps.count <= 64
    }
}

/// A compilation against a part's slots (a sink's items, keys, arguments), kept for the next
/// row of the MATCH that binds the same variables (`MatchSlots.outer`): a MATCH receiving
/// several rows compiles once for all of them.
struct KeptCompilation<T> {
    private var kept: (outer: UInt64, value: T?)?
    /// The kept compilation for `slots`' bound variables, or `compile()`'s (nil: it does not compile).
    mutating func value(for slots: MatchSlots, _ compile: () -> T?) -> T? {
        if slots.outerIsExact, let k = kept, k.outer == slots.outer { return k.value }
        let v = compile()
        if slots.outerIsExact { kept = (slots.outer, v) }
        return v
    }
}
