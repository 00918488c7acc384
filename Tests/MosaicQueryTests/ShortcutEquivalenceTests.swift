import XCTest
import MosaicGraph
@testable import MosaicQuery

/// The executor's shortcuts give what the general path gives: a last hop counted by degree,
/// a DISTINCT variable-length last hop searched breadth first, calls of constants evaluated
/// once, the byte lexer for ASCII text, a plain RETURN written straight to the result, and
/// an `{id: ...}` anchor found by the id index not compared again. Each compares against a form of the same query
/// the shortcut does not apply to, on a graph with cycles, self loops and parallel edges.
final class ShortcutEquivalenceTests: XCTestCase {
    /// Nodes 0...5 with R and S relationships: a cycle, a self loop, parallel edges, a tail.
    static func graph() throws -> PropertyGraph {
        let text = """
            CREATE (n0:N {name: 'n0'}), (n1:N {name: 'n1'}), (n2:N {name: 'n2'}), (n3:N {name: 'n3'}), \
            (n4:N {name: 'n4'}), (n5:M {name: 'n5'}), \
            (n0)-[:R]->(n1), (n1)-[:R]->(n2), (n2)-[:R]->(n0), (n2)-[:R]->(n3), (n3)-[:R]->(n3), \
            (n3)-[:S]->(n4), (n3)-[:S]->(n4), (n4)-[:R]->(n5), (n1)-[:S]->(n1), (n5)-[:R]->(n2)
            """
        return try Query.run(text, on: PropertyGraph()).graph
    }

    func rows(_ text: String, _ g: PropertyGraph) throws -> [[QueryValue]] {
        try Query.prepare(text).execute(on: g).rows
    }

    func testCountByDegreeEqualsEnumeration() throws {
        let g = try Self.graph()
        for shape in ["-[]->()-[]->(c)", "<-[]-()<-[]-(c)", "-[]-()-[]-(c)", "-[:R]->()-[:R]->(c)", "-[]->()-[:S]->(c)",
                      "-[]-(c)", "-[]->(c)", "-[:R|S]-()-[]->()-[]-(c)"] {
            for name in ["n0", "n1", "n2", "n3", "n4", "n5"] {
                let fast = try rows("MATCH (a {name: '\(name)'})\(shape) RETURN count(*)", g)
                let slow = try rows("MATCH (a {name: '\(name)'})\(shape) RETURN count(c)", g)
                XCTAssertEqual(fast, slow, "\(name) \(shape)")
            }
        }
    }

