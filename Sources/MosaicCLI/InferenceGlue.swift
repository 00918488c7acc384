import ArgumentParser
import Foundation
import MosaicGraph
import MosaicPlugins
import MosaicQuery
import MosaicStore

/// Connects the CLI's queries to the store: `mosaic why`, the query functions `derived(r)`
/// and `derivedBy(r)` that read the store's derivations, and the procedure `mosaic.search`
/// over its full-text index.
enum InferenceGlue {
    static func install(_ store: Store) {
        var functions = FunctionRegistry.standard
        @Sendable func statement(_ v: QueryValue, _ ctx: FunctionContext, _ fn: String) throws -> Int64 {
            guard case .relationship(let r) = v else {
                throw QueryError(.typeError, "InvalidArgumentType", "\(fn)() takes a relationship, not \(v.typeName)", phase: .runtime)
            }
            guard case .int(let s) = ctx.graph.relationshipMetadata(r, "statement") else { return -1 }
            return Int64(s)
        }
        functions.register(QueryFunction("derived", arity: 1...1) { a, ctx in
            let s = try statement(a[0], ctx, "derived")
            return .bool(s >= 0 && ((try? store.isDerived(s)) ?? false))
        })
        // stale(r): a derived fact kept from an earlier run because the plugin whose rules
        // derived it failed to load or run since (mosaic why says which and since when).
        functions.register(QueryFunction("stale", arity: 1...1) { a, ctx in
            let s = try statement(a[0], ctx, "stale")
            guard s >= 0, let held = HeldPlugins.current(store), !held.isEmpty else { return .bool(false) }
            return .bool(!((try? store.staleness(of: s)) ?? []).isEmpty)
        })
        functions.register(QueryFunction("derivedBy", arity: 1...1) { a, ctx in
            let s = try statement(a[0], ctx, "derivedBy")
            return .list(((try? store.derivedBy(s)) ?? []).map { .string($0) })
        })
        // CALL mosaic.search('text') YIELD node, field, snippet, rank: the store's full-text
        // index (names, aliases, titles, notes), best first, as nodes of the graph queried
        functions.register(QueryProcedure("mosaic.search", parameters: [.init("text", .string)],
                                          outputs: [.init("node", .node), .init("field", .string), .init("snippet", .string), .init("rank", .integer)]) { a, graph in
            guard case .string(let text) = a[0] else { return [] }
            let hits: [(entity: String, field: String, snippet: String)]
            do { hits = try store.search(text, limit: 1000) } catch {
                throw QueryError(.procedureError, "ProcedureCallFailed", "mosaic.search could not read the text index: \(error)", phase: .runtime)
            }
            var rows: [[QueryValue]] = []
            for h in hits {
                // an entity the queried graph does not have (e.g. --as-of before it) is left out
                guard let n = graph.nodes(withProperty: "id", equalTo: .string(h.entity))?.first else { continue }
                rows.append([.node(n), .string(h.field), .string(h.snippet), .int(rows.count + 1)])
            }
            return rows
        })
        functions.register(FactProcedures.conflicts)
        QueryRunner.functions = functions
    }
}

/// The held plugins (their derived facts are stale), read once per inference run: the
/// query function `stale(r)` asks for every row.
enum HeldPlugins {
    nonisolated(unsafe) static var cached: [String: Int64]?
    static func current(_ store: Store) -> [String: Int64]? {
        if let cached { return cached }
        cached = try? store.heldPlugins()
        return cached
    }
    static func invalidate() { cached = nil }
}
