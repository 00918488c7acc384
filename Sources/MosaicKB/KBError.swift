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

/// Suggests the closest of `candidates` to `word` (edit distance), for "did you mean".
enum Suggest {
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (String, Int)? = nil
        // Sorted, so that ties always resolve the same way (candidates often come from a dictionary).
        for c in candidates.sorted() {
            let d = distance(w, Array(c.lowercased()))
            if d <= max(2, w.count / 3), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }

    static func hint(_ word: String, _ candidates: [String]) -> String {
        closest(word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
