import MosaicGraph

/// Who a rule is: the plugin that ships it, its name in the plugin, and the plugin's version.
/// A derived statement's origin is `plugin:PLUGIN@VERSION#NAME`.
public struct RuleID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var plugin: String
    public var name: String
    public var version: String

    public init(plugin: String, name: String, version: String) {
        self.plugin = plugin; self.name = name; self.version = version
    }

    public var origin: Origin { .plugin(name: plugin, version: version, rule: name) }
    /// `plugin/name@version`.
    public var description: String { "\(plugin)/\(name)@\(version)" }
    public static func < (a: RuleID, b: RuleID) -> Bool { (a.plugin, a.name, a.version) < (b.plugin, b.name, b.version) }
}

/// A rule the inference engine runs to a fixpoint.
///
/// `reads` and `writes` are predicates: relation types, property names, labels or entity
/// types. The engine orders rules by them (a rule that reads what another writes runs after
/// it, rules that read each other's output run together to a fixpoint) and gives each rule
/// only the new facts whose predicate it reads.
///
/// `evaluate` is semi-naive: it gets the facts that are new since the last round (`delta`;
/// on a rule's first run every fact it reads) and must return every derivation that uses at
/// least one of them, joining them against `view` (the facts believed now, including what
/// earlier rounds derived). Returning a derivation twice is harmless. Rules must be
/// monotonic: a derivation stays valid as long as its premises are believed.
public protocol Rule: Sendable {
    var id: RuleID { get }
    var reads: Set<String> { get }
    var writes: Set<String> { get }
    /// Which premises the rule may use (checked by the engine on every derivation).
    var condition: PremiseCondition { get }
    /// What a derived fact inherits from its premises.
    var policy: InheritancePolicy { get }
    func evaluate(_ view: InferenceView, delta: Delta) throws -> [Derivation]
}

/// One way of deriving a fact: the conclusion and the statements it was derived from.
///
/// The engine completes the conclusion's metadata: it sets the origin to the rule, and fills
/// valid time, confidence and grading from the premises by the rule's policy where the
/// conclusion leaves them nil; sources are the union of the premises' (and the
/// conclusion's own) by default.
public struct Derivation: Sendable, Hashable {
    public var conclusion: StatementDraft
    public var premises: [Int64]
    /// Optional hints: the graph nodes of the conclusion's subject and (for a relation)
    /// target, when the rule knows them (saves the engine two lookups by key).
    public var subjectNode: Int32 = -1
    public var targetNode: Int32 = -1

    public init(conclusion: StatementDraft, premises: [Int64]) {
        self.conclusion = conclusion; self.premises = premises
    }

    /// A derived relation `subject -[type]-> target`.
    public static func relation(_ subject: String, _ type: String, _ target: String, properties: [String: Value] = [:],
                                validFrom: PartialDate? = nil, validTo: PartialDate? = nil, confidence: Double? = nil,
                                premises: [Int64]) -> Derivation {
        Derivation(conclusion: StatementDraft(subject: subject, kind: .relation(type: type, target: target, properties: properties),
                                              meta: StatementMeta(validFrom: validFrom, validTo: validTo, confidence: confidence,
                                                                  origin: .system("rule"))),
                   premises: premises)
    }

    /// A derived property value `subject.name = value`.
    public static func property(_ subject: String, _ name: String, _ value: Value, validFrom: PartialDate? = nil,
                                validTo: PartialDate? = nil, confidence: Double? = nil, premises: [Int64]) -> Derivation {
        Derivation(conclusion: StatementDraft(subject: subject, kind: .property(name: name, value: value),
                                              meta: StatementMeta(validFrom: validFrom, validTo: validTo, confidence: confidence,
                                                                  origin: .system("rule"))),
                   premises: premises)
    }
}
