import Foundation
import MosaicGraph
import MosaicStore

/// The foundation's workloads (issue 2): bulk import, process start to a ready snapshot,
/// point lookup by id, memory per relation, and the FLEW_TO count per base over the graph.
enum StoreWorkloads {
    static var all: [Workload] { [importFiles, open, lookup, memory, flewNative] }

    /// a: nodes.csv + edges.csv into a fresh file store (open + BulkImporter + the snapshot
    /// the write builds). Check: "<nodes>n/<relations>e" as the peers' load row says.
    static let importFiles = Workload(name: "a.import", group: "a", unit: .seconds, peerRow: "load",
                                      summary: "bulk import of nodes.csv+edges.csv into a fresh file store") { ctx in
        var runs: [Double] = []
        var cpu: [Double] = []
        var check = ""
        var claimCheck = ""
        for i in 0..<ctx.slowRepetitions {
            let (path, store, seconds) = try ctx.importFresh(tag: "import-\(i)")
            runs.append(seconds)
            cpu.append(ctx.lastImportCPU)
            let g = store.graph
            check = "\(g.liveNodeCount)n/\(g.liveRelationshipCount)e"
            let f = g.factStatistics
            claimCheck = "\(g.liveNodeCount)n/\(g.liveRelationshipCount + f.foldedClaims + f.denials)e"
            ctx.adopt(path: path, store: store)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: ctx.storePath())[.size] as? Int) ?? 0
        return Measurement(runs: runs, check: check, claimCheck: claimCheck, details: [
            String(format: "CPU time %.2f s (median; user + system, all threads)", Measurement(runs: cpu, check: "").median),
            String(format: "store file %.1f MB", Double(size) / 1e6),
            "relations counted as facts; as claims (one per row, as the peers count): \(claimCheck)",
        ])
    }

    /// open: spawn → ready snapshot on the existing store, timed by the parent.
    static let open = Workload(name: "a.open", group: "a", unit: .seconds, peerRow: nil,
                               summary: "process start to a ready snapshot on an existing store (child process)") { ctx in
        let probes = try ctx.probes(ctx.slowRepetitions)
        var m = Measurement(runs: probes.map(\.secondsFromSpawn), check: "\(probes[0].nodes)n/\(probes[0].relations)e")
        let inProcess = Measurement(runs: probes.map(\.secondsInProcess), check: "")
        let cpu = Measurement(runs: probes.map(\.cpuSeconds), check: "")
        m.details = [String(format: "of which Store.open + snapshot inside the child: %.3f s; the child's CPU time up to ready: %.3f s (medians)",
                            inProcess.median, cpu.median)]
        return m
    }

    /// b: `graph.lookup(key:)` and reading the node (type, name, properties) for the ids
    /// peers.py looks up. Check: the sum of the names' lengths, as the peers compute it.
    static let lookup = Workload(name: "b.lookup", group: "b", unit: .microsecondsPerOp, peerRow: "lookup",
                                 summary: "point lookup by id, reading type, name and properties") { ctx in
        let g = try ctx.graph()
        let ids = ctx.data.params.lookupIDs
        return try ctx.measure(ops: ids.count) {
            var total = 0, props = 0
            for id in ids {
                guard let i = g.lookup(key: id) else { continue }
                let n = g.node(i)
                total += n.name?.unicodeScalars.count ?? 0
                props &+= n.type.utf8.count &+ n.entries.count
            }
            return props < 0 ? "" : String(total)
        }
    }

    /// memory: RSS growth of the child across Store.open (the snapshot and the SQLite
    /// connections), per relation.
    static let memory = Workload(name: "b.memory", group: "b", unit: .bytesPerRelation, peerRow: nil,
                                 summary: "RSS growth from before Store.open to a ready snapshot, per relation") { ctx in
        let probes = try ctx.probes(ctx.slowRepetitions)
        let rels = Double(max(1, probes[0].relations))
        var m = Measurement(runs: probes.map { Double($0.rssAfter - $0.rssBefore) / rels },
                            check: "\(probes[0].nodes)n/\(probes[0].relations)e")
        let p = probes[0]
        m.details = [
            String(format: "RSS %.1f MB → %.1f MB (%.1f MB after malloc_trim: %.0f B/relation); peak %.1f MB",
                   Double(p.rssBefore) / 1e6, Double(p.rssAfter) / 1e6, Double(p.rssAfterTrim) / 1e6,
                   Double(p.rssAfterTrim - p.rssBefore) / rels, Double(p.rssPeak) / 1e6),
        ]
        return m
    }

    /// f (native): FLEW_TO relations per destination over the graph, in Swift. Check:
    /// "total|distinct|top|topcount" as peers.py's flew_summary.
    static let flewNative = Workload(name: "f.flew_native", group: "f", unit: .milliseconds, peerRow: "flew_native",
                                     summary: "FLEW_TO count per base over the graph (Swift scan)") { ctx in
        let g = try ctx.graph()
        guard let flew = g.relationTypeID("FLEW_TO") else { throw BenchError("the graph has no FLEW_TO relations") }
        return try ctx.measure {
            var counts = [Int32](repeating: 0, count: g.nodes.count)
            for r in g.relationships where r.alive && r.type == flew { counts[Int(r.target)] += 1 }
            return flewSummary(g, counts)
        }
    }

    /// peers.py's flew_summary over per-node counts.
    static func flewSummary(_ g: Graph, _ counts: [Int32]) -> String {
        var total = 0, distinct = 0, topCount = -1
        var top = ""
        for (i, c) in counts.enumerated() where c > 0 {
            total += Int(c)
            distinct += 1
            let key = g.node(Int32(i)).key
            if Int(c) > topCount || (Int(c) == topCount && key < top) { top = key; topCount = Int(c) }
        }
        return "\(total)|\(distinct)|\(top)|\(topCount)"
    }
}
