import XCTest
@testable import MosaicGraph

final class GraphTests: XCTestCase {
    func sample() -> Graph {
        var g = Graph()
        let base = g.addNode(key: "hmeimim-air-base", labels: ["Base"],
                             properties: ["name": .string("Ḥmeimim Air Base"), "aliases": .list([.string("Khmeimim")])])
        let gov = g.addNode(key: "latakia", labels: ["Governorate"], properties: ["name": .string("Latakia")])
        let syria = g.addNode(key: "syria", labels: ["Country"], properties: ["name": .string("Syria")])
        g.addRelationship(from: base, to: gov, type: "LOCATED_IN")
        g.addRelationship(from: gov, to: syria, type: "PART_OF")
        return g
    }

    func testLookupsByKeyLabelNameAndAlias() {
        let g = sample()
        let base = g.lookup(key: "hmeimim-air-base")!
        XCTAssertEqual(g.nodes(named: "khmeimim"), [base])
        XCTAssertEqual(g.nodes(named: "HMEIMIM air-base"), [base])
        XCTAssertEqual(g.nodes(withLabel: "Country").map { g.node($0).key }, ["syria"])
        let located = g.relationTypeID("LOCATED_IN")!
        XCTAssertEqual(g.outgoing(base, type: located).count, 1)
        XCTAssertEqual(g.incoming(g.lookup(key: "latakia")!).count, 1)
        XCTAssertEqual(g.liveRelationshipCount, 2)
    }

    func testMutationsAreRecordedAsStatements() {
        var g = sample()
        g.isRecording = true
        let base = g.lookup(key: "hmeimim-air-base")!
        let before = g.node(base).propertyStatements["name"]!
        g.setProperty(base, "name", .string("Hmeimim"))
        g.addLabel(base, "AirBase")
        XCTAssertFalse(g.deleteNode(base))
        XCTAssertTrue(g.deleteNode(base, detach: true))
        let changes = g.takeChanges()
        XCTAssertEqual(changes.first, .retract(before))
        guard case .assert(let s) = changes[1], case .property("name", .string("Hmeimim")) = s.kind else {
            return XCTFail("expected the new name asserted, got \(changes)")
        }
        XCTAssertTrue(changes.contains(.retract(g.node(base).statement)))
        XCTAssertNil(g.lookup(key: "hmeimim-air-base"))
        XCTAssertEqual(g.nodes(named: "Khmeimim"), [])
        XCTAssertEqual(g.liveRelationshipCount, 1)
        XCTAssertNil(g.relationship(statement: 999))
        let r = g.relationshipIndices.first!
        XCTAssertEqual(g.relationship(statement: g.relationship(r).statement), r)
    }

    func testCopiesAreSnapshots() {
        let reader = sample()
        var writer = reader
        writer.addNode(key: "tartus", labels: ["Base"])
        XCTAssertNil(reader.lookup(key: "tartus"))
        XCTAssertNotNil(writer.lookup(key: "tartus"))
    }
}
