import XCTest
@testable import MosaicGraph

/// The tables a snapshot's in-place sections are checked by before use.
final class InPlaceTablesTests: XCTestCase {
    func testAdjacencyOffsetsMustStartAtZeroGrowByPairsAndEndAtTheTotal() {
        func check(_ o: [UInt32], _ total: Int) -> Bool { o.withUnsafeBufferPointer { AdjacencyLists.checkedOffsets($0, total: total) } }
        XCTAssertTrue(check([0, 2, 2, 6], 6))
        XCTAssertTrue(check([0], 0))
        XCTAssertFalse(check([], 0), "no offsets at all")
        XCTAssertFalse(check([2, 4], 4), "not from 0")
        XCTAssertFalse(check([0, 4, 2, 6], 6), "going down")
        XCTAssertFalse(check([0, 3, 6], 6), "half a pair")
        XCTAssertFalse(check([0, 2, 6], 8), "not ending at the total")
    }

    func testKeyTablesAnswerOnlyForNodesTheyNameAndAlwaysStop() {
        var g = Graph()
        for i in 0..<40 { _ = g.loadNode(key: "k\(i)", type: "Base", statement: Int64(i + 1)) }
        var w = CheckpointWriter()
        KeyTable.encode(g.nodes, into: &w)
        func table(_ bytes: [UInt8]) -> KeyTable? {
            bytes.withUnsafeBytes { KeyTable(section: $0, keeper: nil) }
        }
        let good = table(w.bytes)
        XCTAssertEqual(w.bytes.count, 8 + 8 * 128, "at most half full: 128 slots for 40 keys")
        for i in 0..<40 { XCTAssertEqual(good?.node(key: "k\(i)", in: g.nodes), Int32(i)) }
        XCTAssertNil(good?.node(key: "k40", in: g.nodes))
        XCTAssertNil(table(Array(w.bytes.dropLast(8))), "shorter than its slots")
        var odd = w.bytes
        odd[0] = 100
        XCTAssertNil(table(odd), "a slot count not a power of two")
        // A damaged table (the checksum would refuse it first): slots naming nodes past the
        // graph's, and no empty slot, still give an answer and stop.
        var full = [UInt8](repeating: 0, count: 8 + 8 * 16)
        full[0] = 16
        for s in 0..<16 { full[8 + 8 * s] = UInt8(41 + s) }
        XCTAssertNil(table(full)?.node(key: "k1", in: g.nodes))
        var matching = full
        let h = KeyTable.hash("k1")
        for s in 0..<16 {  // every slot with k1's tag, naming node 200 (there are 40)
            withUnsafeBytes(of: ((h & 0xFFFF_FFFF_0000_0000) | 201).littleEndian) { matching.replaceSubrange(8 + 8 * s..<16 + 8 * s, with: $0) }
        }
        XCTAssertNil(table(matching)?.node(key: "k1", in: g.nodes))
    }

    func testNodeBlockTablesMustCoverTheSection() {
        func section(_ records: Int, _ starts: [Int64]) -> [UInt8] {
            var bytes = [UInt8](repeating: 7, count: records)
            for v in starts + [Int64(starts.count)] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
            return bytes
        }
        let n = Graph.nodeBlockSize
        func blocks(_ bytes: [UInt8], _ nodes: Int) -> [(bytes: Range<Int>, first: Int)]? {
            bytes.withUnsafeBytes { Graph.nodeBlocks($0, nodeCount: nodes) }
        }
        let good = blocks(section(100, [0, 60]), n + 1)
        XCTAssertEqual(good?.map(\.bytes), [0..<60, 60..<100])
        XCTAssertEqual(good?.map(\.first), [0, n])
        XCTAssertNotNil(blocks(section(0, []), 0), "no nodes, no blocks")
        XCTAssertNil(blocks(section(100, [0, 60]), n), "one block too many for the nodes")
        XCTAssertNil(blocks(section(100, [10, 60]), n + 1), "not from the start")
        XCTAssertNil(blocks(section(100, [0, 120]), n + 1), "past the records")
        XCTAssertNil(blocks(section(100, [0, 60, 50]), 2 * n + 1), "going down")
        XCTAssertNil(blocks([1, 2, 3], 1), "shorter than the count")
    }
}
