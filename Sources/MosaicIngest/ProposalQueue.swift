import Foundation
import MosaicGraph
import MosaicPlugins
import MosaicStore

// The review queue: extracting proposals for a stored document (at ingest, or again with
// `--reextract`), listing the pending ones against the KB as it is now (a proposal that
// repeats a known fact "adds a source to #N"), and reviewing them: accept (the fact is
// appended to kb/ingest/<source-id>.yaml), reject (remembered: not proposed again for the
// same file), edit. Uses MosaicStore (documents, proposals), MosaicPlugins (the extractors'
// runner) and IngestKBFile (the kb file).

public struct ProposalQueue {
    public let store: Store
    /// The workspace folder (kb/ingest/ is written there).
    public let workspace: URL
    public var extractors: ExtractorRunner?

    public init(store: Store, workspace: URL, extractors: ExtractorRunner? = nil) {
        self.store = store
        self.workspace = workspace
        self.extractors = extractors
    }

    /// The documents a rejection holds for: the file's path (its new versions share it), else the source.
    static func scope(_ d: StoredDocument) -> String { d.path ?? d.source }

    public struct Extraction: Sendable {
        public var source: String
        /// Stored as pending.
        public var proposed: Int
        /// Left out: rejected or accepted before for this file, or held by the KB from this article.
        public var skipped: Int
        public var failures: [PluginError]
        public var extractors: [String]
    }

    /// Runs the extractors over a stored document and stores their proposals as pending,
    /// leaving out those rejected (or accepted) before for the same file. `replacing`: the
    /// document's pending proposals are superseded first (a re-extraction).
    @discardableResult
    public func extract(_ document: StoredDocument, mentions: [Mention], dates: [DateMention], replacing: Bool = false) throws -> Extraction {
        guard let extractors else { return Extraction(source: document.source, proposed: 0, skipped: 0, failures: [], extractors: []) }
        let graph = store.graph
        var input = ExtractionInput(source: document.source, text: document.text, mentions: mentions, dates: dates)
        if let n = graph.lookup(key: document.source) {
            let node = graph.node(n)
            input.title = node.property("title")?.stringValue
            input.published = node.property("date").flatMap { if case .date(let d) = $0 { return d } else { return nil } }
            input.reliability = node.property("reliability")?.stringValue
            for r in graph.outgoing(n, type: graph.relationTypeID("PUBLISHED_BY")) {
                input.publisher = graph.node(graph.relationship(r).target).key
            }
        }
        let out = extractors.run(input, graph: graph)
        let scope = ProposalQueue.scope(document)
        let done = try store.proposalKeys(scope: scope, status: .rejected).union(store.proposalKeys(scope: scope, status: .accepted))
        // Left out too: facts the KB holds from this very article (its kb/ingest file, when the
        // document is ingested again into a store rebuilt from kb/).
        let kept = out.proposals.filter { !done.contains($0.key) && !ProposalQueue.heldFact($0, citing: document.source, graph: graph) }
        let pending = replacing ? try store.proposals(status: .pending, document: document.id).map(\.id) : []
        try store.write(origin: .cli(command: "ingest"), note: "proposals for \(document.source)") { tx in
            if !pending.isEmpty { try tx.setProposalStatus(pending, .superseded) }
            let ids = try tx.insertProposals(document: document.id, scope: scope, kept.map { NewProposal(key: $0.key, json: $0.json().rendered()) })
            // the stored JSON carries its id
            for (id, p) in zip(ids, kept) {
                var q = p
                q.id = id
                try tx.updateProposal(id, key: q.key, json: q.json().rendered())
            }
        }
        return Extraction(source: document.source, proposed: kept.count, skipped: out.proposals.count - kept.count,
                          failures: out.failures, extractors: out.extractors)
    }

    /// Re-links a stored document against the KB as it is now and extracts again: its
    /// pending proposals are superseded (the stored mentions stay as they were at ingest).
    public func reextract(source: String) throws -> Extraction {
        guard let d = try store.document(source: source) else {
            throw IngestError.review("no ingested document '\(source)' (mosaic ingest stores one; its source id is printed then)")
        }
        let graph = store.graph
        var published: PartialDate?
        if let n = graph.lookup(key: source), case .date(let p)? = graph.node(n).property("date") { published = p }
        let mentions = Linker(gazetteer: Gazetteer(graph: graph)).link(d.text)
        let dates = DateFinder(published: published).find(in: d.text)
        return try extract(d, mentions: mentions, dates: dates, replacing: true)
    }

