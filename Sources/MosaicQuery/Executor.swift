import Foundation

/// What `Executor.matchPart`'s nested functions change as they match: the row (general path),
/// the relationships of each step (for a path), the matches a lone count(*) counted. Its
/// properties are not checked for exclusivity at run time (see Executor's comment): it lives
/// for one call of matchPart on one thread.
final class MatchFrame {
    @exclusivity(unchecked) var row: Row
    @exclusivity(unchecked) var relIDs: [[Int]]
    @exclusivity(unchecked) var counted = 0
    init(row: Row, relIDs: [[Int]]) { self.row = row; self.relIDs = relIDs }
}

/// One `key: value` of a pattern's property map, evaluated (a struct: arrays of tuples look
/// their type metadata up at run time).
struct PropertyTest {
    var key: String
    var value: QueryValue
}

/// The property maps of a part's nodes or steps when it has none (`PartPlan.hasPropertyMaps`):
/// `noPropertyMaps[n]` is n nils, made once rather than per row matched.
let noPropertyMaps: [[[PropertyTest]?]] = (0...16).map { Array(repeating: nil, count: $0) }

/// Runs a planned query over a graph, clause by clause. Writes go to `graph` (a copy of the
/// caller's value) and are recorded in `changes`.
///
/// Exclusivity: the module is compiled with Swift's run-time exclusivity checks, but for the
/// executor's own state: the stored properties of this type, of `ExecutorScratch` (its state
/// made on demand), of `MatchFrame` (what matchPart's nested functions change) and of what
/// the matcher feeds or reuses per row (`Aggregator`, `ValueSink.rows`, `MatchSlots`, `KeptSlots`) are marked
/// `@exclusivity(unchecked)`. The matcher's loops read and write them at every row, and
/// checking them cost the query rows 5–15% (seventh session, the whole module checked) and
/// grouped aggregation up to a quarter (fourteenth session: x.aggregates 20.8 against 15.6 ms,
/// best of 5, with only Executor's unchecked). With these marked, every query row of
/// scripts/bench is level with the module compiled unchecked (docs/benchmarks.md, fourteenth
/// session). The compiler still checks every access statically, and an executor and what it
/// feeds are used by one thread for one run.
final class Executor<G: QueryGraph> {
    /// The graph the query reads and writes, in memory of the executor's own: a read borrows
    /// it in place, where a stored `var` of a class was retained and released around every
    /// call on it (a property, a relationship's valid time: issue 16, about a tenth of a
    /// filtered pattern's time). Freed with the executor.
    private let graphSlot: UnsafeMutablePointer<G>
    var graph: G {
        _read { yield graphSlot.pointee }
        _modify { yield &graphSlot.pointee }
    }
    let params: QueryParameters
    let functions: FunctionRegistry
    let plan: QueryPlan
    @exclusivity(unchecked) var changes: [QueryChange] = []
    /// Relationships bound by the MATCH being matched (a stack: patterns are short).
    @exclusivity(unchecked) var usedRels: [Int] = []
    /// Set while a MATCH feeds a lone count(*): the last hop adds its number of matches at once.
    @exclusivity(unchecked) var countSink: Aggregator? = nil
    /// Set while a MATCH feeds only count(*)s grouped by keys that read `groupedKeyNames`: a
    /// last hop whose new names the keys do not read adds its number of matches to the
    /// row's group at once (see GroupedCountAnchor).
    @exclusivity(unchecked) var groupedCountSink: Aggregator? = nil
    var groupedKeyNames: Set<String> {
        _read { if let s = scratchIfMade { yield s.groupedKeyNames } else { yield [] } }
        _modify { yield &scratch.groupedKeyNames }
    }
    /// `labelMembers`' bitsets, the checks made of each label so far, and the writes
    /// (`changes.count`) they were made after.
    var labelBits: [String: [UInt64]] {
        _read { if let s = scratchIfMade { yield s.labelBits } else { yield [:] } }
        _modify { yield &scratch.labelBits }
    }
    var labelChecks: [String: Int] {
        _read { if let s = scratchIfMade { yield s.labelChecks } else { yield [:] } }
        _modify { yield &scratch.labelChecks }
    }
    var labelBitsWrites: Int {
        _read { if let s = scratchIfMade { yield s.labelBitsWrites } else { yield 0 } }
        _modify { yield &scratch.labelBitsWrites }
    }
    /// Breadth-first visits: `visitMark[n] == visitEpoch` when node n was reached.
    @exclusivity(unchecked) var visitMark: [UInt32] = []
    @exclusivity(unchecked) var visitEpoch: UInt32 = 0
    @exclusivity(unchecked) var bfsBuffers: ([Int], [Int]) = ([], [])
    /// Function calls resolved on first use, by source offset (see CallSite).
    @exclusivity(unchecked) var callSites: [Int: CallSite] = [:]
    /// `=~` patterns compiled once per distinct pattern text (at most 64 kept).
    var regexes: [String: NSRegularExpression] {
        _read { if let s = scratchIfMade { yield s.regexes } else { yield [:] } }
        _modify { yield &scratch.regexes }
    }
    /// `EXISTS { … }` subqueries bound and planned once per query, by their position, for
    /// the outer names they were bound with (rows of one clause have the same names).
    var subqueryPlans: [Int: (names: [String], plan: QueryPlan)] {
        _read { if let s = scratchIfMade { yield s.subqueryPlans } else { yield [:] } }
        _modify { yield &scratch.subqueryPlans }
    }
    /// Patterns nested in expressions (pattern predicates and comprehensions, shortest paths)
    /// planned once per query, by their position, for the names of the rows they were planned
    /// with (`nestedPlan`).
    var nestedPlans: [Int: (names: [String], plan: PartPlan)] {
        _read { if let s = scratchIfMade { yield s.nestedPlans } else { yield [:] } }
        _modify { yield &scratch.nestedPlans }
    }
    /// The predicates of one-hop EXISTS walks compiled against the far node (slot 0) and the
    /// relationship (slot 0), by source offset and whether the far node is bound there (nil:
    /// the predicate does not compile; see `existsOneHop`).
    var existsPredicates: [Int: SlotExpr?] {
        _read { if let s = scratchIfMade { yield s.existsPredicates } else { yield [:] } }
        _modify { yield &scratch.existsPredicates }
    }
    /// The slots of the parts matched with them, by part (see `MatchSlots.forRow`).
    var keptSlots: [Int: KeptSlots] {
        _read { if let s = scratchIfMade { yield s.keptSlots } else { yield [:] } }
        _modify { yield &scratch.keptSlots }
    }
    var deletedNodes: Set<Int> {
        _read { if let s = scratchIfMade { yield s.deletedNodes } else { yield [] } }
        _modify { yield &scratch.deletedNodes }
    }
    var deletedRels: Set<Int> {
        _read { if let s = scratchIfMade { yield s.deletedRels } else { yield [] } }
        _modify { yield &scratch.deletedRels }
    }
    /// Types of relationships deleted by this query (type(r) still works on them).
    var deletedRelTypes: [Int: String] {
        _read { if let s = scratchIfMade { yield s.deletedRelTypes } else { yield [:] } }
        _modify { yield &scratch.deletedRelTypes }
    }
    func relationshipType(_ r: Int) -> String { deletedRelTypes[r] ?? graph.relationshipType(r) }
    /// The state few queries touch (the properties above that forward to it), made on first
    /// write: a small query's executor is made and freed without it.
    @exclusivity(unchecked) private var scratchIfMade: ExecutorScratch?
    private var scratch: ExecutorScratch {
        if let s = scratchIfMade { return s }
        let s = ExecutorScratch()
        scratchIfMade = s
        return s
    }
    @exclusivity(unchecked) var opRows: [Int]
    /// PROFILE: rows a `count(*)` counted by degree instead of producing them (added to the MATCH's row count).
    @exclusivity(unchecked) var countedByDegree = 0
    /// Pattern parts matched with their bindings in slots (MatchSlots), and whether that is
    /// allowed (the tests compare with the general path).
    @exclusivity(unchecked) var slottedParts = 0
    /// Matches that went to a sink (ValueSink, AggregateSink) rather than to the MATCH's
    /// rows: what tells an OPTIONAL MATCH that a row matched.
    @exclusivity(unchecked) var sunkMatches = 0
    /// How many times a part's slots were set up (MatchSlots.forRow; for tests).
    @exclusivity(unchecked) var slotSetUps = 0
    @exclusivity(unchecked) var slotsEnabled = true
    /// How many plans of nested patterns were made (`nestedPlan`; for tests).
    @exclusivity(unchecked) var nestedPlansMade = 0
    /// Whether a whole query runs as its one operator (CountQuery, NodeLookupQuery; off only
    /// to compare against the clauses).
    @exclusivity(unchecked) var wholeQueriesEnabled = true
    /// Whether the plan's count operators run (CountByAnchor.swift; off only to compare against).
    @exclusivity(unchecked) var countOperatorsEnabled = true
    /// How many MATCH clauses ran as count operators, how many whole queries did, and how
    /// many ran as one node lookup (for tests).
    @exclusivity(unchecked) var countOperatorRuns = 0
    @exclusivity(unchecked) var countQueryRuns = 0
    @exclusivity(unchecked) var nodeLookupRuns = 0
    /// Set while a MATCH makes the rows of the RETURN after it from its slots (ValueSink).
    @exclusivity(unchecked) var valueSink: ValueSink?
    /// How many RETURNs got their rows from a MATCH's slots (for tests).
    @exclusivity(unchecked) var valueSinkRuns = 0
    /// Rows an operator evaluated its expressions on through their compiled program (RowProgram; for tests).
    @exclusivity(unchecked) var programRows = 0
    /// The local variables of compiled comprehensions, quantifiers and reduces (SlotExpr.local).
    @exclusivity(unchecked) var locals: [QueryValue] = []
    /// Set while a MATCH may feed the aggregating RETURN after it from its slots (AggregateSink),
    /// and how many times one did (for tests).
    @exclusivity(unchecked) var aggregateSink: AggregateSink?
    @exclusivity(unchecked) var aggregateSinkRuns = 0
    /// Anchors from which a grouped count is split over the machine's cores
    /// (`countByAnchorInParallel`; tests set it low).
    @exclusivity(unchecked) var parallelCountMinimum = 16_384
    /// How many counts were split over several threads (for tests).
    @exclusivity(unchecked) var parallelCountRuns = 0
    /// PROFILE: the anchor operators of the parts matched with slots (their rows say so).
    var slottedOperators: Set<Int> {
        _read { if let s = scratchIfMade { yield s.slottedOperators } else { yield [] } }
        _modify { yield &scratch.slottedOperators }
    }
    @exclusivity(unchecked) var steps = 0
    let stepLimit: Int
    let deadline: UInt64
    let isCancelled: (@Sendable () -> Bool)?
    let timeout: Double?
    /// The memory budget and what the query holds against it (see `QueryLimits.maxMemory`).
    let memoryLimit: Int
    @exclusivity(unchecked) var memoryUsed = 0
    @exclusivity(unchecked) private var boxedGraph: (any QueryGraph)?
    /// The statement clock (see FunctionContext.statementTime).
    let startTime = Date()

