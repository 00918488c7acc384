import MosaicGraph

/// The query language's view of a `MosaicGraph.Graph` snapshot. Entity ids appear as the
/// property `id`; names and ids are index lookups; a relationship's statement metadata is
/// read by `sources(r)`, `confidence(r)`, `validFrom(r)`, `validTo(r)`, `grading(r)`.
///
/// Writes go to the wrapped `graph` (a copy of the caller's value). Set
/// `graph.isRecording = true` and `graph.writeMeta` (the origin) before running a writing
/// query; afterwards `graph.takeChanges()` gives the statements for one Store transaction.
public struct GraphView: QueryGraph {
    /// The graph, boxed: the executor, each match and the result table hold a view, and a
    /// `Graph` (twenty-odd reference-counted fields) copies with as many retains; the box
    /// copies with one. Copy-on-write: a write to a shared box copies the graph first.
    /// (A constant: reads borrow it in place, where a variable field is copied for each call.)
    final class Box: Sendable {
        let graph: Graph
        init(_ graph: Graph) { self.graph = graph }
        static let empty = Box(Graph())
    }
    private var box: Box
    public var graph: Graph {
        _read { yield box.graph }
        _modify {
            var g = box.graph
            // the only holder of the box: drop it, so that `g`'s arrays are unique again
            if isKnownUniquelyReferenced(&box) { box = Box.empty }
            defer { box = Box(g) }
            yield &g
        }
    }
    public init(_ graph: Graph) { box = Box(graph) }

