/// What the executor needs from a graph. `MosaicGraph.Graph` conforms (see GraphAdapter);
/// `PropertyGraph` is a schema-less in-memory implementation (used by the TCK runner).
/// Node and relationship ids are dense integers chosen by the graph.
public protocol QueryGraph: Sendable {
    var nodeCount: Int { get }
    func allNodes() -> [Int]
    func allRelationships() -> [Int]
    func nodes(withLabel label: String) -> [Int]
    /// The nodes, in id order, that have a relationship of one of `types` in `direction`
    /// (outgoing: they start one; incoming: they end one; both: either).
    func nodes(withRelationshipOf types: [String], direction: Direction) -> [Int]
    /// How many nodes `nodes(withLabel:)` lists: the planner compares these, and
    /// `MATCH (n:Label) RETURN count(*)` answers with it (CountOperator.swift).
    func labelCount(_ label: String) -> Int
    /// How many live relationships have type `type`; nil when the graph does not keep the
    /// count (then the planner does without it, and the matcher counts).
    func relationshipTypeCount(_ type: String) -> Int?
    /// Nodes whose property `key` equals `value` through an index; nil when `key` is not indexed.
    func nodes(withProperty key: String, equalTo value: QueryValue) -> [Int]?
    /// Whether every node `nodes(withProperty: key, equalTo: v)` lists has `nodeProperty(n, key)`
    /// equal to `v` (then a pattern's `{key: v}` is not compared again).
    func nodeIndexIsExact(_ key: String) -> Bool
    func nodeExists(_ node: Int) -> Bool
    func labels(of node: Int) -> [String]
    func hasLabel(_ node: Int, _ label: String) -> Bool
    func nodeProperty(_ node: Int, _ key: String) -> QueryValue
    func nodeProperties(_ node: Int) -> [(String, QueryValue)]
    /// Relationships touching `node` in `direction`, of one of `types` (all types when empty).
    func relationships(of node: Int, direction: Direction, types: [String]) -> [(rel: Int, other: Int)]
    /// How many relationships `relationships(of:direction:types:)` lists (without listing them).
    func degree(of node: Int, direction: Direction, types: [String]) -> Int
    /// How many of the relationships `relationships(of:direction:types:)` lists pass `keep`
    /// (given the relationship and the node at its other end), without listing them.
    func countRelationships(of node: Int, direction: Direction, types: [String], where keep: (Int, Int) -> Bool) -> Int
    func relationshipExists(_ rel: Int) -> Bool
    func relationshipType(_ rel: Int) -> String
    func endpoints(_ rel: Int) -> (start: Int, end: Int)
    func relationshipProperty(_ rel: Int, _ key: String) -> QueryValue
    func relationshipProperties(_ rel: Int) -> [(String, QueryValue)]
    /// Statement metadata of a relationship (`sources`, `confidence`, `validFrom`, `validTo`,
    /// `grading`, ...); `.null` when unknown.
    func relationshipMetadata(_ rel: Int, _ key: String) -> QueryValue
    /// The labels some node has, sorted (`CALL db.labels()`).
    func allLabels() -> [String]
    /// The types some relationship has, sorted (`CALL db.relationshipTypes()`).
    func allRelationshipTypes() -> [String]
    /// The property keys some node or relationship has, sorted (`CALL db.propertyKeys()`).
    func allPropertyKeys() -> [String]

    mutating func createNode(labels: [String], properties: [(String, QueryValue)]) throws -> Int
    mutating func createRelationship(type: String, from: Int, to: Int, properties: [(String, QueryValue)]) throws -> Int
    mutating func deleteNode(_ node: Int) throws
    mutating func deleteRelationship(_ rel: Int) throws
    /// Sets a property; `.null` removes it.
    mutating func setNodeProperty(_ node: Int, _ key: String, _ value: QueryValue) throws
    mutating func setRelationshipProperty(_ rel: Int, _ key: String, _ value: QueryValue) throws
    mutating func addLabel(_ node: Int, _ label: String) throws
    mutating func removeLabel(_ node: Int, _ label: String) throws
}

