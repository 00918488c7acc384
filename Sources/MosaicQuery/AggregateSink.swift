/// Rows as slots between a MATCH and the aggregating WITH or RETURN after it (issue 16): the
/// matcher computes each match's grouping keys and aggregate arguments straight from its slots
/// and hands the values to the aggregator, instead of making a `Row` per match that
/// the aggregator then reads by name. `RETURN o.name, count(p), collect(p.name)` over a
/// pattern makes no row until the groups' rows.
///
/// The planner decides (`ClausePlan.sink`: `applies`, then `takes`: the projection's groups
/// are its rows, keys and bare aggregates, ORDER BY on columns only, no percentiles, which
/// read a row) and EXPLAIN marks the projection; the executor makes a sink (under PROFILE too);
/// `Executor.matchPart` takes it for each of the MATCH's rows whose keys and arguments compile
/// against the part's slots (`SlotExpr`), and otherwise hands the aggregator rows as before
/// (both feed the same aggregator, in match order). `SlotMatchingTests.testAggregatesFromSlots`
/// compares the answers with the general path.
/// Uses: Aggregator (Projection.swift), SlotExpr, MatchSlots.
final class AggregateSink {
    /// The pattern part's source offset (a subquery's MATCH inside this one is another part).
    let part: Int
    let aggregator: Aggregator
    /// The RETURN's grouping keys, and each aggregate's argument (nil: `count(*)`).
    let keys: [Expr]
    let arguments: [Expr?]
    /// Whether the matcher fed the aggregator from the slots (for some row of the MATCH at least).
    var fromSlots = false

    /// The keys and arguments compiled against one part's slots.
    struct Compiled {
        var keys: [SlotExpr]
        var arguments: [SlotExpr?]
    }

    /// Whether a projection's groups are just its keys and aggregates, each aggregate of one
    /// argument (or count(*)) and no percentile (which reads a row), and its ORDER BY names
    /// columns: what the sink computes. The planner asks (`Planner.matchSink`).
    static func takes(_ plan: ProjectionPlan, _ proj: Projection) -> Bool {
        guard plan.groupsAreRows(proj), plan.sortColumns != nil else { return false }
        return plan.aggregates.indices.allSatisfy { i in
            let name = plan.aggregateNames[i]
            if name == "count(*)" { return true }
            guard !name.hasPrefix("percentile"), case .function(_, _, let args) = plan.aggregates[i].kind else { return false }
            return args.count == 1
        }
    }

    /// For a projection the sink `takes`.
    init(part: Int, _ aggregator: Aggregator, _ proj: Projection) {
        let plan = aggregator.plan
        var arguments: [Expr?] = []
        for (i, a) in plan.aggregates.enumerated() {
            if plan.aggregateNames[i] == "count(*)" { arguments.append(nil); continue }
            guard case .function(_, _, let args) = a.kind else { preconditionFailure("AggregateSink: the planner checked `takes`") }
            arguments.append(args[0])
        }
        self.part = part
        self.aggregator = aggregator
        self.keys = plan.keyIndices.map { plan.items[$0].expr }
        self.arguments = arguments
    }

    /// Whether the MATCH `ci` (its `pattern`, with `rest` of its WHERE left over) may feed the
    /// aggregating WITH or RETURN after it from its slots: one pattern part without a path
    /// variable or a variable-length step, all of its WHERE pushed into the pattern (OPTIONAL
    /// too: a row that matches nothing goes to the aggregator as a row with nulls, as before). (A WITH's WHERE and
    /// ORDER BY, like a RETURN's, read only the names it projects, which a group's keys and
    /// aggregates give.)
    static func applies(_ ast: QueryAST, _ pi: Int, _ ci: Int, _ pattern: Pattern, rest: Expr?) -> Bool {
        guard rest == nil, pattern.count == 1, pattern[0].pathVariable == nil, pattern[0].shortest == 0,
              !pattern[0].steps.contains(where: { $0.rel.range != nil }),  // (no slots for a variable length: MatchSlots)
              ci + 1 < ast.parts[pi].clauses.count, let p = projection(ast.parts[pi].clauses[ci + 1]) else { return false }
        return !p.distinct && p.items.contains { $0.expr.containsAggregate }
    }

    /// The projection of a WITH or RETURN.
    static func projection(_ clause: Clause) -> Projection? {
        switch clause {
        case .returns(let p), .with(let p, _): return p
        default: return nil
        }
    }

    /// The last compilation, for the MATCH's later rows.
    @exclusivity(unchecked) private var kept = KeptCompilation<Compiled>()

    /// The keys and arguments compiled against the part's slots, or nil when one does not compile.
    func compiled<G: QueryGraph>(for slots: MatchSlots, _ ex: Executor<G>) -> Compiled? {
        kept.value(for: slots) {
            guard let keys = SlotExpr.compile(all: self.keys, slots.names, ex) else { return nil }
            var arguments: [SlotExpr?] = []
            for a in self.arguments {
                guard let a else { arguments.append(nil); continue }
                guard let c = SlotExpr.compile(a, slots.names, ex) else { return nil }
                arguments.append(c)
            }
            return Compiled(keys: keys, arguments: arguments)
        }
    }
}

extension Executor {
    /// Adds the match in the slots to the sink's aggregator: its group by the compiled keys,
    /// then each aggregate's argument folded in (what `Aggregator.add` does with a row).
    func aggregate(_ sink: AggregateSink, _ c: AggregateSink.Compiled, _ nodeIDs: UnsafeMutablePointer<Int>,
                   _ relIDs: UnsafeMutablePointer<Int>, _ row: Row) throws {
        let agg = sink.aggregator
        let g: Int
        if c.keys.count == 1 {
            g = try agg.group(single: eval(c.keys[0], nodeIDs, relIDs, row), [:])
        } else {
            var k: [QueryValue] = []
            if !c.keys.isEmpty {
                k.reserveCapacity(c.keys.count)
                for e in c.keys { k.append(try eval(e, nodeIDs, relIDs, row)) }
            }
            g = try agg.group(keys: k, [:])
        }
        for i in c.arguments.indices {
            guard let e = c.arguments[i] else { agg.countRow(g, i); continue }
            try agg.accumulate(g, i, try eval(e, nodeIDs, relIDs, row))
        }
    }
}
