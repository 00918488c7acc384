import Foundation

/// A graph snapshot as bytes, so that a store opens by reading one file instead of stepping
/// every statement row (see `MosaicStore`'s checkpoint). The format is private to one build
/// of Mosaic: its header holds a format version and the layout of the packed relationship,
/// and a reader refuses anything else (the store then loads from the log as before).
///
/// The bytes are sections (`CheckpointLayout`: a table of offsets, lengths and checksums
/// after the header): the head (counters, type names), the nodes, the relationships with the
/// adjacency lists, the label and name indexes, the rest (relation properties, sources,
/// origins, facts) and the keys. Two threads check and decode them, each its own sections.
/// Relationships, their type codes, the adjacency lists (offsets and one array of pairs) and
/// the table of keys are plain values written as blocks, which a reader given the bytes of a
/// mapped file uses where they lie (`ChunkedArray`, `AdjacencyLists`, `KeyTable`); nodes,
/// strings and values are written field by field, the nodes in blocks decoded when first read
/// (`NodeBlocks`); the hash indexes are rebuilt on reading, the key and name indexes only when
/// first needed (DeferredIndexes.swift).
extension Graph {
    static let checkpointMagic: [UInt8] = Array("MOSAIC-GRAPH".utf8)
    /// 3: adjacency lists kept by relation type; 4: sections with their own checksums; 5: each
    /// adjacency entry with the node at its other end (pairs); 6: sections aligned, the type
    /// codes and the live count of each type after the relationships, the adjacency lists as
    /// offsets and one array of pairs (all read in place); 7: the nodes in blocks, with a table
    /// of where each block starts; 8: blocks of 4,096 nodes, decoded on first use
    /// (`NodeBlocks`), the count of nodes with an `id` property and the live nodes by type in
    /// the head, a section of the keys as a hash table (`KeyTable`).
    static let checkpointVersion: UInt32 = 8

    /// The snapshot as bytes.
    public func checkpointBytes() -> [UInt8] {
        let parts = checkpointParts()
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { out.append(contentsOf: p) }
        return out
    }

    /// The snapshot as consecutive pieces (the header with the section table, then each
    /// section, each piece but the last followed by the zeros up to the next section's start),
    /// for a writer that writes them out one after another without joining them.
    public func checkpointParts() -> [[UInt8]] {
        let sections = CheckpointLayout.Section.allCases.map { encodeSection($0, reserving: .max) { _ in } }
        let layout = CheckpointLayout(sections: sections.map { s in
            s.withUnsafeBytes { ($0.count, CheckpointLayout.checksum($0)) }
        })
        var parts = [Graph.checkpointHead(layout)] + sections
        var end = 0
        for i in parts.indices {
            end += parts[i].count
            if i + 1 < parts.count {
                let next = layout.entries[i].offset
                parts[i] += repeatElement(0, count: next - end)
                end = next
            }
        }
        return parts
    }

    /// Bytes a section's encoder holds before handing them on (`writeCheckpoint`).
    public static let checkpointPieceSize = 4 << 20

    /// Writes the snapshot, the same bytes as `checkpointBytes()`, in pieces of a few
    /// megabytes as each section is encoded: `write(offset, bytes)` puts `bytes` at `offset`
    /// of the snapshot. The sections come first, in order, from just after the head; the
    /// head (with the section table, which needs every section's length and checksum) comes
    /// last, at offset 0. The whole snapshot is never held in memory. (`pieceSize`: the bytes
    /// held before they are handed on; tests make it small.)
    public func writeCheckpoint(pieceSize: Int = Graph.checkpointPieceSize,
                                _ write: (_ offset: Int, _ bytes: UnsafeRawBufferPointer) throws -> Void) throws {
        var at = CheckpointLayout.headSize
        var table: [(length: Int, checksum: UInt64)] = []
        for s in CheckpointLayout.Section.allCases {
            let start = CheckpointLayout.aligned(at)
            if start > at { try [UInt8](repeating: 0, count: start - at).withUnsafeBytes { try write(at, $0) } }
            at = start
            var sum = CheckpointLayout.Checksum()
            func emit(_ bytes: [UInt8]) throws {
                try bytes.withUnsafeBytes { raw in
                    sum.add(raw)
                    try write(at, raw)
                }
                at += bytes.count
            }
            let rest = try encodeSection(s, reserving: pieceSize + (64 << 10)) { w in
                guard w.bytes.count >= pieceSize else { return }
                try emit(w.bytes)
                w.bytes.removeAll(keepingCapacity: true)
            }
            try emit(rest)
            table.append((sum.count, sum.value))
        }
        try Graph.checkpointHead(CheckpointLayout(sections: table)).withUnsafeBytes { try write(0, $0) }
    }

