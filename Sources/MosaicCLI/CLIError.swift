import Foundation

/// A failure the CLI reports: its message, and the exit status (1 failure, 2 usage).
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public var exitCode: Int32
    public init(_ message: String, exitCode: Int32 = 1) { description = message; self.exitCode = exitCode }

    static func usage(_ message: String, usage: String) -> CLIError {
        CLIError("error: \(message)\nusage: \(usage)", exitCode: 2)
    }
}
