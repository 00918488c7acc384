import XCTest
import MosaicGraph
import MosaicKB
import MosaicStore
@testable import MosaicIngest

/// The seed article (../shared/seed, not in the repository) against the sample kb/:
/// precision and recall of mentions of known entities, against the hand-made list in
/// Fixtures/seed-mentions.tsv (offsets and entity ids only). Skipped when the article is
/// not beside the repository.
final class SeedArticleTests: XCTestCase {
    static let article = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/seed/russia-syria-bases-article.txt")

    func testSeedArticleMentions() throws {
        guard FileManager.default.fileExists(atPath: SeedArticleTests.article.path) else {
            throw XCTSkip("\(SeedArticleTests.article.path) is not here")
        }
        let store = try Store.inMemory()
        try KBLoader(workspace: repositoryRoot, store: store).load()
        let doc = try DocumentReader.read(path: SeedArticleTests.article.path, overrides: DocumentMetadata(publisher: "enab-baladi", date: "2025-10-30"))
        let fixture = try String(contentsOf: fixtures.appendingPathComponent("seed-mentions.tsv"), encoding: .utf8)
        XCTAssertTrue(fixture.contains(doc.hash), "the fixture is for another copy of the article")
        var expected: Set<String> = []
        for line in fixture.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t")
            expected.insert("\(f[0])-\(f[1])=\(f[2])")
        }
        let mentions = Linker(gazetteer: Gazetteer(graph: store.graph)).link(doc.text).filter { $0.kind != .new }
        // A mention counts when its span and entity are right; candidates count as wrong.
        let got = Set(mentions.map { "\($0.start)-\($0.end)=\($0.entity ?? "?" + $0.candidates.joined(separator: ","))" })
        let tp = got.intersection(expected).count
        let precision = Double(tp) / Double(got.count), recall = Double(tp) / Double(expected.count)
        print(String(format: "seed article: mentions of known entities precision %.3f recall %.3f (%d right of %d found, %d expected)",
                     precision, recall, tp, got.count, expected.count))
        for m in got.subtracting(expected).sorted() { print("  not expected: \(m)") }
        for m in expected.subtracting(got).sorted() { print("  missed: \(m)") }
        XCTAssertGreaterThanOrEqual(precision, 0.95)
        XCTAssertGreaterThanOrEqual(recall, 0.95)
        // The near misses propose the article's spelling as an alias of the base.
        XCTAssertTrue(mentions.contains { $0.kind == .nearMiss && $0.entity == "hmeimim-air-base" && $0.newAlias == "Hmeimim" })
        // The dates the sample KB records: 26, 24, 29 (on Wednesday), 15 and 28 October 2025.
        let days = Set(DateFinder(published: doc.metadata.publishedDate).find(in: doc.text).compactMap { $0.from?.description })
        XCTAssertTrue(Set(["2025-10-24", "2025-10-26", "2025-10-29", "2025-10-15", "2025-10-28", "2024-12-15"]).isSubset(of: days), "\(days)")
    }
}
