/// The graph's sizes the planner reads when it has a choice to make: nodes per label,
/// relationships per type, all nodes. Provides `PlanStatistics` (the reads of one planning
/// call, each kept as a `StatisticsReading`) and `AdaptivePlan` (a prepared query's plan for
/// the graph it runs on, made again when a count it was made from has moved by more than
/// `StatisticsReading.replanFactor`). Uses `QueryGraph`'s counts (`labelCount`,
/// `relationshipTypeCount`, `nodeCount`), which a graph keeps up to date as it changes.
///
/// Plans are cached by text, before any graph is known; a plan whose anchor choice the
/// counts could change (`QueryPlan.statisticsSensitive`) is made again at its first run on
/// a graph, and kept for later runs until the counts move.

import Foundation

/// One count the planner read, with its value then.
struct StatisticsReading: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case label, relationshipType, nodes }
    var kind: Kind
    var name: String
    var count: Int

    /// Counts below this are treated as this: on a small graph every plan is cheap, and the
    /// plan should not change with each node a test creates.
    static let floor = 64
    /// A count that has grown or shrunk by more than this factor makes the plan stale; a
    /// candidate anchor must be this many times smaller to replace the one written first.
    static let replanFactor = 2

    /// The count now, on `graph`.
    func current<G: QueryGraph>(on graph: G) -> Int {
        switch kind {
        case .label: return graph.labelCount(name)
        case .relationshipType: return graph.relationshipTypeCount(name) ?? count
        case .nodes: return graph.nodeCount
        }
    }

    /// Whether the count on `graph` is more than `replanFactor` times larger or smaller.
    func moved<G: QueryGraph>(on graph: G) -> Bool {
        let then = max(count, Self.floor), now = max(current(on: graph), Self.floor)
        return now > then * Self.replanFactor || then > now * Self.replanFactor
    }
}

/// The counts one planning call read from its graph (a reference: the planner's helpers
/// add to it as they compare candidates).
final class PlanStatistics {
    private let labelCount: (String) -> Int
    private let typeCount: (String) -> Int?
    private let nodes: Int
    private(set) var readings: [StatisticsReading] = []

    init<G: QueryGraph>(_ graph: G) {
        labelCount = { graph.labelCount($0) }
        typeCount = { graph.relationshipTypeCount($0) }
        nodes = graph.nodeCount
    }

    private func note(_ kind: StatisticsReading.Kind, _ name: String, _ count: Int) -> Int {
        let r = StatisticsReading(kind: kind, name: name, count: count)
        if !readings.contains(r) { readings.append(r) }
        return max(count, StatisticsReading.floor)
    }

    /// The rows a scan of `np` starts with: its rarest label's nodes (the executor scans
    /// that label), all nodes when it has none.
    func scanRows(_ np: NodePattern) -> Int {
        if np.labels.isEmpty { return note(.nodes, "", nodes) }
        return np.labels.map { note(.label, $0, labelCount($0)) }.min()!
    }

    /// The relationships of `types` (nil when the graph does not count them).
    func relationshipRows(_ types: [String]) -> Int? {
        var total = 0
        for t in types {
            guard let n = typeCount(t) else { return nil }
            total += n
            _ = note(.relationshipType, t, n)
        }
        return max(total, StatisticsReading.floor)
    }
}

/// A prepared query's plan for the graphs it runs on: made from the graph's counts at the
/// first run, kept while they stay within `StatisticsReading.replanFactor`, made again when
/// one has moved. Shared by the copies of one PreparedQuery (and so by the plan cache).
// @unchecked Sendable: `plan` and `readings` are read and replaced only under `lock`; a
// QueryPlan is an immutable value.
final class AdaptivePlan: @unchecked Sendable {
    private let lock = NSLock()
    private var plan: QueryPlan?
    private var readings: [StatisticsReading] = []
    /// How many times a plan was made from counts (for tests and diagnostics).
    private(set) var plansMade = 0

    /// The plan for `graph`: the kept one when none of its counts moved, else `make`'s.
    func plan<G: QueryGraph>(for graph: G, _ make: (PlanStatistics) -> QueryPlan) -> QueryPlan {
        lock.lock()
        if let plan, !readings.contains(where: { $0.moved(on: graph) }) { lock.unlock(); return plan }
        lock.unlock()
        let stats = PlanStatistics(graph)
        let made = make(stats)
        lock.lock()
        plan = made; readings = stats.readings; plansMade += 1
        lock.unlock()
        return made
    }

    /// The plan made last, if any (what EXPLAIN without a graph shows).
    var latest: QueryPlan? { lock.lock(); defer { lock.unlock() }; return plan }
}
