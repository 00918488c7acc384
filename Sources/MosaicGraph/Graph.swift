/// The in-memory, read-optimised view of the statements believed at one transaction: nodes
/// and relationships in insertion order with indexes by key, label, name and adjacency.
///
/// `Graph` is a value: readers keep the copy they were given while a writer mutates its own
/// (arrays are copy-on-write). A writer that sets `isRecording` gets every mutation back as
/// `changes`, which the Store commits as one transaction.
public struct Graph: Sendable {
    public internal(set) var nodes = NodeTable()
    public internal(set) var relationships = ChunkedArray<Relationship>()
    /// Each relationship's type id again, two bytes each (`relationships[i].type`): a typed
    /// run is found by binary search on these (Graph+Adjacency.swift), 24 to a cache line,
    /// instead of on the 48-byte records (a cache miss a probe in the 5 million at 1M).
    /// Appended with every relationship (`loadRelationship`, the checkpoint reader).
    var relationshipTypeCodes = ChunkedArray<UInt16>()
    public internal(set) var relationTypes: [String] = []
    var relationTypeIDs: [String: Int32] = [:]
    var keyIndex: [String: Int32] = [:]
    var labelIndex: [String: [Int32]] = [:]
    var nameIndex: [String: NameSlot] = [:]
    /// Set in a graph read from a snapshot file until its key and name indexes are first
    /// needed: they are built then (DeferredIndexes.swift), and `keyIndex`/`nameIndex` are
    /// empty until a change takes them over (`settleIndexes()`).
    var deferredIndexes: DeferredIndexes?
    /// Each node's relationships, by type and within a type in statement order, each with the
    /// node at its other end: `rel, other, rel, other, …` (Graph+Adjacency.swift).
    var outAdjacency = AdjacencyLists()
    var inAdjacency = AdjacencyLists()
    /// Set between `beginBulkLoad()` and `endBulkLoad()`, with the nodes whose lists that
    /// load appended out of type order (a bit per node).
    var bulkLoading = false
    var ungroupedOut: [UInt64] = []
    var ungroupedIn: [UInt64] = []
    /// Set instead during a bulk load into a graph without relationships: no list is kept
    /// until `endBulkLoad()` makes them all (PendingAdjacency.swift).
    var pendingAdjacency: PendingAdjacency?
    /// Live relationships by type id (Graph+Adjacency.swift, `relationshipCount(ofType:)`).
    var typeCounts: [Int] = []
    var relationProps: [Int32: [String: Value]] = [:]
    var relationPropStatements: [Int32: [String: Int64]] = [:]
    var sourceSets: [[Citation]] = [[]]
    /// Each set's position in `sourceSets`; empty in a graph just read from a snapshot file
    /// until a write needs it (`internSources`).
    var sourceSetIDs: [[Citation]: Int32] = [[]: 0]
    /// Claims and facts (Graph+Facts.swift): a fact's relationship → its claims (itself
    /// first, then in statement order) when it has more than one; a folded claim → its fact;
    /// denials by the pair of ends they name.
    var factClaims = FactClaimTable()
    var claimFact: [Int32: Int32] = [:]
    var denialIndex: [UInt64: [Int32]] = [:]
    /// What cannot hold together (functional relation types, types that exclude each other):
    /// the schema's, set by whoever opens the graph; `conflicts()` and `disputed` read it.
    public var factRules = FactRules()
    /// The clocks this graph was read by (`viewed(_:)`), nil for the store's own graph: a
    /// view is for reading; writes go to the store's graph.
    public internal(set) var clockView: ClockView?
    var originList: [Origin] = []
    var originIDs: [Origin: Int32] = [:]
    /// One shared `[type]` array per type for nodes with a single label (copy-on-write keeps
    /// them independent): saves an allocation per node.
    var singleLabelArrays: [String: [String]] = [:]
    private var lastOrigin: (origin: Origin, id: Int32)?
    /// The type of the last relationship loaded (runs of one type are common, and a name keeps
    /// its id).
    private var lastType: (name: String, id: Int32)?

