import MosaicGraph

/// A statement as rules see it, with the graph indices of its ends when it is a relation.
/// (A class: facts are shared by the view, deltas and derivations without copying.)
public final class Fact: Sendable {
    public let id: Int64
    public let subject: String
    public let kind: StatementKind
    public let meta: StatementMeta
    /// The subject's node in `InferenceView.graph` (-1 when it has none).
    public let node: Int32
    /// A relation's target node (-1 for other kinds or a target not in the graph).
    public let target: Int32

    public init(id: Int64, subject: String, kind: StatementKind, meta: StatementMeta, node: Int32, target: Int32) {
        self.id = id; self.subject = subject; self.kind = kind; self.meta = meta; self.node = node; self.target = target
    }

    public var predicate: String { kind.predicate }
    public var isRelation: Bool { if case .relation = kind { return true }; return false }
    /// A relation's target key.
    public var targetKey: String? { if case .relation(_, let t, _) = kind { return t }; return nil }
    /// A property's value (or a relation's property `name`).
    public var value: Value? { if case .property(_, let v) = kind { return v }; return nil }
    public func property(_ name: String) -> Value? {
        if case .relation(_, _, let p) = kind { return p[name] }
        return nil
    }
    /// The date a dated fact happened or started: valid-from, else valid-to.
    public var date: PartialDate? { meta.validFrom ?? meta.validTo }
}

/// The facts new since a rule's last round.
public struct Delta: Sendable {
    /// True on a rule's first evaluation: `facts` is every fact it reads.
    public let isFull: Bool
    public let facts: [Fact]
    public init(isFull: Bool, facts: [Fact]) { self.isFull = isFull; self.facts = facts }
    public func facts(withPredicate p: String) -> [Fact] { facts.filter { $0.predicate == p } }
    public var isEmpty: Bool { facts.isEmpty }
}

/// A set of relation types resolved once against a view (for tight loops).
public struct RelationTypes: Sendable {
    public let names: Set<String>
    let graphIDs: [Int32]
}

/// What the facts are while an inference run is under way: the graph snapshot it started
/// from, minus the derived statements it has withdrawn, plus what it has derived so far.
/// Rules read it; only the engine changes it between rounds.
///
/// Rules see one relation per fact, plus every *derived* claim folded into a fact (a
/// conclusion derived with another valid time or grade, or a rule's conclusion that an
/// analyst also asserted): what a rule derives in a run is visible claim by claim while the
/// run lasts, so it stays visible claim by claim in later runs, and an incremental run sees
/// what a run from scratch sees. An asserted claim folded into a fact (a second source) is
/// not a relation of its own here, as in queries.
public final class InferenceView {
    public let graph: Graph
    private(set) var hidden: Set<Int64> = []
    private var pending: [Int64: Fact] = [:]
    private var pendingOut: [Int32: [Int64]] = [:]
    private var pendingIn: [Int32: [Int64]] = [:]
    /// Derived relations not yet in `pendingOut` / `pendingIn` (indexed when first needed).
    private var unindexed: [Fact] = []
    private var pendingByPredicate: [String: [Int64]] = [:]
    private var cache: [Int64: Fact] = [:]
    /// Loads non-relation statements (properties, labels) the graph does not carry metadata
    /// for; an inference run points it at its read transaction while it lasts.
    var loadStatements: ([Int64]) throws -> [Statement]

    /// Whether the graph has folded claims at all (else the claim lists are not looked at).
    let hasFolded: Bool

    init(graph: Graph, loadStatements: @escaping ([Int64]) throws -> [Statement]) {
        self.graph = graph
        self.loadStatements = loadStatements
        hasFolded = graph.factStatistics.foldedClaims > 0
    }

    /// Calls `body` with each derived claim folded into the fact of relationship `r`.
    @inline(__always)
    func forEachFoldedDerivedClaim(of r: Int32, _ body: (Int32) -> Void) {
        guard hasFolded else { return }
        let claims = graph.claims(ofFact: r)
        guard claims.count > 1 else { return }
        for c in claims.dropFirst() where graph.origin(ofRelationship: c).isDerived { body(c) }
    }

    // MARK: reading

    public func node(key: String) -> Int32? { graph.lookup(key: key) }
    public func key(of node: Int32) -> String { graph.node(node).key }

    public func types(_ names: Set<String>) -> RelationTypes {
        RelationTypes(names: names, graphIDs: names.compactMap { graph.relationTypeID($0) }.sorted())
    }

    /// The visible fact with this statement id.
    public func fact(_ id: Int64) -> Fact? {
        if hidden.contains(id) { return nil }
        if let f = pending[id] ?? cache[id] { return f }
        if let r = graph.relationship(statement: id), graph.fact(ofClaim: r) != nil {
            let f = makeFact(r)
            cache[id] = f
            return f
        }
        if let s = try? loadStatements([id]).first, s.txTo == nil {
            let f = makeFact(s)
            cache[id] = f
            return f
        }
        return nil
    }

    public func isVisible(_ id: Int64) -> Bool { fact(id) != nil }

    /// Visible relations leaving (`outgoing`) or entering a node, of the given types.
    public func relations(of node: Int32, _ types: RelationTypes, outgoing: Bool) -> [Fact] {
        var out: [Fact] = []
        forEachRelation(of: node, types, outgoing: outgoing) { id, _ in if let f = fact(id) { out.append(f) } }
        return out
    }

