// MosaicQuery: the Mosaic query language (openCypher style) over a graph snapshot.
// Provides: lexer → parser (AST with source positions) → binder (scopes, semantic errors)
// → planner (anchors, operators) → executor returning a typed `ResultTable`, prepared
// queries, EXPLAIN/PROFILE, an extensible function registry, and writes that return the
// new graph plus the list of changes. Uses: MosaicGraph (through `QueryGraph`), Foundation.

import Foundation

/// A query compiled once (parsed, bound, planned) and run many times with parameters.
public struct PreparedQuery: Sendable {
    /// What the compile made, in one shared object: a prepared query is copied by its
    /// callers (caches, runners), and a copy costs one reference count instead of one per
    /// array of the plan.
    private final class Compiled: Sendable {
        let text: String
        let plan: QueryPlan
        let functions: FunctionRegistry
        let height: Int
        let adaptive: AdaptivePlan?
        let scopes: [[Binder.Scope]]
        init(text: String, plan: QueryPlan, functions: FunctionRegistry, height: Int, adaptive: AdaptivePlan?, scopes: [[Binder.Scope]]) {
            self.text = text; self.plan = plan; self.functions = functions; self.height = height; self.adaptive = adaptive; self.scopes = scopes
        }
    }
    private let compiled: Compiled

    init(text: String, plan: QueryPlan, functions: FunctionRegistry, height: Int, adaptive: AdaptivePlan?, scopes: [[Binder.Scope]]) {
        compiled = Compiled(text: text, plan: plan, functions: functions, height: height, adaptive: adaptive, scopes: scopes)
    }

    public var text: String { compiled.text }
    var plan: QueryPlan { compiled.plan }
    var functions: FunctionRegistry { compiled.functions }
    /// How deep the query nests (levels of its syntax tree, see `QueryNesting`): deeper
    /// than the calling thread has stack for, it runs on a thread with a big stack.
    var height: Int { compiled.height }
    /// The plan made from the counts of the graph the query runs on, when the graph's sizes
    /// could change an anchor (`QueryPlan.statisticsSensitive`); nil otherwise.
    var adaptive: AdaptivePlan? { compiled.adaptive }

    /// Whether the query writes (CREATE, MERGE, SET, REMOVE, DELETE).
    public var isReadOnly: Bool {
        !plan.ast.parts.contains { $0.clauses.contains { c in
            switch c { case .create, .merge, .set, .remove, .delete: return true; default: return false }
        } }
    }
    public var isExplain: Bool { plan.ast.explain }
    public var isProfile: Bool { plan.ast.profile }

    var scopes: [[Binder.Scope]] { compiled.scopes }

    /// The plan as EXPLAIN shows it (the one made for the last graph the query ran on, when
    /// its anchors depend on the graph's counts).
    public var operators: [PlanOperator] {
        if let latest = adaptive?.latest, latest.ast.explain || latest.ast.profile { return latest.explainedOperators }
        if plan.ast.explain || plan.ast.profile { return plan.explainedOperators }
        if height > 8, height > QueryNesting.inlineAllowance() {
            return (try? QueryNesting.onBigStack { Planner.plan(plan.ast, scopes: scopes, describe: true).explainedOperators }) ?? []
        }
        return Planner.plan(plan.ast, scopes: scopes, describe: true).explainedOperators
    }

    /// Runs the query on `graph` (any snapshot, e.g. the graph as of a past transaction).
    /// A writing query works on a copy: the returned table holds the new graph and the
    /// changes; when the query fails, nothing is written.
    /// Specialised for `GraphView` (what the CLI and the benchmarks pass): callers in other
    /// modules otherwise run the executor's unspecialised generic code.
    @_specialize(where G == GraphView)
    public func execute<G: QueryGraph>(on graph: G, parameters: [String: QueryValue] = [:],
                                       limits: QueryLimits = QueryLimits()) throws -> ResultTable<G> {
        try execute(on: graph, QueryParameters(parameters), limits: limits)
    }

    /// `execute` with the parameters as the executor reads them (Query.run passes the
    /// literals it lifted by position).
    @_specialize(where G == GraphView)
    func execute<G: QueryGraph>(on graph: G, _ parameters: QueryParameters, limits: QueryLimits) throws -> ResultTable<G> {
        if height > 8, height > QueryNesting.inlineAllowance() {
            // (the query's recursion needs more stack than the caller's thread may have)
            return try QueryNesting.onBigStack { try run(on: graph, parameters: parameters, limits: limits) }
        }
        return try run(on: graph, parameters: parameters, limits: limits)
    }

