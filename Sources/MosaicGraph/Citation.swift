/// A source behind a statement: the id of an article entity, and optionally an analyst's
/// note (a short summary or the span the fact comes from).
public struct Citation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var source: String
    public var note: String?
    public init(source: String, note: String? = nil) { self.source = source; self.note = note }
    public var description: String { note.map { "\(source) (\($0))" } ?? source }
}

extension Citation {
    static let viaOpen = "[via "

    /// The note text for a chain of outlets (nearest first) and an analyst's note (nil when
    /// both are empty): `[via bloomberg, flightradar24] analyst's note`.
    public static func note(via: [String], text: String?) -> String? {
        let text = text.flatMap { $0.isEmpty ? nil : $0 }
        guard !via.isEmpty else { return text }
        let head = viaOpen + via.joined(separator: ", ") + "]"
        return text.map { head + " " + $0 } ?? head
    }

    /// Splits a note into its chain of outlets and the analyst's own text.
    public static func split(_ note: String?) -> (via: [String], text: String?) {
        guard let note, note.hasPrefix(viaOpen), let close = note.firstIndex(of: "]") else { return ([], note) }
        let ids = note[note.index(note.startIndex, offsetBy: viaOpen.count)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let rest = note[note.index(after: close)...].trimmingCharacters(in: .whitespaces)
        return (ids, rest.isEmpty ? nil : rest)
    }

    /// The outlets the cited fact went through before the cited article, nearest first.
    public var via: [String] { Citation.split(note).via }
    /// The analyst's note without the chain.
    public var text: String? { Citation.split(note).text }
    /// Where the cited fact comes from in the end: the last outlet of its chain, else the
    /// cited article itself. Corroboration counts distinct origins.
    public var origin: String { via.last ?? source }
}
