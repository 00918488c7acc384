import MosaicGraph

/// A plugin's parameter: its type and default.
public struct PluginParam: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case string, integer, number, boolean, date
    }
    public var name: String
    public var kind: Kind
    public var defaultValue: Value?
    public var description: String?

    public init(name: String, kind: Kind, defaultValue: Value? = nil, description: String? = nil) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.description = description
    }

    /// Converts a `--param k=v` text to this parameter's type.
    public func parse(_ text: String) -> Value? {
        switch kind {
        case .string: return .string(text)
        case .integer: return Int64(text).map(Value.int)
        case .number: return Double(text).map(Value.float)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1", "on": return .bool(true)
            case "false", "no", "0", "off": return .bool(false)
            default: return nil
            }
        case .date: return PartialDate(text).map(Value.date)
        }
    }
}

/// What a plugin file declares (its returned spec table), checked on load.
public struct PluginSpec: Sendable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    public var params: [PluginParam]
    /// Names of the rules and reports it declares (keys of those tables, in order).
    public var rules: [String]
    public var reports: [String]
    /// Names of the extractors it declares (`extractors = { name = function(sentence, doc) … end }`),
    /// run by `mosaic ingest` on each sentence of a document (docs/ingest.md).
    public var extractors: [String] = []
    /// Its schedule: a cron line ("0 6 * * *", "@daily"), or nil.
    public var schedule: String?
    public var hasRun: Bool

    public static let keys: [String] = ["name", "version", "description", "params", "rules", "reports", "extractors", "schedule", "run"]
}

/// A plugin found in `plugins/`: where it is and whether its spec loaded.
public struct PluginEntry: Sendable {
    public enum Status: Sendable {
        case ok(PluginSpec)
        case broken(PluginError)
    }
    /// The plugin's name from its file (`plugins/NAME.lua` or `plugins/NAME/init.lua`).
    public var name: String
    /// The file relative to the workspace (`plugins/NAME.lua`).
    public var file: String
    public var status: Status

    public var spec: PluginSpec? { if case .ok(let s) = status { return s } else { return nil } }
    public var error: PluginError? { if case .broken(let e) = status { return e } else { return nil } }
}
