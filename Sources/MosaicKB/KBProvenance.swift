import Foundation
import MosaicGraph

/// The chain of outlets a fact passed through before reaching the cited article, kept in the
/// citation's note as `[via bloomberg, flightradar24] analyst's note`, nearest outlet first.
/// The last outlet of the chain is the fact's *origin* (Flightradar24 data relayed by Bloomberg
/// and then by Enab Baladi has one origin, Flightradar24); a citation without a chain
/// originates with the cited article itself. A corroboration rule counts distinct origins.
public enum KBProvenance {
    static let open = "[via "

    /// The note text for a chain and an analyst's note (nil when both are empty).
    public static func note(via: [String], text: String?) -> String? {
        let text = text.flatMap { $0.isEmpty ? nil : $0 }
        guard !via.isEmpty else { return text }
        let head = open + via.joined(separator: ", ") + "]"
        return text.map { head + " " + $0 } ?? head
    }

    /// Splits a citation note into its chain of outlets and the analyst's own text.
    public static func split(_ note: String?) -> (via: [String], text: String?) {
        guard let note, note.hasPrefix(open), let close = note.firstIndex(of: "]") else { return ([], note) }
        let ids = note[note.index(note.startIndex, offsetBy: open.count)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let rest = note[note.index(after: close)...].trimmingCharacters(in: .whitespaces)
        return (ids, rest.isEmpty ? nil : rest)
    }

    /// The outlets a citation's fact went through, nearest first.
    public static func via(_ c: Citation) -> [String] { split(c.note).via }

    /// Where a cited fact comes from in the end: the last outlet of its chain, else the
    /// cited article.
    public static func origin(_ c: Citation) -> String { via(c).last ?? c.source }

    /// The distinct origins behind a statement's citations, in first-seen order.
    public static func origins(_ citations: [Citation]) -> [String] {
        var seen: Set<String> = []
        return citations.map(origin).filter { seen.insert($0).inserted }
    }
}
