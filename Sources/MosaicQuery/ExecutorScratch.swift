import Foundation

/// The executor's state that few queries touch: label bitsets, compiled regexes and
/// subqueries, the filters compiled against slots, what DELETE removed. `Executor` makes it
/// on the first write to one of these (reading one before that reads its empty value), so
/// a small query's executor is quick to make and to free (issue 16: in a profile of the
/// one-hop count, making and freeing the executor, most of whose fields are these, was about
/// a tenth of the query's time).
/// The fields are documented where `Executor` forwards them.
final class ExecutorScratch {
    var groupedKeyNames: Set<String> = []
    var labelBits: [String: [UInt64]] = [:]
    var labelChecks: [String: Int] = [:]
    var labelBitsWrites: Int = 0
    var regexes: [String: NSRegularExpression] = [:]
    var subqueryPlans: [Int: (names: [String], plan: QueryPlan)] = [:]
    var existsPredicates: [Int: SlotExpr?] = [:]
    var compiledSlotFilters: [Int: MatchSlots.Compiled] = [:]
    var deletedNodes: Set<Int> = []
    var deletedRels: Set<Int> = []
    var deletedRelTypes: [Int: String] = [:]
    var slottedOperators: Set<Int> = []
}
