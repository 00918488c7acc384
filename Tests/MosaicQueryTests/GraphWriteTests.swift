import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Writes on a Mosaic graph come back as statements with the caller's origin; a failing
/// query leaves the caller's graph as it was.
final class GraphWriteTests: XCTestCase {
    func testWritesRecordStatementsWithOrigin() throws {
        let g = QueryCaseTests.fixture()
        let meta = StatementMeta(origin: .console(session: "t1"))
        let q = try Query.prepare("MATCH (b {id: 'hmeimim-air-base'}) CREATE (b)-[:HOSTS]->(:Aircraft {id: 'su-34', name: 'Su-34'}) SET b.status = 'active' RETURN b.status AS s")
        let out = try q.execute(on: g, writeMeta: meta)
        XCTAssertEqual(out.table.rows, [[.string("active")]])
        XCTAssertNotNil(out.graph.lookup(key: "su-34"))
        XCTAssertNil(g.lookup(key: "su-34"), "the caller's graph value is untouched")
        let asserted = out.changes.compactMap { c -> Statement? in if case .assert(let s) = c { return s }; return nil }
        XCTAssertFalse(asserted.isEmpty)
        XCTAssertTrue(asserted.allSatisfy { $0.meta.origin == .console(session: "t1") })
        XCTAssertTrue(asserted.contains { if case .relation(let t, let target, _) = $0.kind { return t == "HOSTS" && target == "su-34" }; return false })
    }

    func testFailingQueryWritesNothing() throws {
        let g = QueryCaseTests.fixture()
        let q = try Query.prepare("CREATE (:Aircraft {id: 'x1'}) WITH 1 AS one MATCH (b {id: 'hmeimim-air-base'}) DELETE b")
        XCTAssertThrowsError(try q.execute(on: g, writeMeta: StatementMeta(origin: .cli(command: "test")))) { e in
            XCTAssertEqual((e as? QueryError)?.kind, .constraintVerificationFailed)
        }
        XCTAssertNil(g.lookup(key: "x1"))
    }

    func testAsOfRunsOnWhateverSnapshotItIsGiven() throws {
        let q = try Query.prepare("MATCH (b:Base) RETURN count(*) AS n")
        var later = QueryCaseTests.fixture()
        later.addNode(key: "new-base", labels: ["Base"])
        XCTAssertEqual(try q.execute(on: QueryCaseTests.fixture()).rows, [[.int(2)]])
        XCTAssertEqual(try q.execute(on: later).rows, [[.int(3)]])
    }

    /// A GraphView keeps its graph in a shared box: a write through one copy leaves the others
    /// as they were, and a view's only copy is written in place.
    func testGraphViewCopiesAreValues() throws {
        var v1 = GraphView(QueryCaseTests.fixture())
        let v2 = v1
        v1.graph.addNode(key: "z1", labels: ["Base"])
        XCTAssertNotNil(v1.graph.lookup(key: "z1"))
        XCTAssertNil(v2.graph.lookup(key: "z1"))
        v1.graph.addNode(key: "z2")
        XCTAssertNotNil(v1.graph.lookup(key: "z1"))
        XCTAssertNotNil(v1.graph.lookup(key: "z2"))
        let t = try Query.prepare("CREATE (:Base {id: 'z3'})").execute(on: v2)
        XCTAssertNotNil(t.graph.graph.lookup(key: "z3"))
        XCTAssertNil(v2.graph.lookup(key: "z3"))
        XCTAssertEqual(try Query.prepare("MATCH (b:Base) RETURN count(*)").execute(on: v1).rows, [[.int(3)]])
    }

    func testHostFunctionsExtendTheLanguage() throws {
        var fns = FunctionRegistry.standard
        fns.register(QueryFunction("derived", arity: 1...1) { args, ctx in
            guard case .relationship(let r) = args[0] else { return .null }
            return .bool(ctx.graph.relationshipType(r) == "OPERATES")
        })
        let q = try Query.prepare("MATCH ()-[r]->({id: 'tartus-naval-base'}) RETURN type(r) AS t, derived(r) AS d ORDER BY t", functions: fns)
        XCTAssertEqual(try q.execute(on: QueryCaseTests.fixture()).rows, [[.string("FLEW_TO"), .bool(false)], [.string("OPERATES"), .bool(true)]])
        XCTAssertThrowsError(try Query.prepare("RETURN derived(1)")) { e in XCTAssertEqual((e as? QueryError)?.detail, "UnknownFunction") }
    }

    func testCaretRendering() {
        let text = "MATCH (a)\nRETURN b"
        XCTAssertThrowsError(try Query.prepare(text)) { e in
            let r = (e as! QueryError).rendered(query: text)
            XCTAssertTrue(r.hasSuffix("  RETURN b\n         ^"), r)
        }
    }
}
