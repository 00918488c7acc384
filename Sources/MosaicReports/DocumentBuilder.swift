import Foundation

/// Builds a `Document` block by block. Plain and value-based so the Lua plugin bridge can
/// forward calls one to one (`doc:heading(2, "Bases")`, `doc:cite{...}` …).
///
/// `cite` registers a citation and returns the inline marker to put in the text; citing
/// an identical citation again returns the same marker.
public struct DocumentBuilder: Sendable {
    public private(set) var document: Document
    private var keyByCitation: [Citation: String] = [:]
    private var nextKey = 1

    public init(title: String, metadata: DocumentMetadata = DocumentMetadata()) {
        document = Document(title: title, metadata: metadata)
    }

    /// Continues an existing document (its citations keep their keys).
    public init(_ document: Document) {
        self.document = document
        for entry in document.citations where keyByCitation[entry.citation] == nil {
            keyByCitation[entry.citation] = entry.key
        }
        nextKey = document.citations.count + 1
    }

    public var title: String {
        get { document.title }
        set { document.title = newValue }
    }

    public var metadata: DocumentMetadata {
        get { document.metadata }
        set { document.metadata = newValue }
    }

    public mutating func add(_ block: Block) { document.blocks.append(block) }

    /// A heading, level 1–5 under the document title.
    public mutating func heading(_ level: Int, _ text: String) {
        add(.heading(level: level, text: text))
    }

    public mutating func paragraph(_ runs: [Inline]) { add(.paragraph(runs)) }

    public mutating func paragraph(_ text: String) { add(.paragraph([.text(text)])) }

    public mutating func list(_ items: [ListItem], ordered: Bool = false) {
        add(.list(ListBlock(ordered: ordered, items: items)))
    }

    public mutating func table(columns: [TableColumn], rows: [[[Inline]]], caption: String? = nil) {
        add(.table(Table(columns: columns, rows: rows, caption: caption)))
    }

    public mutating func timeline(_ events: [TimelineEvent], title: String? = nil) {
        add(.timeline(Timeline(title: title, events: events)))
    }

    public mutating func diagram(nodes: [DiagramNode], edges: [DiagramEdge], title: String? = nil) {
        add(.diagram(Diagram(title: title, nodes: nodes, edges: edges)))
    }

    public mutating func note(_ style: NoteStyle = .note, _ runs: [Inline]) {
        add(.note(Note(style: style, content: runs)))
    }

    /// Registers a citation and returns its marker.
    public mutating func cite(_ citation: Citation) -> Inline {
        .citation(citationKey(citation))
    }

    /// Registers a citation and returns its key (for timeline events).
    public mutating func citationKey(_ citation: Citation) -> String {
        if let key = keyByCitation[citation] { return key }
        var key = "c\(nextKey)"
        while document.citations.contains(where: { $0.key == key }) {
            nextKey += 1
            key = "c\(nextKey)"
        }
        nextKey += 1
        keyByCitation[citation] = key
        document.citations.append(CitationEntry(key: key, citation: citation))
        return key
    }

    public mutating func cite(article: ArticleSource) -> Inline { cite(.article(article)) }

    public mutating func cite(statement: StatementSource) -> Inline { cite(.statement(statement)) }

    public func build() -> Document { document }
}
