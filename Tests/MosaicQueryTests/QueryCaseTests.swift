import Foundation
import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Data-driven query cases (cases/*.txt): each case runs on the fixture graph below (or on
/// an empty graph after `-- setup`) and its rendered result must equal `-- expect`.
///
///     == name
///     -- setup            (optional: queries run on an empty graph first, one per line group)
///     -- params           (optional: name = value, one per line, values in the query syntax)
///     -- query
///     -- expect           (header line, then one line per row; or `error: Kind Detail`)
final class QueryCaseTests: XCTestCase {
    struct Case { var name: String; var setup: [String] = []; var params: [String] = []; var query = ""; var expect = ""; var line: Int }

    static func fixture() -> Graph {
        var g = Graph()
        let sy = g.addNode(key: "syria", labels: ["Country"], properties: ["name": .string("Syria")])
        let ru = g.addNode(key: "russia", labels: ["Country"], properties: ["name": .string("Russia")])
        let lat = g.addNode(key: "latakia", labels: ["Governorate"], properties: ["name": .string("Latakia")])
        let hm = g.addNode(key: "hmeimim-air-base", labels: ["Base"], properties: ["name": .string("Hmeimim Air Base"), "aliases": .list([.string("Khmeimim")])])
        let tar = g.addNode(key: "tartus-naval-base", labels: ["Base"], properties: ["name": .string("Tartus Naval Base")])
        let il = g.addNode(key: "ra-78830", labels: ["Aircraft"], properties: ["name": .string("RA-78830"), "model": .string("Il-76")])
        let an = g.addNode(key: "ra-26001", labels: ["Aircraft"], properties: ["name": .string("RA-26001"), "model": .string("An-26")])
        let art = g.addNode(key: "article-1", labels: ["Article"], properties: ["title": .string("Flights to Hmeimim")])
        let meta = StatementMeta(sources: [Citation(source: "article-1")], grading: Grading("B2"), origin: .system("fixture"))
        g.addRelationship(from: lat, to: sy, type: "PART_OF", meta: meta)
        g.addRelationship(from: hm, to: lat, type: "LOCATED_IN", meta: meta)
        g.addRelationship(from: tar, to: sy, type: "LOCATED_IN", meta: meta)
        g.addRelationship(from: ru, to: hm, type: "OPERATES", meta: StatementMeta(validFrom: PartialDate("2015-09"), sources: [Citation(source: "article-1", note: "since September 2015")], grading: Grading("A1"), origin: .system("fixture")))
        g.addRelationship(from: ru, to: tar, type: "OPERATES", meta: meta)
        g.addRelationship(from: il, to: hm, type: "FLEW_TO", properties: ["date": .date(PartialDate("2025-10-29")!)], meta: StatementMeta(validFrom: PartialDate("2025-10-29"), validTo: PartialDate("2025-10-29"), sources: [Citation(source: "article-1")], grading: Grading("C3"), confidence: 0.4, origin: .system("fixture")))
        g.addRelationship(from: an, to: hm, type: "FLEW_TO", properties: ["date": .date(PartialDate("2025-11")!)], meta: meta)
        g.addRelationship(from: il, to: tar, type: "FLEW_TO", properties: ["date": .date(PartialDate("2024-12-02")!)], meta: meta)
        g.addRelationship(from: art, to: hm, type: "MENTIONS", meta: meta)
        return g
    }

    static func parseCases(_ text: String) -> [Case] {
        var cases: [Case] = []
        var section = ""
        var buf: [String] = []
        func flush() {
            guard !cases.isEmpty else { buf = []; return }
            let body = buf.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            switch section {
            case "setup": cases[cases.count - 1].setup = body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            case "params": cases[cases.count - 1].params = buf.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            case "query": cases[cases.count - 1].query = body
            case "expect": cases[cases.count - 1].expect = body
            default: break
            }
            buf = []
        }
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("== ") { flush(); section = ""; cases.append(Case(name: String(line.dropFirst(3)), line: i + 1)); continue }
            if line.hasPrefix("-- ") { flush(); section = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces); continue }
            if line.hasPrefix("#") && section.isEmpty { continue }
            buf.append(line)
        }
        flush()
        return cases
    }

    static func render(_ v: QueryValue, _ g: GraphView) -> String {
        switch v {
        case .node(let n):
            let props = g.nodeProperties(n).map { "\($0.0): \(render($0.1, g))" }.joined(separator: ", ")
            return "(" + g.labels(of: n).map { ":" + $0 }.joined() + (props.isEmpty ? "" : " {\(props)}") + ")"
        case .relationship(let r):
            let props = g.relationshipProperties(r).map { "\($0.0): \(render($0.1, g))" }.joined(separator: ", ")
            return "[:" + g.relationshipType(r) + (props.isEmpty ? "" : " {\(props)}") + "]"
        case .path(let p):
            var s = "<" + render(.node(p.nodes[0]), g)
            for (i, r) in p.relationships.enumerated() {
                let forward = g.endpoints(r).start == p.nodes[i]
                s += (forward ? "-" : "<-") + render(.relationship(r), g) + (forward ? "->" : "-") + render(.node(p.nodes[i + 1]), g)
            }
            return s + ">"
        case .list(let l): return "[" + l.map { render($0, g) }.joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0): \(render(m[$0]!, g))" }.joined(separator: ", ") + "}"
        default: return Expr.render(v)
        }
    }

    func run(_ c: Case) -> String {
        do {
            var graph = c.setup.isEmpty ? GraphView(QueryCaseTests.fixture()) : GraphView(Graph())
            for s in c.setup { graph = try Query.run(s, on: graph).graph }
            var params: [String: QueryValue] = [:]
            for p in c.params {
                let parts = p.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                params[parts[0]] = try Query.run("RETURN \(parts[1]) AS v", on: PropertyGraph()).rows[0][0]
            }
            let table = try Query.run(c.query, on: graph, parameters: params)
            if let plan = table.plan {
                return plan.map { String(repeating: "  ", count: $0.depth) + $0.name + ($0.detail.isEmpty ? "" : " " + $0.detail) + ($0.rows.map { " rows=\($0)" } ?? "") }.joined(separator: "\n")
            }
            return ([table.columns.joined(separator: " | ")] + table.rows.map { $0.map { QueryCaseTests.render($0, table.graph) }.joined(separator: " | ") }).joined(separator: "\n")
        } catch let e as QueryError {
            return "error: \(e.kind.rawValue) \(e.detail)" + (e.position.map { " at \($0)" } ?? "")
        } catch {
            return "error: \(error)"
        }
    }

    func testQueryCases() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertFalse(files.isEmpty)
        var count = 0
        for f in files {
            for c in QueryCaseTests.parseCases(try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)) {
                count += 1
                let got = run(c)
                XCTAssertEqual(got, c.expect, "\(f):\(c.line) \(c.name)\n--- got:\n\(got)\n--- expected:\n\(c.expect)")
            }
        }
        XCTAssertGreaterThan(count, 10)
    }
}
