/// A position in the query text (1-based line and column, and the UTF-8 offset).
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int
    public init(offset: Int, line: Int, column: Int) { self.offset = offset; self.line = line; self.column = column }
    public static let unknown = SourcePosition(offset: 0, line: 1, column: 1)
    public var description: String { "\(line):\(column)" }
}

/// The one error type of MosaicQuery. `kind` follows the TCK taxonomy.
public struct QueryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntaxError = "SyntaxError"
        case semanticError = "SemanticError"
        case typeError = "TypeError"
        case argumentError = "ArgumentError"
        case entityNotFound = "EntityNotFound"
        case constraintVerificationFailed = "ConstraintVerificationFailed"
        case parameterMissing = "ParameterMissing"
        case procedureError = "ProcedureError"
        case resourceLimit = "ResourceLimit"
    }
    /// When the error was found: while compiling (parse, bind, plan) or while running.
    public enum Phase: String, Sendable { case compile = "compile time", runtime = "runtime" }
    public var kind: Kind
    public var phase: Phase
    /// A short code naming the precise problem (e.g. `UndefinedVariable`).
    public var detail: String
    public var message: String
    public var position: SourcePosition?

    public init(_ kind: Kind, _ detail: String, _ message: String, at position: SourcePosition? = nil, phase: Phase = .compile) {
        self.kind = kind; self.detail = detail; self.message = message; self.position = position; self.phase = phase
    }

    public var description: String {
        if let p = position { return "\(kind.rawValue) (\(detail)) at \(p): \(message)" }
        return "\(kind.rawValue) (\(detail)): \(message)"
    }

    /// The message with the offending line of `query` and a caret under the position.
    public func rendered(query: String) -> String {
        guard let p = position else { return description }
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
        guard p.line >= 1, p.line <= lines.count else { return description }
        let text = String(lines[p.line - 1])
        let caret = String(repeating: " ", count: max(0, p.column - 1)) + "^"
        return "\(description)\n  \(text)\n  \(caret)"
    }

    static func syntax(_ detail: String, _ message: String, _ pos: SourcePosition?) -> QueryError {
        QueryError(.syntaxError, detail, message, at: pos)
    }
    static func type(_ message: String, _ pos: SourcePosition? = nil, detail: String = "InvalidArgumentType") -> QueryError {
        QueryError(.typeError, detail, message, at: pos, phase: .runtime)
    }
    static func argument(_ detail: String, _ message: String, _ pos: SourcePosition? = nil) -> QueryError {
        QueryError(.argumentError, detail, message, at: pos, phase: .runtime)
    }
}
