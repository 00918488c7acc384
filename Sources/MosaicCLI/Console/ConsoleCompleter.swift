import Foundation

/// The names the console completes from, taken from the live schema and plugin registry.
public protocol CompletionVocabulary: Sendable {
    var keywords: [String] { get }
    /// Entity types and extra labels.
    var labels: [String] { get }
    var relationTypes: [String] { get }
    var propertyKeys: [String] { get }
    var entityIDs: [String] { get }
    var entityNames: [String] { get }
    var pluginNames: [String] { get }
    var reportNames: [String] { get }
    /// Lua globals and API functions, dotted (`kb.find`, `string.format`).
    var luaNames: [String] { get }
    /// The query language's functions as registered (`toUpper`, `duration.between`).
    var functions: [String] { get }
}

extension CompletionVocabulary {
    public var functions: [String] { [] }
}

/// A fixed vocabulary (tests, or a snapshot of the schema taken when the console starts).
public struct StaticVocabulary: CompletionVocabulary {
    public var keywords: [String]
    public var labels: [String]
    public var relationTypes: [String]
    public var propertyKeys: [String]
    public var entityIDs: [String]
    public var entityNames: [String]
    public var pluginNames: [String]
    public var reportNames: [String]
    public var luaNames: [String]
    public var functions: [String]

    public init(keywords: [String] = ConsoleCompleter.queryKeywords, labels: [String] = [],
                relationTypes: [String] = [], propertyKeys: [String] = [], entityIDs: [String] = [],
                entityNames: [String] = [], pluginNames: [String] = [], reportNames: [String] = [],
                luaNames: [String] = [], functions: [String] = []) {
        self.functions = functions
        self.keywords = keywords
        self.labels = labels
        self.relationTypes = relationTypes
        self.propertyKeys = propertyKeys
        self.entityIDs = entityIDs
        self.entityNames = entityNames
        self.pluginNames = pluginNames
        self.reportNames = reportNames
        self.luaNames = luaNames
    }
}

/// What the completer offered and what it replaces. Offsets count Unicode scalars (what
/// libedit's wide-character API reports on Linux).
public struct CompletionResult: Sendable, Equatable {
    public enum Context: String, Sendable, Equatable {
        case none, metaCommand, plugin, report, entityID, entity, label, relationType, propertyKey,
             keyword, option, lua, function
    }

    public var context: Context
    /// Where the text being completed starts; it ends at the cursor.
    public var start: Int
    /// The text being completed (from `start` to the cursor).
    public var prefix: String
    /// Full replacements for `prefix`, sorted, without duplicates.
    public var candidates: [String]

    /// The longest text all candidates start with (what a first Tab inserts).
    public var commonPrefix: String {
        guard var common = candidates.first else { return prefix }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(common) { common.removeLast() }
        }
        return common.count >= prefix.count ? common : prefix
    }
}

/// Completes console input: meta-commands and their arguments, query keywords, labels after
/// `:` in a node pattern, relation types after `:` in a relationship pattern, property keys
/// after `.` or inside `{…}`, entity ids and names inside a string, and Lua names in Lua mode.
public struct ConsoleCompleter: Sendable {
    public static let metaCommands = [
        ":help", ":schema", ":show", ":why", ":explain", ":profile", ":params", ":as-of", ":timeout", ":known-by", ":valid-at", ":plugins",
        ":run", ":infer", ":brief", ":review", ":lua", ":cypher", ":timing", ":format", ":quit",
    ]

    public static let queryKeywords = [
        "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "ORDER", "BY", "SKIP", "LIMIT", "ASC",
        "DESC", "DISTINCT", "AS", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "CASE",
        "WHEN", "THEN", "ELSE", "END", "STARTS", "ENDS", "CONTAINS", "EXISTS", "COUNT", "CREATE", "MERGE",
        "SET", "DELETE", "DETACH", "REMOVE", "UNION", "ALL", "CALL", "YIELD", "EXPLAIN", "PROFILE",
    ]

    public var vocabulary: any CompletionVocabulary
    public var mode: StatementSplitter.Language

    public init(vocabulary: any CompletionVocabulary, mode: StatementSplitter.Language = .query) {
        self.vocabulary = vocabulary
        self.mode = mode
    }

    /// Candidates for the text before `cursor` (a Unicode scalar offset into `line`).
    public func complete(line: String, cursor: Int) -> CompletionResult {
        let scalars = Array(line.unicodeScalars)
        let end = max(0, min(cursor, scalars.count))
        let before = Array(scalars[0..<end])
        let lead = before.prefix { $0 == " " || $0 == "\t" }.count
        if lead < before.count, before[lead] == ":" {
            return completeMetaCommand(before, from: lead)
        }
        switch mode {
        case .query: return completeQuery(before, from: 0)
        case .lua: return completeLua(before)
        }
    }

