/// The plan the executor runs, as a tree of operators (issue 16). Made by `PlanTree.build`
/// once the planner has planned each clause (`ClausePlan`): a pass that decides, from the
/// clause plans alone, how each operator takes its input (a MATCH's matches streamed into the
/// aggregation after it, or made into the RETURN's values from its slots; a RETURN's rows as
/// they come, or as the aggregation's groups). `Executor.runSingle` walks a single query's
/// pipeline of nodes and switches on their kinds: it decides none of this itself. EXPLAIN and
/// PROFILE print the same nodes (`render`), root first.
/// Uses: the AST, the clause plans and the planner's operator lines (Planner.swift).

/// A query's operator tree. The nodes sit in one array (a plan is made on every compile: with
/// an object per node and two arrays per pipeline, the compile-only bench rows took 0.7–0.8 µs
/// more than before the tree, medians of five alternations): each
/// single query's pipeline leaf first, one single query after the other, then the UNION over
/// them when there are several. A node names its input by its place in the array.
struct PlanTree: Sendable {
    let nodes: [PlanNode]
    /// Where each single query's pipeline starts in `nodes` (empty: one single query, all of them).
    let partStarts: [Int]

    /// The root: the UNION, else the single query's last operator.
    var root: PlanNode { nodes[nodes.count - 1] }

    /// The nodes of single query `part`'s pipeline, leaf first: what the executor runs, in
    /// that order (each taking the rows of the one before).
    func pipeline(_ part: Int) -> ArraySlice<PlanNode> {
        guard !partStarts.isEmpty else { return nodes[...] }
        let end = part + 1 < partStarts.count ? partStarts[part + 1] : nodes.count - 1
        return nodes[partStarts[part]..<end]
    }

    /// The operator whose rows `node` takes (nil: a leaf, or a UNION).
    func input(of node: PlanNode) -> PlanNode? { node.input.map { nodes[$0] } }

    /// A UNION's branches, the single queries' roots in order (none for other nodes).
    func branches(of node: PlanNode) -> [PlanNode] {
        guard case .union = node.kind else { return [] }
        return partStarts.indices.map { pipeline($0).last! }
    }
}

/// One operator of the tree: a clause of a single query (its plan is
/// `QueryPlan.clauses[part][clause]`), the row a single query starts from, or a UNION of the
/// single queries.
struct PlanNode: Sendable {
    enum Kind: Sendable {
        /// The row a single query starts from (empty; the outer row for a subquery).
        case argument
        /// MATCH or OPTIONAL MATCH, and where its matches go.
        case match(MatchOutput)
        case unwind
        /// WITH and RETURN, and what they take from their input.
        case with(ProjectionInput)
        case returns(ProjectionInput)
        /// CREATE, MERGE, SET, REMOVE or DELETE, once per input row.
        case write
        case call
        /// UNION (`all`: UNION ALL) of the single queries, its branches.
        case union(all: Bool)
    }
    let kind: Kind
    /// The place in the tree's nodes of the operator whose rows this one takes (nil: a leaf,
    /// or a UNION, whose branches are the single queries).
    let input: Int?
    /// The single query and clause it runs (-1 for a UNION; the clause is -1 for the argument).
    let part: Int
    let clause: Int
    /// Its line in the planner's operator list (what PROFILE counts rows into), and the lines
    /// below it that describe its steps (a MATCH's anchor and expansions, in the order they run).
    let line: Int?
    let stepLines: Range<Int>
}

/// Where a MATCH's matches go (decided by `PlanTree.build`).
enum MatchOutput: Sendable, Equatable {
    /// Rows, for the next operator.
    case rows
    /// Rows, until the next clause's SKIP + LIMIT rows are made (`ClausePlan.firstRows`).
    case firstRows
    /// The next WITH's or RETURN's values, made from the matcher's slots (ValueSink; a match
    /// the sink cannot take is made into a row instead).
    case values
    /// Each match streamed into the aggregation of the next WITH or RETURN.
    case aggregate(AggregateFeed)
}

/// How the matches reach the aggregation after a MATCH.
enum AggregateFeed: Sendable, Equatable {
    /// As rows.
    case rows
    /// Keys and arguments from the matcher's slots (AggregateSink).
    case slots
    /// The aggregation is count(*)s only: the last hop is counted, not enumerated.
    case countedRows
    /// count(*)s per group (the keys named): the last hop counted per row of the keys.
    case countedGroups(Set<String>)
}

/// What a WITH or RETURN takes from its input.
enum ProjectionInput: Sendable, Equatable {
    /// Rows, projected (and aggregated, sorted, paged) as the projection says.
    case rows
    /// The values a MATCH made from its slots (its rows, when the sink could not take them).
    case values
    /// A RETURN of plain items over rows: each row's values straight into the result.
    case eachRowsValues
    /// The groups of the aggregation the MATCH before fed (`aggregate` output).
    case groups
}

