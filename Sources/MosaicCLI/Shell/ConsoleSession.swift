import Foundation
import MosaicGraph
import MosaicReports
import MosaicStore

/// The interactive console: reads statements (query language or Lua), runs them, prints
/// results; meta-commands start with `:`. In batch mode (input not a terminal) it stops at
/// the first error with status 1 unless told to keep going.
final class ConsoleSession {
    enum Mode: String { case query, lua }
    enum Format: String, CaseIterable { case table, json, csv, lines }

    enum QueryMode { case run, explain, profile }

    let workspace: Workspace
    let editor: LineEditor
    let keepGoing: Bool
    let engines: ConsoleEngines
    var mode = Mode.query
    var format = Format.table
    var timing = true
    var asOf: Store.AsOf?
    var asOfLabel = ""
    /// The other two clocks (`:known-by`, `:valid-at`).
    var view = ClockView()
    var params: [String: Value] = [:]
    /// The time limit of each query, in seconds (`:timeout`; nil: none).
    var timeout: Double?
    var colour: Bool
    var width: Int
    private(set) var failures = 0

    init(workspace: Workspace, editor: LineEditor, engines: ConsoleEngines, keepGoing: Bool, colour: Bool, width: Int) {
        self.workspace = workspace
        self.editor = editor
        self.engines = engines
        self.keepGoing = keepGoing
        self.colour = colour
        self.width = width
    }

    var prompt: String {
        let base = mode == .lua ? "lua" : "mosaic"
        var marks: [String] = asOfLabel.isEmpty ? [] : [asOfLabel]
        if let k = view.knownBy { marks.append("known:\(k)") }
        if let v = view.validAt { marks.append("valid:\(v)") }
        return marks.isEmpty ? "\(base)> " : "\(base)@\(marks.joined(separator: ","))> "
    }
    /// ASCII only: libedit cannot measure a multibyte prompt in the C locale.
    var continuationPrompt: String { String(repeating: " ", count: max(0, prompt.count - 5)) + "...> " }

    /// Runs until `:quit`, Ctrl-D or the end of input; returns the exit status.
    func run() -> Int32 {
        if editor.interactive {
            print("Mosaic console — statements end with ';' (or an empty line). :help lists the commands, Ctrl-D leaves.")
        }
        var splitter = StatementSplitter(language: .query, luaIsComplete: { ConsoleEngines.luaIsComplete($0) })
        func exitStatus() -> Int32 { failures > 0 && !editor.interactive ? 1 : 0 }
        while true {
            splitter.language = mode == .lua ? .lua : .query
            switch editor.read(prompt: splitter.isContinuing ? continuationPrompt : prompt) {
            case .end:
                if let rest = splitter.finish(), !execute(rest), !keepGoing, !editor.interactive { return 1 }
                if editor.interactive { print("") }
                return exitStatus()
            case .interrupted:
                splitter.reset()
                print("^C")
            case .line(let line):
                for statement in splitter.feed(line) {
                    editor.remember(statement)
                    if [":quit", ":exit", ":q"].contains(statement) { return exitStatus() }
                    if !execute(statement) && !keepGoing && !editor.interactive { return 1 }
                }
            }
        }
    }

    /// Runs one statement or meta-command; prints its output or error. False on error.
    @discardableResult
    func execute(_ input: String) -> Bool {
        do {
            let out = try dispatch(input.trimmingCharacters(in: .whitespacesAndNewlines))
            if !out.isEmpty { print(out) }
            return true
        } catch {
            failures += 1
            fflush(nil)
            let text = "\(error)"
            FileHandle.standardError.write(Data((text.hasPrefix("error") ? text : "error: \(text)").utf8 + [10]))
            return false
        }
    }

