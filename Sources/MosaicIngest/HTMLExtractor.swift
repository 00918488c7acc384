// HTMLExtractor: the article text and metadata of an .html file, for DocumentReader. Parses
// with libxml2's HTML parser (CLibXML2: recovers from broken markup, decodes entities,
// honours a declared character set), never with regular expressions. The rules are in
// docs/ingest.md, "HTML".
import CLibXML2
import Foundation
import MosaicGraph

public enum HTMLExtractor {
    /// What an HTML file gives: its article text (paragraphs separated by a blank line) and
    /// what its head says about it (title, publisher, date, url, language).
    public struct Extract: Sendable, Hashable {
        public var text: String
        public var metadata: DocumentMetadata
    }

    /// Elements whose content is never article text.
    static let dropped: Set<String> = [
        "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "iframe",
        "button", "select", "textarea", "object", "embed", "canvas", "dialog", "menu", "head",
    ]
    /// Elements that make paragraphs: their content is separated from what is around it by a
    /// blank line.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
        "dd", "blockquote", "pre", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "caption",
        "address", "hr", "details", "summary", "center", "body", "html",
    ]

    /// libxml2's global state, set up once (its first use from two threads at once would race).
    static let parserReady: Void = { xmlInitParser() }()

    /// Parses `bytes` (`encoding`: "UTF-8", or nil to let the file's declared charset decide).
    /// Broken markup still gives what libxml2 recovers; nil only when libxml2 returns no
    /// document at all.
    public static func extract(_ bytes: [UInt8], encoding: String? = "UTF-8") -> Extract? {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        _ = parserReady
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                htmlReadMemory(p, Int32(buf.count), nil, encoding, mosaic_html_options())
            }
        }
        guard let doc else { return nil }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return Extract(text: "", metadata: DocumentMetadata()) }
        let meta = metadata(root)
        // The article: the first <article>, else the first <main>, else <body>, else everything.
        let content = first("article", under: root) ?? first("main", under: root) ?? first("body", under: root) ?? root
        var w = TextWriter()
        w.walk(content)
        return Extract(text: w.finish(), metadata: meta)
    }

    // MARK: The tree

    static func name(_ n: xmlNodePtr) -> String {
        guard let p = n.pointee.name else { return "" }
        return String(cString: p).lowercased()
    }

    static func attribute(_ n: xmlNodePtr, _ key: String) -> String? {
        let value = key.withCString { k in xmlGetProp(n, UnsafeRawPointer(k).assumingMemoryBound(to: xmlChar.self)) }
        guard let v = value else { return nil }
        defer { mosaic_xml_free(v) }
        return String(cString: v)
    }

    static func isElement(_ n: xmlNodePtr) -> Bool { n.pointee.type == XML_ELEMENT_NODE }

    /// The first element named `tag` at or under `n`, in document order, outside dropped
    /// elements.
    static func first(_ tag: String, under n: xmlNodePtr) -> xmlNodePtr? {
        var stack: [xmlNodePtr] = [n]
        while let x = stack.popLast() {
            guard isElement(x) else { continue }
            let nm = name(x)
            if nm == tag { return x }
            if dropped.contains(nm) && x != n { continue }
            var kids: [xmlNodePtr] = []
            var c = x.pointee.children
            while let k = c { kids.append(k); c = k.pointee.next }
            stack.append(contentsOf: kids.reversed())
        }
        return nil
    }

    /// The text under `n`, whitespace collapsed.
    static func plainText(_ n: xmlNodePtr) -> String {
        guard let c = xmlNodeGetContent(n) else { return "" }
        defer { mosaic_xml_free(c) }
        return collapse(String(cString: c))
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    // MARK: Metadata

    /// Title, publisher, date, url and language from the head: `og:title` or `<title>`;
    /// `og:site_name`, `<meta name="publisher">` or, last, `<meta name="author">`;
    /// `article:published_time`, `<meta name="date">` and the like (the date part of a
    /// timestamp); `<link rel="canonical">` or `og:url`; `<html lang>`.
    static func metadata(_ root: xmlNodePtr) -> DocumentMetadata {
        var metas: [String: String] = [:]
        var title: String?
        var canonical: String?
        var stack: [xmlNodePtr] = [root]
        while let x = stack.popLast() {
            guard isElement(x) else { continue }
            switch name(x) {
            case "meta":
                let key = (attribute(x, "property") ?? attribute(x, "name") ?? attribute(x, "itemprop"))?.lowercased()
                if let key, let v = attribute(x, "content").map(collapse), !v.isEmpty, metas[key] == nil { metas[key] = v }
            case "title":
                if title == nil { let t = plainText(x); if !t.isEmpty { title = t } }
            case "link":
                let rel = attribute(x, "rel")?.lowercased().split(separator: " ") ?? []
                if rel.contains("canonical"), canonical == nil, let h = attribute(x, "href"), !h.isEmpty { canonical = h }
            case "script", "style", "template":
                continue
            default: break
            }
            var c = x.pointee.last
            while let k = c { stack.append(k); c = k.pointee.prev }
        }
        var m = DocumentMetadata()
        m.title = metas["og:title"] ?? title ?? metas["twitter:title"]
        m.publisher = metas["og:site_name"] ?? metas["publisher"] ?? metas["article:publisher"].flatMap { $0.contains("://") ? nil : $0 }
            ?? metas["author"]
        for key in ["article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
                    "pubdate", "publish-date", "publication_date", "sailthru.date"] {
            if let v = metas[key], let d = datePart(v) { m.date = d; break }
        }
        m.url = canonical ?? metas["og:url"]
        if let lang = attribute(root, "lang") ?? attribute(root, "xml:lang"), !lang.isEmpty { m.language = lang }
        return m
    }

    /// `2025-10-30`, `2025-10-30T08:00:00Z`, `2025-10`, `2025` → the partial date; else nil
    /// (a page's date in another form is left out, not an error).
    static func datePart(_ v: String) -> String? {
        let t = v.trimmingCharacters(in: .whitespaces)
        for len in [10, 7, 4] where t.utf8.count >= len {
            let head = String(t.prefix(len))
            let rest = t.dropFirst(len)
            if rest.isEmpty || rest.first == "T" || rest.first == " " || (len == 10 && rest.first == "+") {
                if PartialDate(head) != nil { return head }
            }
        }
        return nil
    }

    // MARK: Text

    /// Builds the article text: paragraphs (blocks) separated by a blank line, whitespace
    /// inside them collapsed to single spaces (kept as is in <pre>), <br> a line break.
    struct TextWriter {
        var paragraphs: [String] = []
        var current = ""
        var pendingSpace = false
        var pre = 0

        mutating func text(_ s: String) {
            if pre > 0 {
                for u in s.unicodeScalars {
                    let v = u.value
                    if v == 0x0A || v == 0x09 { current.unicodeScalars.append(u) }
                    else if v < 0x20 || v == 0x7F || v == 0xA0 { current.append(" ") }
                    else { current.unicodeScalars.append(u) }
                }
                pendingSpace = false
                return
            }
            for ch in s {
                // Spaces, line breaks, no-break spaces, and control characters (from &#11; …).
                if ch.isWhitespace || ch.unicodeScalars.first!.value < 0x20 || ch.unicodeScalars.first!.value == 0x7F {
                    if !current.isEmpty && current.last != "\n" { pendingSpace = true }
                } else {
                    if pendingSpace { current.append(" "); pendingSpace = false }
                    current.append(ch)
                }
            }
        }

        mutating func lineBreak() {
            pendingSpace = false
            if !current.isEmpty && current.last != "\n" { current.append("\n") }
        }

        mutating func paragraphBreak() {
            let p = current.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: pre > 0 ? .newlines : .whitespaces) }
                .joined(separator: "\n")
                .trimmingCharacters(in: pre > 0 ? .newlines : .whitespacesAndNewlines)
            if !p.allSatisfy(\.isWhitespace) { paragraphs.append(p) }
            current = ""
            pendingSpace = false
        }

        mutating func walk(_ n: xmlNodePtr) {
            switch n.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let c = n.pointee.content { text(String(cString: c)) }
            case XML_ELEMENT_NODE:
                let nm = HTMLExtractor.name(n)
                if HTMLExtractor.dropped.contains(nm) { return }
                if HTMLExtractor.attribute(n, "hidden") != nil || HTMLExtractor.attribute(n, "aria-hidden")?.lowercased() == "true" { return }
                if nm == "br" { lineBreak(); return }
                let block = HTMLExtractor.blocks.contains(nm)
                if block { paragraphBreak() }
                if nm == "pre" { pre += 1 }
                if nm == "td" || nm == "th" { if !current.isEmpty { pendingSpace = true } }
                var c = n.pointee.children
                while let k = c { walk(k); c = k.pointee.next }
                if nm == "pre" { paragraphBreak(); pre -= 1 }
                if block { paragraphBreak() }
                if nm == "td" || nm == "th" { if !current.isEmpty { pendingSpace = true } }
            default:
                break  // comments, processing instructions, DTDs
            }
        }

        mutating func finish() -> String {
            paragraphBreak()
            return paragraphs.joined(separator: "\n\n")
        }
    }
}
