import XCTest
import MosaicGraph
@testable import MosaicQuery

/// The count operators (CountOperator.swift, CountByAnchor.swift) give what the general
/// matcher gives: each query runs with them and with them switched off
/// (`countOperatorsEnabled`), on a graph with cycles, self loops, parallel edges and two
/// labels; the test also checks which queries the planner gave one, and that they ran.
final class CountByAnchorTests: XCTestCase {
    /// (query, whether the operator runs it)
    static let cases: [(String, Bool)] = [
        ("MATCH (a:N)-[:R]->(b:N) RETURN b.name, count(*) AS n ORDER BY n DESC, b.name", true),
        ("MATCH (a:N)-[:R]->(b:M) RETURN b.name, count(*)", true),
        ("MATCH (a:N)<-[:R]-(b:M) RETURN a.name, count(*) ORDER BY a.name", true),
        ("MATCH (a:N)-[]-(b) RETURN a.name, count(*) ORDER BY a.name", true),
        ("MATCH (a:N)-[r:S]->(b:N) RETURN a.name, count(*) AS c, count(*) * 2 AS d ORDER BY a.name", true),
        ("MATCH (a:N)-[:R|S]->(b:N) RETURN b.name, b.name + 'x' AS x, count(*) ORDER BY b.name", true),
        ("MATCH (a:N)-[:R]->(b:N) RETURN labels(b) AS l, count(*) ORDER BY count(*)", true),
        ("MATCH (a:N {name: 'n2'})-[:R]->(b) RETURN a.name, count(*)", true),  // looked up
        ("MATCH (a {name: 'n3'})-[]->(b) RETURN count(*)", true),
        ("MATCH (a {name: 'n3'})-[]-(b) RETURN count(*) AS n, count(*) + 1 AS m", true),
        ("MATCH (a:M {name: 'n3'})-[]->(b) RETURN count(*)", true),  // looked up, label checked
        ("MATCH (a {name: 'nope'})-[]->(b) RETURN count(*)", true),
        ("MATCH (a:N)-[:R]->(b:N) RETURN count(*)", true),
        ("MATCH ()-[:S]->(b) RETURN count(*)", true),
        ("MATCH (a:N)<-[:R|S]-(b:M) RETURN count(*)", true),
        ("MATCH (a {name: 'n3'})-[]->(a) RETURN count(*)", false),
        ("MATCH (a {name: 'n3'})-[r]->(b) RETURN count(r)", false),
        ("MATCH (a {name: 'n3'})-[]->()-[]->(c) RETURN count(*)", false),  // two hops
        ("MATCH (a:N)-[:R]->(b:N) WITH b.name AS k, count(*) AS n WHERE n > 1 RETURN k, n ORDER BY k", true),
        ("MATCH (a:N:M)-[:R]->(b) RETURN a.name, count(*)", true),
        ("MATCH (a)-[:R]->(b:N) RETURN b.name, count(*) ORDER BY b.name", true),
        ("MATCH (a:N)-[:R]->(a) RETURN a.name, count(*)", false),  // the same node at both ends
        ("MATCH (a:N)-[:R]->(b:N) WHERE a.name <> 'n0' RETURN b.name, count(*) ORDER BY b.name", false),  // a filter
        ("MATCH (a:N)-[:R]->(b:N) RETURN a.name, b.name, count(*) ORDER BY a.name, b.name", false),  // keys at both ends
        ("MATCH (a:N)-[:R*1..2]->(b:N) RETURN b.name, count(*) ORDER BY b.name", false),  // variable length
        ("MATCH (a:N)-[:R]->(b:N) RETURN b.name, count(a) ORDER BY b.name", false),  // not count(*)
        ("MATCH (x:N) MATCH (a:N)-[:R]->(b:N) RETURN b.name, count(*) ORDER BY b.name", false),  // several rows in
        ("MATCH (x:N {name: 'n3'}) MATCH (a:N)-[:R]->(b:N) RETURN b.name, count(*) ORDER BY b.name", false),  // not the first clause
        ("MATCH (a:N)-[:R]->(b:N) RETURN CASE WHEN b.name < 'n2' THEN 'low' ELSE 'high' END AS k, count(*) ORDER BY k", true),
        ("MATCH (a:N)-[:R]->(b:N) RETURN size([(b)-[:NOPE]->(x) | x]) AS k, count(*) ORDER BY k", false),  // a key slots do not compile
        ("MATCH (a:N)-[:R]->(b:N) RETURN toUpper(b.name) AS k, size(labels(b)) AS s, count(*) ORDER BY k", true),
        ("MATCH (a:Nope)-[:R]->(b) RETURN a.name, count(*)", true),
        ("MATCH (a:N)-[:NOPE]->(b) RETURN a.name, count(*)", true),
    ]

