import Foundation

/// The numbering of a document's citations as footnotes: `[1]`, `[2]`, … in order of first
/// use in reading order (blocks, then within a block left to right, timeline events in
/// their sorted order). Identical citations registered under different keys share one
/// number. Citations never used in the text are listed after the used ones, in table order.
public struct Footnotes: Sendable {
    public struct Entry: Sendable, Hashable {
        public let number: Int
        public let citation: Citation
    }

    /// Footnotes in number order.
    public private(set) var entries: [Entry] = []
    private var numberByKey: [String: Int] = [:]

    public init(_ document: Document) {
        var citationByKey: [String: Citation] = [:]
        for entry in document.citations where citationByKey[entry.key] == nil {
            citationByKey[entry.key] = entry.citation
        }
        var numberByCitation: [Citation: Int] = [:]
        func use(_ key: String) {
            guard numberByKey[key] == nil, let citation = citationByKey[key] else { return }
            if let n = numberByCitation[citation] {
                numberByKey[key] = n
            } else {
                let n = entries.count + 1
                entries.append(Entry(number: n, citation: citation))
                numberByCitation[citation] = n
                numberByKey[key] = n
            }
        }
        for key in Footnotes.keysInReadingOrder(document.blocks) { use(key) }
        for entry in document.citations { use(entry.key) }
    }

    /// The footnote number of a citation key; nil for a key the document does not define.
    public func number(forKey key: String) -> Int? { numberByKey[key] }

    static func keysInReadingOrder(_ blocks: [Block]) -> [String] {
        var keys: [String] = []
        func runs(_ inlines: [Inline]) {
            for case .citation(let key) in inlines { keys.append(key) }
        }
        func list(_ l: ListBlock) {
            for item in l.items {
                runs(item.content)
                if let children = item.children { list(children) }
            }
        }
        for block in blocks {
            switch block {
            case .heading, .diagram: break
            case .paragraph(let r): runs(r)
            case .list(let l): list(l)
            case .table(let t): for row in t.rows { for cell in row { runs(cell) } }
            case .timeline(let t): for e in t.sortedEvents { keys.append(contentsOf: e.citations) }
            case .note(let n): runs(n.content)
            }
        }
        return keys
    }

    /// The text of a footnote as inline runs, shared by the renderers: titles emphasised
    /// (linked when the article has a URL), then publisher, date and grading.
    public static func runs(for citation: Citation) -> [Inline] {
        switch citation {
        case .article(let a):
            return articleRuns(a, withReliability: true)
        case .statement(let s):
            var out: [Inline] = []
            if let claim = s.claim, !claim.isEmpty {
                out.append(.text("“\(claim)” "))
            }
            var about = "statement \(s.statementID)"
            if s.derived {
                about += s.rule.map { ", derived by rule \($0)" } ?? ", derived"
            }
            out.append(.text("(\(about))"))
            if let g = s.grading { out.append(.text(", grading \(g)")) }
            out.append(.text("."))
            let groups: [(String, [ArticleSource])] = [
                ("Sources", s.articles),
                ("Premises sourced in", s.derived ? s.premiseArticles : []),
            ]
            for (title, articles) in groups where !articles.isEmpty {
                out.append(.text(" \(title): "))
                for (i, a) in articles.enumerated() {
                    if i > 0 { out.append(.text("; ")) }
                    out.append(contentsOf: articleRuns(a, withReliability: true))
                }
                out.append(.text("."))
            }
            return merged(out)
        }
    }

    private static func articleRuns(_ a: ArticleSource, withReliability: Bool) -> [Inline] {
        var out: [Inline] = []
        if let url = a.url, !url.isEmpty {
            out.append(.link(text: a.title, url: url))
        } else {
            out.append(.emphasis(a.title))
        }
        let details = [a.publisher, a.date].compactMap { $0 }.filter { !$0.isEmpty }
        if !details.isEmpty { out.append(.text(", " + details.joined(separator: ", "))) }
        if withReliability, let r = a.reliability, !r.isEmpty {
            out.append(.text(" (source reliability \(r))"))
        }
        if let via = a.via, !via.isEmpty {
            out.append(.text(", relaying " + via.joined(separator: " ← ")))
        }
        return merged(out)
    }

    /// Joins adjacent text runs so renderings stay compact.
    static func merged(_ runs: [Inline]) -> [Inline] {
        var out: [Inline] = []
        for run in runs {
            if case .text(let b) = run, case .text(let a)? = out.last {
                out[out.count - 1] = .text(a + b)
            } else {
                out.append(run)
            }
        }
        return out
    }
}
