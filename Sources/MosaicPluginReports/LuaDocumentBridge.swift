import Foundation
import MosaicGraph
import MosaicLua
import MosaicPlugins
import MosaicReports
import MosaicStore

/// The `doc` table a report function writes its briefing with, and `changes()`: what was
/// asserted and retracted since the report's last successful run. Calls accumulate in a
/// Swift `DocumentBuilder`; citations resolve against the graph and the store.
///
///     doc.heading(2, "Bases")
///     doc.paragraph("Russia operates ", doc.entity("hmeimim-air-base"), ".", doc.cite(rel.id))
///     doc.list({"one", {"two with ", {strong = "bold"}}})
///     doc.table({"Base", "Status"}, {{doc.entity(b.id), "active"}})
///     doc.timeline({{date = "2025-10-29", label = "landing", entities = {"hmeimim-air-base"}, cite = {62}}})
///     doc.diagram({"russia", "hmeimim-air-base", "latakia-governorate"}, "Who operates what, where")
///     doc.note("Figures are from flight-tracking data.", "warning")
///
/// Method syntax (`doc:heading(2, "Bases")`) works too.
final class LuaDocumentBridge {
    private(set) var builder: DocumentBuilder
    let resolver: CitationResolver
    let since: Int64?

    init(title: String, graph: Graph, store: Store, since: Int64?) {
        builder = DocumentBuilder(title: title)
        resolver = CitationResolver(graph: graph, store: store)
        self.since = since
    }

    var document: Document { builder.build() }
    var graph: Graph { resolver.graph }

