/// The typed result of a query: named columns and rows of values. Node, relationship and
/// path values are ids into `graph`, the graph as it stands after the query.
public struct ResultTable<G: QueryGraph>: Sendable {
    public var columns: [String]
    public var rows: [[QueryValue]]
    /// The graph after the query (the input graph when the query only reads).
    public var graph: G
    /// The changes a writing query made, in order; empty for a read-only query.
    public var changes: [QueryChange]
    /// The plan (EXPLAIN) with rows per operator (PROFILE); nil for an ordinary run.
    public var plan: [PlanOperator]?

    /// The value in `row` under `column`.
    public func value(_ row: Int, _ column: String) -> QueryValue? {
        columns.firstIndex(of: column).map { rows[row][$0] }
    }
}

/// One operator of a plan, as EXPLAIN and PROFILE show it.
public struct PlanOperator: Sendable, CustomStringConvertible {
    public var name: String
    public var detail: String
    /// How deep in the tree (0 = the root, printed first).
    public var depth: Int
    /// Rows produced (PROFILE only).
    public var rows: Int?
    /// The variables an operator's rows bind (its slots), for a clause's operator: what the
    /// next operator can read. Empty for a MATCH's steps.
    public var variables: [String] = []
    public var description: String {
        String(repeating: "  ", count: depth) + name + (detail.isEmpty ? "" : " " + detail) + (rows.map { "  [rows: \($0)]" } ?? "")
    }
}
