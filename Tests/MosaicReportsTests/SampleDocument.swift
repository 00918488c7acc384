import Foundation
@testable import MosaicReports

/// A briefing exercising every block, inline run and citation kind, with text that needs
/// escaping in each output format. The scenario is invented for the test.
enum SampleDocument {
    static let russia = EntityRef(id: "russia", name: "Russia", type: "Country")
    static let base = EntityRef(id: "north-field", name: "North Field <Air> Base", type: "Base")
    static let port = EntityRef(id: "east-port", name: "East Port", type: "Base")
    static let minister = EntityRef(id: "a-minister", name: "Minister A. & B.", type: "Person")

    static let wire = ArticleSource(id: "art-wire-1", title: "Flights resume at North Field",
                                    publisher: "Example Wire", date: "2025-10-29",
                                    url: "https://news.example/wire?id=1&lang=en", reliability: "B")
    static let paper = ArticleSource(id: "art-paper-7", title: "Talks \"on track\", officials say",
                                     publisher: "Daily | Example", date: "2025-10", reliability: "C")
    static let blog = ArticleSource(id: "art-blog-3", title: "Satellite images *show* new hangars",
                                    publisher: nil, date: "2025-09-30")

    static func build() -> Document {
        var b = DocumentBuilder(title: "Posture brief: North Field & East Port", metadata: DocumentMetadata(
            generatedAt: "2025-10-30T06:00:00Z", transaction: 42, asOf: "2025-10-30",
            plugin: "sample_bases", pluginVersion: "1.2.0", report: "daily", reportVersion: "1"))
        let cWire = b.cite(article: wire)
        let cPaper = b.cite(article: paper)
        let operates = b.cite(statement: StatementSource(
            statementID: "st-101", claim: "Russia operates North Field", articles: [wire, paper],
            grading: Grading("B2")))
        let derived = b.cite(statement: StatementSource(
            statementID: "st-900", claim: "Russia operates East Port", grading: Grading("C3"),
            derived: true, rule: "sample_bases/co_located@1.2.0", premiseArticles: [paper, blog]))
        let wireAgain = b.cite(article: wire)
        precondition(wireAgain == cWire)

        b.heading(1, "Summary")
        b.paragraph([.entity(russia), " keeps aircraft at ", .entity(base), cWire,
                     "; the ", .strong("status"), " of ", .entity(port), " is ", .emphasis("unclear"),
                     derived, ". Costs rose 5% | 10% in Q3 & more <b>not bold</b>", cPaper, "."])
        b.paragraph(["# not a heading, ", .code("a|b `tick`"), " and ",
                     .link(text: "the map (v2)", url: "https://maps.example/a b(1)"), "."])
        b.note(.warning, ["Two sources disagree on the date; see ", cPaper, " and ", cWire, "."])
        b.heading(2, "Bases")
        b.table(columns: [TableColumn("Base"), TableColumn("Operator", alignment: .center),
                          TableColumn("Aircraft", alignment: .right), TableColumn("Note")],
                rows: [
                    [[.entity(base)], [.entity(russia), operates], ["12"], ["runway | apron"]],
                    [[.entity(port)], [.entity(russia), derived], ["3"], [.code("x|y")]],
                    [["日本語の基地"], ["—"], ["0"]],
                ], caption: "Counts as of the last imagery")
        b.list([
            ListItem(["Flights"], children: ListBlock(ordered: true, items: [
                ListItem(["- starts with a dash"]),
                ListItem(["1. starts with a number", cWire]),
            ])),
            ListItem(["Meetings with ", .entity(minister)]),
        ])
        b.timeline([
            TimelineEvent(date: "2025-10-29", label: "Transport flight lands", entities: [base],
                          citations: [cWire.key]),
            TimelineEvent(date: "2025-10", label: "Talks on basing", entities: [russia, minister],
                          citations: [cPaper.key]),
            TimelineEvent(date: "2025-09-30", label: "New hangars seen", entities: [port]),
        ], title: "Observed activity")
        b.diagram(nodes: [
            DiagramNode(id: "russia", label: "Russia", type: "Country"),
            DiagramNode(id: "north-field", label: "North Field \"NF\"", type: "Base"),
            DiagramNode(id: "east-port", label: "East Port", type: "Base"),
        ], edges: [
            DiagramEdge(from: "russia", to: "north-field", label: "OPERATES"),
            DiagramEdge(from: "russia", to: "east-port", label: "OPERATES", derived: true),
        ], title: "Who operates what")
        return b.build()
    }
}

extension Inline {
    /// The key of a citation marker (test convenience).
    var key: String {
        if case .citation(let k) = self { return k }
        return ""
    }
}