    func dispatch(_ text: String) throws -> String {
        guard text.hasPrefix(":") else {
            var body = text
            while body.hasSuffix(";") { body.removeLast() }
            if body.trimmingCharacters(in: .whitespaces).isEmpty { return "" }
            return mode == .lua ? try lua(body) : try query(body, .run)
        }
        let parts = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let command = parts.first ?? ""
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch command {
        case "help", "h", "?": return ConsoleSession.help
        case "schema": return schema()
        case "stats": return "\(try graph().liveNodeCount) entities, \(try graph().liveRelationshipCount) relations"
        case "show":
            guard !arg.isEmpty else { throw CLIError("usage: :show ID") }
            let g = try graph()
            var key = arg
            if g.lookup(key: key) == nil, let n = g.nodes(named: arg).first { key = g.node(n).key }
            return try EntityCard(key: key, graph: g, store: workspace.store).text
        case "why":
            guard !arg.isEmpty else { throw CLIError("usage: :why STATEMENT-ID") }
            return try engines.why(arg)
        case "explain": return try query(stripSemicolon(arg), .explain)
        case "profile": return try query(stripSemicolon(arg), .profile)
        case "params", "param": return try setParams(arg)
        case "as-of", "asof":
            if arg.isEmpty || arg == "off" || arg == "now" {
                asOf = nil; asOfLabel = ""
                return "reading the current KB"
            }
            asOf = try workspace.resolveAsOf(arg)
            asOfLabel = arg
            return "reading the KB as of \(arg) (transaction \(try workspace.store.transactionID(asOf: asOf!)))"
        case "known-by", "knownby":
            if arg.isEmpty || arg == "off" { view.knownBy = nil; return "reading every claim, whenever reported" }
            view.knownBy = try workspace.resolveView(knownBy: arg, validAt: nil).knownBy
            return "reading what the sources had reported by \(arg)"
        case "valid-at", "validat":
            if arg.isEmpty || arg == "off" { view.validAt = nil; return "reading facts whatever their valid time" }
            view.validAt = try workspace.resolveView(knownBy: nil, validAt: arg).validAt
            return "reading the facts that held at \(arg)"
        case "plugins": return try engines.plugins()
        case "run":
            guard !arg.isEmpty else { throw CLIError("usage: :run PLUGIN") }
            return try engines.run(plugin: arg)
        case "infer": return try engines.infer()
        case "brief": return try engines.brief(arg.isEmpty ? nil : arg)
        case "review": return try ReviewCommand.console(workspace, arg)
        case "lua":
            if !arg.isEmpty { return try lua(arg) }
            mode = .lua
            return "Lua mode (sandboxed, with the kb API); :cypher goes back to queries"
        case "cypher", "query":
            mode = .query
            return "query mode"
        case "timeout":
            if arg.isEmpty { return timeout.map { "queries stop after \(ConsoleSession.seconds($0))" } ?? "queries have no time limit" }
            if arg == "off" || arg == "0" { timeout = nil; return "queries have no time limit" }
            guard let t = Double(arg.hasSuffix("s") ? String(arg.dropLast()) : arg), t > 0, t.isFinite else {
                throw CLIError("usage: :timeout SECONDS (e.g. :timeout 30, :timeout 0.5) or :timeout off")
            }
            timeout = t
            return "queries stop after \(ConsoleSession.seconds(t))"
        case "timing":
            guard arg == "on" || arg == "off" else { throw CLIError("usage: :timing on|off") }
            timing = arg == "on"
            return "timing \(arg)"
        case "format":
            guard let f = Format(rawValue: arg) else { throw CLIError("usage: :format table|json|csv|lines") }
            format = f
            return "format \(arg)"
        default:
            throw CLIError("error: unknown command :\(command); :help lists the commands")
        }
    }

    private func stripSemicolon(_ s: String) -> String {
        var t = s
        while t.hasSuffix(";") { t.removeLast() }
        return t
    }

    func graph() throws -> Graph { try workspace.graph(asOf: asOf, view: view) }

    func query(_ text: String, _ mode: QueryMode) throws -> String {
        guard !text.isEmpty else { throw CLIError("usage: :explain QUERY") }
        let started = Date()
        var table = try engines.query(text, parameters: params, graph: try graph(), mode: mode, timeout: timeout)
        table.elapsedMilliseconds = timing ? Date().timeIntervalSince(started) * 1000 : nil
        return render(table, showFooter: true)
    }

