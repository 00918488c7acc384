/// Claims and facts: the graph's second layer (docs/facts.md).
///
/// Every relation statement is a *claim*: what one source says, or what one rule derived.
/// Claims that say the same thing form one *fact*, and readers (queries, plugins, reports)
/// see one relationship per fact: the relationship of its first claim, with the others
/// *folded* into it (believed, found by statement id, but in no adjacency list). A claim
/// joins a fact when
/// - it has the same subject, type, object and identifying properties (every relation
///   property but `denied`),
/// - its valid time is compatible with the fact's (each bound equal, open, or one refining
///   the other: `2025-10` and `2025-10-26`),
/// - it has a source (or was derived), and it shares no source with an asserted claim already
///   in the fact: one source saying a thing twice is two occurrences (three landings), two
///   sources saying it once are one fact. Derived claims always join.
/// A claim with `denied: true` is a denial: it is never a fact itself, and every fact it
/// matches (same ends, type, identifying properties, compatible valid time) is disputed.
/// Uses only the graph's own storage; the grouping is rebuilt with the snapshot.
extension Graph {
    // MARK: - placing claims (called while loading)

    /// Folds claim `r` (just appended, in no adjacency list yet) into the fact it belongs to,
    /// or records it as a denial. Returns false when it is a fact of its own.
    mutating func placeClaim(_ r: Int32, properties: [String: Value], meta: StatementMeta) -> Bool {
        if properties["denied"] == .bool(true) {
            relationships[Int(r)].alive = false
            relationships[Int(r)].folded = true
            let rel = relationships[Int(r)]
            denialIndex[Graph.pairKey(rel.source, rel.target), default: []].append(r)
            return true
        }
        guard !meta.sources.isEmpty || meta.origin.isDerived, let fact = matchingFact(for: r, meta: meta) else { return false }
        relationships[Int(r)].alive = false
        relationships[Int(r)].folded = true
        claimFact[r] = fact
        factClaims.append(r, to: fact)
        return true
    }

    /// The fact claim `r` joins, if any (see the type's comment for the rule).
    private func matchingFact(for r: Int32, meta: StatementMeta) -> Int32? {
        let rel = relationships[Int(r)]
        var mine: Set<String>?
        var props: [String: Value]?
        func joins(_ q: Int32) -> Bool {
            let other = relationships[Int(q)]
            guard other.type == rel.type, other.source == rel.source, other.target == rel.target else { return false }
            let own = props ?? identifyingProperties(r)
            props = own
            guard identifyingProperties(q) == own else { return false }
            let v = validity(ofFact: q)
            guard Graph.compatible(v.from, rel.validFrom), Graph.compatible(v.to, rel.validTo) else { return false }
            if !meta.origin.isDerived {
                let ids = mine ?? Set(meta.sources.map(\.source))
                mine = ids
                let shares = claims(ofFact: q).contains { c in
                    !origin(ofRelationship: c).isDerived && sources(ofRelationship: c).contains { ids.contains($0.source) }
                }
                if shares { return false }
            }
            return true
        }
        if let pending = pendingAdjacency {
            // (a bulk load without lists: the facts with the same ends, in statement order, as
            // the lists would give them)
            var q = pending.first(from: rel.source, to: rel.target)
            while q >= 0 {
                if joins(q) { return q }
                q = pending.following(q)
            }
            return nil
        }
        let list = outDegree(rel.source) <= inDegree(rel.target) ? outPairs(rel.source) : inPairs(rel.target)
        // (during a bulk load a list may not be in type order yet: then all of it is read)
        for q in (bulkLoading ? 0..<list.count : run(of: rel.type, in: list)).lazy.map({ list.relationship($0) }) where joins(q) {
            return q
        }
        return nil
    }

