import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicKB
@testable import MosaicStore

/// The repository's own kb/ (the Russia–Syria bases sample): it loads without errors, holds
/// the facts listed in SampleKB/expected-facts.txt, and survives an export round trip.
final class SampleKBTests: XCTestCase {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = here.deletingLastPathComponent().deletingLastPathComponent()

    func loadSample() throws -> Store {
        let store = try Store.inMemory()
        do { try KBLoader(workspace: SampleKBTests.repository, store: store).load() } catch let e as KBError {
            XCTFail("the sample kb/ does not load:\n\(e)")
            throw e
        }
        return store
    }

    func testTheSampleHoldsTheExpectedFacts() throws {
        let g = try loadSample().graph
        let spec = try String(contentsOf: SampleKBTests.here.appendingPathComponent("SampleKB/expected-facts.txt"), encoding: .utf8)
        var checked = 0
        for (n, raw) in spec.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            checked += 1
            if let problem = SampleKBTests.check(line, in: g) { XCTFail("expected-facts.txt:\(n + 1): \(line)\n  \(problem)") }
        }
        XCTAssertGreaterThan(checked, 50)
    }

    /// Why `line` does not hold in `g`, or nil when it does.
    static func check(_ line: String, in g: Graph) -> String? {
        let words = line.split(separator: " ").map(String.init)
        func node(_ id: String) -> Node? { g.lookup(key: id).map(g.node) }
        switch words[0] {
        case "entity":
            guard let n = node(words[1]) else { return "no entity \(words[1])" }
            let schemaTypes = n.labels
            if !schemaTypes.contains(words[2]) { return "type is \(n.type), labels \(n.labels)" }
            let name = words.dropFirst(3).joined(separator: " ")
            if !name.isEmpty && n.name != name { return "name is \(n.name ?? "nil")" }
        case "label":
            guard let n = node(words[1]) else { return "no entity \(words[1])" }
            if !n.labels.contains(words[2]) { return "labels are \(n.labels)" }
        case "alias":
            let parts = line.dropFirst(6).components(separatedBy: " => ")
            let found = g.nodes(named: parts[0]).map { g.node($0).key }
            if !found.contains(parts[1]) { return "'\(parts[0])' finds \(found)" }
        case "prop":
            guard let n = node(words[1]) else { return "no entity \(words[1])" }
            let want = words.dropFirst(3).joined(separator: " ")
            let have = n.properties[words[2]].map(SampleKBTests.text) ?? "nil"
            if have != want { return "\(words[2]) is \(have)" }
        case "rel":
            guard let s = g.lookup(key: words[1]), let type = g.relationTypeID(words[2]) else { return "no \(words[1]) or no \(words[2]) relations" }
            var options: [String: String] = [:]
            var key = ""
            for w in words.dropFirst(4) {
                if let eq = w.firstIndex(of: "=") { key = String(w[..<eq]); options[key] = String(w[w.index(after: eq)...]) }
                else { options[key, default: ""] += " " + w }
            }
            let matches = g.outgoing(s, type: type).filter { r in
                let rel = g.relationship(r)
                guard g.node(rel.target).key == words[3] else { return false }
                let meta = g.meta(ofRelationship: r)
                for (k, v) in options {
                    switch k {
                    case "from": if meta.validFrom?.description != v { return false }
                    case "to": if meta.validTo?.description != v { return false }
                    case "grade": if meta.grading?.description != v { return false }
                    case "origin": if !KBProvenance.origins(meta.sources).contains(v) { return false }
                    case "count": continue
                    default:
                        guard k.hasPrefix("props.") else { return false }
                        if g.property(String(k.dropFirst(6)), ofRelationship: r).map(SampleKBTests.text) != v { return false }
                    }
                }
                return true
            }
            let want = Int(options["count"] ?? "") ?? -1
            if matches.isEmpty || (want >= 0 && matches.count != want) {
                let all = g.outgoing(s, type: type).map { r in
                    "\(g.node(g.relationship(r).target).key) \(g.meta(ofRelationship: r).validFrom?.description ?? "-")..\(g.meta(ofRelationship: r).validTo?.description ?? "-") \(g.meta(ofRelationship: r).grading?.description ?? "-") \(KBProvenance.origins(g.meta(ofRelationship: r).sources))"
                }
                return "\(matches.count) match(es); \(words[1]) \(words[2]) has: \(all)"
            }
        case "path":
            guard let from = g.lookup(key: words[1]), let to = g.lookup(key: words[2]) else { return "unknown id" }
            let types = ["LOCATED_IN", "PART_OF"].compactMap(g.relationTypeID)
            var seen: Set<Int32> = [from], queue = [from]
            while let n = queue.popLast() {
                if n == to { return nil }
                for t in types { for r in g.outgoing(n, type: t) where seen.insert(g.relationship(r).target).inserted { queue.append(g.relationship(r).target) } }
            }
            return "no LOCATED_IN/PART_OF path"
        default:
            return "unknown check '\(words[0])'"
        }
        return nil
    }

    static func text(_ v: Value) -> String {
        if case .list(let l) = v { return l.map(text).joined(separator: ", ") }
        return v.description
    }

    /// Every fact cites an article, and every `via` names a declared outlet.
    func testEveryFactCitesTheArticleAndItsOutlets() throws {
        let store = try loadSample()
        let g = store.graph
        for s in try store.believedStatements() {
            XCTAssertFalse(s.meta.sources.isEmpty, "\(s.subject) \(s.kind) cites nothing")
            for c in s.meta.sources {
                XCTAssertEqual(g.lookup(key: c.source).map { g.node($0).type }, "Article", "\(s.subject) cites \(c.source)")
                for outlet in KBProvenance.via(c) {
                    XCTAssertNotNil(g.lookup(key: outlet), "\(s.subject) \(s.kind): via \(outlet)")
                }
            }
        }
    }

    func testTheSampleExportsAndLoadsBackUnderItsOwnSchema() throws {
        let store = try loadSample()
        let schema = try String(contentsOf: SampleKBTests.repository.appendingPathComponent("kb/schema.yaml"), encoding: .utf8)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-sample-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let files = try KBExporter(store: store).export(schemaText: schema)
        for f in files {
            let url = out.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.text.write(to: url, atomically: true, encoding: .utf8)
        }
        let copy = try Store.inMemory()
        do { try KBLoader(workspace: out, store: copy).load() } catch let e as KBError { XCTFail("the export does not load:\n\(e)"); return }
        XCTAssertEqual(try KBLoaderTests.facts(store), try KBLoaderTests.facts(copy))
        XCTAssertEqual(KBLoaderTests.shape(store.graph), KBLoaderTests.shape(copy.graph))
        // A second export of the copy is byte for byte the first: the order is stable.
        XCTAssertEqual(try KBExporter(store: copy).export(schemaText: schema).map(\.text), files.map(\.text))
    }
}

