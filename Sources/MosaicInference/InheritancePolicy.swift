import MosaicGraph

/// What a derived fact inherits from its premises. The defaults: the lowest confidence,
/// the intersection of the valid times, the union of the sources, the weakest grading.
public struct InheritancePolicy: Sendable {
    public enum ConfidencePolicy: Sendable {
        case min, product, average
        case custom(@Sendable ([Double]) -> Double)
    }
    public enum ValidTimePolicy: Sendable {
        /// From the latest start to the earliest end; premises that never held together
        /// give no conclusion.
        case intersection
        /// From the earliest start to the latest end (an activity seen over a window).
        case span
        /// No valid time (the conclusion holds as long as it is believed).
        case none
        /// Returns nil to reject the derivation.
        case custom(@Sendable ([StatementMeta]) -> (from: PartialDate?, to: PartialDate?)?)
    }
    public enum SourcePolicy: Sendable { case union, none }
    public enum GradingPolicy: Sendable {
        /// The weakest reliability and the weakest credibility among the premises' gradings.
        case weakest
        case none
        case custom(@Sendable ([Grading?]) -> Grading?)
    }

    public var confidence: ConfidencePolicy
    public var validTime: ValidTimePolicy
    public var sources: SourcePolicy
    public var grading: GradingPolicy

    public init(confidence: ConfidencePolicy = .min, validTime: ValidTimePolicy = .intersection,
                sources: SourcePolicy = .union, grading: GradingPolicy = .weakest) {
        self.confidence = confidence; self.validTime = validTime; self.sources = sources; self.grading = grading
    }

    public static let `default` = InheritancePolicy()

    /// Whether premises with this metadata give a conclusion at all (the valid-time policy
    /// can reject premises that never held together). Cheaper than `meta(for:)`.
    public func accepts(_ premises: [StatementMeta]) -> Bool {
        switch validTime {
        case .intersection:
            var from: Int64 = .min, to: Int64 = .max
            for p in premises {
                if let f = p.validFrom { from = Swift.max(from, f.seconds) }
                if let t = p.validTo { to = Swift.min(to, t.end) }
            }
            return to > from
        case .custom(let f): return f(premises) != nil
        case .span, .none: return true
        }
    }

    /// The metadata of a conclusion derived from `premises`; nil when the premises never
    /// held at the same time (intersection policy) or a custom policy rejects them. Fields
    /// the rule set on `explicit` win (sources are added to the inherited ones).
    public func meta(for premises: [StatementMeta], explicit: StatementMeta, origin: Origin) -> StatementMeta? {
        var m = StatementMeta(origin: origin)
        switch validTime {
        case .intersection:
            var from: PartialDate? = nil, to: PartialDate? = nil
            for p in premises {
                if let f = p.validFrom, from.map({ f.seconds > $0.seconds }) ?? true { from = f }
                if let t = p.validTo, to.map({ t.end < $0.end }) ?? true { to = t }
            }
            if let f = from, let t = to, t.end <= f.seconds { return nil }
            m.validFrom = from; m.validTo = to
        case .span:
            var from: PartialDate? = nil, to: PartialDate? = nil
            var openStart = false, openEnd = false
            for p in premises {
                if let f = p.validFrom { if from.map({ f.seconds < $0.seconds }) ?? true { from = f } } else { openStart = true }
                if let t = p.validTo ?? p.validFrom { if to.map({ t.end > $0.end }) ?? true { to = t } } else { openEnd = true }
            }
            m.validFrom = openStart ? nil : from; m.validTo = openEnd ? nil : to
        case .none: break
        case .custom(let f):
            guard let r = f(premises) else { return nil }
            m.validFrom = r.from; m.validTo = r.to
        }
        if explicit.validFrom != nil || explicit.validTo != nil { m.validFrom = explicit.validFrom; m.validTo = explicit.validTo }

        let cs = premises.map(\.effectiveConfidence)
        var c: Double
        switch confidence {
        case .min: c = cs.min() ?? 1
        case .product: c = cs.reduce(1, *)
        case .average: c = cs.isEmpty ? 1 : cs.reduce(0, +) / Double(cs.count)
        case .custom(let f): c = f(cs)
        }
        c = (c * 1000).rounded() / 1000
        m.confidence = explicit.confidence ?? c

        switch grading {
        case .weakest:
            let gs = premises.compactMap(\.grading)
            if let r = gs.map(\.reliability).max(), let cr = gs.map(\.credibility).max() {
                m.grading = Grading(reliability: Character(Unicode.Scalar(65 + r)), credibility: Int(cr))
            }
        case .none: break
        case .custom(let f): m.grading = f(premises.map(\.grading))
        }
        if let g = explicit.grading { m.grading = g }

        if case .union = sources {
            // Most conclusions rest on premises citing the same source or one source in all.
            let nonEmpty = premises.filter { !$0.sources.isEmpty }
            if explicit.sources.isEmpty && (nonEmpty.isEmpty || nonEmpty.dropFirst().allSatisfy({ $0.sources == nonEmpty[0].sources })) {
                m.sources = nonEmpty.first?.sources ?? []
                return m
            }
            var seen = Set<Citation>()
            var out: [Citation] = []
            for p in premises { for s in p.sources where seen.insert(s).inserted { out.append(s) } }
            for s in explicit.sources where seen.insert(s).inserted { out.append(s) }
            m.sources = out
        } else {
            m.sources = explicit.sources
        }
        return m
    }
}

/// Which premises a rule may use: a confidence threshold, the sources one of which must be
/// cited, and a window the premise's valid time must overlap. Empty admits everything.
public struct PremiseCondition: Sendable, Hashable {
    public var minConfidence: Double?
    public var sources: Set<String>?
    public var from: PartialDate?
    public var to: PartialDate?

    public init(minConfidence: Double? = nil, sources: Set<String>? = nil, from: PartialDate? = nil, to: PartialDate? = nil) {
        self.minConfidence = minConfidence; self.sources = sources; self.from = from; self.to = to
    }

    public static let any = PremiseCondition()
    public var isAny: Bool { minConfidence == nil && sources == nil && from == nil && to == nil }

    public func admits(_ m: StatementMeta) -> Bool {
        if let c = minConfidence, m.effectiveConfidence < c { return false }
        if let s = sources, !m.sources.contains(where: { s.contains($0.source) }) { return false }
        // The premise's valid time [validFrom, validTo] must overlap [from, to].
        if let f = from, let t = m.validTo ?? m.validFrom, t.end <= f.seconds { return false }
        if let t = to, let f = m.validFrom ?? m.validTo, t.end <= f.seconds { return false }
        return true
    }
}
