import Foundation

/// What a footnote points at: an article, or a statement of the KB with the articles behind
/// it. JSON form: an object with a `kind` (`article` or `statement`) and its fields.
public enum Citation: Sendable, Hashable {
    case article(ArticleSource)
    case statement(StatementSource)
}

/// An article (a source document) as cited.
public struct ArticleSource: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public var publisher: String?
    /// Publication date, a partial ISO date (`2025-10-29`).
    public var date: String?
    public var url: String?
    /// The source's reliability, A–F in the Admiralty system.
    public var reliability: String?
    /// The outlets the cited facts passed through before this article, nearest first (names);
    /// the same article reached through another chain is another note.
    public var via: [String]?

    public init(id: String, title: String, publisher: String? = nil, date: String? = nil,
                url: String? = nil, reliability: String? = nil, via: [String]? = nil) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.date = date
        self.url = url
        self.reliability = reliability
        self.via = via
    }
}

/// An Admiralty grading: reliability of the source A–F and credibility of the information
/// 1–6, written together (`B2`). Encoded in JSON as that text.
public struct Grading: Sendable, Hashable, CustomStringConvertible {
    public let reliability: Character
    public let credibility: Int

    /// Nil unless `reliability` is A–F and `credibility` 1–6.
    public init?(reliability: Character, credibility: Int) {
        guard "ABCDEF".contains(reliability), (1...6).contains(credibility) else { return nil }
        self.reliability = reliability
        self.credibility = credibility
    }

    /// Parses `B2` (case-insensitive letter); nil for anything else.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard t.count == 2, let letter = t.first, let digit = t.last?.wholeNumberValue else { return nil }
        self.init(reliability: letter, credibility: digit)
    }

    public var description: String { "\(reliability)\(credibility)" }
}

extension Grading: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let g = Grading(text) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "grading '\(text)' is not A–F followed by 1–6 (e.g. B2)")
        }
        self = g
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A statement of the KB as cited: its id, a readable form of the claim, its grading, the
/// articles asserting it, and for a derived statement the rule and the articles behind its
/// premises.
public struct StatementSource: Sendable, Codable, Hashable {
    public var statementID: String
    /// The fact in words, e.g. "Russia operates Hmeimim Air Base".
    public var claim: String?
    public var articles: [ArticleSource]
    public var grading: Grading?
    public var derived: Bool
    /// The rule (plugin/rule@version) a derived statement came from.
    public var rule: String?
    public var premiseArticles: [ArticleSource]

    public init(statementID: String, claim: String? = nil, articles: [ArticleSource] = [],
                grading: Grading? = nil, derived: Bool = false, rule: String? = nil,
                premiseArticles: [ArticleSource] = []) {
        self.statementID = statementID
        self.claim = claim
        self.articles = articles
        self.grading = grading
        self.derived = derived
        self.rule = rule
        self.premiseArticles = premiseArticles
    }
}

extension Citation: Codable {
    private enum Kind: String, Codable { case article, statement }
    private enum Keys: String, CodingKey { case kind }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .article: self = .article(try ArticleSource(from: decoder))
        case .statement: self = .statement(try StatementSource(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .article(let a): try c.encode(Kind.article, forKey: .kind); try a.encode(to: encoder)
        case .statement(let s): try c.encode(Kind.statement, forKey: .kind); try s.encode(to: encoder)
        }
    }
}
