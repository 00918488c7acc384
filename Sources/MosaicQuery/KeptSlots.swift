/// What an executor keeps of one pattern part's slots between the rows a MATCH receives
/// (issue 16): the slots made for the last set of bound variables. Made and read by
/// `MatchSlots.forRow`; kept in the executor's scratch state (`Executor.keptSlots`, by the
/// part's source offset). Uses the part's plan (PartPlan) only to list its variables.
/// `slots` is nil when the part took the general path for the rows binding `outer`.
final class KeptSlots {
    /// The part's variables and their bits in `outer` (node i: bit i; step s: bit nodes + s).
    let variables: [(bit: Int, name: String)]
    /// Whether every variable has a bit (a part of at most 64 nodes and steps); the slots of
    /// a larger part are made for each row.
    let exact: Bool
    /// The plan of the part they were made for.
    let plan: ObjectIdentifier
    @exclusivity(unchecked) var filled = false
    @exclusivity(unchecked) var outer: UInt64 = 0
    @exclusivity(unchecked) var slots: MatchSlots?

    init(_ part: PatternPart, _ plan: PartPlan) {
        let nodes = plan.nodes
        var variables: [(bit: Int, name: String)] = []
        for (i, np) in nodes.enumerated() { if let v = np.variable { variables.append((i, v)) } }
        for (s, step) in part.steps.enumerated() { if let v = step.rel.variable { variables.append((nodes.count + s, v)) } }
        self.variables = variables
        exact = nodes.count + part.steps.count <= 64
        self.plan = plan.identity
    }
}
