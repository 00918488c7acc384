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
        try ws.assertImportRefused(format: "ftm", file: "bad.ftm.json", cases, before: before)
    }

    func testFtMLinesOfOtherShapesReadTheSame() throws {
        // Escapes, extra keys, keys in another order, numbers and nulls in lists: the general
        // parser reads what the fast scanner does not.
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let text = #"{"id":"p1","schema":"Person","properties":{"name":["Plain Name"]}}"# + "\n"
            + #"{"schema":"Person","properties":{"name":["A \"Quoted\" Na\u00efve"],"alias":[null,"Q"]},"id":"p2","datasets":["x"]}"# + "\n"
            + #"{"id":"c1","schema":"Company","properties":{"name":["C"],"capital":[1200]}}"# + "\r\n"
        let file = ws.root.appendingPathComponent("shapes.ftm.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try ws.run(["import", "--format", "ftm", file.path])
        XCTAssertEqual(r.status, 0, r.err)
        let q = try ws.run(["query", "MATCH (n) WHERE n.id IN ['p1', 'p2', 'c1'] RETURN n.id, n.name, n.aliases, n.capital ORDER BY n.id", "--format", "csv"])
        XCTAssertEqual(q.out.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .newlines), """
            n.id,n.name,n.aliases,n.capital
            c1,C,,1200
            p1,Plain Name,,
            p2,"A ""Quoted"" Naïve","[""Q""]",
            """)
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

extension GazetteerImportTests {
    func testParentsGivenWithOrWithoutTheCountryPrefix() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let fixtures = SampleWorkspace.golden.deletingLastPathComponent().appendingPathComponent("Fixtures")
        XCTAssertEqual(try ws.run(["import", "--format", "iso3166", fixtures.appendingPathComponent("iso_3166-1.json").path]).status, 0)
        let file = ws.root.appendingPathComponent("sub.json")
        try #"{"3166-2": [{"code": "SY-XA", "name": "Xa", "type": "Region"}, {"code": "SY-XB", "name": "Xb", "parent": "SY-XA", "type": "District"}, {"code": "SY-XC", "name": "Xc", "parent": "XA", "type": "District"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try ws.run(["import", "--format", "iso3166", file.path])
        XCTAssertEqual(r.status, 0, r.err)
        let q = try ws.run(["query", "MATCH (s)-[:PART_OF]->(p {id: 'iso-sy-xa'}) RETURN s.id ORDER BY s.id", "--format", "csv"]).out
        XCTAssertEqual(q.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .newlines), "s.id\niso-sy-xb\niso-sy-xc")
        // A parent nobody has is refused, naming the entry; nothing is written.
        let before = try ws.run(["stats"]).out
        try #"{"3166-2": [{"code": "SY-YA", "name": "Ya", "type": "Region"}, {"code": "SY-YB", "name": "Yb", "parent": "SY-ZZ", "type": "District"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let bad = try ws.run(["import", "--format", "iso3166", file.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("sub.json:2: subdivision entry 2: its parent SY-ZZ is neither in this file nor in the store"), bad.err)
        XCTAssertEqual(try ws.run(["stats"]).out, before)
    }
}

/// The airportsdata CSV: airfields placed in the store's countries and subdivisions, linked to
/// the kb entity whose `same_as` names them, feeding the ingest gazetteer; bad rows refused.
final class AirportsImportTests: XCTestCase {
    static let fixtures = SampleWorkspace.golden.deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The sample with Hmeimim saying it is the airfield OSLK, and iso-codes' countries and
    /// subdivisions imported (Syria and Russia get their codes).
    func workspace() throws -> SampleWorkspace {
        let ws = try SampleWorkspace()
        let bases = ws.root.appendingPathComponent("kb/bases.yaml")
        let text = try String(contentsOf: bases, encoding: .utf8)
        let marked = text.replacingOccurrences(of: "      kind: air base\n      coast: Mediterranean (Syrian coast, Latakia)",
                                               with: "      kind: air base\n      same_as: icao:OSLK\n      coast: Mediterranean (Syrian coast, Latakia)")
        XCTAssertNotEqual(marked, text, "the sample's Hmeimim entry changed; update this test")
        try marked.write(to: bases, atomically: true, encoding: .utf8)
        for f in ["iso_3166-1.json", "iso_3166-2.json"] {
            let r = try ws.run(["import", "--format", "iso3166", AirportsImportTests.fixtures.appendingPathComponent(f).path])
            XCTAssertEqual(r.status, 0, r.err)
        }
        return ws
    }

