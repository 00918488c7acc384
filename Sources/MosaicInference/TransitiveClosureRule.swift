import MosaicGraph

/// The transitive closure of a set of relation types, written as relation `output`:
/// `a -[output]-> c` for every `c` reachable from `a` by one or more edges of `over`
/// (`PART_OF|LOCATED_IN` chains give `CONTAINED_IN` from every base to its governorate and
/// country). A pattern rule over `output` narrows it (`IN_COUNTRY` to the ends that are
/// countries).
///
/// Each derivation is right-linear: `a -[output]-> c` from the edge `a -> b` and the derived
/// `b -[output]-> c` (or from the edge alone when `b` is `c`), so a proof walks the chain
/// one edge at a time and each path is its own derivation.
public struct TransitiveClosureRule: Rule {
    public let id: RuleID
    public let over: Set<String>
    public let output: String
    public let condition: PremiseCondition
    public let policy: InheritancePolicy

    public init(_ id: RuleID, over: Set<String>, output: String,
                condition: PremiseCondition = .any, policy: InheritancePolicy = .default) {
        self.id = id; self.over = over; self.output = output
        self.condition = condition; self.policy = policy
    }

    public var reads: Set<String> {
        over.union([output])
    }
    public var writes: Set<String> { [output] }

    public func evaluate(_ view: InferenceView, delta: Delta) throws -> [Derivation] {
        let edges = view.types(over)
        let mine = view.types([output])
        let origin = id.origin
        var out: [Derivation] = []
        let g = view.graph

        func emit(_ a: Int32, _ c: Int32, _ premises: [Int64]) {
            guard a >= 0, c >= 0 else { return }
            var d = Derivation.relation(g.nodes[Int(a)].key, output, g.nodes[Int(c)].key, premises: premises)
            d.subjectNode = a; d.targetNode = c
            out.append(d)
        }

        for f in delta.facts {
            if over.contains(f.predicate), f.isRelation, condition.admits(f.meta) {
                // A new edge a -> b: a reaches b, and everything b reaches.
                emit(f.node, f.target, [f.id])
                view.forEachRelation(of: f.target, mine, outgoing: true) { rid, c in
                    if view.fact(rid).map({ $0.meta.origin == origin }) ?? false { emit(f.node, c, [f.id, rid]) }
                }
            }
            if f.predicate == output, f.meta.origin == origin {
                // A new reach b -> c: every edge x -> b gives x -> c.
                view.forEachRelation(of: f.node, edges, outgoing: false) { eid, x in
                    emit(x, f.target, [eid, f.id])
                }
            }
        }
        return out
    }
}
