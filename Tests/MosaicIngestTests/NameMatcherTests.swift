import XCTest
@testable import MosaicIngest

final class NameMatcherTests: XCTestCase {
    func ascii(_ names: [(String, Int32)]) -> NameMatcher {
        var m = NameMatcher(fold: NameMatcher.asciiFold, wordBytes: NameMatcher.asciiWordBytes)
        for (n, v) in names { m.insert(Array(n.utf8), value: v) }
        return m
    }

    func testLeftmostLongestAtWordBoundaries() {
        let m = ascii([("Air", 0), ("Air Base", 1), ("Base Alpha", 2), ("Raenia", 3)])
        let text = Array("The Air Base Alpha and raenia, Raenias, proRaenia, anti-Raenia.".utf8)
        let found = m.matches(in: text).map { (String(decoding: text[$0.start..<$0.end], as: UTF8.self), $0.value) }
        // "Air Base" (longest at its start) blocks "Base Alpha"; glued and prefixed forms do not match.
        XCTAssertEqual(found.map(\.0), ["Air Base", "raenia", "Raenia"])
        XCTAssertEqual(found.map(\.1), [1, 3, 3])
    }

    func testVetoedCandidateDoesNotBlockAShorterOne() {
        let m = ascii([("Air", 0), ("Air Base", 1)])
        let text = Array("Air Base".utf8)
        var got: [NameMatcher.Match] = []
        text.withUnsafeBufferPointer { buf in m.scan(buf, accept: { _, _, v in v != 1 }) { got.append($0) } }
        XCTAssertEqual(got, [NameMatcher.Match(start: 0, end: 3, value: 0)])
    }

    func testInsertReportsExistingKey() {
        var m = NameMatcher(fold: NameMatcher.asciiFold, wordBytes: NameMatcher.asciiWordBytes)
        XCTAssertNil(m.insert(Array("Hmeimim".utf8), value: 0))
        XCTAssertEqual(m.insert(Array("HMEIMIM".utf8), value: 1), 0)
    }

    func testBenchmarkSemanticsOnATinyCorpus() {
        // The rules of ../shared/bench/link_peers.py: ASCII lower-casing, [a-z0-9] boundaries.
        let m = ascii([("F-16", 0), ("F-16 Squadron", 1), ("Il-76", 2)])
        let text = Array("F-16s flew; the F-16 SQUADRON and il-76, 2Il-76 and (F-16).".utf8)
        XCTAssertEqual(m.matches(in: text).map(\.value), [1, 2, 0])
    }

    func testSHA256() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
