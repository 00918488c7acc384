/// A planner rewrite: the first MATCH of a query whose rows only feed `count(*)` runs as a
/// count operator instead of the general matcher, when its pattern allows:
/// - `fromCounts`: `MATCH (n:Label) RETURN count(*)`, `MATCH (n) RETURN count(*)` and
///   `MATCH ()-[:T]->() RETURN count(*)` are read from the graph's counts (nodes, nodes per
///   label, live relationships per type);
/// - `byAnchor`: a one-hop pattern, alone or grouped by values of its anchor, counts each
///   anchor's matching relationships in its type's run (`MATCH (a:Aircraft)-[:FLEW_TO]->
///   (b:Base) RETURN b.name, count(*)`, `MATCH (a {id: $id})-[]->(b) RETURN count(*)`).
/// The choice is part of the plan, so EXPLAIN and PROFILE show the operator that runs
/// (`NodeCountFromCounts`, `RelationshipCountFromCounts`, `CountExpand`). The executor's
/// side is CountByAnchor.swift. Uses the pattern, its part plan and the projection after it.
enum CountOperator: Sendable, Equatable {
    case fromCounts
    case byAnchor

    /// The operator for `part` (planned as `plan`), the only pattern of a MATCH with no WHERE
    /// left over, followed by the aggregating `next`; nil for the general matcher.
    static func choose(_ part: PatternPart, _ plan: PartPlan, next: ProjectionPlan) -> CountOperator? {
        guard GroupedCountAnchor.onlyCountsRows(next), part.pathVariable == nil, part.shortest == 0,
              !plan.filtered.any, !plan.relFiltered.any else { return nil }
        if next.keyIndices.isEmpty, readsCounts(part) { return .fromCounts }
        return countsByAnchor(part, plan, next: next) ? .byAnchor : nil
    }

    /// A node with at most one label, or one directed hop of given types between two nodes with no
    /// label or property (each variable once).
    static func readsCounts(_ part: PatternPart) -> Bool {
        let first = part.node(0)
        guard first.properties == nil else { return false }
        if part.steps.isEmpty { return first.labels.count <= 1 }
        guard part.steps.count == 1 else { return false }
        let rp = part.steps[0].rel, last = part.node(1)
        guard rp.range == nil, rp.properties == nil, rp.direction != .both, !rp.types.isEmpty, last.properties == nil,
              first.labels.isEmpty, last.labels.isEmpty else { return false }
        return distinctVariables(first.variable, last.variable, rp.variable)
    }

    /// One fixed hop from an anchor found by a scan or an index, no property test at the far
    /// end or on the relationship, and grouping keys (if any) that read the anchor only.
    static func countsByAnchor(_ part: PatternPart, _ plan: PartPlan, next: ProjectionPlan) -> Bool {
        guard part.steps.count == 1, plan.order.count == 1, plan.nodes.count == 2 else { return false }
        if case .bound = plan.access { return false }
        let rp = part.steps[0].rel
        guard rp.range == nil, rp.properties == nil else { return false }
        let np = plan.nodes[plan.anchor], fp = plan.nodes[1 - plan.anchor]
        guard fp.properties == nil, distinctVariables(np.variable, fp.variable, rp.variable) else { return false }
        if next.keyIndices.isEmpty { return true }
        guard let v = np.variable else { return false }
        var read = Set<String>()
        for i in next.keyIndices { next.items[i].expr.freeVariables(into: &read) }
        return read == [v] && next.keyIndices.allSatisfy { SlotExpr.mayCompile(next.items[$0].expr) }
    }

    /// Whether the named ones among `names` differ.
    static func distinctVariables(_ a: String?, _ b: String?, _ c: String?) -> Bool {
        // (compared pairwise: a set of the names cost more than the rest of the choice, in a profile)
        func differ(_ x: String?, _ y: String?) -> Bool { x == nil || y == nil || x != y }
        return differ(a, b) && differ(a, c) && differ(b, c)
    }

    /// The EXPLAIN lines of a part read from the counts.
    static func describeCounts(_ part: PatternPart) -> PlanOperator {
        let first = part.node(0)
        if part.steps.isEmpty {
            return PlanOperator(name: "NodeCountFromCounts", detail: "(\(first.variable ?? "")\(first.labels.first.map { ":" + $0 } ?? ""))", depth: 1)
        }
        let rp = part.steps[0].rel
        let t = "[" + (rp.variable ?? "") + rp.types.map { ":" + $0 }.joined(separator: "|") + "]"
        let arrow = rp.direction == .outgoing ? "-\(t)->" : "<-\(t)-"
        return PlanOperator(name: "RelationshipCountFromCounts", detail: "(\(first.variable ?? ""))\(arrow)(\(part.node(1).variable ?? ""))", depth: 1)
    }
}