    /// The last store transaction this graph reflects (0 for a graph not from a store).
    public var transaction: Int64 = 0
    /// The id the next new statement gets.
    public var nextStatementID: Int64 = 1
    /// The transaction id mutations are stamped with (the Store sets the real one on commit).
    public var pendingTransaction: Int64 = 0
    /// Metadata given to statements that mutations create.
    public var writeMeta = StatementMeta(origin: .system("graph"))
    public var isRecording = false
    public private(set) var changes: [GraphChange] = []
    public internal(set) var liveNodeCount = 0
    public internal(set) var liveRelationshipCount = 0
    /// How many nodes hold a property named `id` (a deleted node may still be counted; never
    /// undercounts): while 0, a node's `id` is its key and the key index answers `{id: …}` exactly.
    public internal(set) var idPropertyCount = 0
    var anonymousCounter = 0

    public init() {}

    // MARK: - reading

    public func node(_ i: Int32) -> Node { nodes[Int(i)] }
    public func relationship(_ r: Int32) -> Relationship { relationships[Int(r)] }
    public var nodeIndices: [Int32] { nodes.indices.lazy.filter { nodes[$0].alive }.map { Int32($0) } }
    public var relationshipIndices: [Int32] {
        relationships.indices.lazy.filter { relationships[$0].alive }.map { Int32($0) }
    }

    public func lookup(key: String) -> Int32? {
        if let deferredIndexes { return deferredIndexes.node(key: key, in: nodes) }
        return keyIndex[key]
    }

    /// Takes the deferred key and name indexes as this graph's own, before a change to them.
    mutating func settleIndexes() {
        guard let d = deferredIndexes else { return }
        (keyIndex, nameIndex) = d.indexes(nodes)
        deferredIndexes = nil
    }

    /// The name index, built if it was deferred.
    var currentNameIndex: [String: NameSlot] { deferredIndexes?.indexes(nodes).names ?? nameIndex }

    /// Nodes carrying `label`, in insertion order; with a schema lineage (`factRules.lineage`)
    /// also the nodes of every type that extends it, all in node order.
    public func nodes(withLabel label: String) -> [Int32] {
        let own = labelIndex[label] ?? []
        guard !factRules.lineage.isEmpty, let subtypes = factRules.lineage.descendants[label] else { return own }
        var lists: [[Int32]] = own.isEmpty ? [] : [own]
        for t in subtypes { if let l = labelIndex[t], !l.isEmpty { lists.append(l) } }
        if lists.count <= 1 { return lists.first ?? [] }
        var all = Array(lists.joined())
        all.sort()
        var out: [Int32] = []
        out.reserveCapacity(all.count)
        for n in all where out.last != n { out.append(n) }
        return out
    }
    /// The labels some node has (with the ancestors of its types), sorted.
    public var labels: [String] {
        let stored = labelIndex.filter { !$0.value.isEmpty }.keys
        guard !factRules.lineage.isEmpty else { return stored.sorted() }
        var all = Set(stored)
        for l in stored { all.formUnion(factRules.lineage.ancestors[l] ?? []) }
        return all.sorted()
    }
    /// How many nodes `nodes(withLabel:)` gives.
    public func count(label: String) -> Int {
        guard !factRules.lineage.isEmpty, factRules.lineage.descendants[label] != nil else { return labelIndex[label]?.count ?? 0 }
        return nodes(withLabel: label).count
    }
    /// Live nodes by type (a node's first label; "" for a node without one), read from the
    /// label index (a node is counted under its first label only) instead of every node's type:
    /// what `mosaic stats` lists.
    public func nodeCountsByType() -> [String: Int] {
        // (a graph read from a snapshot file and not changed since: the counts the file recorded)
        if let recorded = nodes.snapshotTypeCounts { return recorded }
        var counts: [String: Int] = [:]
        nodes.withUnsafeBufferPointer { buf in
            for (label, list) in labelIndex {
                var n = 0
                for i in list where buf[Int(i)].alive && buf[Int(i)].labels.first == label { n += 1 }
                if n > 0 { counts[label, default: 0] += n }
            }
            var untyped = 0
            for i in buf.indices where buf[i].alive && buf[i].labels.isEmpty { untyped += 1 }
            if untyped > 0 { counts["", default: 0] += untyped }
        }
        return counts
    }
    /// A node's labels: its stored labels, each followed by its ancestors in the schema's
    /// lineage (a `Base` is a `Location`).
    public func labels(ofNode n: Int32) -> [String] {
        factRules.lineage.isEmpty ? nodes[Int(n)].labels : factRules.lineage.expand(nodes[Int(n)].labels)
    }

