import Foundation
@testable import MosaicQuery

/// Runs openCypher TCK scenarios on a fresh `PropertyGraph` each.
struct TCKRunner {
    enum Outcome { case passed, failed(String), skipped(String) }

    // Steps bound a runaway scenario; the time limit is generous so a loaded CI machine
    // running a debug build does not fail slow-but-correct scenarios.
    static let limits = QueryLimits(maxSteps: 5_000_000, timeout: 60)

    /// The graph's observable state, for side-effect checks.
    struct Snapshot {
        var nodes: Set<Int> = [], rels: Set<Int> = [], labels: Set<String> = [], props: Set<String> = []
        init<G: QueryGraph>(_ g: G) {
            for n in g.allNodes() {
                nodes.insert(n)
                for l in g.labels(of: n) { labels.insert(l) }
                for (k, v) in g.nodeProperties(n) { props.insert("n\(n).\(k)=\(Expr.render(v))") }
            }
            for r in g.allRelationships() {
                rels.insert(r)
                for (k, v) in g.relationshipProperties(r) { props.insert("r\(r).\(k)=\(Expr.render(v))") }
            }
        }
        static func effects(_ a: Snapshot, _ b: Snapshot) -> [String: Int] {
            ["+nodes": b.nodes.subtracting(a.nodes).count, "-nodes": a.nodes.subtracting(b.nodes).count,
             "+relationships": b.rels.subtracting(a.rels).count, "-relationships": a.rels.subtracting(b.rels).count,
             "+labels": b.labels.subtracting(a.labels).count, "-labels": a.labels.subtracting(b.labels).count,
             "+properties": b.props.subtracting(a.props).count, "-properties": a.props.subtracting(b.props).count]
        }
    }

