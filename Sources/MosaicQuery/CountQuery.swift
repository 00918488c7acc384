/// A planner rewrite over the whole query: `MATCH <one pattern the count operator takes>
/// RETURN count(*) [AS n], …` (no grouping key, DISTINCT, ORDER BY, SKIP or LIMIT) is the
/// count operator and nothing else, so it runs as that operator alone: one count, no
/// aggregator, no rows between clauses (`Executor.runCountQuery`). The point lookups an
/// analyst asks most often (`MATCH (a {id: $id})-[:T]->(b) RETURN count(*)`) pay for no more
/// than their lookup and degree. EXPLAIN marks the RETURN's operator with `explainMark`; PROFILE runs
/// it too, counting the rows of the operators EXPLAIN shows (`profiled`). Uses the clause
/// plans (CountOperator).
/// A class with constant fields: a plan's copies share it.
final class CountQuery: Sendable {
    let op: CountOperator
    let part: PatternPart
    let plan: PartPlan
    /// The RETURN's columns: each is the count.
    let columns: [String]
    /// Where PROFILE counts the rows (the MATCH's, its stages' and the RETURN's operators).
    let profiled: WholeQueryOperators
    /// The anchor node, the far end's labels, the hop's types and its direction seen from the
    /// anchor (read from `part` and `plan` once, here).
    let anchor: NodePattern
    let farLabels: [String]
    let types: [String]
    let direction: Direction

    init(_ op: CountOperator, _ part: PatternPart, _ plan: PartPlan, columns: [String], profiled: WholeQueryOperators) {
        self.op = op; self.part = part; self.plan = plan; self.columns = columns; self.profiled = profiled
        let a = plan.anchor
        anchor = plan.nodes.isEmpty ? part.start : plan.nodes[a]
        let rel = part.steps.first?.rel
        farLabels = plan.nodes.count == 2 ? plan.nodes[1 - a].labels : []
        types = rel?.types ?? []
        direction = a == 1 ? (rel?.direction.reversed ?? .both) : (rel?.direction ?? .both)
    }

    /// What EXPLAIN adds to the RETURN's operator when the rewrite applies.
    static let explainMark = "(whole query: one count operator)"

    /// The rewrite for a planned query, or nil when it does not apply.
    static func choose(_ ast: QueryAST, _ clauses: [[ClausePlan]]) -> CountQuery? {
        guard ast.parts.count == 1, ast.parts[0].clauses.count == 2, clauses[0].count == 2,
              let op = clauses[0][0].counting, clauses[0][0].firstRows == nil, let plan = clauses[0][0].parts?.first,
              let proj = clauses[0][1].projection,
              case .match(let pattern, false, _, _) = ast.parts[0].clauses[0], pattern.count == 1,
              case .returns(let p) = ast.parts[0].clauses[1], proj.isPlainAggregateList(p),
              proj.keyIndices.isEmpty, proj.aggregateNames.allSatisfy({ $0 == "count(*)" }) else { return nil }
        return CountQuery(op, pattern[0], plan, columns: proj.columns, profiled: WholeQueryOperators(clauses[0], plan))
    }
}
