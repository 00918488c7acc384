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
    /// Extra functions (inference adds `derived`, `derivedBy`).
    nonisolated(unsafe) static var functions: FunctionRegistry = .standard

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
        do { prepared = try Query.prepare(text, functions: QueryRunner.functions) } catch let e as QueryError {
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
            return MosaicReports.ResultTable(columns: ["operator", "detail", "rows"], rows: plan.map { op in
                [Cell(.string(String(repeating: "  ", count: op.depth) + op.name)), Cell(.string(op.detail)),
                 op.rows.map { Cell(.int(Int64($0))) } ?? Cell(.null)]
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

import ArgumentParser

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a query in the Mosaic query language (openCypher style).",
        discussion: """
            Example: mosaic query "MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base {name: 'Hmeimim Air Base'}) RETURN a.name, validFrom(f), sources(f)"
            Extensions: sources(r), claims(r), corroboration(r), grading(r), disputed(r), denials(r), confidence(r), validFrom(r), validTo(r); EXPLAIN and PROFILE. See docs/query.md and docs/facts.md.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The query text.") var text: String
    @Option(name: .customLong("param"), help: "A parameter, name=value (value as JSON, a date, or text); repeatable.") var params: [String] = []
    @Option(help: "table, json (one object per row), csv or lines.") var format: String = "table"
    @OptionGroup var read: ReadOptions
    @Option(help: "Stop the query after this many seconds (default: query.timeout in mosaic.yaml, else none; 0: none).") var timeout: Double?
    @Option(name: .customLong("memory-limit"), help: "The memory the query may hold, in MiB (default: query.memory_mb in mosaic.yaml, else 1024).") var memoryLimit: Int?

    func run() throws {
        guard ["table", "json", "csv", "lines"].contains(format) else {
            throw CLIError.usage("--format takes table, json, csv or lines", usage: "mosaic query TEXT [--param name=value …] [--format table|json|csv] [--as-of T]")
        }
        if let t = timeout, !(t >= 0 && t.isFinite) {
            throw CLIError.usage("--timeout takes a number of seconds (0: no limit)", usage: "mosaic query TEXT [--timeout SECONDS] [--memory-limit MB]")
        }
        if let m = memoryLimit, m <= 0 || m > 1 << 30 {
            throw CLIError.usage("--memory-limit takes a positive number of MiB", usage: "mosaic query TEXT [--timeout SECONDS] [--memory-limit MB]")
        }
        var parameters: [String: Value] = [:]
        for p in params {
            guard let eq = p.firstIndex(of: "=") else {
                throw CLIError.usage("--param takes name=value, got '\(p)'", usage: "mosaic query TEXT [--param name=value …]")
            }
            parameters[String(p[..<eq]).trimmingCharacters(in: CharacterSet(charactersIn: "$ "))] = ParamValue.parse(String(p[p.index(after: eq)...]))
        }
        let ws = try options.open()
        let config = try WorkspaceConfig.load(ws.root)
        let asOfValue = try ws.resolveAsOf(read.asOf)
        let view = try read.view(ws)
        let limit = timeout.map { $0 > 0 ? $0 : nil } ?? config.queryTimeout
        let outcome = try QueryRunner(workspace: ws).run(text, parameters: parameters, graph: ws.graph(asOf: asOfValue, view: view),
                                                         readOnly: asOfValue != nil || !view.isEmpty, origin: .cli(command: "query"),
                                                         timeout: limit, memoryMegabytes: memoryLimit ?? config.queryMemoryMegabytes)
        var width = 120
        var size = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { width = Int(size.ws_col) }
        let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let out = QueryRunner.render(outcome.table, format: format, width: width, colour: colour)
        print(out, terminator: out.hasSuffix("\n") ? "" : "\n")
        if let tx = outcome.transaction {
            FileHandle.standardError.write(Data("wrote \(outcome.changes) statement change\(outcome.changes == 1 ? "" : "s") in transaction \(tx)\n".utf8))
        }
    }
}

/// The console's query hook.
enum QueryConsoleGlue {
    static func install() {
        ConsoleGlue.extend.append { ws, e in
            let memory = (try? WorkspaceConfig.load(ws.root))?.queryMemoryMegabytes
            e.query = { text, params, graph, mode, timeout in
                var q = text
                if mode == .explain { q = "EXPLAIN " + text }
                if mode == .profile { q = "PROFILE " + text }
                LineEditor.interruptFlag = 0
                let outcome = try QueryRunner(workspace: ws).run(
                    q, parameters: params, graph: graph, readOnly: graph.transaction != ws.store.graph.transaction,
                    origin: .console(session: String(getpid())), timeout: timeout, memoryMegabytes: memory,
                    isCancelled: { LineEditor.interruptFlag != 0 })
                var table = outcome.table
                if let tx = outcome.transaction {
                    table.columns = table.columns.isEmpty ? ["written"] : table.columns
                    FileHandle.standardError.write(Data("wrote \(outcome.changes) statement change\(outcome.changes == 1 ? "" : "s") in transaction \(tx)\n".utf8))
                }
                return table
            }
        }
    }
}
