import Foundation
import MosaicGraph

/// What a function body may read besides its arguments.
public struct FunctionContext {
    /// The graph the query runs on.
    public let graph: any QueryGraph
    /// The statement's clock: `datetime()`, `date()` and the other temporal constructors
    /// without arguments read it, so one query sees one "now".
    public let statementTime: Date
    public init(graph: any QueryGraph, statementTime: Date = Date()) { self.graph = graph; self.statementTime = statementTime }
}

/// A scalar function of the language. Hosts add their own (e.g. `derived(r)`) with `register`.
public struct QueryFunction: Sendable {
    public let name: String
    public let arity: ClosedRange<Int>
    /// Whether a null argument makes the result null without calling `body`.
    public let nullInNullOut: Bool
    public let body: @Sendable ([QueryValue], FunctionContext) throws -> QueryValue
    /// Whether the result depends on the arguments alone (a call with constant arguments is
    /// then evaluated once per execution). Set for the built-ins except rand().
    var isPure = false
    public init(_ name: String, arity: ClosedRange<Int>, nullInNullOut: Bool = true,
                _ body: @escaping @Sendable ([QueryValue], FunctionContext) throws -> QueryValue) {
        self.name = name; self.arity = arity; self.nullInNullOut = nullInNullOut; self.body = body
    }
}

/// The functions and procedures a query can call, by lower-cased name.
/// `FunctionRegistry.standard` holds the built-ins; copy it and `register` more to extend
/// the language.
public struct FunctionRegistry: Sendable {
    var functions: [String: QueryFunction] = [:]
    /// The procedures `CALL` finds, by lower-cased qualified name (see QueryProcedure).
    var procedures: [String: QueryProcedure] = [:]
    /// Which registry this is, for `Query.run`'s plan cache: a number no other registry in the
    /// process has, renewed by every `register` (a compiled plan holds the functions it resolved).
    private(set) var generation = FunctionRegistry.nextGeneration()
    public init() {}
    public mutating func register(_ f: QueryFunction) { functions[f.name.lowercased()] = f; generation = FunctionRegistry.nextGeneration() }

    private static let generations = GenerationCounter()
    static func nextGeneration() -> UInt64 { generations.next() }
    public func lookup(_ name: String) -> QueryFunction? { functions[name.lowercased()] }
    /// Every function's name as registered (`toUpper`, `duration.between`), sorted.
    public var names: [String] { functions.values.map(\.name).sorted() }
    /// Adds (or replaces) a procedure callable with `CALL name(...)`.
    public mutating func register(_ p: QueryProcedure) { procedures[p.name.lowercased()] = p; generation = FunctionRegistry.nextGeneration() }
    public func procedure(_ name: String) -> QueryProcedure? { procedures[name.lowercased()] }
    /// The registered procedures, by name.
    public var allProcedures: [QueryProcedure] { procedures.values.sorted { $0.name < $1.name } }

    static func typeError(_ fn: String, _ v: QueryValue, _ wanted: String) -> QueryError {
        QueryError.type("\(fn)() expects \(wanted) but got \(v.typeName); convert the argument first (e.g. toString, toInteger)")
    }

