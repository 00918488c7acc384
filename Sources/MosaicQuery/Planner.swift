/// Limits that keep a runaway query from hanging its caller.
public struct QueryLimits: Sendable {
    /// Matching and expansion steps before the query fails with a ResourceLimit error.
    public var maxSteps: Int
    /// Wall-clock seconds before the query fails; nil for no limit.
    public var timeout: Double?
    /// Polled while the query runs (every few thousand steps): true cancels it (Ctrl-C in
    /// the console), and nothing is written.
    public var isCancelled: (@Sendable () -> Bool)?
    /// The memory the query may hold, in bytes (an estimate: the rows between clauses,
    /// groups and collected values, shortestPath frontiers; one string or list may not
    /// exceed what is left). Past it the query fails with ResourceLimit (MemoryLimit).
    public var maxMemory: Int
    /// The default memory budget: 1 GiB.
    public static let defaultMaxMemory = 1 << 30
    public init(maxSteps: Int = 200_000_000, timeout: Double? = nil, maxMemory: Int = QueryLimits.defaultMaxMemory,
                isCancelled: (@Sendable () -> Bool)? = nil) {
        self.maxSteps = maxSteps; self.timeout = timeout; self.maxMemory = maxMemory; self.isCancelled = isCancelled
    }
}

/// How a pattern part finds its first node.
enum AnchorAccess: Sendable {
    case bound(String)              // a variable bound by an earlier clause
    case property(String, Expr)     // an indexed property (id, name) equal to an expression
    case labelOrScan                // the smallest of the node's labels, else all nodes
    /// An unlabelled node with no lookup at the near end of a typed relationship: only the
    /// nodes that have a relationship of one of `types` in `direction` (instead of all nodes).
    case relationshipType([String], Direction)

    /// Whether a better anchor (an indexed equality in WHERE) should replace this one.
    var isScan: Bool {
        switch self { case .labelOrScan, .relationshipType: return true; case .bound, .property: return false }
    }
}

extension PartPlan {
    func pathVariableFree(_ part: PatternPart) -> Bool { part.pathVariable == nil && part.shortest == 0 }
}

/// A set of small indices (a pattern's nodes or steps) as bits: no allocation for the
/// usual pattern; a set holds indices from 64 on.
struct IndexMask: Sendable {
    private var bits: UInt64 = 0
    private var more: Set<Int> = []
    subscript(_ i: Int) -> Bool { i < 64 ? bits & (1 << UInt64(i)) != 0 : more.contains(i) }
    mutating func insert(_ i: Int) { if i < 64 { bits |= 1 << UInt64(i) } else { more.insert(i) } }
    init() {}
    init(_ indices: [Int]) { for i in indices { insert(i) } }
    var any: Bool { bits != 0 || !more.isEmpty }
    /// The mask as a plain value for hot loops: exact below 64, true from 64 on (callers
    /// use it only where true means "check", which is always correct).
    var low: LowMask { LowMask(bits: bits) }
}

/// See `IndexMask.low`: no reference inside, so copies cost nothing.
struct LowMask {
    var bits: UInt64 = 0
    @inline(__always) subscript(_ i: Int) -> Bool { i < 64 ? bits & (1 << UInt64(i)) != 0 : true }
    mutating func insert(_ i: Int) { if i < 64 { bits |= 1 << UInt64(i) } }
}

/// One expansion of a pattern part: step `step` (a relationship and its far node),
/// walked forward (left to right) or backward.
struct ExpandStep: Sendable {
    var step: Int
    var forward: Bool
}