    /// Nodes whose name or an alias matches `name`, folding case, diacritics and punctuation.
    public func nodes(named name: String) -> [Int32] { currentNameIndex[NameKey.normalize(name)]?.nodes ?? [] }

    public func relationTypeID(_ name: String) -> Int32? { relationTypeIDs[name] }
    public func relationTypeName(_ id: Int32) -> String { relationTypes[Int(id)] }
    public func typeName(of r: Int32) -> String { relationTypes[Int(relationships[Int(r)].type)] }

    // By type, in statement order, and the lists as kept: Graph+Adjacency.swift.
    /// Counts without copying the list out (no reference counting on the hot path).
    public func outDegree(_ node: Int32) -> Int { outPairs(node).count }
    public func inDegree(_ node: Int32) -> Int { inPairs(node).count }
    public func degree(_ node: Int32) -> Int { outPairs(node).count + inPairs(node).count }

    public func properties(ofRelationship r: Int32) -> [String: Value] { relationProps[r] ?? [:] }
    public func property(_ name: String, ofRelationship r: Int32) -> Value? { relationProps[r]?[name] }

    public func sources(ofRelationship r: Int32) -> [Citation] { sourceSets[Int(relationships[Int(r)].sourcesRef)] }
    public func origin(ofRelationship r: Int32) -> Origin { originList[Int(relationships[Int(r)].originRef)] }

    public func meta(ofRelationship r: Int32) -> StatementMeta {
        let rel = relationships[Int(r)]
        return StatementMeta(validFrom: rel.validFrom, validTo: rel.validTo, sources: sources(ofRelationship: r),
                             grading: rel.grading, confidence: rel.confidenceValue.isNaN ? nil : Double(rel.confidenceValue),
                             origin: origin(ofRelationship: r))
    }

    /// The relationship made by statement `id` (relationships are kept in statement order).
    public func relationship(statement id: Int64) -> Int32? {
        var lo = 0, hi = relationships.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if relationships[mid].statement < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < relationships.count && relationships[lo].statement == id ? Int32(lo) : nil
    }

    // MARK: - loading (no change records; used by the Store to build a snapshot)

    /// Adds a node from stored statements. Returns the existing index if `key` is present.
    @discardableResult
    public mutating func loadNode(key: String, type: String, statement: Int64) -> Int32 {
        settleIndexes()
        if let i = keyIndex[key] {
            // A second entity statement for the same key: keep the first type, remember the label.
            if !type.isEmpty && !nodes[Int(i)].labels.contains(type) { attachLabel(i, type) }
            return i
        }
        let i = Int32(nodes.count)
        nodes.append(Node(key: key, labels: [], statement: statement))
        keyIndex[key] = i
        liveNodeCount += 1
        if !type.isEmpty { attachLabel(i, type) }
        bump(statement)
        return i
    }

    public mutating func loadLabel(_ node: Int32, _ label: String, statement: Int64) {
        if !nodes[Int(node)].labels.contains(label) { attachLabel(node, label) }
        nodes[Int(node)].labelStatements[label] = statement
        bump(statement)
    }

    public mutating func loadProperty(_ node: Int32, _ name: String, _ value: Value, statement: Int64) {
        let old = setEntry(node, name, value, statement: statement)
        if name == "name" || name == "aliases" { reindexName(node, old: old, new: value, field: name) }
        bump(statement)
    }

    @discardableResult
    public mutating func loadRelationship(from: Int32, to: Int32, type: String, properties: [String: Value],
                                          meta: StatementMeta, statement: Int64, transaction: Int64) -> Int32 {
        let r = Int32(relationships.count)
        precondition(relationships.last.map { $0.statement < statement } ?? true,
                     "relationships must be added in statement order")
        let typeID = internType(type)
        relationships.append(Relationship(
            source: from, target: to, type: typeID, statement: statement, alive: true,
            validFrom: meta.validFrom, validTo: meta.validTo, grading: meta.grading,
            confidenceValue: meta.confidence.map(Float.init) ?? .nan,
            sourcesRef: internSources(meta.sources), originRef: internOrigin(meta.origin), txFrom: transaction))
        relationshipTypeCodes.append(UInt16(typeID))
        if !properties.isEmpty { relationProps[r] = properties }
        bump(statement)
        // A claim that is a denial, or that says what a fact already holds, is folded into it.
        if placeClaim(r, properties: properties, meta: meta) { return r }
        linkAdjacency(r, from: from, to: to, type: relationships[Int(r)].type)
        liveRelationshipCount += 1
        return r
    }

