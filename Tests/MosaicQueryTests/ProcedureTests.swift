import Foundation
import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Procedures registered by a host: signatures, argument checks and coercion, implicit
/// arguments, and the built-in catalogue procedures on a Mosaic graph after writes.
final class ProcedureTests: XCTestCase {
    func registry() throws -> FunctionRegistry {
        var r = FunctionRegistry.standard
        r.register(try QueryProcedure(signature: "test.repeat(text :: STRING?, times :: INTEGER?) :: (line :: STRING?, i :: INTEGER?)") { a, _ in
            guard case .int(let n) = a[1] else { return [] }
            return (0..<max(0, n)).map { [a[0], .int($0)] }
        })
        r.register(try QueryProcedure(signature: "test.half(x :: FLOAT) :: (y :: FLOAT?)") { a, _ in
            guard case .float(let f) = a[0] else { return [[.string("not a float")]] }
            return [[.float(f / 2)]]
        })
        r.register(try QueryProcedure(signature: "test.broken() :: (a :: INTEGER?, b :: INTEGER?)") { _, _ in [[.int(1)]] })
        r.register(try QueryProcedure(signature: "test.nodes() :: (n :: NODE?)") { _, g in g.allNodes().map { [.node($0)] } })
        return r
    }

    func run(_ q: String, _ params: [String: QueryValue] = [:], on g: GraphView = GraphView(Graph())) throws -> ResultTable<GraphView> {
        try Query.run(q, on: g, parameters: params, functions: registry())
    }

    func code(_ q: String, _ params: [String: QueryValue] = [:]) -> String {
        do { _ = try run(q, params); return "ok" } catch let e as QueryError { return "\(e.kind.rawValue) \(e.detail)" } catch { return "\(error)" }
    }

    func testSignature() throws {
        let p = try QueryProcedure(signature: "a.b.c(x :: LIST? OF STRING?, y :: NUMBER) :: VOID") { _, _ in [] }
        XCTAssertEqual(p.name, "a.b.c")
        XCTAssertEqual(p.parameters, [QueryProcedure.Field("x", .list(.string)), QueryProcedure.Field("y", .number, nullable: false)])
        XCTAssertTrue(p.outputs.isEmpty)
        XCTAssertEqual(p.signature, "a.b.c(x :: LIST OF STRING?, y :: NUMBER) :: ()")
        XCTAssertThrowsError(try QueryProcedure(signature: "p(x :: WHATEVER?) :: ()") { _, _ in [] }) { e in
            XCTAssertEqual((e as? QueryError)?.detail, "InvalidProcedureSignature")
        }
        XCTAssertThrowsError(try QueryProcedure(signature: "p() :: (a :: INTEGER?) extra") { _, _ in [] })
    }

    func testCalls() throws {
        let t = try run("CALL test.repeat('x', 2)")
        XCTAssertEqual(t.columns, ["line", "i"])
        XCTAssertEqual(t.rows, [[.string("x"), .int(0)], [.string("x"), .int(1)]])
        // implicit arguments come from the parameters
        XCTAssertEqual(try run("CALL test.repeat", ["text": .string("y"), "times": .int(1)]).rows, [[.string("y"), .int(0)]])
        // in-query: once per row, WHERE on the yielded columns
        let q = try run("UNWIND [1, 2, 3] AS n CALL test.repeat('z', n) YIELD i WHERE i > 0 RETURN n, i")
        XCTAssertEqual(q.rows, [[.int(2), .int(1)], [.int(3), .int(1)], [.int(3), .int(2)]])
        // an INTEGER passed for a FLOAT becomes a FLOAT
        XCTAssertEqual(try run("CALL test.half(3)").rows, [[.float(1.5)]])
        XCTAssertEqual(try run("CALL test.half($x)", ["x": .int(5)]).rows, [[.float(2.5)]])
        // a NODE output binds a node the rest of the query can match from
        var g = Graph()
        let a = g.addNode(key: "a", labels: ["A"], properties: [:])
        let b = g.addNode(key: "b", labels: ["B"], properties: [:])
        g.addRelationship(from: a, to: b, type: "R", meta: StatementMeta(origin: .system("test")))
        let m = try run("CALL test.nodes() YIELD n MATCH (n)-[:R]->(m) RETURN n.id AS from, m.id AS to", on: GraphView(g))
        XCTAssertEqual(m.rows, [[.string("a"), .string("b")]])
    }

