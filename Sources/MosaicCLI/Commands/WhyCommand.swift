// `mosaic why` (and the console's :why): why the KB believes a statement: the fact and its
// claims (FactExplanation), each claim's proof tree from MosaicPlugins' Proof, and whether a
// held plugin left it stale (MosaicStore).
import ArgumentParser
import Foundation
import MosaicGraph
import MosaicPlugins
import MosaicInference
import MosaicStore

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