    /// Removes the properties named in `names` from a node in one pass (no change records:
    /// the Store applies retractions with it). Removing k of a node's n properties one by one
    /// costs k·n; this costs n.
    public mutating func unloadProperties(_ node: Int32, _ names: Set<String>) {
        for e in nodes[Int(node)].removeEntries(names) {
            if e.name == "id" { idPropertyCount -= 1 }
            if e.name == "name" || e.name == "aliases" { reindexName(node, old: e.value, new: .null, field: e.name) }
        }
    }

    public mutating func loadRelationshipProperty(_ r: Int32, _ name: String, _ value: Value, statement: Int64) {
        if value.isNull { relationProps[r]?[name] = nil } else { relationProps[r, default: [:]][name] = value }
        relationPropStatements[r, default: [:]][name] = statement
        bump(statement)
    }

    /// Reserves capacity before a large load.
    public mutating func reserve(nodes n: Int, relationships r: Int) {
        settleIndexes()
        nodes.reserveCapacity(n); outAdjacency.reserveCapacity(n); inAdjacency.reserveCapacity(n)
        keyIndex.reserveCapacity(n); relationships.reserveCapacity(r); relationshipTypeCodes.reserveCapacity(r)
    }

    /// Every change of a node's property entries goes through here (keeps `idPropertyCount`).
    private mutating func setEntry(_ node: Int32, _ name: String, _ value: Value?, statement: Int64) -> Value? {
        let old = nodes[Int(node)].setEntry(name, value, statement: statement)
        if name == "id" { idPropertyCount += (old == nil && value != nil ? 1 : 0) - (old != nil && value == nil ? 1 : 0) }
        return old
    }

    private mutating func bump(_ statement: Int64) { if statement >= nextStatementID { nextStatementID = statement + 1 } }

    // MARK: - writing (recorded as statements when `isRecording`)

    /// Creates a node. `key` nil makes an anonymous node (`_:N`).
    @discardableResult
    public mutating func addNode(key: String? = nil, labels: [String] = [], properties: [String: Value] = [:]) -> Int32 {
        settleIndexes()
        var k = key ?? ""
        if key == nil {
            repeat { anonymousCounter += 1; k = "_:\(nextStatementID)-\(anonymousCounter)" } while keyIndex[k] != nil
        }
        let type = labels.first ?? ""
        let stmt = record(subject: k, kind: .entity(type: type))
        let i = loadNode(key: k, type: type, statement: stmt)
        for l in labels.dropFirst() { addLabel(i, l) }
        for (name, v) in properties.sorted(by: { $0.key < $1.key }) where !v.isNull { setProperty(i, name, v) }
        return i
    }

    /// Sets (or with nil/null removes) a node property.
    public mutating func setProperty(_ node: Int32, _ name: String, _ value: Value?) {
        let key = nodes[Int(node)].key
        if let old = nodes[Int(node)].propertyStatement(name) { retract(old) }
        let oldValue: Value?
        if let value, !value.isNull {
            let stmt = record(subject: key, kind: .property(name: name, value: value))
            oldValue = setEntry(node, name, value, statement: stmt)
        } else {
            oldValue = setEntry(node, name, nil, statement: 0)
        }
        if name == "name" || name == "aliases" { reindexName(node, old: oldValue, new: value ?? .null, field: name) }
    }

    public mutating func addLabel(_ node: Int32, _ label: String) {
        guard !nodes[Int(node)].labels.contains(label) else { return }
        if nodes[Int(node)].labels.isEmpty {
            // The first label becomes the type: restate the entity statement.
            retract(nodes[Int(node)].statement)
            nodes[Int(node)].statement = record(subject: nodes[Int(node)].key, kind: .entity(type: label))
        } else {
            nodes[Int(node)].labelStatements[label] = record(subject: nodes[Int(node)].key, kind: .label(label))
        }
        attachLabel(node, label)
    }