    // MARK: meta-commands

    private func completeMetaCommand(_ s: [Unicode.Scalar], from lead: Int) -> CompletionResult {
        var wordEnd = lead
        while wordEnd < s.count, !isSpace(s[wordEnd]) { wordEnd += 1 }
        let command = string(s[lead..<wordEnd])
        if wordEnd == s.count {
            return result(.metaCommand, s, start: lead, from: ConsoleCompleter.metaCommands, caseInsensitive: true)
        }
        switch command.lowercased() {
        case ":explain", ":profile":
            return completeQuery(s, from: wordEnd)
        default:
            break
        }
        var start = s.count
        while start > wordEnd, !isSpace(s[start - 1]) { start -= 1 }
        switch command.lowercased() {
        case ":run": return result(.plugin, s, start: start, from: vocabulary.pluginNames)
        case ":brief": return result(.report, s, start: start, from: vocabulary.reportNames)
        case ":show", ":why": return result(.entityID, s, start: start, from: vocabulary.entityIDs)
        case ":timing": return result(.option, s, start: start, from: ["on", "off"])
        case ":format": return result(.option, s, start: start, from: ["table", "json", "csv", "lines"])
        case ":help": return result(.metaCommand, s, start: start,
                                    from: ConsoleCompleter.metaCommands.map { String($0.dropFirst()) })
        default: return CompletionResult(context: .none, start: s.count, prefix: "", candidates: [])
        }
    }

    // MARK: queries

    private func completeQuery(_ s: [Unicode.Scalar], from base: Int) -> CompletionResult {
        // Inside a string: entity ids and names. Inside a quoted name: by what precedes it.
        if let (quote, at) = openQuote(s, from: base) {
            if quote == "`" {
                let context = nameContext(s, base: base, wordStart: at)
                return result(context, s, start: at + 1, from: names(for: context), quoteNames: false)
            }
            return result(.entity, s, start: at + 1, from: vocabulary.entityIDs + vocabulary.entityNames)
        }
        var start = s.count
        while start > base, isWordChar(s[start - 1]) { start -= 1 }
        let context = nameContext(s, base: base, wordStart: start)
        if context == .keyword {
            return keywordResult(s, start: start)
        }
        if context == .none {
            return CompletionResult(context: .none, start: start, prefix: string(s[start...]), candidates: [])
        }
        if context == .function {
            return result(.function, s, start: start, from: namespace(s, base: base, dot: start - 1))
        }
        return result(context, s, start: start, from: names(for: context))
    }

    /// What kind of name belongs at `wordStart`, judging by the character before it and
    /// the innermost open bracket.
    private func nameContext(_ s: [Unicode.Scalar], base: Int, wordStart: Int) -> CompletionResult.Context {
        var p = wordStart - 1
        guard p >= base else { return .keyword }
        let previous = s[p]
        if previous == "." {
            if p > base && isDigit(s[p - 1]) { return .none }
            return namespace(s, base: base, dot: p).isEmpty ? .propertyKey : .function
        }
        let bracket = innermostBracket(s, from: base, to: wordStart)
        if previous == ":" || previous == "|" {
            switch bracket {
            case "(": return .label
            case "[": return .relationType
            case "{": return .none  // a map value
            default: return .label  // `WHERE n:Label`
            }
        }
        if previous == "$" { return .none }
        while p >= base, isSpace(s[p]) { p -= 1 }
        if bracket == "{", p >= base, s[p] == "{" || s[p] == "," { return .propertyKey }
        if bracket == "{" { return .none }
        return .keyword
    }

    /// The functions of the namespace named just before the dot at `dot` (`duration` in
    /// `duration.be`): their names after the dot; empty when it names no namespace.
    private func namespace(_ s: [Unicode.Scalar], base: Int, dot: Int) -> [String] {
        var start = dot
        while start > base, isWordChar(s[start - 1]) || s[start - 1] == "." { start -= 1 }
        guard start < dot else { return [] }
        let head = string(s[start..<dot]).lowercased() + "."
        return vocabulary.functions.filter { $0.lowercased().hasPrefix(head) }.map { String($0.dropFirst(head.count)) }
    }

    private func names(for context: CompletionResult.Context) -> [String] {
        switch context {
        case .label: return vocabulary.labels
        case .relationType: return vocabulary.relationTypes
        case .propertyKey: return vocabulary.propertyKeys
        default: return []
        }
    }

