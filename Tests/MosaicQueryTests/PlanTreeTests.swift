import XCTest
@testable import MosaicQuery

/// The plan tree (PlanTree.swift): what the planner decides for each operator, and that
/// EXPLAIN prints every operator line of the plan once, from the tree the executor runs.
final class PlanTreeTests: XCTestCase {
    static func plan(_ text: String) throws -> QueryPlan {
        try Query.prepare(text).plan
    }

    /// A node's kind in a few words (what the table below expects).
    static func words(_ n: PlanNode) -> String {
        switch n.kind {
        case .argument: return "argument"
        case .match(let o):
            switch o {
            case .rows: return "match→rows"
            case .firstRows: return "match→first rows"
            case .values: return "match→values"
            case .aggregate(.rows): return "match→aggregate rows"
            case .aggregate(.slots): return "match→aggregate slots"
            case .aggregate(.countedRows): return "match→counted"
            case .aggregate(.countedGroups(let keys)): return "match→counted by " + keys.sorted().joined(separator: ",")
            }
        case .unwind: return "unwind"
        case .with(let i): return "with←\(i)"
        case .returns(let i): return "return←\(i)"
        case .write: return "write"
        case .call: return "call"
        case .union(let all): return all ? "union all" : "union"
        }
    }

    /// Each query's pipeline, leaf first: the planner's decisions, one per operator.
    static let decisions: [(String, [String])] = [
        ("MATCH (a)-[:R]->(b) RETURN count(*) AS n",
         ["argument", "match→counted", "return←groups"]),
        ("MATCH (a)-[:R]->(b) RETURN b.name AS k, count(*) AS n",
         ["argument", "match→counted by b", "return←groups"]),
        ("MATCH (a)-[:R]->(b) RETURN b.name AS k, collect(a.name) AS names",
         ["argument", "match→aggregate slots", "return←groups"]),
        ("MATCH (a)-[:R]->(b) WHERE a.name <> b.name RETURN count(*) AS n ORDER BY n",
         ["argument", "match→counted", "return←rows"]),
        ("MATCH (a)-[:R*1..2]->(b) RETURN b.name AS k, collect(a.name) AS names",
         ["argument", "match→aggregate rows", "return←groups"]),
        ("MATCH (a)-[:R]->(b) RETURN a.name AS x, b.name AS y",
         ["argument", "match→values", "return←values"]),
        ("MATCH (a) RETURN a.name AS x LIMIT 3",
         ["argument", "match→first rows", "return←rows"]),
        ("MATCH (a)-[:R*1..2]->(b) RETURN a.name AS x, b.name AS y",
         ["argument", "match→rows", "return←eachRowsValues"]),
        ("UNWIND [1, 2] AS x WITH x WHERE x > 1 RETURN x",
         ["argument", "unwind", "with←rows", "return←eachRowsValues"]),
        ("MATCH (a)-[:R]->(b) WITH a, b WHERE a.name < b.name RETURN count(*)",
         ["argument", "match→values", "with←values", "return←rows"]),
        ("MATCH (a) OPTIONAL MATCH (a)-[:R]->(b) RETURN a, collect(b) AS bs",
         ["argument", "match→rows", "match→aggregate slots", "return←groups"]),
        ("CREATE (a:N {name: 'x'}) SET a.k = 1 RETURN a.k AS k",
         ["argument", "write", "write", "return←eachRowsValues"]),
        ("CALL db.labels() YIELD label RETURN label",
         ["argument", "call", "return←eachRowsValues"]),
    ]

    func testThePlannerDecidesHowEachOperatorTakesItsInput() throws {
        for (text, expected) in Self.decisions {
            let tree = try Self.plan(text).tree
            XCTAssertTrue(tree.partStarts.isEmpty, text)
            XCTAssertEqual(tree.pipeline(0).map(Self.words), expected, text)
            XCTAssertEqual(tree.nodes.count, expected.count, text)
            // each node takes the rows of the one before it
            XCTAssertEqual(tree.pipeline(0).map(\.input), [nil] + (0..<expected.count - 1).map { $0 }, text)
        }
    }

    func testAUnionHasOneBranchPerSingleQuery() throws {
        let tree = try Self.plan("MATCH (a:A) RETURN a.name AS n UNION MATCH (b:B) RETURN b.name AS n UNION RETURN 'c' AS n").tree
        XCTAssertEqual(Self.words(tree.root), "union")
        XCTAssertEqual(tree.branches(of: tree.root).map(\.part), [0, 1, 2])
        XCTAssertEqual((0..<3).map { tree.pipeline($0).map(Self.words) },
                       [["argument", "match→values", "return←values"], ["argument", "match→values", "return←values"],
                        ["argument", "return←eachRowsValues"]])
        XCTAssertEqual(tree.branches(of: tree.root).map(\.clause), [1, 1, 0])
        XCTAssertEqual(Self.words(try Self.plan("RETURN 1 AS n UNION ALL RETURN 2 AS n").tree.root), "union all")
    }

