import Foundation
import XCTest
@testable import MosaicGraph

/// The facts and indexes a snapshot shows its readers, as sorted lines: what a snapshot
/// changed in place must share with one loaded from the log (in-place changes keep retracted
/// relationships as tombstones and may list index entries in another order, so `GraphDigest`,
/// which sees those, is for snapshots that must be identical).
enum GraphFacts {
    static func lines(_ g: Graph) -> [String] {
        var out: [String] = ["tx \(g.transaction) next \(g.nextStatementID) nodes \(g.liveNodeCount) rels \(g.liveRelationshipCount)"]
        for i in g.nodeIndices {
            let n = g.node(i)
            out.append("N \(n.key) \(n.labels) #\(n.statement) \(n.labelStatements.sorted { $0.key < $1.key })")
            for e in n.entries.sorted(by: { $0.name < $1.name }) { out.append("  \(n.key).\(e.name)=\(e.value.encoded) #\(e.statement)") }
            let stmts = { (l: [Int32]) in l.map { g.relationship($0).statement }.sorted() }
            out.append("  \(n.key) out \(stmts(g.outList(i))) in \(stmts(g.inList(i)))")
            for name in [n.name].compactMap({ $0 }) + n.aliases {
                out.append("  \(n.key) named \(name): \(g.nodes(named: name).map { g.node($0).key }.sorted())")
            }
        }
        for label in g.labels { out.append("L \(label): \(g.nodes(withLabel: label).map { g.node($0).key }.sorted())") }
        for r in g.relationshipIndices {
            let rel = g.relationship(r)
            out.append("R #\(rel.statement) \(g.node(rel.source).key) \(g.typeName(of: r)) \(g.node(rel.target).key) tx \(rel.txFrom) \(g.meta(ofRelationship: r)) \(Value.map(g.properties(ofRelationship: r)).encoded)")
        }
        return out.sorted()
    }

    /// Fails at the first line that differs.
    static func assertEquivalent(_ a: Graph, _ b: Graph, _ step: String, file: StaticString = #filePath, line: UInt = #line) {
        let (fa, fb) = (lines(a), lines(b))
        XCTAssertEqual(fa.count, fb.count, step, file: file, line: line)
        for (x, y) in zip(fa, fb) where x != y { XCTFail("\(step): \(x) ≠ \(y)", file: file, line: line); break }
    }
}