    /// The head of a snapshot: magic, version, relationship stride, section count and table.
    private static func checkpointHead(_ layout: CheckpointLayout) -> [UInt8] {
        var w = CheckpointWriter()
        w.bytes.append(contentsOf: Graph.checkpointMagic)
        w.u32(Graph.checkpointVersion)
        w.u32(UInt32(MemoryLayout<Relationship>.stride))
        w.u32(UInt32(CheckpointLayout.Section.allCases.count))
        w.bytes.append(contentsOf: layout.tableBytes())
        return w.bytes
    }

    /// One section's bytes. `spill` is called between items of the large sections with the
    /// bytes so far (it may hand them on and empty them); what it leaves is returned.
    /// `limit` caps the capacity reserved up front.
    private func encodeSection(_ s: CheckpointLayout.Section, reserving limit: Int,
                               spill: (inout CheckpointWriter) throws -> Void) rethrows -> [UInt8] {
        var w = CheckpointWriter()
        switch s {
        case .head:
            w.i64(transaction); w.i64(nextStatementID)
            w.int(liveNodeCount); w.int(liveRelationshipCount); w.int(anonymousCounter)
            w.strings(relationTypes)
            w.int(nodes.count); w.int(relationships.count)
            w.int(idPropertyCount)
            let typeCounts = nodeCountsByType().sorted { $0.key < $1.key }
            w.int(typeCounts.count)
            for (t, n) in typeCounts { w.string(t); w.int(n) }
        case .nodes:
            // The nodes one after another, then where each block of `nodeBlockSize` nodes
            // starts (8 bytes each, from the section's start) and how many blocks there are
            // (8 bytes), so that a reader decodes a block when it first reads one of its nodes.
            w.bytes.reserveCapacity(min(limit, nodes.count * 96))
            var spilled = 0, blockStarts: [Int] = []
            for (i, n) in nodes.enumerated() {
                if i % Graph.nodeBlockSize == 0 { blockStarts.append(spilled + w.bytes.count) }
                let held = w.bytes.count
                try spill(&w)
                spilled += held - w.bytes.count
                w.string(n.key)
                w.strings(n.labels)
                w.int(n.entries.count)
                for e in n.entries { w.string(e.name); w.value(e.value); w.i64(e.statement) }
                w.i64(n.statement)
                w.int(n.labelStatements.count)
                for (l, s) in n.labelStatements.sorted(by: { $0.key < $1.key }) { w.string(l); w.i64(s) }
                w.u8(n.alive ? 1 : 0)
            }
            for b in blockStarts { w.i64(Int64(b)) }
            w.i64(Int64(blockStarts.count))
        case .relations:
            // The relationships as one block (at the section's start, so aligned), their type
            // codes (two bytes each), zeros up to a multiple of 8, the live relationships of each
            // type (8 bytes each). Then the adjacency lists as kept (by type, then statement
            // order), out-lists then in-lists, each direction as `nodes + 1` offsets (4 bytes,
            // counting `Int32`s) and all its pairs in node order. A reader uses all of these
            // where they lie.
            w.bytes.reserveCapacity(min(limit, relationships.count * (MemoryLayout<Relationship>.stride + 10) + nodes.count * 4))
            try relationships.forEachChunk { chunk in
                try spill(&w)
                w.bytes.append(contentsOf: UnsafeRawBufferPointer(chunk))
            }
            try relationshipTypeCodes.forEachChunk { chunk in
                try spill(&w)
                w.bytes.append(contentsOf: UnsafeRawBufferPointer(chunk))
            }
            w.bytes += repeatElement(0, count: Graph.codesPadding(relationships.count))
            for t in relationTypes.indices { w.i64(Int64(t < typeCounts.count ? typeCounts[t] : 0)) }
            for lists in [outAdjacency, inAdjacency] {
                var offsets = [UInt32](repeating: 0, count: nodes.count + 1)
                for n in nodes.indices { offsets[n + 1] = offsets[n] + UInt32(lists.pairs(n).count << 1) }
                for at in stride(from: 0, to: offsets.count, by: 1 << 16) {
                    try spill(&w)
                    offsets[at..<min(at + (1 << 16), offsets.count)].withUnsafeBytes { w.bytes.append(contentsOf: $0) }
                }
                for n in nodes.indices {
                    if n & 1023 == 0 { try spill(&w) }
                    let l = lists.pairs(n)
                    if let start = l.start { withExtendedLifetime(l) { w.bytes.append(contentsOf: UnsafeRawBufferPointer(start: start, count: l.count * 8)) } }
                }
            }
        case .indexes:
            // Label and name indexes (their order is history, not node order).
            w.int(labelIndex.count)
            for (l, ns) in labelIndex.sorted(by: { $0.key < $1.key }) { try spill(&w); w.string(l); w.int32s(ns) }
            let names = currentNameIndex
            w.int(names.count)
            for (k, slot) in names { try spill(&w); w.string(k); w.int32s(slot.nodes) }
        case .keys:
            KeyTable.encode(nodes, into: &w)
        case .rest:
            // Relation properties and their statements.
            w.int(relationProps.count)
            for (r, props) in relationProps.sorted(by: { $0.key < $1.key }) {
                try spill(&w)
                w.i32(r); w.int(props.count)
                for (k, v) in props.sorted(by: { $0.key < $1.key }) { w.string(k); w.value(v) }
            }
            w.int(relationPropStatements.count)
            for (r, stmts) in relationPropStatements.sorted(by: { $0.key < $1.key }) {
                try spill(&w)
                w.i32(r); w.int(stmts.count)
                for (k, s) in stmts.sorted(by: { $0.key < $1.key }) { w.string(k); w.i64(s) }
            }
            // Interned sources and origins.
            w.int(sourceSets.count)
            for set in sourceSets {
                w.int(set.count)
                for c in set { w.string(c.source); w.optionalString(c.note) }
            }
            w.strings(originList.map(\.description))
            // Facts with several claims, and denials (their indexes are rebuilt on reading).
            w.int(factClaims.count)
            for (r, members) in factClaims.members.sorted(by: { $0.key < $1.key }) { w.i32(r); w.int32s(members) }
            w.int32s(denialClaims)
        }
        return w.bytes
    }