    /// Retracts one claim (its statement was closed): a folded claim leaves its fact; a
    /// fact's own relationship hands the fact to its next claim; a lone fact is deleted.
    public mutating func retractClaim(_ r: Int32) {
        let rel = relationships[Int(r)]
        if rel.folded {
            relationships[Int(r)].folded = false
            if let fact = claimFact.removeValue(forKey: r) {
                let rest = (factClaims[fact] ?? []).filter { $0 != r }
                factClaims[fact] = rest.count > 1 ? rest : nil
            } else {
                let key = Graph.pairKey(rel.source, rel.target)
                let rest = (denialIndex[key] ?? []).filter { $0 != r }
                denialIndex[key] = rest.isEmpty ? nil : rest
            }
            return
        }
        guard rel.alive else { return }
        guard let members = factClaims.removeValue(forKey: r) else { return deleteRelationship(r) }
        let rest = members.filter { $0 != r }
        guard let next = rest.first else { return deleteRelationship(r) }
        relationships[Int(next)].folded = false
        relationships[Int(next)].alive = true
        claimFact[next] = nil
        for c in rest.dropFirst() { claimFact[c] = next }
        if rest.count > 1 { factClaims[next] = rest }
        // the next claim takes the fact's place in the lists (its own place in statement order)
        unlinkAdjacency(r)
        linkAdjacency(next, from: rel.source, to: rel.target, type: rel.type)
        relationships[Int(r)].alive = false
    }

    // MARK: - reading facts

    /// The fact a relationship belongs to: itself for a fact's relationship, the fact for a
    /// folded claim, nil for a denial or a retracted claim.
    public func fact(ofClaim r: Int32) -> Int32? {
        let rel = relationships[Int(r)]
        if rel.alive { return r }
        return rel.folded ? claimFact[r] : nil
    }

    /// The claims behind a fact, its own first.
    public func claims(ofFact r: Int32) -> [Int32] { factClaims[r] ?? [r] }

    /// How many facts have more than one claim, and how many claims are folded into them.
    public var factStatistics: (multiClaimFacts: Int, foldedClaims: Int, denials: Int) {
        (factClaims.count, claimFact.count, denialIndex.values.reduce(0) { $0 + $1.count })
    }

    /// The fact's valid time: per bound, the most precise of its claims'.
    public func validity(ofFact r: Int32) -> (from: PartialDate?, to: PartialDate?) {
        let rel = relationships[Int(r)]
        // (a bit read, no hashing, for a fact of one claim: see FactClaimTable)
        guard let members = factClaims[r] else { return (rel.validFrom, rel.validTo) }
        var from = rel.validFrom, to = rel.validTo
        for c in members.dropFirst() {
            let o = relationships[Int(c)]
            from = Graph.narrower(from, o.validFrom)
            to = Graph.narrower(to, o.validTo)
        }
        return (from, to)
    }

    /// Every supporting citation of a fact, claim by claim (a derived claim's are its premises').
    public func citations(ofFact r: Int32) -> [(claim: Int32, citation: Citation)] {
        claims(ofFact: r).flatMap { c in sources(ofRelationship: c).map { (c, $0) } }
    }

    /// The number of independent origins behind a fact: the last outlet of each citation's
    /// `via` chain, else the cited source itself, counted once each, over its asserted
    /// claims. A derived claim adds none: it cites its premises' sources, which support the
    /// premises (facts with their own corroboration), not the conclusion twice.
    public func corroboration(ofFact r: Int32) -> Int {
        var origins: Set<String> = []
        for c in claims(ofFact: r) where !origin(ofRelationship: c).isDerived {
            for cite in sources(ofRelationship: c) { origins.insert(cite.origin) }
        }
        return origins.count
    }

    /// The fact's Admiralty grade: the best reliability among its claims (F, "cannot be judged",
    /// only when no claim is judged), and credibility 1 ("confirmed by other independent
    /// sources") once two independent origins support it, else the best credibility (6 only
    /// when no claim is judged). nil when no claim is graded.
    public func grading(ofFact r: Int32) -> Grading? {
        let grades = claims(ofFact: r).compactMap { relationships[Int($0)].grading }
        return Graph.combine(grades, corroboration: corroboration(ofFact: r))
    }

