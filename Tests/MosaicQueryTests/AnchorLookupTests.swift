import XCTest
import MosaicGraph
@testable import MosaicQuery

/// A pattern anchored by an index lookup whose property map is just the looked-up key
/// (`{name: $n}`, `{id: $id}`) skips the map when the index's hits are exact, and compares
/// it when they are not: a Mosaic graph's name index folds case and diacritics, so `n3`
/// finds the node named `N3`, which the map must then refuse.
final class AnchorLookupTests: XCTestCase {
    func testInexactHitsAreCheckedAndExactOnesAreNot() throws {
        var g = Graph()
        for i in 0..<4 { _ = g.addNode(key: "k\(i)", labels: ["N"], properties: ["name": .string(i == 3 ? "Zoë" : "N\(i)")]) }
        g.addRelationship(from: 0, to: 1, type: "R")
        g.addRelationship(from: 0, to: 3, type: "R")
        let view = GraphView(g)
        let cases: [(String, [String: QueryValue], [[QueryValue]])] = [
            ("MATCH (a {name: $n}) RETURN a.name", ["n": .string("N1")], [[.string("N1")]]),
            ("MATCH (a {name: $n}) RETURN a.name", ["n": .string("n1")], []),
            ("MATCH (a {name: $n}) RETURN a.name", ["n": .string("Zoe")], []),
            ("MATCH (a {name: $n}) RETURN a.name", ["n": .string("Zoë")], [[.string("Zoë")]]),
            ("MATCH (a {id: $id}) RETURN a.name", ["id": .string("k2")], [[.string("N2")]]),
            ("MATCH (a {id: $id}) RETURN a.name", ["id": .string("K2")], []),
            ("MATCH (a {id: $id})-[:R]->(b) RETURN b.name ORDER BY b.name", ["id": .string("k0")], [[.string("N1")], [.string("Zoë")]]),
            ("MATCH (a {name: $n})-[:R]->(b) WHERE b.name <> 'x' RETURN b.name ORDER BY b.name", ["n": .string("n0")], []),
            ("MATCH (a {name: $n})-[:R]->(b) WHERE b.name <> 'x' RETURN b.name ORDER BY b.name", ["n": .string("N0")], [[.string("N1")], [.string("Zoë")]]),
            ("MATCH (b)<-[:R]-(a {name: $n}) RETURN count(b)", ["n": .string("n0")], [[.int(0)]]),
        ]
        for (text, params, expected) in cases {
            XCTAssertEqual(try Query.prepare(text).execute(on: view, parameters: params).rows, expected, "\(text) \(params)")
        }
    }
}
