import Foundation
import MosaicGraph

/// Which entity *is* a reference record, as the KB says it: an entity's `same_as` property
/// (a string or a list) names records of reference data sets as `scheme:code` —
/// `icao:OSLK`, `iata:LTK` (airportsdata), `iso3166:SY`, `iso3166:SY-LA` (iso-codes). The
/// gazetteer importers link a record to that entity (its codes, names and place go to the
/// entity) instead of creating a second one. Schemes and codes are matched without regard
/// to case. Reads the graph's node properties; docs/interop.md has the rules.
public struct ReferenceIndex: Sendable {
    /// The property that says it.
    public static let property = "same_as"

    /// `scheme:CODE` (scheme lower case, code upper case) → entity id.
    private(set) var entities: [String: String] = [:]
    /// What the KB says that cannot be used: a reference claimed by two entities, a value
    /// not of the form `scheme:code`. Reported by the importers, which then ignore them.
    public private(set) var problems: [String] = []

    public init(graph: Graph) {
        var claimed: [String: [String]] = [:]
        for i in graph.nodeIndices {
            let n = graph.node(i)
            guard n.alive, let value = n.property(ReferenceIndex.property) else { continue }
            for text in Interop.texts(value) {
                guard let key = ReferenceIndex.key(text) else {
                    problems.append("\(n.key): \(ReferenceIndex.property) '\(text)' is not scheme:code (like icao:OSLK or iso3166:SY)")
                    continue
                }
                claimed[key, default: []].append(n.key)
            }
        }
        for (key, ids) in claimed.sorted(by: { $0.key < $1.key }) {
            let distinct = Array(Set(ids)).sorted()
            if distinct.count > 1 {
                problems.append("\(key) is the \(ReferenceIndex.property) of \(distinct.joined(separator: " and ")); it links to neither")
            } else {
                entities[key] = distinct[0]
            }
        }
    }

    /// `icao:oslk` → `icao:OSLK`; nil when the text is not `scheme:code`.
    static func key(_ text: String) -> String? {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].contains(" ") else { return nil }
        return parts[0].lowercased() + ":" + parts[1].uppercased()
    }

    /// The entity that says it is the record `code` of `scheme`, if one does.
    public func entity(scheme: String, code: String) -> String? {
        guard !code.isEmpty else { return nil }
        return entities[scheme.lowercased() + ":" + code.uppercased()]
    }
}