    convenience init(graph: G, params: [String: QueryValue], functions: FunctionRegistry, plan: QueryPlan, limits: QueryLimits) {
        self.init(graph: graph, parameters: QueryParameters(params), functions: functions, plan: plan, limits: limits)
    }

    init(graph: G, parameters params: QueryParameters, functions: FunctionRegistry, plan: QueryPlan, limits: QueryLimits) {
        graphSlot = .allocate(capacity: 1)
        graphSlot.initialize(to: graph)
        self.params = params; self.functions = functions; self.plan = plan
        // rows per operator are PROFILE's (an ordinary run counts none)
        opRows = plan.ast.profile ? Array(repeating: 0, count: plan.operators.count) : []
        stepLimit = limits.maxSteps
        deadline = limits.timeout.map { DispatchTime.now().uptimeNanoseconds + UInt64($0 * 1e9) } ?? UInt64.max
        isCancelled = limits.isCancelled
        timeout = limits.timeout
        memoryLimit = limits.maxMemory
    }

    deinit {
        graphSlot.deinitialize(count: 1)
        graphSlot.deallocate()
    }

    /// How long the query has run, for the messages of its limits.
    var elapsedText: String {
        let s = Date().timeIntervalSince(startTime)
        return s < 10 ? String(format: "%.2f s", s) : String(format: "%.0f s", s)
    }

    /// Counts `bytes` more held by the query; past the budget the query stops.
    @inline(__always) func charge(_ bytes: Int, _ what: @autoclosure () -> String) throws {
        memoryUsed &+= bytes
        if memoryUsed > memoryLimit { throw memoryError(what()) }
    }

    /// A value of `bytes` about to be built (a string, a list): it must fit what is left.
    @inline(__always) func checkValue(_ bytes: Int, _ what: @autoclosure () -> String, _ pos: SourcePosition?) throws {
        if bytes > memoryLimit &- memoryUsed {
            var e = memoryError(what()); e.position = pos
            throw e
        }
    }

    func memoryError(_ what: String) -> QueryError {
        QueryError(.resourceLimit, "MemoryLimit",
                   "the query needed more than its memory limit of \(QueryLimits.describe(bytes: memoryLimit)) (\(what)) and was stopped after \(elapsedText); nothing was written. Make it more selective (LIMIT, bounded patterns such as *1..5) or raise the limit (mosaic query --memory-limit MB; query: memory_mb in mosaic.yaml)",
                   phase: .runtime)
    }

    var functionContext: FunctionContext {
        if boxedGraph == nil { boxedGraph = graph }
        return FunctionContext(graph: boxedGraph!, statementTime: startTime)
    }
    func graphChanged() { boxedGraph = nil }

    @inline(__always) func tick(_ n: Int = 1) throws {
        steps += n
        if steps > stepLimit { throw QueryError(.resourceLimit, "TooMuchWork", "the query did more than \(stepLimit) steps; bound variable-length patterns (e.g. *1..5) or add LIMIT", phase: .runtime) }
        if steps & 0xFFF == 0 { try checkTime() }
    }

    /// Stops the query past its deadline or when it is cancelled.
    func checkTime() throws {
        if DispatchTime.now().uptimeNanoseconds > deadline {
            let limit = timeout.map { $0 < 10 ? String(format: "%g s", $0) : String(format: "%.0f s", $0) } ?? "?"
            throw QueryError(.resourceLimit, "Timeout", "the query ran longer than its time limit of \(limit) and was stopped after \(elapsedText); nothing was written. Make the pattern more selective, or raise the limit (mosaic query --timeout SECONDS; :timeout in the console; query: timeout in mosaic.yaml)", phase: .runtime)
        }
        if let isCancelled, isCancelled() {
            throw QueryError(.resourceLimit, "Cancelled", "the query was cancelled after \(elapsedText); nothing was written", phase: .runtime)
        }
    }

    // MARK: running

    func run() throws -> (columns: [String], rows: [[QueryValue]]) {
        if let cq = plan.countQuery, countOperatorsEnabled, wholeQueriesEnabled, let r = try runCountQuery(cq) { return r }
        if let lq = plan.nodeLookup, slotsEnabled, wholeQueriesEnabled, let r = try runNodeLookupQuery(lq) { return r }
        let tree = plan.tree
        guard case .union(let all) = tree.root.kind else {
            // one single query: its columns and rows as they are
            let r = try runSingle(plan.ast.parts[0], 0)
            return (r.columns, r.rows)
        }
        var result: (columns: [String], rows: [[QueryValue]]) = ([], [])
        for branch in tree.branches(of: tree.root) {
            let r = try runSingle(plan.ast.parts[branch.part], branch.part)
            if branch.part == 0 { result.columns = r.columns }
            for row in r.rows {
                let aligned = result.columns.map { c in r.columns.firstIndex(of: c).map { row[$0] } ?? .null }
                result.rows.append(aligned)
            }
        }
        // UNION (without ALL) removes duplicate rows over the whole result.
        if !all {
            var seen = Set<GroupKeys>()
            result.rows = result.rows.filter { seen.insert(GroupKeys(values: $0)).inserted }
        }
        if let line = tree.root.line, line < opRows.count { opRows[line] = result.rows.count }
        return result
    }

