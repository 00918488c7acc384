import Foundation
import GRDB
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// The bulk import's shortcuts give what the general paths give: `FlatProperties` the sorted
/// entries of `Value.decode` (or nil, leaving the object to it), and `NodeKeyTable` the
/// graph's node for a key (or nil, leaving the key to the graph); and an import through them
/// writes the rows and graph the general paths make.
final class ImportLookupTests: StoreDirectoryTestCase {
    /// The entries the general path makes of a `props` text: decoded into a dictionary, sorted
    /// by key, nulls left out; nil when it is not an object.
    func general(_ text: String) -> [(String, Value)]? {
        guard case .map(let m)? = Value.decode(text) else { return nil }
        return m.sorted { $0.key < $1.key }.filter { !$0.value.isNull }
    }

    func testFlatObjectsGiveTheEntriesOfTheGeneralPath() throws {
        let taken = [
            #"{}"#, #" { } "#,
            #"{"iso3":"RAE0"}"#,
            #"{"iso3":"LIM1","population":323157141,"region":"Americas"}"#,
            #"{"region":"Americas","iso3":"LIM1","population":-5}"#,  // (not sorted)
            #"{ "b" : true , "a":false,"c" : 0 }"#,
            "{\"tab\":\"a\tb\",\"nl\":\"x\ny\"}",  // (raw controls: kept, escaped when encoded)
            #"{"name":"Ḥmeimim","n":-9223372036854775808,"m":9223372036854775807}"#,
            #"{"a":"","B":"upper before lower"}"#,
            #"{"zero":007}"#,  // (JSON would refuse it; `Value.decode` reads 7, and so does this)
        ]
        for text in taken {
            let fast = try XCTUnwrap(FlatProperties.entries(text), text)
            let slow = try XCTUnwrap(general(text), text)
            XCTAssertEqual(fast.map(\.0), slow.map(\.0), text)
            XCTAssertEqual(fast.map(\.1), slow.map(\.1), text)
            XCTAssertEqual(fast.map(\.1.encoded), slow.map(\.1.encoded), text)
        }
        // Left to the general path (which reads some and refuses others).
        let left = [
            #"{"a":"x\"y"}"#, #"{"a\u0062":1}"#,  // escapes
            #"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":9223372036854775808}"#,  // floats, too large
            #"{"a":null,"b":1}"#,  // a null (dropped by the general path)
            #"{"a":[1,2]}"#, #"{"a":{"b":1}}"#, #"{"a":{"$date":"2020-05"}}"#,  // nested, tagged
            #"{"$date":"2020-05"}"#, #"{"$geo":[1.0,2.0]}"#,  // tagged objects are not maps
            #"{"a":1,"a":2}"#, #"{"b":1,"a":2,"b":3}"#,  // repeated keys: the last wins
            #"{"é":1}"#, #"{"":1}"#,  // a non-ASCII key, an empty one
            #"{"a":NaN}"#, #"{"a":-Infinity}"#, #"{"a":tru}"#, #"{"a":truex}"#, #"{"a":1x}"#, #"{"a":-}"#,
            #"{"a":1"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":1} x"#, #"[1]"#, #""a""#, "", "{",
        ]
        for text in left {
            XCTAssertNil(FlatProperties.entries(text), text)
        }
        // (and the general path's answers for some of them, which the import then gives)
        XCTAssertEqual(general(#"{"a":1,"a":2}"#)?.map(\.1), [.int(2)])
        XCTAssertEqual(general(#"{"a":null,"b":1}"#)?.map(\.0), ["b"])
        XCTAssertNil(general(#"{"$date":"2020-05"}"#))
    }

    func testKeyTableAnswersAsTheGraph() {
        var g = Graph()
        let keys = ["C0000001", "G0000002", "a", "sixteen-bytes-ab", "seventeen-bytes-a", "Ḥmeimim", "\u{212A}elvin",
                    "x-\(String(repeating: "y", count: 40))", "P0000009", "P00000090"]
        let table = NodeKeyTable(expected: 0)
        for (s, k) in keys.enumerated() {
            let i = g.loadNode(key: k, type: "Thing", statement: Int64(s + 1))
            table.insert(k, node: i)
        }
        // Many more, past the table's first size (it grows).
        for n in 0..<5000 {
            let k = "N\(n)"
            table.insert(k, node: g.loadNode(key: k, type: "Thing", statement: Int64(100 + n)))
        }
        // A key inserted twice keeps its node.
        table.insert("a", node: 12345)
        XCTAssertEqual(table.node("a", in: g), g.lookup(key: "a"))
        let asked = keys + (0..<5000).map { "N\($0)" } + [
            "C0000002", "", "P000000", "P000000900", "Kelvin",  // (the Kelvin sign's key equals "Kelvin" as a `String`)
            "e\u{301}", "\u{E9}", "sixteen-bytes-ac", "seventeen-bytes-b", "N5000",
        ]
        for k in asked {
            XCTAssertEqual(table.node(k, in: g), g.lookup(key: k), k)
        }
        // Long and non-ASCII keys are not held: the graph answers for them.
        var long = "seventeen-bytes-a"
        XCTAssertNil(long.withUTF8 { table.lookup($0) })
        var ascii = "sixteen-bytes-ab"
        XCTAssertEqual(ascii.withUTF8 { table.lookup($0) }, g.lookup(key: ascii))
        XCTAssertEqual(table.count, 5000 + keys.count - 4)
    }

    /// Dates by their text, past the array's size (slots taken over), read twice each: the
    /// dates `PartialDate` reads, with whether the text is the date's own.
    func testDateCacheGivesTheParsedDates() {
        var cache = DateCache()
        var texts: [String] = []
        for y in [1999, 2015, 2020, 2024] { for m in 1...12 { for d in 1...31 { texts.append(String(format: "%04d-%02d-%02d", y, m, d)) } } }
        texts += ["2020", "2020-05", "2020-5", "2020-02-30", "20-01-01", "", "x", "2020-01-01T00:00", "２０２０",
                  "2020-01-01 but longer than sixteen", "0000-01-01", "-2020", " 2020"]
        for _ in 0..<2 {
            for t in texts.shuffled() {
                let got = cache.date(t)
                let expected = PartialDate(t)
                XCTAssertEqual(got?.date, expected, t)
                XCTAssertEqual(got?.canonical, expected.map { $0.description == t }, t)
            }
        }
    }

    /// Nodes with every kind of `props` (flat, and each kind the general path reads), and edges
    /// whose ends are short ASCII keys, long ones, non-ASCII ones, a key equal to another as a
    /// `String` only, and nodes of an earlier import: the rows hold the general path's values,
    /// the ends are the graph's nodes, and the graph equals the one loaded from the log.
    func testAnImportThroughTheShortcutsWritesWhatTheGeneralPathsWould() throws {
        let props = [
            #"{"iso3":"LIM1","population":323157141,"region":"Americas"}"#, #"{"b":true,"a":false}"#, "",
            #"{"f":1.5,"i":2}"#, #"{"a":null,"b":"kept"}"#, #"{"d":{"$date":"2020-05"},"l":[1,"x"]}"#,
            #"{"a":1,"a":2}"#, #"{"esc":"say \"hi\""}"#, #"{"name":"from props"}"#, #"{}"#,
        ]
        let keys = ["C0000001", "sixteen-bytes-ab", "a-key-longer-than-sixteen-bytes", "Ḥmeimim", "\u{212A}elvin",
                    "P1", "P2", "P3", "P4", "P5"]
        func csv(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var nodes = "id,type,name,props\n"
        for (k, key) in keys.enumerated() { nodes += "\(key),Thing,Name \(k),\(props[k].isEmpty ? "" : csv(props[k]))\n" }
        var edges = "src,dst,type,date,source\n"
        let pairs = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (5, 6), (6, 7), (7, 8), (8, 9), (9, 0), (0, 0)]
        for (a, b) in pairs { edges += "\(keys[a]),\(keys[b]),NEAR,2020-01-0\(a % 9 + 1),S\(b)\n" }
        edges += "Kelvin,P1,NEAR,,\n"  // (the Kelvin sign's node, as a `String`)
        let files = [("nodes.csv", nodes), ("edges.csv", edges)].map { name, text -> String in
            let url = dir.appendingPathComponent(name)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let store = try Store.open(path: path)
        try BulkImporter(store: store, chunkRows: 4, blockSize: 64).importFiles(files)
        for (k, key) in keys.enumerated() {
            var expected = [("name", Value.string("Name \(k)").encoded)]
            if !props[k].isEmpty { expected += try XCTUnwrap(general(props[k]), props[k]).map { ($0.0, $0.1.encoded) } }
            let got = try store.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT predicate, value FROM statement WHERE kind = 2 AND subject = ? ORDER BY id", arguments: [key])
                    .map { ($0[0] as String, $0[1] as String) }
            }
            XCTAssertEqual(got.map(\.0), expected.map(\.0), key)
            XCTAssertEqual(got.map(\.1), expected.map(\.1), key)
        }
        var g = store.graph
        let ends = g.relationshipIndices.map { [g.node(g.relationship($0).source).key, g.node(g.relationship($0).target).key] }
        XCTAssertEqual(ends, pairs.map { [keys[$0.0], keys[$0.1]] } + [[keys[4], "P1"]], "ends")
        XCTAssertEqual(GraphDigest.lines(g), GraphDigest.lines(try store.snapshot(asOf: .transaction(store.lastTransaction))))
        // A second import into the store: its edges' ends are nodes of the first (not in the
        // new import's table) and of its own.
        let more = dir.appendingPathComponent("more.csv"), moreEdges = dir.appendingPathComponent("more-edges.csv")
        try "id,type,name\nQ1,Thing,Q\n".write(to: more, atomically: true, encoding: .utf8)
        try "src,dst,type\nQ1,C0000001,FAR\na-key-longer-than-sixteen-bytes,Q1,FAR\nḤmeimim,P5,FAR\n".write(to: moreEdges, atomically: true, encoding: .utf8)
        try BulkImporter(store: store, chunkRows: 2, blockSize: 32).importFiles([more.path, moreEdges.path])
        g = store.graph
        let far = g.relationshipIndices.filter { g.typeName(of: $0) == "FAR" }
            .map { [g.node(g.relationship($0).source).key, g.node(g.relationship($0).target).key] }
        XCTAssertEqual(far, [["Q1", "C0000001"], ["a-key-longer-than-sixteen-bytes", "Q1"], ["Ḥmeimim", "P5"]])
        XCTAssertEqual(GraphDigest.lines(g), GraphDigest.lines(try store.snapshot(asOf: .transaction(store.lastTransaction))))
        // An unknown end is still an error, named.
        let bad = dir.appendingPathComponent("bad.csv")
        try "src,dst,type\nQ1,Q2,FAR\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BulkImporter(store: store).importFiles([bad.path])) { e in
            XCTAssertTrue("\(e)".contains("Q2"), "\(e)")
        }
    }
}
