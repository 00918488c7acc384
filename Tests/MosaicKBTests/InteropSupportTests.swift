import XCTest
@testable import MosaicKB
import MosaicGraph

/// The hashes behind FtM statement ids and STIX ids, against published test vectors.
final class InteropSupportTests: XCTestCase {
    func testSHA1MatchesTheStandardVectors() {
        XCTAssertEqual(Interop.sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Interop.sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(Interop.sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        XCTAssertEqual(Interop.sha1Hex(String(repeating: "a", count: 1000)), "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    func testUUIDv5MatchesRFCExample() {
        // The DNS namespace and "python.org", as in Python's uuid.uuid5 documentation.
        XCTAssertEqual(Interop.uuid5(namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8", name: "python.org"),
                       "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    func testCaseConversionsOfRelationTypesAndProperties() {
        XCTAssertEqual(FtMImporter.camel("ADDRESS_ENTITY"), "addressEntity")
        XCTAssertEqual(FtMImporter.upperSnake("addressEntity"), "ADDRESS_ENTITY")
        XCTAssertEqual(STIXExporter.kebab("FLEW_TO"), "flew-to")
    }
}

/// FtM edge ids: a hash of the fact's key, put in order as numbers; the same fact twice keeps
/// the id once and takes `-2` after; with ids of other forms the order is the text's.
final class FtMEdgeOrderTests: XCTestCase {
    func testSHA1PrefixIsTheFirstSixteenHexDigits() {
        for text in ["", "abc", String(repeating: "x", count: 55), String(repeating: "y", count: 56), String(repeating: "z", count: 200)] {
            XCTAssertEqual(String(Interop.sha1Prefix64(text), radix: 16).leftPadded(16), String(Interop.sha1Hex(text).prefix(16)), text)
        }
    }

    func testRepeatedFactsTakeSuffixesAndTheOrderIsTheText() throws {
        var g = Graph()
        let p = g.addNode(key: "p1", labels: ["Person"], properties: ["name": .string("P")])
        let o = g.addNode(key: "o1", labels: ["Organization"], properties: ["name": .string("O")])
        let key = Interop.factKey(type: "MEMBER_OF", source: "p1", target: "o1", validity: (nil, nil), properties: [:], citations: [])
        let base = "membership-" + String(Interop.sha1Prefix64(key), radix: 16).leftPadded(16)
        g.addRelationship(from: p, to: o, type: "MEMBER_OF")
        g.addRelationship(from: p, to: o, type: "MEMBER_OF")
        let made = FtMExporter(graph: g, schema: nil).entities().entities.filter { $0.schema == "Membership" }.map(\.id)
        XCTAssertEqual(made, [base, base + "-2"])
        // An imported id of another form sends the order to the text, where "-10" sorts before "-2".
        g.addRelationship(from: p, to: o, type: "MEMBER_OF", properties: [FtMImporter.idProperty: .string(base + "-10")])
        g.addRelationship(from: p, to: o, type: "MEMBER_OF", properties: [FtMImporter.idProperty: .string("a-given-id")])
        let exporter = FtMExporter(graph: g, schema: nil)
        let mixed = exporter.entities().entities.filter { $0.schema == "Membership" }.map(\.id)
        XCTAssertEqual(mixed, ["a-given-id", base, base + "-10", base + "-2"])
        // The JSON Lines (made without keeping the entities) are the entities' JSON, in that order.
        let lines = String(decoding: exporter.jsonLines().bytes, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.map(String.init), exporter.entities().entities.map { String(decoding: { var b: [UInt8] = []; $0.writeJSON(into: &b); return b }($0), as: UTF8.self) })
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
