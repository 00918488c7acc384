import XCTest
import MosaicGraph
@testable import MosaicIngest

/// The test corpus (Fixtures/corpus: four short articles of invented events, fictional
/// publishers and a fictional KB) against the hand-made expectations in expected.tsv.
final class CorpusTests: XCTestCase {
    struct Expectation { var file, kind, surface: String; var occurrence: Int; var expected: String }

    func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: fixtures.appendingPathComponent("corpus/expected.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Expectation(file: f[0], kind: f[1], surface: f[2].replacingOccurrences(of: "\\n", with: "\n"), occurrence: Int(f[3])!, expected: f[4])
        }
    }

    /// Publication dates given on the command line for the files without front matter.
    let flags: [String: DocumentMetadata] = ["02-convoy.txt": DocumentMetadata(publisher: "Meridian Wire", date: "2031-10-04")]

    func testCorpusMentionsAndDates() throws {
        let linker = Linker(gazetteer: try corpusGazetteer())
        let all = try expectations()
        var mentionTP = 0, mentionFound = 0, mentionExpected = 0, dateTP = 0, dateFound = 0, dateExpected = 0
        let files = ["01-drills.md", "02-convoy.txt", "03-denial.md", "04-weather.txt"]
        for file in files {
            let doc = try DocumentReader.read(path: fixtures.appendingPathComponent("corpus/\(file)").path, overrides: flags[file] ?? DocumentMetadata())
            let mentions = linker.link(doc.text)
            let dates = DateFinder(published: doc.metadata.publishedDate).find(in: doc.text)
            let exp = all.filter { $0.file == file }
            // Mentions: the same span and the same outcome.
            var expected: [String: String] = [:]
            for e in exp where e.kind == "mention" {
                guard let (s, t) = span(of: e.surface, occurrence: e.occurrence, in: doc.text) else { return XCTFail("\(file): no \(e.surface) #\(e.occurrence)") }
                expected["\(s)-\(t)"] = e.expected
            }
            let got = Dictionary(mentions.map { ("\($0.start)-\($0.end)", outcome($0)) }, uniquingKeysWith: { a, _ in a })
            for (k, v) in got {
                if expected[k] == v { mentionTP += 1 } else { XCTFail("\(file) \(k) '\(text(doc.text, k))': got \(v), expected \(expected[k] ?? "nothing")") }
            }
            for (k, v) in expected where got[k] == nil { XCTFail("\(file) \(k) '\(text(doc.text, k))': expected \(v), found nothing") }
            mentionFound += got.count; mentionExpected += expected.count
            // Titles.
            for e in exp where e.kind == "title" {
                let (s, _) = span(of: e.surface, occurrence: e.occurrence, in: doc.text)!
                XCTAssertEqual(mentions.first { $0.start == s }?.title, e.expected, "\(file): title of \(e.surface)")
            }
            // Dates: the same span and value.
            var expDates: [String: String] = [:]
            for e in exp where e.kind == "date" {
                guard let (s, t) = span(of: e.surface, occurrence: e.occurrence, in: doc.text) else { return XCTFail("\(file): no \(e.surface)") }
                expDates["\(s)-\(t)"] = e.expected
            }
            for d in dates {
                let k = "\(d.start)-\(d.end)"
                if expDates[k] == dateValue(d) { dateTP += 1 } else { XCTFail("\(file) date \(k) '\(d.text)': got \(dateValue(d)), expected \(expDates[k] ?? "nothing")") }
            }
            for (k, v) in expDates where !dates.contains(where: { "\($0.start)-\($0.end)" == k }) { XCTFail("\(file) date \(k): expected \(v), found nothing") }
            dateFound += dates.count; dateExpected += expDates.count
            if file == "04-weather.txt" { XCTAssertTrue(mentions.isEmpty && dates.isEmpty, "nothing to extract") }
        }
        let p = Double(mentionTP) / Double(max(1, mentionFound)), r = Double(mentionTP) / Double(max(1, mentionExpected))
        let dp = Double(dateTP) / Double(max(1, dateFound)), dr = Double(dateTP) / Double(max(1, dateExpected))
        print(String(format: "corpus: mentions precision %.3f recall %.3f (%d/%d found, %d expected); dates precision %.3f recall %.3f (%d/%d, %d expected)",
                     p, r, mentionTP, mentionFound, mentionExpected, dp, dr, dateTP, dateFound, dateExpected))
        XCTAssertEqual(mentionExpected, 26)
        XCTAssertEqual(dateExpected, 11)
    }

    func text(_ doc: String, _ key: String) -> String {
        let p = key.split(separator: "-").map { Int($0)! }
        return String(decoding: Array(doc.utf8)[p[0]..<p[1]], as: UTF8.self)
    }
}
