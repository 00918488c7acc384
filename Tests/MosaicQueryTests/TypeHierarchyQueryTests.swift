import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Queries follow the schema's `extends` (the lineage the store gives its graphs):
/// `MATCH (x:Location)` finds bases and countries, `labels(x)` lists the ancestors.
final class TypeHierarchyQueryTests: XCTestCase {
    func graph(schema: Bool) -> GraphView {
        var g = Graph()
        let syria = g.addNode(key: "syria", labels: ["Country"], properties: ["name": .string("Syria")])
        let base = g.addNode(key: "hmeimim", labels: ["Base"], properties: ["name": .string("Hmeimim")])
        _ = g.addNode(key: "putin", labels: ["Person"])
        g.addRelationship(from: base, to: syria, type: "LOCATED_IN")
        if schema {
            var s = Schema()
            s.entityTypes["Location"] = Schema.EntityType(name: "Location")
            s.entityTypes["Country"] = Schema.EntityType(name: "Country", parent: "Location")
            s.entityTypes["Base"] = Schema.EntityType(name: "Base", parent: "Location")
            s.entityTypes["Person"] = Schema.EntityType(name: "Person")
            g.factRules = s.factRules
        }
        return GraphView(g)
    }

    func rows(_ q: String, schema: Bool = true) throws -> [[QueryValue]] {
        try Query.run(q, on: graph(schema: schema), parameters: [:], functions: .standard).rows
    }

    func testAnAncestorLabelMatchesItsDescendants() throws {
        XCTAssertEqual(try rows("MATCH (x:Location) RETURN x.id"), [[.string("syria")], [.string("hmeimim")]])
        XCTAssertEqual(try rows("MATCH (x) WHERE x:Location RETURN count(x)"), [[.int(2)]])
        XCTAssertEqual(try rows("MATCH (:Location)-[:LOCATED_IN]->(c:Location:Country) RETURN c.id"), [[.string("syria")]])
        XCTAssertEqual(try rows("MATCH (x:Location {name: 'Hmeimim'}) RETURN labels(x)"),
                       [[.list([.string("Base"), .string("Location")])]])
        XCTAssertEqual(try rows("MATCH (x:Person) RETURN labels(x)"), [[.list([.string("Person")])]])
        XCTAssertEqual(try rows("CALL db.labels() YIELD label RETURN collect(label)"),
                       [[.list(["Base", "Country", "Location", "Person"].map { QueryValue.string($0) })]])
    }

    func testWithoutASchemaNothingIsInherited() throws {
        XCTAssertEqual(try rows("MATCH (x:Location) RETURN x.id", schema: false), [])
        XCTAssertEqual(try rows("MATCH (x:Base) RETURN labels(x)", schema: false), [[.list([.string("Base")])]])
    }
}
