import Foundation
import XCTest
import MosaicPlugins

/// Runs the inference benchmark when MOSAIC_INFER_BENCH names a gen_graph.py directory
/// (`MOSAIC_INFER_BENCH=/tmp/g100k swift test -c release --filter InferenceBenchmarkTests`);
/// skipped otherwise. It prints figures and checks the check values, never times.
final class InferenceBenchmarkTests: XCTestCase {
    func testContainmentWorkload() throws {
        guard let dir = ProcessInfo.processInfo.environment["MOSAIC_INFER_BENCH"] else {
            throw XCTSkip("set MOSAIC_INFER_BENCH=DATA_DIR to run the inference benchmark")
        }
        let fig = try InferenceBenchmark.containment(dataDir: dir, storePath: NSTemporaryDirectory() + "mosaic-infer-bench/store.sqlite")
        for l in fig.lines { print("infer-bench: \(l)") }
        if let expected = ProcessInfo.processInfo.environment["MOSAIC_INFER_PAIRS"].flatMap(Int.init) {
            XCTAssertEqual(fig.pairs, expected)
        }
        XCTAssertEqual(fig.pairsAfterAdd, fig.pairs)
        XCTAssertLessThan(fig.pairsAfterRetract, fig.pairs)
    }
}
