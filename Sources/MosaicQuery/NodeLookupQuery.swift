/// A planner rewrite over the whole query: `MATCH (n:Label {key: $v, …}) RETURN n.name, …`,
/// one node found through the id or name index and a `RETURN` that only lists values (no
/// aggregate, `DISTINCT`, `ORDER BY`, `SKIP` or `LIMIT`), runs as that lookup and the
/// values read from the node found (`Executor.runNodeLookupQuery`): no rows between the
/// clauses, the items compiled against the node's slot (SlotExpr). This is an analyst's
/// most frequent query (a card, an entity's name), which paid for a `Row`, a
/// matcher and a projection around one index lookup. EXPLAIN marks the RETURN's operator
/// with `explainMark`; PROFILE runs it too, counting the rows of the operators EXPLAIN shows
/// (`profiled`). When an
/// item does not compile against the slot (a pattern, a subquery), the clauses run. Uses the
/// clause plans (Planner); run by Executor+WholeQuery.swift. A class with constant fields: a
/// plan's copies share it.
final class NodeLookupQuery: Sendable {
    /// The node and how it is found, copied from the MATCH's plan (read on every run: through
    /// the plan they cost a prepared lookup 440 more instructions, callgrind), and the RETURN's
    /// plan, whose items and columns are read from it rather than copied (less to make and
    /// free per compile).
    let node: NodePattern
    let access: AnchorAccess
    let projection: ProjectionPlan
    /// Where PROFILE counts the rows (the MATCH's, the lookup's and the RETURN's operators).
    let profiled: WholeQueryOperators

    /// The items as plain reads of the node found, when each is the node, one of its
    /// properties or a constant (an entity's card): read without compiling them per run
    /// (SlotExpr compiles against a run's parameters and call sites; these need neither).
    let reads: [Read]?
    enum Read: Sendable { case node, property(String, SourcePosition), constant(QueryValue) }

    /// The RETURN's item expressions (it does not aggregate: they are its plan's `rewritten`).
    var items: [Expr] { projection.rewritten }
    var columns: [String] { projection.columns }

    init(_ plan: PartPlan, _ projection: ProjectionPlan, profiled: WholeQueryOperators) {
        node = plan.nodes[plan.anchor]; access = plan.access
        self.projection = projection; self.profiled = profiled
        let variable = node.variable
        var reads: [Read] = []
        for e in projection.rewritten {
            switch e.kind {
            case .variable(let v) where v == variable: reads.append(.node)
            case .property(let base, let key):
                guard case .variable(let v) = base.kind, v == variable else { self.reads = nil; return }
                reads.append(.property(key, e.pos))
            case .literal(let v): reads.append(.constant(v))
            default: self.reads = nil; return
            }
        }
        self.reads = reads
    }

    /// What EXPLAIN adds to the RETURN's operator when the rewrite applies.
    static let explainMark = "(whole query: one index lookup, values read from its node)"

    /// The rewrite for a planned query, or nil when it does not apply.
    static func choose(_ ast: QueryAST, _ clauses: [[ClausePlan]]) -> NodeLookupQuery? {
        guard ast.parts.count == 1, ast.parts[0].clauses.count == 2, clauses[0].count == 2,
              clauses[0][0].counting == nil, clauses[0][0].firstRows == nil, let plan = clauses[0][0].parts?.first,
              case .property = plan.access, let proj = clauses[0][1].projection,
              case .match(let pattern, false, nil, _) = ast.parts[0].clauses[0], pattern.count == 1,
              pattern[0].steps.isEmpty, pattern[0].pathVariable == nil, pattern[0].shortest == 0,
              case .returns(let p) = ast.parts[0].clauses[1], proj.isPlainList(p),
              proj.items.allSatisfy({ SlotExpr.mayCompile($0.expr) }) else { return nil }
        return NodeLookupQuery(plan, proj, profiled: WholeQueryOperators(clauses[0], plan))
    }
}
