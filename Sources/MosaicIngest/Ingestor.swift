import Foundation
import MosaicGraph
import MosaicStore

/// Stores documents as sources: one transaction per document writes its Article entity
/// (title, date, url, reliability, language, publisher) as ordinary statements with origin
/// `cli:ingest`, its text (searchable) and its mentions and dates. The same bytes twice
/// change nothing; other bytes from the same path are a new version (a new Article). Bytes
/// whose Article kb/ declares (a kb/ingest file) but whose document the store lacks are stored
/// under that Article, which keeps its declaration.
public struct Ingestor {
    public let store: Store
    public var origin: Origin
    /// Built once from the store's graph when first needed (a batch shares it).
    private var linker: Linker?
    /// Articles of the graph whose id ends with a hash prefix (`…-cf99be01`), by that prefix:
    /// the sources kb/ingest files declare (built when first needed).
    private var articlesByHash: [String: [String]]?

    public init(store: Store, origin: Origin = .cli(command: "ingest")) {
        self.store = store
        self.origin = origin
    }

    public struct Result: Sendable {
        /// `reattached`: the document was stored under the source kb/ already declares for
        /// these bytes (a kb/ingest file kept in git, the store rebuilt from kb/).
        /// `restored`: the document was stored but its Article was gone (its kb/ingest file,
        /// which had taken it over, deleted): the Article is written again.
        public enum Status: String, Sendable { case ingested, unchanged, newVersion = "new version", reattached, restored }
        public var status: Status
        public var path: String
        public var source: String
        public var document: Int64
        public var mentions: [Mention]
        public var dates: [DateMention]
        public var transaction: Int64
    }

    /// What `ingest` would find in a document, without storing anything.
    public mutating func analyse(_ doc: Document) -> (mentions: [Mention], dates: [DateMention]) {
        if linker == nil { linker = Linker(gazetteer: Gazetteer(graph: store.graph)) }
        return (linker!.link(doc.text), DateFinder(published: doc.metadata.publishedDate).find(in: doc.text))
    }

    public mutating func ingest(_ given: Document) throws -> Result {
        var doc = given
        if let existing = try store.document(hash: doc.hash) {
            let graph = store.graph
            guard graph.lookup(key: existing.source) == nil else {
                return Result(status: .unchanged, path: doc.path, source: existing.source, document: existing.id,
                              mentions: [], dates: [], transaction: existing.transaction)
            }
            // The document is stored but its Article is gone (the kb/ingest file that had taken
            // it over was deleted): ingest writes the Article again.
            let publisher = doc.metadata.publisher.map { Ingestor.resolvePublisher($0, graph: graph) }
            let tx = try store.write(origin: origin, note: "ingest \(existing.path ?? doc.path): the Article again") { tx in
                try writeArticle(&tx, source: existing.source, doc: doc, node: nil, graph: graph, publisher: publisher)
            }
            return Result(status: .restored, path: doc.path, source: existing.source, document: existing.id,
                          mentions: [], dates: [], transaction: tx)
        }
        let storedPath = Ingestor.canonicalPath(doc.path)
        let previous = try store.latestDocument(path: storedPath)
        let graph = store.graph
        // The source kb/ declares for these bytes, if any: its declaration stands (its date
        // anchors the relative dates); ingest adds only what it lacks (a title the text holds,
        // which kb files do not copy).
        let declared = try declaredSource(hash: doc.hash)
        let node = declared.flatMap { graph.lookup(key: $0) }
        if let node, case .date(let d)? = graph.node(node).property("date") { doc.metadata.date = d.description }
        let (mentions, dates) = analyse(doc)
        let meta = doc.metadata
        let lacksPublisher = node.map { graph.outgoing($0, type: graph.relationTypeID("PUBLISHED_BY")).isEmpty } ?? true
        let publisher = lacksPublisher ? meta.publisher.map { Ingestor.resolvePublisher($0, graph: graph) } : nil
        let source = declared ?? Ingestor.sourceID(doc, publisher: publisher?.id, graph: graph)

        let tx = try store.write(origin: origin, note: "ingest \(storedPath)") { tx in
            try writeArticle(&tx, source: source, doc: doc, node: node, graph: graph, publisher: publisher)
            let id = try tx.insertDocument(NewDocument(hash: doc.hash, source: source, path: storedPath, format: doc.format.rawValue,
                                                       byteCount: doc.byteCount, bodyOffset: doc.bodyOffset, text: doc.text,
                                                       previous: previous?.id))
            var rows = mentions.map { DocumentAnnotation(kind: "mention", start: $0.start, end: $0.end, json: $0.json(document: source).rendered()) }
            rows += dates.map { DocumentAnnotation(kind: "date", start: $0.start, end: $0.end, json: $0.json(document: source).rendered()) }
            try tx.insertAnnotations(document: id, rows)
        }
        guard let stored = try store.document(hash: doc.hash) else { throw StoreError.conflict("the document was not stored") }
        return Result(status: declared != nil ? .reattached : previous == nil ? .ingested : .newVersion, path: doc.path, source: source,
                      document: stored.id, mentions: mentions, dates: dates, transaction: tx)
    }

