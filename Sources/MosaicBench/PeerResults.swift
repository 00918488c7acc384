import Foundation

/// The peers' figures (peers.py's JSON in ../shared/bench/results) for the same data set:
/// the file whose meta (entities, edges per entity, seed, relation counts per type, hub
/// countries) matches the data set's.
struct PeerResults {
    struct Cell {
        var median: Double
        var unit: String
        /// The check value normalised like `Measurement.check` (numbers plain, lists `[a,b]`).
        var check: String?
    }

    let file: String
    /// row → peer → cell
    let rows: [String: [String: Cell]]
    let loadAverage: String

    /// Peer columns in the order the README's table uses.
    static let peerOrder = ["kuzu", "sqlite", "networkx", "cozo", "redis", "lua", "lupa"]

    static func find(in directory: String, for data: DataSet) -> PeerResults? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let bytes = FileManager.default.contents(atPath: path),
                  let doc = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any],
                  let meta = doc["meta"] as? [String: Any],
                  meta["entities"] as? Int == data.entities, meta["seed"] as? Int == data.seed,
                  (meta["edges_per_entity"] as? NSNumber)?.doubleValue == data.edgesPerEntity,
                  meta["edge_count"] as? Int == data.edgeCount,
                  // the same files, not only the same arguments (mosaic generate's differ)
                  meta["edge_types"] as? [String: Int] == data.meta["edge_types"] as? [String: Int],
                  meta["hub_countries"] as? [String] == data.hubCountries,
                  let results = doc["results"] as? [String: [String: Any]] else { continue }
            var rows: [String: [String: Cell]] = [:]
            for (row, peers) in results {
                for (peer, value) in peers {
                    guard let r = value as? [String: Any], let median = (r["median"] as? NSNumber)?.doubleValue else { continue }
                    rows[row, default: [:]][peer] = Cell(median: median, unit: r["unit"] as? String ?? "",
                                                         check: r["check"].flatMap(normalise))
                }
            }
            var load = ""
            if let env = doc["env"] as? [String: Any], let l = env["loadavg_start"] as? [NSNumber] {
                load = l.map { String(format: "%.2f", $0.doubleValue) }.joined(separator: " ")
            }
            return PeerResults(file: path, rows: rows, loadAverage: load)
        }
        return nil
    }

    static func normalise(_ v: Any) -> String? {
        switch v {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        case let l as [Any]: return "[" + l.compactMap(normalise).joined(separator: ",") + "]"
        case is NSNull: return nil
        default: return "\(v)"
        }
    }
}
