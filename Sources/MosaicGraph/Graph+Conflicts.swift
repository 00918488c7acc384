/// Contradictions kept as data: denials of facts, and facts that `factRules` says cannot
/// both hold. Nothing is dropped: both sides stay in the graph, marked disputed.
extension Graph {
    /// The conflicts one fact takes part in (not its denials; see `denials(ofFact:)`).
    public func conflicts(of r: Int32) -> [FactConflict] {
        guard !factRules.isEmpty else { return [] }
        let rel = relationships[Int(r)]
        guard rel.alive else { return [] }
        let type = relationTypes[Int(rel.type)]
        var out: [FactConflict] = []
        let v = validity(ofFact: r)
        if factRules.functional.contains(type) {
            let list = outPairs(rel.source)
            for q in run(of: rel.type, in: list).map({ list.relationship($0) }) where q != r {
                let o = relationships[Int(q)]
                guard o.type == rel.type, o.target != rel.target else { continue }
                let w = validity(ofFact: q)
                if Graph.overlap(v, w) { out.append(FactConflict(kind: .functional, fact: r, other: q)) }
            }
        }
        if let others = factRules.excludes[type] {
            for q in outList(rel.source) where q != r {
                let o = relationships[Int(q)]
                guard o.target == rel.target, others.contains(relationTypes[Int(o.type)]) else { continue }
                if Graph.overlap(v, validity(ofFact: q)) { out.append(FactConflict(kind: .exclusive, fact: r, other: q)) }
            }
        }
        return out
    }

    /// Every contradiction in the graph, each pair once (the earlier fact first), then the
    /// denials: of a fact (`fact` is the fact) or of nothing the graph holds (`fact` is the
    /// denial itself), in statement order.
    public func conflicts() -> [FactConflict] {
        var out: [FactConflict] = []
        if !factRules.isEmpty {
            var types = factRules.functional
            for (a, _) in factRules.excludes { types.insert(a) }
            let ids = Set(types.compactMap { relationTypeIDs[$0] })
            for i in 0..<relationships.count {
                let rel = relationships[i]
                guard rel.alive, ids.contains(rel.type) else { continue }
                for c in conflicts(of: Int32(i)) where c.fact < c.other { out.append(c) }
            }
        }
        for d in denialClaims {
            let den = relationships[Int(d)]
            let list = outPairs(den.source)
            let matched = run(of: den.type, in: list).map { list.relationship($0) }.filter { q in denials(ofFact: q).contains(d) }
            if matched.isEmpty { out.append(FactConflict(kind: .denial, fact: d, other: d)) }
            for q in matched { out.append(FactConflict(kind: .denial, fact: q, other: d)) }
        }
        return out
    }

    /// True when two valid times may share an instant (open bounds are unbounded).
    static func overlap(_ a: (from: PartialDate?, to: PartialDate?), _ b: (from: PartialDate?, to: PartialDate?)) -> Bool {
        let aStart = a.from?.seconds ?? .min, aEnd = a.to?.end ?? .max
        let bStart = b.from?.seconds ?? .min, bEnd = b.to?.end ?? .max
        return aStart < bEnd && bStart < aEnd
    }
}

extension Graph {
    /// A claim or fact in one line: `russia OPERATES hmeimim-air-base (on 2025-10-26)`.
    public func summary(ofClaim r: Int32) -> String {
        let rel = relationships[Int(r)]
        var text = "\(nodes[Int(rel.source)].key) \(relationTypes[Int(rel.type)]) \(nodes[Int(rel.target)].key)"
        let v: (from: PartialDate?, to: PartialDate?) = rel.alive ? validity(ofFact: r) : (rel.validFrom, rel.validTo)
        if let when = Graph.validityText(v.from, v.to) { text += v.from != nil && v.from == v.to ? " (on \(when))" : " (\(when))" }
        return text
    }

    /// Why two claims cannot both hold, in words.
    public func reason(_ c: FactConflict) -> String {
        let sources = { (r: Int32) in self.sources(ofRelationship: r).map(\.source).joined(separator: ", ") }
        switch c.kind {
        case .denial where c.fact == c.other:
            return "\(sources(c.other)) denies \(summary(ofClaim: c.other)), which no claim asserts"
        case .denial:
            return "\(sources(c.other)) denies \(summary(ofClaim: c.fact))"
        case .functional:
            return "\(relationTypes[Int(relationships[Int(c.fact)].type)]) is functional: \(summary(ofClaim: c.fact)) and \(summary(ofClaim: c.other)) overlap in time"
        case .exclusive:
            return "\(summary(ofClaim: c.fact)) and \(summary(ofClaim: c.other)) exclude each other"
        }
    }
}
