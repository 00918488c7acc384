import Foundation
import XCTest
@testable import MosaicGraph
@testable import MosaicStore

/// The snapshot in sections (graph format 4 on; 5 adds each adjacency entry's far end): each
/// section carries its checksum and the nodes decode on a second thread. A round trip gives
/// the graph back whichever way it is decoded, a damaged section is refused (the store then
/// loads from the log and writes the file again), and a file of the previous format is
/// replaced the same way.
final class SnapshotSectionsTests: StoreDirectoryTestCase {
    /// A graph over several chunks with something of every kind: types and extra labels,
    /// nodes without a type, deleted nodes and relationships, names and aliases, relation
    /// properties, several source sets and origins, a fact with two claims and a denial.
    func sample(nodes: Int = 9_000, relations: Int = 20_000) -> Graph {
        var g = Graph()
        let types = ["Base", "Country", "Person", ""]
        for i in 0..<nodes {
            let n = g.loadNode(key: "n\(i)", type: types[i % 4], statement: Int64(i + 1))
            if i % 5 == 0 { g.loadProperty(n, "name", .string("Node number \(i) of the sample"), statement: Int64(i + 1)) }
            if i % 11 == 0 { g.loadProperty(n, "aliases", .list([.string("N\(i)"), .string("alias \(i % 7)")]), statement: Int64(i + 1)) }
            if i % 13 == 0 { g.loadProperty(n, "at", .geo(GeoPoint(latitude: 1, longitude: Double(i))), statement: Int64(i + 1)) }
            if i % 17 == 0 { g.loadLabel(n, "Airfield", statement: Int64(i + 1)) }
        }
        var next = Int64(nodes + 1)
        for j in 0..<relations {
            let a = Int32((j * 7) % nodes), b = Int32((j * 13 + 1) % nodes)
            let meta = StatementMeta(validFrom: PartialDate(year: 2000 + j % 20, month: j % 12 + 1),
                                     sources: [Citation(source: "a\(j % 97)", note: j % 3 == 0 ? "note \(j % 5)" : nil)],
                                     grading: j % 2 == 0 ? Grading("B2") : nil, confidence: j % 4 == 0 ? 0.5 : nil,
                                     origin: j % 9 == 0 ? .file(path: "kb/x.yaml", line: j % 50) : .system("t"))
            g.loadRelationship(from: a, to: b, type: ["FLEW_TO", "PART_OF", "MENTIONS"][j % 3],
                               properties: j % 10 == 0 ? ["since": .int(Int64(j))] : [:], meta: meta, statement: next, transaction: 1)
            next += 1
        }
        g.transaction = 1
        g.deleteRelationship(5)
        g.deleteNode(Int32(nodes - 1), detach: true)
        return g
    }

    /// Everything readers see (`GraphDigest`), plus the indexes the digest does not walk.
    func assertSame(_ a: Graph, _ b: Graph, _ step: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(GraphDigest.lines(a), GraphDigest.lines(b), step, file: file, line: line)
        XCTAssertEqual(a.nextStatementID, b.nextStatementID, step, file: file, line: line)
        XCTAssertEqual(a.idPropertyCount, b.idPropertyCount, step, file: file, line: line)
        XCTAssertEqual(a.labels, b.labels, step, file: file, line: line)
        for label in a.labels { XCTAssertEqual(a.nodes(withLabel: label), b.nodes(withLabel: label), label, file: file, line: line) }
        for t in a.relationTypes { XCTAssertEqual(a.relationshipCount(ofType: t), b.relationshipCount(ofType: t), t, file: file, line: line) }
        for i in a.nodes.indices {
            let n = a.nodes[i]
            XCTAssertEqual(a.lookup(key: n.key), b.lookup(key: n.key), n.key, file: file, line: line)
            if let name = n.name { XCTAssertEqual(a.nodes(named: name), b.nodes(named: name), name, file: file, line: line) }
        }
    }

