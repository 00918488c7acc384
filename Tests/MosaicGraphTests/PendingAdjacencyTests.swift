import XCTest
@testable import MosaicGraph

/// A bulk load into a graph without relationships keeps no list until its end
/// (PendingAdjacency.swift): it must give the graph that loading relationship by relationship
/// gives (claims folded into the same facts, denials, the same lists by type, counts), and
/// the graph must take writes after it.
final class PendingAdjacencyTests: XCTestCase {
    /// Relationship loads of a small graph with repeated pairs: claims of one fact from several
    /// sources, one source twice, other types between the same ends, a denial, notes, claims
    /// without sources, a refining date and one that does not fit.
    func loads() -> [(from: Int32, to: Int32, type: String, props: [String: Value], meta: StatementMeta)] {
        func meta(_ sources: [String], note: String? = nil, from: String? = nil) -> StatementMeta {
            var m = StatementMeta(sources: sources.map { Citation(source: $0, note: note) }, origin: .importFile(path: "e.csv"))
            if let from { m.validFrom = PartialDate(from); m.validTo = PartialDate(from) }
            return m
        }
        var out: [(Int32, Int32, String, [String: Value], StatementMeta)] = []
        for i in 0..<400 {
            // (each pair and type comes back every 60 loads, with other sources, dates and properties)
            let a = Int32(i % 5), b = Int32(5 + (i / 5) % 4)
            let type = ["MET_WITH", "FLEW_TO", "MENTIONS"][(i / 20) % 3]
            switch i % 9 {
            case 0: out.append((a, b, type, [:], meta([])))
            case 1: out.append((a, b, type, [:], meta(["R\(i % 5)"])))
            case 2: out.append((a, b, type, [:], meta(["R\(i % 4)"], from: "2020-0\(1 + i % 3)")))
            case 3: out.append((a, b, type, ["denied": .bool(true)], meta(["R1"])))
            case 4: out.append((a, b, type, [:], meta(["R\(i % 3)"], note: "p. \(i % 2)")))
            case 5: out.append((a, b, type, ["role": .string("r\(i % 2)")], meta(["R\(i % 6)", "R\(i % 7)"])))
            case 6: out.append((a, b, type, [:], meta(["R\(i % 5)"], from: "2020")))
            case 7:
                // Sources a ShortKeyTable cannot hold (long, not ASCII; the Kelvin sign's equals
                // "K0" as a `String`) beside short ones.
                let sources = ["R\(i % 8)", "a-source-longer-than-sixteen-\(i % 3)", "Ḥmeimim-\(i % 2)", "\u{212A}0", "K0"]
                out.append((a, b, type, [:], meta([sources[(i / 9) % 5]])))
            default: out.append((a, b, type, [:], meta(["R\(i % 8)"])))
            }
        }
        return out
    }

    func nodes() -> Graph {
        var g = Graph()
        for k in 0..<23 { g.loadNode(key: "n\(k)", type: k % 2 == 0 ? "Person" : "Base", statement: Int64(k + 1)) }
        return g
    }

    func load(bulk: Bool, into g: inout Graph, from first: Int64) {
        if bulk { g.beginBulkLoad() }
        for (i, l) in loads().enumerated() {
            g.loadRelationship(from: l.from, to: l.to, type: l.type, properties: l.props, meta: l.meta,
                               statement: first + Int64(i), transaction: 1)
        }
        if bulk { g.endBulkLoad() }
    }

    func assertSame(_ a: Graph, _ b: Graph, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(GraphDigest.lines(a), GraphDigest.lines(b), file: file, line: line)
        XCTAssertEqual(a.factStatistics.multiClaimFacts, b.factStatistics.multiClaimFacts, file: file, line: line)
        XCTAssertEqual(a.factStatistics.foldedClaims, b.factStatistics.foldedClaims, file: file, line: line)
        XCTAssertEqual(a.factStatistics.denials, b.factStatistics.denials, file: file, line: line)
        for n in a.nodeIndices {
            XCTAssertEqual(a.outListByType(n), b.outListByType(n), "out of \(n)", file: file, line: line)
            XCTAssertEqual(a.inListByType(n), b.inListByType(n), "in of \(n)", file: file, line: line)
            XCTAssertEqual(a.outPairs(n).count, b.outPairs(n).count, file: file, line: line)
            for i in 0..<a.outPairs(n).count { XCTAssertEqual(a.outPairs(n).other(i), b.outPairs(n).other(i), file: file, line: line) }
            for i in 0..<a.inPairs(n).count { XCTAssertEqual(a.inPairs(n).other(i), b.inPairs(n).other(i), file: file, line: line) }
        }
        for t in a.relationTypes { XCTAssertEqual(a.relationshipCount(ofType: t), b.relationshipCount(ofType: t), t, file: file, line: line) }
        XCTAssertEqual(a.sourceSets, b.sourceSets, "source sets interned in the same order", file: file, line: line)
    }

    func testABulkLoadWithoutListsGivesTheGraphOfOneByOneLoads() {
        var one = nodes(), bulk = nodes()
        load(bulk: false, into: &one, from: 100)
        load(bulk: true, into: &bulk, from: 100)
        XCTAssertGreaterThan(one.factStatistics.foldedClaims, 10, "the loads fold claims")
        XCTAssertGreaterThan(one.factStatistics.denials, 10)
        XCTAssertNil(bulk.pendingAdjacency)
        assertSame(bulk, one)
        // The lists are flat arrays, like a snapshot's.
        XCTAssertTrue(bulk.outAdjacency.isFlat(0))
    }

    func testABulkLoadIntoAGraphWithRelationshipsKeepsItsListsAsItGoes() {
        var one = nodes(), bulk = nodes()
        load(bulk: false, into: &one, from: 100)
        load(bulk: false, into: &bulk, from: 100)
        load(bulk: false, into: &one, from: 1000)
        load(bulk: true, into: &bulk, from: 1000)  // (relationships there already: lists kept while loading)
        assertSame(bulk, one)
    }

    func testTheGraphTakesWritesAfterABulkLoad() {
        var one = nodes(), bulk = nodes()
        load(bulk: false, into: &one, from: 100)
        load(bulk: true, into: &bulk, from: 100)
        let copy = bulk
        func write(_ g: inout Graph) {
            g.nextStatementID = 10_000
            let r = g.addRelationship(from: 3, to: 4, type: "FLEW_TO")
            g.addRelationship(from: 4, to: 3, type: "AAA")
            g.deleteRelationship(r)
            for r in g.outListByType(5) { g.deleteRelationship(r) }
            g.retractClaim(g.relationshipIndices.first!)
            XCTAssertTrue(g.deleteNode(7, detach: true))
        }
        write(&one)
        write(&bulk)
        assertSame(bulk, one)
        // The copy taken before the writes still has the lists it had.
        var again = nodes()
        load(bulk: true, into: &again, from: 100)
        assertSame(copy, again)
    }

    func testAnEmptyBulkLoad() {
        var g = nodes()
        g.beginBulkLoad()
        g.endBulkLoad()
        XCTAssertEqual(g.outPairs(0).count, 0)
        g.addRelationship(from: 0, to: 1, type: "FLEW_TO")
        XCTAssertEqual(g.outList(0).count, 1)
        XCTAssertEqual(g.inList(1).count, 1)
    }
}
