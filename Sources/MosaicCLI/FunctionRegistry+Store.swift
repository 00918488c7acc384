// The query functions of a workspace: MosaicQuery's standard library plus what reads the
// workspace's store (MosaicStore, MosaicPlugins): derived(r), derivedBy(r) and stale(r) over
// its derivations, the procedure mosaic.search over its full-text index, and
// mosaic.conflicts. Each workspace builds its own, bound to its own store.
import Foundation
import MosaicGraph
import MosaicPlugins
import MosaicQuery
import MosaicStore

extension FunctionRegistry {
    /// The standard functions and procedures plus those that read `store`; `stale(r)` reads
    /// the held plugins through `held`.
    static func bound(to store: Store, held: HeldPlugins) -> FunctionRegistry {
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
            guard s >= 0, let plugins = held.current, !plugins.isEmpty else { return .bool(false) }
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
        return functions
    }
}