    // MARK: - Listing

    /// Proposals of a status (pending by default) with `repeats` filled from the KB now.
    public func list(status: StoredProposal.Status? = .pending, document: Int64? = nil) throws -> [Proposal] {
        let graph = store.graph
        return try store.proposals(status: status, document: document).compactMap { row in
            guard var p = Proposal(json: row.json) else { return nil }
            p.id = row.id
            p.status = row.status.rawValue
            p.repeats = ProposalQueue.knownFact(p, graph: graph)
            return p
        }
    }

    /// The statement id of a believed fact the proposal repeats: same ends, type, properties
    /// and compatible valid time (a denial: the fact it would dispute).
    public static func knownFact(_ p: Proposal, graph: Graph) -> Int64? {
        knownFacts(p, graph: graph).first.map { graph.relationship($0).statement }
    }

    /// Whether the KB holds the proposal's fact already citing `source` (the same article):
    /// accepted before, into a kb/ingest file that outlived the store (`mosaic load --rebuild`).
    public static func heldFact(_ p: Proposal, citing source: String, graph: Graph) -> Bool {
        !p.denied && knownFacts(p, graph: graph).contains { r in graph.citations(ofFact: r).contains { $0.citation.source == source } }
    }

    /// The believed facts (their relationships) the proposal repeats, as `knownFact` says.
    static func knownFacts(_ p: Proposal, graph: Graph) -> [Int32] {
        guard let a = graph.lookup(key: p.from), graph.lookup(key: p.to) != nil, let type = graph.relationTypeID(p.relation) else { return [] }
        var out: [Int32] = []
        for r in graph.outgoing(a, type: type) {
            let rel = graph.relationship(r)
            guard rel.believed, graph.node(rel.target).key == p.to else { continue }
            let props = graph.properties(ofRelationship: r).filter { $0.key != "denied" }
            guard props.count == p.properties.count,
                  p.properties.allSatisfy({ props[$0.key] == .string($0.value) }) else { continue }
            let v = graph.validity(ofFact: r)
            if compatible(v.from, p.validFrom) && compatible(v.to, p.validTo) { out.append(r) }
        }
        return out
    }

    /// Two bounds are compatible when equal, one is open, or one lies inside the other.
    public static func compatible(_ a: PartialDate?, _ b: PartialDate?) -> Bool {
        guard let a, let b else { return true }
        return a == b || a.contains(b) || b.contains(a)
    }

    // MARK: - Reviewing

    public struct Accepted: Sendable {
        /// kb files written (relative to the workspace).
        public var files: [String]
        public var proposals: [Int64]
    }

    /// Accepts pending proposals: each document's accepted facts are appended to
    /// kb/ingest/<source-id>.yaml (new entities they need declared there), `load` loads kb/,
    /// and they are marked accepted. When `load` throws (the facts do not fit the schema, say),
    /// the files are put back as they were and nothing is marked.
    public func accept(_ ids: [Int64], load: () throws -> Void = {}) throws -> Accepted {
        let rows = try pendingRows(ids)
        var bySource: [String: [Proposal]] = [:]
        for row in rows {
            guard var p = Proposal(json: row.json) else { continue }
            p.id = row.id
            bySource[p.document, default: []].append(p)
        }
        var files: [String] = []
        var before: [(URL, String?)] = []
        // A publisher ingest created is declared once, in the first file that needs it.
        var publishers: Set<String> = []
        do {
            for (source, list) in bySource.sorted(by: { $0.key < $1.key }) {
                let file = IngestKBFile(workspace: workspace, source: source)
                before.append((file.url, try? String(contentsOf: file.url, encoding: .utf8)))
                var decl = try IngestedSource(source: source, store: store)
                if let p = decl?.newPublisher?.id, !publishers.insert(p).inserted { decl?.newPublisher = nil }
                try file.append(list.sorted { $0.id < $1.id }, graph: store.graph, declaring: decl)
                files.append(file.relativePath)
            }
            try load()
        } catch {
            for (url, text) in before {
                if let text { try? text.write(to: url, atomically: true, encoding: .utf8) } else { try? FileManager.default.removeItem(at: url) }
            }
            throw error
        }
        let accepted = rows.map(\.id)
        try store.write(origin: .cli(command: "review"), note: "accept \(accepted.map { "#\($0)" }.joined(separator: " "))") { tx in
            try tx.setProposalStatus(accepted, .accepted, json: Dictionary(uniqueKeysWithValues: rows.map { row in
                var p = Proposal(json: row.json)!
                p.status = "accepted"
                return (row.id, p.json().rendered())
            }))
        }
        return Accepted(files: files, proposals: accepted)
    }

