import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Patterns anchored by an index lookup. A property map that is just the looked-up key
/// (`{name: $n}`, `{id: $id}`) is skipped when the index's hits are exact and compared when
/// they are not: a Mosaic graph's name index folds case, so `n1` finds the node named `N1`,
/// which the map must then refuse. A query that is one lookup and a RETURN of values runs as
/// that lookup (NodeLookupQuery): each case runs that way and clause by clause (slots off),
/// with the same rows, and the test checks which ran as a lookup.
final class AnchorLookupTests: XCTestCase {
    func testLookupsGiveTheRowsOfTheClauses() throws {
        var g = Graph()
        for i in 0..<4 { _ = g.addNode(key: "k\(i)", labels: i == 2 ? ["N", "M"] : ["N"], properties: ["name": .string(i == 3 ? "Zoë" : "N\(i)")]) }
        g.addRelationship(from: 0, to: 1, type: "R")
        g.addRelationship(from: 0, to: 3, type: "R")
        let view = GraphView(g)
        let n1: [String: QueryValue] = ["n": .string("N1")], k2: [String: QueryValue] = ["id": .string("k2")]
        // (query, parameters, rows, whether it runs as one lookup)
        let cases: [(String, [String: QueryValue], [[QueryValue]], Bool)] = [
            ("MATCH (a {name: $n}) RETURN a.name", n1, [[.string("N1")]], true),
            ("MATCH (a {name: $n}) RETURN a.name", ["n": .string("n1")], [], true),
            ("MATCH (a {name: $n}) RETURN a.name", ["n": .string("Zoë")], [[.string("Zoë")]], true),
            ("MATCH (a {id: $id}) RETURN a.name", k2, [[.string("N2")]], true),
            ("MATCH (a {id: $id}) RETURN a.name", ["id": .string("K2")], [], true),
            ("MATCH (a {id: $id}) RETURN a.name", ["id": .int(2)], [], true),
            ("MATCH (a:M {id: $id}) RETURN a.name AS name, labels(a) AS l, a.id", k2,
             [[.string("N2"), .list([.string("N"), .string("M")]), .string("k2")]], true),
            ("MATCH (a:M {id: 'k1'}) RETURN a.name", [:], [], true),
            ("MATCH (a {id: $id}) RETURN 'x' AS k, a.id, a.nope", k2, [[.string("x"), .string("k2"), .null]], true),  // plain reads
            ("MATCH (a {id: $id, name: $n}) RETURN a.name, $n", ["id": .string("k1"), "n": .string("N1")], [[.string("N1"), .string("N1")]], true),
            ("MATCH (a {id: $id, name: $n}) RETURN a.name", ["id": .string("k1"), "n": .string("n1")], [], true),
            ("MATCH (a {name: $n}) RETURN a.name + '!' AS x, a.nope IS NULL AS missing, 1 + 2 AS three", n1,
             [[.string("N1!"), .bool(true), .int(3)]], true),
            ("MATCH (a {name: $n}) RETURN CASE WHEN a.name = 'N1' THEN 1 ELSE 0 END AS c", n1, [[.int(1)]], true),
            ("MATCH (a {name: $n}) RETURN [(a)-[:NOPE]->(b) | b.name] AS c", n1, [[.list([])]], false),  // a pattern does not compile
            ("MATCH (a {name: $n}) RETURN a.name LIMIT 1", n1, [[.string("N1")]], false),
            ("MATCH (a {name: $n}) RETURN DISTINCT a.name", n1, [[.string("N1")]], false),
            ("MATCH (a {name: $n}) WHERE a.id = 'k1' RETURN a.name", n1, [[.string("N1")]], false),
            ("MATCH (a:N) RETURN a.name ORDER BY a.name", [:], [[.string("N0")], [.string("N1")], [.string("N2")], [.string("Zoë")]], false),  // a scan
            ("MATCH (a {id: $id})-[:R]->(b) RETURN b.name ORDER BY b.name", ["id": .string("k0")], [[.string("N1")], [.string("Zoë")]], false),
            ("MATCH (a {name: $n})-[:R]->(b) WHERE b.name <> 'x' RETURN b.name ORDER BY b.name", ["n": .string("n0")], [], false),
            ("MATCH (a {name: $n})-[:R]->(b) WHERE b.name <> 'x' RETURN b.name ORDER BY b.name", ["n": .string("N0")], [[.string("N1")], [.string("Zoë")]], false),
            ("MATCH (b)<-[:R]-(a {name: $n}) RETURN count(b)", ["n": .string("n0")], [[.int(0)]], false),
        ]
        for (text, params, expected, lookup) in cases {
            let plan = try Query.prepare(text).plan
            let ex = Executor(graph: view, params: params, functions: .standard, plan: plan, limits: QueryLimits())
            XCTAssertEqual(try ex.run().rows, expected, "\(text) \(params)")
            XCTAssertEqual(ex.nodeLookupRuns, lookup ? 1 : 0, text)
            let clauses = Executor(graph: view, params: params, functions: .standard, plan: plan, limits: QueryLimits())
            clauses.slotsEnabled = false
            XCTAssertEqual(try clauses.run().rows, expected, "\(text) \(params), clause by clause")
            XCTAssertEqual(clauses.nodeLookupRuns, 0)
            let explained = try Query.run("EXPLAIN " + text, on: view).rows.map { "\($0)" }.joined()
            XCTAssertEqual(explained.contains(NodeLookupQuery.explainMark), lookup, text)
            XCTAssertEqual(try Query.prepare(text).execute(on: view, parameters: params).columns,
                           try Query.prepare("PROFILE " + text).execute(on: view, parameters: params).columns, text)
            // PROFILE runs the lookup too, and counts each operator's rows as the clauses do
            let profile = try Query.prepare("PROFILE " + text).plan
            let profiled = Executor(graph: view, params: params, functions: .standard, plan: profile, limits: QueryLimits())
            XCTAssertEqual(try profiled.run().rows, expected, text)
            XCTAssertEqual(profiled.nodeLookupRuns, lookup ? 1 : 0, text)
            let byClauses = Executor(graph: view, params: params, functions: .standard, plan: profile, limits: QueryLimits())
            byClauses.wholeQueriesEnabled = false
            _ = try byClauses.run()
            XCTAssertEqual(profiled.opRows, byClauses.opRows, "\(text) \(params)")
        }
    }
}
