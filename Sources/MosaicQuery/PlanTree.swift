/// The plan the executor runs, as a tree of operators (issue 16). Made by `PlanTree.build`
/// once the planner has planned each clause (`ClausePlan`): a pass that decides, from the
/// clause plans alone, how each operator takes its input (a MATCH's matches streamed into the
/// aggregation after it, or made into the RETURN's values from its slots; a RETURN's rows as
/// they come, or as the aggregation's groups). `Executor.runSingle` walks a part's pipeline
/// of nodes and switches on their kinds: it decides none of this itself. EXPLAIN and PROFILE
/// print the same nodes (`render`), root first.
/// Uses: the AST, the clause plans and the planner's operator lines (Planner.swift).

/// One operator of the tree: a clause of a single query (its plan is
/// `QueryPlan.clauses[part][clause]`), the row a single query starts from, or a UNION of the
/// single queries. Immutable once built.
final class PlanNode: Sendable {
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
    /// The operator whose rows this one takes (nil: a leaf, or a UNION, which has branches).
    let input: PlanNode?
    let branches: [PlanNode]
    /// The single query and clause it runs (-1 for a UNION; the clause is -1 for the argument).
    let part: Int
    let clause: Int
    /// Its line in the planner's operator list (what PROFILE counts rows into), and the lines
    /// below it that describe its steps (a MATCH's anchor and expansions, in the order they run).
    let line: Int?
    let stepLines: Range<Int>

    init(_ kind: Kind, input: PlanNode?, branches: [PlanNode] = [], part: Int, clause: Int, line: Int?, stepLines: Range<Int>) {
        self.kind = kind; self.input = input; self.branches = branches
        self.part = part; self.clause = clause; self.line = line; self.stepLines = stepLines
    }

    /// Leaf first, this node last: the nodes of the pipeline ending here, which the executor
    /// runs in that order (each taking the rows of the one before).
    var pipeline: [PlanNode] {
        var nodes: [PlanNode] = []
        var at: PlanNode? = self
        while let n = at { nodes.append(n); at = n.input }
        return nodes.reversed()
    }
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

enum PlanTree {
    /// The tree of `ast`'s plan: one pipeline per single query (argument → its clauses), under
    /// a UNION node when there are several. `clauses` are the planned clauses, `heads` each
    /// clause's operator line (nil: none) and `unionLines` the UNION lines, in the planner's
    /// operator list of `lineCount` lines. Also returns each single query's pipeline (its
    /// root's `pipeline`, kept with the plan so that a run makes none).
    static func build(_ ast: QueryAST, _ clauses: [[ClausePlan]], unionLines: [Int], lineCount: Int)
        -> (root: PlanNode, pipelines: [[PlanNode]]) {
        // a clause's steps are the lines after its own up to the next operator's
        var heads = clauses.flatMap { $0.compactMap(\.operatorIndex) } + unionLines
        heads.sort()
        func steps(after line: Int?) -> Range<Int> {
            guard let line else { return 0..<0 }
            let next = heads.first { $0 > line } ?? lineCount
            return (line + 1)..<next
        }
        var roots: [PlanNode] = []
        for pi in ast.parts.indices {
            let q = ast.parts[pi], plans = clauses[pi]
            var node = PlanNode(.argument, input: nil, part: pi, clause: -1, line: nil, stepLines: 0..<0)
            for ci in q.clauses.indices {
                let cp = plans[ci]
                let kind: PlanNode.Kind
                switch q.clauses[ci] {
                case .match:
                    kind = .match(matchOutput(q, plans, ci))
                case .unwind:
                    kind = .unwind
                case .with:
                    kind = .with(projectionInput(q, plans, ci, after: node.kind))
                case .returns:
                    kind = .returns(projectionInput(q, plans, ci, after: node.kind))
                case .create, .merge, .set, .remove, .delete:
                    kind = .write
                case .call:
                    kind = .call
                }
                node = PlanNode(kind, input: node, part: pi, clause: ci, line: cp.operatorIndex, stepLines: steps(after: cp.operatorIndex))
            }
            roots.append(node)
        }
        let pipelines = roots.map(\.pipeline)
        guard roots.count > 1 else { return (roots[0], pipelines) }
        // (the binder refuses UNION mixed with UNION ALL: one flag holds for every branch)
        let union = PlanNode(.union(all: ast.unionAll.allSatisfy { $0 }), input: nil, branches: roots, part: -1, clause: -1,
                             line: unionLines.last, stepLines: 0..<0)
        return (union, pipelines)
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
        return pp.isPlainList(proj) ? .eachRowsValues : .rows
    }

    /// The lines EXPLAIN and PROFILE print, root first: each operator, its steps indented
    /// below it, then its input at its own depth; a UNION's branches indented below it. Each
    /// entry is a line of the planner's list and the depth it is printed at.
    static func render(_ root: PlanNode, _ lines: [PlanOperator]) -> [(line: Int, depth: Int)] {
        var out: [(line: Int, depth: Int)] = []
        func walk(_ node: PlanNode, _ depth: Int) {
            if let line = node.line { out.append((line, depth)) }
            for s in node.stepLines { out.append((s, depth + max(1, lines[s].depth))) }
            for b in node.branches { walk(b, depth + 1) }
            if let input = node.input { walk(input, depth) }
        }
        walk(root, 0)
        return out
    }
}
