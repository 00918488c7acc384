import MosaicGraph

/// A join rule: a connected pattern of one to three edges over node variables, an optional
/// filter on the match, and the conclusions it produces. The query language compiles
/// `MATCH … WHERE …` rules to this; Swift code writes them directly:
///
///     PatternRule(id, edges: [.init("f1", "a", ["FLEW_TO"], "b"), .init("f2", "a", ["FLEW_TO"], "b")],
///                 labels: ["a": "Aircraft", "b": "Base"],
///                 where: { m in m.daysBetween("f1", "f2").map { $0 > 0 && $0 <= 7 } ?? false },
///                 produce: [.property(on: "b", name: "active", value: .bool(true))])
///
/// Each match's premises are its edges' statements, in pattern order. Distinct edge
/// variables bind distinct statements.
public struct PatternRule: Rule {
    public struct Edge: Sendable, Hashable {
        public var name: String
        public var from: String
        public var types: Set<String>
        public var to: String
        public init(_ name: String, _ from: String, _ types: Set<String>, _ to: String) {
            self.name = name; self.from = from; self.types = types; self.to = to
        }
    }

    /// What a match produces, with node variables as placeholders.
    public enum Template: Sendable, Hashable {
        case relation(from: String, type: String, to: String, properties: [String: Value] = [:])
        case property(on: String, name: String, value: Value)
        case label(on: String, String)
    }

    public let id: RuleID
    public let edges: [Edge]
    public let labels: [String: String]
    public let filter: (@Sendable (PatternMatch) -> Bool)?
    public let produce: @Sendable (PatternMatch) -> [StatementDraft]
    public let writes: Set<String>
    public let condition: PremiseCondition
    public let policy: InheritancePolicy

    /// A pattern rule with conclusions built by a function of the match (`writes` names
    /// what they can be).
    public init(_ id: RuleID, edges: [Edge], labels: [String: String] = [:], where filter: (@Sendable (PatternMatch) -> Bool)? = nil,
                writes: Set<String>, condition: PremiseCondition = .any, policy: InheritancePolicy = .default,
                produce: @escaping @Sendable (PatternMatch) -> [StatementDraft]) throws {
        guard (1...3).contains(edges.count) else {
            throw InferenceError.badRule(rule: id.description, message: "a pattern has one to three edges, this one has \(edges.count)")
        }
        var bound: Set<String> = [edges[0].from, edges[0].to]
        var rest = Array(edges.dropFirst())
        while let i = rest.firstIndex(where: { bound.contains($0.from) || bound.contains($0.to) }) {
            bound.formUnion([rest[i].from, rest[i].to]); rest.remove(at: i)
        }
        guard rest.isEmpty else {
            throw InferenceError.badRule(rule: id.description, message: "the pattern is not connected: edge '\(rest[0].name)' shares no node with the others")
        }
        guard Set(edges.map(\.name)).count == edges.count else {
            throw InferenceError.badRule(rule: id.description, message: "two edges have the same name")
        }
        self.id = id; self.edges = edges; self.labels = labels; self.filter = filter; self.writes = writes
        self.condition = condition; self.policy = policy; self.produce = produce
    }

    /// A pattern rule whose conclusions are templates.
    public init(_ id: RuleID, edges: [Edge], labels: [String: String] = [:], where filter: (@Sendable (PatternMatch) -> Bool)? = nil,
                produce templates: [Template], condition: PremiseCondition = .any, policy: InheritancePolicy = .default) throws {
        for t in templates {
            let vars: [String]
            switch t {
            case .relation(let a, _, let b, _): vars = [a, b]
            case .property(let a, _, _), .label(let a, _): vars = [a]
            }
            for v in vars where !edges.contains(where: { $0.from == v || $0.to == v }) {
                throw InferenceError.badRule(rule: id.description, message: "the conclusion uses '\(v)', which the pattern does not bind")
            }
        }
        let writes = Set(templates.map { t -> String in
            switch t {
            case .relation(_, let ty, _, _): ty
            case .property(_, let n, _): n
            case .label(_, let l): l
            }
        })
        try self.init(id, edges: edges, labels: labels, where: filter, writes: writes, condition: condition, policy: policy) { m in
            templates.map { t in
                let meta = StatementMeta(origin: .system("rule"))
                switch t {
                case .relation(let a, let ty, let b, let p):
                    return StatementDraft(subject: m.key(a), kind: .relation(type: ty, target: m.key(b), properties: p), meta: meta)
                case .property(let a, let n, let v):
                    return StatementDraft(subject: m.key(a), kind: .property(name: n, value: v), meta: meta)
                case .label(let a, let l):
                    return StatementDraft(subject: m.key(a), kind: .label(l), meta: meta)
                }
            }
        }
    }

