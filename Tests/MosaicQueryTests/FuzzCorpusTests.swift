import Foundation
import XCTest
import MosaicGraph
import MosaicQuery

/// The inputs `mosaic-fuzz query` found crashing (fuzz-corpus/, docs/fuzzing.md), replayed:
/// each must give a result or an error, never end the process.
final class QueryFuzzCorpusTests: XCTestCase {
    /// range() bounds whose count overflowed before the memory check (a trap, found by the fuzzer).
    func testRangeCountsAtTheEdgesAreMemoryErrors() {
        for text in ["RETURN size(range(0, 9223372036854775807))", "RETURN size(range(-9223372036854775808, 9223372036854775807))",
                     "RETURN size(range(0, -9223372036854775808, -1))", "UNWIND range(0, 9223372036854775807) AS u RETURN count(*)"] {
            XCTAssertThrowsError(try Query.run(text, on: GraphView(QueryCaseTests.fixture()), limits: QueryLimits(maxMemory: 64 << 20)), text) {
                XCTAssertEqual(($0 as? QueryError)?.detail, "MemoryLimit", "\(text): \($0)")
            }
        }
        XCTAssertEqual(try Query.run("RETURN size(range(9223372036854775806, 9223372036854775807)) AS n", on: GraphView(QueryCaseTests.fixture())).rows, [[.int(2)]])
    }

    /// SKIP and LIMIT whose sum passes Int.max (an overflow trap in the row cap, found by the fuzzer).
    func testHugeSkipWithLimit() throws {
        let g = GraphView(QueryCaseTests.fixture())
        XCTAssertEqual(try Query.run("MATCH (a)-->(b) RETURN a.id SKIP 9223372036854775807 LIMIT 9", on: g).rows.count, 0)
        XCTAssertEqual(try Query.run("UNWIND [1, 2, 3] AS x RETURN x SKIP 1 LIMIT 9223372036854775807", on: g).rows, [[.int(2)], [.int(3)]])
    }

    /// shortestPath pairs with no relationship to follow count steps, so the step cap (and
    /// the time limit, polled with them) stops a query with many such pairs.
    func testShortestPathPairsCountSteps() {
        let text = "UNWIND range(1, 100000) AS u0 MATCH p = allShortestPaths((a)-[:NOPE]->(n0)) RETURN count(*)"
        XCTAssertThrowsError(try Query.run(text, on: GraphView(QueryCaseTests.fixture()), limits: QueryLimits(maxSteps: 300_000))) {
            XCTAssertEqual(($0 as? QueryError)?.detail, "TooMuchWork", "\($0)")
        }
    }

    func testCorpusInputsGiveAResultOrAnError() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fuzz-corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        let graph = GraphView(QueryCaseTests.fixture())
        let limits = QueryLimits(maxSteps: 300_000, maxMemory: 64 << 20)
        for f in files {
            let text = String(decoding: try Data(contentsOf: dir.appendingPathComponent(f)), as: UTF8.self)
            do {
                _ = try Query.prepare(text).execute(on: graph, parameters: ["id": .string("hmeimim-air-base")], limits: limits)
            } catch let e as QueryError {
                XCTAssertFalse(e.message.isEmpty, f)
            }
        }
    }
}
