import Foundation

/// Renders a result table for a terminal: boxed columns fitted to `width` (wide cells cut
/// with `…`), numbers right-aligned, widths counted in terminal columns (CJK wide = 2), and
/// a footer "N rows (12.3 ms)". ANSI colour only when `colour` is set.
public struct TerminalTableRenderer: Sendable {
    public var width: Int
    public var colour: Bool
    public var showFooter: Bool

    public init(width: Int = 80, colour: Bool = false, showFooter: Bool = true) {
        self.width = width
        self.colour = colour
        self.showFooter = showFooter
    }

    public func render(_ table: ResultTable) -> String {
        var lines: [String] = []
        let n = table.columns.count
        if n > 0 {
            let headers = table.columns.map(TextWidth.sanitized)
            let cells = table.rows.indices.map { r in (0..<n).map { c in table.cell(r, c) } }
            let texts = cells.map { row in row.map { TextWidth.sanitized($0.text) } }
            var natural = headers.map(TextWidth.of)
            for row in texts {
                for (c, t) in row.enumerated() { natural[c] = max(natural[c], TextWidth.of(t)) }
            }
            let widths = TerminalTableRenderer.fit(natural, into: width - (3 * n + 1))
            let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
            func line(_ cells: [String], style: (Int) -> (ColumnAlignment, String?)) -> String {
                var out = "|"
                for (c, text) in cells.enumerated() {
                    let (alignment, code) = style(c)
                    let shown = TextWidth.padded(TextWidth.truncated(text, to: widths[c]), to: widths[c],
                                                 alignment: alignment)
                    out += " " + paint(shown, code) + " |"
                }
                return out
            }
            lines.append(rule)
            lines.append(line(headers) { _ in (.left, "1") })
            lines.append(rule)
            for (r, row) in texts.enumerated() {
                lines.append(line(row) { c in
                    let kind = cells[r][c].kind
                    return (kind == .number ? .right : .left, TerminalTableRenderer.colourCode(kind))
                })
            }
            if !table.rows.isEmpty { lines.append(rule) }
        }
        if showFooter { lines.append(table.footer) }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private func paint(_ text: String, _ code: String?) -> String {
        guard colour, let code else { return text }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }

    static func colourCode(_ kind: CellKind) -> String? {
        switch kind {
        case .null: return "2"
        case .number: return "36"
        case .entity: return "32"
        case .relation: return "35"
        case .date: return "33"
        case .bool: return "34"
        case .string, .list, .map: return nil
        }
    }

    /// Column widths that fit `available` columns: narrow columns keep their width, the
    /// wide ones share what is left equally (at least one column each).
    static func fit(_ natural: [Int], into available: Int) -> [Int] {
        guard natural.reduce(0, +) > available else { return natural }
        var widths = natural
        var remaining = max(available, natural.count)
        var open = Array(natural.indices).sorted { natural[$0] < natural[$1] }
        while !open.isEmpty {
            let share = remaining / open.count
            let c = open[0]
            if natural[c] <= share {
                widths[c] = natural[c]
                remaining -= natural[c]
                open.removeFirst()
            } else {
                // Every open column is wider than its share: split what is left, extra
                // columns going to the leftmost.
                let extra = remaining - share * open.count
                for (i, col) in open.sorted().enumerated() {
                    widths[col] = max(1, share + (i < extra ? 1 : 0))
                }
                break
            }
        }
        return widths
    }
}
