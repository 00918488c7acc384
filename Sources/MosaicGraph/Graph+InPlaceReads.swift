/// Reads of one field of a node without copying the whole `Node` (five reference-counted
/// fields): the query engine calls these once per pattern check.
extension Graph {
    public func property(_ name: String, ofNode n: Int32) -> Value? { nodes[Int(n)].property(name) }
    public func hasLabel(_ n: Int32, _ label: String) -> Bool { nodes[Int(n)].labels.contains(label) }
    public func key(ofNode n: Int32) -> String { nodes[Int(n)].key }
}
