// Two workspaces open in one process, each reading its own store: the query functions that
// read the store (derived, mosaic.search) and the briefing's inference banner. Runs the CLI's
// Workspace, QueryRunner, PluginHost and Briefing in-process, on two copies of the sample KB.
import Foundation
import XCTest
@testable import MosaicCLI

final class TwoWorkspacesTests: XCTestCase {
    func testTwoWorkspacesInOneProcessEachReadTheirOwnStore() throws {
        let a = try SampleWorkspace(), b = try SampleWorkspace()
        defer { a.remove(); b.remove() }
        // B differs from A: an alias only B's KB has, and a plugin that does not load.
        let bases = b.root.appendingPathComponent("kb/bases.yaml")
        let text = try String(contentsOf: bases, encoding: .utf8)
        let aliases = "aliases: [Khmeimim, Hmeymim, Khmeimim Air Base]"
        XCTAssertTrue(text.contains(aliases))
        try text.replacingOccurrences(of: aliases, with: "aliases: [Khmeimim, Hmeymim, Khmeimim Air Base, Zebulon Field]")
            .write(to: bases, atomically: true, encoding: .utf8)
        try "return {".write(to: b.root.appendingPathComponent("plugins/broken.lua"), atomically: true, encoding: .utf8)

        // A runs inference before B is opened: B, opened last, must not take A's queries over.
        let wa = try Workspace.open(a.root.path)
        _ = try wa.plugins.infer(dryRun: false)
        let wb = try Workspace.open(b.root.path)
        func csv(_ ws: Workspace, _ q: String) throws -> String {
            let o = try QueryRunner(workspace: ws).run(q, parameters: [:], graph: ws.store.graph, readOnly: true, origin: .cli(command: "test"))
            return QueryRunner.render(o.table, format: "csv", width: 100, colour: false).replacingOccurrences(of: "\r\n", with: "\n")
        }
        // derived(r) asks the store of the workspace queried: A's store derived these facts, B's has none.
        let derived = "MATCH ()-[r:IN_COUNTRY]->() RETURN count(r) > 0 AS some, all(x IN collect(derived(r)) WHERE x) AS derived"
        XCTAssertEqual(try csv(wa, derived), "some,derived\ntrue,true\n")
        XCTAssertEqual(try csv(wb, derived), "some,derived\nfalse,true\n")
        // mosaic.search reads the workspace's own text index: only B's KB has the alias.
        let search = "CALL mosaic.search('Zebulon') YIELD node RETURN node.id AS id"
        XCTAssertEqual(try csv(wa, search), "id\n")
        XCTAssertEqual(try csv(wb, search), "id\nhmeimim-air-base\n")

        // B's inference fails for its broken plugin; A's briefing, run after it, does not say so.
        _ = try wb.plugins.infer(dryRun: false)
        func brief(_ ws: Workspace) throws -> String {
            let entry = try XCTUnwrap(try ws.plugins.reports().select(["syria_bases/daily"]).first)
            let doc = try Briefing.run(entry, ws: ws, graph: ws.store.graph, asOf: nil, now: Date(timeIntervalSince1970: 1_761_804_000))
            return String(decoding: Briefing.render(doc, format: "md"), as: UTF8.self)
        }
        let briefA = try brief(wa), briefB = try brief(wb)
        XCTAssertTrue(briefA.contains("Hmeimim Air Base"), briefA)
        XCTAssertFalse(briefA.contains("Inference was incomplete"), briefA)
        XCTAssertTrue(briefB.contains("Inference was incomplete") && briefB.contains("broken"), briefB)
    }
}
