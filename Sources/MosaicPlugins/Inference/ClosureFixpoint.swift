// ClosureFixpoint, part of the inference engine (InferenceEngine.swift): the fast path of a
// TransitiveClosureRule evaluated from scratch. It gives exactly what the generic semi-naive
// loop gives for such a rule (the same derivations, in the same order, so the same statement
// ids, metadata and rounds), but works on graph node indices and packed pairs instead of
// building a `Derivation` (with its key strings) for every step and resolving it again.
import MosaicGraph

extension InferenceRun {
    /// One step of the closure: `a -[output]-> c` from the premises `p0` and, when not -1, `p1`.
    struct ClosureStep {
        var a: Int32
        var c: Int32
        var p0: Int64
        var p1: Int64
    }

    /// The rule of a stratum that can take the fast path: a transitive closure alone in its
    /// stratum, new to the store (it sees every fact once), whose output is not one of the
    /// relations it follows.
    func closureForFastPath(_ stratum: [Int]) -> TransitiveClosureRule? {
        guard stratum.count == 1, fresh[stratum[0]], let r = rules[stratum[0]] as? TransitiveClosureRule,
              !r.over.contains(r.output) else { return nil }
        return r
    }

    /// Runs rule `i` (a closure, see `closureForFastPath`) to its fixpoint; returns the rounds
    /// the generic loop would have counted.
    ///
    /// Round 1 mirrors `TransitiveClosureRule.evaluate` on the full delta (every fact the rule
    /// reads, predicate by predicate in sorted order): the steps are collected first and then
    /// processed, since processing adds derived facts the collection reads. Later rounds only
    /// extend the facts derived in the round before by the edges entering their subject;
    /// those edges are never derived here, so each step is processed as soon as it is found.
    func closureFixpoint(_ i: Int, _ rule: TransitiveClosureRule) throws -> Int {
        let g = graph
        let edges = view.types(rule.over)
        let mine = view.types([rule.output])
        let origin = origins[i]
        let condAny = rule.condition.isAny
        let explicit = StatementMeta(validFrom: nil, validTo: nil, confidence: nil, origin: .system("rule"))
        var pairs: [UInt64: Int64] = [:]

        func key(_ a: Int32, _ c: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: c)) }

        // What `process` does with one derivation of this rule.
        func apply(_ s: ClosureStep) {
            guard let f0 = view.fact(s.p0) else { return }
            let f1: Fact?
            if s.p1 >= 0 {
                guard let f = view.fact(s.p1) else { return }
                f1 = f
            } else {
                f1 = nil
            }
            let premises = f1 == nil ? [s.p0] : [s.p0, s.p1]
            if checks[i].condition {
                guard rule.condition.admits(f0.meta), f1.map({ rule.condition.admits($0.meta) }) ?? true else { return }
            }
            let metas = f1 == nil ? [f0.meta] : [f0.meta, f1!.meta]
            if checks[i].validTime && !rule.policy.accepts(metas) { return }
            let k = key(s.a, s.c)
            if let id = pairs[k] {
                addDerivation(id, rule: i, premises: premises)
                return
            }
            guard let meta = rule.policy.meta(for: metas, explicit: explicit, origin: origin) else { return }
            let id = nextID
            nextID += 1
            let subject = g.node(s.a).key
            let kind = StatementKind.relation(type: rule.output, target: g.node(s.c).key, properties: [:])
            let fact = Fact(id: id, subject: subject, kind: kind, meta: meta, node: s.a, target: s.c)
            view.addPending(fact)
            pairs[k] = id
            newStatements.append((id, StatementDraft(subject: subject, kind: kind, meta: meta)))
            addDerivation(id, rule: i, premises: premises)
            newlyVisible.append(fact)
        }

        // The visible edges (of the closure's relations) entering `node`, in the order
        // `InferenceView.forEachRelation` gives them.
        let pendingEdges = view.hasPending(anyOf: rule.over)
        func forEachEdge(into node: Int32, _ body: (Int64, Int32) -> Void) {
            guard !pendingEdges else { return view.forEachRelation(of: node, edges, outgoing: false, body) }
            guard node >= 0 && Int(node) < g.nodes.count else { return }
            let noneHidden = view.hidden.isEmpty
            for r in g.inList(node) {
                let rel = g.relationship(r)
                guard edges.graphIDs.contains(rel.type), noneHidden || !view.hidden.contains(rel.statement) else { continue }
                body(rel.statement, rel.source)
            }
        }

        // Round 1.
        var steps: [ClosureStep] = []
        let reachesExist = !mine.graphIDs.isEmpty || view.hasPending(anyOf: [rule.output])
        func visit(id: Int64, a: Int32, b: Int32, predicate p: String, fact: () -> Fact?) {
            if rule.over.contains(p) {
                if !condAny { guard let f = fact(), rule.condition.admits(f.meta) else { return } }
                if a >= 0 && b >= 0 { steps.append(ClosureStep(a: a, c: b, p0: id, p1: -1)) }
                if reachesExist {
                    view.forEachRelation(of: b, mine, outgoing: true) { rid, c in
                        if a >= 0, c >= 0, view.fact(rid).map({ $0.meta.origin == origin }) ?? false {
                            steps.append(ClosureStep(a: a, c: c, p0: id, p1: rid))
                        }
                    }
                }
            } else if p == rule.output {
                guard let f = fact(), f.meta.origin == origin else { return }
                forEachEdge(into: a) { eid, x in
                    if x >= 0 && b >= 0 { steps.append(ClosureStep(a: x, c: b, p0: eid, p1: id)) }
                }
            }
        }
        for p in rule.reads.sorted() {
            if let t = g.relationTypeID(p) {
                let noneHidden = view.hidden.isEmpty
                for r in g.relationshipIndices {
                    let rel = g.relationship(r)
                    guard rel.type == t, noneHidden || !view.hidden.contains(rel.statement) else { continue }
                    visit(id: rel.statement, a: rel.source, b: rel.target, predicate: p) { view.fact(rel.statement) }
                }
            }
            for f in view.pendingFacts(withPredicate: p) where f.isRelation {
                visit(id: f.id, a: f.node, b: f.target, predicate: p) { f }
            }
        }
        var round = 1
        var before = newlyVisible.count
        derivationKeys.reserveCapacity(derivationKeys.count + steps.count)
        for s in steps { apply(s) }
        steps = []

        // Later rounds.
        while newlyVisible.count > before {
            if round >= maxRounds {
                throw InferenceError.noFixpoint(rules: [rule.id.description], rounds: maxRounds)
            }
            round += 1
            let new = newlyVisible[before...]
            before = newlyVisible.count
            for f in new {
                let fid = f.id, c = f.target
                forEachEdge(into: f.node) { eid, x in
                    if x >= 0 && c >= 0 { apply(ClosureStep(a: x, c: c, p0: eid, p1: fid)) }
                }
            }
        }
        return round
    }
}