    /// The Article's statements (and a new publisher's), each citing the article. `node`: the
    /// Article kb/ declares, which keeps its own values (only what it lacks is written).
    func writeArticle(_ tx: inout StoreTransaction, source: String, doc: Document, node: Int32?, graph: Graph, publisher: Publisher?) throws {
        let meta = doc.metadata
        let cite = [Citation(source: source)]
        let m = StatementMeta(sources: cite, origin: origin)
        func set(_ name: String, _ value: Value?) throws {
            guard let value, node.map({ graph.node($0).property(name) == nil }) ?? true else { return }
            try tx.assert(StatementDraft(subject: source, kind: .property(name: name, value: value), meta: m))
        }
        if node == nil { try tx.assert(StatementDraft(subject: source, kind: .entity(type: "Article"), meta: m)) }
        let title = meta.title ?? Ingestor.titleFromText(doc.text) ?? (doc.path as NSString).lastPathComponent
        try set("name", .string(title))
        try set("title", .string(title))
        try set("date", meta.publishedDate.map(Value.date))
        try set("url", meta.url.map(Value.string))
        try set("reliability", meta.reliability.map(Value.string))
        try set("language", meta.language.map(Value.string))
        if let publisher {
            if publisher.isNew {
                try tx.assert(StatementDraft(subject: publisher.id, kind: .entity(type: publisher.type), meta: m))
                try tx.assert(StatementDraft(subject: publisher.id, kind: .property(name: "name", value: .string(publisher.name)), meta: m))
            }
            try tx.assert(StatementDraft(subject: source, kind: .relation(type: "PUBLISHED_BY", target: publisher.id, properties: [:]), meta: m))
        }
    }

    /// The Article kb/ declares for a document with this hash and that has no stored document:
    /// its id ends with the hash's first 8 hex digits, as ingest made it (`PUBLISHER-DATE-HASH8`;
    /// the publisher and date may differ from this run's flags: the declaration's stand).
    mutating func declaredSource(hash: String) throws -> String? {
        if articlesByHash == nil {
            let graph = store.graph
            var index: [String: [String]] = [:]
            for n in graph.nodes(withLabel: "Article") {
                let key = graph.node(n).key
                let tail = key.suffix(9)
                guard tail.count == 9, tail.first == "-", tail.dropFirst().allSatisfy(\.isHexDigit) else { continue }
                index[String(tail.dropFirst()), default: []].append(key)
            }
            articlesByHash = index
        }
        for id in articlesByHash?[String(hash.prefix(8))] ?? [] where try store.document(source: id) == nil { return id }
        return nil
    }

    public static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The first non-empty line of a text, as a title (at most 200 characters).
    static func titleFromText(_ text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            var t = line.trimmingCharacters(in: .whitespaces)
            while t.hasPrefix("#") { t.removeFirst() }
            t = t.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { return String(t.prefix(200)) }
        }
        return nil
    }

    /// A readable, stable id: `PUBLISHER-DATE-HASH8` (`enab-baladi-2025-10-30-3fa9c2d1`),
    /// with `doc` and `undated` for what is unknown.
    public static func sourceID(_ doc: Document, publisher: String?, graph: Graph) -> String {
        let pub = publisher.map { graph.lookup(key: $0) != nil ? $0 : slug($0) }
        let date = doc.metadata.publishedDate?.description ?? "undated"
        var base = "\(pub.flatMap { $0.isEmpty ? nil : $0 } ?? "doc")-\(date)-\(doc.hash.prefix(8))"
        if graph.lookup(key: base) != nil { base += "-\(doc.hash.dropFirst(8).prefix(8))" }
        return base
    }

    public static func slug(_ s: String) -> String {
        let key = NameKey.normalize(s)
        var out = ""
        for ch in key.unicodeScalars {
            if ch.value < 0x80 && (ch.properties.isAlphabetic || ch.properties.numericType != nil) { out.unicodeScalars.append(ch) }
            else if ch == " " && !out.hasSuffix("-") { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(60))
    }

    struct Publisher { var id: String; var name: String; var type: String; var isNew: Bool }

    /// The publisher as an entity id: an existing id, an entity of that name (when only one
    /// bears it), or a new NewsOrganization (Organization when the KB has no such type).
    static func resolvePublisher(_ p: String, graph: Graph) -> Publisher {
        if let n = graph.lookup(key: p) { return Publisher(id: p, name: graph.node(n).name ?? p, type: graph.node(n).type, isNew: false) }
        let named = graph.nodes(named: p)
        if named.count == 1 { let n = graph.node(named[0]); return Publisher(id: n.key, name: p, type: n.type, isNew: false) }
        let type = graph.count(label: "NewsOrganization") > 0 ? "NewsOrganization" : "Organization"
        var id = slug(p)
        if id.isEmpty { id = "publisher" }
        var k = 2
        while graph.lookup(key: id) != nil { id = "\(slug(p))-\(k)"; k += 1 }
        return Publisher(id: id, name: p, type: type, isNew: true)
    }
}