    public var reads: Set<String> { Set(edges.flatMap(\.types)) }

    public func evaluate(_ view: InferenceView, delta: Delta) throws -> [Derivation] {
        var out: [Derivation] = []
        let resolved = edges.map { view.types($0.types) }
        let g = view.graph
        func labelOK(_ v: String, _ n: Int32) -> Bool {
            guard let l = labels[v] else { return true }
            return n >= 0 && g.hasLabel(n, l)  // a type that extends `l` fits too
        }
        for f in delta.facts where f.isRelation && f.node >= 0 && f.target >= 0 {
            for (i, e) in edges.enumerated() where e.types.contains(f.predicate) {
                guard condition.admits(f.meta), labelOK(e.from, f.node), labelOK(e.to, f.target) else { continue }
                if e.from == e.to && f.node != f.target { continue }
                var m = PatternMatch(view: view)
                m.nodes[e.from] = f.node; m.nodes[e.to] = f.target; m.edges[e.name] = f
                extend(m, done: [i], resolved: resolved, view: view, labelOK: labelOK, into: &out)
            }
        }
        return out
    }

    private func extend(_ m: PatternMatch, done: Set<Int>, resolved: [RelationTypes], view: InferenceView,
                        labelOK: (String, Int32) -> Bool, into out: inout [Derivation]) {
        guard done.count < edges.count else {
            if let filter, !filter(m) { return }
            let premises = edges.map { m.edges[$0.name]!.id }
            for c in produce(m) { out.append(Derivation(conclusion: c, premises: premises)) }
            return
        }
        // The next edge with a bound end.
        guard let i = edges.indices.first(where: { !done.contains($0) && (m.nodes[edges[$0].from] != nil || m.nodes[edges[$0].to] != nil) })
        else { return }
        let e = edges[i]
        let fromBound = m.nodes[e.from]
        let anchor = fromBound ?? m.nodes[e.to]!
        let used = Set(m.edges.values.map(\.id))
        for f in view.relations(of: anchor, resolved[i], outgoing: fromBound != nil) {
            guard !used.contains(f.id), condition.admits(f.meta) else { continue }
            let other = fromBound != nil ? f.target : f.node
            let otherVar = fromBound != nil ? e.to : e.from
            if let b = m.nodes[otherVar], b != other { continue }
            guard labelOK(otherVar, other) else { continue }
            var next = m
            next.nodes[otherVar] = other
            next.edges[e.name] = f
            extend(next, done: done.union([i]), resolved: resolved, view: view, labelOK: labelOK, into: &out)
        }
    }
}

/// One match of a pattern rule: the nodes and edges its variables are bound to.
public struct PatternMatch {
    public let view: InferenceView
    public var nodes: [String: Int32] = [:]
    public var edges: [String: Fact] = [:]

    init(view: InferenceView) { self.view = view }

    /// The entity id a node variable is bound to.
    public func key(_ variable: String) -> String { view.key(of: nodes[variable]!) }
    public func node(_ variable: String) -> Node { view.graph.node(nodes[variable]!) }
    public func edge(_ name: String) -> Fact { edges[name]! }
    /// Days from edge `a`'s date to edge `b`'s (nil when one is undated).
    public func daysBetween(_ a: String, _ b: String) -> Int? {
        guard let da = edges[a]?.date, let db = edges[b]?.date else { return nil }
        return da.days(to: db)
    }
}
