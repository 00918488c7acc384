import Foundation

/// A graph directory written by gen_graph.py or `mosaic generate` (nodes.csv, edges.csv,
/// meta.json), and the workload parameters peers.py derives from it.
// @unchecked Sendable: immutable after init (`meta` is a parsed JSON dictionary, `[String: Any]`, which is not Sendable by type).
final class DataSet: @unchecked Sendable {
    let directory: URL
    let nodesCSV: String
    let edgesCSV: String
    /// meta.json as parsed JSON.
    let meta: [String: Any]
    /// The peers' parameter seed (peers.py --seed, default 7) and sizes.
    let paramSeed: UInt32
    let lookupCount: Int
    let hopCount: Int

    init(directory: URL, paramSeed: UInt32 = 7, lookups: Int = 10_000, hops: Int = 1_000) throws {
        self.directory = directory
        nodesCSV = directory.appendingPathComponent("nodes.csv").path
        edgesCSV = directory.appendingPathComponent("edges.csv").path
        for f in [nodesCSV, edgesCSV] where !FileManager.default.fileExists(atPath: f) {
            throw BenchError("\(f) does not exist; write the graph first (python3 gen_graph.py … --out DIR or mosaic generate --out DIR)")
        }
        let metaURL = directory.appendingPathComponent("meta.json")
        guard let data = FileManager.default.contents(atPath: metaURL.path),
              let m = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchError("cannot read \(metaURL.path) (a JSON object); write the graph again")
        }
        meta = m
        self.paramSeed = paramSeed
        lookupCount = lookups
        hopCount = hops
    }

    var nodeCount: Int { meta["node_count"] as? Int ?? 0 }
    var edgeCount: Int { meta["edge_count"] as? Int ?? 0 }
    var entities: Int { meta["entities"] as? Int ?? 0 }
    var seed: Int { meta["seed"] as? Int ?? 0 }
    var edgesPerEntity: Double { (meta["edges_per_entity"] as? NSNumber)?.doubleValue ?? 0 }
    var hubCountries: [String] { meta["hub_countries"] as? [String] ?? [] }

    /// The rows of nodes.csv as (id, type, name), in file order.
    private(set) lazy var nodes: [(id: String, type: String, name: String)] = {
        guard let data = FileManager.default.contents(atPath: nodesCSV) else { return [] }
        var out: [(id: String, type: String, name: String)] = []
        out.reserveCapacity(nodeCount)
        var first = true
        for record in CSVLines(data) {
            if first { first = false; continue }
            guard record.count >= 3 else { continue }
            out.append((record[0], record[1], record[2]))
        }
        return out
    }()

    /// What peers.py's `Params` draws, in the same order from the same seed.
    struct PeerParams {
        var lookupIDs: [String]
        var hopIDs: [String]
        /// (country name, first day, last day) of the pattern workload (d).
        var patterns: [(country: String, from: String, to: String)]
    }

    private(set) lazy var params: PeerParams = {
        var rng = PythonRandom(seed: paramSeed)
        let ids = nodes.map(\.id)
        let lookupIDs = rng.choices(ids, k: lookupCount)
        let hopIDs = rng.sample(ids, k: min(hopCount, ids.count))
        let countries = nodes.filter { $0.type == "Country" }.map(\.name)
        let hubs = Array(hubCountries.prefix(4))
        let others = rng.sample(countries.filter { !hubs.contains($0) }, k: 4)
        var patterns: [(country: String, from: String, to: String)] = []
        for (i, name) in (hubs + others).enumerated() {
            if i == 0 {
                patterns.append((name, "2015-01-01", "2024-12-31"))
            } else {
                let y = rng.int(2015, 2024)
                patterns.append((name, "\(y)-01-01", "\(y)-12-31"))
            }
        }
        return PeerParams(lookupIDs: lookupIDs, hopIDs: hopIDs, patterns: patterns)
    }()
}

/// Splits CSV bytes into records (RFC 4180: quoted fields, doubled quotes, LF or CRLF).
struct CSVLines: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private var i = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    mutating func next() -> [String]? {
        guard i < bytes.count else { return nil }
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if quoted {
                if c == 0x22 {
                    if i < bytes.count && bytes[i] == 0x22 { field.append(0x22); i += 1 } else { quoted = false }
                } else { field.append(c) }
                continue
            }
            switch c {
            case 0x22 where field.isEmpty: quoted = true
            case 0x2C: fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
            case 0x0D: break
            case 0x0A:
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
            default: field.append(c)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