    private func keywordResult(_ s: [Unicode.Scalar], start: Int) -> CompletionResult {
        let prefix = string(s[start...])
        let lower = !prefix.isEmpty && prefix == prefix.lowercased()
        let folded = prefix.lowercased()
        let matches = vocabulary.keywords.filter { $0.lowercased().hasPrefix(folded) }
            .map { lower ? $0.lowercased() : $0.uppercased() }
        // functions as registered (a keyword of the same name, COUNT, is offered once)
        let taken = Set(matches.map { $0.lowercased() })
        let functions = folded.isEmpty ? [] : vocabulary.functions.filter { $0.lowercased().hasPrefix(folded) && !taken.contains($0.lowercased()) }
        return CompletionResult(context: .keyword, start: start, prefix: prefix,
                                candidates: Array(Set(matches + functions)).sorted())
    }

    // MARK: Lua

    private func completeLua(_ s: [Unicode.Scalar]) -> CompletionResult {
        if let (quote, at) = openQuote(s, from: 0), quote != "`" {
            return result(.entity, s, start: at + 1, from: vocabulary.entityIDs + vocabulary.entityNames)
        }
        var start = s.count
        while start > 0, isWordChar(s[start - 1]) || s[start - 1] == "." || s[start - 1] == ":" { start -= 1 }
        // `obj:method` completes like `obj.method`.
        let prefix = string(s[start...])
        let dotted = prefix.replacingOccurrences(of: ":", with: ".")
        let matches = vocabulary.luaNames.filter { $0.hasPrefix(dotted) }.map { name -> String in
            guard dotted != prefix, let colon = prefix.lastIndex(of: ":") else { return name }
            let head = prefix[..<colon]
            return head + ":" + name.dropFirst(head.count + 1)
        }
        return CompletionResult(context: .lua, start: start, prefix: prefix, candidates: Array(Set(matches)).sorted())
    }

    // MARK: helpers

    private func result(_ context: CompletionResult.Context, _ s: [Unicode.Scalar], start: Int, from names: [String],
                        caseInsensitive: Bool = true, quoteNames: Bool = true) -> CompletionResult {
        let prefix = string(s[start...])
        let folded = prefix.lowercased()
        var seen = Set<String>()
        var out: [String] = []
        for name in names where !seen.contains(name) {
            seen.insert(name)
            let matches = caseInsensitive ? name.lowercased().hasPrefix(folded) : name.hasPrefix(prefix)
            if matches {
                let needsQuotes = quoteNames && [.label, .relationType, .propertyKey].contains(context)
                    && !isIdentifier(name)
                out.append(needsQuotes ? "`" + name.replacingOccurrences(of: "`", with: "``") + "`" : name)
            }
        }
        return CompletionResult(context: context, start: start, prefix: prefix,
                                candidates: out.sorted { $0.lowercased() != $1.lowercased() ? $0.lowercased() < $1.lowercased() : $0 < $1 })
    }

    /// The quote character and its offset when the text ends inside a string or quoted name.
    private func openQuote(_ s: [Unicode.Scalar], from base: Int) -> (Unicode.Scalar, Int)? {
        var i = base
        var open: (Unicode.Scalar, Int)?
        while i < s.count {
            let c = s[i]
            if let (q, _) = open {
                if c == "\\" && q != "`" { i += 2; continue }
                if c == q { open = nil }
            } else if c == "'" || c == "\"" || c == "`" {
                open = (c, i)
            } else if mode == .query, c == "/", i + 1 < s.count, s[i + 1] == "/" {
                return nil
            } else if mode == .lua, c == "-", i + 1 < s.count, s[i + 1] == "-" {
                return nil
            }
            i += 1
        }
        return open
    }

    /// The innermost bracket left open between `from` and `to`, ignoring strings.
    private func innermostBracket(_ s: [Unicode.Scalar], from: Int, to: Int) -> Unicode.Scalar? {
        var stack: [Unicode.Scalar] = []
        var quote: Unicode.Scalar?
        var i = from
        while i < to {
            let c = s[i]
            if let q = quote {
                if c == "\\" && q != "`" { i += 2; continue }
                if c == q { quote = nil }
            } else {
                switch c {
                case "'", "\"", "`": quote = c
                case "(", "[", "{": stack.append(c)
                case ")", "]", "}": if !stack.isEmpty { stack.removeLast() }
                default: break
                }
            }
            i += 1
        }
        return stack.last
    }

    private func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" }
    private func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    private func isWordChar(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }
    private func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy(isWordChar)
    }
    private func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s)
        return String(out)
    }
}
