import Foundation
import XCTest
import MosaicGraph
@testable import MosaicStore

/// Snapshot installation is compare-and-set: writers refresh after their commits in either
/// order, and the store's graph is always the newest one (issue 16).
final class StoreWritersTests: XCTestCase {
    static func entity(_ id: String) -> StatementDraft {
        StatementDraft(subject: id, kind: .entity(type: "Thing"), meta: StatementMeta(origin: .system("writer")))
    }

    /// An older graph offered after a newer one is refused.
    func testAnOlderSnapshotIsNotInstalledOverANewerOne() throws {
        let store = try Store.inMemory()
        try store.write(origin: .system("t")) { tx in try tx.assert(Self.entity("a")) }
        try store.write(origin: .system("t")) { tx in try tx.assert(Self.entity("b")) }
        var old = store.graph
        old.transaction = 1
        XCTAssertFalse(store.install(old))
        XCTAssertEqual(store.graph.transaction, 2)
        XCTAssertNotNil(store.graph.lookup(key: "b"))
        var same = store.graph
        same.transaction = 2
        XCTAssertTrue(store.install(same), "the same transaction may be installed again (a rebuild)")
    }

    /// Two threads writing to one store at once: every write lands, and the graph at the end
    /// is the log's last transaction with everything in it.
    func testTwoOverlappingWriters() throws {
        let store = try Store.inMemory()
        let perWriter = 60
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            for i in 0..<perWriter {
                do {
                    try store.write(origin: .system("writer\(w)")) { tx in try tx.assert(StoreWritersTests.entity("w\(w)-\(i)")) }
                } catch { XCTFail("writer \(w): \(error)") }
            }
        }
        let g = store.graph
        XCTAssertEqual(g.transaction, store.lastTransaction)
        XCTAssertEqual(g.transaction, Int64(2 * perWriter))
        for w in 0..<2 { for i in 0..<perWriter { XCTAssertNotNil(g.lookup(key: "w\(w)-\(i)"), "w\(w)-\(i)") } }
    }
}
