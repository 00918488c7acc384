import Foundation
import MosaicGraph
import MosaicStore

/// An entity as `mosaic show` prints it: properties, relations both ways with dates,
/// grading and confidence, and numbered citations of the articles behind each fact.
struct EntityCard {
    struct Fact {
        var statement: Int64
        var text: String
        var meta: StatementMeta
        var citations: [Int]
        var json: Value
        /// For a relation: its claims, corroboration and disputes (docs/facts.md).
        var claims: [Int64] = []
        var corroboration = 0
        var disputed = false
    }

    let key: String
    let graph: Graph
    var title = ""
    var properties: [Fact] = []
    var outgoing: [Fact] = []
    var incoming: [Fact] = []
    var notes: [(number: Int, citation: Citation)] = []

    /// Builds the card from the store's statements believed at the graph's transaction. The
    /// relations towards the entity are asked for by the subjects the graph says they come from
    /// (the statement table has no index of objects: at 1M entities a scan of 9M statements was
    /// most of `mosaic show`); a graph read by other clocks (`--known-by`, `--valid-at`) holds
    /// only some of them, so the card then reads them all (`scanTowards` forces that, for tests).
    init(key: String, graph: Graph, store: Store, scanTowards: Bool = false) throws {
        self.key = key
        self.graph = graph
        guard let node = graph.lookup(key: key) else {
            let similar = graph.nodes(named: key).map { graph.node($0).key }
            throw CLIError("error: no entity '\(key)'" + (similar.isEmpty ? "; `mosaic query` or `mosaic stats` lists what there is" : "; did you mean \(similar.prefix(5).joined(separator: ", "))?"))
        }
        let n = graph.node(node)
        title = "\(n.name ?? key)  (\(n.labels.joined(separator: ", ")); id \(key))"
        let tx = graph.transaction
        func believed(_ s: Statement) -> Bool { s.txFrom <= tx && (s.txTo == nil || s.txTo! > tx) }
        let about = try store.statements(subject: key, includeRetracted: true).filter(believed)
        let sources = graph.clockView != nil || scanTowards ? nil : graph.sourcesOfRelationships(to: node)
        // (each subject costs a walk of its statements in the index: past about a thousandth of
        // the statements, a hub's card reads faster by the scan; 1M entities, 9M statements:
        // 0.15 s against 0.6 s for an entity with a few sources, 1.9 s against 1.2 s for a
        // country with 41,154)
        var towards: [Statement]
        if let sources, sources.count <= max(64, Int(graph.nextStatementID) / 1_000) {
            towards = try store.statements(object: key, subjects: sources.map { graph.key(ofNode: $0) }, includeRetracted: true)
        } else {
            towards = try store.statements(object: key, includeRetracted: true)
        }
        towards = towards.filter(believed)
        var numbers: [Citation: Int] = [:]
        // (collected in a local array and stored at the end: appended to the stored property
        // from this closure, each append copied the whole list, for an entity with thousands
        // of sources thousands of times)
        var cited: [(number: Int, citation: Citation)] = []
        defer { notes = cited }
        func cite(_ m: StatementMeta) -> [Int] {
            m.sources.map { c in
                if let n = numbers[c] { return n }
                let n = numbers.count + 1
                numbers[c] = n
                cited.append((n, c))
                return n
            }
        }
        func name(_ k: String) -> String {
            guard let i = graph.lookup(key: k) else { return k }
            return graph.node(i).name.map { "\($0) [\(k)]" } ?? k
        }
        for s in about {
            switch s.kind {
            case .property(let p, let v):
                // Two sources giving the same value are one line citing both (a property fact).
                if let i = properties.firstIndex(where: { $0.json == .map(["property": .string(p), "value": v]) }) {
                    properties[i].citations += cite(s.meta).filter { !properties[i].citations.contains($0) }
                    properties[i].claims = (properties[i].claims.isEmpty ? [properties[i].statement] : properties[i].claims) + [s.id]
                    properties[i].meta.sources += s.meta.sources
                    let origins = Set(properties[i].meta.sources.map(\.origin)).count
                    properties[i].corroboration = origins
                    properties[i].meta.grading = Graph.combine([properties[i].meta.grading, s.meta.grading].compactMap { $0 }, corroboration: origins)
                    continue
                }
                properties.append(Fact(statement: s.id, text: "\(p): \(display(v))", meta: s.meta, citations: cite(s.meta),
                                       json: .map(["property": .string(p), "value": v])))
            case .relation(let t, let target, let props):
                guard var f = fact(s, text: "\(t) → \(name(target))", props: props, cite: cite) else { continue }
                f.json = .map(["type": .string(t), "to": .string(target), "properties": .map(props)])
                outgoing.append(f)
            default: continue
            }
        }
        for s in towards {
            guard case .relation(let t, _, let props) = s.kind,
                  var f = fact(s, text: "\(name(s.subject)) → \(t)", props: props, cite: cite) else { continue }
            f.json = .map(["type": .string(t), "from": .string(s.subject), "properties": .map(props)])
            incoming.append(f)
        }
    }