/// Editing the sample: one changed fact is one retraction and one assertion; the other files
/// are not read and every other statement keeps its id.
final class SampleKBReloadTests: XCTestCase {
    func testEditingOneFactOfTheSample() throws {
        let ws = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: ws) }
        try FileManager.default.createDirectory(at: ws, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SampleKBTests.repository.appendingPathComponent("kb"), to: ws.appendingPathComponent("kb"))
        let store = try Store.inMemory()
        let loader = KBLoader(workspace: ws, store: store)
        let first = try XCTUnwrap(try loader.load())
        XCTAssertEqual(first.filesRead, 6)
        let before = try store.believedStatements()

        let flights = ws.appendingPathComponent("kb/flights.yaml")
        let text = try String(contentsOf: flights, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "{on: 2025-10-29, note: \"the latest", with: "{on: 2025-10-30, note: \"the latest")
        XCTAssertNotEqual(edited, text)
        try edited.write(to: flights, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: flights.path)

        let second = try XCTUnwrap(try loader.load())
        XCTAssertEqual(second.filesRead, 1)
        XCTAssertEqual(second.asserted, 1)
        XCTAssertEqual(second.retracted, 1)
        let after = try store.believedStatements()
        XCTAssertEqual(Set(before.map(\.id)).subtracting(after.map(\.id)).count, 1)
        XCTAssertEqual(after.count, before.count)
        let cargo = try XCTUnwrap(store.graph.lookup(key: "ru-heavy-cargo-1"))
        let days = store.graph.outgoing(cargo).compactMap { store.graph.relationship($0).validFrom?.description }.sorted()
        XCTAssertEqual(days, ["2025-10-24", "2025-10-24", "2025-10-30"])
        XCTAssertNil(try loader.load(), "nothing changed since")
    }
}
