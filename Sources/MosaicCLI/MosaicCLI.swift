// MosaicCLI: the `mosaic` commands. Thin shells over the engine modules.
import ArgumentParser

public enum MosaicCLIModule { public static let name = "MosaicCLI" }

public struct MosaicCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mosaic",
        abstract: "A knowledge base of sourced facts, with Lua plugins, queries and briefings.")
    public init() {}
}
