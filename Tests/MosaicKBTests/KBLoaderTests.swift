import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicKB
@testable import MosaicStore

final class KBLoaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("kb"), withIntermediateDirectories: true)
        let base = KBFixtureTests.fixtures.appendingPathComponent("base/kb")
        for f in try FileManager.default.contentsOfDirectory(atPath: base.path) {
            try FileManager.default.copyItem(at: base.appendingPathComponent(f), to: dir.appendingPathComponent("kb/\(f)"))
        }
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func edit(_ file: String, _ change: (String) -> String) throws {
        let url = dir.appendingPathComponent("kb/\(file)")
        let text = try String(contentsOf: url, encoding: .utf8)
        try change(text).write(to: url, atomically: true, encoding: .utf8)
        // A later modification time, as an editor would leave.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: url.path)
    }

    func testReloadSyncsOnlyWhatChanged() throws {
        let store = try Store.inMemory()
        let loader = KBLoader(workspace: dir, store: store)
        let first = try XCTUnwrap(try loader.load())
        XCTAssertEqual(first.filesRead, 2)
        XCTAssertNil(try loader.load(), "nothing changed: nothing read")
        let before = Set(try store.openStatements(fromFile: "kb/bases.yaml").map(\.id))
        try edit("bases.yaml") { $0.replacingOccurrences(of: "{on: 2025-10-26}", with: "{on: 2025-10-27}") }
        let second = try XCTUnwrap(try loader.load())
        XCTAssertEqual(second.filesRead, 1)
        XCTAssertEqual(second.asserted, 1)
        XCTAssertEqual(second.retracted, 1)
        let after = Set(try store.openStatements(fromFile: "kb/bases.yaml").map(\.id))
        XCTAssertEqual(before.intersection(after).count, before.count - 1, "unchanged facts keep their statements")
        // The old date is still visible as of the first load.
        let old = try store.snapshot(asOf: .transaction(first.transaction))
        let flew = old.relationTypeID("FLEW_TO")!
        XCTAssertEqual(old.relationship(old.relationshipIndices.first { old.relationship($0).type == flew }!).validFrom?.description, "2025-10-26")
        // Removing a file retracts its facts; ids still used elsewhere block the removal.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("kb/sources.yaml"))
        XCTAssertThrowsError(try loader.load()) { e in
            XCTAssertTrue("\(e)".contains("'enab-2025-10-30' is used here but no longer declared anywhere"), "\(e)")
        }
        XCTAssertEqual(store.lastTransaction, second.transaction, "a failed load writes nothing")
    }

    /// `times: N` keeps N statements of one fact: raising N asserts the new copies, lowering
    /// it retracts the extra ones, the others keep their statements.
    func testTimesKeepsThatManyCopiesAcrossReloads() throws {
        let store = try Store.inMemory()
        let loader = KBLoader(workspace: dir, store: store)
        func flights() throws -> [Int64] {
            try store.openStatements(fromFile: "kb/bases.yaml").filter { $0.kind.predicate == "FLEW_TO" }.map(\.id)
        }
        try edit("bases.yaml") { $0.replacingOccurrences(of: "{on: 2025-10-26}", with: "{on: 2025-10-26, times: 2}") }
        try loader.load()
        let two = try flights()
        XCTAssertEqual(two.count, 2)
        try edit("bases.yaml") { $0.replacingOccurrences(of: "times: 2", with: "times: 3") }
        let up = try XCTUnwrap(try loader.load())
        XCTAssertEqual([up.asserted, up.retracted], [1, 0])
        XCTAssertEqual(Array(try flights().prefix(2)), two, "the first two copies keep their statements")
        try edit("bases.yaml") { $0.replacingOccurrences(of: ", times: 3}", with: "}") }
        let down = try XCTUnwrap(try loader.load())
        XCTAssertEqual([down.asserted, down.retracted], [0, 2])
        XCTAssertEqual(try flights(), [two[0]])
        XCTAssertEqual(store.graph.relationshipIndices.filter { store.graph.typeName(of: $0) == "FLEW_TO" }.count, 1)
    }

    func testRemovingAFileRetractsItsFacts() throws {
        let store = try Store.inMemory()
        let loader = KBLoader(workspace: dir, store: store)
        let first = try XCTUnwrap(try loader.load())
        // A file of its own, used by nothing else.
        try """
        defaults: {source: enab-2025-10-30, grade: B2}
        entities:
          - {id: tartus-governorate, type: Governorate, name: Tartus Governorate}
        relations:
          - [tartus-governorate, PART_OF, syria]
        """.write(to: dir.appendingPathComponent("kb/extra.yaml"), atomically: true, encoding: .utf8)
        let added = try XCTUnwrap(try loader.load())
        XCTAssertEqual(added.filesRead, 1)
        XCTAssertEqual(added.kept, 0)
        let extra = try store.openStatements(fromFile: "kb/extra.yaml")
        XCTAssertEqual(extra.count, added.asserted)
        XCTAssertNotNil(store.graph.lookup(key: "tartus-governorate"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("kb/extra.yaml"))
        let removed = try XCTUnwrap(try loader.load())
        XCTAssertEqual(removed.filesRemoved, 1)
        XCTAssertEqual(removed.retracted, extra.count)
        XCTAssertNil(store.graph.lookup(key: "tartus-governorate"))
        XCTAssertTrue(try store.openStatements(fromFile: "kb/extra.yaml").isEmpty)
        // Retracted, not deleted: the statements keep their ids and are closed at the removal.
        for s in extra {
            let now = try XCTUnwrap(try store.statement(s.id))
            XCTAssertEqual(now.txTo, removed.transaction)
        }
        XCTAssertNotNil(try store.snapshot(asOf: .transaction(added.transaction)).lookup(key: "tartus-governorate"))
        XCTAssertEqual(try KBLoaderTests.facts(store).count, try store.believedStatements(asOf: first.transaction).count)
    }

    func testAnOutletNamedInAViaCannotGoAway() throws {
        let store = try Store.inMemory()
        let loader = KBLoader(workspace: dir, store: store)
        try "entities:\n  - {id: bloomberg, type: Organization, name: Bloomberg, source: enab-2025-10-30}\n"
            .write(to: dir.appendingPathComponent("kb/outlets.yaml"), atomically: true, encoding: .utf8)
        try edit("bases.yaml") { $0.replacingOccurrences(of: "{on: 2025-10-26}", with: "{on: 2025-10-26, via: bloomberg}") }
        let loaded = try XCTUnwrap(try loader.load())
        let flew = try XCTUnwrap(store.graph.relationTypeID("FLEW_TO"))
        let r = try XCTUnwrap(store.graph.relationshipIndices.first { store.graph.relationship($0).type == flew })
        XCTAssertEqual(KBProvenance.origins(store.graph.sources(ofRelationship: r)), ["bloomberg"])
        try FileManager.default.removeItem(at: dir.appendingPathComponent("kb/outlets.yaml"))
        XCTAssertThrowsError(try loader.load()) { e in
            XCTAssertTrue("\(e)".contains("'via' names 'bloomberg', which is no longer declared anywhere"), "\(e)")
        }
        XCTAssertEqual(store.lastTransaction, loaded.transaction)
    }

    func testAnIdMadeOutsideKbCannotBeDeclaredAgain() throws {
        let store = try Store.inMemory()
        try store.write(origin: .console(session: "t")) { tx in
            _ = try tx.assert(StatementDraft(subject: "latakia", kind: .entity(type: "Governorate"), meta: StatementMeta(origin: .console(session: "t"))))
        }
        XCTAssertThrowsError(try KBLoader(workspace: dir, store: store).load()) { e in
            XCTAssertTrue("\(e)".contains("kb/bases.yaml:12:10: error: duplicate id 'latakia': already in the store (made by console:t)"), "\(e)")
        }
    }

    /// A file's `via` goes with its default source: a fact naming its own source starts afresh;
    /// an entity's `via` reaches its properties.
    func testViaIsInheritedWithItsSource() throws {
        try """
        defaults: {source: enab-2025-10-30, via: outlet-a, grade: B2}
        entities:
          - {id: outlet-a, type: Organization, name: Outlet A, source: enab-2025-10-30}
          - {id: outlet-b, type: Organization, name: Outlet B}
          - {id: tartus-governorate, type: Governorate, name: Tartus Governorate, via: [outlet-a, outlet-b]}
        relations:
          - [tartus-governorate, PART_OF, syria]
          - [tartus-governorate, LOCATED_IN, syria, {source: enab-2025-10-30}]
          - [latakia, LOCATED_IN, syria, {via: outlet-b, note: own chain}]
        """.write(to: dir.appendingPathComponent("kb/outlets.yaml"), atomically: true, encoding: .utf8)
        let store = try Store.inMemory()
        try KBLoader(workspace: dir, store: store).load()
        var chains: [String: [String]] = [:]
        for s in try store.openStatements(fromFile: "kb/outlets.yaml") {
            chains["\(s.subject) \(s.kind.predicate)"] = s.meta.sources.flatMap(KBProvenance.via)
        }
        XCTAssertEqual(chains["outlet-a Organization"], [])
        XCTAssertEqual(chains["outlet-b Organization"], ["outlet-a"])
        XCTAssertEqual(chains["tartus-governorate Governorate"], ["outlet-a", "outlet-b"])
        XCTAssertEqual(chains["tartus-governorate name"], ["outlet-a", "outlet-b"])
        XCTAssertEqual(chains["tartus-governorate PART_OF"], ["outlet-a"])
        XCTAssertEqual(chains["tartus-governorate LOCATED_IN"], [])
        XCTAssertEqual(chains["latakia LOCATED_IN"], ["outlet-b"])
        let own = try store.openStatements(fromFile: "kb/outlets.yaml").first { $0.subject == "latakia" }
        XCTAssertEqual(own?.meta.sources.first?.note, "[via outlet-b] own chain")
    }

    func testExportLoadsBackIntoTheSameGraph() throws {
        let store = try Store.inMemory()
        try KBLoader(workspace: dir, store: store).load()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        for f in try KBExporter(store: store).export() {
            let url = out.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.text.write(to: url, atomically: true, encoding: .utf8)
        }
        let copy = try Store.inMemory()
        try KBLoader(workspace: out, store: copy).load()
        XCTAssertEqual(try KBLoaderTests.facts(store), try KBLoaderTests.facts(copy))
        XCTAssertEqual(KBLoaderTests.shape(store.graph), KBLoaderTests.shape(copy.graph))
    }

    /// Every believed statement, without ids or origins, as sorted text.
    static func facts(_ store: Store) throws -> [String] {
        try store.believedStatements().map { s in
            let m = s.meta
            let what: String
            switch s.kind {
            case .entity(let t): what = "entity \(t)"
            case .label(let l): what = "label \(l)"
            case .property(let n, let v): what = "\(n) = \(v.encoded)"
            case .relation(let t, let o, let p): what = "\(t) \(o) \(Value.map(p).encoded)"
            case .relationProperty(let n, let v): what = "#\(n) = \(v.encoded)"
            }
            return "\(s.subject) \(what) \(m.validFrom?.description ?? "-") \(m.validTo?.description ?? "-") \(m.sources) \(m.grading?.description ?? "-") \(m.confidence ?? -1)"
        }.sorted()
    }

    /// The graph as sorted text: nodes with labels and properties, relationships with their
    /// properties and statement metadata (origins aside: they name the files).
    static func shape(_ g: Graph) -> [String] {
        var out = g.nodeIndices.map { i -> String in
            let n = g.node(i)
            return "node \(n.key) \(n.labels) \(Value.map(n.properties).encoded)"
        }
        for r in g.relationshipIndices {
            let rel = g.relationship(r)
            let m = g.meta(ofRelationship: r)
            out.append("rel \(g.node(rel.source).key) \(g.typeName(of: r)) \(g.node(rel.target).key) \(Value.map(g.properties(ofRelationship: r)).encoded) \(m.validFrom?.description ?? "-") \(m.validTo?.description ?? "-") \(m.sources) \(m.grading?.description ?? "-") \(m.confidence ?? -1)")
        }
        return out.sorted()
    }
}