    func install(in state: LuaState) {
        state.setGlobal("doc", .table(LuaTable(fields: [LuaTable.Entry(key: .string("__doc"), value: .bool(true))])))
        func define(_ name: String, _ body: @escaping ([LuaValue]) throws -> LuaValue) {
            state.setFunction("doc.\(name)") { (s: LuaStack) throws(LuaError) -> Int32 in
                var args: [LuaValue] = []
                var i: Int32 = 1
                while i <= s.count { args.append(try s.value(i)); i += 1 }
                if case .table(let t)? = args.first, t["__doc"] == .bool(true) { args.removeFirst() }
                do {
                    let result = try body(args)
                    if result.isNil { return 0 }
                    s.push(result)
                    return 1
                } catch let e as LuaError {
                    throw e
                } catch {
                    throw LuaError(.argument, "bad argument to 'doc.\(name)' (\(error))")
                }
            }
        }
        define("title") { [self] a in builder.title = try text(a, 0, "title"); return .nil }
        define("heading") { [self] a in
            guard let level = a.first?.intValue, (1...5).contains(level) else { throw PluginReportError("#1 must be a level from 1 to 5") }
            builder.heading(Int(level), try text(a, 1, "heading")); return .nil
        }
        define("paragraph") { [self] a in builder.paragraph(try a.flatMap(runs)); return .nil }
        define("list") { [self] a in
            guard case .table(let t)? = a.first else { throw PluginReportError("#1 must be a list of items") }
            let items = try t.array.map { ListItem(try runs($0)) }
            builder.list(items, ordered: a.count > 1 && a[1].isTruthy); return .nil
        }
        define("table") { [self] a in
            guard a.count >= 2, case .table(let head) = a[0], case .table(let rows) = a[1] else {
                throw PluginReportError("expected doc.table({column, …}, {{cell, …}, …})")
            }
            let columns = head.array.map { v -> TableColumn in
                let title = v.stringValue ?? v.tableValue?["title"].stringValue ?? ""
                let align: ColumnAlignment = v.tableValue?["align"].stringValue == "right" ? .right : .left
                return TableColumn(title, alignment: align)
            }
            let body = try rows.array.map { row -> [[Inline]] in
                guard case .table(let cells) = row else { throw PluginReportError("each row must be a list of cells") }
                return try cells.array.map(runs)
            }
            builder.table(columns: columns, rows: body, caption: a.count > 2 ? a[2].stringValue : nil); return .nil
        }
        define("timeline") { [self] a in
            guard case .table(let t)? = a.first else { throw PluginReportError("#1 must be a list of events") }
            let events = try t.array.map { v -> TimelineEvent in
                guard case .table(let e) = v, let date = e["date"].stringValue ?? e["date"].description.nilIfEmpty,
                      let label = e["label"].stringValue else { throw PluginReportError("an event is {date = …, label = …}") }
                let ents = (e["entities"].tableValue?.array ?? []).compactMap { $0.stringValue }.map(entityRef)
                var cites = try (e["cite"].tableValue?.array ?? (e["cite"].isNil ? [] : [e["cite"]])).map { try citationKey($0) }
                // `sources = {id, …}`: the facts' source articles, one note per article.
                for v in e["sources"].tableValue?.array ?? [] {
                    guard let id = v.intValue else { continue }
                    for a in try resolver.articles(ofStatement: id) {
                        let k = builder.citationKey(.article(a))
                        if !cites.contains(k) { cites.append(k) }
                    }
                }
                return TimelineEvent(date: date, label: label, entities: ents, citations: cites)
            }
            builder.timeline(events.sorted { $0.date < $1.date }, title: a.count > 1 ? a[1].stringValue : nil); return .nil
        }
        define("diagram") { [self] a in
            guard case .table(let t)? = a.first else { throw PluginReportError("#1 must be a list of entity ids") }
            let ids = t.array.compactMap(\.stringValue)
            let nodes = ids.compactMap { id -> DiagramNode? in
                guard let i = graph.lookup(key: id) else { return nil }
                return DiagramNode(id: id, label: graph.node(i).name ?? id, type: graph.node(i).type)
            }
            let set = Set(ids)
            var edges: [DiagramEdge] = []
            var seenEdges: Set<String> = []
            for id in ids {
                guard let i = graph.lookup(key: id) else { continue }
                for r in graph.outgoing(i) {
                    let to = graph.node(graph.relationship(r).target).key
                    if set.contains(to), seenEdges.insert("\(id)|\(to)|\(graph.typeName(of: r))").inserted {
                        edges.append(DiagramEdge(from: id, to: to, label: graph.typeName(of: r), derived: graph.origin(ofRelationship: r).isDerived))
                    }
                }
            }
            builder.diagram(nodes: nodes, edges: edges, title: a.count > 1 ? a[1].stringValue : nil); return .nil
        }
        define("note") { [self] a in
            let style: NoteStyle = a.count > 1 ? (NoteStyle(rawValue: a[1].stringValue ?? "note") ?? .note) : .note
            builder.note(style, try runs(a.first ?? .nil)); return .nil
        }
        define("cite") { [self] a in
            .table(LuaTable(fields: [LuaTable.Entry(key: .string("cite"), value: .string(try citationKey(a.first ?? .nil)))]))
        }
        // doc.sources(id): one footnote per source article of the fact (with its via chain),
        // the fact citing all of them.
        define("sources") { [self] a in
            guard let id = a.first?.intValue ?? a.first?.tableValue?["id"].intValue else {
                throw PluginReportError("doc.sources takes a statement id (r.id)")
            }
            let keys = try resolver.articles(ofStatement: id).map { builder.citationKey(.article($0)) }
            return .table(LuaTable(fields: [LuaTable.Entry(key: .string("cites"), value: .table(LuaTable(array: keys.map(LuaValue.string))))]))
        }
        define("entity") { a in
            guard let id = a.first?.stringValue ?? a.first?.tableValue?["id"].stringValue else { throw PluginReportError("#1 must be an entity id") }
            return .table(LuaTable(fields: [LuaTable.Entry(key: .string("entity"), value: .string(id))]))
        }
        state.setFunction("changes") { [self] (s: LuaStack) throws(LuaError) -> Int32 in
            s.push(changesValue())
            return 1
        }
    }