    /// The checksum of bytes given in pieces equals the one over them whole, however they are cut.
    func testChecksumOfPiecesIsTheChecksumOfTheWhole() {
        var rng = SystemRandomNumberGenerator()
        for length in [0, 1, 31, 32, 33, 64, 100, 1_000, 4_099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let whole = bytes.withUnsafeBytes { CheckpointLayout.checksum($0) }
            for _ in 0..<20 {
                var cuts = (0..<Int.random(in: 0...6, using: &rng)).map { _ in Int.random(in: 0...length, using: &rng) }.sorted()
                cuts = [0] + cuts + [length]
                var sum = CheckpointLayout.Checksum()
                for (a, b) in zip(cuts, cuts.dropFirst()) { bytes[a..<b].withUnsafeBytes { sum.add($0) } }
                XCTAssertEqual(sum.value, whole, "\(length) bytes cut at \(cuts)")
                XCTAssertEqual(sum.count, length)
            }
        }
    }

    func testRelationshipsAreReadInPlaceAndAWriteCopiesOnlyItsChunk() throws {
        let g = sample()
        let bytes = g.checkpointBytes()
        // The bytes at an aligned address, as a mapped file gives them, kept by a keeper that
        // says when it is let go.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 64)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        final class Released: @unchecked Sendable { var done = false }
        let released = Released()
        var back: Graph? = try XCTUnwrap(Graph(checkpoint: UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count]),
                                              keeper: ReadOnlyBytes(UnsafeRawBufferPointer(memory)) { _ in released.done = true }))
        XCTAssertTrue(back!.relationships.isReadOnly(0) && back!.relationshipTypeCodes.isReadOnly(19_999))
        assertSame(back!, g, "in place")
        XCTAssertEqual(back!.relationshipCount(ofType: "FLEW_TO"), g.relationshipCount(ofType: "FLEW_TO"))
        // A writer's copy: its writes go to copies of the chunks they touch; the reader's
        // graph and the bytes stay as they were.
        var writer = back!, expected = g
        for step in [{ (x: inout Graph) in x.deleteRelationship(9_000) },
                     { (x: inout Graph) in _ = x.addRelationship(from: 1, to: 2, type: "FLEW_TO") },
                     { (x: inout Graph) in x.setRelationshipProperty(19_998, "since", .int(7)) }] {
            step(&writer); step(&expected)
        }
        assertSame(writer, expected, "writes over the bytes")
        XCTAssertFalse(writer.relationships.isReadOnly(9_000))
        XCTAssertTrue(writer.relationships.isReadOnly(0), "a chunk no write touched is still read in place")
        XCTAssertFalse(writer.outAdjacency.isFlat(1))
        XCTAssertTrue(back!.outAdjacency.isFlat(1) && writer.outAdjacency.isFlat(3), "lists no write touched are read in place")
        // Many more writes, each list changed in the writer's copy and read in the reader's.
        var rng = SystemRandomNumberGenerator()
        for k in 0..<2_000 {
            let a = Int32.random(in: 0..<8_999, using: &rng), b = Int32.random(in: 0..<8_999, using: &rng)
            if k % 3 == 0 {
                let r = Int32.random(in: 0..<20_000, using: &rng)
                if expected.relationship(r).alive { writer.deleteRelationship(r); expected.deleteRelationship(r) }
            } else {
                let t = ["FLEW_TO", "PART_OF", "MENTIONS", "NEW"][k % 4]
                _ = writer.addRelationship(from: a, to: b, type: t); _ = expected.addRelationship(from: a, to: b, type: t)
            }
        }
        assertSame(writer, expected, "many writes over the bytes")
        for n in stride(from: Int32(0), to: 8_999, by: 97) {
            XCTAssertEqual(writer.outList(n), expected.outList(n))
            XCTAssertEqual(writer.inList(n), expected.inList(n))
        }
        assertSame(back!, g, "the reader's graph after the writes")
        XCTAssertTrue(bytes.withUnsafeBytes { $0.elementsEqual(UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count])) })
        // The bytes are let go with the last graph reading them.
        back = nil
        XCTAssertFalse(released.done)
        writer = Graph()
        XCTAssertTrue(released.done)
        // Not aligned (one byte on), and with no keeper: the graph reads a copy of its own,
        // the same graph, which does not change when the bytes given do.
        UnsafeMutableRawBufferPointer(rebasing: memory[1...]).copyMemory(from: UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count]))
        let shifted = UnsafeRawBufferPointer(rebasing: memory[1...])
        let copied = try XCTUnwrap(Graph(checkpoint: shifted, keeper: ReadOnlyBytes(UnsafeRawBufferPointer(memory)) { _ in }))
        let unkept = try XCTUnwrap(Graph(checkpoint: shifted))
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        assertSame(copied, g, "not aligned")
        assertSame(unkept, g, "no keeper")
        memory.deallocate()
    }

    func testSectionsRoundTripSeriallyAndInParallel() throws {
        let g = sample()
        let bytes = g.checkpointBytes()
        XCTAssertEqual(g.checkpointParts().flatMap { $0 }, bytes)
        // The table covers the bytes: five sections one after another after the head, each
        // at a multiple of 64.
        let layout = try XCTUnwrap(bytes.withUnsafeBytes { CheckpointLayout.read($0) })
        XCTAssertEqual(layout.entries.count, CheckpointLayout.Section.allCases.count)
        XCTAssertEqual(layout.entries.first?.offset, CheckpointLayout.aligned(CheckpointLayout.headSize))
        XCTAssertTrue(layout.entries.allSatisfy { $0.offset % 64 == 0 })
        XCTAssertEqual(layout.entries.last.map { $0.offset + $0.length }, bytes.count)
        // Written in small pieces as each section is encoded (the head last, at offset 0): the same bytes.
        for pieceSize in [1, 1_000, 1 << 20] {
            var written = [UInt8](repeating: 0xAA, count: bytes.count)
            var pieces = 0
            try g.writeCheckpoint(pieceSize: pieceSize) { offset, piece in
                XCTAssertLessThanOrEqual(offset + piece.count, written.count)
                written.replaceSubrange(offset..<offset + piece.count, with: piece)
                pieces += 1
            }
            XCTAssertEqual(written, bytes, "pieces of \(pieceSize) bytes")
            XCTAssertGreaterThan(pieces, pieceSize == 1 ? 1_000 : 5)
        }
        let parallel = try XCTUnwrap(bytes.withUnsafeBytes { Graph(checkpoint: $0, parallel: true) })
        let serial = try XCTUnwrap(bytes.withUnsafeBytes { Graph(checkpoint: $0, parallel: false) })
        assertSame(parallel, g, "parallel decode")
        assertSame(serial, g, "serial decode")
        assertSame(parallel, serial, "parallel and serial")
        // The phases are reported (once each), with their thread.
        var phases: [String] = []
        _ = bytes.withUnsafeBytes { Graph(checkpoint: $0, phase: { name, _ in phases.append(name) }) }
        XCTAssertTrue(phases.contains("checksum nodes and rest [thread 1]"), "\(phases)")
        XCTAssertFalse(phases.contains { $0.hasPrefix("nodes") }, "the nodes are decoded when first read: \(phases)")
        XCTAssertTrue(phases.contains("adjacency (in place) [thread 2]"), "\(phases)")
        // Nodes in several blocks, which both threads take: the same graph.
        let big = sample(nodes: 3 * Graph.nodeBlockSize + 5, relations: 5_000)
        let bigBytes = big.checkpointBytes()
        let bigLayout = try XCTUnwrap(bigBytes.withUnsafeBytes { CheckpointLayout.read($0) })
        XCTAssertEqual(bigBytes.withUnsafeBytes { Graph.nodeBlocks(bigLayout.bytes(.nodes, of: $0), nodeCount: big.nodes.count)?.count }, 4)
        assertSame(try XCTUnwrap(bigBytes.withUnsafeBytes { Graph(checkpoint: $0, parallel: true) }), big, "blocks in parallel")
        assertSame(try XCTUnwrap(bigBytes.withUnsafeBytes { Graph(checkpoint: $0, parallel: false) }), big, "blocks serially")
        // An empty graph too.
        let empty = try XCTUnwrap(Graph().checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        assertSame(empty, Graph(), "empty graph")
    }

    /// A graph read from a snapshot decodes its nodes a block at a time, when first read: the
    /// open and the counts by type decode none; a read decodes its block (and starts the
    /// others on a second thread); readers on several threads at once read the same nodes; the
    /// first change makes the nodes the writer's own and leaves the reader's copy as it was.
    func testNodesAreDecodedABlockAtATimeWhenFirstRead() throws {
        let g = sample(nodes: 5 * Graph.nodeBlockSize + 77, relations: 3_000)
        let bytes = g.checkpointBytes()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        let keeper = ReadOnlyBytes(UnsafeRawBufferPointer(memory)) { $0.deallocate() }
        func open() throws -> Graph { try XCTUnwrap(Graph(checkpoint: keeper.bytes, keeper: keeper)) }

        let counted = try open()
        let blocks = try XCTUnwrap(counted.nodes.snapshotBlocks)
        XCTAssertEqual(blocks.blockCount, 6)
        XCTAssertEqual(counted.nodeCountsByType(), g.nodeCountsByType())
        XCTAssertEqual(counted.liveNodeCount, g.liveNodeCount)
        XCTAssertEqual(blocks.decodedBlocks, 0, "counts by type and live counts decode no node")
        XCTAssertEqual(counted.key(ofNode: 3 * Int32(Graph.nodeBlockSize) + 5), g.key(ofNode: 3 * Int32(Graph.nodeBlockSize) + 5))
        XCTAssertGreaterThanOrEqual(blocks.decodedBlocks, 1)

        // Eight readers at once on a graph nothing has read yet, each from another place.
        let shared = try open()
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            var i = (t * 7_919) % g.nodes.count
            for _ in 0..<3_000 {
                if shared.nodes[i].key != g.nodes[i].key || shared.property("name", ofNode: Int32(i)) != g.property("name", ofNode: Int32(i))
                    || shared.nodes[i].labels != g.nodes[i].labels { mismatches.add() }
                i = (i + 97) % g.nodes.count
            }
        }
        XCTAssertEqual(mismatches.count, 0)
        assertSame(shared, g, "read on eight threads")
        XCTAssertEqual(shared.nodes.snapshotBlocks?.decodedBlocks, 6)

        // A writer's change owns the nodes; the reader's graph keeps reading the blocks.
        let reader = try open()
        var writer = reader, expected = g
        for step in [{ (x: inout Graph) in x.setProperty(10, "name", .string("renamed")) },
                     { (x: inout Graph) in _ = x.deleteNode(Int32(Graph.nodeBlockSize) + 1) },
                     { (x: inout Graph) in _ = x.loadNode(key: "new", type: "Base", statement: 999_999) }] {
            step(&writer); step(&expected)
        }
        XCTAssertNil(writer.nodes.snapshotBlocks)
        XCTAssertNotNil(reader.nodes.snapshotBlocks)
        XCTAssertEqual(writer.nodeCountsByType(), expected.nodeCountsByType(), "counted again once changed")
        assertSame(writer, expected, "the writer's nodes")
        assertSame(reader, g, "the reader's nodes after the writes")
    }

    final class Mismatches: @unchecked Sendable {
        // @unchecked Sendable: `n` is only changed under `lock`.
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    /// The source sets' index is built by the first write that needs it: a write after the
    /// decode reuses the sets the file holds and adds new ones after them.
    func testWritesAfterADecodeInternSourcesAsBefore() throws {
        var g = sample(nodes: 100, relations: 300)
        var back = try XCTUnwrap(g.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        let known = StatementMeta(sources: [Citation(source: "a3", note: "note 3")], origin: .system("t"))
        let fresh = StatementMeta(sources: [Citation(source: "new")], origin: .system("t"))
        for meta in [known, fresh, known] {
            let r1 = g.addRelationship(from: 0, to: 1, type: "FLEW_TO", meta: meta)
            let r2 = back.addRelationship(from: 0, to: 1, type: "FLEW_TO", meta: meta)
            XCTAssertEqual(g.relationship(r1).sourcesRef, back.relationship(r2).sourcesRef)
        }
        XCTAssertEqual(g.sourceSets, back.sourceSets)
        assertSame(back, g, "after writes")
    }

    /// The key and name indexes of a decoded graph are built on first use, once for all its
    /// copies and threads, and taken over by the first change; a view and a second checkpoint
    /// of a graph that has not built them yet see the same indexes.
    func testKeyAndNameIndexesAreBuiltOnFirstUse() throws {
        var g = sample(nodes: 3_000, relations: 4_000)
        let back = try XCTUnwrap(g.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertNotNil(back.deferredIndexes)
        XCTAssertTrue(back.keyIndex.isEmpty)
        // A second checkpoint before any use, and a view.
        let again = try XCTUnwrap(back.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        assertSame(again, g, "checkpoint of a graph with deferred indexes")
        assertSame(back.viewed(ClockView(validAt: PartialDate("2010")!)), g.viewed(ClockView(validAt: PartialDate("2010")!)), "view")
        // Lookups read the snapshot's table of keys (the index is not built for them), and
        // answer as the index does: every live key, a deleted one, a missing one, a key whose
        // node was deleted and made again; the name index builds both.
        var reused = g
        reused.deleteNode(reused.lookup(key: "n7")!, detach: true)
        reused.addNode(key: "n7", labels: ["Base"], properties: [:])
        let scanned = try XCTUnwrap(reused.checkpointBytes().withUnsafeBytes { Graph(checkpoint: $0) })
        for k in reused.nodes.map(\.key) + ["n2999", "missing", ""] {  // (n2999 is deleted)
            XCTAssertEqual(scanned.lookup(key: k), reused.lookup(key: k), k)
        }
        XCTAssertEqual(scanned.lookup(key: "n7"), Int32(reused.nodes.count - 1))
        XCTAssertTrue(scanned.deferredIndexes!.isUnbuilt, "lookups by key build no index")
        XCTAssertEqual(scanned.nodes(named: "Node number 10 of the sample"), [10])
        XCTAssertFalse(scanned.deferredIndexes!.isUnbuilt, "a lookup by name builds them")
        XCTAssertEqual(scanned.lookup(key: "n5"), reused.lookup(key: "n5"))
        // Readers on several threads at once.
        let keys = g.nodes.map(\.key)
        let expected = keys.map { g.lookup(key: $0) }
        let copy = back
        let agree = Agreement()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var ok = true
            for (i, k) in keys.enumerated() where i % 4 == t { ok = ok && copy.lookup(key: k) == expected[i] }
            ok = ok && copy.nodes(named: "Node number 10 of the sample") == [10]
            agree.record(ok)
        }
        XCTAssertEqual(agree.results, [true, true, true, true])
        // Changes after the decode: the same as on the original graph.
        func change(_ graph: inout Graph) {
            graph.addNode(key: "fresh", labels: ["Base"], properties: ["name": .string("Fresh Base")])
            graph.deleteNode(graph.lookup(key: "n10")!, detach: true)
            graph.setProperty(graph.lookup(key: "n20")!, "name", .string("Renamed Twenty"))
        }
        var changed = back
        change(&changed)
        change(&g)
        XCTAssertNil(changed.deferredIndexes)
        assertSame(changed, g, "after changes")
        for name in ["Fresh Base", "Renamed Twenty", "Node number 10 of the sample", "Node number 20 of the sample", "alias 3"] {
            XCTAssertEqual(changed.nodes(named: name), g.nodes(named: name), name)
        }
        XCTAssertNil(changed.lookup(key: "n10"))
        XCTAssertNotNil(back.lookup(key: "n10"), "the decoded graph itself is unchanged")
    }

    /// Results of threads, under a lock.
    // @unchecked Sendable: `results` only under `lock`.
    final class Agreement: @unchecked Sendable {
        let lock = NSLock()
        var results: [Bool] = []
        func record(_ ok: Bool) { lock.lock(); results.append(ok); lock.unlock() }
    }

    func testADamagedOrTruncatedSectionIsRefused() throws {
        let g = sample(nodes: 2_000, relations: 5_000)
        let bytes = g.checkpointBytes()
        let layout = try XCTUnwrap(bytes.withUnsafeBytes { CheckpointLayout.read($0) })
        for section in CheckpointLayout.Section.allCases {
            let e = layout.entries[section.rawValue]
            for at in [e.offset, e.offset + e.length / 2, e.offset + e.length - 1] {
                var damaged = bytes
                damaged[at] ^= 0x20
                for parallel in [true, false] {
                    XCTAssertNil(damaged.withUnsafeBytes { Graph(checkpoint: $0, parallel: parallel) },
                                 "\(section) byte \(at - e.offset) of \(e.length), parallel \(parallel)")
                }
            }
        }
        // A table entry that does not match its section, and a file cut short or extended.
        var table = bytes
        table[CheckpointLayout.prefixSize + 8] ^= 0x01  // the head section's length
        XCTAssertNil(table.withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertNil(Array(bytes.dropLast(1)).withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertNil((bytes + [0]).withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertNil(Array(bytes.prefix(CheckpointLayout.headSize)).withUnsafeBytes { Graph(checkpoint: $0) })
    }

    /// A store whose file has a damaged section loads from the log and writes a good file.
    func testAStoreWithADamagedSectionLoadsFromTheLog() throws {
        do {
            let store = try Store.open(path: path)
            try store.write(origin: .system("t")) { tx in
                for i in 0..<50 {
                    try tx.assert(StatementDraft(subject: "e\(i)", kind: .entity(type: i % 2 == 0 ? "Base" : "Country"), meta: StatementMeta(origin: .system("t"))))
                    try tx.assert(StatementDraft(subject: "e\(i)", kind: .property(name: "name", value: .string("Entity \(i)")), meta: StatementMeta(origin: .system("t"))))
                    if i > 0 {
                        try tx.assert(StatementDraft(subject: "e\(i)", kind: .relation(type: "NEAR", target: "e\(i - 1)", properties: [:]),
                                                     meta: StatementMeta(sources: [Citation(source: "s\(i % 4)")], origin: .system("t"))))
                    }
                }
            }
            try store.refresh()  // a rebuild writes the file
        }
        let file = path + "-snapshot"
        let good = try Data(contentsOf: URL(fileURLWithPath: file))
        let layout = try XCTUnwrap(good.withUnsafeBytes {
            CheckpointLayout.read(UnsafeRawBufferPointer(rebasing: $0[SnapshotFile.headerSize...]))
        })
        for section in [CheckpointLayout.Section.nodes, .relations, .rest] {
            let e = layout.entries[section.rawValue]
            var damaged = good
            damaged[SnapshotFile.headerSize + e.offset + e.length / 2] ^= 0x5A
            try damaged.write(to: URL(fileURLWithPath: file))
            let store = try Store.open(path: path)
            XCTAssertEqual(store.graph.liveNodeCount, 50, "\(section)")
            XCTAssertEqual(GraphDigest.lines(store.graph), GraphDigest.lines(try store.snapshot(asOf: .transaction(store.lastTransaction))),
                           "\(section): loaded from the log")
            // The open wrote the file again, and it reads.
            let reread = try store.writer.read { db in SnapshotFile(store: self.path).read(db)?.graph }
            XCTAssertEqual(reread.map { GraphDigest.of($0) }, GraphDigest.of(store.graph), "\(section): rewritten")
        }
    }

    /// A file of the previous format (its magic and a body of graph format 3) is not read:
    /// the store loads from the log and replaces it.
    func testAFileOfThePreviousFormatIsReplaced() throws {
        do {
            let store = try Store.open(path: path)
            try store.write(origin: .system("t")) { tx in
                try tx.assert(StatementDraft(subject: "solo", kind: .entity(type: "Base"), meta: StatementMeta(origin: .system("t"))))
            }
            try store.refresh()
        }
        let file = path + "-snapshot"
        var old = try Data(contentsOf: URL(fileURLWithPath: file))
        old.replaceSubrange(0..<SnapshotFile.magic.count, with: Array("MOSAIC-SNAPSHOT-1".utf8))
        try old.write(to: URL(fileURLWithPath: file))
        let store = try Store.open(path: path)
        XCTAssertNotNil(store.graph.lookup(key: "solo"))
        let now = try Data(contentsOf: URL(fileURLWithPath: file))
        XCTAssertEqual(Array(now.prefix(SnapshotFile.magic.count)), SnapshotFile.magic, "rewritten in the current format")
    }
}