    /// Reads a snapshot written by `checkpointBytes()` of this build; nil when the bytes are
    /// not one (another version or layout, a truncated file, a section whose checksum does not
    /// match). With `parallel`, the nodes decode on a second thread while this one decodes the
    /// other sections (the result is the same either way). `phase` is told each phase of the
    /// decode with its time in seconds, after the decode (the store's `MOSAIC_TRACE` prints them).
    ///
    /// With `keeper` (`data` must lie in `keeper`'s bytes, which never change) and `data`
    /// aligned as written (a mapped file is), the relationships, their type codes and the
    /// adjacency lists are read where they lie: the graph keeps `keeper`, and a write copies
    /// the chunk or list it changes first. Without it (or not aligned), the graph keeps no
    /// pointer into `data`: it reads them in a copy of the relations section of its own.
    public init?(checkpoint data: UnsafeRawBufferPointer, keeper: ReadOnlyBytes? = nil, parallel: Bool = true,
                 phase: (String, Double) -> Void = { _, _ in }) {
        let prefix = CheckpointLayout.prefixSize
        guard data.count >= prefix else { return nil }
        var p = CheckpointReader(UnsafeRawBufferPointer(rebasing: data[0..<prefix]))
        guard p.take(Graph.checkpointMagic.count).elementsEqual(Graph.checkpointMagic),
              p.u32() == Graph.checkpointVersion, p.u32() == UInt32(MemoryLayout<Relationship>.stride),
              p.u32() == UInt32(CheckpointLayout.Section.allCases.count),
              let layout = CheckpointLayout.read(data), layout.intact(.head, of: data) else { return nil }
        self.init()
        var head = CheckpointReader(layout.bytes(.head, of: data))
        transaction = head.i64(); nextStatementID = head.i64()
        liveNodeCount = head.int(); liveRelationshipCount = head.int(); anonymousCounter = head.int()
        relationTypes = head.strings()
        for (i, t) in relationTypes.enumerated() { relationTypeIDs[t] = Int32(i) }
        let nodeCount = head.int(), relCount = head.int()
        idPropertyCount = head.int()
        var typeCounts: [String: Int] = [:]
        for _ in 0..<head.count() { typeCounts[head.string()] = head.int() }
        // (each node takes a byte or more of its section, each relationship `stride` bytes of its own)
        guard head.ok, head.atEnd, nodeCount <= layout.entries[CheckpointLayout.Section.nodes.rawValue].length,
              relCount <= layout.entries[CheckpointLayout.Section.relations.rawValue].length / MemoryLayout<Relationship>.stride
        else { return nil }

        // Two jobs: the nodes' sum and the rest (relation properties, sources, facts) into one
        // graph, the relationships, adjacency and label index into a copy of this one; each
        // checks its sections' sums before reading them. The nodes are decoded later, a block
        // at a time, when first read (`NodeBlocks`).
        let jobs = CheckpointJobs(data: data, layout: layout, base: self, keeper: keeper)
        if parallel {
            DispatchQueue.concurrentPerform(iterations: 2) { jobs.run($0, nodeCount: nodeCount, relCount: relCount) }
        } else {
            jobs.run(0, nodeCount: nodeCount, relCount: relCount)
            if jobs.rest.ok { jobs.run(1, nodeCount: nodeCount, relCount: relCount) }
        }
        for part in [jobs.rest, jobs.others] { for (name, seconds) in part.phases { phase(name, seconds) } }
        let section = layout.bytes(.nodes, of: data)
        guard jobs.rest.ok, jobs.others.ok, jobs.nodesIntact,
              let blocks = Graph.nodeBlocks(section, nodeCount: nodeCount) else { return nil }
        self = jobs.others.graph
        let n = jobs.rest.graph
        let (inPlace, holder) = Graph.bytesKept(section, by: keeper)
        nodes = NodeTable(blocks: NodeBlocks(section: inPlace, keeper: holder, ranges: blocks.map(\.bytes),
                                             count: nodeCount, typeCounts: typeCounts))
        relationProps = n.relationProps; relationPropStatements = n.relationPropStatements
        sourceSets = n.sourceSets; sourceSetIDs = n.sourceSetIDs; originList = n.originList; originIDs = n.originIDs
        factClaims = n.factClaims; claimFact = n.claimFact
        // Denials are indexed by the ends of their relationships, decoded by the other job.
        for d in jobs.rest.denials {
            let rel = relationships[Int(d)]
            denialIndex[Graph.pairKey(rel.source, rel.target), default: []].append(d)
        }
    }

