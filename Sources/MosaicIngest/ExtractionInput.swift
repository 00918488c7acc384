import MosaicGraph

// The document an extraction reads: its text, the linker's mentions and dates, and what the
// extractors' `doc` table and the proposals' grade need (publisher, date, reliability).

/// What an extractor sees of a document besides its sentences.
public struct ExtractionInput: Sendable {
    public var source: String
    public var text: String
    public var mentions: [Mention]
    public var dates: [DateMention]
    public var title: String?
    public var publisher: String?
    public var published: PartialDate?
    /// The source's reliability letter (A–F), for the grade.
    public var reliability: String?
    public init(source: String, text: String, mentions: [Mention], dates: [DateMention], title: String? = nil,
                publisher: String? = nil, published: PartialDate? = nil, reliability: String? = nil) {
        self.source = source; self.text = text; self.mentions = mentions; self.dates = dates; self.title = title
        self.publisher = publisher; self.published = published; self.reliability = reliability
    }
}

