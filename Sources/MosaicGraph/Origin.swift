/// Who made a statement: a kb file and line, a console session, a query from the CLI, a
/// bulk import, a plugin (and for inference, the rule), or the system.
public enum Origin: Sendable, Hashable, CustomStringConvertible {
    case file(path: String, line: Int)
    case console(session: String)
    case cli(command: String)
    case importFile(path: String)
    case plugin(name: String, version: String, rule: String?)
    case system(String)

    /// `kb/bases.yaml:12`, `console:<session>`, `cli:query`, `import:nodes.csv`,
    /// `plugin:activity@1.0`, `plugin:activity@1.0#busy-base`, `system:...`.
    public var description: String {
        switch self {
        case .file(let p, let l): "\(p):\(l)"
        case .console(let s): "console:\(s)"
        case .cli(let c): "cli:\(c)"
        case .importFile(let p): "import:\(p)"
        case .plugin(let n, let v, let r): "plugin:\(n)@\(v)" + (r.map { "#\($0)" } ?? "")
        case .system(let s): "system:\(s)"
        }
    }

    /// Reads back `description`.
    public init(parsing s: String) {
        func after(_ p: String) -> String? { s.hasPrefix(p) ? String(s.dropFirst(p.count)) : nil }
        if let r = after("console:") { self = .console(session: r) }
        else if let r = after("cli:") { self = .cli(command: r) }
        else if let r = after("import:") { self = .importFile(path: r) }
        else if let r = after("system:") { self = .system(r) }
        else if let r = after("plugin:") {
            let (body, rule) = r.split(separator: "#", maxSplits: 1).map(String.init).splitPair
            let (name, version) = body.split(separator: "@", maxSplits: 1).map(String.init).splitPair
            self = .plugin(name: name, version: version ?? "", rule: rule)
        } else if let colon = s.lastIndex(of: ":"), let line = Int(s[s.index(after: colon)...]) {
            self = .file(path: String(s[..<colon]), line: line)
        } else { self = .system(s) }
    }

    /// The kb file this statement came from, if any.
    public var file: String? { if case .file(let p, _) = self { return p }; return nil }
    public var isDerived: Bool { if case .plugin(_, _, let r) = self { return r != nil }; return false }
}

private extension Array where Element == String {
    var splitPair: (String, String?) { (self.first ?? "", self.count > 1 ? self[1] : nil) }
}