    /// What the nodes of a block share.
    struct NodeBlockState {
        /// One `[type]` array per type, shared by the nodes of that one label.
        var singleLabelArrays: [String: [String]] = [:]
    }

    /// A section's `bytes` and an object that keeps them as long as a graph reads them in
    /// place (the relations, the nodes, the keys): `keeper`, when there is one and the section
    /// lies at a section alignment as written (the snapshot's bytes were given as mapped), else
    /// a copy of them of their own (so the graph keeps no pointer into bytes nobody keeps).
    static func bytesKept(_ bytes: UnsafeRawBufferPointer, by keeper: ReadOnlyBytes?) -> (UnsafeRawBufferPointer, ReadOnlyBytes) {
        if let keeper, Int(bitPattern: bytes.baseAddress) % CheckpointLayout.alignment == 0 { return (bytes, keeper) }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: CheckpointLayout.alignment)
        if bytes.count > 0 { copy.copyMemory(from: bytes) }
        let kept = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<bytes.count])
        return (kept, ReadOnlyBytes(UnsafeRawBufferPointer(copy)) { $0.deallocate() })
    }

    /// Decodes `count` nodes (one block of the nodes section; the key index is deferred:
    /// `decodeIndexes`) into `out`, which it initialises; returns how many it initialised (the
    /// caller deinitialises them when the decode fails) and whether the block decoded whole.
    static func decodeNodeBlock(_ r: inout CheckpointReader, count: Int, into out: UnsafeMutablePointer<Node>,
                                state: inout NodeBlockState) -> (initialized: Int, ok: Bool) {
        // A node with one label shares its `[type]` array with the others of its type, and an
        // entry named as the previous node's entry at the same place shares its name (nodes of
        // one type come together and list their properties in the same order): no UTF-8 to check.
        var lastLabel: [String] = []
        var lastNames: [String] = []
        for i in 0..<count {
            let key = r.string()
            var labels: [String]
            let labelCount = r.count()
            if labelCount == 1 {
                let label = r.string()
                if lastLabel.count == 1, lastLabel[0] == label {
                    labels = lastLabel
                } else if let shared = state.singleLabelArrays[label] {
                    labels = shared
                } else {
                    labels = [label]
                    state.singleLabelArrays[label] = labels
                }
                lastLabel = labels
            } else {
                labels = (0..<labelCount).map { _ in r.string() }
            }
            let entryCount = r.count()
            var entries: [Node.Entry] = []
            if entryCount > 0 {
                entries.reserveCapacity(entryCount)
                for k in 0..<entryCount {
                    let name = k < lastNames.count ? r.string(reusing: lastNames[k]) : r.string()
                    if k < lastNames.count { lastNames[k] = name } else { lastNames.append(name) }
                    let e = Node.Entry(name: name, value: r.value(), statement: r.i64())
                    entries.append(e)
                }
            }
            let statement = r.i64()
            var labelStatements: [String: Int64] = [:]
            for _ in 0..<r.count() { labelStatements[r.string()] = r.i64() }
            let alive = r.u8() == 1
            guard r.ok else { return (i, false) }
            (out + i).initialize(to: Node(key: key, labels: labels, entries: entries, statement: statement,
                                          labelStatements: labelStatements, alive: alive))
        }
        return (count, r.ok && r.atEnd)
    }

    /// Nodes in a block of the nodes section (the unit the decoding threads take).
    static let nodeBlockSize = 1 << nodeBlockShift
    @usableFromInline static var nodeBlockShift: Int { 12 }

    /// The blocks of a nodes section of `nodeCount` nodes: each block's bytes and first node;
    /// nil when the section's table of blocks does not fit it.
    static func nodeBlocks(_ section: UnsafeRawBufferPointer, nodeCount: Int) -> [(bytes: Range<Int>, first: Int)]? {
        let n = section.count
        guard n >= 8 else { return nil }
        let blocks = Int(Int64(littleEndian: section.loadUnaligned(fromByteOffset: n - 8, as: Int64.self)))
        guard blocks == (nodeCount + nodeBlockSize - 1) / nodeBlockSize, blocks <= (n - 8) / 8 else { return nil }
        let end = n - 8 - 8 * blocks
        var out: [(bytes: Range<Int>, first: Int)] = []
        for b in 0..<blocks {
            let from = Int(Int64(littleEndian: section.loadUnaligned(fromByteOffset: end + 8 * b, as: Int64.self)))
            let to = b + 1 < blocks ? Int(Int64(littleEndian: section.loadUnaligned(fromByteOffset: end + 8 * (b + 1), as: Int64.self))) : end
            guard from >= 0, from <= to, to <= end, b > 0 || from == 0 else { return nil }
            out.append((from..<to, b * nodeBlockSize))
        }
        guard blocks > 0 || end == 0 else { return nil }
        return out
    }

    /// Zeros after `count` two-byte type codes that follow the relationships, so that what
    /// comes next starts at a multiple of 8 from the section's start.
    static func codesPadding(_ count: Int) -> Int { (8 - (count * 2) & 7) & 7 }

    /// Decodes the relationships (`relCount`) and the adjacency lists of `nodeCount` nodes from
    /// a relations section that starts at a section alignment (`bytesKept`): all are
    /// used where they lie, kept by `keeper`.
    mutating func decodeRelations(_ r: inout CheckpointReader, nodes nodeCount: Int, relationships relCount: Int,
                                  keeper: ReadOnlyBytes, clock: inout CheckpointClock) -> Bool {
        let block = UnsafeRawBufferPointer(rebasing: r.take(relCount * MemoryLayout<Relationship>.stride))
        let codes = UnsafeRawBufferPointer(rebasing: r.take(relCount * 2)).bindMemory(to: UInt16.self)
        _ = r.take(Graph.codesPadding(relCount))
        let counts = (0..<relationTypes.count).map { _ in Int(r.i64()) }
        guard r.ok, counts.allSatisfy({ $0 >= 0 && $0 <= relCount }) else { return false }
        typeCounts = counts
        let typeLimit = UInt16(truncatingIfNeeded: relationTypes.count)
        guard !codes.contains(where: { $0 >= typeLimit }) else { return false }
        if relCount > 0 {
            relationships = ChunkedArray(readOnly: block.bindMemory(to: Relationship.self).baseAddress!, count: relCount, keeper: keeper)
            relationshipTypeCodes = ChunkedArray(readOnly: codes.baseAddress!, count: relCount, keeper: keeper)
        }
        clock.mark("relationships (in place)")
        // The lists: per direction, `nodeCount + 1` offsets then the pairs.
        for which in 0..<2 {
            let offsets = UnsafeRawBufferPointer(rebasing: r.take((nodeCount + 1) * 4)).bindMemory(to: UInt32.self)
            guard r.ok else { return false }
            let total = Int(offsets[nodeCount])
            let pairs = UnsafeRawBufferPointer(rebasing: r.take(total * 4)).bindMemory(to: Int32.self)
            guard r.ok, AdjacencyLists.checkedOffsets(offsets, total: total) else { return false }
            let lists = AdjacencyLists(offsets: offsets.baseAddress!, pairs: pairs.baseAddress, nodes: nodeCount, keeper: keeper)
            if which == 0 { outAdjacency = lists } else { inAdjacency = lists }
        }
        guard r.atEnd else { return false }
        clock.mark("adjacency (in place)")
        return true
    }

    /// Decodes the label index, and keeps the name index's bytes (checked) for the key and
    /// name indexes to be built on first use (DeferredIndexes.swift).
    mutating func decodeIndexes(_ r: inout CheckpointReader, keys: KeyTable, nodes nodeCount: Int, clock: inout CheckpointClock) -> Bool {
        for _ in 0..<r.count() { labelIndex[r.string()] = r.int32s() }
        guard r.ok else { return false }
        let names = r.take(r.remaining)
        guard r.ok, r.atEnd, DeferredIndexes.isNameIndex(UnsafeRawBufferPointer(rebasing: names), nodeCount: nodeCount)
        else { return false }
        deferredIndexes = DeferredIndexes(nameBytes: Array(names), keys: keys)
        keyIndex = [:]
        nameIndex = [:]
        clock.mark("label index (key and name indexes deferred)")
        return true
    }

    /// Decodes relation properties, source sets, origins, facts and the denials (into
    /// `denials`: their index needs the relationships, which another job decodes); `relCount`
    /// relationships bound the facts. The index of source sets is left to the first write that
    /// needs it (`internSources`).
    mutating func decodeRest(_ r: inout CheckpointReader, relationships relCount: Int, denials: inout [Int32],
                             clock: inout CheckpointClock) -> Bool {
        for _ in 0..<r.count() {
            let rel = r.i32()
            var props: [String: Value] = [:]
            for _ in 0..<r.count() { props[r.string()] = r.value() }
            relationProps[rel] = props
        }
        for _ in 0..<r.count() {
            let rel = r.i32()
            var stmts: [String: Int64] = [:]
            for _ in 0..<r.count() { stmts[r.string()] = r.i64() }
            relationPropStatements[rel] = stmts
        }
        clock.mark("relation properties")
        let setCount = r.count()
        sourceSets = []
        sourceSets.reserveCapacity(setCount)
        for _ in 0..<setCount {
            let n = r.count()
            var set: [Citation] = []
            set.reserveCapacity(n)
            for _ in 0..<n { set.append(Citation(source: r.string(), note: r.optionalString())) }
            sourceSets.append(set)
        }
        sourceSetIDs = [:]  // built by the first write that needs it (`internSources`)
        originList = r.strings().map(Origin.init(parsing:))
        for (i, o) in originList.enumerated() { originIDs[o] = Int32(i) }
        clock.mark("sources")
        for _ in 0..<r.count() {
            let fact = r.i32()
            let members = r.int32s()
            guard r.ok, fact >= 0, Int(fact) < relCount, members.allSatisfy({ $0 >= 0 && Int($0) < relCount }) else { return false }
            factClaims[fact] = members
            for c in members where c != fact { claimFact[c] = fact }
        }
        denials = r.int32s()
        guard r.ok, denials.allSatisfy({ $0 >= 0 && Int($0) < relCount }) else { return false }
        guard r.ok, r.atEnd else { return false }
        clock.mark("facts")
        return true
    }
}

