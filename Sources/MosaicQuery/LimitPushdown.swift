/// The LIMIT pushdown rewrite: a MATCH or UNWIND whose next clause keeps only its first
/// SKIP + LIMIT rows, in the order they come, stops after making that many
/// (`ClausePlan.firstRows`; the plan tree gives such a MATCH the `firstRows` output). Used by
/// `Planner.plan`; EXPLAIN shows "(first SKIP + LIMIT rows)" on the clause.
/// Uses: the AST (Planner.swift).

extension Planner {
    /// The LIMIT (and SKIP) of the clause after clause `ci` when it only takes the first rows
    /// it gets, in their order: a WITH without WHERE or a RETURN, with LIMIT and without
    /// ORDER BY, DISTINCT or aggregates. The MATCH or UNWIND before it need make no more.
    static func limitPushed(_ ast: QueryAST, _ pi: Int, _ ci: Int) -> (limit: Expr, skip: Expr?)? {
        guard ci + 1 < ast.parts[pi].clauses.count else { return nil }
        let proj: Projection
        switch ast.parts[pi].clauses[ci + 1] {
        case .with(let p, let w) where w == nil: proj = p
        case .returns(let p): proj = p
        default: return nil
        }
        guard let l = proj.limit, proj.order.isEmpty, !proj.distinct,
              !proj.items.contains(where: { $0.expr.containsAggregate }) else { return nil }
        return (l, proj.skip)
    }

    static func firstRowsText(_ f: (limit: Expr, skip: Expr?)) -> String {
        "(first " + (f.skip.map { $0.canonical + " + " } ?? "") + f.limit.canonical + " rows)"
    }
}
