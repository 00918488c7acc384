/// Reads of one field of a node without copying the whole `Node` (five reference-counted
/// fields): the query engine calls these once per pattern check.
extension Graph {
    public func property(_ name: String, ofNode n: Int32) -> Value? {
        // Through a pointer to the node: `nodes[i].property(name)` copied the whole Node (its
        // five references retained and released) on every read, a third of the time of
        // `MATCH (n {id: $id}) RETURN n.name` in a profile (fourteenth session).
        nodes.withNode(Int(n)) { Node.property(name, at: $0) }
    }
    /// Whether node `n` has `label`, stored or inherited through the schema's lineage.
    public func hasLabel(_ n: Int32, _ label: String) -> Bool {
        if nodes[Int(n)].labels.contains(label) { return true }
        return !factRules.lineage.isEmpty && factRules.lineage.inherits(nodes[Int(n)].labels, label)
    }
    public func key(ofNode n: Int32) -> String { nodes[Int(n)].key }
}
