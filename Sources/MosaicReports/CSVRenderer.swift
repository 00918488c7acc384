import Foundation

/// Renders a result table as CSV (RFC 4180): a header row, CRLF line ends, fields quoted
/// when they hold a comma, quote, CR or LF (quotes doubled). Null is an empty field.
public struct CSVRenderer: Sendable {
    public init() {}

    public func render(_ table: ResultTable) -> String {
        var out = table.columns.map(field).joined(separator: ",") + "\r\n"
        for r in table.rows.indices {
            out += table.columns.indices.map { c in
                let cell = table.cell(r, c)
                return cell.kind == .null && cell.display == nil ? "" : field(cell.text)
            }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
