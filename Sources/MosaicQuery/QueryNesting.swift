import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How deeply a query may nest, and where a deep one runs.
///
/// The parser, binder, planner and evaluator recurse once (or a few times) per level of the
/// syntax tree: nested parentheses, lists, maps, function calls, NOT, signs, subqueries, and
/// operator chains (`1+1+…+1` is a left-deep tree as tall as it is long). Unbounded, a
/// hostile text ends the process with a stack overflow, which no `catch` (nor Lua's `pcall`)
/// can stop. So:
///
/// * a query nesting deeper than `maxDepth` levels is a `SyntaxError` (`NestingTooDeep`) at
///   the position where it goes past the limit; an `EXISTS { … }` counts `subqueryWeight`
///   levels (running one recurses through the whole match machinery);
/// * a query that nests deeper than the caller's thread has stack for (its stack left, less a
///   reserve, at `bytesPerLevel` a level) is compiled and run on a thread of its own with a
///   `stackBytes` stack: the main thread has 8 MB, other threads may have 512 KB, and a
///   debug build spends about 25 KB of stack per level. Shallower queries, nearly all real
///   ones, run where they are called, at no cost. The parser finds out with a depth counter;
///   the exact height of the tree is walked (without recursion) only when the parser's
///   counters cannot rule a tall one out.
public enum QueryNesting {
    /// The deepest nesting a query may have.
    public static let maxDepth = 1_000
    #if DEBUG
    /// Stack per level of nesting, with margin (measured: parser 25 KB, evaluator 21 KB per
    /// nested call in a debug build).
    static let bytesPerLevel = 40 << 10
    static let reserve = 192 << 10
    #else
    /// (measured: about 8.5 KB a level of nested maps in the parser of a release build, so
    /// 999 nested maps overflowed the main thread's 8 MB when this was 8 KB; found by
    /// `mosaic-fuzz query`)
    static let bytesPerLevel = 16 << 10
    static let reserve = 64 << 10
    #endif
    /// The levels one `EXISTS { … }`, pattern predicate or pattern comprehension counts.
    static let subqueryWeight = 8
    /// The stack of the thread deep queries run on (reserved address space; pages are only
    /// used as deep as the query goes).
    static let stackBytes = 256 << 20

    /// Whether the calling thread's stack is nearly used up (less than the reserve left): a search that recurses once per step of the data (a variable-length pattern's
    /// walk, as long as the graph allows) stops there instead of overflowing it.
    static func stackIsLow() -> Bool {
        var here = 0
        let sp = withUnsafeMutablePointer(to: &here) { UInt(bitPattern: $0) }
        guard let low = StackBounds.lowAddress() else { return false }
        return sp < low || Int(sp - low) < reserve
    }

    /// The levels of nesting that fit on the calling thread's stack (0 when it cannot be told).
    static func inlineAllowance() -> Int {
        var here = 0
        let sp = withUnsafeMutablePointer(to: &here) { UInt(bitPattern: $0) }
        guard let low = StackBounds.lowAddress(), sp > low else { return 0 }
        let left = Int(sp - low) - reserve
        return left > 0 ? min(maxDepth, left / bytesPerLevel) : 0
    }

    static func error(at pos: SourcePosition?) -> QueryError {
        QueryError(.syntaxError, "NestingTooDeep",
                   "the query nests deeper than \(maxDepth) levels (parentheses, lists, maps, function calls, NOT, subqueries, or a chain of operators such as 1+1+…); write it flatter: a list with IN, reduce() or sum() over a list, or several WITH clauses",
                   at: pos)
    }

    /// The most operators (and property reads, indexes, label tests) one query may have.
    public static let maxOperators = 100_000

    static func tooLarge(at pos: SourcePosition?) -> QueryError {
        QueryError(.syntaxError, "QueryTooLarge", "the query has more than \(maxOperators) operators; pass long lists as a parameter ($list) instead", at: pos)
    }

    /// Thrown by a parse on the caller's stack that went past the room it has: the parse is
    /// redone on a big stack (never reaches the caller).
    static let needsBigStack = QueryError(.syntaxError, "NeedsBigStack", "(internal: parse again on a big stack)")

