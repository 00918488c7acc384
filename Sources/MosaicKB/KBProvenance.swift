import Foundation
import MosaicGraph

/// The chain of outlets a fact passed through before reaching the cited article, kept in the
/// citation's note as `[via bloomberg, flightradar24] analyst's note`, nearest outlet first.
/// The last outlet of the chain is the fact's *origin* (Flightradar24 data relayed by Bloomberg
/// and then by Enab Baladi has one origin, Flightradar24); a citation without a chain
/// originates with the cited article itself. A corroboration rule counts distinct origins.
public enum KBProvenance {
    /// The note text for a chain and an analyst's note (nil when both are empty).
    public static func note(via: [String], text: String?) -> String? { Citation.note(via: via, text: text) }

    /// Splits a citation note into its chain of outlets and the analyst's own text.
    public static func split(_ note: String?) -> (via: [String], text: String?) { Citation.split(note) }

    /// The outlets a citation's fact went through, nearest first.
    public static func via(_ c: Citation) -> [String] { c.via }

    /// Where a cited fact comes from in the end: the last outlet of its chain, else the
    /// cited article.
    public static func origin(_ c: Citation) -> String { c.origin }

    /// The distinct origins behind a statement's citations, in first-seen order.
    public static func origins(_ citations: [Citation]) -> [String] {
        var seen: Set<String> = []
        return citations.map(\.origin).filter { seen.insert($0).inserted }
    }
}