/// How one pattern part is matched. Its fields live in one copy-on-write object: the
/// executor copies part plans out of clause plans on every run, and a copy is one reference
/// count instead of one per array and set it holds (issue 16). The fields read and write
/// through `Fields` (dynamic members), but for the WHERE conjuncts, whose setters keep the
/// masks of the stages that have some.
@dynamicMemberLookup
struct PartPlan: Sendable {
    struct Fields: Sendable {
        var anchor: Int
        var access: AnchorAccess
        var nodes: [NodePattern] = []
        /// The nodes / relationships whose variable need not be bound in the row (nothing
        /// reads it again, so matching skips the work).
        var unboundNodes = IndexMask()
        var unboundRels = IndexMask()
        /// WHERE conjuncts checked as soon as their variables are bound: `filters[k]` runs
        /// before expansion step k (index 0: right after the anchor); `relFilters[k]` need only
        /// the relationship of expansion step k (checked before its target node is looked at).
        fileprivate(set) var filters: [[Expr]] = []
        fileprivate(set) var relFilters: [[Expr]] = []
        /// The stages with filters / relationship filters.
        fileprivate(set) var filtered = IndexMask()
        fileprivate(set) var relFiltered = IndexMask()
        /// Expansion order: rightwards from the anchor, then leftwards (a struct, not a tuple:
        /// arrays of tuples look their type metadata up at run time).
        var order: [ExpandStep] = []
        /// Under EXPLAIN/PROFILE: the operator of the anchor; the operator of expansion step k
        /// follows it at `profileBase + 1 + k` (PROFILE counts each stage's rows there). -1: none.
        var profileBase = -1
        /// How the last expansion runs (LastHop.swift): enumerated, counted, or its distinct ends.
        var lastHop = LastHop.enumerate
        /// Whether a node or relationship of the part has a property map (set by `complete`):
        /// without one, the matcher evaluates none per row.
        var hasPropertyMaps = true
    }
    // @unchecked Sendable: `fields` changes only through `PartPlan`'s setters, which copy the
    // object first unless this value holds the only reference (plans are shared only once made).
    private final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ f: Fields) { fields = f }
    }
    private var storage: Storage
    private var mutable: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            return storage
        }
    }
    init(_ fields: Fields) { storage = Storage(fields) }
    /// Which plan this is (its fields' object): what kept state made for it is checked against.
    var identity: ObjectIdentifier { ObjectIdentifier(storage) }

    subscript<T>(dynamicMember field: WritableKeyPath<Fields, T>) -> T {
        @inline(__always) get { storage.fields[keyPath: field] }
        @inline(__always) set { mutable.fields[keyPath: field] = newValue }
    }
    subscript<T>(dynamicMember field: KeyPath<Fields, T>) -> T {
        @inline(__always) get { storage.fields[keyPath: field] }
    }

    var filters: [[Expr]] {
        get { storage.fields.filters }
        set { let s = mutable; s.fields.filters = newValue; s.fields.filtered = Self.stages(newValue) }
    }
    var relFilters: [[Expr]] {
        get { storage.fields.relFilters }
        set { let s = mutable; s.fields.relFilters = newValue; s.fields.relFiltered = Self.stages(newValue) }
    }
    /// The stages that have some conjunct.
    private static func stages(_ conjuncts: [[Expr]]) -> IndexMask {
        IndexMask(conjuncts.indices.filter { !conjuncts[$0].isEmpty })
    }
}

/// What the planner decided for one clause. Constant once planned: its fields live in one
/// shared object, so the executor's copies of it cost one reference count instead of one
/// per array it holds (issue 16: copies of plan values were about a third of a small
/// query's time). The planner fills a `ClausePlan.Fields` and freezes it.
struct ClausePlan: Sendable {
    struct Fields: Sendable {
        var parts: [PartPlan]?
        /// Variables an OPTIONAL MATCH introduces (bound to null when nothing matches); empty
        /// for other clauses (nothing reads it).
        var introduced: [String] = []
        /// Variables in scope before the clause (what `*` projects when there are no rows).
        var starNames: [String] = []
        /// The variables a MATCH's rows bind, once each, in the order they appear: not those
        /// read nowhere else, which the matcher leaves unbound (`unboundNodes`, `unboundRels`).
        /// The slots the executor widens its input rows to (`Executor.execMatch`, `Row.widened`);
        /// found in the same pass that marks the unbound ones.
        var variables: [String] = []
        var projection: ProjectionPlan?
        /// The part of a MATCH's WHERE not pushed into the pattern (nil: all of it was pushed).
        var residual: Expr?
        var pushedDown = false
        var operatorIndex: Int?
        /// The count operator a MATCH runs as instead of the general matcher (CountOperator.swift).
        var counting: CountOperator?
        /// LIMIT pushed into a MATCH or UNWIND: the next clause keeps the first SKIP + LIMIT rows
        /// in the order they come, so the clause stops after making that many
        /// (`Planner.limitPushed`; EXPLAIN: "first SKIP + LIMIT rows" on the clause).
        var firstRows: (limit: Expr, skip: Expr?)?
        /// Where a MATCH hands its matches instead of making rows: the RETURN's values or the
        /// aggregating WITH/RETURN's keys and arguments, computed from the matcher's slots
        /// (`Planner.matchSink`; EXPLAIN marks the projection that takes them).
        var sink: MatchSink?
    }
    private final class Storage: Sendable {
        let fields: Fields
        init(_ f: Fields) { fields = f }
    }
    private let storage: Storage
    init(_ fields: Fields = Fields()) { storage = Storage(fields) }

    var parts: [PartPlan]? { storage.fields.parts }
    var introduced: [String] { storage.fields.introduced }
    var starNames: [String] { storage.fields.starNames }
    var variables: [String] { storage.fields.variables }
    var projection: ProjectionPlan? { storage.fields.projection }
    var residual: Expr? { storage.fields.residual }
    var pushedDown: Bool { storage.fields.pushedDown }
    var operatorIndex: Int? { storage.fields.operatorIndex }
    var counting: CountOperator? { storage.fields.counting }
    var firstRows: (limit: Expr, skip: Expr?)? { storage.fields.firstRows }
    var sink: MatchSink? { storage.fields.sink }
}