    private func text(_ a: [LuaValue], _ i: Int, _ what: String) throws -> String {
        guard i < a.count, let s = a[i].stringValue else { throw PluginReportError("#\(i + 1) (\(what)) must be a string") }
        return s
    }

    func entityRef(_ id: String) -> MosaicReports.EntityRef {
        guard let i = graph.lookup(key: id) else { return MosaicReports.EntityRef(id: id, name: id, type: "") }
        return MosaicReports.EntityRef(id: id, name: graph.node(i).name ?? id, type: graph.node(i).type)
    }

    /// Inline runs from a Lua value: a string, a run table, or a list of either.
    func runs(_ v: LuaValue) throws -> [Inline] {
        switch v {
        case .nil: return []
        case .string(let s): return [.text(s)]
        case .integer, .number, .bool: return [.text(v.description)]
        case .table(let t):
            if let s = t["em"].stringValue { return [.emphasis(s)] }
            if let s = t["strong"].stringValue { return [.strong(s)] }
            if let s = t["code"].stringValue { return [.code(s)] }
            if let s = t["link"].stringValue { return [.link(text: s, url: t["url"].stringValue ?? s)] }
            if let s = t["entity"].stringValue { return [.entity(entityRef(s))] }
            if let s = t["cite"].stringValue { return [.citation(s)] }
            if let list = t["cites"].tableValue { return list.array.compactMap(\.stringValue).map { .citation($0) } }
            return try t.array.flatMap(runs)
        default: throw PluginReportError("cannot put a \(v.typeName) in a document")
        }
    }

    /// Registers a citation: a statement id (integer, or a table with `id`), or an article id.
    func citationKey(_ v: LuaValue) throws -> String {
        if let id = v.intValue ?? v.tableValue?["id"].intValue ?? v.tableValue?["statement"].intValue {
            return builder.citationKey(try resolver.statement(id))
        }
        if let s = v.stringValue ?? v.tableValue?["cite"].stringValue {
            if builder.document.citations.contains(where: { $0.key == s }) { return s }
            return builder.citationKey(.article(resolver.article(s)))
        }
        throw PluginReportError("doc.cite takes a statement id or an article id, not \(v.typeName)")
    }

    /// `{added = {…}, retracted = {…}}` since the last successful run, fact by fact (see
    /// `FactChange`): each `{kind, id, text, subject, predicate, object, valid_from}`, `kind`
    /// one of new, support, refined, corrected, disputed, property in `added`, withdrawn in
    /// `retracted`. `{first_run = true}` on a first run.
    func changesValue() -> LuaValue {
        guard let since else { return .table(LuaTable(fields: [LuaTable.Entry(key: .string("first_run"), value: .bool(true))])) }
        let all = (try? FactChange.between(store: resolver.store, graph: graph, since: since)) ?? []
        func row(_ c: FactChange) -> LuaValue {
            var fields: [LuaTable.Entry] = [
                .init(key: .string("kind"), value: .string(c.kind.rawValue)),
                .init(key: .string("id"), value: .integer(c.statement)), .init(key: .string("subject"), value: .string(c.subject)),
                .init(key: .string("predicate"), value: .string(c.predicate)), .init(key: .string("text"), value: .string(c.text)),
            ]
            if let o = c.object { fields.append(.init(key: .string("object"), value: .string(o))) }
            if let f = c.validFrom { fields.append(.init(key: .string("valid_from"), value: .string(f.description))) }
            return .table(LuaTable(fields: fields))
        }
        return .table(LuaTable(fields: [
            .init(key: .string("added"), value: .table(LuaTable(array: all.filter { $0.kind != .withdrawn }.map(row)))),
            .init(key: .string("retracted"), value: .table(LuaTable(array: all.filter { $0.kind == .withdrawn }.map(row)))),
        ]))
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
