import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// FtM, STIX and GEXF exports of the sample KB pinned by golden files, the FtM round trip,
/// structural checks of each format, and bad FtM input (docs/interop.md). The formats' own
/// libraries check the same exports in scripts/interop-check (it needs PyPI; these do not).
final class InteropTests: XCTestCase {
    func testFtMExportIsPinnedAndImportsBackEqual() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let first = try ws.run(["export", "--format", "ftm"])
        XCTAssertEqual(first.status, 0, first.err)
        try SampleWorkspace.assertGolden(first.out, "sample.ftm.jsonl")
        XCTAssertTrue(first.err.contains("ftm: approximated:") && first.err.contains("ftm: dropped: 94 gradings"), first.err)
        // Every line is {id, schema, properties} with every property a list of strings.
        var ids = Set<String>()
        for line in first.out.split(separator: "\n") {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(Set(o.keys), ["id", "schema", "properties"])
            XCTAssertTrue(ids.insert(o["id"] as! String).inserted, "ids are unique")
            for (_, v) in o["properties"] as! [String: Any] { XCTAssertNotNil(v as? [String], "\(line)") }
        }
        // Into an empty workspace and out again: the same entities, byte for byte.
        let file = ws.root.appendingPathComponent("sample.ftm.jsonl")
        try first.out.write(to: file, atomically: true, encoding: .utf8)
        let empty = try SampleWorkspace()
        defer { empty.remove() }
        try FileManager.default.removeItem(at: empty.root.appendingPathComponent("kb"))
        let imported = try empty.run(["import", "--format", "ftm", file.path, "--dataset", "sample"])
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.out.contains("citing dataset-sample"), imported.out)
        let again = try empty.run(["export", "--format", "ftm"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(again.out, first.out)
        // The imported facts cite the dataset (or the article they give as proof).
        let why = try empty.run(["query", "MATCH (:Person {id: 'vladimir-putin'})-[r:DIRECTOR_OF]->() RETURN sources(r)[0].id", "--format", "csv"])
        XCTAssertTrue(why.out.contains("enab-2025-10-30"), why.out)
    }

    func testFtMStatementsRebuildTheEntities() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let entities = try ws.run(["export", "--format", "ftm"]).out
        let r = try ws.run(["export", "--format", "ftm-statements", "--dataset", "syria"])
        XCTAssertEqual(r.status, 0, r.err)
        let rows = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows[0], #""canonical_id","entity_id","prop","prop_type","schema","value","dataset","origin","lang","original_value","external","first_seen","last_seen","id""#)
        // One row a value, plus one `id` row an entity.
        var values = 0, count = 0
        for line in entities.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            count += 1
            for (_, v) in o["properties"] as! [String: [String]] { values += Set(v).count }
        }
        XCTAssertEqual(rows.count - 1, values + count)
        XCTAssertTrue(rows.contains { $0.hasPrefix(#""vladimir-putin","vladimir-putin","name","name","Person","Vladimir Putin","syria","kb/people.yaml:"#) }, rows[1])
        // Times are the load's; the rest is pinned.
        let pinned = r.out.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"#, with: "T", options: .regularExpression)
        try SampleWorkspace.assertGolden(pinned, "sample.ftm-statements.csv")
    }

    func testBadFtMInputNamesTheLineAndWritesNothing() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let before = try ws.run(["stats"]).out
        let cases: [(String, String)] = [
            (#"{"id":"a","schema":"Person","properties":{"name":["A"]}}"# + "\n" + #"{"id":"b","schema":"Persn","properties":{}}"#, ":2: unknown FtM schema 'Persn'"),
            (#"{"id":"m","schema":"Membership","properties":{"member":["nobody"],"organization":["russia"]}}"#, ":1: the Membership 'm' refers to 'nobody'"),
            (#"{"id":"a","schema":"Person","properties":{"name":"A"}}"#, ":1: property 'name' of 'a' is not a list"),
            (#"{"id":"u","schema":"UnknownLink","properties":{"subject":["russia"],"object":["syria"],"startDate":["2025-13"]}}"#, ":1: '2025-13' in 'startDate'"),
            ("not json", ":1: not a JSON object"),
        ]
        for (text, message) in cases {
            let file = ws.root.appendingPathComponent("bad.ftm.json")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let r = try ws.run(["import", "--format", "ftm", file.path])
            XCTAssertEqual(r.status, 1, text)
            XCTAssertTrue(r.err.contains("bad.ftm.json" + message), "\(message): \(r.err)")
        }
        XCTAssertEqual(try ws.run(["stats"]).out, before, "nothing was imported")
    }

    func testSTIXBundleIsPinnedDeterministicAndConsistent() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let r = try ws.run(["export", "--format", "stix"])
        XCTAssertEqual(r.status, 0, r.err)
        try SampleWorkspace.assertGolden(r.out, "sample.stix.json")
        // Another load of the same kb/ gives the same bundle.
        let other = try SampleWorkspace()
        defer { other.remove() }
        XCTAssertEqual(try other.run(["export", "--format", "stix"]).out, r.out)
        try checkBundle(r.out, expectOpinion: false)
        // A denial becomes an opinion on the fact it disputes.
        let bases = ws.root.appendingPathComponent("kb/bases.yaml")
        var text = try String(contentsOf: bases, encoding: .utf8)
        text += "  - [russia, OPERATES, al-hasakah-air-base, {denied: true, grade: C3, note: \"says the site was handed back\"}]\n"
        try text.write(to: bases, atomically: true, encoding: .utf8)
        let denied = try ws.run(["export", "--format", "stix"])
        XCTAssertEqual(denied.status, 0, denied.err)
        try checkBundle(denied.out, expectOpinion: true)
    }

    func checkBundle(_ text: String, expectOpinion: Bool) throws {
        let bundle = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(bundle["type"] as? String, "bundle")
        let objects = try XCTUnwrap(bundle["objects"] as? [[String: Any]])
        let idPattern = try NSRegularExpression(pattern: "^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        func valid(_ id: String) -> Bool { idPattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil }
        let ids = Set(objects.map { $0["id"] as! String })
        XCTAssertEqual(ids.count, objects.count, "ids are unique")
        var types: [String: Int] = [:]
        for o in objects {
            let id = o["id"] as! String, type = o["type"] as! String
            types[type, default: 0] += 1
            XCTAssertTrue(valid(id) && id.hasPrefix(type + "--"), id)
            XCTAssertEqual(o["spec_version"] as? String, "2.1")
            for key in ["source_ref", "target_ref", "sighting_of_ref", "created_by_ref"] {
                if let ref = o[key] as? String { XCTAssertTrue(ids.contains(ref), "\(id).\(key) → \(ref)") }
            }
            for key in ["object_refs", "where_sighted_refs"] {
                for ref in o[key] as? [String] ?? [] { XCTAssertTrue(ids.contains(ref), "\(id).\(key) → \(ref)") }
            }
            if let c = o["confidence"] as? Int { XCTAssertTrue((0...100).contains(c)) }
            if type == "relationship", let s = o["start_time"] as? String, let e = o["stop_time"] as? String { XCTAssertLessThan(s, e, id) }
        }
        XCTAssertEqual(types["report"], 1)
        XCTAssertEqual(types["sighting"], 6, "the FLEW_TO and FLEW_FROM legs")
        XCTAssertEqual(types["opinion"] ?? 0, expectOpinion ? 1 : 0)
        if expectOpinion {
            let opinion = objects.first { $0["type"] as? String == "opinion" }!
            XCTAssertEqual(opinion["opinion"] as? String, "disagree")
            let target = objects.first { $0["id"] as? String == (opinion["object_refs"] as! [String])[0] }!
            XCTAssertEqual(target["relationship_type"] as? String, "operates")
            XCTAssertEqual(target["x_mosaic_disputed"] as? Bool, true)
        }
        let hmeimim = objects.first { ($0["relationship_type"] as? String) == "operates" && ($0["x_mosaic_admiralty"] as? String) == "B2" }
        XCTAssertNotNil(hmeimim?["confidence"])
    }

    func testGEXFIsPinnedAndParses() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let r = try ws.run(["export", "--format", "gexf"])
        XCTAssertEqual(r.status, 0, r.err)
        try SampleWorkspace.assertGolden(r.out, "sample.gexf")
        final class Counter: NSObject, XMLParserDelegate {
            var nodes = 0, edges = 0, timed = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "node" { nodes += 1 }
                if name == "edge" { edges += 1; if attributes["start"] != nil || attributes["end"] != nil { timed += 1 } }
            }
        }
        let parser = XMLParser(data: Data(r.out.utf8))
        let counter = Counter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(String(describing: parser.parserError))")
        let stats = try ws.run(["stats"]).out
        XCTAssertTrue(stats.hasPrefix("\(counter.nodes) entities, \(counter.edges) relations"), "\(stats) vs \(counter.nodes)/\(counter.edges)")
        XCTAssertGreaterThan(counter.timed, 5)
        XCTAssertTrue(r.out.contains(#"start="2025-10-24" end="2025-10-29""#), "a landing's span on the timeline")
    }
}

/// iso-codes' ISO 3166 gazetteers: countries linked to kb entities by name, the rest created.
final class GazetteerImportTests: XCTestCase {
    func testCountriesLinkByNameSubdivisionsArePartOfThem() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let fixtures = SampleWorkspace.golden.deletingLastPathComponent().appendingPathComponent("Fixtures")
        let one = try ws.run(["import", "--format", "iso3166", fixtures.appendingPathComponent("iso_3166-1.json").path])
        XCTAssertEqual(one.status, 0, one.err)
        XCTAssertTrue(one.out.contains("imported 1 new and 2 linked places"), one.out)
        let two = try ws.run(["import", "--format", "iso3166", fixtures.appendingPathComponent("iso_3166-2.json").path])
        XCTAssertEqual(two.status, 0, two.err)
        let q = try ws.run(["query", "MATCH (s)-[:PART_OF]->(c:Country) WHERE s.iso_code STARTS WITH 'SY-' OR s.iso_code STARTS WITH 'RU-' RETURN s.id, s.iso_code, labels(s)[0], c.id, c.iso_code ORDER BY s.id", "--format", "csv"])
        XCTAssertEqual(q.out.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .newlines) + "\n", """
            s.id,s.iso_code,labels(s)[0],c.id,c.iso_code
            iso-ru-mow,RU-MOW,Subdivision,russia,RU
            iso-sy-la,SY-LA,Governorate,syria,SY
            iso-sy-ta,SY-TA,Governorate,syria,SY

            """)
        // The kb entity keeps its name and gains the codes as aliases; STIX now places it.
        let syria = try ws.run(["query", "MATCH (c {id: 'syria'}) RETURN c.name, c.aliases", "--format", "csv"]).out
        XCTAssertTrue(syria.contains("Syria,") && syria.contains("SYR"), syria)
        let stix = try ws.run(["export", "--format", "stix"]).out
        XCTAssertTrue(stix.contains(#""country": "SY""#))
        // A file of another shape is refused, naming it.
        let bad = ws.root.appendingPathComponent("codes.json")
        try #"{"3166-1": [{"alpha_2": "S", "name": "X"}]}"#.write(to: bad, atomically: true, encoding: .utf8)
        let r = try ws.run(["import", "--format", "iso3166", bad.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("codes.json:1: country entry 1 needs alpha_2"), r.err)
    }
}