/// A query's plan: immutable once made, its fields in one object, so the copies a run makes
/// (the prepared query's plan into its executor) cost one reference count, not one per
/// array and pattern it holds (6% of a prepared lookup by id in a profile, fourteenth session).
struct QueryPlan: Sendable {
    private final class Storage: Sendable {
        let ast: QueryAST
        let clauses: [[ClausePlan]]
        let tree: PlanTree
        let operators: [PlanOperator]
        let statisticsSensitive: Bool
        let countQuery: CountQuery?
        let nodeLookup: NodeLookupQuery?
        init(_ ast: QueryAST, _ clauses: [[ClausePlan]], _ tree: PlanTree,
             _ operators: [PlanOperator], _ sensitive: Bool, _ countQuery: CountQuery?, _ nodeLookup: NodeLookupQuery?) {
            self.ast = ast; self.clauses = clauses; self.tree = tree
            self.operators = operators; statisticsSensitive = sensitive
            self.countQuery = countQuery; self.nodeLookup = nodeLookup
        }
    }
    private let storage: Storage
    init(ast: QueryAST, clauses: [[ClausePlan]], tree: PlanTree, operators: [PlanOperator],
         statisticsSensitive: Bool = false, countQuery: CountQuery? = nil, nodeLookup: NodeLookupQuery? = nil) {
        storage = Storage(ast, clauses, tree, operators, statisticsSensitive, countQuery, nodeLookup)
    }

    var ast: QueryAST { _read { yield storage.ast } }
    var clauses: [[ClausePlan]] { _read { yield storage.clauses } }
    /// The operator tree the executor runs (PlanTree.swift).
    var tree: PlanTree { _read { yield storage.tree } }
    /// The planner's operator lines, in the order it planned them: what PROFILE counts rows
    /// into (`ClausePlan.operatorIndex`, `PartPlan.profileBase`). EXPLAIN prints them as the
    /// tree orders them (`explained`).
    var operators: [PlanOperator] { _read { yield storage.operators } }
    /// The lines EXPLAIN prints, root first (`PlanTree.render`), each with its planner line.
    var explained: [(line: Int, op: PlanOperator)] {
        PlanTree.render(tree, operators).map { line, depth in
            var op = operators[line]
            op.depth = depth
            return (line, op)
        }
    }
    /// The operators EXPLAIN prints, in its order.
    var explainedOperators: [PlanOperator] { explained.map(\.op) }
    /// Whether some anchor was (or, planned without counts, would be) chosen by the graph's
    /// counts: then a prepared query plans again for the graph it runs on (`AdaptivePlan`).
    var statisticsSensitive: Bool { storage.statisticsSensitive }
    /// The whole query as one count operator (CountQuery.swift), or as one index lookup and
    /// the values of the node found (NodeLookupQuery.swift), when it is that.
    var countQuery: CountQuery? { _read { yield storage.countQuery } }
    var nodeLookup: NodeLookupQuery? { _read { yield storage.nodeLookup } }
}

/// Chooses, for every pattern, the most selective anchor: a bound variable, then an
/// id/name lookup, then a labelled node (scanned by its rarest label at run time), then the
/// near end of a typed relationship, else a scan of every node; and lays out the operator
/// list. Without `stats` a plan does not depend on the graph (it is cached by text); with
/// them, the counts pick among labelled nodes and among typed relationships (`planPart`).
enum Planner {
    static let indexedKeys: Set<String> = ["id", "name"]

