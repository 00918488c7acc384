// Procedures: what `CALL name(args) YIELD ...` runs. A `QueryProcedure` has a qualified name
// (`db.labels`), typed input parameters, typed output columns and a body that returns the
// output records. Procedures live in the `FunctionRegistry` beside the functions (so they
// reach `Query.prepare`, `Query.run`, the binder and the executor the same way);
// `FunctionRegistry.standard` holds `db.labels()`, `db.relationshipTypes()` and
// `db.propertyKeys()`. Signatures can be written as openCypher shows them:
// `test.my.proc(name :: STRING?, id :: INTEGER?) :: (city :: STRING?)`.
// Uses: QueryGraph (the graph a procedure reads), QueryValue, QueryError.

/// A procedure callable with `CALL`. Hosts add their own with `FunctionRegistry.register(_:)`.
public struct QueryProcedure: Sendable {
    /// The type of a parameter or output column (`INTEGER?`, `LIST? OF STRING?`, ...).
    public indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
        case any, boolean, string, number, integer, float, map, node, relationship, path
        case date, duration, localTime, time, localDateTime, dateTime
        case list(ValueType)

        /// Whether a (non-null) value has this type; an INTEGER is a NUMBER.
        public func accepts(_ v: QueryValue) -> Bool {
            switch (self, v) {
            case (.any, _), (_, .null): return true
            case (.boolean, .bool), (.string, .string), (.integer, .int), (.float, .float), (.map, .map),
                 (.node, .node), (.relationship, .relationship), (.path, .path), (.date, .date), (.duration, .duration):
                return true
            case (.number, .int), (.number, .float): return true
            case (.localTime, .temporal(let t)): return t.kind == .localTime
            case (.time, .temporal(let t)): return t.kind == .time
            case (.localDateTime, .temporal(let t)): return t.kind == .localDateTime
            case (.dateTime, .temporal(let t)): return t.kind == .dateTime
            case (.list(let e), .list(let l)): return l.allSatisfy { e.accepts($0) }
            default: return false
            }
        }

        /// `v` converted to this type when the language allows it implicitly (an INTEGER
        /// passed for a FLOAT becomes a FLOAT); nil when it cannot be.
        public func coerce(_ v: QueryValue) -> QueryValue? {
            if case .float = self, case .int(let i) = v { return .float(Double(i)) }
            if case .list(let e) = self, case .list(let l) = v {
                var out: [QueryValue] = []
                out.reserveCapacity(l.count)
                for x in l { guard let c = e.coerce(x) else { return nil }; out.append(c) }
                return .list(out)
            }
            return accepts(v) ? v : nil
        }

        public var description: String {
            switch self {
            case .any: return "ANY"; case .boolean: return "BOOLEAN"; case .string: return "STRING"
            case .number: return "NUMBER"; case .integer: return "INTEGER"; case .float: return "FLOAT"
            case .map: return "MAP"; case .node: return "NODE"; case .relationship: return "RELATIONSHIP"
            case .path: return "PATH"; case .date: return "DATE"; case .duration: return "DURATION"
            case .localTime: return "LOCALTIME"; case .time: return "TIME"
            case .localDateTime: return "LOCALDATETIME"; case .dateTime: return "DATETIME"
            case .list(let e): return "LIST OF \(e)"
            }
        }