    /// Calls `body(statement, other end)` for each visible relation of the given types at `node`.
    public func forEachRelation(of node: Int32, _ types: RelationTypes, outgoing: Bool, _ body: (Int64, Int32) -> Void) {
        if !unindexed.isEmpty { indexPending() }
        if node >= 0 && Int(node) < graph.nodes.count {
            let list = outgoing ? graph.outList(node) : graph.inList(node)
            for r in list {
                let rel = graph.relationship(r)
                guard types.graphIDs.contains(rel.type) else { continue }
                if !hidden.contains(rel.statement) { body(rel.statement, outgoing ? rel.target : rel.source) }
                forEachFoldedDerivedClaim(of: r) { c in
                    let claim = graph.relationship(c)
                    if !hidden.contains(claim.statement) { body(claim.statement, outgoing ? claim.target : claim.source) }
                }
            }
        }
        for id in (outgoing ? pendingOut[node] : pendingIn[node]) ?? [] {
            guard let f = pending[id], types.names.contains(f.predicate), !hidden.contains(id) else { continue }
            body(id, outgoing ? f.target : f.node)
        }
    }

    /// Every visible fact with this predicate (relation type or property name).
    public func facts(withPredicate p: String) -> [Fact] {
        var out: [Fact] = []
        if let t = graph.relationTypeID(p) {
            func add(_ r: Int32) {
                let rel = graph.relationship(r)
                guard !hidden.contains(rel.statement) else { return }
                if let f = cache[rel.statement] { out.append(f) } else {
                    let f = makeFact(r); cache[rel.statement] = f; out.append(f)
                }
            }
            for (i, rel) in graph.relationships.enumerated() where rel.alive && rel.type == t {
                add(Int32(i))
                forEachFoldedDerivedClaim(of: Int32(i), add)
            }
        } else {
            var ids: [Int64] = []
            for i in graph.nodeIndices {
                let n = graph.node(i)
                if let s = n.propertyStatements[p] { ids.append(s) }
                if n.type == p { ids.append(n.statement) }
                if let s = n.labelStatements[p] { ids.append(s) }
            }
            if !ids.isEmpty, let ss = try? loadStatements(ids) {
                for s in ss where s.txTo == nil && !hidden.contains(s.id) { out.append(makeFact(s)) }
            }
        }
        for id in pendingByPredicate[p] ?? [] where !hidden.contains(id) { if let f = pending[id] { out.append(f) } }
        return out
    }

    // MARK: engine side

    func makeFact(_ r: Int32) -> Fact {
        let rel = graph.relationship(r)
        let g = graph
        return Fact(id: rel.statement, subject: g.node(rel.source).key,
                    kind: .relation(type: g.relationTypeName(rel.type), target: g.node(rel.target).key,
                                    properties: g.properties(ofRelationship: r)),
                    meta: g.meta(ofRelationship: r), node: rel.source, target: rel.target)
    }

    func makeFact(_ s: Statement) -> Fact {
        if case .relation = s.kind, let r = graph.relationship(statement: s.id) { return makeFact(r) }
        var target: Int32 = -1
        if case .relation(_, let t, _) = s.kind { target = graph.lookup(key: t) ?? -1 }
        return Fact(id: s.id, subject: s.subject, kind: s.kind, meta: s.meta, node: graph.lookup(key: s.subject) ?? -1, target: target)
    }

    func hide(_ id: Int64) { hidden.insert(id) }
    func unhide(_ id: Int64) { hidden.remove(id) }

    /// Adds a fact derived during this run.
    func addPending(_ f: Fact) {
        if !unindexed.isEmpty { indexPending() }
        pending[f.id] = f
        pendingByPredicate[f.predicate, default: []].append(f.id)
        if f.isRelation {
            pendingOut[f.node, default: []].append(f.id)
            pendingIn[f.target, default: []].append(f.id)
        }
    }

    /// Adds relations derived during this run, all with this predicate (what `addPending`
    /// does for each, in order).
    func addPending(relations facts: [Fact], predicate: String) {
        guard !facts.isEmpty else { return }
        pending.reserveCapacity(pending.count + facts.count)
        pendingByPredicate[predicate, default: []].append(contentsOf: facts.lazy.map(\.id))
        for f in facts { pending[f.id] = f }
        unindexed.append(contentsOf: facts)
    }

    private func indexPending() {
        for f in unindexed {
            pendingOut[f.node, default: []].append(f.id)
            pendingIn[f.target, default: []].append(f.id)
        }
        unindexed = []
    }

    var pendingFacts: [Fact] { pending.values.sorted { $0.id < $1.id } }

    /// The visible facts derived in this run with this predicate, oldest first.
    func pendingFacts(withPredicate p: String) -> [Fact] {
        (pendingByPredicate[p] ?? []).compactMap { hidden.contains($0) ? nil : pending[$0] }
    }

    /// True when a fact derived in this run has one of these predicates.
    func hasPending(anyOf predicates: Set<String>) -> Bool {
        predicates.contains { !(pendingByPredicate[$0]?.isEmpty ?? true) }
    }
}
