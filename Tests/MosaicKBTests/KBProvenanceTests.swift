import XCTest
import MosaicGraph
@testable import MosaicKB

final class KBProvenanceTests: XCTestCase {
    /// (via, analyst's text) → the stored note, and back.
    static let cases: [([String], String?, String?)] = [
        ([], nil, nil),
        ([], "a plain note", "a plain note"),
        (["bloomberg"], nil, "[via bloomberg]"),
        (["bloomberg", "flightradar24"], "the leg into Latakia", "[via bloomberg, flightradar24] the leg into Latakia"),
        ([], "[brackets] do not start a chain", "[brackets] do not start a chain"),
    ]

    func testNotesCarryTheChainAndReadBack() {
        for (via, text, note) in KBProvenanceTests.cases {
            XCTAssertEqual(KBProvenance.note(via: via, text: text), note)
            let back = KBProvenance.split(note)
            XCTAssertEqual(back.via, via, "\(note ?? "nil")")
            XCTAssertEqual(back.text, text, "\(note ?? "nil")")
        }
    }

    func testOriginsAreTheEndsOfTheChains() {
        let cites = [
            Citation(source: "enab", note: "[via bloomberg, flightradar24] tracking data"),
            Citation(source: "other", note: "[via flightradar24]"),
            Citation(source: "enab", note: "own reporting"),
            Citation(source: "sana-report"),
        ]
        XCTAssertEqual(cites.map(KBProvenance.origin), ["flightradar24", "flightradar24", "enab", "sana-report"])
        XCTAssertEqual(KBProvenance.origins(cites), ["flightradar24", "enab", "sana-report"])
    }
}