    /// The plan to run on `graph`: the compiled one, or the one made from the graph's counts.
    func plan<G: QueryGraph>(for graph: G) -> QueryPlan {
        guard let adaptive else { return plan }
        // (`run` is on a big stack already when the query is deep)
        let compiled = self.plan
        return adaptive.plan(for: graph) { stats in
            Planner.plan(compiled.ast, scopes: scopes, describe: compiled.ast.explain || compiled.ast.profile, stats: stats)
        }
    }

    @_specialize(where G == GraphView)
    func run<G: QueryGraph>(on graph: G, parameters: QueryParameters, limits: QueryLimits) throws -> ResultTable<G> {
        let plan = self.plan(for: graph)
        if plan.ast.explain {
            let ops = plan.explainedOperators
            return ResultTable(columns: ["operator", "detail", "variables"],
                               rows: ops.map { [.string($0.name), .string($0.detail), .string($0.variables.joined(separator: ", "))] },
                               graph: graph, changes: [], plan: ops)
        }
        let ex = Executor(graph: graph, parameters: parameters, functions: functions, plan: plan, limits: limits)
        let (columns, rows) = try ex.run()
        var ops: [PlanOperator]? = nil
        if plan.ast.profile {
            // (the executor counts rows by the planner's lines; they are printed as the tree orders them)
            ops = plan.explained.map { line, op in
                var o = op
                o.rows = ex.opRows[line]
                if ex.slottedOperators.contains(line) { o.detail += o.detail.isEmpty ? "(slots)" : " (slots)" }
                return o
            }
        }
        return ResultTable(columns: columns, rows: rows, graph: ex.graph, changes: ex.changes, plan: ops)
    }
}

/// The entry points of the query language.
public enum Query {
    /// Compiles a query: lexer → parser → binder → planner. Throws a `QueryError`
    /// (SyntaxError, SemanticError, ...) with the position of the problem.
    /// A query nesting deeper than `QueryNesting.maxDepth` is a SyntaxError (NestingTooDeep).
    public static func prepare(_ text: String, functions: FunctionRegistry = .standard) throws -> PreparedQuery {
        // parsed on the caller's stack as deep as it has room for; deeper, everything runs
        // on a big stack
        let allowance = QueryNesting.inlineAllowance()
        var parser = try Parser(text, depthLimit: allowance)
        let ast: QueryAST
        do { ast = try parser.parseQuery() } catch {
            guard (error as? QueryError)?.detail == "NeedsBigStack" else { throw error }
            return try QueryNesting.onBigStack { try compileDeep(text, functions: functions) }
        }
        // the tree may still be tall (operator chains are parsed in loops): measure it when
        // the parser's counters (a bound on its height) do not show it fits
        var height = 2 * parser.maxDepth + parser.links
        if height > 8, height > allowance { height = try QueryNesting.height(of: ast) }
        if height > 8, height > allowance {
            return try QueryNesting.onBigStack { try compile(ast, text, functions, height: height) }
        }
        return try compile(ast, text, functions, height: height)
    }

    /// Parses with the full depth limit (on the big stack), then binds and plans.
    static func compileDeep(_ text: String, functions: FunctionRegistry) throws -> PreparedQuery {
        var parser = try Parser(text, depthLimit: QueryNesting.maxDepth)
        let ast = try parser.parseQuery()
        return try compile(ast, text, functions, height: try QueryNesting.height(of: ast))
    }

    /// `semiJoins`: rewrite EXISTS subqueries (`ExistsSemiJoin`); `statistics`: plan again
    /// from the counts of the graph the query runs on (`AdaptivePlan`). Both are off only
    /// to compare against.
    static func compile(_ ast: QueryAST, _ text: String, _ functions: FunctionRegistry, height: Int,
                        semiJoins: Bool = true, statistics: Bool = true) throws -> PreparedQuery {
        var binder = Binder(functions: functions)
        try binder.bind(ast)
        // (bound as written, so errors point at the text; the rewrite keeps every clause's scope)
        let ast = semiJoins ? ExistsSemiJoin.apply(ast) : ast
        let plan = Planner.plan(ast, scopes: binder.scopes, describe: ast.explain || ast.profile)
        return PreparedQuery(text: text, plan: plan, functions: functions, height: height,
                             adaptive: statistics && plan.statisticsSensitive ? AdaptivePlan() : nil, scopes: binder.scopes)
    }

