import Foundation
import MosaicGraph

// kb/ingest/<source-id>.yaml: the facts accepted in review from one ingested article, in the
// ordinary kb format (docs/kb-format.md), citing the article, each with a short note naming
// the extractor and the evidence as byte offsets into the stored document (never the
// article's words). New entities the facts need are declared in the same file, and so is the
// article itself (IngestedSource), so that kb/ loads without the store. Uses
// MosaicGraph (ids already taken, dates) and the graph's JSON string writer for quoting.

public struct IngestKBFile {
    public let workspace: URL
    public let source: String

    public init(workspace: URL, source: String) {
        self.workspace = workspace
        self.source = source
    }

    public var relativePath: String { "kb/ingest/\(source).yaml" }
    public var url: URL { workspace.appendingPathComponent(relativePath) }

    /// Appends accepted proposals (and the new entities they need) to the file, creating it
    /// when needed. `declaring`: the article as ingest recorded it (and the publisher ingest
    /// created), declared in the file when it does not declare it yet, so that kb/ alone loads.
    public func append(_ proposals: [Proposal], graph: Graph, declaring: IngestedSource? = nil) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var text = (try? String(contentsOf: url, encoding: .utf8)) ?? header()
        // Ids the file already declares.
        var declared: [String: String] = [:]   // NameKey(type:name) → id
        var taken: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("  - id: ") {
            taken.insert(String(line.dropFirst(8)).trimmingCharacters(in: .whitespaces))
        }
        var entityLines = ""
        var relationLines = ""
        if let decl = declaring, text.range(of: "\nsources:\n") == nil {
            // After the defaults, before the entities and relations.
            if let at = ["\nentities:\n", "\nrelations:\n"].compactMap({ text.range(of: $0)?.lowerBound }).min() {
                text.insert(contentsOf: decl.sourcesYAML() + "\n", at: text.index(after: at))
            } else {
                if !text.hasSuffix("\n\n") { text += "\n" }
                text += decl.sourcesYAML()
            }
            entityLines += decl.publisherYAML() ?? ""
        }
        func resolve(_ end: String, in p: Proposal) -> String {
            guard let ne = p.newEntities.first(where: { $0.id == end }) else { return end }
            let key = "\(ne.type):\(NameKey.normalize(ne.name))"
            if let id = declared[key] { return id }
            // an entity of that name and type the KB already holds (accepted earlier)
            for n in graph.nodes(named: ne.name) where graph.node(n).type == ne.type { declared[key] = graph.node(n).key; return graph.node(n).key }
            var base = Ingestor.slug(ne.name)
            if base.isEmpty { base = "entity" }
            var id = base
            var k = 2
            while graph.lookup(key: id) != nil || taken.contains(id) { id = "\(base)-\(k)"; k += 1 }
            taken.insert(id)
            declared[key] = id
            entityLines += "  - id: \(id)\n    type: \(ne.type)\n    name: \(IngestKBFile.quote(ne.name))\n"
            entityLines += "    note: \(IngestKBFile.quote("proposed by \(p.extractor) (proposal #\(p.id)), accepted in review"))\n"
            return id
        }
        for p in proposals {
            let from = resolve(p.from, in: p), to = resolve(p.to, in: p)
            var opts: [String] = ["subject: \(from)", "type: \(p.relation)", "object: \(to)"]
            if !p.properties.isEmpty {
                opts.append("props: {" + p.properties.sorted { $0.key < $1.key }.map { "\($0.key): \(IngestKBFile.quote($0.value))" }.joined(separator: ", ") + "}")
            }
            switch (p.validFrom, p.validTo) {
            case let (f?, t?) where f == t: opts.append("on: \(f)")
            default:
                if let f = p.validFrom { opts.append("since: \(f)") }
                if let t = p.validTo { opts.append("until: \(t)") }
            }
            if p.denied { opts.append("denied: true") }
            if p.times > 1 { opts.append("times: \(p.times)") }
            if !p.via.isEmpty { opts.append("via: [\(p.via.joined(separator: ", "))]") }
            if let g = p.grade { opts.append("grade: \(g)") }
            opts.append("confidence: \(String(format: "%.2f", p.confidence))")
            opts.append("note: \(IngestKBFile.quote(note(p)))")
            relationLines += "  - {\(opts.joined(separator: ", "))}\n"
        }
        if !entityLines.isEmpty {
            if let r = text.range(of: "\nrelations:\n") {
                if text.range(of: "\nentities:\n") == nil { entityLines = "entities:\n" + entityLines }
                text.insert(contentsOf: entityLines, at: text.index(after: r.lowerBound))
            } else {
                if text.range(of: "\nentities:\n") == nil { text += "\nentities:\n" }
                text += entityLines
            }
        }
        if !relationLines.isEmpty {
            if text.range(of: "\nrelations:\n") == nil { text += "\nrelations:\n" }
            if !text.hasSuffix("\n") { text += "\n" }
            text += relationLines
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The analyst's note: the extractor, its own short note, and where the evidence is.
    func note(_ p: Proposal) -> String {
        var s = "#\(p.id) \(p.extractor)"
        if let n = p.note { s += ": \(n)" }
        let spans = p.evidence.map { "\($0.start)-\($0.end)" }
        s += "; evidence at bytes " + (spans.isEmpty ? "\(p.sentence.start)-\(p.sentence.end)" : spans.joined(separator: ", "))
        s += " (sentence \(p.sentence.start)-\(p.sentence.end)) of the stored document"
        return s
    }

    func header() -> String {
        """
        # Facts accepted in review (mosaic review) from the ingested article \(source).
        # Notes give the extractor and the evidence as UTF-8 byte offsets into the stored document's
        # text (mosaic mentions \(source) lists its names with the same offsets).
        # The article (and its publisher, when ingest created it) is declared below as mosaic ingest
        # recorded it, so that kb/ loads on its own; loaded into the store ingest wrote, this
        # declaration takes over ingest's statements (docs/ingest.md).
        defaults:
          source: \(source)

        """
    }

    /// A double-quoted YAML scalar (JSON's escaping is valid YAML).
    static func quote(_ s: String) -> String {
        var out = ""
        Value.writeJSONString(s, into: &out)
        return out
    }
}
