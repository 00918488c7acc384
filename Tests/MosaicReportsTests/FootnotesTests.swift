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

final class DocumentCheckTests: XCTestCase {
    func testSampleIsClean() {
        XCTAssertEqual(DocumentCheck.problems(in: SampleDocument.build()), [])
    }

    func testProblemsAreNamed() {
        let a = Citation.article(ArticleSource(id: "a", title: "A"))
        let doc = Document(title: "t", blocks: [
            .heading(level: 7, text: "x"),
            .paragraph([.citation("missing")]),
            .table(Table(columns: [TableColumn("one")], rows: [[["a"], ["b"]]])),
            .timeline(Timeline(events: [TimelineEvent(date: "Oct 2025", label: "x"), TimelineEvent(date: "2025-10-29T06:00", label: "y")])),
            .diagram(Diagram(nodes: [DiagramNode(id: "a", label: "A")], edges: [DiagramEdge(from: "a", to: "b", label: "R")])),
        ], citations: [CitationEntry(key: "k", citation: a), CitationEntry(key: "k", citation: a)])
        XCTAssertEqual(DocumentCheck.problems(in: doc), [
            "citation key 'k' is defined twice",
            "citation marker 'missing' has no citation (cite it with the document builder)",
            "block 1: heading level 7 is outside 1–5",
            "block 3: table row 1 has 2 cells for 1 columns",
            "block 4: timeline date 'Oct 2025' is not YYYY, YYYY-MM or YYYY-MM-DD",
            "block 5: diagram edge a -[R]-> b names unknown node 'b'",
        ])
    }

    func testPartialDates() {
        let cases: [(String, Bool)] = [("2025", true), ("2025-10", true), ("2025-10-29", true), ("2025-10-29T06:00", true),
                                       ("2025-13", false), ("2025-1", false), ("25", false), ("", false), ("2025-10-32", false)]
        for (text, ok) in cases { XCTAssertEqual(DocumentCheck.isPartialISODate(text), ok, text) }
    }

    func testMermaidDeclaresUndeclaredEdgeEnds() {
        let doc = Document(title: "t", blocks: [.diagram(Diagram(nodes: [DiagramNode(id: "a", label: "A")],
                                                                 edges: [DiagramEdge(from: "a", to: "b-id", label: "R")]))])
        XCTAssertTrue(MarkdownRenderer().render(doc).contains("  n1[\"A\"]\n  n2[\"b-id\"]\n  n1 -->|\"R\"| n2\n"))
    }
}
