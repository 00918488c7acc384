// QueryRunner: runs a query of the Mosaic query language (MosaicQuery) for `mosaic query` and
// the console, commits its writes to the workspace's store (MosaicStore), and turns its rows
// into MosaicReports' result tables and renderings.
import Foundation
import MosaicGraph
import MosaicQuery
import MosaicReports
import MosaicStore

/// Runs queries of the Mosaic query language for the CLI and the console: reads go to the
/// snapshot (now or as of a past transaction); writes are recorded on a copy and committed
/// to the store as one transaction with the given origin.
struct QueryRunner {
    let workspace: Workspace

    struct Outcome {
        var table: MosaicReports.ResultTable
        var transaction: Int64?
        var changes: Int
    }

    /// `timeout` in seconds (nil: none), `memoryMegabytes` the query's memory budget (nil: the default).
    func run(_ text: String, parameters: [String: Value], graph: Graph, readOnly: Bool, origin: Origin,
             timeout: Double? = nil, memoryMegabytes: Int? = nil,
             isCancelled: (@Sendable () -> Bool)? = nil) throws -> Outcome {
        let started = Date()
        let prepared: PreparedQuery
        do { prepared = try Query.prepare(text, functions: workspace.functions) } catch let e as QueryError {
            throw CLIError(e.rendered(query: text))
        }
        if !prepared.isReadOnly && (readOnly || graph.clockView != nil) {
            throw CLIError("error: this query writes, but it reads a past or partial view of the KB; drop --as-of, --known-by and --valid-at (or :as-of off, :known-by off, :valid-at off) to write")
        }
        var view = GraphView(graph)
        view.graph.isRecording = !prepared.isReadOnly
        view.graph.writeMeta = StatementMeta(origin: origin)
        let params = parameters.mapValues(QueryValue.init)
        let result: MosaicQuery.ResultTable<GraphView>
        let limits = QueryLimits(timeout: timeout, maxMemory: memoryMegabytes.map { $0 << 20 } ?? QueryLimits.defaultMaxMemory,
                                 isCancelled: isCancelled)
        do { result = try prepared.execute(on: view, parameters: params, limits: limits) } catch let e as QueryError {
            throw CLIError(e.rendered(query: text))
        }
        var outcome = Outcome(table: QueryRunner.table(result), transaction: nil, changes: 0)
        if !prepared.isReadOnly {
            var g = result.graph.graph
            let changes = g.takeChanges()
            outcome.changes = changes.count
            if !changes.isEmpty {
                do { outcome.transaction = try workspace.store.commit(g, changes: changes, origin: origin) } catch {
                    throw CLIError("error: \(error)")
                }
            }
        }
        outcome.table.elapsedMilliseconds = Date().timeIntervalSince(started) * 1000
        return outcome
    }

    /// The query's rows as cells for the renderers (entities shown by name and type).
    static func table(_ r: MosaicQuery.ResultTable<GraphView>) -> MosaicReports.ResultTable {
        if let plan = r.plan {
            return MosaicReports.ResultTable(columns: ["operator", "detail", "variables", "rows"], rows: plan.map { op in
                [Cell(.string(String(repeating: "  ", count: op.depth) + op.name)), Cell(.string(op.detail)),
                 Cell(.string(op.variables.joined(separator: ", "))), op.rows.map { Cell(.int(Int64($0))) } ?? Cell(.null)]
            })
        }
        let g = r.graph.graph
        return MosaicReports.ResultTable(columns: r.columns, rows: r.rows.map { $0.map { Cell(cell($0, g)) } })
    }

    static func cell(_ v: QueryValue, _ g: Graph) -> CellValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .float(let d): return .double(d)
        case .string(let s): return .string(s)
        case .date(let d): return .date(d.description)
        case .duration(let d): return .string(d.description)
        case .temporal(let t): return t.kind.hasDate ? .date(t.description) : .string(t.description)
        case .list(let l): return .list(l.map { cell($0, g) })
        case .map(let m): return .map(m.keys.sorted().map { CellValue.MapEntry($0, cell(m[$0]!, g)) })
        case .node(let n):
            let node = g.node(Int32(n))
            return .entity(id: node.key, name: node.name ?? node.key, type: node.labels.joined(separator: ":"))
        case .relationship(let r):
            let rel = g.relationship(Int32(r))
            let f = Int32(r)
            let fact: [CellValue.MapEntry] = [
                .init("claims", .list(g.claims(ofFact: f).map { .int(g.relationship($0).statement) })),
                .init("corroboration", .int(Int64(g.corroboration(ofFact: f)))),
                .init("grading", g.grading(ofFact: f).map { .string($0.description) } ?? .null),
                .init("disputed", .bool(g.isDisputed(f))),
            ]
            return .relation(id: "#\(rel.statement)", type: g.typeName(of: Int32(r)),
                             from: g.node(rel.source).name ?? g.node(rel.source).key, to: g.node(rel.target).name ?? g.node(rel.target).key,
                             fact: fact)
        case .path(let p):
            var items: [CellValue] = []
            for (i, n) in p.nodes.enumerated() {
                items.append(cell(.node(n), g))
                if i < p.relationships.count { items.append(cell(.relationship(p.relationships[i]), g)) }
            }
            return .list(items)
        }
    }

    static func render(_ table: MosaicReports.ResultTable, format: String, width: Int, colour: Bool) -> String {
        switch format {
        case "json": return ResultJSONRenderer(style: .lines).render(table)
        case "csv": return CSVRenderer().render(table)
        case "lines": return LinesRenderer().render(table)
        default: return TerminalTableRenderer(width: width, colour: colour, showFooter: true).render(table)
        }
    }
}