    /// Runs one single query: the nodes of its pipeline in the plan tree (PlanTree.swift), leaf
    /// first, each taking the rows of the one before. How each takes them (a MATCH's matches
    /// streamed into the aggregation after it, made into the next projection's values, or
    /// counted at the last hop) is in the node: the planner decided it. `finalCount`: the rows
    /// its last node made (all an EXISTS subquery reads).
    func runSingle(_ q: SingleQuery, _ pi: Int, initial: Row = [:]) throws -> (columns: [String], rows: [[QueryValue]], finalCount: Int) {
        var rows: [Row] = [initial]
        var columns: [String] = []
        var out: [[QueryValue]] = []
        var returned = false
        // the aggregation a MATCH fed (for the WITH/RETURN after it)
        var fused: Aggregator? = nil
        // the WITH's or RETURN's rows of values when the MATCH before it made them from its slots
        var returnedValues: [[QueryValue]]? = nil
        // the rows a RETURN made (in `out`; RETURN is the last clause, so `rows` is dropped)
        var returnedCount: Int? = nil
        // bytes charged for the rows `rows` holds (released when the next node replaces them)
        var held = 0
        for node in plan.tree.pipeline(pi) {
            let ci = node.clause
            guard ci >= 0 else { continue }  // the argument: `initial`
            let cp = plan.clauses[pi][ci]
            let mark = memoryUsed
            defer { let produced = memoryUsed - mark; memoryUsed -= held; held = produced }
            switch node.kind {
            case .match(let output):
                // (the clause switched on in place: binding a whole Clause retains every field)
                guard case .match(let pattern, let optional, let pred, _) = q.clauses[ci] else { break }
                switch output {
                case .aggregate(let feed):
                    let next = plan.clauses[pi][ci + 1].projection!
                    let agg = Aggregator(next, self)
                    switch feed {
                    case .countedRows: countSink = agg
                    case .countedGroups(let keys): groupedCountSink = agg; groupedKeyNames = keys
                    case .rows, .slots: break
                    }
                    defer { countSink = nil; groupedCountSink = nil }
                    let counted = try cp.counting.map { try runCount($0, pattern[0], cp, agg, rows) } ?? false
                    if !counted {
                        // (the keys and arguments from the matcher's slots: AggregateSink; whatever was
                        // set before is put back after: subqueries run in executors of their own
                        // today, but a nested run here must not take the sink from the MATCH's later rows)
                        let outer = aggregateSink
                        var sink: AggregateSink? = nil
                        if feed == .slots, slotsEnabled, let proj = AggregateSink.projection(q.clauses[ci + 1]) {
                            sink = AggregateSink(part: pattern[0].pos.offset, agg, proj)
                        }
                        aggregateSink = sink
                        defer { if sink?.fromSlots == true { aggregateSinkRuns += 1 }; aggregateSink = outer }
                        _ = try execMatch(pattern, optional: optional, predicate: pred, rows, cp) { try agg.add($0) }
                    }
                    if countedByDegree > 0, let op = cp.operatorIndex, op < opRows.count { opRows[op] += countedByDegree; countedByDegree = 0 }
                    fused = agg
                    rows = []
                case .firstRows:
                    let c = try rowCap(cp) ?? Int.max
                    var capped: [Row] = []
                    do {
                        _ = try execMatch(pattern, optional: optional, predicate: pred, rows, cp) { r in
                            capped.append(r)
                            if capped.count >= c { throw StopMatching() }
                        }
                    } catch is StopMatching { usedRels = [] }
                    rows = capped
                case .values where slotsEnabled:
                    let pp = plan.clauses[pi][ci + 1].projection!
                    let sink = ValueSink(part: pattern[0].pos.offset, items: pp.items.map(\.expr))
                    // (what was set before is put back after, as for AggregateSink above)
                    let outer = valueSink
                    valueSink = sink
                    defer { valueSink = outer }
                    // every match went to the sink: `made` is empty (kept as the rows otherwise)
                    let made = try execMatch(pattern, optional: optional, predicate: pred, rows, cp)
                    if made.isEmpty {
                        if sink.fromSlots { valueSinkRuns += 1 }
                        returnedValues = sink.rows
                        rows = []
                    } else {
                        rows = made
                    }
                case .values, .rows:
                    // (followed by WITH/RETURN DISTINCT, its last hop may list each end once: LastHop)
                    rows = try execMatch(pattern, optional: optional, predicate: pred, rows, cp)
                }
            case .unwind:
                guard case .unwind(let e, let v, _) = q.clauses[ci] else { break }
                let cap = try rowCap(cp)
                var next: [Row] = []
                // each input layout's rows get the variable in one more slot, at `slot`
                var layouts = LayoutStep(adding: [v])
                unwinding: for row in rows {
                    let lv = try eval(e, row)
                    let (wider, slot) = layouts.stepOne(row)
                    switch lv {
                    case .null: continue
                    case .list(let l):
                        for x in l {
                            if let c = cap, next.count >= c { break unwinding }
                            let r = row.binding(x, at: slot, in: wider)
                            try charge(QueryMemory.rowBytes(r), "rows of UNWIND")
                            next.append(r); try tick()
                        }
                    default: next.append(row.binding(lv, at: slot, in: wider))
                    }
                }
                rows = next
            case .with(let input):
                guard case .with(let proj, let pred) = q.clauses[ci] else { break }
                if input == .values, let values = returnedValues, let pp = cp.projection {
                    // made by the MATCH from its slots (ValueSink): the rows of the WITH's
                    // columns, filtered by its WHERE (which reads only them: Planner.matchSink)
                    returnedValues = nil
                    let layout = RowLayout(pp.columns)
                    let filter = pred.map { RowProgram([$0]) }
                    rows = []
                    for v in try returnRows(values, proj, pp.sortColumns ?? []) {
                        let row = Row(layout: layout, values: v)
                        if let filter, try !filter.isTrue(0, row, self) { continue }
                        rows.append(row)
                    }
                    break
                }
                let r = try project(proj, rows, cp, keepMerged: pred != nil, aggregated: fused)
                fused = nil
                if let w = pred {
                    rows = []
                    let filter = RowProgram([w])
                    for (out, merged) in zip(r.rows, r.merged) where try filter.isTrue(0, merged, self) { rows.append(out) }
                } else { rows = r.rows }
            case .returns(let input):
                guard case .returns(let proj) = q.clauses[ci], let pp = cp.projection else { break }
                returned = true
                // (the MATCH's values sink may have made rows instead: then they are taken as rows)
                let taken = input != .values || returnedValues != nil ? input : PlanTree.rowsInput(pp, proj)
                switch taken {
                case .values:
                    // made by the MATCH from its slots (ValueSink)
                    columns = pp.columns
                    out = try returnRows(returnedValues!, proj, pp.sortColumns ?? [])
                    returnedValues = nil
                case .eachRowsValues:
                    // each row's values straight into the result, in column order (no Row built)
                    columns = pp.columns
                    out.reserveCapacity(rows.count)
                    let program = RowProgram(pp.items.map(\.expr))
                    for row in rows {
                        try tick()
                        out.append(try program.values(row, self))
                    }
                case .groups:
                    // one row of keys and aggregate results per group
                    columns = pp.columns
                    out = try fused!.valueRows()
                    fused = nil
                case .rows:
                    let r = try project(proj, rows, cp, aggregated: fused)
                    fused = nil
                    columns = r.columns
                    // (rows in the projection's layout are its values in column order already)
                    let layout = r.rows.first?.layout.flatMap { $0.names == columns ? $0 : nil }
                    out = r.rows.map { row in layout.flatMap { row.values(in: $0) } ?? columns.map { row[$0] ?? .null } }
                }
                returnedCount = out.count; rows = []
            case .write:
                switch q.clauses[ci] {
                case .create(let pattern, _):
                    for i in rows.indices { try create(pattern, &rows[i]) }
                case .merge(let part, let onCreate, let onMatch, _):
                    var next: [Row] = []
                    for row in rows { try merge(part, onCreate, onMatch, row, into: &next) }
                    rows = next
                case .set(let items, _):
                    for row in rows { for item in items { try applySet(item, row) } }
                case .remove(let items, _):
                    for row in rows { for item in items { try applyRemove(item, row) } }
                case .delete(let es, let detach, _):
                    for row in rows { try delete(es, detach: detach, row) }
                default: break
                }
            case .call:
                guard case .call(let name, let args, let yields, let pred, let pos) = q.clauses[ci] else { break }
                let standalone = plan.ast.parts.count == 1 && q.clauses.count == 1
                let (names, next) = try callProcedure(name, args, yields, pred, pos, rows, standalone: standalone)
                rows = next
                if standalone {
                    returned = true
                    columns = names
                    // a standalone call of a VOID procedure returns nothing
                    out = names.isEmpty ? [] : rows.map { r in names.map { r[$0] ?? .null } }
                }
            case .argument, .union:
                break
            }
            if let op = cp.operatorIndex, op < opRows.count { opRows[op] += returnedCount ?? rows.count }
        }
        return returned ? (columns, out, returnedCount ?? rows.count) : ([], [], rows.count)
    }