    /// EXPLAIN prints each of the planner's lines exactly once, root first: each operator
    /// before its input, its steps indented below it, a UNION's branches indented below it.
    func testExplainPrintsEveryLineOnceFromTheTree() throws {
        let texts = Self.decisions.map(\.0) + [
            "MATCH (a:A) RETURN a.name AS n UNION MATCH (b:B)-[:R]->(c) RETURN c.name AS n",
            "MATCH (a) WHERE EXISTS { MATCH (a)-[:R]->() } RETURN a.name",
            "MATCH (a)-[:R*1..3]->(b) WITH DISTINCT b MATCH (b)<-[:S]-(c) RETURN c.name ORDER BY c.name",
            "MATCH p = shortestPath((a {name: 'x'})-[*]-(b {name: 'y'})) RETURN length(p)",
            "MERGE (a:N {name: 'm'}) ON CREATE SET a.new = true DETACH DELETE a",
        ]
        for text in texts {
            let plan = try Query.prepare("EXPLAIN " + text).plan
            let printed = plan.explained
            XCTAssertEqual(printed.map(\.line).sorted(), Array(plan.operators.indices), text)
            // the root's line first, at depth 0
            XCTAssertEqual(printed.first?.line, plan.tree.root.line, text)
            XCTAssertEqual(printed.first?.op.depth, 0, text)
        }
        let union = try Query.run("EXPLAIN MATCH (a:A) RETURN a.name AS n UNION ALL MATCH (b:B) RETURN b.name AS n",
                                  on: PropertyGraph()).plan ?? []
        XCTAssertEqual(union.map { String(repeating: " ", count: $0.depth) + $0.name },
                       ["UnionAll", " ProduceResults", " Match", "  NodeByLabelScan", " ProduceResults", " Match", "  NodeByLabelScan"])
    }

    /// EXPLAIN shows the variables each clause's operator's rows bind (what the next one can
    /// read): the scope after the clause, a RETURN's columns, none of the engine's own names.
    func testExplainShowsTheVariablesEachOperatorBinds() throws {
        func variables(_ text: String) throws -> [String] {
            let ops = try Query.run("EXPLAIN " + text, on: PropertyGraph()).plan ?? []
            return ops.filter { $0.depth == 0 || $0.name == "ProduceResults" || $0.name == "AggregateResults" }
                .map { "\($0.name): \($0.variables.joined(separator: " "))" }
        }
        XCTAssertEqual(try variables("MATCH (a:A)-[r]->(b) WITH b, count(*) AS n UNWIND [1, 2] AS k RETURN b.name AS name, n + k AS m"),
                       ["ProduceResults: name m", "Unwind: b n k", "Aggregate: b n", "Match: a b r"])
        XCTAssertEqual(try variables("MATCH (a) RETURN a.name AS n UNION MATCH (b) RETURN b.name AS n"),
                       ["Union: n", "ProduceResults: n", "ProduceResults: n"])
        XCTAssertEqual(try variables("MATCH (a:A) CREATE (a)-[:R]->(c:C) SET c.x = 1"),
                       ["SetProperties: a c", "Create: a c", "Match: a"])
        XCTAssertEqual(try variables("MATCH (a:A) RETURN count(*) AS n, collect(a.name) AS names"),
                       ["AggregateResults: n names", "Match: a"])
    }

    /// A pattern nested in an expression is planned once per query, not once per row, and
    /// again only for rows that bind other names; its rows are those of a plan made per row.
    func testNestedPatternsArePlannedOncePerQuery() throws {
        let g = try ShortcutEquivalenceTests.graph()
        func run(_ text: String) throws -> (rows: [[QueryValue]], plans: Int) {
            let ex = Executor(graph: g, params: [:], functions: .standard, plan: try Self.plan(text), limits: QueryLimits())
            let rows = try ex.run().rows
            return (rows, ex.nestedPlansMade)
        }
        let comprehension = try run("MATCH (a) RETURN a.name AS n, [(a)-[:R]->(b) | b.name] AS out ORDER BY n")
        XCTAssertEqual(comprehension.plans, 1)
        XCTAssertEqual(comprehension.rows.map { $0[1] }, [["n1"], ["n2"], ["n0", "n3"], ["n3"], ["n5"], ["n2"]].map { .list($0.map { .string($0) }) })
        let predicate = try run("UNWIND range(1, 20) AS i MATCH (a:N) WHERE (a)-[:S]->() RETURN count(*)")
        XCTAssertEqual(predicate.plans, 1)
        XCTAssertEqual(predicate.rows, [[.int(40)]])
        let shortest = try run("MATCH (a:N), (b:M) MATCH p = shortestPath((a)-[*]->(b)) RETURN a.name, length(p) ORDER BY a.name")
        XCTAssertEqual(shortest.rows.count, 5)
        XCTAssertEqual(shortest.plans, 1)
    }
}
