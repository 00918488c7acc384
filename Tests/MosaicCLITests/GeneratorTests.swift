import Foundation
import XCTest
import MosaicCLI

/// `GraphGenerator` (mosaic generate): deterministic files, gen_graph.py's type counts,
/// edges between existing entities, an acyclic PART_OF/LOCATED_IN hierarchy.
final class GeneratorTests: XCTestCase {
    static let entities = 2_000

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-gen-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testSameArgumentsWriteByteIdenticalFilesAndAnotherSeedDoesNot() throws {
        let a = try scratch(), b = try scratch(), c = try scratch()
        try GraphGenerator(entities: Self.entities, edgesPerEntity: 5, seed: 42).write(to: a)
        try GraphGenerator(entities: Self.entities, edgesPerEntity: 5, seed: 42).write(to: b)
        try GraphGenerator(entities: Self.entities, edgesPerEntity: 5, seed: 43).write(to: c)
        for name in ["nodes.csv", "edges.csv", "meta.json"] {
            let x = try Data(contentsOf: a.appendingPathComponent(name))
            XCTAssertFalse(x.isEmpty, name)
            XCTAssertEqual(x, try Data(contentsOf: b.appendingPathComponent(name)), "\(name) differs between two runs")
        }
        XCTAssertNotEqual(try Data(contentsOf: a.appendingPathComponent("edges.csv")),
                          try Data(contentsOf: c.appendingPathComponent("edges.csv")))
    }

    /// Counts per type as gen_graph.py computes them: ~200 countries (N/50, at least 10), the
    /// rest split by the type shares with round-half-even, Article taking the remainder.
    func testCountsPerTypeFollowTheShares() throws {
        let shares: [String: Double] = ["Governorate": 0.02, "Base": 0.04, "Organization": 0.08, "Person": 0.28,
                                        "Aircraft": 0.06, "Event": 0.12, "Article": 0.40]
        for (n, epe) in [(Self.entities, 5.0), (777, 3.0), (100_000, 5.0)] {
            let g = GraphGenerator(entities: n, edgesPerEntity: epe, seed: 1)
            let counts = Dictionary(uniqueKeysWithValues: g.typeCounts.map { ($0.type, $0.count) })
            let countries = min(200, max(10, n / 50))
            XCTAssertEqual(counts["Country"], countries)
            XCTAssertEqual(counts.values.reduce(0, +), n)
            for (t, share) in shares where t != "Article" {
                XCTAssertEqual(counts[t], max(1, Int((Double(n - countries) * share).rounded(.toNearestOrEven))), "\(t) at \(n)")
            }
            XCTAssertEqual(Double(counts["Article"]!), Double(n - countries) * 0.40, accuracy: 4)
        }
        // the figures gen_graph.py wrote for 100,000 entities (../shared/bench/results/n100000.json)
        let big = Dictionary(uniqueKeysWithValues: GraphGenerator(entities: 100_000).typeCounts.map { ($0.type, $0.count) })
        XCTAssertEqual(big, ["Aircraft": 5988, "Article": 39920, "Base": 3992, "Country": 200, "Event": 11976,
                             "Governorate": 1996, "Organization": 7984, "Person": 27944])
    }