    /// Compiles and runs a query in one go. The compiled plans of the most recent query texts
    /// are kept, per function registry (like SQLite's statement cache), so running the same
    /// text again skips parsing and planning; `Query.prepare` always compiles. The literals
    /// of MATCH and WHERE are lifted into parameters first (`LiteralLifter`), so a text that
    /// differs from a cached one only in those literals reuses its plan.
    public static func run<G: QueryGraph>(_ text: String, on graph: G, parameters: [String: QueryValue] = [:],
                                          functions: FunctionRegistry? = nil,
                                          limits: QueryLimits = QueryLimits()) throws -> ResultTable<G> {
        let f = functions ?? .standard
        if let lifted = LiteralLifter.lift(text), let q = try liftedPlan(text, lifted, f) {
            do { return try q.execute(on: graph, QueryParameters(parameters, lifted: lifted.values), limits: limits) } catch let e as QueryError
                where e.position != nil && e.kind != .resourceLimit {
                // its position is in the lifted text: run the query as written for the error
                // the user's text shows (a failed query writes nothing, so this is safe)
            }
        }
        return try cachedPlan(text, f).execute(on: graph, parameters: parameters, limits: limits)
    }

    /// The compiled plan of `text` from the cache, or compiled and cached.
    static func cachedPlan(_ text: String, _ f: FunctionRegistry) throws -> PreparedQuery {
        let key = PlanCache.Key(generation: f.generation, text: text)
        if let cached = PlanCache.shared.get(key), let q = cached { return q }
        let q = try prepare(text, functions: f)
        PlanCache.shared.put(key, q)
        return q
    }

    /// The plan shared by the texts of `lifted`'s shape, or nil when that shape does not
    /// compile with parameters (then the text is compiled as written). The first text of a
    /// shape is compiled as written too: its compile errors are the ones to report.
    static func liftedPlan(_ text: String, _ lifted: LiteralLifter.Lifted, _ f: FunctionRegistry) throws -> PreparedQuery? {
        let key = PlanCache.Key(generation: f.generation, text: lifted.text, kinds: lifted.kinds)
        if let cached = PlanCache.shared.get(key) { return cached }
        let original = try cachedPlan(text, f)
        let q = (try? prepare(lifted.text, functions: f)).flatMap { $0.isReadOnly == original.isReadOnly ? $0 : nil }
        PlanCache.shared.put(key, q)
        return q
    }
}

/// The most recently used compiled queries, by function registry and text (or lifted
/// shape: nil for a shape that does not compile with parameters). `lock` guards the entries.
// @unchecked Sendable: `entries`, `last`, `clock` and `hits` only under `lock`; a cached PreparedQuery is an immutable value.
final class PlanCache: @unchecked Sendable {
    /// `kinds`: the kinds of a lifted shape's values (`LiteralLifter`), "" for a plain text.
    struct Key: Hashable { var generation: UInt64; var text: String; var kinds = "" }
    /// An entry; its `used` stamp changes in place (a hit costs one lookup, no rehash).
    final class Entry { let plan: PreparedQuery?; var used: UInt64; init(_ p: PreparedQuery?, _ u: UInt64) { plan = p; used = u } }
    static let shared = PlanCache(capacity: 256)
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    /// The entry `get` found last (cleared when an entry is evicted).
    private var last: (key: Key, entry: Entry)?
    /// Lookups that found a plan (for tests and diagnostics).
    private(set) var hits = 0
    let capacity: Int
    init(capacity: Int) { self.capacity = capacity }

    func get(_ key: Key) -> PreparedQuery?? {
        lock.lock(); defer { lock.unlock() }
        // the last entry found, compared before hashing the key (a one-off query run in a
        // loop finds its shape again: hashing the text was 4% of a lookup by id, fifteenth session)
        let e: Entry
        if let last, last.key == key {
            e = last.entry
        } else {
            guard let found = entries[key] else { return nil }
            last = (key, found)
            e = found
        }
        clock += 1
        if e.plan != nil { hits += 1 }
        e.used = clock
        return e.plan
    }

    func put(_ key: Key, _ plan: PreparedQuery?) {
        lock.lock(); defer { lock.unlock() }
        clock += 1
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
            if last?.key == oldest { last = nil }
        }
        if last?.key == key { last = nil }
        entries[key] = Entry(plan, clock)
    }
}
