import Foundation

/// An output format for result tables, as named by `:format` in the console and
/// `--format` on the command line.
public enum ResultFormat: String, Sendable, CaseIterable, Hashable {
    case table, csv, json, jsonl, lines

    /// Parses a format name (case-insensitive; `jsonlines`/`ndjson` mean `jsonl`).
    public init?(name: String) {
        switch name.lowercased() {
        case "jsonlines", "ndjson": self = .jsonl
        default:
            guard let f = ResultFormat(rawValue: name.lowercased()) else { return nil }
            self = f
        }
    }

    /// Renders `table`; `width` and `colour` matter only for `.table`.
    public func render(_ table: ResultTable, width: Int = 80, colour: Bool = false) -> String {
        switch self {
        case .table: return TerminalTableRenderer(width: width, colour: colour).render(table)
        case .csv: return CSVRenderer().render(table)
        case .json: return ResultJSONRenderer(style: .array).render(table)
        case .jsonl: return ResultJSONRenderer(style: .lines).render(table)
        case .lines: return LinesRenderer().render(table)
        }
    }
}
