/// A report that cannot be built, said for the plugin author.
public struct PluginReportError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
