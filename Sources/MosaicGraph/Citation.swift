/// A source behind a statement: the id of an article entity, and optionally an analyst's
/// note (a short summary or the span the fact comes from).
public struct Citation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var source: String
    public var note: String?
    public init(source: String, note: String? = nil) { self.source = source; self.note = note }
    public var description: String { note.map { "\(source) (\($0))" } ?? source }
}
