// MosaicKB provides the kb/ file format: parsing YAML (keeping every line:column),
// validating a whole knowledge base against kb/schema.yaml with every error reported at
// once, converting files to statements, loading them into the store incrementally (only
// changed files; all or nothing), and exporting a graph back to this format.
// It uses MosaicGraph (the model), MosaicStore (the only writer) and Yams (YAML).
import Foundation

/// One problem in a kb file, with where it is and what to do about it.
public struct KBDiagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String { "\(file):\(line):\(column): error: \(message)" }

    public static func < (a: KBDiagnostic, b: KBDiagnostic) -> Bool {
        (a.file, a.line, a.column, a.message) < (b.file, b.line, b.column, b.message)
    }
}

/// A knowledge base that cannot be loaded: every problem found, in file order.
public struct KBError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [KBDiagnostic]
    public init(_ diagnostics: [KBDiagnostic]) { self.diagnostics = diagnostics.sorted() }

    public var description: String {
        let n = diagnostics.count
        return diagnostics.map(\.description).joined(separator: "\n")
            + "\n\(n) error\(n == 1 ? "" : "s"); nothing was loaded (the store is unchanged)."
    }
}

