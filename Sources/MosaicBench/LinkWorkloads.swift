import Foundation
import MosaicGraph
import MosaicIngest

/// Gazetteer linking (issue 17): the names of the graph's entities found in news text, as
/// ../shared/bench/gen_corpus.py and link_peers.py define it (gazetteer.tsv and corpus.txt
/// beside nodes.csv; ASCII lower-casing, word boundaries `[a-z0-9]`, leftmost-longest, a
/// shared name reports the smallest id; the check value `matches|distinct ids|FNV-1a 64`).
///
/// - `l.link_build`: (id, name) pairs already read → a ready `NameMatcher` (lower-casing
///   and the smallest id per shared name included), as link_peers.py times its build;
/// - `l.link_scan`: the corpus bytes in memory → the list of (start, id), as it times its
///   scan; the details give MB/s. The bar is 10× link_peers.py's pyahocorasick scan measured
///   in the same sitting (docs/ingest.md, "Measured"): run both, alternately;
/// - `l.gazetteer_graph`: Mosaic's own gazetteer of the store's graph (names and aliases
///   folded as `show` folds them, all types but Article) and the linker's word indexes:
///   what `mosaic ingest` builds before it links (bar: under 0.5 s for 100,000 entities).
enum LinkWorkloads {
    static var all: [Workload] { [build, scan, graphBuild] }

    /// gazetteer.tsv and corpus.txt, read once.
    // @unchecked Sendable: `loaded` only under `lock`.
    final class Inputs: @unchecked Sendable {
        private let lock = NSLock()
        private var loaded: (pairs: [(String, [UInt8])], corpus: [UInt8])?
        func get(_ ctx: BenchContext) throws -> (pairs: [(String, [UInt8])], corpus: [UInt8]) {
            lock.lock(); defer { lock.unlock() }
            if let loaded { return loaded }
            let dir = ctx.data.directory
            let gaz = dir.appendingPathComponent("gazetteer.tsv").path, cor = dir.appendingPathComponent("corpus.txt").path
            guard let g = FileManager.default.contents(atPath: gaz), let c = FileManager.default.contents(atPath: cor) else {
                throw BenchError("\(gaz) or \(cor) is missing; write them with python3 ../shared/bench/gen_corpus.py --data \(dir.path) --mb 20 --seed 42")
            }
            var pairs: [(String, [UInt8])] = []
            for line in g.split(separator: 0x0A) {
                guard let tab = line.firstIndex(of: 0x09) else { continue }
                pairs.append((String(decoding: line[line.startIndex..<tab], as: UTF8.self), Array(line[(tab + 1)...])))
            }
            loaded = (pairs, [UInt8](c))
            return loaded!
        }
    }
    static let inputs = Inputs()

    /// The matcher and its ids (payload i → ids[i]).
    static func buildMatcher(_ pairs: [(String, [UInt8])]) -> (NameMatcher, [String]) {
        var bytes = 0
        for (_, n) in pairs { bytes += n.count }
        var m = NameMatcher(fold: NameMatcher.asciiFold, wordBytes: NameMatcher.asciiWordBytes, expectedBytes: bytes)
        var ids: [String] = []
        ids.reserveCapacity(pairs.count)
        for (id, name) in pairs {
            guard let f = name.first, NameMatcher.asciiWordBytes[Int(f)] else { continue }
            if let old = m.insert(name, value: Int32(ids.count)) {
                if id.utf8.lexicographicallyPrecedes(ids[Int(old)].utf8) { ids[Int(old)] = id }
            } else {
                ids.append(id)
            }
        }
        return (m, ids)
    }

    static func scanCorpus(_ m: NameMatcher, _ corpus: [UInt8]) -> [NameMatcher.Match] {
        var out: [NameMatcher.Match] = []
        out.reserveCapacity(corpus.count / 64)
        corpus.withUnsafeBufferPointer { buf in m.scan(buf) { out.append($0) } }
        return out
    }

    static func check(_ matches: [NameMatcher.Match], ids: [String]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        var distinct = Set<Int32>()
        for m in matches {
            distinct.insert(m.value)
            for b in "\(m.start):\(ids[Int(m.value)]);".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        let hex = String(h, radix: 16)
        return "\(matches.count)|\(distinct.count)|\(String(repeating: "0", count: 16 - hex.count))\(hex)"
    }

    static let build = Workload(name: "l.link_build", group: "l", unit: .seconds, peerRow: nil,
                                summary: "gazetteer.tsv pairs → name matcher (link_peers.py's build)") { ctx in
        let (pairs, _) = try inputs.get(ctx)
        var r = try ctx.measure(reps: ctx.slowRepetitions) {
            let (m, ids) = buildMatcher(pairs)
            return "\(ids.count) names, \(m.nodeCount) trie nodes"
        }
        r.details = ["\(pairs.count) gazetteer lines"]
        return r
    }

    static let scan = Workload(name: "l.link_scan", group: "l", unit: .seconds, peerRow: nil,
                               summary: "corpus.txt in memory → matches (link_peers.py's scan; check as link_peers)") { ctx in
        let (pairs, corpus) = try inputs.get(ctx)
        let (m, ids) = buildMatcher(pairs)
        var matches: [NameMatcher.Match] = []
        var r = try ctx.measure(reps: ctx.slowRepetitions) {
            matches = scanCorpus(m, corpus)
            return "\(matches.count)"
        }
        r.check = check(matches, ids: ids)
        let mbs = Double(corpus.count) / 1e6 / r.median
        r.details = [String(format: "%.1f MB/s over %d bytes (best %.1f MB/s); link_peers.py's check 241901|33321|be7cafb6ae684c87 for the 100k graph, 20 MB corpus",
                            mbs, corpus.count, Double(corpus.count) / 1e6 / r.best)]
        return r
    }

    static let graphBuild = Workload(name: "l.gazetteer_graph", group: "l", unit: .seconds, peerRow: nil,
                                     summary: "Mosaic's gazetteer and linker from the store's graph (names, aliases, folded)") { ctx in
        let g = try ctx.graph()
        var r = try ctx.measure(reps: ctx.slowRepetitions) {
            let gz = Gazetteer(graph: g)
            let l = Linker(gazetteer: gz)
            return "\(gz.entities.count) entities, \(gz.entries.count) names, \(l.gazetteer.matcher.nodeCount) trie nodes"
        }
        let t0 = BenchContext.now()
        _ = Gazetteer(graph: g)
        r.details = [String(format: "the gazetteer alone (without the linker's word indexes): %.3f s", BenchContext.now() - t0)]
        return r
    }
}
