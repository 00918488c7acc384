import Foundation

/// Renders a document as one self-contained HTML file: inline CSS (with a print style), no
/// scripts, fonts or images from elsewhere. A diagram becomes inline SVG drawn by
/// `drawing` (Graphviz `dot` when installed); without a drawing, or when drawing fails, the
/// diagram is replaced by a visible note and the list of its relations.
public struct HTMLRenderer: Sendable {
    public let drawing: (any DiagramDrawing)?

    /// `drawing` defaults to Graphviz `dot` from `PATH`, if any.
    public init(drawing: (any DiagramDrawing)? = GraphvizDot.onPath()) {
        self.drawing = drawing
    }

    public func render(_ document: Document) -> String {
        let footnotes = Footnotes(document)
        var out: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<meta name=\"generator\" content=\"Mosaic\">",
            "<title>\(escape(document.title))</title>",
            "<style>",
            HTMLRenderer.css,
            "</style>",
            "</head>",
            "<body>",
            "<article>",
            "<header>",
            "<h1>\(escape(document.title))</h1>",
        ]
        if let parts = MetadataText.parts(document.metadata) {
            out.append("<p class=\"meta\">" + parts.map(escape).joined(separator: " · ") + "</p>")
        }
        out.append("</header>")
        for block in document.blocks {
            out.append(render(block, footnotes))
        }
        if !footnotes.entries.isEmpty {
            out.append("<section class=\"sources\">")
            out.append("<h2>Sources</h2>")
            out.append("<ol>")
            for entry in footnotes.entries {
                out.append("<li id=\"fn-\(entry.number)\" value=\"\(entry.number)\">"
                    + inlines(Footnotes.runs(for: entry.citation), footnotes) + "</li>")
            }
            out.append("</ol>")
            out.append("</section>")
        }
        out += ["</article>", "</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    private func render(_ block: Block, _ footnotes: Footnotes) -> String {
        switch block {
        case .heading(let level, let text):
            let h = min(max(level, 1), 5) + 1
            return "<h\(h)>\(escape(text))</h\(h)>"
        case .paragraph(let runs):
            return "<p>" + inlines(runs, footnotes) + "</p>"
        case .list(let list):
            return render(list, footnotes)
        case .table(let table):
            return render(table, footnotes)
        case .timeline(let timeline):
            var lines = ["<section class=\"timeline\">"]
            if let title = timeline.title { lines.append("<h3 class=\"block-title\">\(escape(title))</h3>") }
            lines.append("<ol>")
            for event in timeline.sortedEvents {
                var li = "<li><time datetime=\"\(escape(event.date))\">\(escape(event.date))</time> "
                li += "<span class=\"label\">\(escape(event.label))</span>"
                if !event.entities.isEmpty {
                    li += " <span class=\"entities\">(" + event.entities.map(entity).joined(separator: ", ") + ")</span>"
                }
                li += event.citations.map { marker($0, footnotes) }.joined()
                lines.append(li + "</li>")
            }
            lines += ["</ol>", "</section>"]
            return lines.joined(separator: "\n")
        case .diagram(let diagram):
            return render(diagram)
        case .note(let note):
            let title = note.style.rawValue.prefix(1).uppercased() + note.style.rawValue.dropFirst()
            return "<aside class=\"callout callout-\(note.style.rawValue)\">"
                + "<p class=\"callout-title\">\(title)</p><p>" + inlines(note.content, footnotes) + "</p></aside>"
        }
    }

    private func render(_ list: ListBlock, _ footnotes: Footnotes) -> String {
        let tag = list.ordered ? "ol" : "ul"
        var lines = ["<\(tag)>"]
        for item in list.items {
            var li = "<li>" + inlines(item.content, footnotes)
            if let children = item.children {
                li += "\n" + render(children, footnotes) + "\n"
            }
            lines.append(li + "</li>")
        }
        lines.append("</\(tag)>")
        return lines.joined(separator: "\n")
    }

