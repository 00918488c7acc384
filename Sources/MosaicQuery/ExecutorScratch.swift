import Foundation

/// The executor's state that few queries touch: label bitsets, compiled regexes and
/// subqueries, the slots of pattern parts, what DELETE removed. `Executor` makes it
/// on the first write to one of these (reading one before that reads its empty value), so
/// a small query's executor is quick to make and to free (issue 16: in a profile of the
/// one-hop count, making and freeing the executor, most of whose fields are these, was about
/// a tenth of the query's time).
/// The fields are documented where `Executor` forwards them.
final class ExecutorScratch {
    @exclusivity(unchecked) var groupedKeyNames: Set<String> = []
    @exclusivity(unchecked) var labelBits: [String: [UInt64]] = [:]
    @exclusivity(unchecked) var labelChecks: [String: Int] = [:]
    @exclusivity(unchecked) var labelBitsWrites: Int = 0
    @exclusivity(unchecked) var regexes: [String: NSRegularExpression] = [:]
    @exclusivity(unchecked) var subqueryPlans: [Int: (names: [String], plan: QueryPlan)] = [:]
    @exclusivity(unchecked) var existsPredicates: [Int: SlotExpr?] = [:]
    @exclusivity(unchecked) var nestedPlans: [Int: (names: [String], plan: PartPlan)] = [:]
    @exclusivity(unchecked) var keptSlots: [Int: KeptSlots] = [:]
    @exclusivity(unchecked) var deletedNodes: Set<Int> = []
    @exclusivity(unchecked) var deletedRels: Set<Int> = []
    @exclusivity(unchecked) var deletedRelTypes: [Int: String] = [:]
    @exclusivity(unchecked) var slottedOperators: Set<Int> = []
}