    func render(_ table: ResultTable, showFooter: Bool) -> String {
        switch format {
        case .table: return TerminalTableRenderer(width: width, colour: colour, showFooter: showFooter).render(table).trimmingCharacters(in: .newlines)
        case .json: return ResultJSONRenderer().render(table).trimmingCharacters(in: .newlines)
        case .csv: return CSVRenderer().render(table).trimmingCharacters(in: .newlines)
        case .lines: return LinesRenderer().render(table).trimmingCharacters(in: .newlines)
        }
    }

    func lua(_ chunk: String) throws -> String { try engines.lua(chunk) }

    func setParams(_ arg: String) throws -> String {
        if arg.isEmpty {
            return params.isEmpty ? "no parameters" : params.keys.sorted().map { "$\($0) = \(JSONText.compact(params[$0]!))" }.joined(separator: "\n")
        }
        if arg == "clear" { params = [:]; return "parameters cleared" }
        guard let eq = arg.firstIndex(of: "=") else { throw CLIError("usage: :params name=value (value in JSON: 'Syria', 42, [1,2]); :params clear") }
        let name = arg[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "$"))
        let raw = arg[arg.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        params[name] = ParamValue.parse(raw)
        return "$\(name) = \(JSONText.compact(params[name]!))"
    }

    func schema() -> String {
        guard let g = try? graph() else { return "" }
        var out = "Entity types (labels):\n"
        for l in g.labels { out += "  \(pad(l, 24)) \(g.count(label: l))\n" }
        var relCounts: [String: Int] = [:]
        var keys: Set<String> = []
        for r in g.relationshipIndices { relCounts[g.typeName(of: r), default: 0] += 1 }
        for i in g.nodeIndices { keys.formUnion(g.node(i).properties.keys) }
        out += "Relation types:\n"
        for (t, n) in relCounts.sorted(by: { $0.key < $1.key }) { out += "  \(pad(t, 24)) \(n)\n" }
        out += "Property keys:\n  " + keys.sorted().joined(separator: ", ")
        return out
    }

    static func seconds(_ t: Double) -> String { t == t.rounded() ? "\(Int(t)) s" : "\(t) s" }

    static let help = """
        Statements end with ';' or an empty line; an open string or bracket keeps the prompt open.
        Query mode speaks the Mosaic query language (openCypher style); :lua switches to Lua.
          :help                  this list
          :schema                entity types, relation types, property keys, counts
          :show ID               an entity card with its sources
          :why ID                why a derived fact holds (proof tree), or an asserted fact's sources
          :explain QUERY         the plan of a query;  :profile QUERY  the plan with rows per operator
          :params name=value     set a query parameter ($name); :params lists, :params clear
          :as-of T               read as of a transaction (tx12) or a time (2025-11-01); :as-of off
          :known-by DATE         only claims whose sources were published by DATE; :known-by off
          :valid-at DATE         only facts whose valid time includes DATE; :valid-at off
          :plugins               list plugins;  :run PLUGIN  run one;  :infer  run inference
          :brief [REPORT]        render a briefing
          :review [accept ID…|--all-above C|reject ID…|edit ID --on D …]   the proposed facts of ingested articles
          :lua [CHUNK]           Lua mode (sandbox with the kb API), or run one chunk; :cypher goes back
          :timeout SECONDS       stop each query after this long (:timeout off; default query.timeout in mosaic.yaml)
          :format table|json|csv|lines     :timing on|off     :stats     :quit (or Ctrl-D)
        Ctrl-C cancels the statement being typed or the running query; Ctrl-R searches the history.
        """
}

/// Parses a parameter value: JSON (numbers, strings, lists, maps, true/false/null), a
/// partial date, or else the bare text as a string.
enum ParamValue {
    static func parse(_ raw: String) -> Value {
        if raw.hasPrefix("'") && raw.hasSuffix("'") && raw.count >= 2 { return .string(String(raw.dropFirst().dropLast())) }
        if let v = Value.decode(raw) { return v }
        if let d = PartialDate(raw) { return .date(d) }
        return .string(raw)
    }
}
