import Foundation
import MosaicGraph
import MosaicStore

/// What changed between two transactions, at the level of facts (docs/facts.md): for
/// `changes()` in reports and `mosaic changes`. From the statements the store asserted and
/// retracted in between, read against the graph at the later transaction:
/// - `new`: a fact none of whose claims was known before;
/// - `support`: a new claim for a fact already known (corroboration before → after);
/// - `refined` / `corrected`: the fact's valid time changed (a new, more precise claim, or a
///   claim replaced by one with other dates), shown as old → new;
/// - `disputed`: a new denial or a new conflict;
/// - `withdrawn`: a fact whose last claim was retracted.
/// Bookkeeping is not news: statements about sources (an article's title or url), about
/// relations (`#id.property`), and labels.
public struct FactChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case new, support, refined, corrected, disputed, withdrawn, property }
    public var kind: Kind
    /// The statement that made the change (the fact's, for a fact).
    public var statement: Int64
    public var subject: String
    public var predicate: String
    public var object: String?
    public var validFrom: PartialDate?
    /// The change in words, for a briefing line.
    public var text: String

    /// The changes after transaction `since` up to the graph's transaction.
    public static func between(store: Store, graph: Graph, since: Int64) throws -> [FactChange] {
        let (added, retracted) = try store.changes(since: since, until: graph.transaction)
        var out: [FactChange] = []
        var seenFacts: Set<Int32> = []
        // Sources and the outlets behind them (publishers, `via` chains) are bookkeeping.
        var cited: Set<String> = []
        for i in graph.relationships.indices where graph.relationships[i].believed {
            for c in graph.sources(ofRelationship: Int32(i)) { cited.insert(c.source); cited.formUnion(c.via) }
        }
        if let pub = graph.relationTypeID("PUBLISHED_BY") {
            for key in Array(cited) {
                guard let n = graph.lookup(key: key) else { continue }
                for r in graph.outgoing(n, type: pub) { cited.insert(graph.node(graph.relationship(r).target).key) }
            }
        }
        // An entity new in this window is one line; its properties are not news of their own.
        let newEntities = Set(added.compactMap { s -> String? in if case .entity = s.kind { return s.subject }; return nil })
        func name(_ key: String) -> String { graph.lookup(key: key).flatMap { graph.node($0).name } ?? key }
        func words(_ r: Int32) -> String {
            let rel = graph.relationship(r)
            return "\(name(graph.node(rel.source).key)) \(graph.typeName(of: r)) \(name(graph.node(rel.target).key))"
        }
        func dates(_ v: (from: PartialDate?, to: PartialDate?)) -> String { Graph.validityText(v.from, v.to) ?? "undated" }
        // Computed once, when a denial is among the changes.
        var allConflicts: [FactConflict]?
        func change(_ kind: Kind, _ r: Int32, _ text: String) -> FactChange {
            let rel = graph.relationship(r)
            return FactChange(kind: kind, statement: rel.statement, subject: graph.node(rel.source).key, predicate: graph.typeName(of: r),
                              object: graph.node(rel.target).key, validFrom: graph.validity(ofFact: r).from, text: text)
        }
        // Claims replaced in this window (retracted, and a claim of the same ends, type and
        // sources asserted): a correction, not a withdrawal plus a new fact.
        var replaced: [String: MosaicGraph.Statement] = [:]
        func replaceKey(_ s: MosaicGraph.Statement) -> String? {
            guard case .relation(let t, let target, _) = s.kind else { return nil }
            return "\(s.subject)\u{0}\(t)\u{0}\(target)\u{0}\(s.meta.sources.map(\.source).sorted())"
        }
        for s in retracted { if let k = replaceKey(s) { replaced[k] = s } }

        for s in added {
            switch s.kind {
            case .relation:
                if cited.contains(s.subject) { continue }
                guard let r = graph.relationship(statement: s.id) else { continue }
                let rel = graph.relationship(r)
                if !rel.alive && rel.folded && graph.fact(ofClaim: r) == nil {
                    // A new denial.
                    let conflicts = allConflicts ?? graph.conflicts()
                    allConflicts = conflicts
                    let denied = conflicts.filter { $0.kind == .denial && $0.other == r }
                    for c in denied where c.fact != c.other {
                        out.append(change(.disputed, c.fact, "\(words(c.fact)) is denied by \(s.meta.sources.map(\.source).joined(separator: ", "))"))
                    }
                    continue
                }
                guard let f = graph.fact(ofClaim: r), seenFacts.insert(f).inserted else { continue }
                let claims = graph.claims(ofFact: f)
                let older = claims.filter { graph.relationship($0).txFrom <= since }
                let now = dates(graph.validity(ofFact: f))
                if let k = replaceKey(s), let old = replaced.removeValue(forKey: k) {
                    let before = dates((old.meta.validFrom, old.meta.validTo))
                    out.append(change(before == now ? .support : .corrected, f, "\(words(f)): \(before) → \(now)"))
                    continue
                }
                if older.isEmpty {
                    out.append(change(.new, f, "\(words(f)) (\(now))"))
                    for c in graph.conflicts(of: f) { out.append(change(.disputed, f, graph.reason(c))) }
                    continue
                }
                let originsBefore = Set(older.filter { !graph.origin(ofRelationship: $0).isDerived }
                    .flatMap { graph.sources(ofRelationship: $0).map(\.origin) }).count
                let originsNow = graph.corroboration(ofFact: f)
                var datesBefore: (from: PartialDate?, to: PartialDate?) = (nil, nil)
                for c in older {
                    datesBefore.from = Graph.narrower(datesBefore.from, graph.relationship(c).validFrom)
                    datesBefore.to = Graph.narrower(datesBefore.to, graph.relationship(c).validTo)
                }
                if dates(datesBefore) != now {
                    out.append(change(.refined, f, "\(words(f)): \(dates(datesBefore)) → \(now)"))
                }
                out.append(change(.support, f, "\(words(f)): new source \(s.meta.sources.map(\.source).joined(separator: ", ")), corroboration \(originsBefore) → \(originsNow)"))
            case .property(let p, let v):
                // Bookkeeping about sources (titles, urls, dates) is not news.
                if cited.contains(s.subject) || newEntities.contains(s.subject) { continue }
                out.append(FactChange(kind: .property, statement: s.id, subject: s.subject, predicate: p, object: nil,
                                      validFrom: s.meta.validFrom, text: "\(name(s.subject)): \(p) = \(v)"))
            case .entity(let type):
                if cited.contains(s.subject) { continue }
                out.append(FactChange(kind: .new, statement: s.id, subject: s.subject, predicate: type, object: nil,
                                      validFrom: nil, text: "\(name(s.subject)) (\(type))"))
            case .label, .relationProperty:
                continue
            }
        }
        for s in retracted {
            guard case .relation(let t, let target, let props) = s.kind, props["denied"] != .bool(true) else { continue }
            if let k = replaceKey(s), replaced[k] == nil { continue }   // reported as corrected
            // Still a fact (another claim carries it)? Then support was withdrawn.
            if let a = graph.lookup(key: s.subject), let b = graph.lookup(key: target), let type = graph.relationTypeID(t),
               graph.outgoing(a, type: type).contains(where: { graph.relationship($0).target == b && Graph.compatible(graph.validity(ofFact: $0).from, s.meta.validFrom) }) {
                continue
            }
            out.append(FactChange(kind: .withdrawn, statement: s.id, subject: s.subject, predicate: t, object: target,
                                  validFrom: s.meta.validFrom, text: "\(name(s.subject)) \(t) \(name(target)) (\(dates((s.meta.validFrom, s.meta.validTo))))"))
        }
        return out
    }
}
