/// What the schema says cannot hold together (kb/schema.yaml, under a relation type):
/// - `functional: true`: a subject has one object of this type at a time (two facts with
///   different objects and overlapping valid times conflict; facts dated to the day conflict
///   when they fall on the same day; an undated fact overlaps every other);
/// - `excludes: [OTHER, …]`: the same subject and object cannot be joined by this type and
///   the other at overlapping times.
///
/// It also carries the schema's type hierarchy (`lineage`), which the graph reads when asked
/// for the nodes with a label and a node's labels: the schema's rules reach every graph the
/// store hands out (and every view of one) together.
public struct FactRules: Sendable, Hashable {
    public var functional: Set<String> = []
    /// The entity types' ancestors (`extends`); see `TypeLineage`.
    public var lineage = TypeLineage()
    /// Both directions: `excludes[A]` holds B and `excludes[B]` holds A.
    public var excludes: [String: Set<String>] = [:]

    public init(functional: Set<String> = [], excludes: [String: Set<String>] = [:], lineage: TypeLineage = TypeLineage()) {
        self.functional = functional
        self.lineage = lineage
        for (a, others) in excludes {
            for b in others {
                self.excludes[a, default: []].insert(b)
                self.excludes[b, default: []].insert(a)
            }
        }
    }

    /// No conflict rules (the lineage does not count: it makes nothing conflict).
    public var isEmpty: Bool { functional.isEmpty && excludes.isEmpty }
}

/// Two facts that cannot both hold, or a denial and what it denies.
public struct FactConflict: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A functional relation with two objects at overlapping times.
        case functional
        /// Two relation types that exclude each other between the same ends.
        case exclusive
        /// A claim that says the fact does not hold.
        case denial
    }
    public var kind: Kind
    /// The fact's relationship (for a denial of nothing the graph holds: the denial itself).
    public var fact: Int32
    /// The other fact, or the denial claim.
    public var other: Int32
    public init(kind: Kind, fact: Int32, other: Int32) { self.kind = kind; self.fact = fact; self.other = other }
}
