import XCTest
@testable import MosaicGraph

/// Adjacency kept by relation type: each type's run is in statement order, degrees by type
/// need no walk, the untyped lists still read in statement order, and the order survives
/// deletes, a retracted claim, a bulk load and a checkpoint round trip.
final class AdjacencyByTypeTests: XCTestCase {
    /// `hub` gets relationships of three types, interleaved, from and to `a` and `b`.
    func graph() -> (Graph, [Int32]) {
        var g = Graph()
        let hub = g.addNode(key: "hub"), a = g.addNode(key: "a"), b = g.addNode(key: "b")
        var rels: [Int32] = []
        for (i, type) in ["MENTIONS", "FLEW_TO", "MENTIONS", "PART_OF", "FLEW_TO", "MENTIONS", "FLEW_TO"].enumerated() {
            rels.append(g.addRelationship(from: hub, to: i % 2 == 0 ? a : b, type: type, properties: ["n": .int(Int64(i))]))
            rels.append(g.addRelationship(from: i % 2 == 0 ? a : b, to: hub, type: type, properties: ["n": .int(Int64(i))]))
        }
        return (g, rels)
    }

    func typed(_ g: Graph, _ node: String, _ type: String, out: Bool = true) -> [Int32] {
        let n = g.lookup(key: node)!, t = g.relationTypeID(type)!
        return out ? g.outgoing(n, type: t) : g.incoming(n, type: t)
    }

    func check(_ g: Graph, file: StaticString = #filePath, line: UInt = #line) {
        let hub = g.lookup(key: "hub")!
        // the count by type the planner reads is the number of live relationships of the type
        for name in g.relationTypes {
            let t = g.relationTypeID(name)!
            XCTAssertEqual(g.relationshipCount(ofType: name), g.relationshipIndices.filter { g.relationship($0).type == t }.count,
                           "count of \(name)", file: file, line: line)
        }
        XCTAssertEqual(g.relationshipCount(ofType: "NO_SUCH_TYPE"), 0, file: file, line: line)
        // every entry carries the node at its relationship's other end
        for n in g.nodeIndices {
            let out = g.outPairs(n), inc = g.inPairs(n)
            XCTAssertEqual((0..<out.count).map { out.other($0) }, (0..<out.count).map { g.relationship(out.relationship($0)).target },
                           file: file, line: line)
            XCTAssertEqual((0..<inc.count).map { inc.other($0) }, (0..<inc.count).map { g.relationship(inc.relationship($0)).source },
                           file: file, line: line)
            XCTAssertEqual(out.relationships, g.outListByType(n), file: file, line: line)
        }
        for out in [true, false] {
            let list = out ? g.outListByType(hub) : g.inListByType(hub)
            let types = list.map { g.relationship($0).type }
            XCTAssertEqual(types, types.sorted(), "kept by type", file: file, line: line)
            let all = out ? g.outList(hub) : g.inList(hub)
            XCTAssertEqual(all, all.sorted(), "the whole list in statement order", file: file, line: line)
            XCTAssertEqual(Set(all), Set(list), file: file, line: line)
            for name in g.relationTypes {
                let t = g.relationTypeID(name)!
                let byType = all.filter { g.relationship($0).type == t }
                XCTAssertEqual(out ? g.outgoing(hub, type: t) : g.incoming(hub, type: t), byType, name, file: file, line: line)
                XCTAssertEqual(out ? g.outDegree(hub, type: t) : g.inDegree(hub, type: t), byType.count, name, file: file, line: line)
            }
        }
    }

