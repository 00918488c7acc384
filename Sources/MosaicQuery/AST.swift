/// The syntax tree of a query. Every expression, pattern element and clause keeps its
/// source position.
public struct Expr: Sendable {
    public var kind: ExprKind
    public var pos: SourcePosition
    init(_ kind: ExprKind, _ pos: SourcePosition) { self.kind = kind; self.pos = pos }
}

public enum BinaryOp: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^"
    case eq = "=", neq = "<>", lt = "<", gt = ">", le = "<=", ge = ">="
    case and = "AND", or = "OR", xor = "XOR"
    case regex = "=~", startsWith = "STARTS WITH", endsWith = "ENDS WITH", contains = "CONTAINS", inList = "IN"
}

public enum QuantifierKind: String, Sendable { case all, any, none, single }

public indirect enum ExprKind: Sendable {
    case literal(QueryValue)
    case parameter(String)
    case variable(String)
    case property(Expr, String)
    case index(Expr, Expr)
    case slice(Expr, Expr?, Expr?)
    case binary(BinaryOp, Expr, Expr)
    case not(Expr)
    case negate(Expr)
    case isNull(Expr, negated: Bool)
    case labelCheck(Expr, [String])
    case function(name: String, distinct: Bool, args: [Expr])
    case countStar
    case caseExpr(subject: Expr?, whens: [(Expr, Expr)], otherwise: Expr?)
    case list([Expr])
    case map([MapEntry])
    case listComprehension(variable: String, list: Expr, predicate: Expr?, projection: Expr?)
    case patternComprehension(pathVariable: String?, pattern: PatternPart, predicate: Expr?, projection: Expr)
    case quantifier(QuantifierKind, variable: String, list: Expr, predicate: Expr)
    case reduce(accumulator: String, initial: Expr, variable: String, list: Expr, expression: Expr)
    case pattern(PatternPart)                 // a pattern used as a predicate
    case exists(Pattern, Expr?)               // EXISTS { pattern WHERE ... }
    case existsQuery(SingleQuery)             // EXISTS { MATCH ... WITH ... RETURN ... }
    case mapProjection(String, [MapProjectionItem])
    /// A reference to an aggregate computed by a projection (internal).
    case aggregateSlot(Int)
}

/// One `key: value` of a map literal (a struct: arrays of tuples copy through run-time type
/// metadata).
public struct MapEntry: Sendable {
    public var key: String
    public var value: Expr
}

public enum MapProjectionItem: Sendable {
    case property(String)
    case allProperties
    case variable(String)
    case literal(String, Expr)
}

public enum Direction: Sendable {
    case outgoing, incoming, both
    /// The direction seen from the other end.
    var reversed: Direction { self == .outgoing ? .incoming : self == .incoming ? .outgoing : .both }
}

public struct NodePattern: Sendable {
    public var variable: String?
    public var labels: [String]
    public var properties: Expr?
    public var pos: SourcePosition
}

public struct RelPattern: Sendable {
    public var variable: String?
    public var types: [String]
    public var properties: Expr?
    public var direction: Direction
    /// nil when the relationship has fixed length 1; otherwise (min, max) hops (max nil = unbounded).
    public var range: (min: Int, max: Int?)?
    public var pos: SourcePosition
}

/// One relationship of a pattern and the node it leads to (a struct, not a tuple: arrays of
/// tuples copy through run-time type metadata).
public struct PatternStep: Sendable {
    public var rel: RelPattern
    public var node: NodePattern
}

public struct PatternPart: Sendable {
    public var pathVariable: String?
    public var start: NodePattern
    public var steps: [PatternStep]
    public var shortest: Int = 0  // 0: normal, 1: shortestPath, 2: allShortestPaths
    public var pos: SourcePosition
    var nodes: [NodePattern] { [start] + steps.map(\.node) }
    /// Node `i` of the pattern (0: the start), without building `nodes`.
    @inline(__always) func node(_ i: Int) -> NodePattern { i == 0 ? start : steps[i - 1].node }
    var nodeCount: Int { steps.count + 1 }
}

public typealias Pattern = [PatternPart]

public struct ProjectionItem: Sendable {
    public var expr: Expr
    public var alias: String?
    /// The text of the expression as written (used as the column name without alias).
    public var text: String
    public var name: String { alias ?? text }
}

public struct SortItem: Sendable { public var expr: Expr; public var ascending: Bool }

public struct Projection: Sendable {
    public var distinct: Bool
    public var star: Bool
    public var items: [ProjectionItem]
    public var order: [SortItem]
    public var skip: Expr?
    public var limit: Expr?
    public var pos: SourcePosition
}

public enum SetItem: Sendable {
    case property(Expr, String, Expr)                 // n.k = v
    case replaceAll(String, Expr, SourcePosition)     // n = {map}
    case merge(String, Expr, SourcePosition)          // n += {map}
    case labels(String, [String], SourcePosition)     // n:A:B
}

public enum RemoveItem: Sendable {
    case property(Expr, String)
    case labels(String, [String], SourcePosition)
}

public indirect enum Clause: Sendable {
    case match(Pattern, optional: Bool, predicate: Expr?, SourcePosition)
    case unwind(Expr, String, SourcePosition)
    case with(Projection, predicate: Expr?)
    case returns(Projection)
    case create(Pattern, SourcePosition)
    case merge(PatternPart, onCreate: [SetItem], onMatch: [SetItem], SourcePosition)
    case set([SetItem], SourcePosition)
    case remove([RemoveItem], SourcePosition)
    case delete([Expr], detach: Bool, SourcePosition)
    /// `CALL name(args) YIELD field AS variable, ... WHERE predicate`: args nil for the implicit
    /// form `CALL name` (arguments from the parameters of the same names); yields nil without
    /// YIELD, empty for `YIELD *`.
    case call(String, [Expr]?, yields: [(String, String)]?, predicate: Expr?, SourcePosition)
}

extension Clause {
    /// Whether this is a WITH or RETURN with DISTINCT.
    var isDistinctProjection: Bool {
        switch self {
        case .with(let p, _), .returns(let p): return p.distinct
        default: return false
        }
    }
}

/// One single query (a chain of clauses); a full query is a union of single queries.
public struct SingleQuery: Sendable { public var clauses: [Clause] }

public struct QueryAST: Sendable {
    public var parts: [SingleQuery]
    /// unionAll[i] says whether parts[i] and parts[i+1] are joined by UNION ALL.
    public var unionAll: [Bool]
    public var explain: Bool = false
    public var profile: Bool = false
    /// Whether the text may hold an `EXISTS { … }` subquery: false when the parser saw none,
    /// so the rewrites that look for them skip the walk (true when not known).
    public var maySubquery: Bool = true
}