    func testSameRowsWithAndWithout() throws {
        let g = try ShortcutEquivalenceTests.graph()
        for (text, uses) in Self.cases {
            let (fast, runs) = try run(text, g)
            XCTAssertEqual(fast, try run(text, g, enabled: false).rows, text)
            XCTAssertEqual(runs > 0, uses, text)
        }
    }

    /// Names shared by several anchors make one group; the far end's label read through a
    /// bitset (many neighbours) counts the same.
    func testSharedKeysAndBitsets() throws {
        var hub = try Query.run("UNWIND range(1, 40) AS j CREATE (:H {name: 'h' + toString(j % 3)})", on: PropertyGraph()).graph
        hub = try Query.run("MATCH (h:H) UNWIND range(1, 150) AS i CREATE (h)<-[:R]-(:X {i: i})", on: hub).graph
        hub = try Query.run("MATCH (x:X) WHERE x.i % 3 = 0 SET x:N", on: hub).graph
        for text in ["MATCH (x:N)-[:R]->(h:H) RETURN h.name, count(*) ORDER BY h.name",
                     "MATCH (x:X)-[:R]->(h:H) RETURN h.name, count(*) ORDER BY h.name",
                     "MATCH (h:H)<-[:R]-(x:N:X) RETURN h.name AS name, count(*) AS n ORDER BY n DESC, name LIMIT 2"] {
            let (fast, runs) = try run(text, hub)
            XCTAssertEqual(fast, try run(text, hub, enabled: false).rows, text)
            XCTAssertEqual(runs, 1, text)
        }
        XCTAssertEqual(try run("MATCH (x:N)-[:R]->(h:H) RETURN h.name, count(*) ORDER BY h.name", hub).rows,
                       [[.string("h0"), .int(650)], [.string("h1"), .int(700)], [.string("h2"), .int(650)]])
    }

    /// Counts of a label or a relationship type read from the graph's counts, also after
    /// deletions; a query that changed the graph before counting takes the matcher.
    func testCountsFromTheGraphsCounts() throws {
        var g = try ShortcutEquivalenceTests.graph()
        let cases: [(String, Bool)] = [
            ("MATCH (n:N) RETURN count(*)", true), ("MATCH (n:Nope) RETURN count(*)", true), ("MATCH (n) RETURN count(*) AS all", true),
            ("MATCH ()-[r:R]->() RETURN count(*)", true), ("MATCH (a)<-[:R|S|R]-(b) RETURN count(*) AS n", true),
            ("MATCH ()-[:NOPE]->() RETURN count(*)", true),
            ("MATCH (n:N:M) RETURN count(*)", false), ("MATCH (n:N {name: 'n1'}) RETURN count(*)", false),
            ("MATCH (a)-[:R]-(b) RETURN count(*)", false), ("MATCH (a)-[:R]->(a) RETURN count(*)", false),
            ("MATCH (n:N) RETURN n.name, count(*) ORDER BY n.name", false),
            ("CREATE (:N) WITH count(*) AS c MATCH (n:N) RETURN count(*)", false),
            ("MATCH (x:M) DETACH DELETE x WITH count(*) AS c MATCH ()-[:R]->() RETURN count(*)", false),
        ]
        for round in 0..<2 {
            for (text, fromCounts) in cases {
                let plan = try Query.prepare(text).plan
                let ex = Executor(graph: g, params: [:], functions: .standard, plan: plan, limits: QueryLimits())
                let fast = try ex.run().rows
                XCTAssertEqual(fast, try run(text, g, enabled: false).rows, text)
                XCTAssertEqual(plan.clauses[0].contains { $0.counting == .fromCounts }, fromCounts, text)
                XCTAssertEqual(ex.countOperatorRuns > 0, plan.clauses[0].contains { $0.counting != nil }, text)
            }
            // the same after deleting a node with its relationships and a relationship alone
            g = try Query.run("MATCH (n {name: 'n4'}) DETACH DELETE n WITH count(*) AS c MATCH ({name: 'n0'})-[r]->() DELETE r", on: g).graph
            if round == 0 { XCTAssertEqual(try run("MATCH ()-[r:R]->() RETURN count(*)", g).rows, [[.int(5)]]) }
        }
    }

