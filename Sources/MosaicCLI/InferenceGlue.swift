import ArgumentParser
import Foundation
import MosaicGraph
import MosaicInference
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
        ConsoleGlue.extend.append { ws, e in
            e.why = { id in try WhyCommand.explain(id, store: ws.store, json: false) }
        }
    }
}

struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Why the KB believes a statement: a derived fact's proof tree down to its sources, an asserted fact's sources.",
        discussion: "Statement ids appear as #123 in `mosaic show`, and as id(r) in queries.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The statement id (123 or #123).") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ws = try options.open()
        print(try WhyCommand.explain(id, store: ws.store, json: json))
    }

    static func explain(_ text: String, store: Store, json: Bool) throws -> String {
        guard let id = Int64(text.trimmingCharacters(in: CharacterSet(charactersIn: "# "))) else {
            throw CLIError.usage("'\(text)' is not a statement id", usage: "mosaic why ID   (ids appear as #123 in mosaic show and as id(r) in queries)")
        }
        do {
            let held = try store.heldPlugins()
            // One claim's proof, as text and JSON, with its staleness when a plugin is held.
            func one(_ sid: Int64) throws -> (text: String, json: String) {
                let proof = try Proof.build(store: store, statement: sid)
                let stale = try store.staleness(of: sid)
                if stale.isEmpty { return (proof.render(), try proof.json()) }
                let why = stale.map { "plugin \($0) has failed to load or run since transaction \(held[$0] ?? 0)" }.joined(separator: "; ")
                // The proof's JSON object, with "stale" added.
                var jsonText = try proof.json()
                if let brace = jsonText.firstIndex(of: "{") {
                    let escaped = why.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    jsonText = String(jsonText[...brace]) + "\n  \"stale\": \"\(escaped)\"," + String(jsonText[jsonText.index(after: brace)...])
                }
                return (proof.render() + "\nstale: \(why); this fact is kept as last derived and not re-checked until it runs again (disabling or deleting the plugin retracts it)", jsonText)
            }
            let fact = FactExplanation(graph: store.graph, statement: id)
            let claims = fact?.claims ?? [id]
            let parts = try claims.map(one)
            if json {
                guard let fact else { return parts[0].json }
                return "{\n\"fact\": \(JSONText.pretty(fact.json)),\n\"claims\": [\n\(parts.map(\.json).joined(separator: ",\n"))\n]\n}"
            }
            guard let fact else { return parts[0].text }
            return fact.text + "\n\n" + parts.enumerated().map { i, p in
                "Claim \(i + 1) of \(parts.count): #\(claims[i])\n" + p.text
            }.joined(separator: "\n\n")
        } catch let e as InferenceError {
            throw CLIError("error: \(e)")
        }
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