    static func plan(_ ast: QueryAST, scopes: [[Binder.Scope]], describe wantText: Bool = true,
                     stats: PlanStatistics? = nil) -> QueryPlan {
        var sensitive = false
        var clauses: [[ClausePlan]] = []
        clauses.reserveCapacity(ast.parts.count)
        var ops: [PlanOperator] = []
        ops.reserveCapacity(ast.parts.reduce(ast.parts.count) { $0 + $1.clauses.count })
        let uses = variableUses(ast)
        for pi in ast.parts.indices {
            // clauses switched on in place: binding a whole Clause copies (retains) every field
            let clauseCount = ast.parts[pi].clauses.count
            var cps: [ClausePlan.Fields] = []
            cps.reserveCapacity(clauseCount)
            // the aggregating WITH's or RETURN's plan the rewrites of the MATCH before it read,
            // kept for that clause (a projection plan is made once, not once per reader)
            var nextMade: (clause: Int, plan: ProjectionPlan)? = nil
            for ci in 0..<clauseCount {
                let scope = scopes[pi][ci]
                var bound: Set<String> { Set(scope.keys) }
                var cp = ClausePlan.Fields()
                switch ast.parts[pi].clauses[ci] {
                case .match(let pattern, let optional, let pred, _):
                    let bound = bound
                    var b = bound
                    var parts: [PartPlan] = []
                    parts.reserveCapacity(pattern.count)
                    let pushed = pred.map { equalityConjuncts($0) } ?? []
                    // one allocation for the names the pattern may introduce (no growth)
                    if optional { cp.introduced.reserveCapacity(pattern.reduce(0) { $0 + 2 * $1.steps.count + 2 }) }
                    let next = pattern.count == 1 && !optional ? nextProjection(ast, pi, ci) : nil
                    if let next { nextMade = (ci + 1, next) }
                    for pp in pattern {
                        var plan = planPart(pp, bound: b, stats: stats)
                        let ppNodes = plan.nodes
                        if plan.access.isScan {
                            // an indexed equality in WHERE (n.name = $x) can anchor the pattern
                            for (i, np) in ppNodes.enumerated() {
                                guard let v = np.variable, !b.contains(v) else { continue }
                                if let (k, e) = pushed.first(where: { $0.0 == v && indexedKeys.contains($0.1) }).map({ ($0.1, $0.2) }) {
                                    var free = Set<String>(); e.freeVariables(into: &free)
                                    if free.isSubset(of: b) { plan = complete(anchor: i, access: .property(k, e), pp); break }
                                }
                            }
                        }
                        if pattern.count == 1, !optional, pred == nil, pp.steps.count == 1, let next,
                           let grouped = GroupedCountAnchor.rewrite(pp, plan, next: next, bound: b) {
                            plan = grouped  // counted by degree at the grouping end, whatever the counts
                        } else if plan.access.isScan, !sensitive, anchorDependsOnCounts(pp, bound: b) {
                            sensitive = true
                        }
                        parts.append(plan)
                        let more = parts.count < pattern.count  // b is read only by the parts after this one
                        // (a variable read nowhere else is bound by no row: not to null either)
                        for i in ppNodes.indices { if let v = ppNodes[i].variable { if more { b.insert(v) }; if optional && !bound.contains(v) && uses.readAgain(v) { cp.introduced.append(v) } } }
                        for i in pp.steps.indices { if let v = pp.steps[i].rel.variable, !bound.contains(v) { if more { b.insert(v) }; if optional && uses.readAgain(v) { cp.introduced.append(v) } } }
                        if let pv = pp.pathVariable { if more { b.insert(pv) }; if optional { cp.introduced.append(pv) } }
                    }
                    for k in pattern.indices {
                        if let pv = pattern[k].pathVariable, !cp.variables.contains(pv) { cp.variables.append(pv) }
                        for i in parts[k].nodes.indices {
                            guard let v = parts[k].nodes[i].variable else { continue }
                            if !bound.contains(v), !uses.readAgain(v) { parts[k].unboundNodes.insert(i) }
                            else if !cp.variables.contains(v) { cp.variables.append(v) }
                        }
                        for i in pattern[k].steps.indices {
                            guard let v = pattern[k].steps[i].rel.variable else { continue }
                            if !bound.contains(v), !uses.readAgain(v) { parts[k].unboundRels.insert(i) }
                            else if !cp.variables.contains(v) { cp.variables.append(v) }
                        }
                    }
                    if pattern.count == 1, let w = pred, parts[0].pathVariableFree(pattern[0]) {
                        let (filters, relFilters, rest) = pushDown(w, pattern[0], parts[0], bound: bound)
                        parts[0].filters = filters
                        parts[0].relFilters = relFilters
                        cp.residual = rest
                        cp.pushedDown = true
                    }
                    cp.operatorIndex = ops.count
                    let rest = cp.pushedDown ? cp.residual : pred
                    if pattern.count == 1, !optional {
                        (parts[0].lastHop, cp.counting) = shortcuts(ast, pi, ci, pattern[0], parts[0], rest: rest, next: next, bound: bound)
                    }
                    cp.firstRows = optional ? nil : limitPushed(ast, pi, ci)
                    if ValueSink.applies(ast, pi, ci, pattern, parts.first, rest: rest) {
                        cp.sink = .values
                    } else if AggregateSink.applies(ast, pi, ci, pattern, rest: rest) {
                        cp.sink = .aggregates
                    }
                    ops.append(PlanOperator(name: optional ? "OptionalMatch" : "Match",
                                            detail: wantText ? [rest.map { "WHERE " + $0.canonical }, cp.firstRows.map(firstRowsText)].compactMap { $0 }.joined(separator: " ") : "", depth: 0))
                    if wantText {
                        for k in parts.indices {
                            parts[k].profileBase = ops.count
                            switch cp.counting {
                            case .fromCounts?: ops.append(CountOperator.describeCounts(pattern[k]))
                            case .byAnchor?, nil: ops += describe(pattern[k], parts[k])
                            }
                        }
                    }
                    cp.parts = parts
                case .unwind(let e, let v, _):
                    cp.operatorIndex = ops.count
                    cp.firstRows = limitPushed(ast, pi, ci)
                    ops.append(PlanOperator(name: "Unwind", detail: wantText ? "\(e.canonical) AS \(v)" + (cp.firstRows.map { " " + firstRowsText($0) } ?? "") : "", depth: 0))
                case .with(let p, let w):
                    if p.star { cp.starNames = scope.keys.sorted() }
                    cp.projection = nextMade?.clause == ci ? nextMade!.plan : ProjectionPlan(p, starNames: cp.starNames)
                    cp.operatorIndex = ops.count
                    ops.append(PlanOperator(name: p.items.contains { $0.expr.containsAggregate } ? "Aggregate" : "Projection", detail: wantText ? projectionDetail(p) + (w.map { " WHERE " + $0.canonical } ?? "") : "", depth: 0))
                case .returns(let p):
                    if p.star { cp.starNames = scope.keys.sorted() }
                    cp.projection = nextMade?.clause == ci ? nextMade!.plan : ProjectionPlan(p, starNames: cp.starNames)
                    cp.operatorIndex = ops.count
                    ops.append(PlanOperator(name: p.items.contains { $0.expr.containsAggregate } ? "AggregateResults" : "ProduceResults", detail: wantText ? projectionDetail(p) : "", depth: 0))
                case .create(let pattern, _):
                    cp.operatorIndex = ops.count
                    ops.append(PlanOperator(name: "Create", detail: "\(pattern.count) pattern part(s)", depth: 0))
                case .merge(let pp, _, _, _):
                    cp.parts = [planPart(pp, bound: bound)]
                    cp.operatorIndex = ops.count
                    ops.append(PlanOperator(name: "Merge", detail: wantText ? summary(pp, cp.parts![0]) : "", depth: 0))
                case .set: cp.operatorIndex = ops.count; ops.append(PlanOperator(name: "SetProperties", detail: "", depth: 0))
                case .remove: cp.operatorIndex = ops.count; ops.append(PlanOperator(name: "Remove", detail: "", depth: 0))
                case .delete(_, let detach, _): cp.operatorIndex = ops.count; ops.append(PlanOperator(name: detach ? "DetachDelete" : "Delete", detail: "", depth: 0))
                case .call(let n, let args, let yields, let w, _):
                    cp.operatorIndex = ops.count
                    var d = n
                    if wantText {
                        if let a = args { d += "(" + a.map(\.canonical).joined(separator: ", ") + ")" }
                        if let y = yields { d += " YIELD " + (y.isEmpty ? "*" : y.map { $0.0 == $0.1 ? $0.0 : "\($0.0) AS \($0.1)" }.joined(separator: ", ")) }
                        if let w = w { d += " WHERE " + w.canonical }
                    }
                    ops.append(PlanOperator(name: "ProcedureCall", detail: d, depth: 0))
                }
                cps.append(cp)
            }
            for ci in cps.indices where cps[ci].sink != nil {
                cps[ci].sink = matchSink(cps[ci], next: cps[ci + 1], ast.parts[pi].clauses[ci + 1])
                if wantText, let sink = cps[ci].sink, let op = cps[ci + 1].operatorIndex {
                    // (PROFILE runs the same: it counts each operator's rows as the sink takes them)
                    ops[op].detail += (ops[op].detail.isEmpty ? "" : " ") + sink.explainMark
                }
            }
            if wantText {
                // each clause's operator with the variables its rows bind (the scope after it;
                // a RETURN's, its columns)
                for ci in cps.indices {
                    guard let op = cps[ci].operatorIndex else { continue }
                    if let p = cps[ci].projection, case .returns = ast.parts[pi].clauses[ci] {
                        ops[op].variables = p.columns
                    } else if ci + 1 < scopes[pi].count {
                        ops[op].variables = scopes[pi][ci + 1].keys.filter(Binder.isUserVariable)
                    }
                }
            }
            clauses.append(cps.map(ClausePlan.init))
        }
        var unionLine: Int? = nil
        if ast.parts.count > 1 {
            unionLine = ops.count
            ops.append(PlanOperator(name: ast.unionAll.allSatisfy { $0 } ? "UnionAll" : "Union", detail: "", depth: 0))
            if wantText, let r = clauses[0].last?.operatorIndex { ops[unionLine!].variables = ops[r].variables }
        }
        let countQuery = CountQuery.choose(ast, clauses), nodeLookup = NodeLookupQuery.choose(ast, clauses)
        if wantText, countQuery != nil || nodeLookup != nil, let r = clauses[0][1].operatorIndex {
            // EXPLAIN and PROFILE say what a run does
            ops[r].detail += (ops[r].detail.isEmpty ? "" : " ") + (countQuery != nil ? CountQuery.explainMark : NodeLookupQuery.explainMark)
        }
        let tree = PlanTree.build(ast, clauses, unionLine: unionLine, lineCount: ops.count)
        return QueryPlan(ast: ast, clauses: clauses, tree: tree, operators: ops, statisticsSensitive: sensitive,
                         countQuery: countQuery, nodeLookup: nodeLookup)
    }