    /// A relation statement as the card shows it: one line per fact (a claim folded into
    /// another fact is shown there), with the fact's valid time, grade and every source; a
    /// denial as "denied by". nil for a claim the graph does not hold (another view).
    private func fact(_ s: Statement, text: String, props: [String: Value], cite: (StatementMeta) -> [Int]) -> Fact? {
        guard let r = graph.relationship(statement: s.id) else { return nil }
        let rel = graph.relationship(r)
        if rel.folded && graph.fact(ofClaim: r) == nil && rel.believed {
            return Fact(statement: s.id, text: "DENIED: " + text + propsText(props.filter { $0.key != "denied" }),
                        meta: s.meta, citations: cite(s.meta), json: .null)
        }
        guard rel.alive else { return nil }
        var meta = s.meta
        let v = graph.validity(ofFact: r)
        meta.validFrom = v.from; meta.validTo = v.to
        meta.grading = graph.grading(ofFact: r)
        meta.confidence = graph.confidence(ofFact: r)
        meta.sources = graph.citations(ofFact: r).map(\.citation)
        let claims = graph.claims(ofFact: r).map { graph.relationship($0).statement }
        return Fact(statement: s.id, text: text + propsText(props), meta: meta, citations: cite(meta), json: .null,
                    claims: claims, corroboration: graph.corroboration(ofFact: r), disputed: graph.isDisputed(r))
    }

    private func propsText(_ p: [String: Value]) -> String {
        p.isEmpty ? "" : " {" + p.keys.sorted().map { "\($0): \(display(p[$0]!))" }.joined(separator: ", ") + "}"
    }

    func display(_ v: Value) -> String {
        switch v {
        case .list(let l): return l.map(display).joined(separator: ", ")
        default: return v.description
        }
    }

    static func metaText(_ m: StatementMeta) -> String {
        var parts: [String] = []
        if let when = Graph.validityText(m.validFrom, m.validTo) {
            parts.append(m.validFrom != nil && m.validFrom == m.validTo ? "on \(when)" : when)
        }
        if let g = m.grading { parts.append(g.description) }
        parts.append(String(format: "conf %.2f", m.effectiveConfidence))
        return parts.joined(separator: ", ")
    }

    func sourceLine(_ c: Citation) -> String {
        var line = c.source
        if let a = graph.lookup(key: c.source) {
            let n = graph.node(a)
            var bits = ["\(n.properties["title"]?.description ?? n.name ?? c.source)"]
            if let pubKey = graph.outgoing(a, type: graph.relationTypeID("PUBLISHED_BY")).first.map({ graph.relationship($0).target }) {
                bits.append(graph.node(pubKey).name ?? graph.node(pubKey).key)
            }
            if let d = n.properties["date"] ?? n.properties["published"] { bits.append(d.description) }
            if let r = n.properties["reliability"] { bits.append("reliability \(r.description)") }
            line = bits.joined(separator: " — ") + " [\(c.source)]"
        }
        if !c.via.isEmpty {
            line += ", relaying " + c.via.map { v in graph.lookup(key: v).flatMap { graph.node($0).name } ?? v }.joined(separator: " ← ")
        }
        if let note = c.text { line += ". Note: \(note)" }
        return line
    }

    var text: String {
        var out = [title, String(repeating: "=", count: min(78, title.count))]
        func section(_ name: String, _ facts: [Fact]) {
            guard !facts.isEmpty else { return }
            out.append("")
            out.append(name)
            for f in facts {
                let cites = f.citations.map { "[\($0)]" }.joined()
                var extra = ""
                if f.claims.count > 1 { extra += ", \(f.claims.count) claims (\(f.claims.map { "#\($0)" }.joined(separator: " "))), corroboration \(f.corroboration)" }
                if f.disputed { extra += ", DISPUTED" }
                out.append("  \(f.text)  (\(EntityCard.metaText(f.meta))\(extra))\(cites.isEmpty ? "" : " " + cites)  #\(f.statement)")
            }
        }
        section("Properties", properties)
        section("Relations out", outgoing)
        section("Relations in", incoming)
        if !notes.isEmpty {
            out.append("")
            out.append("Sources")
            for (n, c) in notes { out.append("  [\(n)] \(sourceLine(c))") }
        }
        return out.joined(separator: "\n")
    }

    var json: Value {
        func facts(_ fs: [Fact]) -> Value {
            .list(fs.map { f in
                guard case .map(var m) = f.json else { return f.json }
                m["statement"] = .int(f.statement)
                m["valid_from"] = f.meta.validFrom.map(Value.date) ?? .null
                m["valid_to"] = f.meta.validTo.map(Value.date) ?? .null
                m["grading"] = f.meta.grading.map { .string($0.description) } ?? .null
                m["confidence"] = .float(f.meta.effectiveConfidence)
                m["citations"] = .list(f.citations.map { .int(Int64($0)) })
                m["origin"] = .string(f.meta.origin.description)
                if f.text.hasPrefix("DENIED: ") { m["denied"] = .bool(true) }
                if !f.claims.isEmpty {
                    m["claims"] = .list(f.claims.map(Value.int))
                    m["corroboration"] = .int(Int64(f.corroboration))
                    m["disputed"] = .bool(f.disputed)
                }
                return .map(m)
            })
        }
        let n = graph.node(graph.lookup(key: key)!)
        return .map([
            "id": .string(key), "labels": .list(n.labels.map(Value.string)), "name": n.name.map(Value.string) ?? .null,
            "properties": facts(properties), "outgoing": facts(outgoing), "incoming": facts(incoming),
            "sources": .list(notes.map { .map(["number": .int(Int64($0.number)), "source": .string($0.citation.source),
                                               "note": $0.citation.note.map(Value.string) ?? .null, "text": .string(sourceLine($0.citation))]) }),
        ])
    }
}