extension QueryGraph {
    public func relationshipTypeCount(_ type: String) -> Int? { nil }
    public func countRelationships(of node: Int, direction: Direction, types: [String], where keep: (Int, Int) -> Bool) -> Int {
        countListed(of: node, direction: direction, types: types, where: keep)
    }
    /// `countRelationships` by listing the relationships (what a graph without a cheaper
    /// way does, and GraphView for several types or both directions).
    func countListed(of node: Int, direction: Direction, types: [String], where keep: (Int, Int) -> Bool) -> Int {
        var c = 0
        for (r, o) in relationships(of: node, direction: direction, types: types) where keep(r, o) { c += 1 }
        return c
    }
    public func nodes(withRelationshipOf types: [String], direction: Direction) -> [Int] {
        var found = Set<Int>()
        for r in allRelationships() where types.contains(relationshipType(r)) {
            let (s, e) = endpoints(r)
            if direction != .incoming { found.insert(s) }
            if direction != .outgoing { found.insert(e) }
        }
        return found.sorted()
    }
    public func relationshipMetadata(_ rel: Int, _ key: String) -> QueryValue { .null }
    // the catalogue by a scan of the whole graph (GraphView and PropertyGraph use their indexes)
    public func allLabels() -> [String] {
        var found = Set<String>()
        for n in allNodes() { for l in labels(of: n) { found.insert(l) } }
        return found.sorted()
    }
    public func allRelationshipTypes() -> [String] {
        var found = Set<String>()
        for r in allRelationships() { found.insert(relationshipType(r)) }
        return found.sorted()
    }
    public func allPropertyKeys() -> [String] {
        var found = Set<String>()
        for n in allNodes() { for (k, _) in nodeProperties(n) { found.insert(k) } }
        for r in allRelationships() { for (k, _) in relationshipProperties(r) { found.insert(k) } }
        return found.sorted()
    }
    public func nodes(withProperty key: String, equalTo value: QueryValue) -> [Int]? { nil }
    public func nodeIndexIsExact(_ key: String) -> Bool { false }
    public func degree(of node: Int, direction: Direction, types: [String]) -> Int {
        relationships(of: node, direction: direction, types: types).count
    }
}

/// One change made by a writing query, in the order it happened.
public enum QueryChange: Sendable, Equatable {
    case createNode(Int)
    case deleteNode(Int)
    case createRelationship(Int)
    case deleteRelationship(Int)
    case setNodeProperty(Int, String, QueryValue)
    case setRelationshipProperty(Int, String, QueryValue)
    case addLabel(Int, String)
    case removeLabel(Int, String)
}

/// A schema-less property graph held in memory: nodes with any labels and properties,
/// typed directed relationships with properties. A value type: copies are cheap until written.
public struct PropertyGraph: QueryGraph {
    struct NodeRecord: Sendable { var labels: [String]; var props: [(String, QueryValue)]; var out: [Int]; var inc: [Int] }
    struct RelRecord: Sendable { var type: String; var start: Int; var end: Int; var props: [(String, QueryValue)] }
    var nodeTable: [NodeRecord?] = []
    var relTable: [RelRecord?] = []
    var labelIndex: [String: Set<Int>] = [:]
    /// Deleted relationships keep their type and endpoints (type(r), startNode(r) still answer).
    var tombstones: [Int: RelRecord] = [:]
    public private(set) var nodeCount = 0
    public private(set) var relationshipCount = 0
    var typeCounts: [String: Int] = [:]

    public init() {}
    public func relationshipTypeCount(_ type: String) -> Int? { typeCounts[type] ?? 0 }

    public func allNodes() -> [Int] { nodeTable.indices.filter { nodeTable[$0] != nil } }
    public func allRelationships() -> [Int] { relTable.indices.filter { relTable[$0] != nil } }
    public func nodes(withLabel label: String) -> [Int] { (labelIndex[label] ?? []).sorted() }
    public func labelCount(_ label: String) -> Int { labelIndex[label]?.count ?? 0 }
    public func allLabels() -> [String] { labelIndex.keys.sorted() }  // (emptied labels are dropped)
    public func nodeExists(_ node: Int) -> Bool { node >= 0 && node < nodeTable.count && nodeTable[node] != nil }
    public func labels(of node: Int) -> [String] { nodeTable[node]?.labels ?? [] }
    public func hasLabel(_ node: Int, _ label: String) -> Bool { nodeTable[node]?.labels.contains(label) ?? false }
    public func nodeProperty(_ node: Int, _ key: String) -> QueryValue {
        nodeTable[node]?.props.first { $0.0 == key }?.1 ?? .null
    }
    public func nodeProperties(_ node: Int) -> [(String, QueryValue)] { nodeTable[node]?.props ?? [] }
    public func relationships(of node: Int, direction: Direction, types: [String]) -> [(rel: Int, other: Int)] {
        guard let n = nodeTable[node] else { return [] }
        var out: [(rel: Int, other: Int)] = []
        if direction != .incoming {
            for r in n.out { let rr = relTable[r]!; if types.isEmpty || types.contains(rr.type) { out.append((r, rr.end)) } }
        }
        if direction != .outgoing {
            for r in n.inc {
                let rr = relTable[r]!
                if direction == .both && rr.start == rr.end { continue }  // self loop listed once
                if types.isEmpty || types.contains(rr.type) { out.append((r, rr.start)) }
            }
        }
        return out
    }
    public func relationshipExists(_ rel: Int) -> Bool { rel >= 0 && rel < relTable.count && relTable[rel] != nil }
    public func relationshipType(_ rel: Int) -> String { (relTable[rel] ?? tombstones[rel])?.type ?? "" }
    public func endpoints(_ rel: Int) -> (start: Int, end: Int) { let r = (relTable[rel] ?? tombstones[rel])!; return (r.start, r.end) }
    public func relationshipProperty(_ rel: Int, _ key: String) -> QueryValue {
        relTable[rel]?.props.first { $0.0 == key }?.1 ?? .null
    }
    public func relationshipProperties(_ rel: Int) -> [(String, QueryValue)] { relTable[rel]?.props ?? [] }