    /// count(*) grouped by one end's values: anchored at that end (GroupedCountAnchor) and
    /// the last hop counted per row of keys, against count(x), which takes the general path.
    func testGroupedCountByDegreeEqualsEnumeration() throws {
        let g = try Self.graph()
        let cases: [(pattern: String, keys: String, other: String)] = [
            ("(a:N)-[:R]->(b:N)", "b.name", "a"), ("(a:N)-[:R]->(b:N)", "a.name", "b"), ("(a:N)<-[:R]-(b:M)", "a.name", "b"),
            ("(a:N)-[]-(b)", "a.name", "b"), ("(a)-[]-(b:N)", "b.name", "a"), ("(a:N)-[r:S]->(b:N)", "a.name", "b"),
            ("(a:M)-[:R]->(b:N)", "b.name", "a"), ("(a:N)-[:R|S]->(b:N)", "b.name, b.name + 'x'", "a"),
            ("(a)-[:R]->(b:N)-[:R]->(c:N)", "a.name, b.name", "c"), ("(a:N)-[:R]->(a)", "a.name", "a"),
            ("(a:N)-[:R]->(b:N)", "labels(b)", "a"), ("(a:N)-[:R]->(b:N {name: 'n2'})", "a.name", "b"),
        ]
        for c in cases {
            let fast = try rows("MATCH \(c.pattern) RETURN \(c.keys), count(*) AS n ORDER BY n, \(c.keys)", g)
            let slow = try rows("MATCH \(c.pattern) RETURN \(c.keys), count(\(c.other)) AS n ORDER BY n, \(c.keys)", g)
            XCTAssertEqual(fast, slow, "\(c.pattern) by \(c.keys)")
            let names = c.keys.components(separatedBy: ", ").indices.map { "k\($0)" }
            let aliased = zip(c.keys.components(separatedBy: ", "), names).map { "\($0) AS \($1)" }.joined(separator: ", ")
            let order = "n, " + names.joined(separator: ", ")
            let fastWith = try rows("MATCH \(c.pattern) WITH \(aliased), count(*) AS n RETURN * ORDER BY \(order)", g)
            let slowWith = try rows("MATCH \(c.pattern) WITH \(aliased), count(\(c.other)) AS n RETURN * ORDER BY \(order)", g)
            XCTAssertEqual(fastWith, slowWith, "\(c.pattern) by \(c.keys) through WITH")
        }
        // enough neighbours for the far node's label to be checked through a bitset, also after
        // the same query changed labels
        var hub = try Query.run("CREATE (h:H {name: 'h'}), (k:H {name: 'k'}) WITH h, k UNWIND range(1, 6000) AS i "
            + "CREATE (h)-[:R]->(x:X {i: i}), (k)-[:R]->(x)", on: PropertyGraph()).graph
        hub = try Query.run("MATCH (x:X) WHERE x.i % 3 = 0 SET x:N", on: hub).graph
        for (pattern, other) in [("(h:H)-[:R]->(x:N)", "x"), ("(x:N)<-[:R]-(h:H)", "x"), ("(h:H)-[:R]->(x:N:X)", "x")] {
            let fast = try rows("MATCH \(pattern) RETURN h.name, count(*) ORDER BY h.name", hub)
            let slow = try rows("MATCH \(pattern) RETURN h.name, count(\(other)) ORDER BY h.name", hub)
            XCTAssertEqual(fast, slow, pattern)
            XCTAssertEqual(fast.first?.last, .int(2000), pattern)
        }
        let relabelled = try Query.run("MATCH (h:H {name: 'h'})-[:R]->(x:N) WITH h, count(*) AS before "
            + "MATCH (x:X) WHERE x.i % 5 = 0 SET x:N WITH before, count(*) AS relabelled "
            + "MATCH (h:H {name: 'h'})-[:R]->(x:N) RETURN before, h.name, count(*) AS after", on: hub).rows
        XCTAssertEqual(relabelled, [[.int(2000), .string("h"), .int(2800)]])
        // the count is made per base, not per flight: the plan starts at the grouping end
        let plan = try Query.run("EXPLAIN MATCH (a:N)-[:R]->(b:M) RETURN b.name, count(*)", on: g).plan ?? []
        XCTAssertEqual(plan.first { $0.name == "NodeByLabelScan" }?.detail, "b:M")
    }

    /// ORDER BY … LIMIT k over many rows keeps the first k in one pass
    /// (`Executor.firstInOrder`): the rows are those of the whole sorted list, ties included.
    func testTopOfOrderEqualsSortedPrefix() throws {
        let g = try Query.run("UNWIND range(1, 3000) AS i CREATE (:T {i: i, k: CASE WHEN i % 11 = 0 THEN null "
            + "WHEN i % 13 = 0 THEN toString(i % 5) ELSE i % 7 END})", on: PropertyGraph()).graph
        for order in ["n.k", "n.k DESC", "n.k, n.i DESC", "n.k DESC, n.i"] {
            let all = try rows("MATCH (n:T) RETURN n.i AS i ORDER BY \(order)", g)
            for (skip, limit) in [(0, 1), (0, 5), (3, 7), (10, 200), (0, 0), (2990, 20)] {
                let top = try rows("MATCH (n:T) RETURN n.i AS i ORDER BY \(order) SKIP \(skip) LIMIT \(limit)", g)
                XCTAssertEqual(top, Array(all.dropFirst(skip).prefix(limit)), "\(order) SKIP \(skip) LIMIT \(limit)")
            }
        }
        let groups = try rows("MATCH (n:T) RETURN n.k AS k, count(*) AS c ORDER BY c DESC, k", g)
        XCTAssertEqual(try rows("MATCH (n:T) RETURN n.k AS k, count(*) AS c ORDER BY c DESC, k LIMIT 2", g), Array(groups.prefix(2)))
        let viaWith = try rows("MATCH (n:T) WITH n ORDER BY n.k DESC LIMIT 4 RETURN n.i AS i", g)
        XCTAssertEqual(viaWith, Array(try rows("MATCH (n:T) RETURN n.i AS i ORDER BY n.k DESC", g).prefix(4)))
    }