    /// Which queries run as one count operator and nothing else (CountQuery.swift), with the
    /// rows the clause-by-clause run gives, with parameters, on the TCK's graph and on a
    /// Mosaic graph (whose id index is exact and whose name index is not).
    func testWholeQueryCounts() throws {
        let cases: [(String, Bool)] = [
            ("MATCH (a {name: $n})-[]->(b) RETURN count(*)", true),
            ("MATCH (a {name: $n})-[]-(b) RETURN count(*) AS n, count(*) AS m", true),
            ("MATCH (a {id: $id})-[]->(b) RETURN count(*)", true),
            ("MATCH (a {id: $id})<-[:R|S]-(b:M) RETURN count(*) AS n", true),
            ("MATCH (a:M {name: $n})-[]->(b) RETURN count(*)", true),
            ("MATCH (a {name: $n, id: $id})-[]->(b) RETURN count(*)", true),
            ("MATCH (a {name: 'nope'})-[]->(b) RETURN count(*)", true),
            ("MATCH (a:N)<-[:R|S]-(b:M) RETURN count(*)", true),
            ("MATCH (a)-[:R]->(b:N) WHERE a.name = $n RETURN count(*)", false),  // the count operator takes no WHERE
            ("MATCH (n:N) RETURN count(*)", true),
            ("MATCH ()-[:S]->(b) RETURN count(*)", true),
            ("MATCH (a {name: $n})-[]-(b) RETURN count(*) AS n, count(*) + 1 AS m", false),  // not a bare count
            ("MATCH (a:N)-[:R]->(b:N) RETURN b.name, count(*) ORDER BY b.name", false),  // grouped
            ("MATCH (a {name: $n})-[]->(b) RETURN DISTINCT count(*)", false),
            ("MATCH (a {name: $n})-[]->(b) RETURN count(*) SKIP 0", false),
            ("MATCH (a:N)-[:R]->(b:N) WITH count(*) AS n RETURN n", false),
            ("MATCH (a {name: $n})-[r]->(b) RETURN count(r)", false),
            ("MATCH (a {name: $n})-[]->()-[]->(c) RETURN count(*)", false),  // two hops
            ("OPTIONAL MATCH (a {name: $n})-[]->(b) RETURN count(*)", false),
        ]
        var mosaic = Graph()
        for i in 0..<6 { _ = mosaic.addNode(key: "k\(i)", labels: i == 5 ? ["M"] : ["N"], properties: ["name": .string("N\(i)")]) }
        for (a, b, t) in [(0, 1, "R"), (1, 2, "R"), (2, 0, "R"), (2, 3, "R"), (3, 3, "R"), (3, 4, "S"), (4, 5, "R"), (1, 1, "S"), (5, 2, "R")] {
            mosaic.addRelationship(from: Int32(a), to: Int32(b), type: t)
        }
        func check<G: QueryGraph>(_ g: G, _ params: [String: QueryValue], _ what: String) throws {
            for (text, whole) in cases {
                let plan = try Query.prepare(text).plan
                let ex = Executor(graph: g, params: params, functions: .standard, plan: plan, limits: QueryLimits())
                let rows = try ex.run().rows
                let general = Executor(graph: g, params: params, functions: .standard, plan: plan, limits: QueryLimits())
                general.countOperatorsEnabled = false
                XCTAssertEqual(rows, try general.run().rows, "\(what): \(text)")
                XCTAssertEqual(ex.countQueryRuns, whole ? 1 : 0, "\(what): \(text)")
                XCTAssertEqual(general.countQueryRuns, 0, text)
                let explained = try Query.run("EXPLAIN " + text, on: g).rows.map { "\($0)" }.joined()
                XCTAssertEqual(explained.contains(CountQuery.explainMark), whole, text)
                // PROFILE runs the whole query too, and counts each operator's rows as the clauses do
                let profile = try Query.prepare("PROFILE " + text).plan
                let profiled = Executor(graph: g, params: params, functions: .standard, plan: profile, limits: QueryLimits())
                XCTAssertEqual(try profiled.run().rows, rows, text)
                XCTAssertEqual(profiled.countQueryRuns, whole ? 1 : 0, "\(what): \(text)")
                let byClauses = Executor(graph: g, params: params, functions: .standard, plan: profile, limits: QueryLimits())
                byClauses.wholeQueriesEnabled = false
                _ = try byClauses.run()
                XCTAssertEqual(profiled.opRows, byClauses.opRows, "\(what): \(text)")
            }
        }
        for n in ["n3", "n2", "x"] { try check(try ShortcutEquivalenceTests.graph(), ["n": .string(n), "id": .null], "tck graph \(n)") }
        for (n, id) in [("N3", "k3"), ("n3", "k3"), ("N2", "k5"), ("N1", "nope")] {
            try check(GraphView(mosaic), ["n": .string(n), "id": .string(id)], "mosaic graph \(n) \(id)")
        }
    }