    func testErrors() {
        XCTAssertEqual(code("CALL test.repeat('x')"), "SyntaxError InvalidNumberOfArguments")
        XCTAssertEqual(code("CALL test.repeat('x', 'two')"), "SyntaxError InvalidArgumentType")
        XCTAssertEqual(code("CALL test.repeat('x', $n)", ["n": .string("two")]), "TypeError InvalidArgumentType")
        XCTAssertEqual(code("CALL test.half(null)"), "SyntaxError InvalidArgumentType")  // x :: FLOAT (no ?)
        XCTAssertEqual(code("CALL test.half($x)", ["x": .null]), "TypeError InvalidArgumentType")
        XCTAssertEqual(code("CALL test.repeat", ["text": .string("y")]), "ParameterMissing MissingParameter")
        XCTAssertEqual(code("WITH 1 AS x CALL test.repeat YIELD line RETURN line"), "SyntaxError InvalidArgumentPassingMode")
        XCTAssertEqual(code("CALL test.broken()"), "ProcedureError ProcedureOutputMismatch")
        XCTAssertEqual(code("CALL test.nope()"), "ProcedureError ProcedureNotFound")
        XCTAssertEqual(code("CALL test.repeat('x', 1) YIELD line AS l, i AS l RETURN l"), "SyntaxError VariableAlreadyBound")
    }

    func testCatalogueOnAMosaicGraph() throws {
        var g = GraphView(Graph())
        g = try Query.run("CREATE (:Person {name: 'Ann'})-[:KNOWS {since: 2020}]->(:Person:Admin), (:Tmp)-[:GONE]->(:Tmp)", on: g).graph
        g = try Query.run("MATCH (t:Tmp) DETACH DELETE t", on: g).graph
        XCTAssertEqual(g.allLabels(), ["Admin", "Person"])
        XCTAssertEqual(g.allRelationshipTypes(), ["KNOWS"])
        XCTAssertEqual(g.allPropertyKeys(), ["name", "since"])
        // the PropertyGraph (index) and the protocol's scan agree with it
        var p = PropertyGraph()
        p = try Query.run("CREATE (:Person {name: 'Ann'})-[:KNOWS {since: 2020}]->(:Person:Admin), (:Tmp)-[:GONE]->(:Tmp)", on: p).graph
        p = try Query.run("MATCH (t:Tmp) DETACH DELETE t", on: p).graph
        XCTAssertEqual(try Query.run("CALL db.labels()", on: p).rows, [[.string("Admin")], [.string("Person")]])
        XCTAssertEqual(try Query.run("CALL db.relationshipTypes()", on: p).rows, [[.string("KNOWS")]])
        XCTAssertEqual(try Query.run("CALL db.propertyKeys()", on: p).rows, [[.string("name")], [.string("since")]])
    }

    /// `Query.run` keeps compiled plans per registry: the same text under two registries
    /// resolves each one's functions, and the standard registry never sees a host's.
    func testPlanCacheIsPerRegistry() throws {
        func registry(_ n: Int) -> FunctionRegistry {
            var r = FunctionRegistry.standard
            r.register(QueryFunction("hostValue", arity: 0...0) { _, _ in .int(n) })
            return r
        }
        let (one, two) = (registry(1), registry(2))
        let g = PropertyGraph()
        for (r, want) in [(one, 1), (two, 2), (one, 1), (two, 2)] {
            XCTAssertEqual(try Query.run("RETURN hostValue() AS x", on: g, functions: r).rows, [[.int(want)]])
        }
        XCTAssertThrowsError(try Query.run("RETURN hostValue() AS x", on: g)) { e in
            XCTAssertEqual((e as? QueryError)?.detail, "UnknownFunction")
        }
    }
}
