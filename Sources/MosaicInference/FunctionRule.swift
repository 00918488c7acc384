import MosaicGraph

/// A rule written as a function of the view and the delta: what the Lua bridge wraps for
/// Lua rules (`kb.derive{…}` collects the derivations the function returns). The function
/// must follow the `Rule` contract: every derivation that uses at least one fact of the
/// delta, each with its premises.
public struct FunctionRule: Rule {
    public let id: RuleID
    public let reads: Set<String>
    public let writes: Set<String>
    public let condition: PremiseCondition
    public let policy: InheritancePolicy
    public let body: @Sendable (InferenceView, Delta) throws -> [Derivation]

    public init(_ id: RuleID, reads: Set<String>, writes: Set<String>, condition: PremiseCondition = .any,
                policy: InheritancePolicy = .default, body: @escaping @Sendable (InferenceView, Delta) throws -> [Derivation]) {
        self.id = id; self.reads = reads; self.writes = writes; self.condition = condition; self.policy = policy; self.body = body
    }

    public func evaluate(_ view: InferenceView, delta: Delta) throws -> [Derivation] { try body(view, delta) }
}
