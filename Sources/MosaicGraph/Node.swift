/// An entity as the graph holds it. `labels[0]` is the entity's type when it has one.
public struct Node: Sendable {
    /// The stable entity id (`hmeimim-air-base`); `_:N` for anonymous nodes made by queries.
    public var key: String
    public var labels: [String]
    public var properties: [String: Value]
    /// The statement behind each property value.
    public var propertyStatements: [String: Int64]
    /// The entity statement (`key` is a `labels[0]`), and one per extra label.
    public var statement: Int64
    public var labelStatements: [String: Int64]
    public var alive: Bool

    public var type: String { labels.first ?? "" }
    public var isAnonymous: Bool { key.hasPrefix("_:") }
    public var name: String? { properties["name"]?.stringValue }
    public var aliases: [String] { properties["aliases"]?.listValue?.compactMap(\.stringValue) ?? [] }
}

/// A relation as the graph holds it, with its statement's metadata inline.
public struct Relationship: Sendable {
    public var source: Int32
    public var target: Int32
    /// Index into `Graph.relationTypes`.
    public var type: Int32
    public var statement: Int64
    public var alive: Bool
    public var validFrom: PartialDate?
    public var validTo: PartialDate?
    public var grading: Grading?
    /// NaN when not set (then the grading implies it).
    public var confidenceValue: Float
    var sourcesRef: Int32
    var originRef: Int32
    public var txFrom: Int64

    public var confidence: Double {
        confidenceValue.isNaN ? (grading?.impliedConfidence ?? 1.0) : Double(confidenceValue)
    }
}
