import Foundation

/// A run of text inside a paragraph, list item, table cell or note.
///
/// JSON form: an object with a `kind` (`text`, `emphasis`, `strong`, `code`, `link`,
/// `entity`, `citation`) and its fields.
public enum Inline: Sendable, Hashable {
    case text(String)
    case emphasis(String)
    case strong(String)
    case code(String)
    case link(text: String, url: String)
    /// An entity of the knowledge base, shown by name.
    case entity(EntityRef)
    /// A citation marker: the key of a citation in `Document.citations`, rendered as a
    /// footnote number `[n]`.
    case citation(String)
}

extension Inline: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension Inline {
    /// The plain text of a run (entity names, no markup, no citation markers).
    public var plainText: String {
        switch self {
        case .text(let s), .emphasis(let s), .strong(let s), .code(let s): return s
        case .link(let text, _): return text
        case .entity(let e): return e.name
        case .citation: return ""
        }
    }
}

extension Inline: Codable {
    private enum Kind: String, Codable {
        case text, emphasis, strong, code, link, entity, citation
    }
    private enum Keys: String, CodingKey {
        case kind, text, url, id, name, type, key
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .text: self = .text(try c.decode(String.self, forKey: .text))
        case .emphasis: self = .emphasis(try c.decode(String.self, forKey: .text))
        case .strong: self = .strong(try c.decode(String.self, forKey: .text))
        case .code: self = .code(try c.decode(String.self, forKey: .text))
        case .link:
            self = .link(text: try c.decode(String.self, forKey: .text),
                         url: try c.decode(String.self, forKey: .url))
        case .entity: self = .entity(try EntityRef(from: decoder))
        case .citation: self = .citation(try c.decode(String.self, forKey: .key))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .text(let s): try c.encode(Kind.text, forKey: .kind); try c.encode(s, forKey: .text)
        case .emphasis(let s): try c.encode(Kind.emphasis, forKey: .kind); try c.encode(s, forKey: .text)
        case .strong(let s): try c.encode(Kind.strong, forKey: .kind); try c.encode(s, forKey: .text)
        case .code(let s): try c.encode(Kind.code, forKey: .kind); try c.encode(s, forKey: .text)
        case .link(let text, let url):
            try c.encode(Kind.link, forKey: .kind)
            try c.encode(text, forKey: .text)
            try c.encode(url, forKey: .url)
        case .entity(let e): try c.encode(Kind.entity, forKey: .kind); try e.encode(to: encoder)
        case .citation(let key): try c.encode(Kind.citation, forKey: .kind); try c.encode(key, forKey: .key)
        }
    }
}
