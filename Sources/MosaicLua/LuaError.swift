/// The one error type of MosaicLua: what went wrong, where (chunk and line) and the Lua
/// traceback when there is one.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case syntax          // the chunk does not compile
        case runtime         // error() or a failing operation
        case memory          // the memory cap was reached
        case timeout         // the wall-clock budget ran out
        case instructions    // the instruction budget ran out
        case interrupted     // the host called interrupt()
        case errorInGC       // a __gc metamethod raised
        case conversion      // a value could not cross the bridge (too large, cyclic, …)
        case argument        // a Swift function was called with a wrong argument
        case killed          // the state was killed by an earlier run and cannot be used
    }

    public var kind: Kind
    public var message: String
    public var chunk: String?
    public var line: Int?
    public var traceback: String?

    public init(_ kind: Kind, _ message: String, chunk: String? = nil, line: Int? = nil, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.chunk = chunk
        self.line = line
        self.traceback = traceback
    }

    /// "bad argument #1 to 'kb.find' (string expected, got nil)", like Lua's own.
    public static func badArgument(_ index: Int, _ function: String, _ detail: String) -> LuaError {
        LuaError(.argument, "bad argument #\(index) to '\(function)' (\(detail))")
    }

    /// A run-time error raised by a Swift function; Lua prefixes the caller's file:line.
    public static func runtime(_ message: String) -> LuaError { LuaError(.runtime, message) }

    /// `file:line: message` when the position is known.
    public var description: String {
        var s = ""
        if let chunk, let line, !message.hasPrefix("\(chunk):\(line):") { s = "\(chunk):\(line): " }
        s += message
        return s
    }

    /// The message without a leading "file:line: " position.
    public var bareMessage: String {
        if let (_, _, rest) = LuaError.splitPosition(message) { return rest }
        return message
    }

    /// Splits "chunk:line: rest" (Lua's position prefix).
    static func splitPosition(_ text: String) -> (String, Int, String)? {
        // chunk names may contain ':' (rarely); take the first ":<digits>: " occurrence.
        var search = text.startIndex
        while let colon = text[search...].firstIndex(of: ":") {
            var i = text.index(after: colon)
            var digits = 0
            while i < text.endIndex, text[i].isASCII, text[i].isNumber { i = text.index(after: i); digits += 1 }
            if digits > 0, i < text.endIndex, text[i] == ":" {
                let chunk = String(text[..<colon])
                let line = Int(text[text.index(after: colon)..<i]) ?? 0
                var rest = text[text.index(after: i)...]
                if rest.first == " " { rest = rest.dropFirst() }
                if !chunk.isEmpty, !chunk.contains("\n") { return (chunk, line, String(rest)) }
            }
            search = text.index(after: colon)
        }
        return nil
    }
}
