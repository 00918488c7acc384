import Foundation
import MosaicGraph

/// A path value: alternating nodes and relationships (nodes.count == relationships.count + 1).
public struct PathValue: Sendable, Hashable {
    public var nodes: [Int]
    public var relationships: [Int]
    public init(nodes: [Int], relationships: [Int]) { self.nodes = nodes; self.relationships = relationships }
}

/// A value of the query language: what expressions evaluate to and result tables hold.
public enum QueryValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([QueryValue])
    case map([String: QueryValue])
    case node(Int)
    case relationship(Int)
    case path(PathValue)
    /// A date with its precision (Mosaic's `PartialDate`: year, month, day or instant).
    case date(PartialDate)
    /// Boxed (`indirect`), as is `temporal`: their payloads (32 and 48 bytes) would otherwise
    /// set the size of every value in every row (a value is 24 bytes with them boxed, 56 without).
    indirect case duration(QueryDuration)
    /// A local time, time, local date-time or date-time (see `TemporalValue`).
    indirect case temporal(TemporalValue)

    public var isNull: Bool { if case .null = self { return true }; return false }
    var isDuration: Bool { if case .duration = self { return true }; return false }

    /// The type name used in messages (`INTEGER`, `STRING`, ...).
    public var typeName: String {
        switch self {
        case .null: return "NULL"
        case .bool: return "BOOLEAN"
        case .int: return "INTEGER"
        case .float: return "FLOAT"
        case .string: return "STRING"
        case .list: return "LIST"
        case .map: return "MAP"
        case .node: return "NODE"
        case .relationship: return "RELATIONSHIP"
        case .path: return "PATH"
        case .date: return "DATE"
        case .duration: return "DURATION"
        case .temporal(let t): return t.kind.typeName
        }
    }

    var asDouble: Double? {
        switch self { case .int(let i): return Double(i); case .float(let f): return f; default: return nil }
    }

    /// Ternary equality of the language: nil means null (unknown).
    public func equals(_ other: QueryValue) -> Bool? {
        switch (self, other) {
        case (.null, _), (_, .null): return nil
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.int(a), .float(b)): return Double(a) == b
        case let (.float(a), .int(b)): return a == Double(b)
        case let (.float(a), .float(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.node(a), .node(b)): return a == b
        case let (.relationship(a), .relationship(b)): return a == b
        case let (.path(a), .path(b)): return a == b
        case let (.date(a), .date(b)): return a == b
        case let (.duration(a), .duration(b)): return a == b
        case let (.temporal(a), .temporal(b)): return a == b
        case let (.date(d), .temporal(t)), let (.temporal(t), .date(d)):
            return QueryValue.instantOrder(d, t).map { $0 == 0 } ?? false
        case let (.list(a), .list(b)):
            if a.count != b.count { return false }
            var sawNull = false
            for (x, y) in zip(a, b) {
                guard let e = x.equals(y) else { sawNull = true; continue }
                if !e { return false }
            }
            return sawNull ? nil : true
        case let (.map(a), .map(b)):
            if Set(a.keys) != Set(b.keys) { return false }
            var sawNull = false
            for (k, x) in a {
                guard let e = x.equals(b[k]!) else { sawNull = true; continue }
                if !e { return false }
            }
            return sawNull ? nil : true
        default: return false
        }
    }

    /// Comparison for `<`, `<=`, `>`, `>=`: nil when the values are not comparable.
    public func compare(_ other: QueryValue) -> Int? {
        switch (self, other) {
        case (.null, _), (_, .null): return nil
        case let (.int(a), .int(b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.int, .float), (.float, .int), (.float, .float):
            let a = asDouble!, b = other.asDouble!
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        case let (.string(a), .string(b)): return a < b ? -1 : (a > b ? 1 : 0)
        case let (.bool(a), .bool(b)): return a == b ? 0 : (a ? 1 : -1)
        case let (.date(a), .date(b)): return a < b ? -1 : (a == b ? 0 : 1)
        case let (.temporal(a), .temporal(b)): return a.compare(b)
        case let (.date(d), .temporal(t)): return QueryValue.instantOrder(d, t)
        case let (.temporal(t), .date(d)): return QueryValue.instantOrder(d, t).map { -$0 }
        case let (.list(a), .list(b)):
            for (x, y) in zip(a, b) {
                guard let c = x.compare(y) else { return nil }
                if c != 0 { return c }
            }
            return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
        default: return nil
        }
    }

    /// A Mosaic instant (a date to the minute or second, as `validFrom` may be and as a
    /// stored `datetime` reads back) against a `datetime`: ordered by the instant. Nil for a
    /// coarser date or another temporal kind (not comparable, as dates and date-times are not).
    static func instantOrder(_ d: PartialDate, _ t: TemporalValue) -> Int? {
        guard d.precision >= .minute, t.kind == .dateTime else { return nil }
        let ts = t.instantSeconds
        if d.seconds != ts { return d.seconds < ts ? -1 : 1 }
        return t.nanosecond == 0 ? 0 : -1
    }

    private var orderRank: Int {
        switch self {
        case .map: return 0
        case .node: return 1
        case .relationship: return 2
        case .list: return 3
        case .path: return 4
        case .date: return 5
        case .duration: return 5
        case .temporal: return 5
        case .string: return 6
        case .bool: return 7
        case .int, .float: return 8
        case .null: return 9
        }
    }

    /// Order among the temporal kinds in ORDER BY: dates, local times, times, local
    /// date-times, date-times, durations.
    private var temporalRank: Int {
        switch self {
        case .date: return 0
        case .temporal(let t): return 1 + Int(t.kind.rawValue)
        default: return 9
        }
    }

    /// The total order used by ORDER BY (nulls last ascending).
    public func orderCompare(_ other: QueryValue) -> Int {
        let ra = orderRank, rb = other.orderRank
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (self, other) {
        case (.int, .int): return compare(other)!
        case (.int, .float), (.float, .int), (.float, .float):
            let a = asDouble!, b = other.asDouble!
            if a.isNaN { return b.isNaN ? 0 : 1 }
            if b.isNaN { return -1 }
            if a == b {
                // Keep int/float with the same value adjacent but stable.
                return 0
            }
            return a < b ? -1 : 1
        case let (.list(a), .list(b)):
            for (x, y) in zip(a, b) { let c = x.orderCompare(y); if c != 0 { return c } }
            return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
        case let (.map(a), .map(b)):
            let ka = a.keys.sorted(), kb = b.keys.sorted()
            for (x, y) in zip(ka, kb) { if x != y { return x < y ? -1 : 1 } }
            if ka.count != kb.count { return ka.count < kb.count ? -1 : 1 }
            for k in ka { let c = a[k]!.orderCompare(b[k]!); if c != 0 { return c } }
            return 0
        case let (.node(a), .node(b)), let (.relationship(a), .relationship(b)): return a < b ? -1 : (a > b ? 1 : 0)
        case let (.path(a), .path(b)):
            let la = QueryValue.list(a.nodes.map { .node($0) }), lb = QueryValue.list(b.nodes.map { .node($0) })
            let c = la.orderCompare(lb); if c != 0 { return c }
            return QueryValue.list(a.relationships.map { .relationship($0) }).orderCompare(.list(b.relationships.map { .relationship($0) }))
        case (.null, .null): return 0
        case let (.temporal(a), .temporal(b)) where a.kind == b.kind: return a.compare(b)!
        case (.date, .duration), (.date, .temporal), (.temporal, .duration), (.temporal, .date), (.duration, .date), (.duration, .temporal):
            return temporalRank < other.temporalRank ? -1 : 1
        case let (.temporal(a), .temporal(b)): return a.kind.rawValue < b.kind.rawValue ? -1 : 1
        case let (.duration(a), .duration(b)):
            return a.months != b.months ? (a.months < b.months ? -1 : 1) : a.days != b.days ? (a.days < b.days ? -1 : 1) : a.seconds != b.seconds ? (a.seconds < b.seconds ? -1 : 1) : (a.nanoseconds < b.nanoseconds ? -1 : a.nanoseconds > b.nanoseconds ? 1 : 0)
        default: return compare(other) ?? 0
        }
    }
}

