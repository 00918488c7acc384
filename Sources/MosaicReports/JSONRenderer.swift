import Foundation

/// Renders a document as pretty JSON with keys sorted (stable byte for byte), and reads it
/// back. Blocks, inline runs and citations carry a `kind` field naming their variant.
public struct JSONRenderer: Sendable {
    public init() {}

    public func render(_ document: Document) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain values and strings cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a document written by `render`.
    public func document(from json: String) throws -> Document {
        do {
            return try JSONDecoder().decode(Document.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            switch error {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
                let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                throw ReportsError.invalidDocument(path: path, message: c.debugDescription)
            @unknown default:
                throw ReportsError.invalidDocument(path: "", message: "\(error)")
            }
        }
    }
}
