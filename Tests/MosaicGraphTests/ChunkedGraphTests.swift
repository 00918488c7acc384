import XCTest
@testable import MosaicGraph

/// Graphs larger than one chunk (4,096 relationships or nodes): copies stay independent, and
/// the checkpoint bytes give back the same graph across chunk boundaries.
final class ChunkedGraphTests: XCTestCase {
    func big(_ nodes: Int, _ relations: Int) -> Graph {
        var g = Graph()
        for i in 0..<nodes { g.loadNode(key: "n\(i)", type: i % 3 == 0 ? "Base" : "Country", statement: Int64(i + 1)) }
        var rng = SystemRandomNumberGenerator()
        for j in 0..<relations {
            let a = Int32.random(in: 0..<Int32(nodes), using: &rng), b = Int32.random(in: 0..<Int32(nodes), using: &rng)
            let meta = StatementMeta(validFrom: PartialDate(year: 2000 + j % 20, month: j % 12 + 1), sources: [Citation(source: "a\(j % 7)")],
                                     grading: j % 2 == 0 ? Grading("B2") : nil, origin: .system("t"))
            g.loadRelationship(from: a, to: b, type: j % 2 == 0 ? "FLEW_TO" : "PART_OF", properties: [:], meta: meta,
                               statement: Int64(nodes + j + 1), transaction: 1)
        }
        return g
    }

    func testCopiesChangeIndependentlyAcrossChunks() {
        let original = big(9_000, 10_000)
        let before = GraphDigest.of(original)
        var copy = original
        copy.deleteRelationship(9_999)
        copy.deleteRelationship(5)
        copy.addRelationship(from: 8_999, to: 0, type: "NEW")
        XCTAssertEqual(GraphDigest.of(original), before, "the original is untouched")
        XCTAssertFalse(copy.relationship(9_999).alive)
        XCTAssertTrue(original.relationship(9_999).alive)
        XCTAssertEqual(copy.relationships.count, 10_001)
        XCTAssertEqual(original.relationships.count, 10_000)
        XCTAssertEqual(copy.outList(8_999).last, 10_000)
        XCTAssertEqual(copy.relationships.filter(\.alive).count, copy.liveRelationshipCount)
    }

    func testCheckpointAcrossChunkBoundaries() throws {
        for (n, r) in [(4_096, 4_096), (5_000, 8_193), (10, 0)] {
            let g = big(n, r)
            let back = try XCTUnwrap(g.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) }, "\(n)/\(r)")
            XCTAssertEqual(GraphDigest.lines(back), GraphDigest.lines(g), "\(n) nodes, \(r) relations")
        }
    }

    /// `idPropertyCount` (the query engine's licence to answer `{id: …}` from the key index
    /// alone) survives a checkpoint, and a node given an `id` property counts.
    func testCheckpointKeepsIdPropertyCount() throws {
        var g = big(10, 0)
        XCTAssertEqual(g.idPropertyCount, 0)
        g.setProperty(3, "id", .string("elsewhere"))
        g.setProperty(3, "id", .string("again"))  // a second value for the same node: still one
        XCTAssertEqual(g.idPropertyCount, 1)
        g.setProperty(4, "id", nil)  // removing what a node does not have changes nothing
        XCTAssertEqual(g.idPropertyCount, 1)
        let back = try XCTUnwrap(g.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertEqual(back.idPropertyCount, 1)
        g.setProperty(3, "id", nil)
        XCTAssertEqual(g.idPropertyCount, 0)
    }
}
