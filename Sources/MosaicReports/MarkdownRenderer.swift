import Foundation

/// Renders a document as GitHub-flavoured Markdown. The output depends only on the
/// document (stable byte for byte): blocks separated by one blank line, tables padded to
/// aligned columns, the diagram as a Mermaid flowchart, notes as GitHub alerts, and the
/// citations numbered `[n]` and listed under "Sources" at the end.
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func render(_ document: Document) -> String {
        let footnotes = Footnotes(document)
        var context = Context(footnotes: footnotes)
        var parts: [String] = ["# " + escapeLineStart(escape(oneLine(document.title)))]
        if let meta = metadataLine(document.metadata) { parts.append("_" + escape(meta) + "_") }
        for block in document.blocks {
            let text = render(block, &context)
            if !text.isEmpty { parts.append(text) }
        }
        if !footnotes.entries.isEmpty {
            var lines = ["## Sources", ""]
            for entry in footnotes.entries {
                lines.append("\(entry.number). " + inlines(Footnotes.runs(for: entry.citation), context))
            }
            parts.append(lines.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    struct Context {
        let footnotes: Footnotes
        var inTable = false
    }

    private func render(_ block: Block, _ context: inout Context) -> String {
        switch block {
        case .heading(let level, let text):
            let hashes = String(repeating: "#", count: min(max(level, 1), 5) + 1)
            var body = escape(oneLine(text).trimmingCharacters(in: .whitespaces))
            // A trailing run of `#` would be read as the heading's closing sequence.
            if body.hasSuffix("#") { body = String(body.dropLast()) + "\\#" }
            return hashes + " " + body
        case .paragraph(let runs):
            return escapeLineStart(inlines(runs, context))
        case .list(let list):
            return render(list, indent: "", context).joined(separator: "\n")
        case .table(let table):
            return render(table, &context)
        case .timeline(let timeline):
            var lines: [String] = []
            if let title = timeline.title { lines += ["**" + escape(oneLine(title)) + "**", ""] }
            for event in timeline.sortedEvents {
                var line = "- **" + escape(oneLine(event.date)) + "** — " + escape(oneLine(event.label))
                if !event.entities.isEmpty {
                    line += " (" + event.entities.map { escape(oneLine($0.name)) }.joined(separator: ", ") + ")"
                }
                line += event.citations.map { marker($0, context) }.joined()
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        case .diagram(let diagram):
            return render(diagram)
        case .note(let note):
            let body = escapeLineStart(inlines(note.content, context))
            return "> [!\(note.style.rawValue.uppercased())]\n> " + body
        }
    }

    private func render(_ list: ListBlock, indent: String, _ context: Context) -> [String] {
        var lines: [String] = []
        for (i, item) in list.items.enumerated() {
            let marker = list.ordered ? "\(i + 1). " : "- "
            lines.append(indent + marker + escapeLineStart(inlines(item.content, context)))
            if let children = item.children {
                lines += render(children, indent: indent + String(repeating: " ", count: marker.count), context)
            }
        }
        return lines
    }

    private func render(_ table: Table, _ context: inout Context) -> String {
        let n = table.columns.count
        guard n > 0 else { return "" }
        context.inTable = true
        defer { context.inTable = false }
        let header = table.columns.map { escape(oneLine($0.title)) }
        let body: [[String]] = table.rows.map { row in
            (0..<n).map { i in i < row.count ? inlines(row[i], context) : "" }
        }
        var widths = header.map { max(3, TextWidth.of($0)) }
        for row in body {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TextWidth.of(cell)) }
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { i, cell in
                TextWidth.padded(cell, to: widths[i], alignment: table.columns[i].alignment)
            }.joined(separator: " | ") + " |"
        }
        let rule = "| " + table.columns.enumerated().map { i, column in
            let w = widths[i]
            switch column.alignment {
            case .left: return ":" + String(repeating: "-", count: w - 1)
            case .right: return String(repeating: "-", count: w - 1) + ":"
            case .center: return ":" + String(repeating: "-", count: w - 2) + ":"
            }
        }.joined(separator: " | ") + " |"
        var lines = [line(header), rule] + body.map(line)
        if let caption = table.caption {
            lines += ["", "_" + escape(oneLine(caption)) + "_"]
        }
        return lines.joined(separator: "\n")
    }

    private func render(_ diagram: Diagram) -> String {
        var ids: [String: String] = [:]
        var lines: [String] = []
        if let title = diagram.title { lines += ["**" + escape(oneLine(title)) + "**", ""] }
        lines.append("```mermaid")
        lines.append("flowchart LR")
        func nodeID(_ id: String) -> String {
            if let n = ids[id] { return n }
            let n = "n\(ids.count + 1)"
            ids[id] = n
            return n
        }
        // Nodes first, then edge ends that are not declared nodes (labelled by their id).
        var declared = Set<String>()
        let implicit = diagram.edges.flatMap { [$0.from, $0.to] }.map { DiagramNode(id: $0, label: $0) }
        for node in diagram.nodes + implicit where !declared.contains(node.id) {
            declared.insert(node.id)
            let label = node.type.map { "\(node.label) (\($0))" } ?? node.label
            lines.append("  \(nodeID(node.id))[\"\(mermaidText(label))\"]")
        }
        for edge in diagram.edges {
            let from = nodeID(edge.from), to = nodeID(edge.to)
            let arrow = edge.derived ? "-.->" : "-->"
            lines.append("  \(from) \(arrow)|\"\(mermaidText(edge.label))\"| \(to)")
        }
        lines.append("```")
        return lines.joined(separator: "\n")
    }

    // MARK: inline runs

    func inlines(_ runs: [Inline], _ context: Context) -> String {
        var out = ""
        for run in runs {
            switch run {
            case .text(let s):
                out += escape(oneLine(s))
            case .emphasis(let s):
                out += wrap(oneLine(s), "*")
            case .strong(let s):
                out += wrap(oneLine(s), "**")
            case .code(let s):
                out += codeSpan(oneLine(s), inTable: context.inTable)
            case .link(let text, let url):
                out += "[" + escape(oneLine(text)) + "](" + linkDestination(url) + ")"
            case .entity(let e):
                out += escape(oneLine(e.name))
            case .citation(let key):
                out += marker(key, context)
            }
        }
        return out
    }

    private func marker(_ key: String, _ context: Context) -> String {
        if let n = context.footnotes.number(forKey: key) { return "[\(n)]" }
        return "[?]"
    }

    /// Emphasis must hug its text: surrounding spaces move outside the markers.
    private func wrap(_ text: String, _ mark: String) -> String {
        let core = text.trimmingCharacters(in: .whitespaces)
        guard !core.isEmpty else { return text }
        let lead = text.prefix { $0 == " " }
        let trail = String(text.reversed().prefix { $0 == " " })
        return lead + mark + escape(core) + mark + trail
    }

    private func codeSpan(_ text: String, inTable: Bool) -> String {
        var longest = 0, run = 0
        for ch in text {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: longest + 1)
        var body = text
        if body.hasPrefix("`") || body.hasSuffix("`") || (body.hasPrefix(" ") && body.hasSuffix(" ") && !body.allSatisfy { $0 == " " }) {
            body = " " + body + " "
        }
        if body.isEmpty { body = " " }
        if inTable { body = body.replacingOccurrences(of: "|", with: "\\|") }
        return fence + body + fence
    }

    private func linkDestination(_ url: String) -> String {
        var out = ""
        for ch in oneLine(url) {
            switch ch {
            case " ": out += "%20"
            case "(", ")", "<", ">", "\\": out += "\\" + String(ch)
            case "|": out += "%7C"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Newlines and tabs become spaces: a run never starts a new Markdown block.
    func oneLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// Backslash-escapes the characters that would start Markdown syntax inside a line.
    func escape(_ text: String) -> String {
        var out = ""
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~":
                out += "\\" + String(ch)
            case "&":
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                out += (next.isLetter || next == "#") ? "\\&" : "&"
            default:
                out.append(ch)
            }
        }
        return out
    }

    /// Escapes what would make the start of a line a heading, list item, rule or (with
    /// leading spaces) an indented code block.
    func escapeLineStart(_ text: String) -> String {
        let line = String(text.drop { $0 == " " })
        guard let first = line.first else { return line }
        if "#-+=".contains(first) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let rest = line.dropFirst(digits.count)
            if let mark = rest.first, mark == "." || mark == ")" {
                return digits + "\\" + rest
            }
        }
        return line
    }

    private func mermaidText(_ text: String) -> String {
        var out = ""
        for ch in oneLine(text) {
            switch ch {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "|": out += "#124;"
            default: out.append(ch)
            }
        }
        return out
    }

    private func metadataLine(_ m: DocumentMetadata) -> String? {
        MetadataText.parts(m).map { $0.joined(separator: " · ") }
    }
}

/// The metadata of a document as short phrases, shared by the Markdown and HTML renderers.
enum MetadataText {
    static func parts(_ m: DocumentMetadata) -> [String]? {
        var parts: [String] = []
        if let g = m.generatedAt { parts.append("Generated \(g)") }
        if let a = m.asOf { parts.append("as of \(a)") }
        if let t = m.transaction { parts.append("KB transaction \(t)") }
        if let r = m.report {
            parts.append("report \(r)" + (m.reportVersion.map { " \($0)" } ?? ""))
        }
        if let p = m.plugin {
            parts.append("plugin \(p)" + (m.pluginVersion.map { " \($0)" } ?? ""))
        }
        return parts.isEmpty ? nil : parts
    }
}
