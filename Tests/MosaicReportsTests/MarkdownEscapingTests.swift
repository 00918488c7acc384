import XCTest
@testable import MosaicReports

final class MarkdownEscapingTests: XCTestCase {
    func render(_ runs: [Inline]) -> String {
        let body = MarkdownRenderer().render(Document(title: "T", blocks: [.paragraph(runs)]))
        return String(body.dropFirst("# T\n\n".count).dropLast())
    }

    func testParagraphEscaping() {
        let cases: [([Inline], String)] = [
            (["plain text"], "plain text"),
            (["a*b_c`d"], "a\\*b\\_c\\`d"),
            (["[x](y) <b>"], "\\[x\\](y) \\<b\\>"),
            (["pipe | and ~strike~"], "pipe \\| and \\~strike\\~"),
            (["AT&T &amp; & co"], "AT\\&T \\&amp; & co"),
            (["# title"], "\\# title"),
            (["- item"], "\\- item"),
            (["12. twelve"], "12\\. twelve"),
            (["line\nbreak\ttab"], "line break tab"),
            (["x", .emphasis(" spaced "), "y"], "x *spaced* y"),
            ([.strong("a*b")], "**a\\*b**"),
            ([.code("x`y")], "``x`y``"),
            ([.code("`x")], "`` `x ``"),
            ([.link(text: "t", url: "http://e.x/a b(c)")], "[t](http://e.x/a%20b\\(c\\))"),
            ([.entity(EntityRef(id: "i", name: "N_1", type: "T"))], "N\\_1"),
        ]
        for (runs, expected) in cases {
            XCTAssertEqual(render(runs), expected, "\(runs)")
        }
    }

    func testTableCellsEscapePipesEvenInCode() {
        let doc = Document(title: "T", blocks: [.table(Table(columns: [TableColumn("a|b")],
                                                             rows: [[[.code("x|y"), " | z"]]]))])
        let lines = MarkdownRenderer().render(doc).split(separator: "\n")
        XCTAssertEqual(lines[1], "| a\\|b        |")
        XCTAssertEqual(lines[3], "| `x\\|y` \\| z |")
    }

    func testHeadingLevelsAreClampedUnderTheTitle() {
        let doc = Document(title: "T", blocks: [.heading(level: 0, text: "a"), .heading(level: 1, text: "b"),
                                                .heading(level: 9, text: "c")])
        XCTAssertEqual(MarkdownRenderer().render(doc), "# T\n\n## a\n\n## b\n\n###### c\n")
    }
}

final class MarkdownBlockStartTests: XCTestCase {
    func testLeadingSpacesAndClosingHashes() {
        let doc = Document(title: "T", blocks: [.paragraph(["    indented would be code"]),
                                                .heading(level: 2, text: "C# ")])
        XCTAssertEqual(MarkdownRenderer().render(doc), "# T\n\nindented would be code\n\n### C\\#\n")
    }
}
