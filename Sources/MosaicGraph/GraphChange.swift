/// One effect of a write on a graph, in statement terms, so the Store can replay it:
/// every mutation asserts new statements (with ids the graph gave them) or retracts old ones.
public enum GraphChange: Sendable, Hashable {
    case assert(Statement)
    case retract(Int64)
}
