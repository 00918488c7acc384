/// How one execution of a pattern part keeps its bindings in slots (issue 16): the node and
/// relationship ids the matcher holds anyway, instead of a `Row` written and erased
/// at every step. Its filters are compiled against the slots (SlotExpr); a row is made only
/// for a match that is emitted, and none at all for a match a lone `count(*)` counts.
///
/// Used by `Executor.matchPart` for planned parts with pushed filters that all compile, whose
/// new variables are distinct, and whose relationships are single hops (variable-length steps
/// bind lists and keep the general path). The compiled filters depend only on which of the
/// part's variables the row binds: the executor keeps them per part for the rest of its run
/// (`compiledSlotFilters`), so a MATCH after an UNWIND compiles them once, not once per row.
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
    /// Where the part's variables are: what a RETURN read through the slots compiles against.
    var names = SlotExpr.Names()
    /// Which of the part's variables the row binds (bit i: node i; bit nodes + s: step s), and
    /// whether that is exact (a part of at most 64 nodes and steps): what compiled
    /// expressions depend on, so what they are kept by.
    var outer: UInt64 = 0
    var outerIsExact = false

    /// Compiled filters kept by an executor: for a part (by its source offset), the variables
    /// the row bound when they were compiled (bit i: node i; bit nodes + s: step s), and the
    /// filters (nil: they do not compile, the part takes the general path).
    struct Compiled {
        var outer: UInt64
        var filters: (filters: [[SlotExpr]], relFilters: [[SlotExpr]])?
    }

    /// nil when the part needs the general path.
    init?<G: QueryGraph>(_ part: PatternPart, _ plan: PartPlan, _ row: Row, _ ex: Executor<G>) {
        if part.steps.contains(where: { $0.rel.range != nil }) { return nil }
        let nodes = plan.nodes
        var names = SlotExpr.Names()
        var outer: UInt64 = 0
        for (i, np) in nodes.enumerated() {
            guard let v = np.variable else { continue }
            if !row.isEmpty, let b = row[v] {
                if bound.isEmpty { bound = Array(repeating: nil, count: nodes.count) }
                bound[i] = b
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
        self.names = names
        self.outer = outer
        outerIsExact = nodes.count + part.steps.count <= 64
        // no filters (slots asked for by a RETURN read through them): nothing to compile or keep
        if !plan.filtered.any && !plan.relFiltered.any { return }
        let key = part.pos.offset, cacheable = nodes.count + part.steps.count <= 64
        if cacheable, let c = ex.compiledSlotFilters[key], c.outer == outer {
            guard let f = c.filters else { return nil }
            (filters, relFilters) = f
            return
        }
        func compiled(_ stages: [[Expr]]) -> [[SlotExpr]]? {
            var out: [[SlotExpr]] = []
            out.reserveCapacity(stages.count)
            for stage in stages {
                guard let c = SlotExpr.compile(all: stage, names, ex) else { return nil }
                out.append(c)
            }
            return out
        }
        let both = compiled(plan.filters).flatMap { f in compiled(plan.relFilters).map { (f, $0) } }
        if cacheable { ex.compiledSlotFilters[key] = Compiled(outer: outer, filters: both) }
        guard let both else { return nil }
        (filters, relFilters) = both
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
