import Foundation
import MosaicGraph
import MosaicStore

/// How a kb file takes over an entity `mosaic ingest` made. Ingest writes an Article (and a
/// publisher it had to create) as statements with origin `cli:ingest`; a kb/ingest file
/// declares the same Article (and that publisher) again, so that kb/ alone loads. Loading such
/// a declaration into a store that holds ingest's statements is no duplicate id: the file
/// **takes over** the entity. Every statement of ingest that the file states again (the
/// entity itself, a property of the same name, a relation of the same type to the same
/// object) is retracted in the load's transaction and the file's statement asserted, so the
/// entity is there once, with one value per property. What the file does not state (a title
/// the stored text holds, which kb files do not copy) stays ingest's.
struct IngestTakeOver {
    static let origin = Origin.cli(command: "ingest")

    /// Ingest's open statements about its Articles and the publishers it created, by subject.
    let bySubject: [String: [MosaicGraph.Statement]]

    init(store: Store) throws {
        bySubject = Dictionary(grouping: try store.documentSourceStatements(origin: IngestTakeOver.origin), by: \.subject)
    }

    /// Whether a file may declare `id` although the store holds it: every open entity
    /// statement of it was made by ingest.
    static func mayTakeOver(_ id: String, store: Store) -> Bool {
        let made = ((try? store.statements(subject: id)) ?? []).filter { if case .entity = $0.kind { return true } else { return false } }
        return !made.isEmpty && made.allSatisfy { $0.meta.origin == origin }
    }

    /// The statements of ingest that `drafts` (a file's, for the ids it declares) state again:
    /// to retract when the file is synced.
    func restated(by drafts: [StatementDraft], declared: Set<String>) -> [Int64] {
        guard !bySubject.isEmpty else { return [] }
        var keys: [String: Set<String>] = [:]
        for d in drafts where declared.contains(d.subject) && bySubject[d.subject] != nil {
            keys[d.subject, default: []].insert(IngestTakeOver.key(d.kind))
        }
        var out: [Int64] = []
        for (subject, wanted) in keys {
            for s in bySubject[subject] ?? [] where wanted.contains(IngestTakeOver.key(s.kind)) { out.append(s.id) }
        }
        return out.sorted()
    }

    /// What "the same statement slot" means here: the entity, a property by name, a label,
    /// a relation by type and object.
    static func key(_ kind: StatementKind) -> String {
        switch kind {
        case .entity: "entity"
        case .label(let l): "label \(l)"
        case .property(let name, _): "property \(name)"
        case .relation(let type, let target, _): "relation \(type) \(target)"
        case .relationProperty(let name, _): "relation property \(name)"
        }
    }
}
