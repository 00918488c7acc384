/// The filter pushdown rewrite: a MATCH's WHERE split into conjuncts checked at the first
/// expansion step where their variables are bound (on the anchor, on a step's relationship,
/// on its far node), the rest left for after the match; and the indexed equalities
/// (`n.name = $x`) that can anchor a pattern. Used by `Planner.plan`; EXPLAIN shows each
/// conjunct on the operator that checks it.
/// Uses: the AST and the part plans (Planner.swift).

extension Planner {
    /// Splits a WHERE into conjuncts checked at the first expansion level where their
    /// variables are bound, and the rest (conjuncts with subqueries stay at the end).
    static func pushDown(_ w: Expr, _ part: PatternPart, _ plan: PartPlan, bound: Set<String>) -> ([[Expr]], [[Expr]], Expr?) {
        // levels: 0 = anchor; 2k+1 = step k's relationship; 2k+2 = step k's target node
        var levels: [Set<String>] = []
        var known = bound
        if let v = part.node(plan.anchor).variable { known.insert(v) }
        levels.append(known)
        for x in plan.order {
            let s = x.step, forward = x.forward
            let fixed = part.steps[s].rel.range == nil
            if let v = part.steps[s].rel.variable { known.insert(v) }
            levels.append(fixed ? known : bound.filter { _ in false })  // var-length: no relationship level
            if let v = part.node(forward ? s + 1 : s).variable { known.insert(v) }
            levels.append(known)
        }
        var all = Array(repeating: [Expr](), count: levels.count)
        var rest: [Expr] = []
        for c in conjuncts(w) {
            var opaque = false
            c.visit { e in
                switch e.kind { case .exists, .existsQuery, .patternComprehension, .pattern: opaque = true; return false; default: return true }
            }
            var free = Set<String>(); c.freeVariables(into: &free)
            if !opaque, let level = levels.indices.first(where: { i in (i % 2 == 0 || !levels[i].isEmpty) && free.isSubset(of: levels[i]) }) {
                all[level].append(c)
            } else { rest.append(c) }
        }
        let residual = rest.dropFirst().reduce(rest.first) { acc, e in acc.map { Expr(.binary(.and, $0, e), e.pos) } }
        let filters = stride(from: 0, to: all.count, by: 2).map { all[$0] }
        let relFilters = stride(from: 1, to: all.count, by: 2).map { all[$0] }
        return (filters, relFilters, residual)
    }

    /// `v.key = expr` conjuncts of a predicate, as (variable, key, expr).
    static func equalityConjuncts(_ e: Expr) -> [(String, String, Expr)] {
        switch e.kind {
        case .binary(.and, let a, let b): return equalityConjuncts(a) + equalityConjuncts(b)
        case .binary(.eq, let a, let b):
            if case .property(let base, let k) = a.kind, case .variable(let v) = base.kind { return [(v, k, b)] }
            if case .property(let base, let k) = b.kind, case .variable(let v) = base.kind { return [(v, k, a)] }
            return []
        default: return []
        }
    }

    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }
}
