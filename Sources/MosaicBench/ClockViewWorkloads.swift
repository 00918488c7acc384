import Foundation
import MosaicGraph
import MosaicQuery

/// The claims model's views (issue 13, docs/facts.md): the b and c rows of the query
/// language on a known-by and a valid-at view of the graph, against the same rows on the
/// plain graph (`b.lookup_prepared`, `c.hop1_prepared`, `c.hop2_prepared`); and the cost of
/// building a view. No peer rows (the peers have no such views). The dates cut the generated
/// graph's 2015–2024 articles and dated relations in half.
enum ClockViewWorkloads {
    static let knownBy = ClockView(knownBy: PartialDate("2020-01-01"))
    static let validAt = ClockView(validAt: PartialDate("2020-01-01"))

    static var all: [Workload] {
        [build("known_by", knownBy), build("valid_at", validAt),
         lookup("known_by", knownBy), lookup("valid_at", validAt),
         hops(1, "known_by", knownBy), hops(1, "valid_at", validAt),
         hops(2, "known_by", knownBy), hops(2, "valid_at", validAt),
         facts]
    }

    /// v.view_*: building the view from the open graph. Check: its live relationships.
    static func build(_ name: String, _ view: ClockView) -> Workload {
        Workload(name: "v.view_\(name)", group: "v", unit: .seconds, peerRow: nil,
                 summary: "build the \(view) view of the open graph") { ctx in
            let g = try ctx.graph()
            return try ctx.measure(reps: ctx.slowRepetitions) { String(g.viewed(view).liveRelationshipCount) }
        }
    }

    /// v.lookup_*: b.lookup_prepared on a view. Check: as b.
    static func lookup(_ name: String, _ view: ClockView) -> Workload {
        Workload(name: "v.lookup_\(name)", group: "v", unit: .microsecondsPerOp, peerRow: nil,
                 summary: "b.lookup_prepared on the \(view) view") { ctx in
            try QueryWorkloads.measureLookups(ctx, try QueryWorkloads.Runner(try ctx.graph().viewed(view), QueryWorkloads.lookupText, prepared: true))
        }
    }

    /// v.hop1_*, v.hop2_*: c.hop1/2_prepared on a view. Check: the sum of the counts.
    static func hops(_ n: Int, _ name: String, _ view: ClockView) -> Workload {
        Workload(name: "v.hop\(n)_\(name)", group: "v", unit: .microsecondsPerEntity, peerRow: nil,
                 summary: "c.hop\(n)_prepared on the \(view) view") { ctx in
            try QueryWorkloads.measureHops(ctx, try QueryWorkloads.Runner(try ctx.graph().viewed(view),
                                                                            n == 1 ? QueryWorkloads.hop1Text : QueryWorkloads.hop2Text, prepared: true))
        }
    }

    /// v.facts: how the generated graph's claims group (no timing of note). Check: facts with
    /// several claims / claims folded into them / denials.
    static let facts = Workload(name: "v.facts", group: "v", unit: .seconds, peerRow: nil,
                                summary: "how the graph's relation claims group into facts") { ctx in
        let g = try ctx.graph()
        return try ctx.measure(reps: 1, warmup: 0) {
            let s = g.factStatistics
            return "\(s.multiClaimFacts) facts of several claims, \(s.foldedClaims) claims folded, \(s.denials) denials"
        }
    }
}
