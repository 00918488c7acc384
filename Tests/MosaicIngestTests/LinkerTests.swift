import XCTest
import MosaicGraph
@testable import MosaicIngest

final class LinkerTests: XCTestCase {
    func gazetteer() -> Gazetteer {
        Gazetteer(entities: [
            (.init(id: "russia", type: "Country", isCountry: true), ["Russia", "Russian Federation"]),
            (.init(id: "syria", type: "Country", isCountry: true), ["Syria"]),
            (.init(id: "hmeimim-air-base", type: "Base"), ["Hmeimim Air Base", "Khmeimim"]),
            (.init(id: "andrey-belousov", type: "Person", isPerson: true), ["Andrey Belousov", "Andrei Belousov"]),
            (.init(id: "syrian-information-ministry", type: "Ministry"), ["Syrian Information Ministry"]),
            (.init(id: "us", type: "Country", isCountry: true), ["United States", "US"]),
            (.init(id: "tartus-city", type: "City"), ["Tartus"]),
            (.init(id: "tartus-governorate", type: "Governorate"), ["Tartus"]),
            (.init(id: "assad-gov", type: "Government"), ["Assad's government"]),
            (.init(id: "mediterranean-sea", type: "Region"), ["the Mediterranean"]),
        ])
    }

    func link(_ text: String) -> [Mention] { Linker(gazetteer: gazetteer()).link(text) }
    func surface(_ ms: [Mention]) -> [String] { ms.map { "\($0.text)=\(outcome($0))" } }

    func testPossessivesHyphensAndFolding() {
        let ms = link("Russia's jets left Ḥmeimim air-base; a Russia-based firm; the RUSSIAN FEDERATION’s envoy.")
        XCTAssertEqual(surface(ms), ["Russia=russia", "Ḥmeimim air-base=hmeimim-air-base", "Russia=russia", "RUSSIAN FEDERATION=russia"])
        XCTAssertEqual(ms[0].start, 0); XCTAssertEqual(ms[0].end, 6)
        // Offsets are UTF-8 bytes: "Ḥ" is three bytes.
        XCTAssertEqual(ms[1].start, 19); XCTAssertEqual(ms[1].end, 19 + "Ḥmeimim air-base".utf8.count)
    }

    func testLineBreakHyphenation() {
        let ms = link("Flights to Hmeimim Air Ba-\nse resumed.")
        XCTAssertEqual(surface(ms), ["Hmeimim Air Ba-\nse=hmeimim-air-base"])
    }

    func testTitlesBeforeNames() {
        let ms = link("Russian Defence Minister Andrey Belousov met Gen. Andrei Belousov.")
        XCTAssertEqual(ms.filter { $0.kind == .name }.map(\.title), ["Defence Minister", "Gen."])
        XCTAssertEqual(ms.first?.entity, "andrey-belousov")
        XCTAssertEqual(ms.count, 2, "no title word or demonym is proposed as an entity: \(surface(ms))")
    }

    func testAmbiguousNamesGiveCandidates() {
        let ms = link("Ships docked in Tartus.")
        XCTAssertEqual(ms.count, 1)
        XCTAssertNil(ms[0].entity)
        XCTAssertEqual(ms[0].candidates, ["tartus-city", "tartus-governorate"])
    }

    func testCaseRules() {
        // An acronym matches only in capitals; a capitalised name not in all lower case.
        XCTAssertEqual(surface(link("Let us go to the US and to syria.")), ["US=us"])
        XCTAssertEqual(surface(link("on the Mediterranean")), ["the Mediterranean=mediterranean-sea"])
    }

    func testPossessiveAndDemonymVariants() {
        XCTAssertEqual(surface(link("Syria’s Information Ministry and Assad’s government")),
                       ["Syria’s Information Ministry=syrian-information-ministry", "Assad’s government=assad-gov"])
    }

    func testNearMissesProposeAnAlias() {
        let ms = link("Jets landed at Khmeimin on Sunday.")
        XCTAssertEqual(ms.count, 1)
        XCTAssertEqual(ms[0].kind, .nearMiss)
        XCTAssertEqual(ms[0].entity, "hmeimim-air-base")
        XCTAssertEqual(ms[0].newAlias, "Khmeimin")
        XCTAssertEqual(ms[0].distance, 1)
        // Short names are never near-missed ("Syra" is not "Syria").
        XCTAssertTrue(link("Syra said.").allSatisfy { $0.kind != .nearMiss })
    }

    func testUnknownNamesAreProposedWithATypeGuess() {
        let ms = link("On Monday the Kelvar Strait Flotilla and Colonel Dana Korr visited Qamishli Air Base. Dana Korr said so.")
        let new = ms.filter { $0.kind == .new }
        XCTAssertEqual(new.map(\.text), ["Kelvar Strait Flotilla", "Dana Korr", "Qamishli Air Base", "Dana Korr"])
        XCTAssertEqual(new.map { $0.newEntityType ?? "" }, ["Organization", "Person", "Base", "Person"])
        XCTAssertEqual(new[1].title, "Colonel")
    }

    func testGazetteerFromAGraphFoldsLikeShow() throws {
        var g = Graph()
        _ = g.addNode(key: "hmeimim-air-base", labels: ["Base"], properties: ["name": .string("Hmeimim Air Base"), "aliases": .list([.string("Khmeimim")])])
        _ = g.addNode(key: "enab-2025-10-30", labels: ["Article"], properties: ["name": .string("Russia resumes flights")])
        let gz = Gazetteer(graph: g)
        XCTAssertEqual(gz.entities.map(\.id), ["hmeimim-air-base"], "articles are not names to find")
        XCTAssertEqual(Set(gz.entries.map(\.key)), [NameKey.normalize("Hmeimim Air Base"), NameKey.normalize("Khmeimim")])
    }
}