    /// The names the query mentions (declarations and uses, one entry per occurrence), and
    /// whether some projection uses `*` (then every variable is needed). An array, not a
    /// dictionary of counts: queries mention few names, and most are never counted.
    struct VariableUses {
        var names: [String] = []
        var star = false

        func count(_ v: String) -> Int {
            var n = 0
            for x in names where x == v { n += 1 }
            return n
        }

        /// Whether a variable a MATCH introduces is read again after its declaration (or
        /// every variable may be, under `*`): otherwise the matcher leaves it unbound, and an
        /// OPTIONAL MATCH without a match does not bind it to null either.
        func readAgain(_ v: String) -> Bool { star || count(v) > 1 }

        mutating func pattern(_ p: PatternPart) {
            // fields read in place: copying a NodePattern or a step retains all its fields
            if let v = p.pathVariable { names.append(v) }
            if let v = p.start.variable { names.append(v) }
            if let e = p.start.properties { expr(e) }
            for i in p.steps.indices {
                if let v = p.steps[i].node.variable { names.append(v) }
                if let e = p.steps[i].node.properties { expr(e) }
            }
            for i in p.steps.indices {
                if let v = p.steps[i].rel.variable { names.append(v) }
                if let e = p.steps[i].rel.properties { expr(e) }
            }
        }
        mutating func expr(_ e: Expr) {
            switch e.kind {
            case .variable(let v): names.append(v)
            case .literal, .parameter, .countStar: break
            case .pattern(let p): pattern(p)
            case .exists(let ps, let w): for p in ps { pattern(p) }; if let w = w { expr(w) }
            case .existsQuery: star = true  // the subquery may read any outer variable
            case .patternComprehension(let pv, let p, let w, let pr):
                if let pv = pv { names.append(pv) }
                pattern(p); if let w = w { expr(w) }; expr(pr)
            case .mapProjection(let v, let items):
                names.append(v)
                for it in items {
                    if case .variable(let x) = it { names.append(x) }
                    if case .literal(_, let x) = it { expr(x) }
                }
            default: e.forEachChild { expr($0) }
            }
        }
        mutating func proj(_ p: Projection) {
            if p.star { star = true }
            for it in p.items { expr(it.expr) }
            for o in p.order { expr(o.expr) }
            if let s = p.skip { expr(s) }
            if let l = p.limit { expr(l) }
        }
        mutating func setItem(_ s: SetItem) {
            switch s {
            case .property(let t, _, let v): expr(t); expr(v)
            case .replaceAll(let n, let v, _), .merge(let n, let v, _): names.append(n); expr(v)
            case .labels(let n, _, _): names.append(n)
            }
        }
        mutating func clause(_ c: Clause) {
            switch c {
            case .match(let p, _, let w, _): for x in p { pattern(x) }; if let w = w { expr(w) }
            case .unwind(let e, let v, _): expr(e); names.append(v)
            case .with(let p, let w): proj(p); if let w = w { expr(w) }
            case .returns(let p): proj(p)
            case .create(let p, _): for x in p { pattern(x) }
            case .merge(let p, let a, let b, _): pattern(p); for x in a { setItem(x) }; for x in b { setItem(x) }
            case .set(let items, _): for x in items { setItem(x) }
            case .remove(let items, _):
                for it in items {
                    switch it { case .property(let t, _): expr(t); case .labels(let n, _, _): names.append(n) }
                }
            case .delete(let es, _, _): for e in es { expr(e) }
            case .call(_, let args, let yields, let w, _):
                for e in args ?? [] { expr(e) }
                for y in yields ?? [] { names.append(y.1) }
                if let w = w { expr(w) }
            }
        }
    }

