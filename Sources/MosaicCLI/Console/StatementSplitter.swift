import Foundation

/// Splits console input, fed line by line, into statements, and says when input is
/// unfinished (so the console shows its continuation prompt).
///
/// Query mode: a statement ends at `;` outside strings, comments and brackets, or at an
/// empty line after a complete statement. A line starting with `:` typed at the primary
/// prompt is a meta-command and is complete at the end of its line.
///
/// Lua mode: a chunk is complete when `luaIsComplete` says so (the Lua runtime loads the
/// text and answers false only for an error at `<eof>`); without that hook a lexical
/// heuristic is used (`LuaChunkScanner`). A `:` command at the primary prompt is complete
/// at the end of its line, as in query mode.
public struct StatementSplitter: Sendable {
    public enum Language: Sendable, Equatable { case query, lua }

    public var language: Language
    /// Whether a Lua chunk is complete; nil uses the lexical heuristic.
    public var luaIsComplete: (@Sendable (String) -> Bool)?
    private var pending: [String] = []

    public init(language: Language = .query, luaIsComplete: (@Sendable (String) -> Bool)? = nil) {
        self.language = language
        self.luaIsComplete = luaIsComplete
    }

    /// True while a statement has been started and not finished: show the continuation prompt.
    public var isContinuing: Bool { !pending.isEmpty }

    /// What keeps the current input open, for the continuation prompt (`'>`, `(>` …).
    public var openConstruct: QueryScanner.Open? {
        guard !pending.isEmpty else { return nil }
        switch language {
        case .query: return QueryScanner.scan(pending.joined(separator: "\n")).open
        case .lua: return LuaChunkScanner.scan(pending.joined(separator: "\n")).open
        }
    }

    /// Feeds one line (without its newline); returns the statements it completes.
    public mutating func feed(_ line: String) -> [String] {
        if pending.isEmpty {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return [] }
            if trimmed.hasPrefix(":") { return [trimmed] }
        }
        switch language {
        case .query: return feedQuery(line)
        case .lua: return feedLua(line)
        }
    }

    /// Ends input (Ctrl-D or end of a piped script): whatever is pending, if anything.
    public mutating func finish() -> String? {
        defer { pending = [] }
        let text = pending.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Drops unfinished input (Ctrl-C at a continuation prompt).
    public mutating func reset() { pending = [] }

    private mutating func feedQuery(_ line: String) -> [String] {
        let isBlank = line.trimmingCharacters(in: .whitespaces).isEmpty
        if isBlank {
            let text = pending.joined(separator: "\n")
            let scan = QueryScanner.scan(text)
            if scan.open == nil {
                pending = []
                let rest = scan.rest.trimmingCharacters(in: .whitespacesAndNewlines)
                return scan.statements + (rest.isEmpty ? [] : [rest])
            }
            pending.append(line)
            return []
        }
        pending.append(line)
        let scan = QueryScanner.scan(pending.joined(separator: "\n"))
        let rest = scan.rest.trimmingCharacters(in: .whitespacesAndNewlines)
        pending = rest.isEmpty ? [] : [scan.rest.drop { $0 == "\n" || $0 == " " }].map(String.init)
        return scan.statements
    }

    private mutating func feedLua(_ line: String) -> [String] {
        pending.append(line)
        let text = pending.joined(separator: "\n")
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            pending = []
            return []
        }
        let complete = luaIsComplete?(text) ?? (LuaChunkScanner.scan(text).open == nil)
        guard complete else { return [] }
        pending = []
        return [text.trimmingCharacters(in: .whitespacesAndNewlines)]
    }
}