    private func render(_ table: Table, _ footnotes: Footnotes) -> String {
        let n = table.columns.count
        guard n > 0 else { return "" }
        func cls(_ a: ColumnAlignment) -> String { a == .left ? "" : " class=\"al-\(a.rawValue)\"" }
        var lines = ["<table>"]
        if let caption = table.caption { lines.append("<caption>\(escape(caption))</caption>") }
        lines.append("<thead><tr>" + table.columns.map { "<th\(cls($0.alignment))>\(escape($0.title))</th>" }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        for row in table.rows {
            let cells = (0..<n).map { i in
                "<td\(cls(table.columns[i].alignment))>" + (i < row.count ? inlines(row[i], footnotes) : "") + "</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines += ["</tbody>", "</table>"]
        return lines.joined(separator: "\n")
    }

    private func render(_ diagram: Diagram) -> String {
        var lines = ["<figure class=\"diagram\">"]
        var problem: String
        if let drawing {
            do {
                lines.append(try drawing.svg(fromDOT: DiagramDOT.source(for: diagram)))
                if let title = diagram.title { lines.append("<figcaption>\(escape(title))</figcaption>") }
                lines.append("</figure>")
                return lines.joined(separator: "\n")
            } catch {
                problem = "Diagram not drawn: \(error)."
            }
        } else {
            problem = "Diagram not drawn: Graphviz (dot) is not installed."
        }
        if let title = diagram.title { problem = "\(title): " + problem }
        lines.append("<p class=\"missing\">\(escape(problem)) Its relations:</p>")
        let names = Dictionary(diagram.nodes.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        lines.append("<ul>")
        for edge in diagram.edges {
            let from = names[edge.from] ?? edge.from, to = names[edge.to] ?? edge.to
            let derived = edge.derived ? " <em>(derived)</em>" : ""
            lines.append("<li>\(escape(from)) → <strong>\(escape(edge.label))</strong> → \(escape(to))\(derived)</li>")
        }
        lines += ["</ul>", "</figure>"]
        return lines.joined(separator: "\n")
    }

    // MARK: inline runs

    func inlines(_ runs: [Inline], _ footnotes: Footnotes) -> String {
        var out = ""
        for run in runs {
            switch run {
            case .text(let s): out += escape(s)
            case .emphasis(let s): out += "<em>\(escape(s))</em>"
            case .strong(let s): out += "<strong>\(escape(s))</strong>"
            case .code(let s): out += "<code>\(escape(s))</code>"
            case .link(let text, let url):
                out += "<a href=\"\(escape(safeURL(url)))\">\(escape(text))</a>"
            case .entity(let e): out += entity(e)
            case .citation(let key): out += marker(key, footnotes)
            }
        }
        return out
    }

    private func entity(_ e: EntityRef) -> String {
        "<span class=\"entity\" data-id=\"\(escape(e.id))\" title=\"\(escape(e.type)) · \(escape(e.id))\">\(escape(e.name))</span>"
    }

    private func marker(_ key: String, _ footnotes: Footnotes) -> String {
        guard let n = footnotes.number(forKey: key) else { return "<sup class=\"cite\">[?]</sup>" }
        return "<sup class=\"cite\"><a href=\"#fn-\(n)\">[\(n)]</a></sup>"
    }

    /// Only web and mail links are kept; anything else (`javascript:` …) becomes `#`.
    private func safeURL(_ url: String) -> String {
        let lower = url.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:")
            || lower.hasPrefix("#") || !lower.contains(":")
        return allowed ? url.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "%20") : "#"
    }

    /// Escapes text for HTML element content and double- or single-quoted attributes.
    public func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static let css = """
    :root { color-scheme: light; --ink: #1d232b; --muted: #5b6673; --rule: #d8dee5; --accent: #24527a; }
    body { margin: 0; background: #f6f7f9; color: var(--ink); font: 16px/1.55 Georgia, "Times New Roman", serif; }
    article { max-width: 46rem; margin: 2rem auto; padding: 2rem 2.5rem; background: #fff; border: 1px solid var(--rule); }
    h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; margin: 1.6em 0 0.5em; }
    h1 { font-size: 1.8rem; margin-top: 0; }
    h2 { font-size: 1.35rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; }
    .meta { color: var(--muted); font: 0.85rem/1.4 "Helvetica Neue", Arial, sans-serif; }
    .entity { border-bottom: 1px dotted var(--accent); }
    sup.cite { font-size: 0.7em; line-height: 0; }
    sup.cite a { color: var(--accent); text-decoration: none; }
    code { font: 0.9em/1.4 "SFMono-Regular", Menlo, Consolas, monospace; background: #f0f2f5; padding: 0 0.2em; }
    table { border-collapse: collapse; width: 100%; margin: 1em 0; font: 0.9rem/1.4 "Helvetica Neue", Arial, sans-serif; }
    caption { caption-side: bottom; color: var(--muted); font-style: italic; padding-top: 0.4em; }
    th, td { border: 1px solid var(--rule); padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
    th { background: #f0f2f5; }
    .al-right { text-align: right; font-variant-numeric: tabular-nums; }
    .al-center { text-align: center; }
    .timeline ol { list-style: none; padding-left: 0; border-left: 2px solid var(--accent); }
    .timeline li { padding: 0.2em 0 0.2em 1em; }
    .timeline time { font: bold 0.9rem "Helvetica Neue", Arial, sans-serif; color: var(--accent); }
    .timeline .entities { color: var(--muted); }
    .block-title { font-size: 1rem; }
    figure.diagram { margin: 1em 0; text-align: center; }
    figure.diagram svg { max-width: 100%; height: auto; }
    figure.diagram ul { text-align: left; }
    figcaption { color: var(--muted); font-style: italic; }
    .missing { color: #8a4b00; background: #fff6e5; padding: 0.4em 0.6em; text-align: left; }
    .callout { margin: 1em 0; padding: 0.5em 1em; border-left: 4px solid var(--accent); background: #f3f6fa; }
    .callout p { margin: 0.2em 0; }
    .callout-title { font: bold 0.85rem "Helvetica Neue", Arial, sans-serif; text-transform: uppercase; }
    .callout-tip { border-color: #2f7d32; } .callout-important { border-color: #6a3fa0; }
    .callout-warning { border-color: #b26a00; background: #fff8ec; } .callout-caution { border-color: #b3261e; background: #fdf0ef; }
    .sources ol { font-size: 0.9rem; }
    .sources li { margin-bottom: 0.3em; }
    @media print {
      body { background: #fff; font-size: 11pt; }
      article { max-width: none; margin: 0; padding: 0; border: 0; }
      h2, h3 { break-after: avoid; }
      table, figure, .callout, .timeline li { break-inside: avoid; }
      a { color: inherit; text-decoration: none; }
      .sources a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.85em; word-break: break-all; }
    }
    """
}