    public static let standard: FunctionRegistry = {
        var r = FunctionRegistry()
        for p in QueryProcedure.builtIns { r.register(p) }
        func num(_ name: String, _ f: @escaping @Sendable (Double) -> Double) {
            r.register(QueryFunction(name, arity: 1...1) { a, _ in
                guard let d = a[0].asDouble else { throw typeError(name, a[0], "a number") }
                return .float(f(d))
            })
        }
        num("sqrt", sqrt); num("exp", exp); num("log", log); num("log10", log10)
        num("sin", sin); num("cos", cos); num("tan", tan); num("asin", asin); num("acos", acos); num("atan", atan)
        num("cot") { 1 / tan($0) }; num("degrees") { $0 * 180 / .pi }; num("radians") { $0 * .pi / 180 }
        num("haversin") { (1 - cos($0)) / 2 }
        r.register(QueryFunction("atan2", arity: 2...2) { a, _ in
            guard let y = a[0].asDouble, let x = a[1].asDouble else { throw typeError("atan2", a[0], "numbers") }
            return .float(atan2(y, x))
        })
        r.register(QueryFunction("pi", arity: 0...0) { _, _ in .float(.pi) })
        r.register(QueryFunction("e", arity: 0...0) { _, _ in .float(M_E) })
        r.register(QueryFunction("rand", arity: 0...0) { _, _ in .float(Double.random(in: 0..<1)) })
        r.register(QueryFunction("abs", arity: 1...1) { a, _ in
            switch a[0] {
            case .int(let i):
                if i == Int.min { throw QueryError.argument("NumberOutOfRange", "abs(\(i)) does not fit in a 64-bit integer") }
                return .int(abs(i))
            case .float(let f): return .float(abs(f))
            default: throw typeError("abs", a[0], "a number")
            }
        })
        r.register(QueryFunction("sign", arity: 1...1) { a, _ in
            switch a[0] { case .int(let i): return .int(i.signum()); case .float(let f): return .int(f > 0 ? 1 : f < 0 ? -1 : 0); default: throw typeError("sign", a[0], "a number") }
        })
        r.register(QueryFunction("ceil", arity: 1...1) { a, _ in guard let d = a[0].asDouble else { throw typeError("ceil", a[0], "a number") }; return .float(ceil(d)) })
        r.register(QueryFunction("floor", arity: 1...1) { a, _ in guard let d = a[0].asDouble else { throw typeError("floor", a[0], "a number") }; return .float(floor(d)) })
        r.register(QueryFunction("round", arity: 1...3) { a, _ in
            guard let d = a[0].asDouble else { throw typeError("round", a[0], "a number") }
            if a.count == 1 { return .float((d + 0.5).rounded(.down) == d + 0.5 && d < 0 ? (d).rounded(.toNearestOrAwayFromZero) : (d).rounded(.toNearestOrAwayFromZero)) }
            guard case .int(let prec) = a[1] else { throw typeError("round", a[1], "an integer precision") }
            let m = pow(10.0, Double(prec))
            return .float((d * m).rounded(.toNearestOrAwayFromZero) / m)
        })
        r.register(QueryFunction("toInteger", arity: 1...1) { a, _ in
            switch a[0] {
            case .int: return a[0]
            case .float(let f): return f.isFinite && abs(f) < 9.2e18 ? .int(Int(f.rounded(.towardZero))) : .null
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces)
                if let i = Int(t) { return .int(i) }
                if let f = Double(t), f.isFinite, abs(f) < 9.2e18 { return .int(Int(f.rounded(.towardZero))) }
                return .null
            case .bool(let b): return .int(b ? 1 : 0)
            default: throw typeError("toInteger", a[0], "a number, string or boolean")
            }
        })
        r.register(QueryFunction("toFloat", arity: 1...1) { a, _ in
            switch a[0] {
            case .int(let i): return .float(Double(i))
            case .float: return a[0]
            case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)).map { .float($0) } ?? .null
            default: throw typeError("toFloat", a[0], "a number or string")
            }
        })
        r.register(QueryFunction("toBoolean", arity: 1...1) { a, _ in
            switch a[0] {
            case .bool: return a[0]
            case .string(let s):
                switch s.trimmingCharacters(in: .whitespaces).lowercased() { case "true": return .bool(true); case "false": return .bool(false); default: return .null }
            case .int(let i): return .bool(i != 0)
            default: throw typeError("toBoolean", a[0], "a boolean, string or integer")
            }
        })
        r.register(QueryFunction("toString", arity: 1...1) { a, _ in
            switch a[0] {
            case .string: return a[0]
            case .int(let i): return .string(String(i))
            case .float(let f): return .string(formatFloat(f))
            case .bool(let b): return .string(b ? "true" : "false")
            case .date(let d): return .string(d.description)
            case .duration(let d): return .string(d.description)
            case .temporal(let t): return .string(t.description)
            default: throw typeError("toString", a[0], "a number, boolean, string, temporal value or duration")
            }
        })
        for (n, base) in [("toIntegerOrNull", "toInteger"), ("toFloatOrNull", "toFloat"), ("toBooleanOrNull", "toBoolean"), ("toStringOrNull", "toString")] {
            r.register(QueryFunction(n, arity: 1...1) { [r] a, c in (try? r.lookup(base)!.body(a, c)) ?? .null })
        }
        r.register(QueryFunction("size", arity: 1...1) { a, _ in
            switch a[0] {
            case .list(let l): return .int(l.count)
            case .string(let s): return .int(s.count)
            case .map(let m): return .int(m.count)
            default: throw typeError("size", a[0], "a list or string")
            }
        })
        r.register(QueryFunction("head", arity: 1...1) { a, _ in
            guard case .list(let l) = a[0] else { throw typeError("head", a[0], "a list") }; return l.first ?? .null
        })
        r.register(QueryFunction("last", arity: 1...1) { a, _ in
            guard case .list(let l) = a[0] else { throw typeError("last", a[0], "a list") }; return l.last ?? .null
        })
        r.register(QueryFunction("tail", arity: 1...1) { a, _ in
            guard case .list(let l) = a[0] else { throw typeError("tail", a[0], "a list") }; return .list(Array(l.dropFirst()))
        })
        r.register(QueryFunction("reverse", arity: 1...1) { a, _ in
            switch a[0] {
            case .list(let l): return .list(l.reversed())
            case .string(let s): return .string(String(s.reversed()))
            default: throw typeError("reverse", a[0], "a list or string")
            }
        })
        r.register(QueryFunction("isEmpty", arity: 1...1) { a, _ in
            switch a[0] {
            case .list(let l): return .bool(l.isEmpty)
            case .string(let s): return .bool(s.isEmpty)
            case .map(let m): return .bool(m.isEmpty)
            default: throw typeError("isEmpty", a[0], "a list, string or map")
            }
        })
        r.register(QueryFunction("range", arity: 2...3) { a, _ in
            guard case .int(let lo) = a[0], case .int(let hi) = a[1] else { throw QueryError.argument("InvalidArgumentType", "range() needs integer bounds, not \(a[0].typeName) and \(a[1].typeName)") }
            var step = 1
            if a.count == 3 { guard case .int(let s) = a[2] else { throw QueryError.argument("InvalidArgumentType", "range() needs an integer step, not \(a[2].typeName)") }; step = s }
            if step == 0 { throw QueryError.argument("NumberOutOfRange", "range() needs a step other than 0") }
            var out: [QueryValue] = []
            var i = lo
            while step > 0 ? i <= hi : i >= hi {
                out.append(.int(i))
                if out.count > 50_000_000 { throw QueryError.argument("NumberOutOfRange", "range() would produce more than 50,000,000 values; use a smaller range or a larger step") }
                let (n, o) = i.addingReportingOverflow(step)
                if o { break }
                i = n
            }
            return .list(out)
        })
        r.register(QueryFunction("coalesce", arity: 1...Int.max, nullInNullOut: false) { a, _ in a.first { !$0.isNull } ?? .null })
        func str(_ name: String, _ f: @escaping @Sendable (String) -> String) {
            r.register(QueryFunction(name, arity: 1...1) { a, _ in
                guard case .string(let s) = a[0] else { throw typeError(name, a[0], "a string") }; return .string(f(s))
            })
        }
        str("toUpper") { $0.uppercased() }; str("toLower") { $0.lowercased() }
        str("upper") { $0.uppercased() }; str("lower") { $0.lowercased() }
        str("trim") { $0.trimmingCharacters(in: .whitespaces) }
        str("ltrim") { String($0.drop { $0 == " " || $0 == "\t" }) }
        str("rtrim") { s in var t = s; while let l = t.last, l == " " || l == "\t" { t.removeLast() }; return t }
        r.register(QueryFunction("left", arity: 2...2) { a, _ in
            guard case .string(let s) = a[0] else { throw typeError("left", a[0], "a string") }
            guard case .int(let n) = a[1] else { throw typeError("left", a[1], "an integer length") }
            if n < 0 { throw QueryError.argument("NegativeIntegerArgument", "left() needs a length of 0 or more") }
            return .string(String(s.prefix(n)))
        })
        r.register(QueryFunction("right", arity: 2...2) { a, _ in
            guard case .string(let s) = a[0] else { throw typeError("right", a[0], "a string") }
            guard case .int(let n) = a[1] else { throw typeError("right", a[1], "an integer length") }
            if n < 0 { throw QueryError.argument("NegativeIntegerArgument", "right() needs a length of 0 or more") }
            return .string(String(s.suffix(n)))
        })
        r.register(QueryFunction("substring", arity: 2...3) { a, _ in
            guard case .string(let s) = a[0] else { throw typeError("substring", a[0], "a string") }
            guard case .int(let start) = a[1] else { throw typeError("substring", a[1], "an integer start") }
            if start < 0 { throw QueryError.argument("NegativeIntegerArgument", "substring() needs a start of 0 or more") }
            let chars = Array(s)
            let st = min(start, chars.count)
            var end = chars.count
            if a.count == 3 {
                guard case .int(let len) = a[2] else { throw typeError("substring", a[2], "an integer length") }
                if len < 0 { throw QueryError.argument("NegativeIntegerArgument", "substring() needs a length of 0 or more") }
                end = len >= chars.count - st ? chars.count : st + len
            }
            return .string(String(chars[st..<end]))
        })
        r.register(QueryFunction("replace", arity: 3...3) { a, _ in
            guard case .string(let s) = a[0], case .string(let f) = a[1], case .string(let t) = a[2] else { throw typeError("replace", a[0], "strings") }
            return .string(f.isEmpty ? s : s.replacingOccurrences(of: f, with: t))
        })
        r.register(QueryFunction("split", arity: 2...2) { a, _ in
            guard case .string(let s) = a[0], case .string(let d) = a[1] else { throw typeError("split", a[0], "strings") }
            if d.isEmpty { return .list(s.map { .string(String($0)) }) }
            return .list(s.components(separatedBy: d).map { .string($0) })
        })
        r.register(QueryFunction("date", arity: 0...1) { a, ctx in
            if a.isEmpty { return try TemporalFunctions.now(.date, nil, at: ctx.statementTime) }
            switch a[0] {
            case .string(let s):
                if s.count == 8, let n = Int(s), let d = PartialDate(year: n / 10000, month: n / 100 % 100, day: n % 100) { return .date(d) }
                if let d = plainDay(s) { return .date(d) }
                if let d = PartialDate(s) { return .date(d) }
                if let day = TemporalText.date(Substring(s)) { return .date(try TemporalFunctions.dayDate(day)) }
                if let p = TemporalText.dateTime(Substring(s)), let day = p.day { return .date(try TemporalFunctions.dayDate(day)) }
                throw QueryError.argument("InvalidArgumentValue", "'\(s)' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www-D, YYYY-DDD or YYYY-MM-DDThh:mm")
            case .date(let d) where d.precision <= .day: return a[0]
            case .date, .temporal: return try TemporalFunctions.construct(.date, a, ctx)
            case .map(let m):
                if m.keys.allSatisfy({ $0 == "timezone" }) { return try TemporalFunctions.now(.date, m["timezone"], at: ctx.statementTime) }
                // Mosaic's partial dates: {year}, {year, month} keep their precision
                if m.keys.allSatisfy({ ["year", "month", "day"].contains($0) }), case .int(let y)? = m["year"] {
                    var mo: Int? = nil, dd: Int? = nil
                    if case .int(let x)? = m["month"] { mo = x }
                    if case .int(let x)? = m["day"] { dd = x }
                    guard let d = PartialDate(year: y, month: mo, day: dd) else {
                        throw QueryError.argument("InvalidArgumentValue", "date(\(Expr.render(a[0]))) is not a real date")
                    }
                    return .date(d)
                }
                return try TemporalFunctions.fromMap(.date, m)
            default: throw typeError("date", a[0], "a string or map")
            }
        })
        r.register(QueryFunction("duration", arity: 1...1) { a, _ in
            switch a[0] {
            case .string(let s):
                guard let d = QueryDuration.parse(s) else { throw QueryError.argument("InvalidArgumentValue", "'\(s)' is not a duration; write ISO 8601 such as P1Y2M10D or PT12H") }
                return .duration(d)
            case .duration: return a[0]
            case .map(let m):
                func n(_ k: String) -> Double { m[k]?.asDouble ?? 0 }
                let keys = ["years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"]
                for k in m.keys where !keys.contains(k) {
                    throw QueryError.argument("InvalidArgumentValue", "duration() does not take '\(k)'; use \(keys.joined(separator: ", "))")
                }
                for k in keys where abs(n(k)) >= 1e12 && k != "nanoseconds" && k != "microseconds" && k != "milliseconds" {
                    throw QueryError.argument("NumberOutOfRange", "duration(): \(k) is too large")
                }
                let secs = n("hours") * 3600 + n("minutes") * 60 + n("seconds")
                let whole = secs.rounded(.towardZero)
                let nanos = (secs - whole) * 1e9 + n("milliseconds") * 1e6 + n("microseconds") * 1e3 + n("nanoseconds")
                guard let d = QueryDuration.approximate(months: n("years") * 12 + n("quarters") * 3 + n("months"), days: n("weeks") * 7 + n("days"),
                                                        seconds: whole, nanos: nanos) else {
                    throw QueryError.argument("NumberOutOfRange", "duration(): the duration is too large")
                }
                return .duration(d)
            default: throw typeError("duration", a[0], "a string or map")
            }
        })
        registerTemporal(&r)
        // Mosaic extensions on dates with precision
        r.register(QueryFunction("overlaps", arity: 2...2) { a, _ in
            guard case .date(let x) = a[0], case .date(let y) = a[1] else { throw typeError("overlaps", a[0], "two dates") }
            return .bool(x.overlaps(y))
        })
        r.register(QueryFunction("within", arity: 2...2) { a, _ in
            guard case .date(let x) = a[0], case .date(let y) = a[1] else { throw typeError("within", a[0], "two dates") }
            return .bool(y.contains(x))
        })
        r.register(QueryFunction("timestamp", arity: 0...0) { _, _ in .int(Int(Date().timeIntervalSince1970 * 1000)) })
        // date(), timestamp(): one value per query, as the statement clock of Cypher
        for k in Array(r.functions.keys) where k != "rand" { r.functions[k]!.isPure = true }
        return r
    }()
}