    /// Runs `body` on a thread with a `stackBytes` stack and waits for it.
    static func onBigStack<T>(_ body: () throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            let box = Box(body)
            let done = DispatchSemaphore(value: 0)
            let t = Thread { box.run(); done.signal() }
            t.stackSize = stackBytes
            t.start()
            done.wait()
            return try box.result!.get()
        }
    }

    /// The closure and its outcome, handed to the thread (the caller waits for it).
    /// (The thread lets go of the closure before the caller goes on: `withoutActuallyEscaping`
    /// checks that nothing keeps it.)
    // @unchecked Sendable: handed to one big-stack thread; the caller reads `result` only after joining it.
    private final class Box<T>: @unchecked Sendable {
        var body: (() throws -> T)?
        var result: Result<T, Error>?
        init(_ body: @escaping () throws -> T) { self.body = body }
        func run() { result = Result { try body!() }; body = nil }
    }

    /// The height of the query's syntax trees (expressions, and the clauses of subqueries
    /// inside them), walked with an explicit stack. Throws `NestingTooDeep` at the first
    /// expression found deeper than `maxDepth`.
    static func height(of ast: QueryAST) throws -> Int {
        var stack: [(Expr, Int)] = []
        var highest = 0
        // the matcher recurses once per pattern part and step (two levels each)
        func clause(_ c: Clause, at d: Int) throws {
            let cost = 2 * patternSize(of: c)
            if d + cost > maxDepth { throw error(at: patternPosition(of: c)) }
            highest = max(highest, d + cost)
            for e in expressions(of: c) { stack.append((e, d + 1)) }
        }
        // a pattern inside an expression: its children (property maps, WHERE, projection) at `nd`
        func nested(_ e: Expr, _ nd: Int) throws {
            if nd > maxDepth { throw error(at: e.pos) }
            highest = max(highest, nd)
            for x in e.children { stack.append((x, nd)) }
        }
        for q in ast.parts { for c in q.clauses { try clause(c, at: 0) } }
        while let (e, d) = stack.popLast() {
            if d > maxDepth { throw error(at: e.pos) }
            highest = max(highest, d)
            switch e.kind {
            case .existsQuery(let q):
                for c in q.clauses { try clause(c, at: d + subqueryWeight - 1) }
            case .exists(let parts, _):
                try nested(e, d + subqueryWeight + 2 * parts.reduce(parts.count) { $0 + $1.steps.count })
            case .pattern(let part), .patternComprehension(_, let part, _, _):
                try nested(e, d + subqueryWeight + 2 * (part.steps.count + 1))
            default:
                e.forEachChild { stack.append(($0, d + 1)) }
            }
        }
        return highest
    }

    /// The parts and steps of a clause's pattern.
    static func patternSize(of c: Clause) -> Int {
        switch c {
        case .match(let p, _, _, _), .create(let p, _): return p.reduce(p.count) { $0 + $1.steps.count }
        case .merge(let part, _, _, _): return 1 + part.steps.count
        default: return 0
        }
    }
    static func patternPosition(of c: Clause) -> SourcePosition? {
        switch c {
        case .match(let p, _, _, let pos), .create(let p, let pos): return p.first?.pos ?? pos
        case .merge(let part, _, _, _): return part.pos
        default: return nil
        }
    }

    /// The expressions a clause holds directly (patterns' property maps included).
    static func expressions(of c: Clause) -> [Expr] {
        func pattern(_ parts: Pattern) -> [Expr] { parts.flatMap { Expr.patternExprs($0) } }
        func projection(_ p: Projection) -> [Expr] {
            p.items.map(\.expr) + p.order.map(\.expr) + [p.skip, p.limit].compactMap { $0 }
        }
        func set(_ items: [SetItem]) -> [Expr] {
            items.flatMap { i -> [Expr] in
                switch i {
                case .property(let t, _, let v): return [t, v]
                case .replaceAll(_, let v, _), .merge(_, let v, _): return [v]
                case .labels: return []
                }
            }
        }
        switch c {
        case .match(let p, _, let w, _): return pattern(p) + [w].compactMap { $0 }
        case .unwind(let e, _, _): return [e]
        case .with(let p, let w): return projection(p) + [w].compactMap { $0 }
        case .returns(let p): return projection(p)
        case .create(let p, _): return pattern(p)
        case .merge(let part, let a, let b, _): return Expr.patternExprs(part) + set(a) + set(b)
        case .set(let items, _): return set(items)
        case .remove(let items, _):
            return items.compactMap { if case .property(let t, _) = $0 { return t }; return nil }
        case .delete(let es, _, _): return es
        case .call(_, let args, _, let w, _): return (args ?? []) + [w].compactMap { $0 }
        }
    }
}

/// The low end of the calling thread's stack (it grows down towards it), found once per
/// thread and kept in a thread-specific slot.
#if os(Linux)
/// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not export).
@_silgen_name("pthread_getattr_np")
private func gnuPthreadGetattr(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

enum StackBounds {
    #if os(Linux)
    static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static func lowAddress() -> UInt? {
        if let v = pthread_getspecific(key) { return UInt(bitPattern: v) }
        var attr = pthread_attr_t()
        guard gnuPthreadGetattr(pthread_self(), &attr) == 0 else { return nil }
        defer { pthread_attr_destroy(&attr) }
        var addr: UnsafeMutableRawPointer? = nil
        var size = 0
        guard pthread_attr_getstack(&attr, &addr, &size) == 0, let a = addr else { return nil }
        // (the lowest page may be the guard page: keep off it)
        let low = UInt(bitPattern: a) + 64 << 10
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: low))
        return low
    }
    #elseif canImport(Darwin)
    static func lowAddress() -> UInt? {
        let t = pthread_self()
        return UInt(bitPattern: pthread_get_stackaddr_np(t)) - UInt(pthread_get_stacksize_np(t)) + 64 << 10
    }
    #else
    static func lowAddress() -> UInt? { nil }
    #endif
}

extension QueryValue {
    /// Whether lists and maps nest more than `limit` levels deep in this value (walked with
    /// an explicit stack). Only reduce() can nest a value level by level without bound
    /// (`reduce(l = [], i IN range(1, 100000) | [l])`), and freeing, comparing or printing
    /// such a value recurses once per level.
    func nestsDeeper(than limit: Int) -> Bool {
        var stack: [(QueryValue, Int)] = [(self, 0)]
        while let (v, d) = stack.popLast() {
            switch v {
            case .list(let l):
                if d + 1 > limit { return true }
                for x in l { switch x { case .list, .map: stack.append((x, d + 1)); default: break } }
            case .map(let m):
                if d + 1 > limit { return true }
                for x in m.values { switch x { case .list, .map: stack.append((x, d + 1)); default: break } }
            default: break
            }
        }
        return false
    }
}

extension Expr {
    /// Whether evaluating this expression may wrap a value in a new list or map (a list or
    /// map literal, a comprehension, a map projection, a function call).
    var mayNestValues: Bool {
        var found = false
        visit { e in
            switch e.kind {
            case .list, .map, .listComprehension, .patternComprehension, .mapProjection, .function: found = true
            default: break
            }
            return !found
        }
        return found
    }
}