    /// Rejects pending proposals; they are not proposed again for the same file.
    public func reject(_ ids: [Int64]) throws -> [Int64] {
        let rows = try pendingRows(ids)
        try store.write(origin: .cli(command: "review"), note: "reject \(rows.map { "#\($0.id)" }.joined(separator: " "))") { tx in
            try tx.setProposalStatus(rows.map(\.id), .rejected, json: Dictionary(uniqueKeysWithValues: rows.map { row in
                var p = Proposal(json: row.json)!
                p.status = "rejected"
                return (row.id, p.json().rendered())
            }))
        }
        return rows.map(\.id)
    }

    /// Changes a pending proposal before accepting it: its relation, ends, dates, denial or
    /// confidence. The new ends must be entities (or the proposal's new entities).
    public struct Edit: Sendable {
        public var relation: String?
        public var from: String?
        public var to: String?
        public var on: String?
        public var since: String?
        public var until: String?
        public var denied: Bool?
        public var confidence: Double?
        public init(relation: String? = nil, from: String? = nil, to: String? = nil, on: String? = nil, since: String? = nil,
                    until: String? = nil, denied: Bool? = nil, confidence: Double? = nil) {
            self.relation = relation; self.from = from; self.to = to; self.on = on; self.since = since; self.until = until
            self.denied = denied; self.confidence = confidence
        }
    }

    public func edit(_ id: Int64, _ e: Edit) throws -> Proposal {
        guard let row = try pendingRows([id]).first, var p = Proposal(json: row.json) else { throw IngestError.review("no pending proposal #\(id)") }
        p.id = id
        let graph = store.graph
        func end(_ v: String) throws -> String {
            guard v == p.document || graph.lookup(key: v) != nil || p.newEntities.contains(where: { $0.id == v }) else {
                throw IngestError.review("#\(id): '\(v)' is not an entity id of the KB (or one of the proposal's new entities)")
            }
            return v
        }
        func date(_ v: String, _ flag: String) throws -> PartialDate {
            guard let d = PartialDate(v) else { throw IngestError.review("#\(id): \(flag) '\(v)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") }
            return d
        }
        if let r = e.relation {
            guard !r.isEmpty, !r.contains(where: \.isWhitespace) else { throw IngestError.review("#\(id): '\(r)' is not a relation type") }
            p.relation = r
        }
        if let f = e.from { p.from = try end(f) }
        if let t = e.to { p.to = try end(t) }
        if let on = e.on { let d = try date(on, "--on"); p.validFrom = d; p.validTo = d }
        if let s = e.since { p.validFrom = try date(s, "--since") }
        if let u = e.until { p.validTo = try date(u, "--until") }
        if let d = e.denied { p.denied = d }
        if let c = e.confidence {
            guard (0...1).contains(c) else { throw IngestError.review("#\(id): a confidence is from 0 to 1") }
            p.confidence = c
            if let g = p.grade { p.grade = Proposal.grade(reliability: String(g.reliabilityLetter), confidence: c) }
        }
        p.newEntities = p.newEntities.filter { ne in p.from == ne.id || p.to == ne.id }
        p.extractor += p.extractor.hasSuffix(" (edited)") ? "" : " (edited)"
        let edited = p
        try store.write(origin: .cli(command: "review"), note: "edit #\(id)") { tx in
            try tx.updateProposal(id, key: edited.key, json: edited.json().rendered())
        }
        return edited
    }

    private func pendingRows(_ ids: [Int64]) throws -> [StoredProposal] {
        let rows = try store.proposals(ids: ids)
        for id in ids where !rows.contains(where: { $0.id == id }) { throw IngestError.review("no proposal #\(id) (mosaic review lists the pending ones)") }
        for r in rows where r.status != .pending { throw IngestError.review("proposal #\(r.id) is \(r.status.rawValue), not pending") }
        return rows
    }
}