    public var nodeCount: Int { graph.liveNodeCount }
    public func allNodes() -> [Int] { graph.nodeIndices.map { Int($0) } }
    public func allRelationships() -> [Int] { graph.relationshipIndices.map { Int($0) } }
    public func nodes(withLabel label: String) -> [Int] { graph.nodes(withLabel: label).map { Int($0) } }
    public func labelCount(_ label: String) -> Int { graph.count(label: label) }
    public func relationshipTypeCount(_ type: String) -> Int? { graph.relationshipCount(ofType: type) }
    public func nodes(withRelationshipOf types: [String], direction: Direction) -> [Int] {
        let ids = types.compactMap { graph.relationTypeID($0) }
        if ids.isEmpty { return [] }
        var has = [Bool](repeating: false, count: graph.nodes.count)
        for r in graph.relationships where r.alive && ids.contains(r.type) {
            if direction != .incoming { has[Int(r.source)] = true }
            if direction != .outgoing { has[Int(r.target)] = true }
        }
        var out: [Int] = []
        for (n, yes) in has.enumerated() where yes && graph.nodes[n].alive { out.append(n) }
        return out
    }
    public func nodes(withProperty key: String, equalTo value: QueryValue) -> [Int]? {
        switch (key, value) {
        case ("id", .string(let s)):
            // exact (see nodeIndexIsExact): a hit whose `id` reads otherwise is left out
            guard let n = graph.lookup(key: s) else { return [] }
            // no node has an `id` property of its own: the key is the id (no read of the node)
            if graph.idPropertyCount > 0, let v = graph.property("id", ofNode: n) { return QueryValue(v).equals(value) == true ? [Int(n)] : [] }
            return s.utf8.starts(with: "_:".utf8) ? [] : [Int(n)]  // an anonymous node has no id
        case ("name", .string(let s)):
            // the name index folds case and diacritics; the pattern then checks equality
            return graph.nodes(named: s).map { Int($0) }
        default: return nil  // not indexed: the planner falls back to a label scan
        }
    }
    public func nodeIndexIsExact(_ key: String) -> Bool { key == "id" }
    public func allLabels() -> [String] { graph.labels }  // the label index, sorted
    public func allRelationshipTypes() -> [String] {
        // the types of the live relationships: one pass, a flag per type id
        var used = [Bool](repeating: false, count: graph.relationTypes.count)
        var left = used.count
        for r in graph.relationships where r.alive && !used[Int(r.type)] {
            used[Int(r.type)] = true
            left -= 1
            if left == 0 { break }
        }
        return used.indices.filter { used[$0] }.map { graph.relationTypeName(Int32($0)) }.sorted()
    }
    public func allPropertyKeys() -> [String] {
        // node entries read in place (no dictionary per node); `id` is every named node's key
        var found = Set<String>()
        var named = false
        for n in graph.nodes where n.alive {
            for e in n.entries { found.insert(e.name) }
            if !named && !n.isAnonymous { named = true }
        }
        if named { found.insert("id") }
        for r in graph.relationshipIndices { for k in graph.properties(ofRelationship: r).keys { found.insert(k) } }
        return found.sorted()
    }
    // Hot paths read fields in place (`graph.nodes[i].labels`) rather than through
    // `graph.node(i)`, which copies the whole Node (five reference-counted fields).
    public func nodeExists(_ node: Int) -> Bool { node >= 0 && node < graph.nodes.count && graph.nodes[node].alive }
    public func labels(of node: Int) -> [String] { graph.labels(ofNode: Int32(node)) }  // with the schema's ancestors
    public func hasLabel(_ node: Int, _ label: String) -> Bool { graph.hasLabel(Int32(node), label) }
    public func nodeProperty(_ node: Int, _ key: String) -> QueryValue {
        if let v = graph.property(key, ofNode: Int32(node)) { return QueryValue(v) }
        if key == "id" {
            let k = graph.key(ofNode: Int32(node))
            return k.hasPrefix("_:") ? .null : .string(k)
        }
        return .null
    }
    public func nodeProperties(_ node: Int) -> [(String, QueryValue)] {
        let n = graph.node(Int32(node))
        var out = n.properties.sorted { $0.key < $1.key }.map { ($0.key, QueryValue($0.value)) }
        if !n.isAnonymous && n.properties["id"] == nil { out.insert(("id", .string(n.key)), at: 0) }
        return out
    }
    /// A node's lists are kept by relation type (see `Graph+Adjacency.swift`): one type reads
    /// only its own run, several types read their runs one after the other, all types read
    /// the list as it is kept (by type). The order is not statement order: nothing in the
    /// language promises an order without ORDER BY, and merging the runs back cost the
    /// two-type closure row (e.closure) a quarter of its time.
    public func relationships(of node: Int, direction: Direction, types: [String]) -> [(rel: Int, other: Int)] {
        let n = Int32(node)
        var single: Int32 = -1
        var typeIDs: [Int32] = []
        if types.count == 1 {
            guard let t = graph.relationTypeID(types[0]) else { return [] }
            single = t
        } else if !types.isEmpty {
            typeIDs = types.compactMap { graph.relationTypeID($0) }
            if typeIDs.isEmpty { return [] }
        }
        var out: [(rel: Int, other: Int)] = []
        // each entry carries its other end: no relationship is looked up
        func read(_ list: AdjacencyPairs, _ range: Range<Int>, outgoing: Bool) {
            out.reserveCapacity(out.count + range.count)
            for i in range {
                let other = list.other(i)
                // (a self loop is listed once when both directions are read)
                if outgoing || direction != .both || other != n { out.append((Int(list.relationship(i)), Int(other))) }
            }
        }
        // one type's run, each listed type's run once, or the whole list
        func side(outgoing: Bool) {
            let list = outgoing ? graph.outPairs(n) : graph.inPairs(n)
            func run(_ t: Int32) -> Range<Int> { outgoing ? graph.outRange(n, type: t) : graph.inRange(n, type: t) }
            if single >= 0 { read(list, run(single), outgoing: outgoing) }
            else if types.isEmpty { read(list, 0..<list.count, outgoing: outgoing) }
            else { for (i, t) in typeIDs.enumerated() where !typeIDs[..<i].contains(t) { read(list, run(t), outgoing: outgoing) } }
        }
        if direction != .incoming { side(outgoing: true) }
        if direction != .outgoing { side(outgoing: false) }
        return out
    }
    public func countRelationships(of node: Int, direction: Direction, types: [String], where keep: (Int, Int) -> Bool) -> Int {
        guard types.count == 1, direction != .both else { return countListed(of: node, direction: direction, types: types, where: keep) }
        // one type's run, read in place (no list of pairs made)
        guard let t = graph.relationTypeID(types[0]) else { return 0 }
        let n = Int32(node), out = direction == .outgoing
        let list = out ? graph.outPairs(n) : graph.inPairs(n)
        var c = 0
        for i in out ? graph.outRange(n, type: t) : graph.inRange(n, type: t) where keep(Int(list.relationship(i)), Int(list.other(i))) {
            c += 1
        }
        return c
    }
    public func degree(of node: Int, direction: Direction, types: [String]) -> Int {
        let n = Int32(node)
        guard direction != .both else { return relationships(of: node, direction: direction, types: types).count }  // less self-loops
        let out = direction == .outgoing
        if types.isEmpty { return out ? graph.outDegree(n) : graph.inDegree(n) }
        // each type's run is found by binary search: no list is walked
        var seen: [Int32] = []
        var c = 0
        for name in types {
            guard let t = graph.relationTypeID(name), !seen.contains(t) else { continue }
            seen.append(t)
            c += out ? graph.outDegree(n, type: t) : graph.inDegree(n, type: t)
        }
        return c
    }
    public func relationshipExists(_ rel: Int) -> Bool { rel >= 0 && rel < graph.relationships.count && graph.relationships[rel].alive }
    public func relationshipType(_ rel: Int) -> String { graph.typeName(of: Int32(rel)) }
    public func endpoints(_ rel: Int) -> (start: Int, end: Int) {
        (Int(graph.relationships[rel].source), Int(graph.relationships[rel].target))
    }
    public func relationshipProperty(_ rel: Int, _ key: String) -> QueryValue {
        graph.property(key, ofRelationship: Int32(rel)).map(QueryValue.init) ?? .null
    }
    public func relationshipProperties(_ rel: Int) -> [(String, QueryValue)] {
        graph.properties(ofRelationship: Int32(rel)).sorted { $0.key < $1.key }.map { ($0.key, QueryValue($0.value)) }
    }
    /// Mosaic's implementation extensions on a relationship: the fact's metadata (valid time,
    /// sources, grade, confidence, corroboration, claims, disputes) and its statement.
    public func relationshipMetadata(_ rel: Int, _ key: String) -> QueryValue {
        let r = Int32(rel)
        switch key {
        case "validFrom": return graph.validity(ofFact: r).from.map { .date($0) } ?? .null
        case "validTo": return graph.validity(ofFact: r).to.map { .date($0) } ?? .null
        case "sources":
            return .list(graph.sourceRecords(ofFact: r).map { rec in
                .map(Dictionary(uniqueKeysWithValues: rec.fields.map { ($0.0, QueryValue($0.1)) }))
            })
        case "confidence": return .float(graph.confidence(ofFact: r))
        case "grading": return graph.grading(ofFact: r).map { .string($0.description) } ?? .null
        case "corroboration": return .int(graph.corroboration(ofFact: r))
        case "claims": return .list(graph.claims(ofFact: r).map { .int(Int(graph.relationship($0).statement)) })
        case "disputed": return .bool(graph.isDisputed(r))
        case "denials":
            return .list(graph.denials(ofFact: r).map { d in
                .map(["claim": .int(Int(graph.relationship(d).statement)),
                      "sources": .list(graph.sources(ofRelationship: d).map { .string($0.source) }),
                      "grade": graph.relationship(d).grading.map { .string($0.description) } ?? .null])
            })
        case "origin": return .string("\(graph.origin(ofRelationship: r))")
        case "statement": return .int(Int(graph.relationship(r).statement))
        default: return .null
        }
    }

