import Foundation

/// A query result as shown to people and scripts: named columns and rows of typed cells,
/// with the time the query took. The query engine's values are converted to `CellValue`
/// by a small adapter where the two meet.
public struct ResultTable: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[Cell]]
    /// How long the query took, in milliseconds, for the footer.
    public var elapsedMilliseconds: Double?

    public init(columns: [String], rows: [[Cell]], elapsedMilliseconds: Double? = nil) {
        self.columns = columns
        self.rows = rows
        self.elapsedMilliseconds = elapsedMilliseconds
    }

    /// The cell at `row`, `column`; a missing cell (short row) reads as null.
    public func cell(_ row: Int, _ column: Int) -> Cell {
        column < rows[row].count ? rows[row][column] : Cell(.null)
    }

    /// "3 rows", "1 row", with the elapsed time when known: "3 rows (12.3 ms)".
    public var footer: String {
        let count = rows.count == 1 ? "1 row" : "\(rows.count) rows"
        guard let ms = elapsedMilliseconds else { return count }
        return count + " (" + String(format: "%.1f", ms) + " ms)"
    }
}

/// What a cell holds, for alignment, colour and typed output.
public enum CellKind: String, Sendable, Codable, Hashable {
    case null, number, string, entity, relation, list, map, date, bool
}

/// A typed value of a result cell.
public indirect enum CellValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// A date or date-time as text, a partial ISO date allowed (`2025-10`).
    case date(String)
    case entity(id: String, name: String, type: String)
    /// `fact`: the fact's metadata for JSON (claims, corroboration, grading, disputed), in order.
    case relation(id: String?, type: String, from: String, to: String, fact: [MapEntry] = [])
    case list([CellValue])
    /// Key-value pairs in their own order.
    case map([MapEntry])

    public struct MapEntry: Sendable, Hashable {
        public var key: String
        public var value: CellValue
        public init(_ key: String, _ value: CellValue) {
            self.key = key
            self.value = value
        }
    }

    public var kind: CellKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int, .double: return .number
        case .string: return .string
        case .date: return .date
        case .entity: return .entity
        case .relation: return .relation
        case .list: return .list
        case .map: return .map
        }
    }

    /// How the value reads in a table: strings bare at top level and quoted inside lists
    /// and maps, entities as `Name (Type)`, relations as `(from)-[:TYPE]->(to)`.
    public var displayText: String { display(nested: false) }

    func display(nested: Bool) -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return CellValue.format(d)
        case .string(let s): return nested ? "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
        case .date(let d): return d
        case .entity(_, let name, let type): return "\(name) (\(type))"
        case .relation(_, let type, let from, let to, _): return "(\(from))-[:\(type)]->(\(to))"
        case .list(let items): return "[" + items.map { $0.display(nested: true) }.joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\($0.key): \($0.value.display(nested: true))" }.joined(separator: ", ") + "}"
        }
    }

    /// Doubles print in their shortest exact form; whole values keep a `.0`.
    static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return "\(d)"
    }
}

/// One cell: its value and, optionally, a text to show instead of the value's own.
public struct Cell: Sendable, Hashable {
    public var value: CellValue
    public var display: String?

    public init(_ value: CellValue, display: String? = nil) {
        self.value = value
        self.display = display
    }

    public var kind: CellKind { value.kind }
    public var text: String { display ?? value.displayText }
}

extension Cell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int64) { self.init(.int(value)) }
    public init(floatLiteral value: Double) { self.init(.double(value)) }
    public init(booleanLiteral value: Bool) { self.init(.bool(value)) }
    public init(nilLiteral: ()) { self.init(.null) }
}
