// `mosaic check`: validates kb/ through MosaicKB's loader without writing, then the plugins.
import ArgumentParser
import Foundation
import MosaicKB

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate kb/ (and the plugins) without writing anything.")
    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let ws = try options.open(loadKB: false)
        do {
            let (files, statements) = try ws.kbLoader.check()
            print("kb: \(files) data file\(files == 1 ? "" : "s"), \(statements) statements, no errors")
        } catch let e as KBError {
            throw CLIError(e.description)
        }
        for check in CheckCommand.extraChecks { try check(ws) }
    }

    /// Further checks (plugins) registered by other glue.
    nonisolated(unsafe) static var extraChecks: [(Workspace) throws -> Void] = []
}