    public mutating func createNode(labels: [String], properties: [(String, QueryValue)]) throws -> Int {
        var props: [String: Value] = [:]
        var key: String? = nil
        for (k, v) in properties {
            if k == "id", case .string(let s) = v, graph.lookup(key: s) == nil { key = s; continue }
            props[k] = try Value(v)
        }
        return Int(graph.addNode(key: key, labels: labels, properties: props))
    }
    public mutating func createRelationship(type: String, from: Int, to: Int, properties: [(String, QueryValue)]) throws -> Int {
        var props: [String: Value] = [:]
        for (k, v) in properties { props[k] = try Value(v) }
        return Int(graph.addRelationship(from: Int32(from), to: Int32(to), type: type, properties: props))
    }
    public mutating func deleteNode(_ node: Int) throws {
        guard graph.deleteNode(Int32(node), detach: false) else {
            throw QueryError(.constraintVerificationFailed, "DeleteConnectedNode", "cannot delete a node that still has relationships; use DETACH DELETE", phase: .runtime)
        }
    }
    public mutating func deleteRelationship(_ rel: Int) throws { graph.deleteRelationship(Int32(rel)) }
    public mutating func setNodeProperty(_ node: Int, _ key: String, _ value: QueryValue) throws {
        graph.setProperty(Int32(node), key, value.isNull ? nil : try Value(value))
    }
    public mutating func setRelationshipProperty(_ rel: Int, _ key: String, _ value: QueryValue) throws {
        graph.setRelationshipProperty(Int32(rel), key, value.isNull ? nil : try Value(value))
    }
    public mutating func addLabel(_ node: Int, _ label: String) throws { graph.addLabel(Int32(node), label) }
    public mutating func removeLabel(_ node: Int, _ label: String) throws { graph.removeLabel(Int32(node), label) }
}

