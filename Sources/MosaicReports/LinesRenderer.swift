import Foundation

/// Renders a result table one `column: value` per line, rows separated by a blank line
/// (like sqlite's `.mode line`); values are sanitised to one line.
public struct LinesRenderer: Sendable {
    public init() {}

    public func render(_ table: ResultTable) -> String {
        table.rows.indices.map { r in
            table.columns.indices.map { c in
                TextWidth.sanitized(table.columns[c]) + ": " + TextWidth.sanitized(table.cell(r, c).text) + "\n"
            }.joined()
        }.joined(separator: "\n")
    }
}