    /// CALL: runs the procedure once per row and joins each row with the records it yields
    /// (a VOID procedure keeps the row). Returns the names a standalone call shows and the rows.
    func callProcedure(_ name: String, _ args: [Expr]?, _ yields: [(String, String)]?, _ pred: Expr?, _ pos: SourcePosition,
                       _ rows: [Row], standalone: Bool) throws -> (columns: [String], rows: [Row]) {
        guard let proc = functions.procedure(name) else {
            throw QueryError(.procedureError, "ProcedureNotFound", "there is no procedure '\(name)'; check the spelling", at: pos, phase: .runtime)
        }
        // (output index, variable) pairs: the YIELD list, or every output for a standalone call
        var bind: [(Int, String)] = []
        if let ys = yields, !ys.isEmpty {
            for (field, variable) in ys {
                guard let i = proc.outputIndex(field) else {
                    throw QueryError(.syntaxError, "UndefinedVariable", "\(proc.name) has no output '\(field)'", at: pos, phase: .runtime)
                }
                bind.append((i, variable))
            }
        } else if standalone {
            bind = proc.outputs.enumerated().map { ($0.offset, $0.element.name) }
        }
        let graphForBody = functionContext.graph
        var next: [Row] = []
        next.reserveCapacity(rows.count)
        for row in rows {
            let values: [QueryValue]
            if let args {
                values = try args.map { try eval($0, row) }
            } else {
                values = try proc.parameters.map { p in
                    guard let v = params[p.name] else {
                        throw QueryError(.parameterMissing, "MissingParameter",
                                         "CALL \(proc.name) without arguments takes them from the parameters; pass $\(p.name) with the query", at: pos, phase: .runtime)
                    }
                    return v
                }
            }
            let records = try proc.body(try proc.coerceArguments(values, at: pos), graphForBody)
            if proc.outputs.isEmpty && records.isEmpty { next.append(row); continue }
            for rec in records {
                try tick()
                guard rec.count == proc.outputs.count else {
                    throw QueryError(.procedureError, "ProcedureOutputMismatch",
                                     "\(proc.name) returned a record of \(rec.count) value(s) for \(proc.outputs.count) output column(s): \(proc.signature)", at: pos, phase: .runtime)
                }
                var r = row
                for (i, v) in bind { r[v] = rec[i] }
                if let w = pred, !(try isTrue(eval(w, r))) { continue }
                try charge(QueryMemory.rowBytes(r), "rows of CALL \(proc.name)")
                next.append(r)
            }
        }
        return (bind.map(\.1), next)
    }

    /// How many rows the clause planned as `cp` need make (`ClausePlan.firstRows`): SKIP +
    /// LIMIT of the next clause; nil when all are needed.
    func rowCap(_ cp: ClausePlan) throws -> Int? {
        guard let (l, s) = cp.firstRows else { return nil }
        let limit = try countArgument(l, "LIMIT")
        let skip = try s.map { try countArgument($0, "SKIP") } ?? 0
        // (SKIP 9223372036854775807 LIMIT 9 overflowed here; found by mosaic-fuzz)
        let (cap, o) = limit.addingReportingOverflow(skip)
        return o ? Int.max : cap
    }