    func run(_ text: String, _ g: PropertyGraph, enabled: Bool = true) throws -> (rows: [[QueryValue]], runs: Int) {
        let ex = Executor(graph: g, params: [:], functions: .standard, plan: try Query.prepare(text).plan, limits: QueryLimits())
        ex.countOperatorsEnabled = enabled
        return (try ex.run().rows, ex.countOperatorRuns)
    }

    /// The grouped count split over threads (`countByAnchorInParallel`, forced here on a small
    /// graph) gives the groups the serial count gives, in the same order (no ORDER BY).
    func testParallelCountGivesTheSerialGroups() throws {
        var g = Graph()
        var bases: [Int32] = [], planes: [Int32] = []
        for i in 0..<300 {
            bases.append(g.addNode(key: "b\(i)", labels: ["Base"], properties: ["name": .string("base \(i % 7)"), "region": .string(i % 3 == 0 ? "north" : "south")]))
        }
        for i in 0..<200 { planes.append(g.addNode(key: "a\(i)", labels: i % 4 == 0 ? ["Aircraft", "Drone"] : ["Aircraft"], properties: ["name": .string("a\(i)")])) }
        for i in 0..<100 { _ = g.addNode(key: "x\(i)", labels: ["Other"], properties: [:]) }
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        for _ in 0..<3000 { g.addRelationship(from: planes[next(planes.count)], to: bases[next(bases.count)], type: "FLEW_TO") }
        for _ in 0..<500 { g.addRelationship(from: Int32(500 + next(100)), to: bases[next(bases.count)], type: "FLEW_TO") }
        let view = GraphView(g)
        for (text, parallel) in [
            ("MATCH (a:Aircraft)-[:FLEW_TO]->(b:Base) RETURN b.name, count(*)", true),
            ("MATCH (a)-[:FLEW_TO]->(b:Base) RETURN b.name AS name, count(*) AS n ORDER BY n DESC, name", true),
            ("MATCH (a:Aircraft:Drone)-[:FLEW_TO]->(b:Base) RETURN b.region, b.name, count(*)", true),
            ("MATCH (a:Aircraft)-[:FLEW_TO]->(b:Base {region: 'north'}) RETURN b.name, count(*)", true),
            ("MATCH (a:Aircraft)-[:FLEW_TO]-(b:Base) RETURN b.name, count(*)", true),
            ("MATCH (a:Aircraft)-[:FLEW_TO]->(b:Base) RETURN toUpper(b.name) AS k, count(*)", false),  // not a property
        ] {
            let plan = try Query.prepare(text).plan
            let ex = Executor(graph: view, params: [:], functions: .standard, plan: plan, limits: QueryLimits())
            ex.parallelCountMinimum = 2
            let rows = try ex.run().rows
            let serial = Executor(graph: view, params: [:], functions: .standard, plan: plan, limits: QueryLimits())
            serial.countOperatorsEnabled = false
            XCTAssertEqual(rows, try serial.run().rows, text)
            XCTAssertEqual(ex.parallelCountRuns > 0, parallel, text)
            XCTAssertFalse(rows.isEmpty, text)
        }
    }
}
