// `mosaic infer`: the enabled plugins' rules to a fixpoint (MosaicPlugins' inference engine).
import ArgumentParser

struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Run every enabled plugin's rules to a fixpoint; derived facts keep their proofs.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Print what would be added and retracted; change nothing.") var dryRun = false

    func run() throws { print(try options.open().plugins.infer(dryRun: dryRun).summary()) }
}