    static func variableUses(_ ast: QueryAST) -> VariableUses {
        var uses = VariableUses()
        uses.names.reserveCapacity(16)
        for pi in ast.parts.indices { for ci in ast.parts[pi].clauses.indices { uses.clause(ast.parts[pi].clauses[ci]) } }
        return uses
    }

    static func projectionDetail(_ p: Projection) -> String {
        var s = (p.distinct ? "DISTINCT " : "") + (p.star ? "*" : "") + p.items.map(\.name).joined(separator: ", ")
        if !p.order.isEmpty { s += " ORDER BY " + p.order.map { $0.expr.canonical + ($0.ascending ? "" : " DESC") }.joined(separator: ", ") }
        if let sk = p.skip { s += " SKIP " + sk.canonical }
        if let l = p.limit { s += " LIMIT " + l.canonical }
        return s
    }

    /// The rewrites that decide how a MATCH of one pattern part `part` (planned as `plan`,
    /// with `rest` of its WHERE left over) runs: its last hop (LastHop) and, as the query's
    /// first clause, a count operator (CountOperator).
    /// `next`: the plan of the aggregating WITH or RETURN after the MATCH (`nextProjection`).
    static func shortcuts(_ ast: QueryAST, _ pi: Int, _ ci: Int, _ part: PatternPart, _ plan: PartPlan, rest: Expr?,
                          next: ProjectionPlan?, bound: Set<String>) -> (LastHop, CountOperator?) {
        let aggregating = rest == nil ? next : nil
        let lastHop = LastHop.choose(part, plan, aggregating: aggregating, distinct: distinctAfter(ast, pi, ci), bound: bound)
        let counting = ci == 0 ? aggregating.flatMap { CountOperator.choose(part, plan, next: $0) } : nil
        return (lastHop, counting)
    }