    public mutating func removeLabel(_ node: Int32, _ label: String) {
        var n = nodes[Int(node)]
        guard let pos = n.labels.firstIndex(of: label) else { return }
        if pos == 0 {
            // Removing the type: the next label (if any) becomes the type.
            retract(n.statement)
            let next = n.labels.count > 1 ? n.labels[1] : ""
            if let s = n.labelStatements[next] { retract(s); n.labelStatements[next] = nil }
            n.statement = record(subject: n.key, kind: .entity(type: next))
        } else if let s = n.labelStatements[label] {
            retract(s)
            n.labelStatements[label] = nil
        }
        n.labels.remove(at: pos)
        nodes[Int(node)] = n
        labelIndex[label]?.removeAll { $0 == node }
    }

    /// Deletes a node and (when `detach`) its relationships. Returns false, changing nothing,
    /// when the node still has relationships and `detach` is false.
    @discardableResult
    public mutating func deleteNode(_ node: Int32, detach: Bool = false) -> Bool {
        guard nodes[Int(node)].alive else { return true }
        settleIndexes()
        if degree(node) > 0 {
            guard detach else { return false }
            for r in outList(node) + inList(node) { deleteRelationship(r) }
        }
        let n = nodes[Int(node)]
        for s in n.entries.map(\.statement).sorted() { retract(s) }
        for s in n.labelStatements.values.sorted() { retract(s) }
        retract(n.statement)
        for l in n.labels { labelIndex[l]?.removeAll { $0 == node } }
        reindexName(node, old: n.property("name"), new: .null, field: "name")
        reindexName(node, old: n.property("aliases"), new: .null, field: "aliases")
        keyIndex[n.key] = nil
        nodes[Int(node)].alive = false
        liveNodeCount -= 1
        return true
    }

    @discardableResult
    public mutating func addRelationship(from: Int32, to: Int32, type: String, properties: [String: Value] = [:],
                                         meta: StatementMeta? = nil) -> Int32 {
        let m = meta ?? writeMeta
        let props = properties.filter { !$0.value.isNull }
        let stmt = record(subject: nodes[Int(from)].key,
                          kind: .relation(type: type, target: nodes[Int(to)].key, properties: props), meta: m)
        return loadRelationship(from: from, to: to, type: type, properties: props, meta: m, statement: stmt,
                                transaction: pendingTransaction)
    }

    public mutating func setRelationshipProperty(_ r: Int32, _ name: String, _ value: Value?) {
        if let old = relationPropStatements[r]?[name] { retract(old) }
        let stmt = record(subject: "#\(relationships[Int(r)].statement)",
                          kind: .relationProperty(name: name, value: value ?? .null))
        relationPropStatements[r, default: [:]][name] = stmt
        if let value, !value.isNull { relationProps[r, default: [:]][name] = value } else { relationProps[r]?[name] = nil }
    }

    /// Deletes a relationship: the whole fact, every claim behind it (a query's DELETE). A
    /// folded claim alone is retracted as one claim.
    public mutating func deleteRelationship(_ r: Int32) {
        let rel = relationships[Int(r)]
        if rel.folded { return retractClaim(r) }
        guard rel.alive else { return }
        for c in factClaims.removeValue(forKey: r) ?? [] where c != r {
            for s in (relationPropStatements[c] ?? [:]).values.sorted() { retract(s) }
            retract(relationships[Int(c)].statement)
            relationships[Int(c)].folded = false
            claimFact[c] = nil
        }
        for s in (relationPropStatements[r] ?? [:]).values.sorted() { retract(s) }
        retract(rel.statement)
        unlinkAdjacency(r)
        relationships[Int(r)].alive = false
        liveRelationshipCount -= 1
    }

    /// Returns and clears the recorded changes.
    public mutating func takeChanges() -> [GraphChange] {
        defer { changes = [] }
        return changes
    }

    // MARK: - internals

