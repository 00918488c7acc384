import Foundation
import XCTest

/// Issue 19, through the binary: a store file that is not a store, `load --rebuild`, export
/// targets, links out of the workspace, write validation of kb files, and the YAML export of
/// imported data loading back.
final class StoreSafetyTests: XCTestCase {
    func testATruncatedStoreIsAnErrorUntilLoadRebuildSetsItAside() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        XCTAssertEqual(try ws.run(["stats"]).status, 0)
        let store = ws.root.appendingPathComponent(".mosaic/store.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
        try Data().write(to: store)
        let refused = try ws.run(["stats"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("cannot be opened as a store") && refused.err.contains("mosaic load --rebuild"), refused.err)
        XCTAssertEqual(refused.err.split(separator: "\n").count, 1, "one line: \(refused.err)")
        XCTAssertEqual(try Data(contentsOf: store).count, 0, "nothing was rebuilt behind the analyst's back")
        let rebuilt = try ws.run(["load", "--rebuild"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.err)
        XCTAssertTrue(rebuilt.out.contains("set the old store aside as"), rebuilt.out)
        let stats = try ws.run(["stats"])
        XCTAssertEqual(stats.status, 0, stats.err)
        XCTAssertTrue(stats.out.contains("Base"), stats.out)
        let aside = try FileManager.default.contentsOfDirectory(atPath: ws.root.appendingPathComponent(".mosaic").path)
        XCTAssertTrue(aside.contains { $0.hasPrefix("store.sqlite.set-aside-") }, "\(aside)")
    }

    func testExportRefusesToOverwriteWithoutForce() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let file = ws.root.appendingPathComponent("out.json")
        try "keep me".write(to: file, atomically: true, encoding: .utf8)
        let refused = try ws.run(["export", "--format", "json", "--out", file.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("exists; pass --force"), refused.err)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "keep me")
        let yaml = try ws.run(["export", "--format", "yaml", "--out", file.path])
        XCTAssertEqual(yaml.status, 1)
        XCTAssertTrue(yaml.err.contains("writes a folder") && !yaml.err.contains("NSCocoaErrorDomain"), yaml.err)
        XCTAssertEqual(try ws.run(["export", "--format", "json", "--out", file.path, "--force"]).status, 0)
        XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).hasPrefix("{"))
        let folder = ws.root.appendingPathComponent("exported")
        XCTAssertEqual(try ws.run(["export", "--out", folder.path]).status, 0)
        let again = try ws.run(["export", "--out", folder.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.err.contains("already holds an export"), again.err)
        XCTAssertEqual(try ws.run(["export", "--out", folder.path, "--force"]).status, 0)
    }

    func testLinksOutOfTheWorkspaceAreRefusedUnlessAllowed() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try "entities: []\n".write(to: outside.appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
        try "return { name = 'evil', version = '1', run = function() end }\n"
            .write(to: outside.appendingPathComponent("evil.lua"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: ws.root.appendingPathComponent("kb/extra.yaml"),
                                                   withDestinationURL: outside.appendingPathComponent("extra.yaml"))
        try FileManager.default.createSymbolicLink(at: ws.root.appendingPathComponent("plugins/evil.lua"),
                                                   withDestinationURL: outside.appendingPathComponent("evil.lua"))
        let check = try ws.run(["load"])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.err.contains("kb/extra.yaml:1:1: error: resolves outside the workspace"), check.err)
        let run = try ws.run(["run", "evil"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.err.contains("resolves outside the workspace"), run.err)
        try "allow_outside_links: true\n".write(to: ws.root.appendingPathComponent("mosaic.yaml"), atomically: true, encoding: .utf8)
        let allowed = try ws.run(["load"])
        XCTAssertEqual(allowed.status, 0, allowed.err)
        XCTAssertEqual(try ws.run(["run", "evil"]).status, 0)
    }

    func testKBFilesAreHeldToTheWriteRules() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try """
        defaults: {source: enab-2025-10-30}
        entities:
          - id: "bad\\0id"
            type: Country
            name: "Nul\\0Land"
        """.write(to: ws.root.appendingPathComponent("kb/bad.yaml"), atomically: true, encoding: .utf8)
        let r = try ws.run(["check"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("kb/bad.yaml:3:") && r.err.contains("entity id must not contain control characters"), r.err)
        XCTAssertTrue(r.err.contains("string value must not contain a NUL byte"), r.err)
    }

    func testTheYAMLExportOfImportedGeneratedDataLoadsBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-roundtrip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = SampleWorkspace(root: dir.appendingPathComponent("first"))
        try FileManager.default.createDirectory(at: first.root, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("data")
        XCTAssertEqual(try first.run(["generate", "--entities", "300", "--out", data.path]).status, 0)
        let imported = try first.run(["import", data.appendingPathComponent("nodes.csv").path, data.appendingPathComponent("edges.csv").path])
        XCTAssertEqual(imported.status, 0, imported.err)
        let exported = dir.appendingPathComponent("second")
        let export = try first.run(["export", "--format", "yaml", "--out", exported.path])
        XCTAssertEqual(export.status, 0, export.err)
        let second = SampleWorkspace(root: exported)
        let load = try second.run(["load"])
        XCTAssertEqual(load.status, 0, load.err)
        for counts in ["MATCH (n) RETURN labels(n)[0] AS t, count(*) AS c ORDER BY t",
                       "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c ORDER BY t"] {
            let a = try first.run(["query", counts, "--format", "csv"])
            let b = try second.run(["query", counts, "--format", "csv"])
            XCTAssertEqual(a.status, 0, a.err)
            XCTAssertEqual(b.status, 0, b.err)
            XCTAssertGreaterThan(a.out.split(whereSeparator: \.isNewline).count, 4, a.out)
            XCTAssertEqual(a.out, b.out, counts)
        }
    }
}

extension SampleWorkspace {
    /// A workspace at `root` with none of the sample's files.
    init(root: URL) { self.root = root }
}
