/// A reading of the graph by the other two clocks (transaction time is the store's as-of):
/// - `knownBy`: what the reporting said by a date: an asserted claim counts when one of its
///   sources was published by then (the source entity's `date` or `published`; a source with no date counts
///   as always known) and shows only those sources; a derived claim counts when all its
///   sources were; a claim with no source counts always;
/// - `validAt`: what held at a date: the facts whose valid time may include it.
/// Entities, labels and entity properties are the vocabulary and stay in every view.
public struct ClockView: Sendable, Hashable, CustomStringConvertible {
    public var knownBy: PartialDate?
    public var validAt: PartialDate?

    public init(knownBy: PartialDate? = nil, validAt: PartialDate? = nil) { self.knownBy = knownBy; self.validAt = validAt }

    public var isEmpty: Bool { knownBy == nil && validAt == nil }

    public var description: String {
        [knownBy.map { "known-by \($0)" }, validAt.map { "valid-at \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}

extension Graph {
    /// The graph as `view` reads it: the claims it keeps, grouped into facts again.
    public func viewed(_ view: ClockView) -> Graph {
        guard !view.isEmpty else { return self }
        var g = Graph()
        g.nodes = nodes; g.keyIndex = keyIndex; g.labelIndex = labelIndex; g.nameIndex = nameIndex
        g.deferredIndexes = deferredIndexes
        g.singleLabelArrays = singleLabelArrays; g.idPropertyCount = idPropertyCount; g.liveNodeCount = liveNodeCount
        g.transaction = transaction; g.nextStatementID = nextStatementID; g.anonymousCounter = anonymousCounter
        g.factRules = factRules
        g.clockView = view
        g.relationTypes = relationTypes; g.relationTypeIDs = relationTypeIDs
        g.outAdjacency.reserveCapacity(nodes.count); g.inAdjacency.reserveCapacity(nodes.count)
        g.relationships.reserveCapacity(relationships.count)

        var published: [String: PartialDate?] = [:]
        func known(_ c: Citation, by date: PartialDate) -> Bool {
            let d: PartialDate?
            if let cached = published[c.source] { d = cached } else {
                d = publicationDate(ofSource: c.source)
                published[c.source] = d
            }
            guard let d else { return true }
            return d.seconds < date.end
        }
        g.beginBulkLoad()
        for i in 0..<relationships.count where relationships[i].believed {
            let r = Int32(i), rel = relationships[i]
            var meta = self.meta(ofRelationship: r)
            if let by = view.knownBy, !meta.sources.isEmpty {
                if meta.origin.isDerived {
                    guard meta.sources.allSatisfy({ known($0, by: by) }) else { continue }
                } else {
                    meta.sources = meta.sources.filter { known($0, by: by) }
                    if meta.sources.isEmpty { continue }
                }
            }
            // The claim's own properties first (grouping reads them), then those that
            // statements about the relation set.
            var own = relationProps[r] ?? [:]
            let later = relationPropStatements[r] ?? [:]
            for k in later.keys { own[k] = nil }
            let nr = g.loadRelationship(from: rel.source, to: rel.target, type: relationTypes[Int(rel.type)],
                                        properties: own, meta: meta, statement: rel.statement, transaction: rel.txFrom)
            if !later.isEmpty {
                g.relationPropStatements[nr] = later
                for k in later.keys { g.relationProps[nr, default: [:]][k] = relationProps[r]?[k] }
            }
        }
        g.endBulkLoad()
        if let at = view.validAt {
            for i in 0..<g.relationships.count where g.relationships[i].alive {
                let v = g.validity(ofFact: Int32(i))
                let holds = (v.from.map { $0.seconds < at.end } ?? true) && (v.to.map { at.seconds < $0.end } ?? true)
                if !holds { g.deleteRelationship(Int32(i)) }
            }
        }
        return g
    }
}