    func isTrue(_ v: QueryValue) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .null: return false
        default: throw QueryError.type("a predicate must be true, false or null, not \(v.typeName)")
        }
    }

    // MARK: MATCH

    func execMatch(_ pattern: Pattern, optional: Bool, predicate: Expr?, _ rows: [Row], _ cp: ClausePlan,
                   sink: ((Row) throws -> Void)? = nil) throws -> [Row] {
        var out: [Row] = []
        // rows handed to `sink`, and rows a ValueSink or AggregateSink took (PROFILE counts both)
        var produced = 0, sunkRows = 0
        let newVars = cp.introduced
        // rows holding paths or lists of relationships are counted with them
        let walks = pattern.contains { $0.pathVariable != nil || $0.steps.contains { $0.rel.range != nil } }
        // the WHERE the matcher did not check, on each match's row (compiled: RowProgram)
        let filter = (cp.pushedDown ? cp.residual : predicate).map { RowProgram([$0]) }
        // when the matches become rows, each input row is widened to the pattern's variables
        // first: the matches of a row, and the rows of its OPTIONAL MATCH without one, share
        // one layout (Row.widened). Not when they go to a count, an aggregation or the next
        // projection's values (no row is kept, and widening would cost a copy per input row),
        // unless the row binds nothing yet (a query's first MATCH: one row, which takes the
        // pattern's layout at once instead of growing one name at a time).
        let rowsOut = sink == nil && countSink == nil && groupedCountSink == nil && valueSink?.part != pattern[0].pos.offset
        var layouts = LayoutStep(adding: cp.variables)
        for row in rows {
            let widen = (rowsOut || row.layout == nil) && !cp.variables.isEmpty ? layouts.step(row) : nil
            var found = false
            let saved = usedRels
            usedRels = []
            let sunk = sunkMatches
            try matchParts(pattern, cp.parts, 0, row, widenTo: widen) { r in
                if let w = filter {
                    let savedInner = usedRels
                    let ok = try w.isTrue(0, r, self)
                    usedRels = savedInner
                    if !ok { return }
                }
                found = true
                produced += 1
                if let s = sink { try s(r) } else {
                    try charge(walks ? QueryMemory.rowBytesWithPaths(r) : QueryMemory.rowBytes(r), "rows of MATCH")
                    out.append(r)
                }
            }
            usedRels = saved
            // (matches a sink took did not come through the closure above)
            if sunkMatches != sunk { found = true; sunkRows += sunkMatches - sunk }
            if optional && !found {
                var r = widen.map { row.widened(to: $0) } ?? row
                for v in newVars where r[v] == nil { r[v] = .null }
                produced += 1
                if let values = valueSink, pattern.count == 1, values.part == pattern[0].pos.offset {
                    // the RETURN's or WITH's values are made by this MATCH (ValueSink): this
                    // row's too, in its place among the matches' rows
                    try values.append(values.items.map { try eval($0, r) }, self)
                    sunkRows += 1
                } else if let s = sink { try s(r) } else { out.append(r) }
            }
        }
        // (rows left in `out` are counted by runSingle, as the clause's rows)
        if let op = cp.operatorIndex, op < opRows.count { opRows[op] += (sink != nil ? produced : 0) + sunkRows }
        return out
    }

    /// `widenTo`: the layout the first part widens the row to (execMatch), in the matcher's
    /// own copy of it: widened there, that copy is the only one holding its values, and
    /// binding a slot does not copy them again.
    func matchParts(_ parts: [PatternPart], _ plans: [PartPlan]?, _ i: Int, _ row: Row, widenTo: RowLayout? = nil,
                    _ emit: (Row) throws -> Void) throws {
        if i == parts.count { try emit(row); return }
        try matchPart(parts[i], plans?[i], row, widenTo: widenTo) { r in try matchParts(parts, plans, i + 1, r, emit) }
    }

    /// `props` (the evaluated map `map`) less the entry `key: e` of the map.
    static func without(_ key: String, _ e: Expr, _ map: Expr?, _ props: [PropertyTest]?) -> [PropertyTest]? {
        guard var ps = props, let map, case .map(let entries) = map.kind, entries.count == ps.count,
              let i = entries.firstIndex(where: { $0.key == key && $0.value.pos.offset == e.pos.offset }) else { return props }
        ps.remove(at: i)
        return ps.isEmpty ? nil : ps
    }

    /// Node candidates for an anchor, with the plan's choice of access path. `exact` is set when
    /// they came from an index whose hits all have the looked-up value (`nodeIndexIsExact`).
    func anchorCandidates(_ np: NodePattern, _ access: AnchorAccess, _ row: Row) throws -> [Int] {
        var exact = false
        return try anchorCandidates(np, access, row, exact: &exact)
    }

    func anchorCandidates(_ np: NodePattern, _ access: AnchorAccess, _ row: Row, exact: inout Bool) throws -> [Int] {
        switch access {
        case .bound(let v):
            return try anchorCandidates(bound: v, row).map { [$0] } ?? []
        case .property(let key, let e):
            let v = try eval(e, row)
            if v.isNull { return [] }
            if let hits = graph.nodes(withProperty: key, equalTo: v) { exact = graph.nodeIndexIsExact(key); return hits }
            fallthrough
        case .labelOrScan:
            if !np.labels.isEmpty {
                let best = np.labels.min { graph.labelCount($0) < graph.labelCount($1) }!
                return graph.nodes(withLabel: best)
            }
            return graph.allNodes()
        case .relationshipType(let types, let dir):
            return graph.nodes(withRelationshipOf: types, direction: dir)
        }
    }

    /// The node the row binds to `v`, if it exists (nil for null or a deleted node).
    @inline(__always) func anchorCandidates(bound v: String, _ row: Row) throws -> Int? {
        guard let val = row[v] else { return nil }
        if case .node(let n) = val { return graph.nodeExists(n) ? n : nil }
        if case .null = val { return nil }
        throw QueryError.type("'\(v)' is \(val.typeName), not a node")
    }

    func nodeMatches(_ np: NodePattern, _ n: Int, _ props: [PropertyTest]?, _ row: Row) throws -> Bool {
        try nodeMatches(graph, np, n, props, row)
    }

    @inline(__always) func nodeMatches(_ g: G, _ np: NodePattern, _ n: Int, _ props: [PropertyTest]?, _ row: Row) throws -> Bool {
        nodeMatches(g, np, n, props, bound: np.variable.flatMap { row[$0] })
    }

    /// Whether node n has the pattern's labels and properties and is the node `bound` (the
    /// row's value of the pattern's variable), if any.
    @inline(__always) func nodeMatches(_ g: G, _ np: NodePattern, _ n: Int, _ props: [PropertyTest]?, bound: QueryValue?) -> Bool {
        Self.nodeMatches(g, np, n, props, bound: bound)
    }

    /// (Reads the graph only: the threads of `countByAnchorInParallel` call it too.)
    @inline(__always) static func nodeMatches(_ g: G, _ np: NodePattern, _ n: Int, _ props: [PropertyTest]?, bound: QueryValue?) -> Bool {
        nodeMatches(g, labels: np.labels, n, props, bound: bound)
    }

    /// The same with the pattern's labels given (the matcher reads them from an array of its
    /// own: a NodePattern copied per candidate retained and released each of its fields).
    @inline(__always) static func nodeMatches(_ g: G, labels: [String], _ n: Int, _ props: [PropertyTest]?, bound: QueryValue?) -> Bool {
        for l in labels where !g.hasLabel(n, l) { return false }
        if let ps = props {
            for t in ps { if g.nodeProperty(n, t.key).equals(t.value) != true { return false } }
        }
        if let b = bound {
            guard case .node(let m) = b, m == n else { return false }
        }
        return true
    }

    /// The matches of a last hop from `from`, counted without making rows: its relationships
    /// of `types` in `dir` that the path does not use yet, whose other end has `labels`.
    func countLastHop(_ g: G, from: Int, dir: Direction, types: [String], labels: [String]) -> Int {
        if labels.isEmpty {
            var c = g.degree(of: from, direction: dir, types: types)
            for u in usedRels where touches(g, u, from, dir, types) { c -= 1 }
            return c
        }
        let sets = labels.map { labelMembers($0, checks: g.degree(of: from, direction: dir, types: types)) }
        return Self.countRelationships(g, from: from, dir: dir, types: types, labels: labels, sets: sets, used: usedRels)
    }

    /// The relationships of `types` in `dir` from `from`, not in `used`, whose other end has
    /// `labels` (label i read from the bitset `sets[i]` when there is one). Reads the graph
    /// only: the threads of `countByAnchorInParallel` call it too.
    static func countRelationships(_ g: G, from: Int, dir: Direction, types: [String], labels: [String], sets: [[UInt64]?],
                                   used: [Int]) -> Int {
        g.countRelationships(of: from, direction: dir, types: types) { rel, other in
            if !used.isEmpty && used.contains(rel) { return false }
            for (i, l) in labels.enumerated() {
                if let bits = sets[i] {
                    if !(other >> 6 < bits.count && bits[other >> 6] & (1 << UInt64(other & 63)) != 0) { return false }
                } else if !g.hasLabel(other, l) {
                    return false
                }
            }
            return true
        }
    }

    /// The nodes that have `label`, as a bitset, once `countLastHop` has checked the label
    /// often enough in this query (`checks` more now) for one pass over its nodes to cost less
    /// than looking each node up (a node's labels are a pointer away from it; a bit of a
    /// 125 KB set per million nodes is not). Rebuilt after the query writes.
    /// `checks` is read only while the bitset is not made (a degree costs two binary searches).
    func labelMembers(_ label: String, checks: @autoclosure () -> Int) -> [UInt64]? {
        if labelBitsWrites != changes.count { labelBits = [:]; labelChecks = [:]; labelBitsWrites = changes.count }
        if let bits = labelBits[label] { return bits }
        let seen = labelChecks[label, default: 0] + checks()
        labelChecks[label] = seen
        guard seen >= 4096 else { return nil }
        let members = graph.nodes(withLabel: label)
        var bits = [UInt64](repeating: 0, count: ((members.max() ?? 0) >> 6) + 1)
        for n in members { bits[n >> 6] |= 1 << UInt64(n & 63) }
        labelBits[label] = bits
        return bits
    }

    /// Whether `relationships(of: node, direction:, types:)` lists the (live) relationship `r`.
    @inline(__always) func touches(_ g: G, _ r: Int, _ node: Int, _ dir: Direction, _ types: [String]) -> Bool {
        let (s, e) = g.endpoints(r)
        switch dir {
        case .outgoing: if s != node { return false }
        case .incoming: if e != node { return false }
        case .both: if s != node && e != node { return false }
        }
        return types.isEmpty || types.contains(relationshipType(r))
    }

    func relMatches(_ rp: RelPattern, _ r: Int, _ props: [PropertyTest]?) -> Bool {
        relMatches(graph, rp, r, props)
    }

    @inline(__always) func relMatches(_ g: G, _ rp: RelPattern, _ r: Int, _ props: [PropertyTest]?) -> Bool {
        guard let ps = props else { return true }
        for t in ps { if g.relationshipProperty(r, t.key).equals(t.value) != true { return false } }
        return true
    }

    func evalProps(_ e: Expr?, _ row: Row) throws -> [PropertyTest]? {
        guard let e = e else { return nil }
        if case .map(let entries) = e.kind { return try entries.map { PropertyTest(key: $0.key, value: try eval($0.value, row)) } }
        let v = try eval(e, row)
        guard case .map(let m) = v else {
            if v.isNull { return [] }
            throw QueryError.type("pattern properties must be a map, not \(v.typeName)")
        }
        return m.map { PropertyTest(key: $0.key, value: $0.value) }
    }

    /// The plan of `part`, a pattern nested in an expression, for rows with `row`'s names:
    /// made the first time, then kept while the rows at its place bind the same names (the
    /// rows of one clause do; a plan depends only on the pattern and the names bound).
    func nestedPlan(_ part: PatternPart, _ row: Row) -> PartPlan {
        if let kept = nestedPlans[part.pos.offset], row.hasNames(kept.names) { return kept.plan }
        let names = row.keys
        let plan = Planner.planPart(part, bound: Set(names))
        nestedPlans[part.pos.offset] = (names, plan)
        nestedPlansMade += 1
        return plan
    }

    func matchPart(_ part: PatternPart, _ plan: PartPlan?, _ row: Row, widenTo: RowLayout? = nil, _ emit: (Row) throws -> Void) throws {
        // the bound node of each pattern node (-1: none yet), and in slot mode the relationship
        // of each single-hop step: flat buffers on the stack that the matcher's nested
        // functions share without reference counting (arrays captured by them were retained
        // and released per row; buffers from the heap cost two allocations per row)
        // (then, for the general path, the row slot of each node's and each step's variable)
        let nodeCount = max(1, part.nodeCount), width = nodeCount + max(1, part.steps.count)
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * width) { ids in
            ids.initialize(repeating: -1)
            try matchPart(part, plan, row, widenTo: widenTo, nodeIDs: ids.baseAddress!, relSlots: ids.baseAddress! + nodeCount,
                          rowSlots: ids.baseAddress! + width, emit)
        }
    }

    private func matchPart(_ part: PatternPart, _ plan: PartPlan?, _ row: Row, widenTo widen: RowLayout?, nodeIDs: UnsafeMutablePointer<Int>,
                           relSlots: UnsafeMutablePointer<Int>, rowSlots: UnsafeMutablePointer<Int>, _ emit: (Row) throws -> Void) throws {
        let givenPlan = plan != nil  // nested patterns (predicates, comprehensions) come without one
        let plan = plan ?? nestedPlan(part, row)
        let gv = graph  // one copy of the graph value for the whole match (no copy per access)
        let nodes = plan.nodes
        // (the anchor's map is evaluated with its candidates, below: `scanAnchors`)
        let maps = plan.hasPropertyMaps
        var props = !maps && nodes.count < noPropertyMaps.count ? noPropertyMaps[nodes.count]
            : try nodes.indices.map { i in i == plan.anchor && part.shortest == 0 ? nil : try evalProps(nodes[i].properties, row) }
        let relProps = !maps && part.steps.count < noPropertyMaps.count ? noPropertyMaps[part.steps.count]
            : try part.steps.map { try evalProps($0.rel.properties, row) }
        // slots (MatchSlots): new bindings stay in nodeIDs / relSlots while matching
        // (a part without filters gains nothing from slots: its rows cost what they did)
        let sink = valueSink.flatMap { $0.part == part.pos.offset && givenPlan && part.pathVariable == nil ? $0 : nil }
        let aggregating = aggregateSink.flatMap { $0.part == part.pos.offset && givenPlan && part.pathVariable == nil ? $0 : nil }
        let slots = givenPlan && slotsEnabled && part.shortest == 0 && (plan.filtered.any || plan.relFiltered.any || sink != nil || aggregating != nil)
            ? MatchSlots.forRow(part, plan, row, self) : nil
        if let slots { slottedParts += 1; slots.inUse = true }
        defer { slots?.inUse = false }
        // The state the nested functions below change, in an object whose properties are not
        // checked for exclusivity at run time: local `var`s captured by nested functions live
        // in boxes whose every access was checked (with them, d and c.hop2 took 9% and 8% more
        // than the module compiled unchecked, best of 5 in a loaded sitting, fourteenth session).
        // The names below forward to it, borrowing in place.
        // (the relationships of each step are kept only for a path variable; the kept slots
        // keep a frame for the part's next row)
        let start = widen.map { row.widened(to: $0) } ?? row
        let frame = slots?.frame(for: start, steps: part.pathVariable != nil ? part.steps.count : nil)
            ?? MatchFrame(row: start, relIDs: part.pathVariable != nil ? Array(repeating: [], count: part.steps.count) : [])
        var row: Row { _read { yield frame.row } _modify { yield &frame.row } }
        // The general path binds and unbinds the part's variables in the row's slots, found
        // once here (node i at rowSlots[i], step s at rowSlots[nodes.count + s]; -1: by name,
        // for a row not widened to the pattern, or a slot past the 64th, see Row.unbound).
        if slots == nil, let layout = frame.row.layout {
            for i in nodes.indices { rowSlots[i] = nodes[i].variable.flatMap { layout.index(of: $0) }.flatMap { $0 < 64 ? $0 : nil } ?? -1 }
            for s in part.steps.indices {
                rowSlots[nodes.count + s] = part.steps[s].rel.variable.flatMap { layout.index(of: $0) }.flatMap { $0 < 64 ? $0 : nil } ?? -1
            }
        }
        let stepSlots = rowSlots + nodes.count
        var relIDs: [[Int]] { _read { yield frame.relIDs } _modify { yield &frame.relIDs } }
        var counted: Int { get { frame.counted } set { frame.counted = newValue } }
        let a = plan.anchor
        if part.shortest != 0 {
            if opRows.isEmpty || plan.profileBase < 0 { try matchShortest(part, props, relProps, row, emit); return }
            let op = plan.profileBase
            try matchShortest(part, props, relProps, row) { r in opRows[op] += 1; try emit(r) }
            return
        }
        // the anchor's candidates; a node bound by an earlier clause is read from the row
        // without making a one-element array per row (-1: none)
        var candidates: [Int] = []
        var boundAnchor = -1
        if case .bound(let v) = plan.access, !maps {
            boundAnchor = try anchorCandidates(bound: v, row) ?? -1
        } else {
            (candidates, props[a], _) = try scanAnchors(nodes[a], plan.access, row)
        }
        let nodeProps = props

        let order = plan.order
        let needPath = part.pathVariable != nil
        let slotted = slots != nil
        // in slot mode the row as a constant (slots leave it unchanged; the `var` was retained
        // for every evaluation of a filter)
        let slotFilters = slots?.filters ?? [], slotRelFilters = slots?.relFilters ?? []
        let slotBound = slots?.bound ?? []
        let nodeLabels = slots?.nodeLabels ?? []
        let constantRow = slotted ? row : [:]
        // the nodes and steps with something to check (labels, properties, an earlier binding)
        let checkedNodes: LowMask = {
            guard let slots else { return LowMask() }
            if !slots.bound.isEmpty { return LowMask(bits: ~0) }
            var m = slots.labelled
            if maps { for i in nodes.indices where nodeProps[i] != nil { m.insert(i) } }
            return m
        }()
        // a match a lone count(*) takes is counted, not made into a row (see runSingle)
        let countOnly = slots != nil ? countSink : nil
        // PROFILE: rows out of stage k (the anchor, then each expansion) go to opRows[stage + k]
        let stage = opRows.isEmpty ? -1 : plan.profileBase
        if slotted, stage >= 0 { slottedOperators.insert(stage) }
        // (counted here and handed over once: the aggregator is not touched per match)
        let counting = countOnly != nil
        // a RETURN that lists values of this part's bindings: its row of values is made from
        // the slots (ValueSink); nil when an item does not compile (the items are evaluated on
        // each match's row then, below)
        let returned: [SlotExpr]? = counting ? nil : slots.flatMap { sink?.compiled(for: $0, self) }
        if returned != nil { sink?.fromSlots = true }
        // an aggregating RETURN's keys and arguments from the slots (AggregateSink)
        let aggregated = slots.flatMap { counting ? nil : aggregating?.compiled(for: $0, self) }
        if aggregated != nil { aggregating?.fromSlots = true }
        defer { if counted > 0 { countOnly?.addCount(counted); if stage >= 0 { countedByDegree += counted } } }

        /// The row with the slots' bindings so far.
        func bound() -> Row {
            guard let slots else { return row }
            var r = row
            for i in nodes.indices where slots.nodesToBind[i] && nodeIDs[i] >= 0 { r[nodes[i].variable!] = .node(nodeIDs[i]) }
            for s in part.steps.indices where slots.relationshipsToBind[s] && relSlots[s] >= 0 { r[part.steps[s].rel.variable!] = .relationship(relSlots[s]) }
            return r
        }

        func finish() throws {
            if counting { counted += 1; return }
            if let aggregated { sunkMatches += 1; try aggregate(aggregating!, aggregated, nodeIDs, relSlots, constantRow); return }
            if let returned {
                sunkMatches += 1
                var values: [QueryValue] = []
                values.reserveCapacity(returned.count)
                for e in returned { values.append(try eval(e, nodeIDs, relSlots, constantRow)) }
                try sink!.append(values, self)
                return
            }
            if let sink {
                // items that do not compile against the slots: evaluated on the match's row
                sunkMatches += 1
                let r = bound()
                var values: [QueryValue] = []
                values.reserveCapacity(sink.items.count)
                for e in sink.items { values.append(try eval(e, r)) }
                try sink.append(values, self)
                return
            }
            var r = bound()
            if let pv = part.pathVariable {
                var pn = [nodeIDs[0]], pr: [Int] = []
                var cur = nodeIDs[0]
                for seg in relIDs {
                    for rel in seg {
                        let (s, e) = gv.endpoints(rel)
                        cur = s == cur ? e : s
                        pn.append(cur); pr.append(rel)
                    }
                }
                r[pv] = .path(PathValue(nodes: pn, relationships: pr))
            }
            try emit(r)
        }

        /// `restore: false` when nothing matches after `body` (the last anchor candidate): the
        /// row keeps the binding rather than copy its table away from the rows `body` emitted.
        func bindNode(_ idx: Int, _ n: Int, restore: Bool = true, _ body: () throws -> Void) throws {
            if slotted {
                if checkedNodes[idx] {
                    guard Self.nodeMatches(gv, labels: nodeLabels[idx], n, nodeProps[idx], bound: slotBound.isEmpty ? nil : slotBound[idx]) else { return }
                }
                nodeIDs[idx] = n
                try body()
                if restore { nodeIDs[idx] = -1 }
                return
            }
            let np = nodes[idx]
            guard nodeMatches(gv, np, n, nodeProps[idx], bound: np.variable.flatMap { row.lookup(rowSlots[idx], $0) }) else { return }
            nodeIDs[idx] = n
            var added = false
            if !plan.unboundNodes[idx], let v = np.variable { added = row.bindIfUnbound(rowSlots[idx], v, .node(n)) }
            try body()
            if !restore { return }
            if added { row.unbind(rowSlots[idx], np.variable!) }
            nodeIDs[idx] = -1
        }

        let filters = plan.filters
        let relFilters = plan.relFilters
        let filtered = plan.filtered.low, relFiltered = plan.relFiltered.low
        func extend(_ k: Int) throws {
            try tick()
            if filtered[k], k < filters.count {
                if slotted {
                    for f in slotFilters[k] where try !isTrue(eval(f, nodeIDs, relSlots, constantRow)) { return }
                } else {
                    for f in filters[k] {
                        let saved = usedRels
                        let ok = try isTrue(eval(f, row))
                        usedRels = saved
                        if !ok { return }
                    }
                }
            }
            if stage >= 0 { opRows[stage + k] += 1 }
            if k == order.count { try finish(); return }
            let s = order[k].step, forward = order[k].forward
            let rp = part.steps[s].rel
            let from = forward ? nodeIDs[s] : nodeIDs[s + 1]
            let toIdx = forward ? s + 1 : s
            var dir = rp.direction
            if !forward { dir = dir.reversed }
            if let range = rp.range {
                var boundList: [Int]? = nil
                if let v = rp.variable, let b = row.lookup(stepSlots[s], v) {
                    guard case .list(let l) = b else { return }
                    boundList = l.compactMap { if case .relationship(let r) = $0 { return r }; return nil }
                    if !forward { boundList!.reverse() }
                }
                if plan.lastHop == .distinctEnds, k == order.count - 1, boundList == nil, !needPath, givenPlan,
                   !(!plan.unboundRels[s] && rp.variable != nil), range.min <= 1 {
                    try reachable(from: from, range, dir, rp, relProps[s]) { target in
                        if nodeIDs[toIdx] == -1 { try bindNode(toIdx, target) { try extend(k + 1) } }
                        else if nodeIDs[toIdx] == target { try extend(k + 1) }
                    }
                    return
                }
                var path: [Int] = []
                func walk(_ at: Int) throws {
                    try tick()
                    if path.count & 15 == 15, QueryNesting.stackIsLow() {
                        throw QueryError(.resourceLimit, "PathTooLong", "a variable-length relationship pattern followed a path of \(path.count) relationships and the stack ran short; give it an upper bound (e.g. *1..10)", at: rp.pos, phase: .runtime)
                    }
                    if path.count >= range.min {
                        if boundList == nil || boundList! == path {
                            let target = at
                            if nodeIDs[toIdx] == -1 || nodeIDs[toIdx] == target {
                                let wasSet = nodeIDs[toIdx] != -1
                                let seg = forward ? path : path.reversed()
                                if needPath { relIDs[s] = seg }
                                var addedRel = false
                                if !plan.unboundRels[s], let v = rp.variable, row.isUnbound(stepSlots[s], v) {
                                    addedRel = row.bindIfUnbound(stepSlots[s], v, .list(seg.map { .relationship($0) }))
                                }
                                if wasSet { try extend(k + 1) } else { try bindNode(toIdx, target) { try extend(k + 1) } }
                                if addedRel { row.unbind(stepSlots[s], rp.variable!) }
                                if needPath { relIDs[s] = [] }
                            }
                        }
                    }
                    if let mx = range.max, path.count >= mx { return }
                    if let bl = boundList, path.count >= bl.count { return }
                    for (rel, other) in gv.relationships(of: at, direction: dir, types: rp.types) {
                        if usedRels.contains(rel) || !relMatches(gv, rp, rel, relProps[s]) { continue }
                        usedRels.append(rel); path.append(rel)
                        try walk(other)
                        path.removeLast(); usedRels.removeLast()
                    }
                }
                try walk(from)
                return
            }
            var boundRel: Int? = nil
            if let v = rp.variable, let b = row.lookup(stepSlots[s], v) {
                guard case .relationship(let r) = b else { return }
                boundRel = r
            }
            if let sink = countSink ?? groupedCountSink, plan.lastHop == .counted, k == order.count - 1, filters.count <= k + 1 || filters[k + 1].isEmpty,
               relFilters.count <= k || relFilters[k].isEmpty, boundRel == nil, !needPath, relProps[s] == nil, nodeIDs[toIdx] == -1 {
                let np = nodes[toIdx]
                let grouped = countSink == nil
                if nodeProps[toIdx] == nil, np.variable.map({ row.lookup(rowSlots[toIdx], $0) == nil }) ?? true,
                   !grouped || ((np.variable.map { !groupedKeyNames.contains($0) } ?? true) && (rp.variable.map { !groupedKeyNames.contains($0) } ?? true)) {
                    let c = countLastHop(gv, from: from, dir: dir, types: rp.types, labels: np.labels)
                    try tick(c)
                    if stage >= 0 { opRows[stage + k + 1] += c; countedByDegree += c }
                    if !grouped { sink.addCount(c) } else if c > 0 { try sink.add(bound(), times: c) }
                    return
                }
            }
            let relChecked = relProps[s] != nil
            for (rel, other) in gv.relationships(of: from, direction: dir, types: rp.types) {
                if let br = boundRel, br != rel { continue }
                if usedRels.contains(rel) || (relChecked && !relMatches(gv, rp, rel, relProps[s])) { continue }
                if nodeIDs[toIdx] != -1 && nodeIDs[toIdx] != other { continue }
                usedRels.append(rel)
                if needPath { relIDs[s] = [rel] }
                var addedRel = false
                if slotted { relSlots[s] = rel }
                else if !plan.unboundRels[s], let v = rp.variable { addedRel = row.bindIfUnbound(stepSlots[s], v, .relationship(rel)) }
                var pass = true
                if relFiltered[k], k < relFilters.count {
                    if slotted {
                        for f in slotRelFilters[k] where try !isTrue(eval(f, nodeIDs, relSlots, constantRow)) { pass = false; break }
                    } else {
                        for f in relFilters[k] {
                            let saved = usedRels
                            if try !isTrue(eval(f, row)) { pass = false }
                            usedRels = saved
                            if !pass { break }
                        }
                    }
                }
                if pass {
                    if nodeIDs[toIdx] != -1 { try extend(k + 1) } else { try bindNode(toIdx, other) { try extend(k + 1) } }
                }
                if addedRel { row.unbind(stepSlots[s], rp.variable!) }
                if needPath { relIDs[s] = [] }
                usedRels.removeLast()
            }
            if slotted { relSlots[s] = -1 }
        }

        if boundAnchor >= 0 {
            try tick()
            try bindNode(a, boundAnchor, restore: false) { try extend(0) }
        }
        for (i, c) in candidates.enumerated() {
            try tick()
            try bindNode(a, c, restore: i < candidates.count - 1) { try extend(0) }
        }
    }

    /// The distinct nodes at the end of a variable-length relationship pattern from `from`,
    /// breadth first, in order of distance. Exact for `range.min <= 1` when the relationships
    /// are not read: a node reachable by a walk of at most `max` hops avoiding the relationships
    /// this match already uses is also reachable by a path without repeated relationships
    /// (its shortest walk), of no more hops, so the relationship-unique paths the pattern
    /// enumerates end at exactly these nodes (and at `from` itself when `min` is 0).
    func reachable(from: Int, _ range: (min: Int, max: Int?), _ dir: Direction, _ rp: RelPattern,
                   _ props: [PropertyTest]?, _ visit: (Int) throws -> Void) throws {
        let gv = graph
        visitEpoch &+= 1
        if visitEpoch == 0 { visitMark = []; visitEpoch = 1 }  // wrapped: start afresh
        let epoch = visitEpoch
        @inline(__always) func mark(_ n: Int) -> Bool {
            if n >= visitMark.count { visitMark.append(contentsOf: repeatElement(0, count: max(n + 1 - visitMark.count, visitMark.count))) }
            if visitMark[n] == epoch { return false }
            visitMark[n] = epoch
            return true
        }
        if range.min == 0 { _ = mark(from); try visit(from) }
        // the level buffers are the executor's, reused from one search to the next
        var frontier = bfsBuffers.0, next = bfsBuffers.1
        bfsBuffers = ([], [])
        defer { frontier.removeAll(keepingCapacity: true); next.removeAll(keepingCapacity: true); bfsBuffers = (frontier, next) }
        frontier.append(from)
        var depth = 0
        while !frontier.isEmpty, range.max.map({ depth < $0 }) ?? true {
            depth += 1
            next.removeAll(keepingCapacity: true)
            for n in frontier {
                for (rel, other) in gv.relationships(of: n, direction: dir, types: rp.types) {
                    try tick()
                    if usedRels.contains(rel) || !relMatches(gv, rp, rel, props) { continue }
                    if mark(other) { next.append(other) }
                }
            }
            for t in next { try visit(t) }  // (visits match further but start no search of their own)
            swap(&frontier, &next)
        }
    }

    /// shortestPath / allShortestPaths between two bound-or-matched endpoints (breadth first).
    func matchShortest(_ part: PatternPart, _ nodeProps: [[PropertyTest]?], _ relProps: [[PropertyTest]?], _ row: Row, _ emit: (Row) throws -> Void) throws {
        guard part.steps.count == 1 else { throw QueryError(.syntaxError, "InvalidShortestPath", "shortestPath needs a single relationship pattern") }
        let rp = part.steps[0].rel
        // (the start's own access: a plan anchored at a typed relationship's near end would
        // leave out the nodes with no relationship, which a zero-length path may start at)
        let plan = nestedPlan(part, row)
        var access = AnchorAccess.labelOrScan
        if plan.anchor == 0 { switch plan.access { case .bound, .property: access = plan.access; default: break } }
        let starts = try anchorCandidates(part.start, access, row)
        let endNP = part.steps[0].node
        let ends = try anchorCandidates(endNP, Planner.access(endNP, bound: Set(row.keys)), row)
        let minHops = rp.range?.min ?? 1, maxHops = rp.range?.max ?? (rp.range == nil ? 1 : Int.max)
        let targets = try ends.filter { try nodeMatches(endNP, $0, nodeProps[1], row) }
        for s in starts where try nodeMatches(part.start, s, nodeProps[0], row) {
            // between two different nodes a shortest walk never repeats a node: one breadth-first
            // search from s over nodes (not walks) finds every shortest path to every target
            let mark = memoryUsed
            defer { memoryUsed = mark }
            let levels = minHops <= 1 ? try shortestLevels(from: s, rp, relProps[0], maxHops: maxHops,
                                                            stopAt: targets.count == 1 && targets[0] != s ? targets[0] : nil) : nil
            for t in targets {
                // every (start, target) pair counts a step, even where no relationship leads on:
                // UNWIND of 100,000 rows before an allShortestPaths over a type no relationship
                // has ran 27 s past a 0.1 s limit without one (found by mosaic-fuzz)
                try tick()
                if let levels, t != s {
                    for p in try levels.paths(to: t, all: part.shortest == 2, self) { try emitShortest(p, s, t, part, rp, row, emit) }
                    continue
                }
                if minHops == 1, t == s {
                    for p in try shortestCycles(s, rp, relProps[0], maxHops: maxHops, all: part.shortest == 2) { try emitShortest(p, s, t, part, rp, row, emit) }
                    continue
                }
                // (from a node to itself, or with a minimum length: walks, breadth first)
                var paths: [[Int]] = []
                var frontier: [(node: Int, rels: [Int])] = [(s, [])]
                var depth = 0
                // the walks held (frontier and paths) count against the memory budget
                let mark = memoryUsed
                defer { memoryUsed = mark }
                if minHops == 0 && s == t { paths = [[]] }
                while paths.isEmpty && !frontier.isEmpty && depth < maxHops {
                    depth += 1
                    var next: [(node: Int, rels: [Int])] = []
                    for (n, rels) in frontier {
                        for (rel, other) in graph.relationships(of: n, direction: rp.direction, types: rp.types) {
                            try tick()
                            if rels.contains(rel) || !relMatches(rp, rel, relProps[0]) { continue }
                            let nr = rels + [rel]
                            try charge(48 + 8 * nr.count, "shortestPath's search frontier")
                            if other == t && depth >= minHops { paths.append(nr) } else { next.append((other, nr)) }
                        }
                    }
                    frontier = next
                }
                if part.shortest == 1 { paths = Array(paths.prefix(1)) }
                for p in paths { try emitShortest(p, s, t, part, rp, row, emit) }
            }
        }
    }

    func emitShortest(_ p: [Int], _ s: Int, _ t: Int, _ part: PatternPart, _ rp: RelPattern, _ row: Row, _ emit: (Row) throws -> Void) throws {
        var r = row
        if let v = part.start.variable { r[v] = .node(s) }
        if let v = part.steps[0].node.variable { r[v] = .node(t) }
        if let v = rp.variable { r[v] = rp.range == nil ? .relationship(p[0]) : .list(p.map { .relationship($0) }) }
        if let pv = part.pathVariable {
            var pn = [s]; var cur = s
            for rel in p { let (a, b) = graph.endpoints(rel); cur = a == cur ? b : a; pn.append(cur) }
            r[pv] = .path(PathValue(nodes: pn, relationships: p))
        }
        try emit(r)
    }

    /// The nodes a breadth-first search from `s` reaches, each with its distance and the
    /// (node, relationship) links it is first reached by from the level before.
    struct ShortestLevels {
        var distance: [Int: Int] = [:]
        var links: [Int: [(from: Int, rel: Int)]] = [:]

        /// The shortest paths to `t` (relationship ids from s), the first one or all of them.
        func paths<X: QueryGraph>(to t: Int, all: Bool, _ ex: Executor<X>) throws -> [[Int]] {
            guard distance[t] != nil else { return [] }
            var out: [[Int]] = []
            // depth first over the links back to s, without recursion: (node, rels so far, reversed)
            var stack: [(Int, [Int])] = [(t, [])]
            while let (n, rels) = stack.popLast() {
                guard let back = links[n] else { out.append(rels.reversed()); if !all { break }; continue }
                for l in back.reversed() {
                    try ex.tick()
                    try ex.charge(48 + 8 * (rels.count + 1), "allShortestPaths' paths")
                    stack.append((l.from, rels + [l.rel]))
                }
            }
            return out
        }
    }

    /// The shortest walks from `s` back to itself without a repeated relationship. A shortest
    /// one never repeats a node but s (a loop inside it could be cut out), so it is a first
    /// relationship s -r-> x and then a shortest path from x back to s that avoids r and
    /// does not pass through s: one breadth-first search over nodes per first relationship.
    func shortestCycles(_ s: Int, _ rp: RelPattern, _ props: [PropertyTest]?, maxHops: Int, all: Bool) throws -> [[Int]] {
        var best = Int.max
        var out: [[Int]] = []
        for (r0, x) in graph.relationships(of: s, direction: rp.direction, types: rp.types) {
            try tick()
            guard relMatches(rp, r0, props) else { continue }
            if x == s {  // a loop
                if best > 1 { best = 1; out = [] }
                out.append([r0])
                continue
            }
            guard best > 1, maxHops > 1 else { continue }
            let lv = try shortestLevels(from: x, rp, props, maxHops: min(maxHops, best) - 1, stopAt: s, excluding: r0)
            guard let d = lv.distance[s], d + 1 <= best else { continue }
            if d + 1 < best { best = d + 1; out = [] }
            for p in try lv.paths(to: s, all: all, self) { out.append([r0] + p) }
        }
        return all ? out : Array(out.prefix(1))
    }

    /// A breadth-first search from `s` (to `stopAt`, when given, never going on from it),
    /// `excluding` one relationship.
    func shortestLevels(from s: Int, _ rp: RelPattern, _ props: [PropertyTest]?, maxHops: Int, stopAt: Int?,
                        excluding: Int = -1) throws -> ShortestLevels {
        var lv = ShortestLevels()
        lv.distance[s] = 0
        var frontier = [s]
        var depth = 0
        while !frontier.isEmpty && depth < maxHops {
            depth += 1
            var next: [Int] = []
            for n in frontier {
                for (rel, other) in graph.relationships(of: n, direction: rp.direction, types: rp.types) {
                    try tick()
                    guard rel != excluding, relMatches(rp, rel, props) else { continue }
                    if let d = lv.distance[other] {
                        if d == depth { lv.links[other]!.append((n, rel)) }
                        continue
                    }
                    try charge(96, "shortestPath's search frontier")
                    lv.distance[other] = depth
                    lv.links[other] = [(n, rel)]
                    if other != stopAt { next.append(other) }
                }
            }
            if let t = stopAt, lv.distance[t] != nil { break }
            frontier = next
        }
        return lv
    }
}
