// NameMatcher against a brute-force reference of its rules (every key tried at every word
// start, then the leftmost-longest selection), on seeded random keys and texts that stress
// what the run trie does differently from a byte trie: gaps and trailing gaps, long runs and
// gaps (more than 8 and 16 bytes), several keys sharing first runs, the text's end, vetoes,
// and the three folding modes (ASCII, folded UTF-8, any other table).
import XCTest
@testable import MosaicIngest

final class NameMatcherReferenceTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so a failure is reproducible.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
    }

    /// The rules, tried by brute force: candidates are the keys equal (after folding) to a
    /// span that starts at a run start and ends at a boundary; `accept` filters them; then
    /// leftmost-longest left to right without overlaps. The first payload of a key wins.
    func reference(keys: [([UInt8], Int32)], text: [UInt8], fold: [UInt8], word: [Bool],
                   accept: (Int, Int, Int32) -> Bool) -> [NameMatcher.Match] {
        var dict: [[UInt8]: Int32] = [:]
        for (k, v) in keys where !k.isEmpty && word[Int(k[0])] {
            let f = k.map { fold[Int($0)] }
            if dict[f] == nil { dict[f] = v }
        }
        let n = text.count
        let folded = text.map { fold[Int($0)] }
        var out: [NameMatcher.Match] = []
        var pos = 0
        var s = 0
        while s < n {
            defer { s += 1 }
            guard s >= pos, word[Int(text[s])], s == 0 || !word[Int(text[s - 1])] else { continue }
            var best: NameMatcher.Match?
            for (k, v) in dict where s + k.count <= n && Array(folded[s..<(s + k.count)]) == k {
                let e = s + k.count
                guard e == n || !word[Int(text[e])], accept(s, e, v) else { continue }
                if best == nil || e > best!.end { best = NameMatcher.Match(start: s, end: e, value: v) }
            }
            if let b = best { out.append(b); pos = b.end }
        }
        return out
    }

    func check(mode: String, fold: [UInt8], word: [Bool], runs: [String], gaps: [String], seed: UInt64, rounds: Int) {
        var rng = Rng(state: seed)
        var matched = 0
        defer { XCTAssertGreaterThan(matched, rounds, "\(mode): the random texts hold matches") }
        for round in 0..<rounds {
            // Keys: 1–4 runs with gaps between them, sometimes a trailing gap.
            var keys: [([UInt8], Int32)] = []
            for v in 0..<(3 + rng.int(25)) {
                var k = rng.pick(runs)
                for _ in 0..<rng.int(4) { k += rng.pick(gaps) + rng.pick(runs) }
                if rng.int(5) == 0 { k += rng.pick(gaps) }
                // Some keys in another case (ASCII folding makes them the same key).
                if rng.int(4) == 0 { k = k.uppercased() }
                keys.append((Array(k.utf8), Int32(v)))
            }
            if rng.int(10) == 0 { keys.append((Array(" leading gap".utf8), 99)) }  // never matches
            var m = NameMatcher(fold: fold, wordBytes: word)
            for (k, v) in keys { m.insert(k, value: v) }
            // Texts: keys and noise, glued or separated.
            for _ in 0..<6 {
                var t = ""
                for _ in 0..<rng.int(30) {
                    switch rng.int(4) {
                    case 0: t += String(decoding: rng.pick(keys).0, as: UTF8.self)
                    case 1: t += rng.pick(runs)
                    default: t += rng.pick(gaps)
                    }
                    if rng.int(3) == 0 { t += rng.pick(gaps) }
                }
                let text = Array(t.utf8)
                let veto = rng.int(3) == 0 ? Int32(rng.int(8)) : -1
                let accept: (Int, Int, Int32) -> Bool = { _, _, v in v != veto }
                var got: [NameMatcher.Match] = []
                text.withUnsafeBufferPointer { buf in
                    if veto >= 0 { m.scan(buf, accept: accept) { got.append($0) } } else { m.scan(buf) { got.append($0) } }
                }
                let want = reference(keys: keys, text: text, fold: fold, word: word, accept: accept)
                matched += want.count
                if got != want {
                    XCTFail("\(mode) round \(round): keys \(keys.map { String(decoding: $0.0, as: UTF8.self) }) text \(t.debugDescription) veto \(veto)\n got \(got)\nwant \(want)")
                    return
                }
            }
        }
    }

    static let runs = ["a", "ab", "b", "ba", "abc", "x1", "Ab", "2024", "abcdefgh", "abcdefghi",
                       "abcdefghijklmnopq", "abcdefghijklmnopqr", "z"]
    static let gaps = [" ", "-", " (", ")", ". ", "  ", ", ", "\n", " - ", "()()()()()", "((((((((()))))))))"]

    func testASCIIMode() {
        check(mode: "ascii", fold: NameMatcher.asciiFold, word: NameMatcher.asciiWordBytes,
              runs: Self.runs, gaps: Self.gaps, seed: 1, rounds: 400)
    }

    func testFoldedUTF8Mode() {
        // Text folded by FoldedText: lower case, non-ASCII bytes are letters.
        let runs = Self.runs.map { $0.lowercased() } + ["é", "aé", "ḥmeimim", "ábcdefghé"]
        check(mode: "folded", fold: NameMatcher.identityFold, word: NameMatcher.foldedWordBytes,
              runs: runs, gaps: Self.gaps, seed: 2, rounds: 400)
    }

    func testOtherTables() {
        // Word bytes [a-z_], folding '_' to itself and upper case to lower case: the table path.
        let word: [Bool] = (0..<256).map { (97...122).contains($0) || (65...90).contains($0) || $0 == 95 }
        check(mode: "table", fold: NameMatcher.asciiFold, word: word,
              runs: Self.runs.map { $0.replacingOccurrences(of: "1", with: "_").replacingOccurrences(of: "2024", with: "y") },
              gaps: Self.gaps + ["1", "12"], seed: 3, rounds: 400)
    }

    func testRunsLongerThanASlotRecords() {
        // A slot caps a run's length at 65,535: longer runs are told apart by their nodes.
        var m = NameMatcher(fold: NameMatcher.asciiFold, wordBytes: NameMatcher.asciiWordBytes)
        let long = [UInt8](repeating: 0x61, count: 70_000)
        m.insert(long, value: 0)
        m.insert(long + [0x20] + long, value: 1)
        XCTAssertEqual(m.matches(in: long).map(\.value), [0])
        XCTAssertEqual(m.matches(in: long + [0x61]), [])
        XCTAssertEqual(m.matches(in: Array(long.dropLast())), [])
        XCTAssertEqual(m.matches(in: long + [0x20] + long + [0x2E]).map(\.value), [1])
        XCTAssertEqual(m.matches(in: long + [0x20] + long + [0x61]).map(\.value), [0])
    }

    func testLongTextAcrossWordsOfTheBitSet() {
        // Matches that straddle 64-byte words of the bit set, and a key at the very end.
        var m = NameMatcher(fold: NameMatcher.asciiFold, wordBytes: NameMatcher.asciiWordBytes)
        m.insert(Array("Tenox Governorate (Gorland)".utf8), value: 0)
        m.insert(Array("Tenox".utf8), value: 1)
        var text: [UInt8] = []
        var want: [NameMatcher.Match] = []
        for pad in 0..<80 {
            text += Array(String(repeating: "x", count: pad).utf8) + [0x20]
            want.append(.init(start: text.count, end: text.count + 27, value: 0))
            text += Array("tenox governorate (gorland) ".utf8)
            want.append(.init(start: text.count, end: text.count + 5, value: 1))
            text += Array("Tenox; ".utf8)
        }
        want.append(.init(start: text.count, end: text.count + 27, value: 0))
        text += Array("TENOX GOVERNORATE (GORLAND)".utf8)
        XCTAssertEqual(m.matches(in: text), want)
    }
}