    public mutating func createNode(labels: [String], properties: [(String, QueryValue)]) throws -> Int {
        var uniq: [String] = []
        for l in labels where !uniq.contains(l) { uniq.append(l) }
        let id = nodeTable.count
        nodeTable.append(NodeRecord(labels: uniq, props: properties.filter { !$0.1.isNull }, out: [], inc: []))
        for l in uniq { labelIndex[l, default: []].insert(id) }
        nodeCount += 1
        return id
    }
    public mutating func createRelationship(type: String, from: Int, to: Int, properties: [(String, QueryValue)]) throws -> Int {
        let id = relTable.count
        relTable.append(RelRecord(type: type, start: from, end: to, props: properties.filter { !$0.1.isNull }))
        nodeTable[from]!.out.append(id)
        nodeTable[to]!.inc.append(id)
        relationshipCount += 1
        typeCounts[type, default: 0] += 1
        return id
    }
    public mutating func deleteNode(_ node: Int) throws {
        guard let n = nodeTable[node] else { return }
        for l in n.labels { labelIndex[l]?.remove(node); if labelIndex[l]?.isEmpty == true { labelIndex[l] = nil } }
        nodeTable[node] = nil
        nodeCount -= 1
    }
    public mutating func deleteRelationship(_ rel: Int) throws {
        guard let r = relTable[rel] else { return }
        nodeTable[r.start]?.out.removeAll { $0 == rel }
        nodeTable[r.end]?.inc.removeAll { $0 == rel }
        tombstones[rel] = r
        relTable[rel] = nil
        relationshipCount -= 1
        typeCounts[r.type, default: 1] -= 1
    }
    public mutating func setNodeProperty(_ node: Int, _ key: String, _ value: QueryValue) throws {
        guard nodeTable[node] != nil else { return }
        if let i = nodeTable[node]!.props.firstIndex(where: { $0.0 == key }) {
            if value.isNull { nodeTable[node]!.props.remove(at: i) } else { nodeTable[node]!.props[i].1 = value }
        } else if !value.isNull { nodeTable[node]!.props.append((key, value)) }
    }
    public mutating func setRelationshipProperty(_ rel: Int, _ key: String, _ value: QueryValue) throws {
        guard relTable[rel] != nil else { return }
        if let i = relTable[rel]!.props.firstIndex(where: { $0.0 == key }) {
            if value.isNull { relTable[rel]!.props.remove(at: i) } else { relTable[rel]!.props[i].1 = value }
        } else if !value.isNull { relTable[rel]!.props.append((key, value)) }
    }
    public mutating func addLabel(_ node: Int, _ label: String) throws {
        guard nodeTable[node] != nil, !nodeTable[node]!.labels.contains(label) else { return }
        nodeTable[node]!.labels.append(label)
        labelIndex[label, default: []].insert(node)
    }
    public mutating func removeLabel(_ node: Int, _ label: String) throws {
        guard nodeTable[node] != nil, let i = nodeTable[node]!.labels.firstIndex(of: label) else { return }
        nodeTable[node]!.labels.remove(at: i)
        labelIndex[label]?.remove(node)
        if labelIndex[label]?.isEmpty == true { labelIndex[label] = nil }
    }
}
