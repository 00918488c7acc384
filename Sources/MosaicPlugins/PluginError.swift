import MosaicLua

/// An error of a plugin: which plugin, in which phase, where (file:line) and why, with the
/// Lua traceback when there is one.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    public enum Phase: String, Sendable {
        case discover, load, spec, params, run, commit
    }
    public var plugin: String
    public var phase: Phase
    public var file: String?
    public var line: Int?
    public var message: String
    public var traceback: String?
    /// The Lua error kind when the error came from Lua (timeout, memory, runtime, …).
    public var luaKind: LuaError.Kind?

    public init(plugin: String, phase: Phase, file: String? = nil, line: Int? = nil, message: String,
                traceback: String? = nil, luaKind: LuaError.Kind? = nil) {
        self.plugin = plugin
        self.phase = phase
        self.file = file
        self.line = line
        self.message = message
        self.traceback = traceback
        self.luaKind = luaKind
    }

    init(plugin: String, phase: Phase, lua e: LuaError, file: String?) {
        self.init(plugin: plugin, phase: phase, file: e.chunk ?? file, line: e.line, message: e.bareMessage,
                  traceback: e.traceback, luaKind: e.kind)
    }

    /// `plugins/x.lua:12: plugin 'x' (run): message`
    public var description: String {
        var s = ""
        if let file { s += line.map { "\(file):\($0): " } ?? "\(file): " }
        s += "plugin '\(plugin)' (\(phase.rawValue)): \(message)"
        return s
    }

    /// The description followed by the traceback.
    public var detailed: String {
        traceback.map { description + "\n" + $0 } ?? description
    }
}