/// Equivalence used by DISTINCT, grouping and IN-list de-duplication: null equals null,
/// 1 equals 1.0, NaN equals NaN.
struct GroupKey: Hashable {
    let value: QueryValue
    init(_ v: QueryValue) { value = v }
    static func == (l: GroupKey, r: GroupKey) -> Bool { equivalent(l.value, r.value) }
    static func equivalent(_ a: QueryValue, _ b: QueryValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.float(x), .float(y)) where x.isNaN && y.isNaN: return true
        case let (.list(x), .list(y)): return x.count == y.count && zip(x, y).allSatisfy { equivalent($0, $1) }
        case let (.map(x), .map(y)): return Set(x.keys) == Set(y.keys) && x.allSatisfy { equivalent($0.value, y[$0.key]!) }
        default: return a.equals(b) == true
        }
    }
    func hash(into h: inout Hasher) { GroupKey.hashValue(value, into: &h) }
    static func hashValue(_ v: QueryValue, into h: inout Hasher) {
        switch v {
        case .int(let i): h.combine(8); h.combine(Double(i))
        case .float(let f): h.combine(8); if f.isNaN { h.combine(-1) } else { h.combine(f) }
        case .list(let l): h.combine(3); h.combine(l.count); for x in l { hashValue(x, into: &h) }
        case .map(let m): h.combine(0); h.combine(m.count); for k in m.keys.sorted() { h.combine(k); hashValue(m[k]!, into: &h) }
        default: h.combine(v)
        }
    }
}

/// A hashable key of several values (grouping keys, DISTINCT rows).
struct GroupKeys: Hashable {
    let values: [QueryValue]
    static func == (l: GroupKeys, r: GroupKeys) -> Bool {
        l.values.count == r.values.count && zip(l.values, r.values).allSatisfy { GroupKey.equivalent($0, $1) }
    }
    func hash(into h: inout Hasher) { for v in values { GroupKey.hashValue(v, into: &h) } }
}