/// Phase times of one decoding job (nothing is printed here: the caller reports them).
struct CheckpointClock {
    private(set) var phases: [(String, Double)] = []
    private var last = DispatchTime.now()
    let suffix: String

    init(thread: Int) { suffix = " [thread \(thread + 1)]" }

    mutating func mark(_ phase: String) {
        let now = DispatchTime.now()
        phases.append((phase + suffix, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9))
        last = now
    }
}

/// The two decoding jobs of a snapshot and what each produced: job 0 checks the nodes' and
/// the rest's sums and decodes the rest; job 1 checks and decodes the relations and indexes.
// @unchecked Sendable: `data`, `layout` and `keeper` are only read (the caller keeps the bytes
// alive and unchanged until `init?(checkpoint:)` returns, or `keeper` does); job 0 writes only
// `rest` and `nodesIntact`, job 1 only `others`; the caller reads them only after
// `concurrentPerform` has returned (which joins the jobs).
final class CheckpointJobs: @unchecked Sendable {
    struct Part {
        var graph: Graph
        var ok = false
        var phases: [(String, Double)] = []
        /// The denials the rest section lists (job 0), indexed after the join.
        var denials: [Int32] = []
    }

    let data: UnsafeRawBufferPointer
    let layout: CheckpointLayout
    let keeper: ReadOnlyBytes?
    var rest: Part
    var others: Part
    /// Whether the nodes section's sum matched (job 0).
    private(set) var nodesIntact = false

