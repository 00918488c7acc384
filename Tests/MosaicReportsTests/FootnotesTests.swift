import XCTest
@testable import MosaicReports

final class FootnotesTests: XCTestCase {
    let a = Citation.article(ArticleSource(id: "a", title: "A"))
    let b = Citation.article(ArticleSource(id: "b", title: "B"))
    let c = Citation.article(ArticleSource(id: "c", title: "C"))

    func testNumbersInOrderOfFirstUseAcrossBlocks() {
        // Registered a, b, c; used c (table), then a (timeline, sorted by date), then c again.
        let doc = Document(title: "t", blocks: [
            .heading(level: 1, text: "h"),
            .table(Table(columns: [TableColumn("x")], rows: [[[.citation("k3")]]])),
            .timeline(Timeline(events: [
                TimelineEvent(date: "2025-11", label: "later", citations: ["k2"]),
                TimelineEvent(date: "2025-10", label: "earlier", citations: ["k1"]),
            ])),
            .paragraph([.citation("k3")]),
        ], citations: [CitationEntry(key: "k1", citation: a), CitationEntry(key: "k2", citation: b),
                       CitationEntry(key: "k3", citation: c)])
        let f = Footnotes(doc)
        XCTAssertEqual(f.entries.map(\.citation), [c, a, b])
        XCTAssertEqual(["k1", "k2", "k3"].map { f.number(forKey: $0) }, [2, 3, 1])
    }

    func testIdenticalCitationsUnderTwoKeysShareANumber() {
        let doc = Document(title: "t", blocks: [.paragraph([.citation("x"), .citation("y"), .citation("z")])],
                           citations: [CitationEntry(key: "x", citation: a), CitationEntry(key: "y", citation: b),
                                       CitationEntry(key: "z", citation: a)])
        let f = Footnotes(doc)
        XCTAssertEqual(f.entries.count, 2)
        XCTAssertEqual(f.number(forKey: "x"), f.number(forKey: "z"))
        XCTAssertEqual(MarkdownRenderer().inlines([.citation("x"), .citation("y"), .citation("z")],
                                                  .init(footnotes: f)), "[1][2][1]")
    }

    func testUnusedCitationsComeLastAndUnknownKeysShowAQuestionMark() {
        let doc = Document(title: "t", blocks: [.paragraph([.citation("b"), .citation("nope")])],
                           citations: [CitationEntry(key: "a", citation: a), CitationEntry(key: "b", citation: b)])
        let f = Footnotes(doc)
        XCTAssertEqual(f.entries.map(\.citation), [b, a])
        XCTAssertNil(f.number(forKey: "nope"))
        XCTAssertTrue(MarkdownRenderer().render(doc).contains("[1][?]"))
    }

    func testBuilderDedupesAndKeepsKeysWhenContinuing() {
        var builder = DocumentBuilder(title: "t")
        let k1 = builder.citationKey(a)
        let k2 = builder.citationKey(b)
        XCTAssertEqual(builder.citationKey(a), k1)
        XCTAssertNotEqual(k1, k2)
        var again = DocumentBuilder(builder.build())
        XCTAssertEqual(again.citationKey(b), k2)
        let k3 = again.citationKey(c)
        XCTAssertFalse([k1, k2].contains(k3))
        XCTAssertEqual(again.build().citations.count, 3)
    }

    func testFootnoteText() {
        let derived = Citation.statement(StatementSource(
            statementID: "s9", claim: "X operates Y", grading: Grading("c3"), derived: true, rule: "p/r@1",
            premiseArticles: [ArticleSource(id: "a", title: "T", publisher: "P", date: "2025-10", reliability: "B")]))
        let md = MarkdownRenderer().inlines(Footnotes.runs(for: derived), .init(footnotes: Footnotes(Document(title: ""))))
        XCTAssertEqual(md, "“X operates Y” (statement s9, derived by rule p/r@1), grading C3. Premises sourced in: *T*, P, 2025-10 (source reliability B).")
    }

    func testGradingParsing() {
        let cases: [(String, String?)] = [("B2", "B2"), ("a1", "A1"), (" F6 ", "F6"), ("G1", nil), ("A7", nil),
                                          ("A", nil), ("", nil), ("AB", nil), ("A12", nil)]
        for (text, expected) in cases {
            XCTAssertEqual(Grading(text)?.description, expected, text)
        }
    }
}
