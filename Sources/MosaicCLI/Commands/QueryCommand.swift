// `mosaic query`: parses the options, opens the workspace and prints what QueryRunner returns.
import ArgumentParser
import Foundation
import MosaicGraph

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
        let config = try ws.config()
        let asOfValue = try ws.resolveAsOf(read.asOf)
        let view = try read.view(ws)
        let limit = timeout.map { $0 > 0 ? $0 : nil } ?? config.queryTimeout
        let graph = try ws.graph(asOf: asOfValue, view: view)
        KeptUntilExit.keep(graph)  // (freed by the process's exit, not one allocation at a time)
        let outcome = try QueryRunner(workspace: ws).run(text, parameters: parameters, graph: graph,
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
