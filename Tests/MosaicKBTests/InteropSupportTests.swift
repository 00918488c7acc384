import XCTest
@testable import MosaicKB

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
