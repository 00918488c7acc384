import Foundation
import MosaicGraph
import MosaicReports
import MosaicStore

/// Turns what a report cites (a statement id, an article id) into a document citation with
/// the article's title, publisher, date and reliability, the statement's grading, and for a
/// derived fact the articles behind its premises.
struct CitationResolver {
    let graph: Graph
    let store: Store

    func article(_ id: String) -> ArticleSource {
        guard let i = graph.lookup(key: id) else { return ArticleSource(id: id, title: id) }
        let n = graph.node(i)
        let publisher = graph.outgoing(i, type: graph.relationTypeID("PUBLISHED_BY")).first.map { r -> String in
            let p = graph.node(graph.relationship(r).target)
            return p.name ?? p.key
        }
        return ArticleSource(id: id, title: n.properties["title"]?.description ?? n.name ?? id, publisher: publisher,
                             date: (n.properties["date"] ?? n.properties["published"])?.description,
                             url: n.properties["url"]?.description, reliability: n.properties["reliability"]?.description)
    }

    /// One article note per source of the fact a statement belongs to (an article reached
    /// through a `via` chain is noted with the chain); a derived fact's are its premises'
    /// articles. For `doc.sources(id)`: one note per article, each fact citing all of its.
    func articles(ofStatement id: Int64) throws -> [ArticleSource] {
        guard let r = graph.relationship(statement: id), let f = graph.fact(ofClaim: r) else {
            guard let s = try store.statement(id) else { throw PluginReportError("no statement #\(id) to cite") }
            return s.meta.sources.map { article($0.source) }
        }
        var out: [ArticleSource] = []
        var seen: Set<ArticleSource> = []
        for rec in graph.sourceRecords(ofFact: f) where !graph.origin(ofRelationship: graph.relationship(statement: rec.claim) ?? f).isDerived {
            var a = article(rec.id)
            if !rec.via.isEmpty {
                a.via = rec.via.map { v in graph.lookup(key: v).flatMap { graph.node($0).name } ?? v }
            }
            if seen.insert(a).inserted { out.append(a) }
        }
        if out.isEmpty, case .statement(let s) = try statement(id) {
            // A derived fact: the articles behind its premises.
            for a in s.premiseArticles + s.articles where seen.insert(a).inserted { out.append(a) }
        }
        return out
    }

    /// The claim of a statement in words: "Russia OPERATES Hmeimim Air Base".
    func claim(_ s: MosaicGraph.Statement) -> String {
        func name(_ key: String) -> String { graph.lookup(key: key).flatMap { graph.node($0).name } ?? key }
        switch s.kind {
        case .relation(let t, let target, _): return "\(t): \(name(s.subject)) → \(name(target))"
        case .property(let p, let v): return "\(name(s.subject)): \(p) = \(v)"
        case .entity(let t): return "\(name(s.subject)) is a \(t)"
        case .label(let l): return "\(name(s.subject)) is labelled \(l)"
        case .relationProperty(let p, let v): return "\(s.subject).\(p) = \(v)"
        }
    }

    func unique(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }

    func statement(_ id: Int64) throws -> MosaicReports.Citation {
        guard let s = try store.statement(id) else { throw PluginReportError("no statement #\(id) to cite") }
        let derivations = (try? store.derivations(of: id)) ?? []
        var premiseArticles: [ArticleSource] = []
        var seen: Set<String> = []
        // A derived fact cites the sources of its premises, down to asserted statements.
        var queue = derivations.flatMap(\.premises)
        var visited: Set<Int64> = []
        while let p = queue.popLast(), visited.count < 500 {
            guard visited.insert(p).inserted, let ps = try? store.statement(p) else { continue }
            for c in ps.meta.sources where seen.insert(c.source).inserted { premiseArticles.append(article(c.source)) }
            queue += ((try? store.derivations(of: p)) ?? []).flatMap(\.premises)
        }
        // A fact cites the sources of all its claims, with its combined grade.
        var sources = s.meta.sources.map(\.source)
        var grade = s.meta.grading
        if let r = graph.relationship(statement: id), let f = graph.fact(ofClaim: r) {
            sources = graph.citations(ofFact: f).map(\.citation.source)
            grade = graph.grading(ofFact: f)
        }
        let grading = grade.flatMap { MosaicReports.Grading($0.description) }
        return .statement(StatementSource(
            statementID: "#\(id)", claim: claim(s), articles: unique(sources).map(article), grading: grading,
            derived: !derivations.isEmpty, rule: derivations.first.map { "\($0.plugin)/\($0.rule)@\($0.version)" }, premiseArticles: premiseArticles))
    }
}
