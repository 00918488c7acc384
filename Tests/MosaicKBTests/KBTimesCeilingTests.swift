import XCTest
@testable import MosaicKB

/// `times: N` has a ceiling: a hostile count is a positioned error, not minutes of work.
final class KBTimesCeilingTests: XCTestCase {
    func parse(_ text: String) -> (ParsedFile, [KBDiagnostic]) {
        var p = KBParser(path: "kb/x.yaml")
        let f = p.parse(text)
        return (f, f.diagnostics + p.diagnostics)
    }

    func testTimesAboveTheCeilingIsAnErrorAtItsPosition() {
        for count in ["100000000", "9223372036854775807", "\(KBParser.maxTimes + 1)"] {
            let (_, diagnostics) = parse("relations:\n  - [a, FLEW_TO, b, {on: 2025-10-29, times: \(count)}]\n")
            let d = diagnostics.first { $0.message.contains("times") }
            XCTAssertNotNil(d, "\(count): \(diagnostics)")
            XCTAssertEqual(d?.line, 2)
            XCTAssertEqual(d?.column, 45, "\(d.map { "\($0)" } ?? "")")
            XCTAssertTrue(d?.message.contains("more than \(KBParser.maxTimes)") ?? false, d?.message ?? "")
        }
    }

    func testTimesAtTheCeilingIsAccepted() {
        let (file, diagnostics) = parse("relations:\n  - [a, FLEW_TO, b, {times: \(KBParser.maxTimes)}]\n")
        XCTAssertTrue(diagnostics.isEmpty, "\(diagnostics)")
        XCTAssertEqual(file.relations.first?.times, KBParser.maxTimes)
    }
}
