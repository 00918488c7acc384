import XCTest
import MosaicGraph
@testable import MosaicQuery

/// The executor's shortcuts give what the general path gives: a last hop counted by degree,
/// a DISTINCT variable-length last hop searched breadth first, calls of constants evaluated
/// once, and the byte lexer for ASCII text. Each compares against a form of the same query
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
}
