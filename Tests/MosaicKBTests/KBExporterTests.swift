import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicKB
@testable import MosaicStore

/// Values and metadata that a YAML writer can easily get wrong survive export and reload.
final class KBExporterTests: XCTestCase {
    static func meta(_ sources: [Citation] = [Citation(source: "art")], from: String? = nil, to: String? = nil,
                     grade: String? = nil, confidence: Double? = nil) -> StatementMeta {
        StatementMeta(validFrom: from.flatMap(PartialDate.init), validTo: to.flatMap(PartialDate.init), sources: sources,
                      grading: grade.flatMap(Grading.init), confidence: confidence, origin: .system("test"))
    }

    static let tricky: [Value] = [
        .string("2025"), .string("true"), .string("null"), .string("a: b"), .string("# not a comment"), .string("- dash"),
        .string("[bracket"), .string("Ḥmeimim – “quoted” ‘text’"), .string("line\nbreak"), .string(" padded "), .string(""),
        .string("O'Brien"), .string("12:30"), .int(-42), .float(2.5), .float(1e300), .bool(false),
        .date(PartialDate("2025")!), .date(PartialDate("2024-12")!), .date(PartialDate("2025-10-29T06:00+03:00")!),
        .geo(GeoPoint(latitude: 35.4, longitude: 35.95)), .list([.int(1), .string("two"), .date(PartialDate("2025-10")!)]),
        .map(["value": .string("not an option map"), "n": .int(3)]),
    ]

    func statements() -> [Statement] {
        var out: [Statement] = []
        func add(_ subject: String, _ kind: StatementKind, _ meta: StatementMeta = KBExporterTests.meta()) {
            out.append(Statement(id: Int64(out.count + 1), subject: subject, kind: kind, meta: meta, txFrom: 1))
        }
        add("art", .entity(type: "Article"), KBExporterTests.meta([]))
        add("art", .property(name: "title", value: .string("A report")), KBExporterTests.meta([]))
        add("x", .entity(type: "Thing"), KBExporterTests.meta(grade: "B2"))
        add("x", .label("Extra"), KBExporterTests.meta(grade: "B2"))
        add("x", .property(name: "name", value: .string("Thing X")), KBExporterTests.meta(grade: "B2"))
        for (i, v) in KBExporterTests.tricky.enumerated() {
            add("x", .property(name: "p\(i)", value: v), KBExporterTests.meta(grade: "B2"))
        }
        add("y", .entity(type: "Thing"), KBExporterTests.meta([Citation(source: "art", note: "[via x] entity note")], confidence: 0.4))
        add("y", .property(name: "since", value: .string("a property named like an option")),
            KBExporterTests.meta([Citation(source: "art", note: "one"), Citation(source: "art", note: "[via x, y] two")], from: "2024-12", to: "2025"))
        add("x", .relation(type: "LINKS", target: "y", properties: ["w": .float(0.5), "when": .date(PartialDate("2025-10-29")!)]),
            KBExporterTests.meta(from: "2025-10-24", to: "2025-10-29", grade: "C3"))
        add("#\(out.count)", .relationProperty(name: "added", value: .string("later")))
        add("y", .relation(type: "LINKS", target: "x", properties: [:]), KBExporterTests.meta(from: "2025-10-29T06:00Z", to: "2025-10-29T06:00Z"))
        // The same relation recorded three times (as a bulk import may hold it).
        for _ in 0..<3 { add("art", .relation(type: "MENTIONS", target: "x", properties: [:]), KBExporterTests.meta(from: "2025-10-30", to: "2025-10-30")) }
        return out
    }

    func testTrickyValuesSurviveExportAndReload() throws {
        let files = KBExporter.render(statements())
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-exporter-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        for f in files {
            let url = out.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.text.write(to: url, atomically: true, encoding: .utf8)
        }
        let store = try Store.inMemory()
        do { try KBLoader(workspace: out, store: store).load() } catch let e as KBError {
            XCTFail("the export does not load:\n\(e)\n\(files.map { "--- \($0.path)\n\($0.text)" }.joined())"); return
        }
        let g = store.graph
        if ProcessInfo.processInfo.environment["DEBUG_EXPORT"] != nil { print(files.map(\.text).joined()) }
        let x = try XCTUnwrap(g.lookup(key: "x").map(g.node))
        XCTAssertEqual(x.labels, ["Thing", "Extra"])
        for (i, v) in KBExporterTests.tricky.enumerated() {
            XCTAssertEqual(x.properties["p\(i)"], v, "p\(i)")
        }
        let y = try XCTUnwrap(g.lookup(key: "y"))
        XCTAssertEqual(g.node(y).properties["since"], .string("a property named like an option"))
        let links = g.outgoing(try XCTUnwrap(g.lookup(key: "x")))
        XCTAssertEqual(links.count, 1)
        XCTAssertEqual(g.properties(ofRelationship: links[0]), ["w": .float(0.5), "when": .date(PartialDate("2025-10-29")!), "added": .string("later")])
        XCTAssertEqual(g.meta(ofRelationship: links[0]).grading?.description, "C3")
        XCTAssertEqual(g.meta(ofRelationship: g.outgoing(y)[0]).validFrom, PartialDate("2025-10-29T06:00Z"))
        let relationsFile = try XCTUnwrap(files.first { $0.path == "kb/relations.yaml" }?.text)
        XCTAssertTrue(relationsFile.contains("  - [art, MENTIONS, x, {on: 2025-10-30, source: art, times: 3}]\n"), relationsFile)
        XCTAssertEqual(g.outgoing(try XCTUnwrap(g.lookup(key: "art"))).count, 3)
        // Entities, labels and properties come back as the same statements (relations were
        // checked on the graph: their folded property makes them differ as statements).
        func plain(_ ss: [Statement]) -> Set<String> { Set(ss.filter { $0.kind.code < 3 }.map(KBExporterTests.key)) }
        XCTAssertEqual(plain(try store.believedStatements()), plain(statements()))
        // Rendering is deterministic.
        XCTAssertEqual(KBExporter.render(statements()).map(\.text), files.map(\.text))
    }

    static func key(_ s: Statement) -> String {
        "\(s.subject) \(s.kind) \(s.meta.validFrom?.description ?? "-")..\(s.meta.validTo?.description ?? "-") \(s.meta.sources) \(s.meta.grading?.description ?? "-") \(s.meta.confidence ?? -1)"
    }
}
