import Foundation
import MosaicGraph
import MosaicStore

// The Article `mosaic ingest` wrote for a document (and the publisher it created, if it did),
// read back from its `cli:ingest` statements and written as a kb declaration: the `sources:`
// entry and the publisher's `entities:` entry a kb/ingest file carries, so that kb/ alone loads
// (after `mosaic load --rebuild`, on a fresh clone). Loading the declaration into the store that
// holds ingest's statements takes them over (MosaicKB's IngestTakeOver): one Article, one value
// per property.

public struct IngestedSource: Sendable {
    public var id: String
    public var type: String
    /// The Article's properties as ingest recorded them (name, title, date, url, reliability,
    /// language, in that order).
    public var properties: [(name: String, value: Value)]
    /// The title's byte span in the stored text when the text holds it (the first line ingest
    /// took it from, a headline repeated in the body): the article's own words, which kb files
    /// do not copy (it stays ingest's statement).
    public var titleInText: (start: Int, end: Int)?
    public var publisher: String?
    /// The publisher when ingest created it (not declared anywhere in kb/): declared too.
    public var newPublisher: (id: String, type: String, name: String?)?

    static let order = ["name", "title", "date", "url", "reliability", "language"]
    /// The source keys of the kb format; other properties go under `props:`.
    static let sourceKeys: Set<String> = ["title", "date", "url", "reliability", "language", "name", "aliases"]

    /// The declaration of `source`, or nil when ingest did not make that Article (a kb file
    /// declares it already).
    public init?(source: String, store: Store, origin: Origin = .cli(command: "ingest")) throws {
        let mine = try store.statements(subject: source).filter { $0.meta.origin == origin }
        guard case .entity(let type)? = mine.first(where: { if case .entity = $0.kind { return true } else { return false } })?.kind else { return nil }
        id = source
        self.type = type
        var props: [String: Value] = [:]
        for s in mine {
            switch s.kind {
            case .property(let name, let value): props[name] = value
            case .relation("PUBLISHED_BY", let target, _): publisher = target
            default: break
            }
        }
        if case .string(let title)? = props["title"], let doc = try store.document(source: source),
           let r = doc.text.range(of: title) {
            let start = doc.text.utf8.distance(from: doc.text.startIndex, to: r.lowerBound)
            titleInText = (start, start + title.utf8.count)
            props["title"] = nil
            if props["name"] == .string(title) { props["name"] = nil }
        } else if props["name"] == props["title"] {
            props["name"] = nil  // the kb format makes the title the name
        }
        properties = IngestedSource.order.compactMap { k in props[k].map { (k, $0) } }
            + props.keys.filter { !IngestedSource.order.contains($0) }.sorted().map { ($0, props[$0]!) }
        if let p = publisher {
            let made = try store.statements(subject: p).filter { $0.meta.origin == origin }
            if case .entity(let t)? = made.first(where: { if case .entity = $0.kind { return true } else { return false } })?.kind {
                var name: String?
                for s in made { if case .property("name", .string(let n)) = s.kind { name = n } }
                newPublisher = (p, t, name)
            }
        }
    }

    /// The `sources:` section declaring the Article.
    public func sourcesYAML() -> String {
        var out = "sources:\n  - id: \(id)\n"
        if type != "Article" { out += "    type: \(type)\n" }
        if let (s, e) = titleInText {
            out += "    # title: not copied here: the article's own words (bytes \(s)-\(e) of the stored document); kb files hold no text of the article\n"
        }
        if let p = publisher { out += "    publisher: \(p)\n" }
        var extra: [(String, Value)] = []
        for (name, value) in properties {
            if IngestedSource.sourceKeys.contains(name) { out += "    \(name): \(IngestedSource.yaml(value))\n" } else { extra.append((name, value)) }
        }
        if !extra.isEmpty { out += "    props: {" + extra.map { "\($0.0): \(IngestedSource.yaml($0.1))" }.joined(separator: ", ") + "}\n" }
        return out
    }

    /// The publisher's `entities:` entry, when ingest created it.
    public func publisherYAML() -> String? {
        guard let p = newPublisher else { return nil }
        var out = "  - id: \(p.id)\n    type: \(p.type)\n"
        if let n = p.name { out += "    name: \(IngestKBFile.quote(n))\n" }
        out += "    note: \(IngestKBFile.quote("the publisher, as mosaic ingest created it for \(id)"))\n"
        return out
    }

    /// A value as kb YAML: strings quoted, dates bare (the schema types them), others as JSON.
    static func yaml(_ v: Value) -> String {
        switch v {
        case .string(let s): IngestKBFile.quote(s)
        case .date(let d): d.description
        default: v.encoded
        }
    }
}