    func testDegreeAndListingByType() throws {
        var (g, rels) = graph()
        check(g)
        let hub = g.lookup(key: "hub")!
        XCTAssertEqual(g.outList(hub), stride(from: 0, to: rels.count, by: 2).map { rels[$0] }, "insertion order")
        XCTAssertEqual(g.outDegree(hub, type: g.relationTypeID("FLEW_TO")!), 3)
        XCTAssertEqual(g.inDegree(hub, type: g.relationTypeID("PART_OF")!), 1)
        XCTAssertEqual(typed(g, "hub", "MENTIONS").map { g.property("n", ofRelationship: $0) }, [.int(0), .int(2), .int(5)])

        // Deletes take one entry out of its run; new relationships go at the end of theirs.
        g.deleteRelationship(rels[2])  // hub -FLEW_TO-> b, the first
        g.deleteRelationship(rels[7])  // a -PART_OF-> hub
        XCTAssertEqual(typed(g, "hub", "FLEW_TO").map { g.property("n", ofRelationship: $0) }, [.int(4), .int(6)])
        XCTAssertEqual(g.inDegree(hub, type: g.relationTypeID("PART_OF")!), 0)
        let late = g.addRelationship(from: hub, to: g.lookup(key: "a")!, type: "MENTIONS")
        let newType = g.addRelationship(from: hub, to: g.lookup(key: "b")!, type: "AAA")
        XCTAssertEqual(typed(g, "hub", "MENTIONS").last, late)
        XCTAssertEqual(typed(g, "hub", "AAA"), [newType])
        XCTAssertEqual(g.outList(hub).suffix(2), [late, newType])
        check(g)

        // A checkpoint gives the lists back as kept; writes after it keep the order.
        var back = try XCTUnwrap(g.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertEqual(back.outListByType(hub), g.outListByType(hub))
        XCTAssertEqual(back.inListByType(hub), g.inListByType(hub))
        check(back)
        back.deleteRelationship(late)
        let after = back.addRelationship(from: back.lookup(key: "b")!, to: hub, type: "FLEW_TO")
        XCTAssertEqual(typed(back, "hub", "FLEW_TO", out: false).last, after)
        XCTAssertEqual(typed(back, "hub", "MENTIONS"), typed(g, "hub", "MENTIONS").dropLast())
        check(back)
        XCTAssertTrue(back.deleteNode(back.lookup(key: "a")!, detach: true))
        check(back)
        XCTAssertEqual(back.outList(hub).map { back.relationship($0).target }, Array(repeating: back.lookup(key: "b")!, count: 3))
    }

    func testABulkLoadSortsOnceAndEndsWithTheSameLists() {
        let (g, _) = graph()
        var bulk = Graph()
        for key in ["hub", "a", "b"] { bulk.loadNode(key: key, type: "", statement: 0) }
        bulk.beginBulkLoad()
        for r in g.relationshipIndices {
            let rel = g.relationship(r)
            bulk.loadRelationship(from: rel.source, to: rel.target, type: g.typeName(of: r), properties: g.properties(ofRelationship: r),
                                  meta: g.meta(ofRelationship: r), statement: rel.statement, transaction: 1)
        }
        bulk.endBulkLoad()
        for n: Int32 in 0..<3 {
            XCTAssertEqual(bulk.outListByType(n), g.outListByType(n))
            XCTAssertEqual(bulk.inListByType(n), g.inListByType(n))
        }
        check(bulk)
    }

    func testARetractedClaimHandsItsPlaceToTheNextInStatementOrder() {
        var g = Graph()
        let x = g.addNode(key: "x"), y = g.addNode(key: "y")
        func claim(_ type: String, _ source: String) -> Int32 {
            g.addRelationship(from: x, to: y, type: type, meta: StatementMeta(sources: [Citation(source: source)], origin: .system("t")))
        }
        let first = claim("OPERATES", "a1")
        let other = g.addRelationship(from: x, to: y, type: "OPERATES", properties: ["role": .string("owner")])
        let mention = claim("MENTIONS", "a1")
        let second = claim("OPERATES", "a2")  // folded into `first`
        XCTAssertEqual(g.claims(ofFact: first), [first, second])
        XCTAssertEqual(g.outList(x), [first, other, mention])
        g.retractClaim(first)
        let t = g.relationTypeID("OPERATES")!
        XCTAssertEqual(g.outgoing(x, type: t), [other, second], "the fact's next claim sits in statement order")
        XCTAssertEqual(g.incoming(y, type: t), [other, second])
        XCTAssertEqual(g.outList(x), [other, mention, second])
        XCTAssertEqual(g.outDegree(x, type: t), 2)
    }
}