    /// Whether the clause after clause `ci` is a WITH/RETURN DISTINCT without aggregates.
    static func distinctAfter(_ ast: QueryAST, _ pi: Int, _ ci: Int) -> Bool {
        guard ci + 1 < ast.parts[pi].clauses.count else { return false }
        switch ast.parts[pi].clauses[ci + 1] {
        case .with(let p, _), .returns(let p): return p.distinct && !p.items.contains { $0.expr.containsAggregate }
        default: return false
        }
    }

    /// The plan of the aggregating WITH or RETURN right after clause `ci` (nil when there is
    /// none, or it projects `*`).
    static func nextProjection(_ ast: QueryAST, _ pi: Int, _ ci: Int) -> ProjectionPlan? {
        guard ci + 1 < ast.parts[pi].clauses.count else { return nil }
        switch ast.parts[pi].clauses[ci + 1] {
        case .with(let p, _), .returns(let p):
            return p.star || !p.items.contains(where: { $0.expr.containsAggregate }) ? nil : ProjectionPlan(p, starNames: [])
        default: return nil
        }
    }

    static func access(_ np: NodePattern, bound: Set<String>) -> AnchorAccess {
        if let v = np.variable, bound.contains(v) { return .bound(v) }
        if let props = np.properties, case .map(let entries) = props.kind {
            for entry in entries where entry.key == "id" || entry.key == "name" {  // indexedKeys, without hashing
                let k = entry.key, e = entry.value
                var free = Set<String>(); e.freeVariables(into: &free)
                if free.isSubset(of: bound) { return .property(k, e) }
            }
        }
        return .labelOrScan
    }

    /// The anchor of one pattern part. Without statistics: a bound variable, then an id/name
    /// lookup, then the first labelled node, then the near end of the first typed
    /// relationship, else the first node. With them (`stats`, the graph's counts), among
    /// labelled nodes the one whose rarest label has the fewest nodes, and among typed
    /// relationships the one with the fewest relationships, when it is at least
    /// `StatisticsReading.replanFactor` times smaller than the one written first.
    static func planPart(_ part: PatternPart, bound: Set<String>, stats: PlanStatistics? = nil) -> PartPlan {
        // (the anchor as plain values until the end: one PartPlan made, not one per candidate)
        var best = (anchor: 0, access: AnchorAccess.labelOrScan)
        var bestScore = 4
        var labelled = 0
        for i in 0..<part.nodeCount {
            let np = part.node(i)
            let acc = access(np, bound: bound)
            let score: Int
            switch acc {
            case .bound: score = 0
            case .property: score = 1
            case .labelOrScan, .relationshipType: score = np.labels.isEmpty ? 3 : 2
            }
            if score == 2 { labelled += 1 }
            if score < bestScore { best = (i, acc); bestScore = score }
        }
        if bestScore == 2, labelled > 1, let stats {
            let first = stats.scanRows(part.node(best.anchor))
            var (pick, rows) = (best.anchor, first)
            for i in (best.anchor + 1)..<part.nodeCount {
                let np = part.node(i)
                guard !np.labels.isEmpty, case .labelOrScan = access(np, bound: bound) else { continue }
                let r = stats.scanRows(np)
                if r < rows { (pick, rows) = (i, r) }
            }
            if rows * StatisticsReading.replanFactor < first { best = (pick, .labelOrScan) }
        }
        if bestScore == 3, var s = part.steps.firstIndex(where: { !$0.rel.types.isEmpty && $0.rel.range == nil }) {
            // no label anywhere: start at the near end of a typed relationship
            if let stats, let first = stats.relationshipRows(part.steps[s].rel.types) {
                var rows = first, pick = s
                for k in (s + 1)..<part.steps.count where !part.steps[k].rel.types.isEmpty && part.steps[k].rel.range == nil {
                    if let r = stats.relationshipRows(part.steps[k].rel.types), r < rows { (pick, rows) = (k, r) }
                }
                if rows * StatisticsReading.replanFactor < first { s = pick }
            }
            best = (s, .relationshipType(part.steps[s].rel.types, part.steps[s].rel.direction))
        }
        return complete(anchor: best.anchor, access: best.access, part)
    }

    /// Whether the graph's counts could change the anchor `planPart` picks for this part
    /// (two labelled nodes to scan, or no label and two typed relationships).
    static func anchorDependsOnCounts(_ part: PatternPart, bound: Set<String>) -> Bool {
        var labelled = 0, unlabelled = true
        for i in 0..<part.nodeCount {
            let np = part.node(i)
            switch access(np, bound: bound) {
            case .bound, .property: return false
            case .labelOrScan, .relationshipType:
                if !np.labels.isEmpty { labelled += 1; unlabelled = false }
            }
        }
        if labelled > 1 { return true }
        return unlabelled && part.steps.filter { !$0.rel.types.isEmpty && $0.rel.range == nil }.count > 1
    }

