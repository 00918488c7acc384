import MosaicStore

/// What went wrong in an inference run, with what to do about it.
public enum InferenceError: Error, CustomStringConvertible, Sendable {
    case badRule(rule: String, message: String)
    case duplicateRule(String)
    case noFixpoint(rules: [String], rounds: Int)
    case ruleFailed(rule: String, message: String)
    case notFound(Int64)

    /// Whether the error is one rule's own fault (the run goes on without that rule)
    /// rather than the run's (no fixpoint, a rule defined twice).
    public var isRuleFault: Bool {
        switch self {
        case .badRule, .ruleFailed: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .badRule(let r, let m): "rule \(r): \(m)"
        case .duplicateRule(let r): "rule \(r) is defined twice; give each rule of a plugin its own name"
        case .noFixpoint(let rules, let n):
            "inference did not converge within \(n) rounds: rules \(rules.joined(separator: ", ")) keep deriving new facts from each other. Nothing was written; fix or disable one of them (or raise the round limit if the chain is genuinely that long)."
        case .ruleFailed(let r, let m): "rule \(r) failed: \(m). Nothing was written."
        case .notFound(let id): "no statement #\(id) (mosaic show or a query gives valid ids)"
        }
    }
}
