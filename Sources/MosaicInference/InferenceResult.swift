import MosaicGraph

/// What an inference run did (or, on a dry run, would do).
public struct InferenceResult: Sendable {
    /// Derived statements asserted, with the ids they got (on a dry run, the ids they would get).
    public var added: [Statement] = []
    /// Derived statements retracted.
    public var retracted: [Statement] = []
    public var derivationsAdded = 0
    public var derivationsClosed = 0
    /// Rounds summed over the strata.
    public var rounds = 0
    /// Rule ids by stratum, in evaluation order.
    public var strata: [[String]] = []
    /// The transaction written (nil on a dry run or when nothing changed).
    public var transaction: Int64?
    public var dryRun = false
    /// Wall-clock seconds spent: `read` (the change log and rules), `withdraw` (truth
    /// maintenance), `derive`, `plan`, `write+refresh` (SQL and the Store's snapshot
    /// refresh), split into `write` (the plan's SQL) and `commit+refresh` when the plan
    /// wrote statements or derivations; `cpu`: this thread's CPU seconds for read through plan.
    public var timings: [String: Double] = [:]

    /// A rule that failed in this run (an error or a limit), or was skipped because it
    /// reads what a failed rule writes. What it derived before is kept.
    public struct RuleFailure: Sendable, Hashable {
        /// `plugin/rule@version`.
        public var rule: String
        public var plugin: String
        /// The error, with the plugin's file and line when the rule's Lua code raised it.
        public var message: String
        public var writes: Set<String>
        public var skipped: Bool
    }
    /// Rules that failed or were skipped; the others ran.
    public var failures: [RuleFailure] = []

    public init() {}

    public var changedNothing: Bool { added.isEmpty && retracted.isEmpty && derivationsAdded == 0 && derivationsClosed == 0 }

    /// A short human summary (what `mosaic infer [--dry-run]` prints).
    public func summary(limit: Int = 20) -> String {
        var lines: [String] = []
        let verb = dryRun ? "would add" : "added"
        lines.append("\(verb) \(added.count) derived statement(s), \(dryRun ? "would retract" : "retracted") \(retracted.count); derivations +\(derivationsAdded) -\(derivationsClosed); \(rounds) round(s)")
        for s in added.prefix(limit) { lines.append("  + #\(s.id) \(Proof.describe(s)) [\(s.meta.origin)]") }
        if added.count > limit { lines.append("  + … \(added.count - limit) more") }
        for s in retracted.prefix(limit) { lines.append("  - #\(s.id) \(Proof.describe(s)) [\(s.meta.origin)]") }
        if retracted.count > limit { lines.append("  - … \(retracted.count - limit) more") }
        return lines.joined(separator: "\n")
    }
}