    func testAirfieldsArePlacedLinkedAndFound() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let r = try ws.run(["import", "--format", "airports", AirportsImportTests.fixtures.appendingPathComponent("airports.csv").path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("imported 4 new and 1 linked airfields, 3 placed"), r.out)
        XCTAssertTrue(r.out.contains("citing dataset-airportsdata-airports"), r.out)
        // Hmeimim is OSLK: no second entity; it gains the codes and the airport's name, and is
        // not placed again (LOCATED_IN Latakia already). "Tartus" finds iso-codes' "Ţarţūs".
        let q = try ws.run(["query", "MATCH (a) WHERE a.icao IS NOT NULL OPTIONAL MATCH (a)-[:PART_OF]->(p) RETURN a.id, a.icao, a.iata, labels(a)[0], p.id ORDER BY a.icao", "--format", "csv"])
        XCTAssertEqual(q.status, 0, q.err)
        XCTAssertEqual(q.out.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .newlines), """
            a.id,a.icao,a.iata,labels(a)[0],p.id
            airport-osdi,OSDI,DAM,Airport,syria
            hmeimim-air-base,OSLK,LTK,Base,
            airport-osxx,OSXX,,Airport,iso-sy-ta
            airport-uuee,UUEE,SVO,Airport,iso-ru-mow
            airport-zz01,ZZ01,,Airport,
            """)
        let hmeimim = try ws.run(["query", "MATCH (b {id: 'hmeimim-air-base'}) RETURN b.name, b.aliases, b.elevation_ft", "--format", "csv"]).out
        XCTAssertTrue(hmeimim.contains("Hmeimim Air Base,") && hmeimim.contains("OSLK") && hmeimim.contains("Bassel Al-Assad International Airport"), hmeimim)
        // The records cite the dataset; the coordinates are a geo point.
        let cite = try ws.run(["query", "MATCH (a {id: 'airport-osdi'})-[r:PART_OF]->() RETURN sources(r)[0].id, a.coordinates", "--format", "csv"]).out
        XCTAssertTrue(cite.contains("dataset-airportsdata-airports"), cite)
        // Imported names feed the ingest gazetteer.
        let article = ws.root.appendingPathComponent("flights.txt")
        try "Two cargo flights left Damascus International Airport for the coast; one landed at Bassel Al-Assad International Airport, the other at OSXX.\n"
            .write(to: article, atomically: true, encoding: .utf8)
        let ingest = try ws.run(["ingest", article.path, "--publisher", "enab-baladi", "--date", "2025-10-30"])
        XCTAssertEqual(ingest.status, 0, ingest.err)
        let mentions = try ws.run(["mentions", article.path])
        XCTAssertEqual(mentions.status, 0, mentions.err)
        for (name, id) in [("Damascus International Airport", "airport-osdi"), ("Bassel Al-Assad International Airport", "hmeimim-air-base"), ("OSXX", "airport-osxx")] {
            XCTAssertTrue(mentions.out.contains("\(name)  → \(id)"), "\(name) → \(id)\n\(mentions.out)")
        }
        // The FtM and STIX exports write airports as places with coordinates.
        let ftm = try ws.run(["export", "--format", "ftm"]).out
        XCTAssertTrue(ftm.contains(#"{"id":"airport-osdi","schema":"Address","properties":{"alias":["DAM","OSDI"],"city":["Damascus"],"country":["sy"],"#), ftm)
        XCTAssertTrue(ftm.contains(#""latitude":["33.41"],"longitude":["36.52"]"#))
    }

    func testBadRowsNameTheLineAndWriteNothing() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let before = try ws.run(["stats"]).out
        let header = #""icao","iata","name","city","subd","country","elevation","lat","lon","tz","lid""#
        let good = #""OSDI","DAM","Damascus International Airport","Damascus","Rif-dimashq","SY",2020,33.41,36.52,"Asia/Damascus","""#
        let cases: [(String, String)] = [
            (header + "\n" + good + "\n" + #""OSAP","ALP","Aleppo International Airport","Aleppo","Aleppo","SY",1276,,37.22,"Asia/Damascus","""#,
             ":3: OSAP has no coordinates"),
            (#""code","name","lat","lon""# + "\n" + #""OSDI","Damascus",33.4,36.5"#, ":1: the header lacks icao, iata, city, subd, country, elevation, tz, lid"),
            (header + "\n" + #""OSDI","DAM","Damascus International Airport","Damascus","Rif-dimashq","SY",high,33.41,36.52,"Asia/Damascus","""#,
             ":2: OSDI: elevation 'high' is not a number"),
            (header + "\n" + #""OSDI","DAM","Damascus International Airport","Damascus","Rif-dimashq","SY",2020,133.41,36.52,"Asia/Damascus","""#,
             ":2: OSDI: lat '133.41' is not a latitude"),
            (header + "\n" + good + "\n" + good, ":3: OSDI is given twice (first on line 2)"),
            (header + "\n" + #""OSDI","DAM","Damascus""#, ":2: expected 11 fields, found 3"),
        ]
        try ws.assertImportRefused(format: "airports", file: "bad-airports.csv", cases, before: before)
    }

    func testSameAsLinksAnISOSubdivisionToTheKBEntity() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let places = ws.root.appendingPathComponent("kb/places.yaml")
        let text = try String(contentsOf: places, encoding: .utf8)
        let marked = text.replacingOccurrences(of: "    aliases: [Latakia, Lattakia]\n", with: "    aliases: [Latakia, Lattakia]\n    props: {same_as: \"iso3166:SY-LA\"}\n")
        XCTAssertNotEqual(marked, text, "the sample's Latakia entry changed; update this test")
        try marked.write(to: places, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ws.run(["check"]).status, 0)
        for f in ["iso_3166-1.json", "iso_3166-2.json"] {
            let r = try ws.run(["import", "--format", "iso3166", AirportsImportTests.fixtures.appendingPathComponent(f).path])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let q = try ws.run(["query", "MATCH (g {iso_code: 'SY-LA'}) RETURN g.id, g.name", "--format", "csv"]).out
        XCTAssertEqual(q.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .newlines), "g.id,g.name\nlatakia-governorate,Latakia Governorate")
        XCTAssertTrue(try ws.run(["show", "Al Lādhiqīyah"]).out.contains("latakia-governorate"))
    }
}

extension SampleWorkspace {
    /// Imports each (text, message) case as `file` with `format`: the import fails, its error
    /// names the file and the message (`:LINE: …`), and the store still gives `before` as stats.
    func assertImportRefused(format: String, file name: String, _ cases: [(String, String)], before: String,
                             line: UInt = #line) throws {
        let file = root.appendingPathComponent(name)
        for (text, message) in cases {
            try text.write(to: file, atomically: true, encoding: .utf8)
            let r = try run(["import", "--format", format, file.path])
            XCTAssertEqual(r.status, 1, text, line: line)
            XCTAssertTrue(r.err.contains(name + message), "\(message): \(r.err)", line: line)
        }
        XCTAssertEqual(try run(["stats"]).out, before, "nothing was imported", line: line)
    }
}