    func testDistinctReachabilityEqualsPathEnumeration() throws {
        let g = try Self.graph()
        for rel in ["-[:R*1..3]->", "-[*1..10]->", "<-[*1..2]-", "-[*0..2]-", "-[:R|S*]->", "-[*0..0]->", "-[*..1]->"] {
            for pattern in ["(a)\(rel)(b)", "(x:N)-[:R]->(a)\(rel)(b)", "(a)\(rel)(b:N)", "(a)\(rel)(b) WHERE a = b"] {
                let fast = try rows("MATCH \(pattern) WITH DISTINCT a, b RETURN a.name AS a, b.name AS b ORDER BY a, b", g)
                let slow = try rows("MATCH \(pattern) WITH a, b, count(*) AS n RETURN a.name AS a, b.name AS b ORDER BY a, b", g)
                XCTAssertEqual(fast, slow, pattern)
            }
        }
    }

    func testConstantCallsAreEvaluatedOncePerExecutionButRandIsNot() throws {
        let g = try Self.graph()
        let q = try Query.prepare("UNWIND range(1, 5) AS i RETURN date($d) AS d, toUpper($s) AS s")
        let r = try q.execute(on: g, parameters: ["d": .string("2024-02-03"), "s": .string("x")]).rows
        XCTAssertEqual(r.count, 5)
        XCTAssertTrue(r.allSatisfy { $0 == r[0] })
        XCTAssertEqual(r[0][1], .string("X"))
        let r2 = try q.execute(on: g, parameters: ["d": .string("2025-01-01"), "s": .string("y")]).rows
        XCTAssertEqual(r2[0][1], .string("Y"))
        XCTAssertNotEqual(r2[0][0], r[0][0])
        let random = try rows("UNWIND range(1, 50) AS i WITH rand() AS r RETURN count(DISTINCT r) > 1", g)
        XCTAssertEqual(random, [[.bool(true)]])
        // a failing call of constants fails again, on the row that reaches it
        XCTAssertThrowsError(try Query.prepare("UNWIND [1, 2] AS i RETURN date($d)").execute(on: g, parameters: ["d": .string("nope")]))
    }

    func testByteLexerEqualsCharacterLexer() throws {
        let texts = [
            "MATCH (a {id: $id})-[:PART_OF|LOCATED_IN*1..10]->(b) WITH DISTINCT a, b RETURN count(*)",
            "MATCH (n:`Odd name`) WHERE n.x >= 1.5e3 AND n.y <> 'it''s \\u00e9\\n' // comment\nRETURN n.x, 0x1F, .5, $`p q` /* c */",
            "RETURN [x IN range(0, 10) WHERE x % 2 = 0 | x ^ 2] AS l, {a: 1}.a, 1..2",
        ]
        for t in texts {
            guard case .ascii(let units) = QueryText(t) else { return XCTFail("not ASCII: \(t)") }
            var bytes = Lexer(units), chars = Lexer(Array(t))
            let a = try bytes.tokenize(), b = try chars.tokenize()
            XCTAssertEqual(a.map(\.kind), b.map(\.kind), t)
            XCTAssertEqual(a.map(\.pos), b.map(\.pos), t)
            XCTAssertEqual(a.map(\.end), b.map(\.end), t)
            XCTAssertEqual(a.map(\.upper), b.map(\.upper), t)
        }
        guard case .characters = QueryText("RETURN 'é'") else { return XCTFail("é is not ASCII") }
        guard case .characters = QueryText("RETURN 1\r\n") else { return XCTFail("\\r\\n is one character") }
    }