extension QueryValue {
    /// A stored value as the query language sees it (a geo point reads as {latitude, longitude}).
    public init(_ v: Value) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int(i))
        case .float(let f): self = .float(f)
        case .string(let s): self = .string(s)
        case .date(let d): self = .date(d)
        case .list(let l): self = .list(l.map(QueryValue.init))
        case .map(let m): self = .map(m.mapValues(QueryValue.init))
        case .geo(let g): self = .map(["latitude": .float(g.latitude), "longitude": .float(g.longitude)])
        }
    }
}

extension Value {
    /// A query value as stored; nodes, relationships and paths cannot be stored.
    public init(_ q: QueryValue) throws {
        switch q {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int64(i))
        case .float(let f): self = .float(f)
        case .string(let s): self = .string(s)
        case .date(let d): self = .date(d)
        case .list(let l): self = .list(try l.map(Value.init))
        case .map(let m): self = .map(try m.mapValues(Value.init))
        case .node, .relationship, .path:
            throw QueryError(.typeError, "InvalidPropertyType", "a \(q.typeName) cannot be stored as a property value", phase: .runtime)
        case .temporal(let t) where t.kind == .dateTime:
            // a Mosaic instant: to the second, with its UTC offset (a named zone keeps its offset)
            let instant = PartialDate(seconds: t.instantSeconds, precision: .second, offsetMinutes: Int16(clamping: t.offsetSeconds / 60))
            guard t.offsetSeconds % 60 == 0, (-9999...9999).contains(instant.year) else {
                throw QueryError(.typeError, "InvalidPropertyType",
                                 "\(t) cannot be stored in a Mosaic graph (years -9999…9999, offsets in whole minutes); store toString(...) instead", phase: .runtime)
            }
            self = .date(instant)
        case .duration, .temporal:
            throw QueryError(.typeError, "InvalidPropertyType",
                             "a \(q.typeName) cannot be stored in a Mosaic graph; store its text with toString(...), or a datetime (dates and date-times store as they are)", phase: .runtime)
        }
    }
}

extension PreparedQuery {
    /// Runs the query on a Mosaic graph snapshot (e.g. the graph as of a past transaction).
    /// The returned table's `graph.graph` is the graph after the query.
    public func execute(on graph: Graph, parameters: [String: QueryValue] = [:],
                        limits: QueryLimits = QueryLimits()) throws -> ResultTable<GraphView> {
        try execute(on: GraphView(graph), parameters: parameters, limits: limits)
    }
}

/// The outcome of a query run on a Mosaic graph: the table, the graph after the query, and
/// the statements a writing query asserted or retracted (for one Store transaction).
public struct GraphQueryOutcome: Sendable {
    public var table: ResultTable<GraphView>
    public var graph: Graph
    public var changes: [GraphChange]
}

extension PreparedQuery {
    /// Runs the query on `graph`, recording every write as statements carrying `writeMeta`
    /// (its origin says who wrote: console, plugin rule, CLI). When the query fails nothing
    /// is returned and the caller's graph is unchanged.
    public func execute(on graph: Graph, writeMeta: StatementMeta, parameters: [String: QueryValue] = [:],
                        limits: QueryLimits = QueryLimits()) throws -> GraphQueryOutcome {
        var g = graph
        g.isRecording = true
        g.writeMeta = writeMeta
        _ = g.takeChanges()
        let table = try execute(on: GraphView(g), parameters: parameters, limits: limits)
        var after = table.graph.graph
        let changes = after.takeChanges()
        after.isRecording = graph.isRecording
        return GraphQueryOutcome(table: table, graph: after, changes: changes)
    }
}