    /// Combines gradings by the rule of `grading(ofFact:)`.
    public static func combine(_ grades: [Grading], corroboration: Int) -> Grading? {
        guard !grades.isEmpty else { return nil }
        let judged = grades.map(\.reliability).filter { $0 < 5 }
        let reliability = judged.min() ?? 5
        let credible = grades.map(\.credibility).filter { $0 < 6 }
        let credibility = corroboration >= 2 ? 1 : (credible.min() ?? 6)
        return Grading(reliabilityIndex: reliability, credibility: credibility)
    }

    /// The fact's confidence: a lone claim's own (set, or implied by its grade); for several
    /// claims the highest of theirs, or what the combined grade implies when that is higher.
    public func confidence(ofFact r: Int32) -> Double {
        let claims = claims(ofFact: r)
        guard claims.count > 1 else { return relationships[Int(r)].confidence }
        let best = claims.map { relationships[Int($0)].confidence }.max() ?? 1
        return max(best, grading(ofFact: r)?.impliedConfidence ?? 0)
    }

    /// The denials that match a fact (same ends and type, identifying properties, compatible
    /// valid time).
    public func denials(ofFact r: Int32) -> [Int32] {
        let rel = relationships[Int(r)]
        guard let list = denialIndex[Graph.pairKey(rel.source, rel.target)] else { return [] }
        let v = validity(ofFact: r)
        let props = identifyingProperties(r)
        return list.filter { d in
            let den = relationships[Int(d)]
            return den.type == rel.type && identifyingProperties(d) == props
                && Graph.compatible(v.from, den.validFrom) && Graph.compatible(v.to, den.validTo)
        }
    }

    /// The nodes that relationships to `node` come from: the sources of its incoming
    /// relationships (a claim folded into a fact has the fact's ends) and of the denials that
    /// name it, each once, in node order. Every subject of a relation statement this graph holds
    /// with `node` as its target is among them (`mosaic show` asks the store for those
    /// statements by these subjects rather than by a scan of every statement).
    public func sourcesOfRelationships(to node: Int32) -> [Int32] {
        var sources = Set<Int32>()
        let list = inPairs(node)
        for i in 0..<list.count { sources.insert(list.other(i)) }
        for denials in denialIndex.values {
            for d in denials where relationships[Int(d)].target == node { sources.insert(relationships[Int(d)].source) }
        }
        return sources.sorted()
    }

    /// Every denial believed, in statement order.
    public var denialClaims: [Int32] { denialIndex.values.flatMap { $0 }.sorted() }

    /// True when a claim denies the fact or the fact conflicts with another (`factRules`).
    public func isDisputed(_ r: Int32) -> Bool { !denials(ofFact: r).isEmpty || !conflicts(of: r).isEmpty }

    // MARK: - helpers

    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    /// The properties that identify a claim: those its own statement gives, but `denied`
    /// (not those set later by statements about the relation, such as a rule's annotation).
    func identifyingProperties(_ r: Int32) -> [String: Value] {
        guard var p = relationProps[r] else { return [:] }
        p["denied"] = nil
        for k in (relationPropStatements[r] ?? [:]).keys { p[k] = nil }
        return p
    }

    /// Two bounds agree when one is open or one's span holds the other's.
    public static func compatible(_ a: PartialDate?, _ b: PartialDate?) -> Bool {
        guard let a, let b else { return true }
        return a.contains(b) || b.contains(a)
    }

    /// A valid time in words: `2025-10-26`, `2025-10-24 – 2025-10-29`, `since 2015`, `until
    /// 2019`, or nil when open at both ends.
    public static func validityText(_ from: PartialDate?, _ to: PartialDate?) -> String? {
        switch (from, to) {
        case let (f?, t?) where f == t: return "\(f)"
        case let (f?, t?): return "\(f) – \(t)"
        case let (f?, nil): return "since \(f)"
        case let (nil, t?): return "until \(t)"
        default: return nil
        }
    }

    /// The more precise of two compatible bounds.
    public static func narrower(_ a: PartialDate?, _ b: PartialDate?) -> PartialDate? {
        guard let a else { return b }
        guard let b else { return a }
        return b.end - b.seconds < a.end - a.seconds ? b : a
    }
}
