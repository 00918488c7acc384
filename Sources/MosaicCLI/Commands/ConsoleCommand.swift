import ArgumentParser
import Foundation

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Explore the KB interactively: queries, Lua, entity cards, proofs, briefings.",
        discussion: """
            On a terminal: line editing, history (kept in .mosaic/history), Ctrl-R search, Tab completion.
            With input from a pipe or file it runs the statements in order and exits with status 1 at
            the first error (--keep-going runs them all).
            """)
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "In batch mode, run every statement even after an error (the status is still 1).") var keepGoing = false
    @Option(help: "Start reading as of a transaction (tx42) or a time (2025-11-01).") var asOf: String?
    @Option(help: "Start reading only claims whose sources were published by this date.") var knownBy: String?
    @Option(help: "Start reading only facts whose valid time includes this date.") var validAt: String?
    @Option(help: "Output format: table, json, csv or lines.") var format: String = "table"

    func run() throws {
        let ws = try options.open()
        let interactive = isatty(STDIN_FILENO) != 0
        let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var width = 100
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { width = Int(size.ws_col) }
        let completer = ConsoleCompleter(vocabulary: LiveVocabulary(workspace: ws))
        var session: ConsoleSession!
        let editor = LineEditor(interactive: interactive, historyPath: ws.stateDirectory.appendingPathComponent("history").path,
                                completer: { line, _, start in
            var c = completer
            c.mode = session?.mode == .lua ? .lua : .query
            return c.complete(line: line, cursor: line.count).candidates.map { candidate in
                // libedit replaces the word it split off at `start`; candidates replace from the completer's start.
                let r = c.complete(line: line, cursor: line.count)
                let head = String(line.prefix(r.start).dropFirst(min(start, r.start)))
                return head + candidate
            }
        })
        session = ConsoleSession(workspace: ws, editor: editor, engines: ConsoleEngines(workspace: ws), keepGoing: keepGoing,
                                 colour: colour, width: width)
        guard let f = ConsoleSession.Format(rawValue: format) else {
            throw CLIError.usage("--format takes table, json, csv or lines", usage: "mosaic console [--format table|json|csv|lines]")
        }
        session.format = f
        session.timing = interactive
        session.view = try ws.resolveView(knownBy: knownBy, validAt: validAt)
        session.timeout = try ws.config().queryTimeout
        if let asOf {
            session.asOf = try ws.resolveAsOf(asOf)
            session.asOfLabel = asOf
        }
        let status = session.run()
        if status != 0 { throw CLIError("", exitCode: status) }
    }
}