    /// A RETURN without DISTINCT, ORDER BY, SKIP or LIMIT writes its values straight to the
    /// result (aggregated or not, a lone count(*) with its rows counted aside): the same
    /// columns and rows as the general projection (`SKIP 0` keeps the query on that path).
    func testPlainReturnEqualsGeneralProjection() throws {
        let g = try Self.graph()
        for match in ["MATCH (n)-[]->(m)", "MATCH (n {name: 'n3'})-[]->(m)", "MATCH (n {name: 'none'})-[]->(m)",
                      "MATCH (n:N)-[r:S]->(m)", "MATCH (n) OPTIONAL MATCH (n)-[:S]->(m)", "UNWIND [1, 2] AS k MATCH (n)-[]-(m)"] {
            for ret in ["n.name", "n.name AS x, m", "*", "n.name, count(*)", "count(*)", "count(*) AS a, count(*) AS b",
                        "n.name AS x, collect(m.name) AS l", "count(m)", "count(*) + 1 AS c", "m.name, n.name, count(*)"] {
                let fast = try Query.prepare("\(match) RETURN \(ret)").execute(on: g)
                let slow = try Query.prepare("\(match) RETURN \(ret) SKIP 0").execute(on: g)
                XCTAssertEqual(fast.columns, slow.columns, "\(match) RETURN \(ret)")
                XCTAssertEqual(fast.rows, slow.rows, "\(match) RETURN \(ret)")
            }
        }
    }

    /// On a Mosaic graph, `{id: $id}` anchored by the id index is not compared again: the same
    /// rows as comparing `n.id` in WHERE, with a node whose `id` property differs from its key,
    /// one whose `id` property is its key, and an anonymous node (no id); then on graphs where
    /// no node has an `id` property (the key index alone answers), from the start or after
    /// the properties were removed.
    func testExactIdIndexEqualsIdComparison() throws {
        func graph(idProperties: Bool, removeThem: Bool = false) -> (GraphView, String) {
            var g = Graph()
            let a = g.addNode(key: "a", labels: ["N"], properties: ["name": .string("A")])
            let b = g.addNode(key: "b", labels: ["N"], properties: ["name": .string("B")].merging(idProperties ? ["id": .string("other")] : [:]) { $1 })
            let c = g.addNode(key: "c", labels: ["N"], properties: ["name": .string("C")].merging(idProperties ? ["id": .string("c")] : [:]) { $1 })
            if removeThem { g.setProperty(b, "id", nil); g.setProperty(c, "id", .null) }
            let anon = g.addNode(labels: ["N"], properties: ["name": .string("anon")])
            g.addRelationship(from: a, to: b, type: "R")
            g.addRelationship(from: a, to: c, type: "R")
            g.addRelationship(from: c, to: anon, type: "R")
            g.addRelationship(from: anon, to: a, type: "R")
            XCTAssertEqual(g.idPropertyCount, idProperties && !removeThem ? 2 : 0)
            return (GraphView(g), g.key(ofNode: anon))
        }
        for (view, anonKey) in [graph(idProperties: true), graph(idProperties: false), graph(idProperties: true, removeThem: true)] {
            for id in ["a", "b", "c", "other", anonKey, "missing"] {
                for (pattern, ret) in [("(n {id: $id})", "n.name"), ("(n {id: $id, name: 'A'})", "n.name"),
                                       ("(n {id: $id})-[]->(m)", "count(*)"), ("(n:N {id: $id})-[]-(m)", "m.name")] {
                    let fast = try Query.prepare("MATCH \(pattern) RETURN \(ret)").execute(on: view, parameters: ["id": .string(id)]).rows
                    let general = pattern.replacingOccurrences(of: "id: $id, ", with: "").replacingOccurrences(of: " {id: $id}", with: "")
                    let where_ = "MATCH \(general) WHERE n.id = $id RETURN \(ret)"
                    let slow = try Query.prepare(where_).execute(on: view, parameters: ["id": .string(id)]).rows
                    XCTAssertEqual(fast, slow, "\(id) \(pattern)")
                }
            }
        }
        let (view, _) = graph(idProperties: true)
        XCTAssertEqual(try Query.prepare("MATCH (n {id: 'c'}) RETURN n.name").execute(on: view).rows, [[.string("C")]])
        XCTAssertEqual(try Query.prepare("MATCH (n {id: 'b'}) RETURN n.name").execute(on: view).rows, [])
    }

