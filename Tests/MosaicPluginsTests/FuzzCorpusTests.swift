import Foundation
import XCTest
import MosaicGraph
import MosaicLua
@testable import MosaicPlugins

/// The plugins `mosaic-fuzz lua` found crashing (fuzz-corpus/, docs/fuzzing.md), run in the
/// sandbox over the sample KB: each returns or fails with a plugin error, never ends the process.
final class PluginFuzzCorpusTests: XCTestCase {
    /// A negative kb.find limit crashed Array.prefix (found by the fuzzer): now an argument error.
    func testNegativeFindLimitIsAnArgumentError() throws {
        let store = try PluginFixtures.sampleStore()
        let ws = try PluginFixtures.workspace(["p.lua": "return { name = 'p', version = '1', run = function(params, kb) local ok, e = pcall(kb.find, {limit = math.mininteger}) return tostring(e) end }"])
        defer { try? FileManager.default.removeItem(at: ws) }
        let r = try PluginRunner(workspace: ws, graph: store.graph).run("p", options: .init(now: PluginFixtures.fixedNow, limits: PluginFixtures.testLimits, dryRun: true))
        guard case .string(let message)? = r.returned else { return XCTFail("\(String(describing: r.returned))") }
        XCTAssertTrue(message.contains("bad argument #1 to 'kb.find'") && message.contains("limit must be 0 or more"), message)
    }

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
