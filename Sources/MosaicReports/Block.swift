import Foundation

/// One block of a document, in reading order.
///
/// Heading levels run 1–5: the document title is the only top-level heading, so a level-1
/// block heading renders as Markdown `##` / HTML `<h2>` (levels beyond 5 are clamped).
/// JSON form: an object with a `kind` (`heading`, `paragraph`, `list`, `table`, `timeline`,
/// `diagram`, `note`) and the fields of that kind.
public enum Block: Sendable, Hashable {
    case heading(level: Int, text: String)
    case paragraph([Inline])
    case list(ListBlock)
    case table(Table)
    case timeline(Timeline)
    case diagram(Diagram)
    case note(Note)
}

/// A reference to an entity of the knowledge base, as shown in a document.
public struct EntityRef: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var type: String
    public init(id: String, name: String, type: String) {
        self.id = id
        self.name = name
        self.type = type
    }
}

/// A bullet (`ordered == false`) or numbered list; items may hold a nested list.
public struct ListBlock: Sendable, Codable, Hashable {
    public var ordered: Bool
    public var items: [ListItem]
    public init(ordered: Bool = false, items: [ListItem]) {
        self.ordered = ordered
        self.items = items
    }
}

public struct ListItem: Sendable, Codable, Hashable {
    public var content: [Inline]
    public var children: ListBlock?
    public init(_ content: [Inline], children: ListBlock? = nil) {
        self.content = content
        self.children = children
    }
}

public enum ColumnAlignment: String, Sendable, Codable, Hashable {
    case left, center, right
}

public struct TableColumn: Sendable, Codable, Hashable {
    public var title: String
    public var alignment: ColumnAlignment
    public init(_ title: String, alignment: ColumnAlignment = .left) {
        self.title = title
        self.alignment = alignment
    }
}

/// A table of inline runs. Rows shorter than the header are padded with empty cells;
/// longer rows are cut to the header's width by the renderers.
public struct Table: Sendable, Codable, Hashable {
    public var columns: [TableColumn]
    public var rows: [[[Inline]]]
    public var caption: String?
    public init(columns: [TableColumn], rows: [[[Inline]]], caption: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.caption = caption
    }
}

/// A dated event. `date` is a partial ISO date whose length is its precision: `2025`,
/// `2025-10`, `2025-10-29` (a time may follow: `2025-10-29T14:05`).
public struct TimelineEvent: Sendable, Codable, Hashable {
    public var date: String
    public var label: String
    public var entities: [EntityRef]
    /// Citation keys (see `Document.citations`).
    public var citations: [String]
    public init(date: String, label: String, entities: [EntityRef] = [], citations: [String] = []) {
        self.date = date
        self.label = label
        self.entities = entities
        self.citations = citations
    }
}

/// Events in chronological order; renderers sort them stably by date text (partial ISO
/// dates sort correctly as text, a month before the days inside it).
public struct Timeline: Sendable, Codable, Hashable {
    public var title: String?
    public var events: [TimelineEvent]
    public init(title: String? = nil, events: [TimelineEvent]) {
        self.title = title
        self.events = events
    }

    /// The events sorted stably by date text.
    public var sortedEvents: [TimelineEvent] {
        events.enumerated().sorted { a, b in
            a.element.date != b.element.date ? a.element.date < b.element.date : a.offset < b.offset
        }.map(\.element)
    }
}

public struct DiagramNode: Sendable, Codable, Hashable {
    public var id: String
    public var label: String
    public var type: String?
    public init(id: String, label: String, type: String? = nil) {
        self.id = id
        self.label = label
        self.type = type
    }
}

/// A directed relation between two nodes; `derived` relations (inferred by a rule) are
/// drawn dashed.
public struct DiagramEdge: Sendable, Codable, Hashable {
    public var from: String
    public var to: String
    public var label: String
    public var derived: Bool
    public init(from: String, to: String, label: String, derived: Bool = false) {
        self.from = from
        self.to = to
        self.label = label
        self.derived = derived
    }
}

/// A set of entities and the relations between them.
public struct Diagram: Sendable, Codable, Hashable {
    public var title: String?
    public var nodes: [DiagramNode]
    public var edges: [DiagramEdge]
    public init(title: String? = nil, nodes: [DiagramNode], edges: [DiagramEdge]) {
        self.title = title
        self.nodes = nodes
        self.edges = edges
    }
}

/// The look of a callout; the names are GitHub's alert kinds.
public enum NoteStyle: String, Sendable, Codable, Hashable, CaseIterable {
    case note, tip, important, warning, caution
}

public struct Note: Sendable, Codable, Hashable {
    public var style: NoteStyle
    public var content: [Inline]
    public init(style: NoteStyle = .note, content: [Inline]) {
        self.style = style
        self.content = content
    }
}

extension Block: Codable {
    private enum Kind: String, Codable {
        case heading, paragraph, list, table, timeline, diagram, note
    }
    private enum Keys: String, CodingKey {
        case kind, level, text, content
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .heading:
            self = .heading(level: try c.decode(Int.self, forKey: .level),
                            text: try c.decode(String.self, forKey: .text))
        case .paragraph: self = .paragraph(try c.decode([Inline].self, forKey: .content))
        case .list: self = .list(try ListBlock(from: decoder))
        case .table: self = .table(try Table(from: decoder))
        case .timeline: self = .timeline(try Timeline(from: decoder))
        case .diagram: self = .diagram(try Diagram(from: decoder))
        case .note: self = .note(try Note(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .heading(let level, let text):
            try c.encode(Kind.heading, forKey: .kind)
            try c.encode(level, forKey: .level)
            try c.encode(text, forKey: .text)
        case .paragraph(let runs):
            try c.encode(Kind.paragraph, forKey: .kind)
            try c.encode(runs, forKey: .content)
        case .list(let v): try c.encode(Kind.list, forKey: .kind); try v.encode(to: encoder)
        case .table(let v): try c.encode(Kind.table, forKey: .kind); try v.encode(to: encoder)
        case .timeline(let v): try c.encode(Kind.timeline, forKey: .kind); try v.encode(to: encoder)
        case .diagram(let v): try c.encode(Kind.diagram, forKey: .kind); try v.encode(to: encoder)
        case .note(let v): try c.encode(Kind.note, forKey: .kind); try v.encode(to: encoder)
        }
    }
}
