import Foundation
import MosaicGraph

/// Checks kb texts in memory, as `mosaic check` checks files: the schema, then each data
/// file parsed and compiled against the ids the other files declare. No store, no disk.
/// For the fuzz driver (`mosaic-fuzz kb`) and the tests that replay its corpus.
public struct KBTextCheck: Sendable {
    public let schema: Schema
    /// Entity ids with their types, by the file that declares them.
    private var declared: [String: [String: String]] = [:]

    /// Parses a schema text; nil with its errors when it has any.
    public static func schema(_ text: String, path: String = "kb/schema.yaml") -> (Schema?, [KBDiagnostic]) {
        let (schema, diags) = KBSchemaParser.parse(text, path: path)
        return (diags.isEmpty ? schema : nil, diags)
    }

    public init(schema: Schema) { self.schema = schema }

    /// Records the ids a file declares (its errors are ignored here).
    public mutating func declare(path: String, text: String) {
        var parser = KBParser(path: path)
        let f = parser.parse(text)
        var ids: [String: String] = [:]
        for e in f.entities where ids[e.id] == nil { ids[e.id] = e.type }
        declared[path] = ids
    }

    /// Parses and compiles `text` as the file `path`, against the ids every other declared
    /// file holds. Returns the errors (file:line:col) and the count of statements compiled.
    public func check(path: String, text: String) -> (diagnostics: [KBDiagnostic], statements: Int) {
        var parser = KBParser(path: path)
        let f = parser.parse(text)
        var diags = f.diagnostics
        var others: [String: String] = [:]
        for (p, ids) in declared where p != path { others.merge(ids) { a, _ in a } }
        var known = others
        diags += KBLoader.declare([f], into: &known, existing: { id in others[id].map { "already declared as a \($0) in another file" } })
        var compiler = KBCompiler(schema: schema, known: known)
        let drafts = compiler.compile(f)
        diags += compiler.diagnostics
        return (diags, drafts.count)
    }
}