    func testFilesHoldTheGraphEdgesMeetExistingEntitiesAndTheHierarchyIsAcyclic() throws {
        let dir = try scratch()
        let summary = try GraphGenerator(entities: Self.entities, edgesPerEntity: 5, seed: 7).write(to: dir)
        let nodes = try rows(dir.appendingPathComponent("nodes.csv"))
        let edges = try rows(dir.appendingPathComponent("edges.csv"))
        XCTAssertEqual(nodes.first, ["id", "type", "name", "props"])
        XCTAssertEqual(edges.first, ["src", "dst", "type", "date", "source"])
        let nodeRows = nodes.dropFirst(), edgeRows = edges.dropFirst()
        XCTAssertEqual(nodeRows.count, Self.entities)
        XCTAssertEqual(edgeRows.count, Self.entities * 5)
        XCTAssertEqual(summary.edgeCount, edgeRows.count)

        var typeOf: [String: String] = [:]
        var perType: [String: Int] = [:]
        for r in nodeRows {
            XCTAssertEqual(r.count, 4)
            XCTAssertNil(typeOf[r[0]], "duplicate id \(r[0])")
            typeOf[r[0]] = r[1]
            perType[r[1], default: 0] += 1
            let prefix = ["Country": "C", "Governorate": "G", "Base": "B", "Organization": "O", "Person": "P",
                          "Aircraft": "A", "Event": "V", "Article": "R"][r[1]]
            XCTAssertEqual(prefix.map { r[0].hasPrefix($0) && r[0].count == 8 }, true, "id \(r[0]) of type \(r[1])")
            let props = try JSONSerialization.jsonObject(with: Data(r[3].utf8)) as? [String: Any]
            XCTAssertTrue((1...3).contains(props?.count ?? 0), "props of \(r[0]): \(r[3])")
        }
        XCTAssertEqual(perType, Dictionary(uniqueKeysWithValues: GraphGenerator(entities: Self.entities).typeCounts.map { ($0.type, $0.count) }))

        // Which relation goes from which type to which (gen_graph.py's rules).
        let allowed: [String: Set<String>] = [
            "PART_OF": ["Governorate>Country", "Base>Governorate", "Organization>Organization"],
            "LOCATED_IN": ["Base>Country", "Organization>Country", "Person>Governorate", "Person>Country",
                           "Event>Base", "Event>Governorate", "Aircraft>Base"],
            "OPERATES": ["Organization>Aircraft", "Organization>Base"],
            "MEMBER_OF": ["Person>Organization"],
            "INVOLVES": ["Event>Person", "Event>Organization"],
            "FLEW_TO": ["Aircraft>Base"],
            "MET_WITH": ["Person>Person"],
        ]
        var hierarchy: [String: [String]] = [:]
        var perRelation: [String: Int] = [:]
        for e in edgeRows {
            XCTAssertEqual(e.count, 5)
            guard let s = typeOf[e[0]], let d = typeOf[e[1]] else { return XCTFail("edge to an unknown entity: \(e)") }
            perRelation[e[2], default: 0] += 1
            if e[2] == "MENTIONS" { XCTAssertEqual(s, "Article") } else {
                XCTAssertTrue(allowed[e[2]]?.contains("\(s)>\(d)") ?? false, "\(e[2]) from \(s) to \(d)")
            }
            if e[2] == "MET_WITH" { XCTAssertNotEqual(e[0], e[1], "self-meeting") }
            if !e[3].isEmpty { XCTAssertTrue(e[3] >= "2015-01-01" && e[3] <= "2024-12-31" && e[3].count == 10, e[3]) }
            if !e[4].isEmpty { XCTAssertEqual(typeOf[e[4]], "Article", "source \(e[4])") }
            if e[2] == "PART_OF" || e[2] == "LOCATED_IN" { hierarchy[e[0], default: []].append(e[1]) }
        }
        XCTAssertEqual(perRelation, summary.edgeTypes)
        XCTAssertEqual(Set(perRelation.keys), Set(allowed.keys).union(["MENTIONS"]))
        XCTAssertNil(cycle(in: hierarchy), "PART_OF/LOCATED_IN has a cycle")

        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("meta.json"))) as? [String: Any]
        XCTAssertEqual(meta?["edge_count"] as? Int, edgeRows.count)
        XCTAssertEqual(meta?["node_types"] as? [String: Int], perType)
        XCTAssertEqual((meta?["hub_countries"] as? [String])?.first, nodeRows.first?[2], "the biggest hub is the first country")
    }

    func testTheCycleCheckFindsACycle() {
        XCTAssertNotNil(cycle(in: ["a": ["b"], "b": ["c"], "c": ["a"]]))
        XCTAssertNil(cycle(in: ["a": ["b", "c"], "b": ["c"]]))
    }

    func testParametersOutOfRangeAreRefusedWithAMessage() {
        XCTAssertNil(GraphGenerator(entities: 2_000, edgesPerEntity: 5, seed: 1).problem)
        XCTAssertTrue(GraphGenerator(entities: 10, edgesPerEntity: 5, seed: 1).problem?.contains("--entities") ?? false)
        XCTAssertTrue(GraphGenerator(entities: 1000, edgesPerEntity: -1, seed: 1).problem?.contains("--edges-per-entity") ?? false)
        XCTAssertThrowsError(try GraphGenerator(entities: 10).generate())
    }

    // MARK: - helpers

    /// A node on a cycle of `graph`, nil when it is acyclic (iterative three-colour DFS).
    func cycle(in graph: [String: [String]]) -> String? {
        var state: [String: Int] = [:]  // 1 on the stack, 2 done
        for root in graph.keys.sorted() where state[root] == nil {
            var stack: [(String, Int)] = [(root, 0)]
            state[root] = 1
            while let (node, next) = stack.last {
                let succ = graph[node] ?? []
                if next < succ.count {
                    stack[stack.count - 1].1 += 1
                    let s = succ[next]
                    if state[s] == 1 { return s }
                    if state[s] == nil { state[s] = 1; stack.append((s, 0)) }
                } else {
                    state[node] = 2
                    stack.removeLast()
                }
            }
        }
        return nil
    }

    /// CSV rows (quoted fields with doubled quotes, as the generator writes them).
    func rows(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [[String]] = []
        var row: [String] = [], field = "", quoted = false
        var it = text.makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.append("\"") } else {
                            quoted = false
                            if n == "," { row.append(field); field = "" } else if n == "\n" { row.append(field); out.append(row); row = []; field = "" } else { field.append(n) }
                        }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); out.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); out.append(row) }
        return out
    }
}