    private mutating func record(subject: String, kind: StatementKind, meta: StatementMeta? = nil) -> Int64 {
        let id = nextStatementID
        nextStatementID += 1
        if isRecording {
            changes.append(.assert(Statement(id: id, subject: subject, kind: kind, meta: meta ?? writeMeta,
                                             txFrom: pendingTransaction)))
        }
        return id
    }

    private mutating func retract(_ statement: Int64) {
        if isRecording { changes.append(.retract(statement)) }
    }

    private mutating func attachLabel(_ node: Int32, _ label: String) {
        if nodes[Int(node)].labels.isEmpty {
            if let shared = singleLabelArrays[label] {
                nodes[Int(node)].labels = shared
            } else {
                nodes[Int(node)].labels = [label]
                singleLabelArrays[label] = nodes[Int(node)].labels
            }
        } else {
            nodes[Int(node)].labels.append(label)
        }
        labelIndex[label, default: []].append(node)
    }

    private mutating func internType(_ name: String) -> Int32 {
        if let last = lastType, last.name == name { return last.id }
        let id = Graph.intern(name, &relationTypes, &relationTypeIDs)
        lastType = (name, id)
        return id
    }

    /// The id of `value` in `list` (its position), appended and indexed when new.
    private static func intern<V: Hashable>(_ value: V, _ list: inout [V], _ ids: inout [V: Int32]) -> Int32 {
        if let known = ids[value] { return known }
        let id = Int32(list.count)
        list.append(value)
        ids[value] = id
        return id
    }

    private mutating func internSources(_ s: [Citation]) -> Int32 {
        if sourceSetIDs.isEmpty && !sourceSets.isEmpty {
            // A graph read from a snapshot file builds this index on its first write that
            // needs it, not at open (hashing a million source sets cost 0.3 s of every open).
            sourceSetIDs.reserveCapacity(sourceSets.count)
            for (i, set) in sourceSets.enumerated() { sourceSetIDs[set] = Int32(i) }
        }
        // During a bulk load a set of one citation without a note is found by its source (a
        // string held in place, not an array to follow and hash element by element).
        let single = pendingAdjacency != nil && s.count == 1 && s[0].note == nil
        if single, let id = pendingAdjacency!.singleSource(s[0].source) { return id }
        let id = Graph.intern(s, &sourceSets, &sourceSetIDs)
        if single { pendingAdjacency!.setSingleSource(s[0].source, id) }
        return id
    }

    private mutating func internOrigin(_ o: Origin) -> Int32 {
        // Relations loaded or written together mostly share their origin.
        if let last = lastOrigin, last.origin == o { return last.id }
        if let id = originIDs[o] { lastOrigin = (o, id); return id }
        let id = Int32(originList.count)
        originList.append(o)
        originIDs[o] = id
        lastOrigin = (o, id)
        return id
    }

    private mutating func reindexName(_ node: Int32, old: Value?, new: Value, field: String) {
        settleIndexes()
        func keys(_ v: Value?) -> [String] {
            switch v {
            case .string(let s)?: return [NameKey.normalize(s)]
            case .list(let l)?: return l.compactMap(\.stringValue).map(NameKey.normalize)
            default: return []
            }
        }
        for k in keys(old) where !k.isEmpty {
            if let slot = nameIndex[k] { nameIndex[k] = slot.removing(node) }
        }
        for k in keys(new) where !k.isEmpty {
            if let slot = nameIndex[k] { nameIndex[k] = slot.adding(node) } else { nameIndex[k] = .one(node) }
        }
    }
}

/// The nodes one name key finds: most names name one node, held inline (no array).
enum NameSlot: Sendable {
    case one(Int32)
    case many([Int32])

    var nodes: [Int32] {
        switch self { case .one(let n): [n]; case .many(let l): l }
    }
    func adding(_ n: Int32) -> NameSlot {
        switch self {
        case .one(let m): m == n ? self : .many([m, n])
        case .many(let l): l.contains(n) ? self : .many(l + [n])
        }
    }
    /// nil when no node is left.
    func removing(_ n: Int32) -> NameSlot? {
        switch self {
        case .one(let m): return m == n ? nil : self
        case .many(let l):
            let rest = l.filter { $0 != n }
            return rest.isEmpty ? nil : rest.count == 1 ? .one(rest[0]) : .many(rest)
        }
    }
}