    static func run<G: QueryGraph>(_ sc: GherkinScenario, empty: G) -> Outcome {
        var graph = empty
        var params: [String: QueryValue] = [:]
        var result: ResultTable<G>? = nil
        var error: QueryError? = nil
        var before: Snapshot? = nil
        var checkedOutcome = false
        var functions: FunctionRegistry? = nil  // the standard set plus the scenario's procedures
        for step in sc.steps {
            let t = step.text
            if t == "an empty graph" || t == "any graph" { graph = empty; continue }
            if t.hasPrefix("there exists a procedure") {
                do {
                    var r = functions ?? .standard
                    r.register(try testProcedure(t, table: step.table ?? []))
                    functions = r
                } catch { return .failed("cannot read the procedure: \(error)") }
                continue
            }
            if t.hasPrefix("the ") && t.hasSuffix(" graph") { return .skipped("named graph") }
            if t.hasPrefix("having executed") {
                do { graph = try Query.run(step.docString ?? "", on: graph, parameters: params, functions: functions, limits: limits).graph }
                catch { return .failed("setup query failed: \(error)") }
                continue
            }
            if t.hasPrefix("parameters are") {
                for row in step.table ?? [] where row.count == 2 {
                    guard let v = try? TCKValueParser.parse(row[1]) else { return .failed("cannot read parameter \(row[1])") }
                    params[row[0]] = v.queryValue
                }
                continue
            }
            if t.hasPrefix("executing query") || t.hasPrefix("executing control query") {
                before = Snapshot(graph)
                result = nil; error = nil
                do {
                    let r = try Query.run(step.docString ?? "", on: graph, parameters: params, functions: functions, limits: limits)
                    result = r
                    graph = r.graph
                } catch let e as QueryError { error = e } catch { return .failed("unexpected error \(error)") }
                continue
            }
            if t.hasPrefix("the result should be") {
                checkedOutcome = true
                guard let r = result else { return .failed("expected a result, got \(error.map { "\($0)" } ?? "nothing")") }
                if t == "the result should be empty" {
                    if !r.rows.isEmpty { return .failed("expected no rows, got \(r.rows.count)") }
                    continue
                }
                let ordered = t.contains("in order")
                let ignoreListOrder = t.contains("ignoring element order for lists")
                guard let table = step.table, let header = table.first else { return .failed("no table") }
                if Set(header) != Set(r.columns) || header.count != r.columns.count { return .failed("columns \(r.columns) expected \(header)") }
                var expected: [[TCKValue]] = []
                for row in table.dropFirst() {
                    do { expected.append(try row.map { try TCKValueParser.parse($0) }) } catch { return .failed("cannot read expected \(row): \(error)") }
                }
                let cmp = TCKComparator(graph: r.graph, ignoreListOrder: ignoreListOrder)
                let idx = header.map { r.columns.firstIndex(of: $0)! }
                func rowMatches(_ e: [TCKValue], _ a: [QueryValue]) -> Bool { zip(e, idx).allSatisfy { cmp.matches($0, a[$1]) } }
                if expected.count != r.rows.count { return .failed("expected \(expected.count) rows, got \(r.rows.count): \(r.rows.prefix(5))") }
                if ordered {
                    for (k, e) in expected.enumerated() where !rowMatches(e, r.rows[k]) { return .failed("row \(k): expected \(e), got \(r.rows[k])") }
                } else {
                    var used = Array(repeating: false, count: r.rows.count)
                    for e in expected {
                        guard let j = r.rows.indices.first(where: { !used[$0] && rowMatches(e, r.rows[$0]) }) else {
                            return .failed("no row matches \(e); got \(r.rows.prefix(6))")
                        }
                        used[j] = true
                    }
                }
                continue
            }
            if t == "no side effects" || t.hasPrefix("the side effects should be") {
                guard let b = before else { continue }
                let eff = Snapshot.effects(b, Snapshot(graph))
                var want: [String: Int] = [:]
                for row in step.table ?? [] where row.count == 2 { want[row[0]] = Int(row[1]) }
                for (k, v) in eff where v != (want[k] ?? 0) { return .failed("side effect \(k): expected \(want[k] ?? 0), got \(v)") }
                continue
            }
            if t.hasPrefix("a "), t.contains(" should be raised at ") {
                checkedOutcome = true
                let kind = String(t.dropFirst(2).prefix { $0 != " " })
                guard let e = error else { return .failed("expected \(kind), but the query succeeded") }
                if e.kind.rawValue != kind { return .failed("expected \(kind), got \(e)") }
                continue
            }
            return .skipped("unknown step: \(t)")
        }
        return checkedOutcome ? .passed : .skipped("nothing checked")
    }

    /// The procedure of a step `there exists a procedure name(in :: T?) :: (out :: T?):` whose
    /// table lists input and output values: a call yields the outputs of the rows whose inputs
    /// equal its arguments (null equals null), every row when it takes no arguments.
    static func testProcedure(_ step: String, table: [[String]]) throws -> QueryProcedure {
        var sig = String(step.dropFirst("there exists a procedure".count)).trimmingCharacters(in: .whitespaces)
        if sig.hasSuffix(":") { sig.removeLast() }
        let shape = try QueryProcedure(signature: sig) { _, _ in [] }
        let header = table.first ?? []
        var rows: [[QueryValue]] = []
        for row in table.dropFirst() where !row.isEmpty { rows.append(try row.map { try TCKValueParser.parse($0).queryValue }) }
        let inputs = try shape.parameters.map { p in
            guard let i = header.firstIndex(of: p.name) else { throw TCKValueParser.Failure(message: "no column \(p.name)") }
            return i
        }
        let outputs = try shape.outputs.map { o in
            guard let i = header.firstIndex(of: o.name) else { throw TCKValueParser.Failure(message: "no column \(o.name)") }
            return i
        }
        let records = rows
        return QueryProcedure(shape.name, parameters: shape.parameters, outputs: shape.outputs) { args, _ in
            records.filter { r in zip(inputs, args).allSatisfy { r[$0.0] == $0.1 } }.map { r in outputs.map { r[$0] } }
        }
    }
}