    init(data: UnsafeRawBufferPointer, layout: CheckpointLayout, base: Graph, keeper: ReadOnlyBytes?) {
        self.data = data
        self.layout = layout
        self.keeper = keeper
        rest = Part(graph: Graph())
        others = Part(graph: base)
    }

    /// Job 0: the nodes and rest sections' sums, the rest; job 1: the relations and indexes.
    func run(_ job: Int, nodeCount: Int, relCount: Int) {
        var clock = CheckpointClock(thread: job)
        if job == 0 {
            var g = Graph()
            nodesIntact = layout.intact(.nodes, of: data)
            var ok = nodesIntact && layout.intact(.rest, of: data)
            clock.mark("checksum nodes and rest")
            if ok {
                var r = CheckpointReader(layout.bytes(.rest, of: data))
                ok = g.decodeRest(&r, relationships: relCount, denials: &rest.denials, clock: &clock)
            }
            rest.ok = ok
            rest.graph = g
            rest.phases = clock.phases
            return
        }
        var g = others.graph
        others.graph = Graph()
        var ok = layout.intact(.relations, of: data) && layout.intact(.indexes, of: data) && layout.intact(.keys, of: data)
        clock.mark("checksum relations, indexes and keys")
        if ok {
            let (bytes, holder) = Graph.bytesKept(layout.bytes(.relations, of: data), by: keeper)
            var r = CheckpointReader(bytes)
            ok = g.decodeRelations(&r, nodes: nodeCount, relationships: relCount, keeper: holder, clock: &clock)
        }
        if ok {
            var r = CheckpointReader(layout.bytes(.indexes, of: data))
            if let keys = KeyTable(section: layout.bytes(.keys, of: data), keeper: keeper) {
                ok = g.decodeIndexes(&r, keys: keys, nodes: nodeCount, clock: &clock)
            } else {
                ok = false
            }
        }
        others.ok = ok
        others.graph = g
        others.phases = clock.phases
    }
}
