// ClosureFixpoint, part of the inference engine (InferenceEngine.swift): the fast path of a
// TransitiveClosureRule evaluated from scratch. It gives exactly what the generic semi-naive
// loop gives for such a rule (the same derivations, in the same order, so the same statement
// ids, metadata and rounds), but works on graph node indices and packed pairs instead of
// building a `Derivation` (with its key strings) for every step and resolving it again.
import MosaicGraph

extension InferenceRun {
    /// One step of the closure: `a -[output]-> c` from the premises `p0` and, when not -1,
    /// `p1`. `r0` is p0's relationship in the graph (-1 when it is a derived fact); `f1` is
    /// p1's fact when the caller has it at hand.
    struct ClosureStep {
        var a: Int32
        var c: Int32
        var p0: Int64
        var r0: Int32
        var p1: Int64
        var f1: Fact?
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
    /// those edges are never derived here, so each step is processed as soon as it is found,
    /// and each node's entering edges are listed once (the first time a fact needs them).
    ///
    /// Every premise of a step is visible by construction (edges and facts come from the
    /// view's visible relations, derived facts are never hidden during a run), so the
    /// visibility check of `process` is not repeated.
    func closureFixpoint(_ i: Int, _ rule: TransitiveClosureRule) throws -> Int {
        let g = graph
        let edges = view.types(rule.over)
        let mine = view.types([rule.output])
        let origin = origins[i]
        let condAny = rule.condition.isAny
        let check = checks[i]
        let explicit = StatementMeta(validFrom: nil, validTo: nil, confidence: nil, origin: .system("rule"))
        let output = rule.output
        var pairs: [UInt64: Int64] = [:]
        // Metadata of the edges used as premises, each read from the graph once.
        var edgeMetaSlot = [Int32](repeating: -1, count: g.relationships.count)
        var edgeMetas: [StatementMeta] = []
        // Stored derivations of this rule (possible only in odd histories) make every new
        // derivation go through the duplicate check; otherwise only round 1 can repeat one.
        let storedKeys = derivationKeys.contains { $0.rule == i }
        var checkDuplicates = true
        var created: [Fact] = []

        // What `view.fact(id)!.meta` gives for a premise edge (relationship `r` of the graph).
        func edgeMeta(_ r: Int32, _ id: Int64) -> StatementMeta {
            if r < 0 { return view.fact(id)!.meta }
            let slot = edgeMetaSlot[Int(r)]
            if slot >= 0 { return edgeMetas[Int(slot)] }
            edgeMetaSlot[Int(r)] = Int32(edgeMetas.count)
            let m = g.meta(ofRelationship: r)
            edgeMetas.append(m)
            return m
        }

        // What `process` does with one derivation of this rule.
        func apply(_ s: ClosureStep) {
            let premises = s.p1 >= 0 ? [s.p0, s.p1] : [s.p0]
            var metas: [StatementMeta]? = nil
            func premiseMetas() -> [StatementMeta] {
                if let metas { return metas }
                let m0 = edgeMeta(s.r0, s.p0)
                let m = s.p1 >= 0 ? [m0, (s.f1 ?? view.fact(s.p1)!).meta] : [m0]
                metas = m
                return m
            }
            if check.condition {
                guard premiseMetas().allSatisfy({ rule.condition.admits($0) }) else { return }
            }
            if check.validTime && !rule.policy.accepts(premiseMetas()) { return }
            let k = UInt64(UInt32(bitPattern: s.a)) << 32 | UInt64(UInt32(bitPattern: s.c))
            guard let meta = rule.policy.meta(for: premiseMetas(), explicit: explicit, origin: origin) else { return }
            let claimKey = ClaimKey(from: meta.validFrom, to: meta.validTo, grading: meta.grading)
            let first = pairs[k]
            if let first, let id = claim(of: first, matching: claimKey) {
                if checkDuplicates { addDerivation(id, rule: i, premises: premises) } else { newDerivations.append((id, i, premises)) }
                return
            }
            // A new pair, or a derivation of a known pair with another valid time or grade (another claim).
            let id = nextID
            nextID += 1
            let subject = g.nodes[Int(s.a)].key
            let kind = StatementKind.relation(type: output, target: g.nodes[Int(s.c)].key, properties: [:])
            let fact = Fact(id: id, subject: subject, kind: kind, meta: meta, node: s.a, target: s.c)
            created.append(fact)
            if let first { otherClaims[first, default: []].append(id) } else { pairs[k] = id }
            newStatements.append(.init(id: id, draft: StatementDraft(subject: subject, kind: kind, meta: meta)))
            if checkDuplicates { addDerivation(id, rule: i, premises: premises) } else { newDerivations.append((id, i, premises)) }
        }

        // The facts a round derived join the view (and the next round's delta) at its end:
        // nothing this rule reads during a round depends on them before.
        func endRound() {
            view.addPending(relations: created, predicate: output)
            newlyVisible.append(contentsOf: created)
            created.removeAll(keepingCapacity: true)
        }

        // The visible edges (of the closure's relations) entering a node, in the order
        // `InferenceView.forEachRelation` gives them: listed once per node.
        let pendingEdges = view.hasPending(anyOf: rule.over)
        let noneHidden = view.hidden.isEmpty
        var listStart = [Int32](repeating: -1, count: g.nodes.count)
        var listCount = [Int32](repeating: 0, count: g.nodes.count)
        var listEdge: [Int64] = [], listRel: [Int32] = [], listSource: [Int32] = []
        func forEachEdge(into node: Int32, _ body: (Int64, Int32, Int32) -> Void) {
            guard !pendingEdges else {
                return view.forEachRelation(of: node, edges, outgoing: false) { eid, x in body(eid, -1, x) }
            }
            guard node >= 0 && Int(node) < g.nodes.count else { return }
            let n = Int(node)
            if listStart[n] < 0 {
                listStart[n] = Int32(listEdge.count)
                func list(_ r: Int32) {
                    let rel = g.relationship(r)
                    guard noneHidden || !view.hidden.contains(rel.statement) else { return }
                    listEdge.append(rel.statement); listRel.append(r); listSource.append(rel.source)
                }
                for r in g.inList(node) where edges.graphIDs.contains(g.relationship(r).type) {
                    list(r)
                    view.forEachFoldedDerivedClaim(of: r, list)
                }
                listCount[n] = Int32(listEdge.count) - listStart[n]
            }
            let from = Int(listStart[n])
            for k in from..<(from + Int(listCount[n])) { body(listEdge[k], listRel[k], listSource[k]) }
        }

        // Round 1.
        var steps: [ClosureStep] = []
        let reachesExist = !mine.graphIDs.isEmpty || view.hasPending(anyOf: [output])
        func visit(id: Int64, r: Int32, a: Int32, b: Int32, predicate p: String, fact: () -> Fact?) {
            if rule.over.contains(p) {
                if !condAny { guard let f = fact(), rule.condition.admits(f.meta) else { return } }
                if a >= 0 && b >= 0 { steps.append(ClosureStep(a: a, c: b, p0: id, r0: r, p1: -1, f1: nil)) }
                if reachesExist {
                    view.forEachRelation(of: b, mine, outgoing: true) { rid, c in
                        if a >= 0, c >= 0, let f = view.fact(rid), f.meta.origin == origin {
                            steps.append(ClosureStep(a: a, c: c, p0: id, r0: r, p1: rid, f1: f))
                        }
                    }
                }
            } else if p == output {
                guard let f = fact(), f.meta.origin == origin else { return }
                forEachEdge(into: a) { eid, er, x in
                    if x >= 0 && b >= 0 { steps.append(ClosureStep(a: x, c: b, p0: eid, r0: er, p1: id, f1: f)) }
                }
            }
        }
        for p in rule.reads.sorted() {
            if let t = g.relationTypeID(p) {
                let rels = g.relationships
                func visitRelationship(_ r: Int32) {
                    let rel = rels[Int(r)]
                    let sid = rel.statement
                    guard noneHidden || !view.hidden.contains(sid) else { return }
                    visit(id: sid, r: r, a: rel.source, b: rel.target, predicate: p) { view.fact(sid) }
                }
                for k in rels.indices where rels[k].alive && rels[k].type == t {
                    visitRelationship(Int32(k))
                    view.forEachFoldedDerivedClaim(of: Int32(k), visitRelationship)
                }
            }
            for f in view.pendingFacts(withPredicate: p) where f.isRelation {
                visit(id: f.id, r: -1, a: f.node, b: f.target, predicate: p) { f }
            }
        }
        var round = 1
        var roundStart = newlyVisible.count
        derivationKeys.reserveCapacity(derivationKeys.count + steps.count)
        for s in steps { apply(s) }
        steps = []
        endRound()
        checkDuplicates = storedKeys

        // Later rounds.
        while newlyVisible.count > roundStart {
            if round >= maxRounds {
                throw InferenceError.noFixpoint(rules: [rule.id.description], rounds: maxRounds)
            }
            round += 1
            do {
                let new = newlyVisible[roundStart...]
                for f in new {
                    let fid = f.id, c = f.target
                    forEachEdge(into: f.node) { eid, er, x in
                        if x >= 0 && c >= 0 { apply(ClosureStep(a: x, c: c, p0: eid, r0: er, p1: fid, f1: f)) }
                    }
                }
            }
            roundStart = newlyVisible.count
            endRound()
        }
        return round
    }
}
