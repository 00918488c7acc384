/// What a statement says about its subject (an entity id, or for `relationProperty` the id
/// of a relation statement written `#123`).
public enum StatementKind: Sendable, Hashable {
    /// The subject exists and has this type (its first label).
    case entity(type: String)
    /// The subject carries an extra label.
    case label(String)
    /// The subject's property has this value.
    case property(name: String, value: Value)
    /// A typed, directed relation from the subject to `target`, with properties of its own.
    case relation(type: String, target: String, properties: [String: Value])
    /// A property of the relation statement named by the subject (`#123`).
    case relationProperty(name: String, value: Value)

    public var code: Int {
        switch self { case .entity: 0; case .label: 1; case .property: 2; case .relation: 3; case .relationProperty: 4 }
    }
    public var predicate: String {
        switch self {
        case .entity(let t): t
        case .label(let l): l
        case .property(let n, _): n
        case .relation(let t, _, _): t
        case .relationProperty(let n, _): n
        }
    }
}

/// The metadata every statement carries besides what it says.
public struct StatementMeta: Sendable, Hashable {
    public var validFrom: PartialDate?
    public var validTo: PartialDate?
    public var sources: [Citation]
    public var grading: Grading?
    /// Set explicitly, or implied by the grading (see `Grading.impliedConfidence`), else 1.
    public var confidence: Double?
    public var origin: Origin

    public init(validFrom: PartialDate? = nil, validTo: PartialDate? = nil, sources: [Citation] = [],
                grading: Grading? = nil, confidence: Double? = nil, origin: Origin) {
        self.validFrom = validFrom; self.validTo = validTo; self.sources = sources
        self.grading = grading; self.confidence = confidence; self.origin = origin
    }

    public var effectiveConfidence: Double { confidence ?? grading?.impliedConfidence ?? 1.0 }

    /// True when the statement may hold at `date` (open ends are unbounded).
    public func mayHold(at date: PartialDate) -> Bool {
        if let f = validFrom, date.end <= f.seconds { return false }
        if let t = validTo, t.end <= date.seconds { return false }
        return true
    }
}

/// A statement to be written: the store gives it an id and a transaction.
public struct StatementDraft: Sendable, Hashable {
    public var subject: String
    public var kind: StatementKind
    public var meta: StatementMeta

    public init(subject: String, kind: StatementKind, meta: StatementMeta) {
        self.subject = subject; self.kind = kind; self.meta = meta
    }
}

/// A stored statement: a draft with its id and transaction times.
public struct Statement: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var subject: String
    public var kind: StatementKind
    public var meta: StatementMeta
    /// The transaction that asserted it, and the one that retracted it (nil while believed).
    public var txFrom: Int64
    public var txTo: Int64?

    public init(id: Int64, subject: String, kind: StatementKind, meta: StatementMeta, txFrom: Int64, txTo: Int64? = nil) {
        self.id = id; self.subject = subject; self.kind = kind; self.meta = meta; self.txFrom = txFrom; self.txTo = txTo
    }
    public var draft: StatementDraft { StatementDraft(subject: subject, kind: kind, meta: meta) }
}
