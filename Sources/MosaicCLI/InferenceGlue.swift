import ArgumentParser
import Foundation
import MosaicGraph
import MosaicPlugins
import MosaicQuery
import MosaicStore

/// Connects the CLI to inference: `mosaic why`, and the query functions `derived(r)` and
/// `derivedBy(r)` that read the store's derivations.
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
        functions.register(QueryFunction("derivedBy", arity: 1...1) { a, ctx in
            let s = try statement(a[0], ctx, "derivedBy")
            return .list(((try? store.derivedBy(s)) ?? []).map { .string($0) })
        })
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
            let proof = try Proof.build(store: store, statement: id)
            return json ? try proof.json() : proof.render()
        } catch let e as InferenceError {
            throw CLIError("error: \(e)")
        }
    }
}
