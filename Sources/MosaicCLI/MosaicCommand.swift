// MosaicCLI provides the `mosaic` commands and the console: thin shells that parse
// arguments, open the workspace, call the engine modules (MosaicStore, MosaicKB,
// MosaicQuery, MosaicPlugins, MosaicReports) and print. It holds no engine logic.
import ArgumentParser
import Foundation

public struct MosaicCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mosaic",
        abstract: "A knowledge base of sourced facts, with Lua plugins, queries and briefings.",
        discussion: """
            Run it in a workspace: a folder holding kb/ (the knowledge base files) and plugins/.
            Commands that read the KB load kb/ first when its files changed.
            """,
        subcommands: MosaicCommand.allSubcommands)

    public init() {}

    static let allSubcommands: [ParsableCommand.Type] = [
        CheckCommand.self, LoadCommand.self, QueryCommand.self, StatsCommand.self, ShowCommand.self, ExportCommand.self, ImportCommand.self, GenerateCommand.self, BriefCommand.self, ConsoleCommand.self, PluginsCommand.self, RunCommand.self, InferCommand.self, ScheduleCommand.self, RunsCommand.self, WhyCommand.self, ConflictsCommand.self, ChangesCommand.self, IngestCommand.self, MentionsCommand.self, ReviewCommand.self,
    ]

    /// Parses and runs; usage errors exit 2 with the usage line, failures exit 1.
    public static func run(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message + "\n").utf8))
            if code == .validationFailure {
                Foundation.exit(2)
            }
            Foundation.exit(code.rawValue == 0 ? 1 : (code.rawValue == 64 ? 2 : 1))
        }
    }
}

/// Options every command takes.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace folder (holding kb/ and plugins/).")
    var workspace: String = "."

    /// Reading commands go on with the last loaded state when kb/ has errors; `strictKB`
    /// (writing commands) fails with every error instead.
    func open(loadKB: Bool = true, strictKB: Bool = false) throws -> Workspace {
        try Workspace.open(workspace, loadKB: loadKB, strictKB: strictKB)
    }
}