        static let names: [String: ValueType] = [
            "ANY": .any, "BOOLEAN": .boolean, "BOOL": .boolean, "STRING": .string, "NUMBER": .number,
            "INTEGER": .integer, "INT": .integer, "FLOAT": .float, "MAP": .map, "NODE": .node,
            "RELATIONSHIP": .relationship, "PATH": .path, "DATE": .date, "DURATION": .duration,
            "LOCALTIME": .localTime, "TIME": .time, "LOCALDATETIME": .localDateTime, "DATETIME": .dateTime,
        ]
    }

    /// One input parameter or output column: a name, a type, whether null is allowed (`?`).
    public struct Field: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var type: ValueType
        public var nullable: Bool
        public init(_ name: String, _ type: ValueType, nullable: Bool = true) {
            self.name = name; self.type = type; self.nullable = nullable
        }
        public var description: String { "\(name) :: \(type)\(nullable ? "?" : "")" }
    }

    /// The qualified name as registered (`db.labels`); calls match it ignoring case.
    public let name: String
    public let parameters: [Field]
    /// The output columns; empty for a VOID procedure (a call keeps its input rows).
    public let outputs: [Field]
    /// Returns the output records (one value per output column, in order) for the arguments
    /// (one per parameter, already checked and coerced) on the graph the query runs on.
    public let body: @Sendable ([QueryValue], any QueryGraph) throws -> [[QueryValue]]

    public init(_ name: String, parameters: [Field] = [], outputs: [Field],
                _ body: @escaping @Sendable ([QueryValue], any QueryGraph) throws -> [[QueryValue]]) {
        self.name = name; self.parameters = parameters; self.outputs = outputs; self.body = body
    }

    /// A procedure from an openCypher signature, e.g.
    /// `test.my.proc(in :: INTEGER?) :: (out :: STRING?)` (`:: ()` or `:: VOID`: no outputs).
    /// Throws a SyntaxError (`InvalidProcedureSignature`) when the text is not a signature.
    public init(signature: String, _ body: @escaping @Sendable ([QueryValue], any QueryGraph) throws -> [[QueryValue]]) throws {
        var s = SignatureScanner(text: signature)
        let name = try s.qualifiedName()
        let params = try s.fieldList()
        try s.expect("::")
        let outputs: [Field]
        if s.accept("VOID") { outputs = [] } else { outputs = try s.fieldList() }
        s.skipSpaces()
        guard s.atEnd else { throw s.failure("unexpected text after the output columns") }
        self.init(name, parameters: params, outputs: outputs, body)
    }

    /// "name(a :: INTEGER?) :: (out :: STRING?)", as `CALL` error messages show it.
    public var signature: String {
        "\(name)(" + parameters.map(\.description).joined(separator: ", ") + ") :: ("
            + outputs.map(\.description).joined(separator: ", ") + ")"
    }

    /// The index of the output column `name`, or nil.
    func outputIndex(_ column: String) -> Int? { outputs.firstIndex { $0.name == column } }

    /// The arguments checked against the parameters and coerced (INTEGER → FLOAT); a value
    /// of the wrong type is a TypeError (InvalidArgumentType) naming the parameter.
    func coerceArguments(_ args: [QueryValue], at pos: SourcePosition?) throws -> [QueryValue] {
        guard args.count == parameters.count else {
            throw QueryError(.syntaxError, "InvalidNumberOfArguments",
                             "\(name) takes \(parameters.count) argument(s), not \(args.count): \(signature)", at: pos, phase: .runtime)
        }
        var out: [QueryValue] = []
        out.reserveCapacity(args.count)
        for (p, a) in zip(parameters, args) {
            if a.isNull {
                guard p.nullable else {
                    throw QueryError(.typeError, "InvalidArgumentType", "\(name) needs a value for '\(p.name)' (\(p.type)), not null", at: pos, phase: .runtime)
                }
                out.append(.null); continue
            }
            guard let c = p.type.coerce(a) else {
                throw QueryError(.typeError, "InvalidArgumentType",
                                 "\(name) expects \(p.type) for '\(p.name)' but got \(a.typeName); convert the argument first (e.g. toInteger, toString)", at: pos, phase: .runtime)
            }
            out.append(c)
        }
        return out
    }

    // MARK: the built-ins

    /// `db.labels()`, `db.relationshipTypes()`, `db.propertyKeys()`: what the graph uses, sorted.
    static let builtIns: [QueryProcedure] = [
        QueryProcedure("db.labels", outputs: [Field("label", .string)]) { _, g in g.allLabels().map { [.string($0)] } },
        QueryProcedure("db.relationshipTypes", outputs: [Field("relationshipType", .string)]) { _, g in
            g.allRelationshipTypes().map { [.string($0)] }
        },
        QueryProcedure("db.propertyKeys", outputs: [Field("propertyKey", .string)]) { _, g in g.allPropertyKeys().map { [.string($0)] } },
    ]
}

/// Reads an openCypher procedure signature (see `QueryProcedure.init(signature:_:)`).
private struct SignatureScanner {
    let chars: [Character]
    var i = 0
    init(text: String) { chars = Array(text) }

    var atEnd: Bool { i >= chars.count }
    func failure(_ what: String) -> QueryError {
        QueryError(.syntaxError, "InvalidProcedureSignature",
                   "\(what) at character \(i + 1) of '\(String(chars))'; write it as name(in :: INTEGER?) :: (out :: STRING?)")
    }
    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
    mutating func accept(_ word: String) -> Bool {
        skipSpaces()
        let w = Array(word)
        guard i + w.count <= chars.count,
              zip(chars[i..<(i + w.count)], w).allSatisfy({ $0.0.uppercased() == $0.1.uppercased() }) else { return false }
        // a keyword must end there (LIST is not LISTS)
        if w.last!.isLetter, i + w.count < chars.count, chars[i + w.count].isLetter || chars[i + w.count].isNumber { return false }
        i += w.count
        return true
    }
    mutating func expect(_ word: String) throws { if !accept(word) { throw failure("expected '\(word)'") } }
    mutating func identifier() throws -> String {
        skipSpaces()
        let start = i
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
        guard i > start else { throw failure("expected a name") }
        return String(chars[start..<i])
    }
    mutating func qualifiedName() throws -> String {
        var n = try identifier()
        while accept(".") { n += "." + (try identifier()) }
        return n
    }
    /// `( name :: TYPE, ... )`
    mutating func fieldList() throws -> [QueryProcedure.Field] {
        try expect("(")
        var fields: [QueryProcedure.Field] = []
        if accept(")") { return fields }
        repeat {
            let n = try identifier()
            try expect("::")
            let (t, nullable) = try type()
            fields.append(QueryProcedure.Field(n, t, nullable: nullable))
        } while accept(",")
        try expect(")")
        return fields
    }
    /// `INTEGER?`, `LIST? OF STRING?`
    mutating func type() throws -> (QueryProcedure.ValueType, Bool) {
        let word = try identifier().uppercased()
        let nullable = accept("?")
        if word == "LIST" {
            try expect("OF")
            let (e, _) = try type()
            return (.list(e), nullable)
        }
        guard let t = QueryProcedure.ValueType.names[word] else { throw failure("unknown type '\(word)'") }
        return (t, nullable)
    }
}
