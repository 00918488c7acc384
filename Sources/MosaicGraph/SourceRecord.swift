/// One supporting source of a fact, as readers see it (`sources(r)` in queries, `r.sources`
/// in Lua, the JSON output): always the same fields, nil where the KB does not say.
public struct SourceRecord: Sendable, Hashable {
    /// The cited source entity (an article).
    public var id: String
    public var title: String?
    /// The name of the outlet that published it (its PUBLISHED_BY relation).
    public var publisher: String?
    /// Its publication date (the source entity's `date`).
    public var date: PartialDate?
    /// The grade of the claim that cites it.
    public var grade: Grading?
    /// The outlets the fact passed through before the cited source, nearest first.
    public var via: [String]
    /// The analyst's note.
    public var note: String?
    /// The claim (relation statement) that cites it.
    public var claim: Int64

    /// The fields as values, keyed by the names readers use.
    public var fields: [(String, Value)] {
        [("id", .string(id)), ("title", title.map(Value.string) ?? .null), ("publisher", publisher.map(Value.string) ?? .null),
         ("date", date.map(Value.date) ?? .null), ("grade", grade.map { .string($0.description) } ?? .null),
         ("via", .list(via.map(Value.string))), ("note", note.map(Value.string) ?? .null), ("claim", .int(claim))]
    }
}

extension Graph {
    /// When a source was published: its entity's `date` (or `published`), a date or a text
    /// that reads as one; nil when the KB does not say.
    public func publicationDate(ofSource key: String) -> PartialDate? {
        guard let n = lookup(key: key) else { return nil }
        for name in ["date", "published"] {
            switch node(n).property(name) {
            case .date(let d)?: return d
            case .string(let s)?: if let d = PartialDate(s) { return d }
            default: continue
            }
        }
        return nil
    }

    /// The sources of a fact, claim by claim, in claim order.
    public func sourceRecords(ofFact r: Int32) -> [SourceRecord] {
        citations(ofFact: r).map { claim, c in
            let rel = relationships[Int(claim)]
            var rec = SourceRecord(id: c.source, title: nil, publisher: nil, date: nil, grade: rel.grading,
                                   via: c.via, note: c.text, claim: rel.statement)
            if let n = lookup(key: c.source) {
                let node = self.node(n)
                rec.title = node.property("title")?.stringValue ?? node.name
                rec.date = publicationDate(ofSource: c.source)
                if let t = relationTypeIDs["PUBLISHED_BY"], let p = outgoing(n, type: t).first {
                    let pub = self.node(relationships[Int(p)].target)
                    rec.publisher = pub.name ?? pub.key
                }
            }
            return rec
        }
    }
}
