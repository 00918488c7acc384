import XCTest
@testable import MosaicGraph

/// The schema's `extends` in the graph's label reads: a label gives the nodes of every type
/// that extends it, in node order; a node lists its types' ancestors; without a schema the
/// graph reads exactly its stored labels.
final class TypeLineageTests: XCTestCase {
    func graph() -> Graph {
        var g = Graph()
        _ = g.addNode(key: "syria", labels: ["Country"])
        _ = g.addNode(key: "hmeimim", labels: ["Base", "AirBase"])
        _ = g.addNode(key: "putin", labels: ["Person"])
        _ = g.addNode(key: "latakia", labels: ["Governorate"])
        _ = g.addNode(key: "somewhere", labels: ["Location"])
        _ = g.addNode(key: "tartus", labels: ["City", "Location"])  // also stored as a Location
        return g
    }

    func schema() -> Schema {
        var s = Schema()
        for (t, p) in [("Location", nil), ("Country", "Location"), ("Base", "Location"), ("Governorate", "Location"),
                       ("City", "Location"), ("Person", nil), ("AirBase", "Base")] as [(String, String?)] {
            s.entityTypes[t] = Schema.EntityType(name: t, parent: p)
        }
        return s
    }

    func keys(_ g: Graph, _ ns: [Int32]) -> [String] { ns.map { g.node($0).key } }

    func testWithoutASchemaLabelsAreTheStoredOnes() {
        let g = graph()
        XCTAssertEqual(keys(g, g.nodes(withLabel: "Location")), ["somewhere", "tartus"])
        XCTAssertEqual(g.count(label: "Location"), 2)
        XCTAssertFalse(g.hasLabel(g.lookup(key: "syria")!, "Location"))
        XCTAssertEqual(g.labels(ofNode: g.lookup(key: "hmeimim")!), ["Base", "AirBase"])
        XCTAssertEqual(g.labels, ["AirBase", "Base", "City", "Country", "Governorate", "Location", "Person"])
    }

    func testAnAncestorLabelGivesEveryDescendantInNodeOrder() {
        var g = graph()
        g.factRules = schema().factRules
        XCTAssertEqual(keys(g, g.nodes(withLabel: "Location")), ["syria", "hmeimim", "latakia", "somewhere", "tartus"])
        XCTAssertEqual(g.count(label: "Location"), 5)  // tartus once, though stored as City and Location
        XCTAssertEqual(keys(g, g.nodes(withLabel: "Base")), ["hmeimim"])
        XCTAssertEqual(keys(g, g.nodes(withLabel: "Person")), ["putin"])
        XCTAssertTrue(g.hasLabel(g.lookup(key: "syria")!, "Location"))
        XCTAssertFalse(g.hasLabel(g.lookup(key: "putin")!, "Location"))
        XCTAssertFalse(g.hasLabel(g.lookup(key: "syria")!, "Base"))
        // the type, its ancestors, then the other labels with theirs (each once)
        XCTAssertEqual(g.labels(ofNode: g.lookup(key: "hmeimim")!), ["Base", "Location", "AirBase"])
        XCTAssertEqual(g.labels(ofNode: g.lookup(key: "tartus")!), ["City", "Location"])
        XCTAssertEqual(g.labels(ofNode: g.lookup(key: "putin")!), ["Person"])
        // a view of the graph (clocks) keeps the lineage
        let v = g.viewed(ClockView(validAt: PartialDate("2025-10-30")))
        XCTAssertEqual(v.count(label: "Location"), 5)
    }

    func testLineageFromTheSchema() {
        let l = schema().typeLineage
        XCTAssertEqual(l.ancestors["AirBase"], ["Base", "Location"])
        XCTAssertEqual(l.descendants["Location"], ["AirBase", "Base", "City", "Country", "Governorate"])
        XCTAssertNil(l.descendants["Person"])
        XCTAssertEqual(schema().factRules.isEmpty, true, "a lineage adds no conflict rule")
    }
}
