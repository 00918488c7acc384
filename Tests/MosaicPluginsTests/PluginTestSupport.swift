import Foundation
import MosaicGraph
import MosaicKB
import MosaicLua
import MosaicStore
@testable import MosaicPlugins

enum PluginFixtures {
    /// The repository root (holding kb/ and plugins/).
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A store loaded with the sample KB.
    static func sampleStore() throws -> Store {
        let store = try Store.inMemory()
        _ = try KBLoader(workspace: repo, store: store).load()
        return store
    }

    /// A temporary workspace with the given plugin files (name → source).
    static func workspace(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-plugins-\(UUID().uuidString)")
        for (path, text) in files {
            let url = dir.appendingPathComponent("plugins/\(path)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        return dir
    }

    static let fixedNow = ISO8601DateFormatter().date(from: "2025-10-30T06:00:00Z")!
    static let testLimits = LuaLimits(timeout: .seconds(5), memory: 64 << 20)
}
