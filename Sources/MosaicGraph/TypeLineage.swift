/// The schema's type hierarchy as the graph reads it (`extends` in kb/schema.yaml): a node
/// of type `Base` also has the label `Location` when `Base` extends `Location`. Asking the
/// graph for the nodes with a label gives the nodes of every type that extends it, and a
/// node's labels list each type's ancestors after it. Empty for a graph without a schema,
/// which then reads exactly its stored labels.
public struct TypeLineage: Sendable, Hashable {
    /// A type → its ancestors, nearest first (types without a parent are absent).
    public private(set) var ancestors: [String: [String]] = [:]
    /// A type → every type that extends it, directly or through others (sorted; types that
    /// nothing extends are absent).
    public private(set) var descendants: [String: [String]] = [:]

    /// `ancestors`: each type's ancestors, nearest first.
    public init(ancestors: [String: [String]] = [:]) {
        for (type, line) in ancestors where !line.isEmpty {
            self.ancestors[type] = line
            for a in line { descendants[a, default: []].append(type) }
        }
        for (k, v) in descendants { descendants[k] = Array(Set(v)).sorted() }
    }

    public var isEmpty: Bool { ancestors.isEmpty }

    /// Whether a node with these stored labels has `label` through one of its types' ancestors.
    @inline(__always)
    public func inherits(_ labels: [String], _ label: String) -> Bool {
        guard descendants[label] != nil else { return false }
        for l in labels { if let line = ancestors[l], line.contains(label) { return true } }
        return false
    }

    /// Stored labels with each one's ancestors after it (each label once).
    public func expand(_ labels: [String]) -> [String] {
        guard labels.contains(where: { ancestors[$0] != nil }) else { return labels }
        var out: [String] = []
        for l in labels {
            if !out.contains(l) { out.append(l) }
            for a in ancestors[l] ?? [] where !out.contains(a) { out.append(a) }
        }
        return out
    }
}