extension PlanTree {
    /// The tree of `ast`'s plan: one pipeline per single query (argument → its clauses), under
    /// a UNION node when there are several. `clauses` are the planned clauses (each with its
    /// line, `operatorIndex`) and `unionLine` the UNION's line, in the planner's operator
    /// list of `lineCount` lines.
    static func build(_ ast: QueryAST, _ clauses: [[ClausePlan]], unionLine: Int?, lineCount: Int) -> PlanTree {
        let union = ast.parts.count > 1
        var nodes: [PlanNode] = []
        nodes.reserveCapacity(ast.parts.reduce(union ? 1 : 0) { $0 + $1.clauses.count + 1 })
        var partStarts: [Int] = []
        if union { partStarts.reserveCapacity(ast.parts.count) }
        for pi in ast.parts.indices {
            let q = ast.parts[pi], plans = clauses[pi]
            if union { partStarts.append(nodes.count) }
            nodes.append(PlanNode(kind: .argument, input: nil, part: pi, clause: -1, line: nil, stepLines: 0..<0))
            for ci in q.clauses.indices {
                let kind: PlanNode.Kind
                switch q.clauses[ci] {
                case .match: kind = .match(matchOutput(q, plans, ci))
                case .unwind: kind = .unwind
                case .with: kind = .with(projectionInput(q, plans, ci, after: nodes[nodes.count - 1].kind))
                case .returns: kind = .returns(projectionInput(q, plans, ci, after: nodes[nodes.count - 1].kind))
                case .create, .merge, .set, .remove, .delete: kind = .write
                case .call: kind = .call
                }
                // a clause's steps are the lines after its own, up to the next operator's (the
                // planner lays the lines out clause by clause, part by part, the UNION's last)
                let line = plans[ci].operatorIndex
                var steps = 0..<0
                if let line {
                    let next = ci + 1 < plans.count ? plans[ci + 1].operatorIndex
                        : pi + 1 < clauses.count ? clauses[pi + 1].first?.operatorIndex : unionLine
                    steps = (line + 1)..<(next ?? lineCount)
                }
                nodes.append(PlanNode(kind: kind, input: nodes.count - 1, part: pi, clause: ci, line: line, stepLines: steps))
            }
        }
        if union {
            // (the binder refuses UNION mixed with UNION ALL: one flag holds for every branch)
            nodes.append(PlanNode(kind: .union(all: ast.unionAll.allSatisfy { $0 }), input: nil, part: -1, clause: -1,
                                  line: unionLine, stepLines: 0..<0))
        }
        return PlanTree(nodes: nodes, partStarts: partStarts)
    }

    /// Where the matches of MATCH `ci` go: into the aggregation of an aggregating projection
    /// after it (counted at the last hop when that aggregation is count(*)s of a lone pattern
    /// with no filter left; from the slots when the planner gave it a sink), into the next
    /// projection's values (a values sink), else rows (the first SKIP + LIMIT of them when a
    /// LIMIT was pushed down).
    static func matchOutput(_ q: SingleQuery, _ plans: [ClausePlan], _ ci: Int) -> MatchOutput {
        guard case .match(let pattern, let optional, let pred, _) = q.clauses[ci] else { return .rows }
        let cp = plans[ci]
        if ci + 1 < plans.count, let next = plans[ci + 1].projection, next.hasAggregates {
            let unfiltered = cp.pushedDown ? cp.residual == nil : pred == nil
            if unfiltered && !optional && pattern.count == 1 && GroupedCountAnchor.onlyCountsRows(next) {
                return .aggregate(next.keyIndices.isEmpty ? .countedRows : .countedGroups(GroupedCountAnchor.keyNames(next)))
            }
            return .aggregate(cp.sink == .aggregates && AggregateSink.projection(q.clauses[ci + 1]) != nil ? .slots : .rows)
        }
        if cp.firstRows != nil { return .firstRows }
        if cp.sink == .values, ci + 1 < plans.count, plans[ci + 1].projection != nil { return .values }
        return .rows
    }

    /// What the WITH or RETURN at `ci` takes from its input, the operator of kind `input`:
    /// a MATCH's values or groups when it feeds them; a RETURN of plain items takes each row's
    /// values, or each group's.
    static func projectionInput(_ q: SingleQuery, _ plans: [ClausePlan], _ ci: Int, after input: PlanNode.Kind) -> ProjectionInput {
        var fed = false
        if case .match(let output) = input {
            if output == .values { return .values }
            if case .aggregate = output { fed = true }
        }
        guard let pp = plans[ci].projection, case .returns(let proj) = q.clauses[ci] else { return .rows }
        if fed { return pp.isPlainAggregateList(proj) ? .groups : .rows }
        return rowsInput(pp, proj)
    }

    /// What a RETURN (`proj`, planned as `pp`) takes from rows: each row's values straight into
    /// the result when it only lists values, else the rows to project. Also what it takes when
    /// the MATCH's values sink made rows after all.
    static func rowsInput(_ pp: ProjectionPlan, _ proj: Projection) -> ProjectionInput {
        pp.isPlainList(proj) ? .eachRowsValues : .rows
    }

    /// The lines EXPLAIN and PROFILE print, root first: each operator, its steps indented
    /// below it, then its input at its own depth; a UNION's branches indented below it. Each
    /// entry is a line of the planner's list and the depth it is printed at.
    static func render(_ tree: PlanTree, _ lines: [PlanOperator]) -> [(line: Int, depth: Int)] {
        var out: [(line: Int, depth: Int)] = []
        func walk(_ node: PlanNode, _ depth: Int) {
            if let line = node.line { out.append((line, depth)) }
            for s in node.stepLines { out.append((s, depth + max(1, lines[s].depth))) }
            for b in tree.branches(of: node) { walk(b, depth + 1) }
            if let input = tree.input(of: node) { walk(input, depth) }
        }
        walk(tree.root, 0)
        return out
    }
}
