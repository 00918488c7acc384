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

    /// A value from mosaic.yaml converted to this parameter's type, or nil when it is not
    /// one (a number for a string parameter is taken as its text).
    public func accept(_ v: Value) -> Value? {
        switch (kind, v) {
        case (.string, .string), (.integer, .int), (.number, .float), (.boolean, .bool), (.date, .date): return v
        case (.number, .int(let i)): return .float(Double(i))
        case (.string, .int), (.string, .float), (.string, .bool): return .string(Self.text(v))
        case (_, .string(let t)): return parse(t)
        default: return nil
        }
    }

    static func text(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .date(let d): return d.description
        default: return "\(v)"
        }
    }

    /// "an integer", "a string".
    public var kindWithArticle: String { kind == .integer ? "an integer" : "a \(kind.rawValue)" }
}

extension PluginSpec {
    /// The parameters of a run: the defaults, then the workspace's (mosaic.yaml
    /// `plugins.NAME.params`, checked against the declared types), then `raw` (`--param`).
    /// Throws the first problem as a message; `configuredProblems` lists them all.
    public func parameters(configured: [String: Value], raw: [String: String]) throws(ParameterProblem) -> [String: Value] {
        var out: [String: Value] = [:]
        for p in params { if let d = p.defaultValue { out[p.name] = d } }
        if let first = configuredProblems(configured).first { throw first }
        for (k, v) in configured { if let p = params.first(where: { $0.name == k }), let c = p.accept(v) { out[k] = c } }
        for (k, text) in raw.sorted(by: { $0.key < $1.key }) {
            guard let p = params.first(where: { $0.name == k }) else {
                throw ParameterProblem(configured: false, message: "unknown parameter '\(k)' (this plugin takes: \(paramList))")
            }
            guard let v = p.parse(text) else {
                throw ParameterProblem(configured: false, message: "parameter '\(k)' must be \(p.kindWithArticle), got '\(text)'")
            }
            out[k] = v
        }
        return out
    }

    /// What is wrong with mosaic.yaml's parameters for this plugin.
    public func configuredProblems(_ configured: [String: Value]) -> [ParameterProblem] {
        configured.sorted { $0.key < $1.key }.compactMap { k, v in
            guard let p = params.first(where: { $0.name == k }) else {
                return ParameterProblem(configured: true, message: "mosaic.yaml: plugins.\(name).params: unknown parameter '\(k)' (this plugin takes: \(paramList))")
            }
            guard p.accept(v) != nil else {
                return ParameterProblem(configured: true, message: "mosaic.yaml: plugins.\(name).params.\(k): must be \(p.kindWithArticle), got '\(PluginParam.text(v))'")
            }
            return nil
        }
    }

    private var paramList: String { params.isEmpty ? "none" : params.map(\.name).joined(separator: ", ") }
}

/// A parameter that is not the plugin's or not of its type.
public struct ParameterProblem: Error, Sendable {
    /// True when it is in mosaic.yaml (else a `--param`).
    public var configured: Bool
    public var message: String
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
