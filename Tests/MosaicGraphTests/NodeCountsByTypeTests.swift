import XCTest
@testable import MosaicGraph

/// `nodeCountsByType()` (what `mosaic stats` lists) reads the label index; it must count what
/// a walk of every live node by its type counts: extra labels, a type removed (the next label
/// becomes the type), nodes without a type, deleted nodes, and after a checkpoint round trip.
final class NodeCountsByTypeTests: XCTestCase {
    func walked(_ g: Graph) -> [String: Int] {
        var counts: [String: Int] = [:]
        for i in g.nodeIndices { counts[g.node(i).type, default: 0] += 1 }
        return counts
    }

    func testCountsMatchAWalkOfEveryNode() throws {
        var g = Graph()
        for i in 0..<200 {
            let n = g.addNode(key: "n\(i)", labels: i % 10 == 0 ? [] : [["Base", "Person", "Event"][i % 3]])
            if i % 7 == 0 { g.addLabel(n, "Airfield") }
            if i % 9 == 0 { g.addLabel(n, "Person") }
        }
        g.removeLabel(g.lookup(key: "n21")!, "Base")        // Base, Airfield → Airfield
        g.removeLabel(g.lookup(key: "n63")!, "Base")        // Base, Airfield, Person → Airfield, Person
        g.deleteNode(g.lookup(key: "n5")!)
        g.deleteNode(g.lookup(key: "n30")!)                 // untyped
        g.addLabel(g.lookup(key: "n40")!, "Event")          // untyped until now: Event becomes its type
        XCTAssertEqual(g.nodeCountsByType(), walked(g))
        XCTAssertEqual(g.nodeCountsByType().values.reduce(0, +), g.liveNodeCount)
        let back = try XCTUnwrap(g.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertEqual(back.nodeCountsByType(), walked(g))
        XCTAssertEqual(Graph().nodeCountsByType(), [:])
    }
}
