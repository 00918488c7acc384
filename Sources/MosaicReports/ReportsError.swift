import Foundation

/// Errors of MosaicReports. Rendering itself does not fail; these come from drawing a
/// diagram with Graphviz and from reading a document back from JSON.
public enum ReportsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Drawing a diagram failed (Graphviz missing, crashed or produced no SVG).
    case diagram(String)
    /// A document's JSON could not be read: the coding path and what was wrong.
    case invalidDocument(path: String, message: String)

    public var description: String {
        switch self {
        case .diagram(let message):
            return "diagram: \(message)"
        case .invalidDocument(let path, let message):
            let at = path.isEmpty ? "" : " at \(path)"
            return "document JSON\(at): \(message) (check that it was written by `mosaic brief --format json`)"
        }
    }
}