    /// The plan of `part` anchored at node `anchor`: its nodes, and the expansion order
    /// (rightwards from the anchor, then leftwards). Fields filled before the plan is made,
    /// so no setter copies them.
    static func complete(anchor: Int, access: AnchorAccess, _ part: PatternPart) -> PartPlan {
        var f = PartPlan.Fields(anchor: anchor, access: access)
        f.nodes.reserveCapacity(part.nodeCount)
        for i in 0..<part.nodeCount { f.nodes.append(part.node(i)) }
        f.order.reserveCapacity(part.steps.count)
        for s in anchor..<part.steps.count { f.order.append(ExpandStep(step: s, forward: true)) }
        for s in (0..<anchor).reversed() { f.order.append(ExpandStep(step: s, forward: false)) }
        f.hasPropertyMaps = f.nodes.contains { $0.properties != nil } || part.steps.contains { $0.rel.properties != nil }
        return PartPlan(f)
    }

    /// One line for a MERGE pattern: the anchor, then each expansion.
    static func summary(_ part: PatternPart, _ plan: PartPlan) -> String {
        describe(part, plan).map { $0.name + "(" + $0.detail + ")" }.joined(separator: " -> ")
    }

    /// The operators of one pattern part, in the order the executor runs them: the anchor,
    /// then one `Expand` per relationship, each with the WHERE conjuncts checked at that stage.
    static func describe(_ part: PatternPart, _ plan: PartPlan) -> [PlanOperator] {
        let nodes = part.nodes
        func name(_ i: Int) -> String { nodes[i].variable ?? "anon\(i)" }
        func labels(_ i: Int) -> String { nodes[i].labels.map { ":" + $0 }.joined() }
        func filtered(_ d: String, _ k: Int, _ rel: Int? = nil) -> String {
            var conds: [Expr] = k < plan.filters.count ? plan.filters[k] : []
            if let r = rel, r < plan.relFilters.count { conds = plan.relFilters[r] + conds }
            return conds.isEmpty ? d : d + " WHERE " + conds.map(\.canonical).joined(separator: " AND ")
        }
        let a = plan.anchor
        if part.shortest != 0 {  // found breadth first from both ends, not stage by stage
            let path = part.steps.indices.map { "(\(name($0)))" + rel(part.steps[$0].rel, reversed: false) }.joined() + "(\(name(part.steps.count)))"
            return [PlanOperator(name: part.shortest == 1 ? "ShortestPath" : "AllShortestPaths", detail: path, depth: 1)]
        }
        var ops: [PlanOperator]
        switch plan.access {
        case .bound(let v): ops = [PlanOperator(name: "Argument", detail: filtered(v, 0), depth: 1)]
        case .property(let k, let e): ops = [PlanOperator(name: "NodeIndexSeek", detail: filtered("\(name(a)).\(k) = \(e.canonical)", 0), depth: 1)]
        case .relationshipType(let types, let dir):
            let t = "[" + types.map { ":" + $0 }.joined(separator: "|") + "]"
            let r = dir == .outgoing ? "-" + t + "->" : dir == .incoming ? "<-" + t + "-" : "-" + t + "-"
            ops = [PlanOperator(name: "RelationshipTypeScan", detail: filtered("(\(name(a)))\(r)()", 0), depth: 1)]
        case .labelOrScan:
            ops = [nodes[a].labels.isEmpty ? PlanOperator(name: "AllNodesScan", detail: filtered(name(a), 0), depth: 1)
                                           : PlanOperator(name: "NodeByLabelScan", detail: filtered(name(a) + labels(a), 0), depth: 1)]
        }
        for (k, st) in plan.order.enumerated() {
            let s = st.step
            let (from, to) = st.forward ? (s, s + 1) : (s + 1, s)
            let d = "(\(name(from)))\(rel(part.steps[s].rel, reversed: !st.forward))(\(name(to))\(labels(to)))"
            var name = part.steps[s].rel.range == nil ? "Expand" : "VarLengthExpand"
            if k == plan.order.count - 1 {
                switch plan.lastHop {
                case .counted: name = "CountExpand"
                case .distinctEnds: name = "VarLengthExpandDistinct"
                case .enumerate: break
                }
            }
            ops.append(PlanOperator(name: name, detail: filtered(d, k + 1, k), depth: 1))
        }
        return ops
    }

    static func rel(_ r: RelPattern, reversed: Bool) -> String {
        var s = "[" + (r.variable ?? "") + r.types.map { ":" + $0 }.joined(separator: "|")
        if let rg = r.range { s += "*\(rg.min)..\(rg.max.map(String.init) ?? "")" }
        s += "]"
        let d: Direction = reversed ? r.direction.reversed : r.direction
        switch d { case .outgoing: return "-" + s + "->"; case .incoming: return "<-" + s + "-"; case .both: return "-" + s + "-" }
    }
}