func formatFloat(_ f: Double) -> String {
    if f.isNaN { return "NaN" }
    if f.isInfinite { return f > 0 ? "Infinity" : "-Infinity" }
    if f == f.rounded(), abs(f) < 1e16 { return String(format: "%.1f", f) }
    return String(f)
}

/// `YYYY-MM-DD` read directly: what `PartialDate(_:)` gives for that exact form (it trims
/// through Foundation first, most of the cost of `date($from)` in a per-row WHERE). Any
/// other form, or an impossible date, returns nil and takes the general path.
func plainDay(_ s: String) -> PartialDate? {
    var u = s.utf8.makeIterator()
    var fields = [0, 0, 0]
    for (k, width) in [4, 2, 2].enumerated() {
        if k > 0 { guard u.next() == UInt8(ascii: "-") else { return nil } }
        for _ in 0..<width {
            guard let c = u.next(), c >= 48 && c <= 57 else { return nil }
            fields[k] = fields[k] * 10 + Int(c - 48)
        }
    }
    guard u.next() == nil else { return nil }
    return PartialDate(year: fields[0], month: fields[1], day: fields[2])
}

/// Hands out increasing numbers from any thread.
// @unchecked Sendable: `last` only under `lock`.
final class GenerationCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var last: UInt64 = 0
    func next() -> UInt64 { lock.lock(); defer { lock.unlock() }; last += 1; return last }
}
