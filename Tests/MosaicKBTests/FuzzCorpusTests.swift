import Foundation
import XCTest
import MosaicGraph
import MosaicKB

/// The kb files `mosaic-fuzz kb` found crashing (fuzz-corpus/, docs/fuzzing.md), checked
/// as the fuzz target checks them (against the sample schema and ids): each gives
/// statements or errors with positions, never ends the process.
final class KBFuzzCorpusTests: XCTestCase {
    /// Nested anchors and aliases (a "billion laughs" inside an entity) are refused, not
    /// expanded; a modest use of an alias still loads.
    func testAliasBombIsRefused() throws {
        var text = "entities:\n  - id: bomb\n    type: Base\n    props:\n      a0: &a0 [x, x, x, x, x, x, x, x]\n"
        for i in 1..<12 { text += "      a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 8).joined(separator: ", ") + "]\n" }
        let schemaText = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("kb/schema.yaml"), encoding: .utf8)
        let checker = KBTextCheck(schema: try XCTUnwrap(KBTextCheck.schema(schemaText).0))
        let diags = checker.check(path: "kb/bomb.yaml", text: text).diagnostics
        XCTAssertEqual(diags.count, 1, "\(diags)")
        XCTAssertTrue(diags.first?.description.hasPrefix("kb/bomb.yaml:") == true && diags.first?.message.contains("YAML aliases expand this file to more than") == true, "\(diags)")
        let modest = "entities:\n  - id: b\n    type: Base\n    name: B\n    aliases: &names [Bee, Bea]\n  - id: c\n    type: Base\n    name: C\n    aliases: *names\n"
        XCTAssertFalse(checker.check(path: "kb/modest.yaml", text: modest).diagnostics.contains { $0.message.contains("aliases expand") })
    }

    func testCorpusFilesGiveStatementsOrErrors() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let kb = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("kb")
        let schemaText = try String(contentsOf: kb.appendingPathComponent("schema.yaml"), encoding: .utf8)
        var checker = KBTextCheck(schema: try XCTUnwrap(KBTextCheck.schema(schemaText).0))
        for f in try FileManager.default.contentsOfDirectory(atPath: kb.path).sorted() where f.hasSuffix(".yaml") && f != "schema.yaml" {
            checker.declare(path: "kb/" + f, text: try String(contentsOf: kb.appendingPathComponent(f), encoding: .utf8))
        }
        let dir = here.appendingPathComponent("fuzz-corpus")
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".txt") }).sorted() {
            let text = String(decoding: try Data(contentsOf: dir.appendingPathComponent(f)), as: UTF8.self)
            if text.hasPrefix("#schema\n") { _ = KBTextCheck.schema(text); continue }
            let (diags, _) = checker.check(path: "kb/fuzz.yaml", text: text)
            for d in diags { XCTAssertTrue(d.line >= 0 && !d.message.isEmpty, "\(f): \(d)") }
            if f.contains("alias-bomb") {
                XCTAssertTrue(diags.contains { $0.message.contains("YAML aliases expand this file") }, "\(f): \(diags)")
            }
        }
    }
}
