import Foundation

/// Problems in a document that render badly but do not stop rendering: a citation marker
/// without a citation, a diagram edge to a node that is not in the diagram, a table row
/// longer than its header, a heading level outside 1–5, a timeline date that is not a
/// partial ISO date. Plugins can report these as warnings naming the report.
public enum DocumentCheck {
    public static func problems(in document: Document) -> [String] {
        var problems: [String] = []
        let keys = Set(document.citations.map(\.key))
        var seenKeys = Set<String>()
        for entry in document.citations where !seenKeys.insert(entry.key).inserted {
            problems.append("citation key '\(entry.key)' is defined twice")
        }
        for key in Footnotes.keysInReadingOrder(document.blocks) where !keys.contains(key) {
            problems.append("citation marker '\(key)' has no citation (cite it with the document builder)")
        }
        for (i, block) in document.blocks.enumerated() {
            let at = "block \(i + 1)"
            switch block {
            case .heading(let level, _) where !(1...5).contains(level):
                problems.append("\(at): heading level \(level) is outside 1–5")
            case .table(let t):
                if t.columns.isEmpty { problems.append("\(at): table has no columns") }
                for (r, row) in t.rows.enumerated() where row.count > t.columns.count {
                    problems.append("\(at): table row \(r + 1) has \(row.count) cells for \(t.columns.count) columns")
                }
            case .timeline(let t):
                for e in t.events where !isPartialISODate(e.date) {
                    problems.append("\(at): timeline date '\(e.date)' is not YYYY, YYYY-MM or YYYY-MM-DD")
                }
            case .diagram(let d):
                let ids = Set(d.nodes.map(\.id))
                for e in d.edges {
                    for end in [e.from, e.to] where !ids.contains(end) {
                        problems.append("\(at): diagram edge \(e.from) -[\(e.label)]-> \(e.to) names unknown node '\(end)'")
                    }
                }
            default:
                break
            }
        }
        return problems
    }

    /// `2025`, `2025-10`, `2025-10-29`, optionally followed by `T` and a time.
    static func isPartialISODate(_ text: String) -> Bool {
        let datePart = text.split(separator: "T", maxSplits: 1).first.map(String.init) ?? ""
        let parts = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil })
        else { return false }
        if parts.count >= 2 { guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return false } }
        if parts.count == 3 { guard parts[2].count == 2, let d = Int(parts[2]), (1...31).contains(d) else { return false } }
        return true
    }
}