    /// A pattern with no label and no lookup starts at the nodes that have a relationship of
    /// its first type (`RelationshipTypeScan`); the same rows as scanning every node and
    /// filtering the type in WHERE, on the in-memory graph and on Mosaic's (with a deleted
    /// relationship and a deleted node that still have their type).
    func testRelationshipTypeAnchorEqualsAllNodesScan() throws {
        var mosaic = Graph()
        var ids: [Int32] = []
        for i in 0..<6 { ids.append(mosaic.addNode(key: "k\(i)", labels: i == 5 ? ["M"] : [], properties: ["name": .string("n\(i)")])) }
        for (a, b, t) in [(0, 1, "R"), (1, 2, "R"), (2, 0, "R"), (2, 3, "R"), (3, 3, "R"), (3, 4, "S"), (3, 4, "S"), (4, 5, "R"), (1, 1, "S"), (5, 2, "R")] {
            mosaic.addRelationship(from: ids[a], to: ids[b], type: t)
        }
        let gone = mosaic.addRelationship(from: ids[4], to: ids[0], type: "S")
        mosaic.deleteRelationship(gone)
        let lost = mosaic.addNode(key: "lost", labels: [], properties: [:])
        mosaic.addRelationship(from: lost, to: ids[1], type: "S")
        mosaic.deleteNode(lost, detach: true)
        let patterns: [(String, String)] = [
            ("(a)-[r:R]->(b)", "type(r) = 'R'"), ("(a)<-[r:S]-(b)", "type(r) = 'S'"), ("(a)-[r:S]-(b)", "type(r) = 'S'"),
            ("(a)-[r:R|S]->(b)", "type(r) IN ['R', 'S']"), ("(a)-[r:T]->(b)", "type(r) = 'T'"),
            ("(a)-[r:R]->(b)-[q]->(c)", "type(r) = 'R'"), ("(a)-[q]->(b)-[r:S]->(c)", "type(r) = 'S'"),
            ("(a)-[r:R]->(b:M)", "type(r) = 'R'"), ("(a)-[r:S]->(a)", "type(r) = 'S'"),
        ]
        func names(_ p: String) -> String {
            ["a", "b", "c"].filter { p.contains("(\($0)") }.map { "\($0).name" }.joined(separator: ", ")
        }
        func check<G: QueryGraph>(_ g: G) throws {
            for (typed, condition) in patterns {
                let untyped = typed.replacingOccurrences(of: #"\[r:[A-Z|]+\]"#, with: "[r]", options: .regularExpression)
                let fast = try Query.prepare("MATCH \(typed) RETURN \(names(typed)) ORDER BY \(names(typed))").execute(on: g).rows
                let slow = try Query.prepare("MATCH \(untyped) WHERE \(condition) RETURN \(names(typed)) ORDER BY \(names(typed))").execute(on: g).rows
                XCTAssertEqual(fast, slow, typed)
            }
            let plan = try Query.run("EXPLAIN MATCH (a)-[:R]->(b) RETURN a", on: g).plan ?? []
            XCTAssertEqual(plan.map(\.name), ["ProduceResults", "Match", "RelationshipTypeScan", "Expand"])
        }
        try check(try Self.graph())
        try check(GraphView(mosaic))
    }
}
