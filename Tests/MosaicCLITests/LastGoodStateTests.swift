import Foundation
import XCTest

/// While kb/ has errors, reading commands work on the last loaded state with one warning
/// (the first error and the count), briefings open with a banner, and `check` and `load`
/// still fail with every error. Queries follow the schema's `extends`, also while
/// kb/schema.yaml itself is broken (the schema the last load read is kept).
final class LastGoodStateTests: XCTestCase {
    func edit(_ ws: SampleWorkspace, _ file: String, _ from: String, _ to: String) throws {
        let url = ws.root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(from), "\(file) holds \(from)")
        try text.replacingOccurrences(of: from, with: to).write(to: url, atomically: true, encoding: .utf8)
    }

    /// The rows of a one-column CSV result.
    func csv(_ out: String) -> [String] { out.split(whereSeparator: \.isNewline).map(String.init) }

    func warnings(_ err: String) -> [Substring] { err.split(separator: "\n").filter { $0.hasPrefix("warning: kb/") } }

    func testReadsGoOnWithTheLastLoadedStateWhileKBHasErrors() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let locations = "MATCH (x:Location) RETURN count(x) AS n"
        let loaded = try ws.run(["query", locations, "--format", "csv"])
        XCTAssertEqual(loaded.status, 0, loaded.err)
        XCTAssertEqual(csv(loaded.out), ["n", "20"], "bases, cities, countries, governorates and regions extend Location: \(loaded.out)")
        let hmeimim = try ws.run(["query", "MATCH (b {id: 'hmeimim-air-base'}) RETURN labels(b) AS l", "--format", "csv"])
        XCTAssertTrue(hmeimim.out.contains("Base") && hmeimim.out.contains("Location"), hmeimim.out)

        // Typos in two data files.
        try edit(ws, "kb/bases.yaml", "[russia, OPERATES, hmeimim-air-base", "[russia, OPERATE, hmeimim-air-base")
        try edit(ws, "kb/flights.yaml", "[russia, OPERATES,", "[russia, OPERATE,")
        let check = try ws.run(["check"])
        XCTAssertEqual(check.status, 1)
        let errors = check.err.split(separator: "\n").filter { $0.contains(": error: ") }
        XCTAssertGreaterThanOrEqual(errors.count, 2, check.err)
        let load = try ws.run(["load"])
        XCTAssertEqual(load.status, 1)
        XCTAssertEqual(load.err.split(separator: "\n").filter { $0.contains(": error: ") }, errors, "load lists every error too")

        // Reads: exit 0, the last loaded state (the lineage of the schema last loaded), one warning.
        let q = try ws.run(["query", locations, "--format", "csv"])
        XCTAssertEqual(q.status, 0, q.err)
        XCTAssertEqual(csv(q.out), ["n", "20"])
        let w = warnings(q.err)
        XCTAssertEqual(w.count, 1, q.err)
        XCTAssertTrue(w.first?.contains("kb/ has \(errors.count) errors and was not loaded (first: \(errors[0].replacingOccurrences(of: ": error: ", with: ": "))") ?? false,
                      "the first error with file:line:col and the count: \(q.err)")
        XCTAssertTrue(q.err.contains("last loaded state"), q.err)
        let show = try ws.run(["show", "hmeimim-air-base"])
        XCTAssertEqual(show.status, 0, show.err)
        XCTAssertTrue(show.out.contains("OPERATES"), "the fact as last loaded: \(show.out)")
        XCTAssertEqual(warnings(show.err).count, 1, show.err)
        let stats = try ws.run(["stats"])
        XCTAssertEqual(stats.status, 0, stats.err)
        XCTAssertEqual(warnings(stats.err).count, 1, stats.err)

        // The schema broken too: queries keep the lineage of the schema last loaded.
        try edit(ws, "kb/schema.yaml", "Base:             {extends: Location", "Base:             {extends: Locaton")
        let broken = try ws.run(["query", locations, "--format", "csv"])
        XCTAssertEqual(broken.status, 0, broken.err)
        XCTAssertEqual(csv(broken.out), ["n", "20"])
        XCTAssertTrue(warnings(broken.err).first?.contains("(first: kb/schema.yaml:13:") ?? false, broken.err)

        // The briefing is filed, with a banner at the top.
        let brief = try ws.run(["brief", "--now", "2025-10-30T06:00Z", "--out", "-"])
        XCTAssertEqual(brief.status, 0, brief.err)
        XCTAssertEqual(warnings(brief.err).count, 1, brief.err)
        let head = brief.out.split(separator: "\n").prefix(6).joined(separator: "\n")
        XCTAssertTrue(head.contains("[!WARNING]") && head.contains("The KB has unloaded errors."), head)
        XCTAssertTrue(brief.out.contains("Hmeimim Air Base"), "the briefing reads the last loaded KB")

        // Fixed: loaded again, no warning, no banner.
        try edit(ws, "kb/bases.yaml", "[russia, OPERATE, hmeimim-air-base", "[russia, OPERATES, hmeimim-air-base")
        try edit(ws, "kb/flights.yaml", "[russia, OPERATE,", "[russia, OPERATES,")
        try edit(ws, "kb/schema.yaml", "{extends: Locaton", "{extends: Location")
        let fixed = try ws.run(["brief", "--now", "2025-10-30T06:00Z", "--out", "-"])
        XCTAssertEqual(fixed.status, 0, fixed.err)
        XCTAssertTrue(warnings(fixed.err).isEmpty, fixed.err)
        XCTAssertFalse(fixed.out.contains("unloaded errors"))
    }
}
