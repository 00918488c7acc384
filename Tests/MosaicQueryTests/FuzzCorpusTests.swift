import Foundation
import XCTest
import MosaicGraph
import MosaicQuery

/// The inputs `mosaic-fuzz query` found crashing (fuzz-corpus/, docs/fuzzing.md), replayed:
/// each must give a result or an error, never end the process.
final class QueryFuzzCorpusTests: XCTestCase {
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
