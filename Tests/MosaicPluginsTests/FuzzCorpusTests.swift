import Foundation
import XCTest
import MosaicGraph
import MosaicLua
@testable import MosaicPlugins

/// The plugins `mosaic-fuzz lua` found crashing (fuzz-corpus/, docs/fuzzing.md), run in the
/// sandbox over the sample KB: each returns or fails with a plugin error, never ends the process.
final class PluginFuzzCorpusTests: XCTestCase {
    func testCorpusPluginsReturnOrFail() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fuzz-corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        guard !files.isEmpty else { return }
        let store = try PluginFixtures.sampleStore()
        for f in files {
            let ws = try PluginFixtures.workspace(["p.lua": String(decoding: try Data(contentsOf: dir.appendingPathComponent(f)), as: UTF8.self)])
            defer { try? FileManager.default.removeItem(at: ws) }
            let runner = PluginRunner(workspace: ws, graph: store.graph)
            do {
                _ = try runner.run("p", options: .init(now: PluginFixtures.fixedNow, limits: LuaLimits(timeout: .seconds(2), memory: 24 << 20), dryRun: true))
            } catch {
                XCTAssertFalse(error.message.isEmpty, f)
            }
        }
    }
}
