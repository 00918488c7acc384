import Foundation

/// A graph snapshot as bytes, so that a store opens by reading one file instead of stepping
/// every statement row (see `MosaicStore`'s checkpoint). The format is private to one build
/// of Mosaic: its header holds a format version and the layout of the packed relationship,
/// and a reader refuses anything else (the store then loads from the log as before).
/// Relationships are plain values and are copied as one block; nodes, strings and values
/// are written field by field; the hash indexes are rebuilt on reading.
extension Graph {
    static let checkpointMagic: [UInt8] = Array("MOSAIC-GRAPH".utf8)
    static let checkpointVersion: UInt32 = 3  // 3: adjacency lists kept by relation type

    /// The snapshot as bytes.
    public func checkpointBytes() -> [UInt8] {
        var w = CheckpointWriter()
        w.bytes.reserveCapacity(relationships.count * (MemoryLayout<Relationship>.stride + 24) + nodes.count * 96)
        w.bytes.append(contentsOf: Graph.checkpointMagic)
        w.u32(Graph.checkpointVersion)
        w.u32(UInt32(MemoryLayout<Relationship>.stride))
        w.i64(transaction); w.i64(nextStatementID)
        w.int(liveNodeCount); w.int(liveRelationshipCount); w.int(anonymousCounter)
        w.strings(relationTypes)
        // Nodes.
        w.int(nodes.count)
        for n in nodes {
            w.string(n.key)
            w.strings(n.labels)
            w.int(n.entries.count)
            for e in n.entries { w.string(e.name); w.value(e.value); w.i64(e.statement) }
            w.i64(n.statement)
            w.int(n.labelStatements.count)
            for (l, s) in n.labelStatements.sorted(by: { $0.key < $1.key }) { w.string(l); w.i64(s) }
            w.u8(n.alive ? 1 : 0)
        }
        // Relationships: one block.
        w.int(relationships.count)
        for chunk in relationships.chunks { chunk.withUnsafeBytes { w.bytes.append(contentsOf: $0) } }
        // Adjacency, as kept (by type, then statement order).
        for lists in [outAdjacency, inAdjacency] {
            for l in lists { w.int(l.count) }
            for l in lists { l.withUnsafeBytes { w.bytes.append(contentsOf: $0) } }
        }
        // Label and name indexes (their order is history, not node order).
        w.int(labelIndex.count)
        for (l, ns) in labelIndex.sorted(by: { $0.key < $1.key }) { w.string(l); w.int32s(ns) }
        w.int(nameIndex.count)
        for (k, slot) in nameIndex { w.string(k); w.int32s(slot.nodes) }
        // Relation properties and their statements.
        w.int(relationProps.count)
        for (r, props) in relationProps.sorted(by: { $0.key < $1.key }) {
            w.i32(r); w.int(props.count)
            for (k, v) in props.sorted(by: { $0.key < $1.key }) { w.string(k); w.value(v) }
        }
        w.int(relationPropStatements.count)
        for (r, stmts) in relationPropStatements.sorted(by: { $0.key < $1.key }) {
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
        for (r, members) in factClaims.sorted(by: { $0.key < $1.key }) { w.i32(r); w.int32s(members) }
        w.int32s(denialClaims)
        w.bytes.append(contentsOf: Graph.checkpointMagic)
        return w.bytes
    }

    /// Reads a snapshot written by `checkpointBytes()` of this build; nil when the bytes are
    /// not one (another version or layout, a truncated file). `phase` is told the end of each
    /// phase of the decode (the store's `MOSAIC_TRACE` prints their times).
    public init?(checkpoint data: UnsafeRawBufferPointer, phase: (String) -> Void = { _ in }) {
        var r = CheckpointReader(data)
        guard r.take(Graph.checkpointMagic.count).elementsEqual(Graph.checkpointMagic),
              r.u32() == Graph.checkpointVersion, r.u32() == UInt32(MemoryLayout<Relationship>.stride) else { return nil }
        self.init()
        transaction = r.i64(); nextStatementID = r.i64()
        liveNodeCount = r.int(); liveRelationshipCount = r.int(); anonymousCounter = r.int()
        relationTypes = r.strings()
        for (i, t) in relationTypes.enumerated() { relationTypeIDs[t] = Int32(i) }
        // Nodes; a node with one label shares its `[type]` array with the others of its type.
        let nodeCount = r.int()
        guard r.ok, nodeCount >= 0 else { return nil }
        nodes.reserveCapacity(nodeCount)
        keyIndex.reserveCapacity(nodeCount)
        for _ in 0..<nodeCount {
            let key = r.string()
            var labels = r.strings()
            if labels.count == 1 {
                if let shared = singleLabelArrays[labels[0]] { labels = shared } else { singleLabelArrays[labels[0]] = labels }
            }
            let entryCount = r.int()
            var entries: [Node.Entry] = []
            entries.reserveCapacity(max(0, entryCount))
            for _ in 0..<max(0, entryCount) {
                let e = Node.Entry(name: r.string(), value: r.value(), statement: r.i64())
                if e.name == "id" { idPropertyCount += 1 }
                entries.append(e)
            }
            let statement = r.i64()
            var labelStatements: [String: Int64] = [:]
            for _ in 0..<max(0, r.int()) { labelStatements[r.string()] = r.i64() }
            let alive = r.u8() == 1
            guard r.ok else { return nil }
            nodes.append(Node(key: key, labels: labels, entries: entries, statement: statement,
                              labelStatements: labelStatements, alive: alive))
        }
        phase("nodes")
        for i in 0..<nodeCount where nodes[i].alive { keyIndex[nodes[i].key] = Int32(i) }
        phase("key index")
        let relCount = r.int()
        guard r.ok, relCount >= 0 else { return nil }
        let block = r.take(relCount * MemoryLayout<Relationship>.stride)
        guard r.ok else { return nil }
        let stride = MemoryLayout<Relationship>.stride
        var at = 0
        while at < relCount {
            let n = min(ChunkedArray<Relationship>.chunkSize, relCount - at)
            let raw = UnsafeRawBufferPointer(rebasing: block[(block.startIndex + at * stride)..<(block.startIndex + (at + n) * stride)])
            var chunk = [Relationship](unsafeUninitializedCapacity: n) { buf, k in
                UnsafeMutableRawBufferPointer(buf).copyMemory(from: raw)
                k = n
            }
            chunk.reserveCapacity(ChunkedArray<Relationship>.chunkSize)
            relationships.appendChunk(chunk)
            at += n
        }
        phase("relationships")
        for which in 0..<2 {
            let counts = (0..<nodeCount).map { _ in r.int() }
            var lists = ChunkedArray<[Int32]>()
            lists.reserveCapacity(nodeCount)
            for c in counts {
                let raw = r.take(max(0, c) * 4)
                guard r.ok else { return nil }
                if c == 0 { lists.append([]); continue }
                lists.append([Int32](unsafeUninitializedCapacity: c) { buf, n in
                    UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw))
                    n = c
                })
            }
            if which == 0 { outAdjacency = lists } else { inAdjacency = lists }
        }
        recountTypes()
        phase("adjacency")
        for _ in 0..<max(0, r.int()) { labelIndex[r.string()] = r.int32s() }
        let names = r.int()
        nameIndex.reserveCapacity(max(0, names))
        for _ in 0..<max(0, names) {
            let k = r.string()
            let ns = r.int32s()
            nameIndex[k] = ns.count == 1 ? .one(ns[0]) : .many(ns)
        }
        for _ in 0..<max(0, r.int()) {
            let rel = r.i32()
            var props: [String: Value] = [:]
            for _ in 0..<max(0, r.int()) { props[r.string()] = r.value() }
            relationProps[rel] = props
        }
        for _ in 0..<max(0, r.int()) {
            let rel = r.i32()
            var stmts: [String: Int64] = [:]
            for _ in 0..<max(0, r.int()) { stmts[r.string()] = r.i64() }
            relationPropStatements[rel] = stmts
        }
        phase("indexes")
        sourceSets = []
        sourceSetIDs = [:]
        for i in 0..<max(0, r.int()) {
            var set: [Citation] = []
            for _ in 0..<max(0, r.int()) { set.append(Citation(source: r.string(), note: r.optionalString())) }
            sourceSets.append(set)
            sourceSetIDs[set] = Int32(i)
        }
        originList = r.strings().map(Origin.init(parsing:))
        for (i, o) in originList.enumerated() { originIDs[o] = Int32(i) }
        phase("sources")
        for _ in 0..<max(0, r.int()) {
            let fact = r.i32()
            let members = r.int32s()
            guard r.ok, fact >= 0, Int(fact) < relCount, members.allSatisfy({ $0 >= 0 && Int($0) < relCount }) else { return nil }
            factClaims[fact] = members
            for c in members where c != fact { claimFact[c] = fact }
        }
        for d in r.int32s() {
            guard r.ok, d >= 0, Int(d) < relCount else { return nil }
            let rel = relationships[Int(d)]
            denialIndex[Graph.pairKey(rel.source, rel.target), default: []].append(d)
        }
        guard r.ok, r.take(Graph.checkpointMagic.count).elementsEqual(Graph.checkpointMagic), r.ok, r.atEnd else { return nil }
        phase("facts")
    }
}

/// Appends little-endian fields to a byte array.
struct CheckpointWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { i64(Int64(bitPattern: v.bitPattern)) }
    /// Non-negative counts as a variable-length integer (most fit in one byte).
    mutating func int(_ v: Int) {
        var x = UInt64(v)
        while x >= 0x80 { bytes.append(UInt8(x & 0x7F) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { int($0.count); bytes.append(contentsOf: $0) }
    }
    mutating func optionalString(_ s: String?) {
        if let s { u8(1); string(s) } else { u8(0) }
    }
    mutating func strings(_ l: [String]) { int(l.count); for s in l { string(s) } }
    mutating func int32s(_ l: [Int32]) { int(l.count); for x in l { i32(x) } }
    mutating func value(_ v: Value) {
        switch v {
        case .null: u8(0)
        case .bool(let b): u8(b ? 2 : 1)
        case .int(let i): u8(3); i64(i)
        case .float(let d): u8(4); f64(d)
        case .string(let s): u8(5); string(s)
        case .date(let d): u8(6); i64(d.seconds); u8(d.precision.rawValue); i32(Int32(d.offsetMinutes))
        case .list(let l): u8(7); int(l.count); for x in l { value(x) }
        case .map(let m): u8(8); int(m.count); for (k, x) in m.sorted(by: { $0.key < $1.key }) { string(k); value(x) }
        case .geo(let g): u8(9); f64(g.latitude); f64(g.longitude)
        }
    }
}

/// Reads what `CheckpointWriter` wrote; past the end or on a bad tag it stops and `ok` turns
/// false (the caller then refuses the whole file).
struct CheckpointReader {
    private let data: UnsafeRawBufferPointer
    private var i = 0
    private(set) var ok = true

    init(_ data: UnsafeRawBufferPointer) { self.data = data }

    var atEnd: Bool { i == data.count }

    mutating func take(_ n: Int) -> Slice<UnsafeRawBufferPointer> {
        guard ok, n >= 0, i + n <= data.count else { ok = false; return data[0..<0] }
        defer { i += n }
        return data[i..<(i + n)]
    }
    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T {
        guard ok, i + MemoryLayout<T>.size <= data.count else { ok = false; return 0 }
        defer { i += MemoryLayout<T>.size }
        return T(littleEndian: data.loadUnaligned(fromByteOffset: i, as: T.self))
    }
    mutating func u8() -> UInt8 { fixed(UInt8.self) }
    mutating func u32() -> UInt32 { fixed(UInt32.self) }
    mutating func i32() -> Int32 { fixed(Int32.self) }
    mutating func i64() -> Int64 { fixed(Int64.self) }
    mutating func f64() -> Double { Double(bitPattern: UInt64(bitPattern: i64())) }
    mutating func int() -> Int {
        var x: UInt64 = 0, shift: UInt64 = 0
        while ok {
            let b = u8()
            x |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
            if shift > 63 { ok = false }
        }
        return ok && x <= UInt64(Int.max) ? Int(x) : 0
    }
    mutating func string() -> String {
        let n = int()
        let raw = take(n)
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw), as: UTF8.self)
    }
    mutating func optionalString() -> String? { u8() == 1 ? string() : nil }
    mutating func strings() -> [String] { (0..<max(0, int())).map { _ in string() } }
    mutating func int32s() -> [Int32] { (0..<max(0, int())).map { _ in i32() } }
    mutating func value() -> Value {
        switch u8() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(i64())
        case 4: return .float(f64())
        case 5: return .string(string())
        case 6:
            let s = i64(), p = u8(), o = i32()
            guard let precision = PartialDate.Precision(rawValue: p) else { ok = false; return .null }
            return .date(PartialDate(seconds: s, precision: precision, offsetMinutes: Int16(truncatingIfNeeded: o)))
        case 7: return .list((0..<max(0, int())).map { _ in value() })
        case 8:
            var m: [String: Value] = [:]
            for _ in 0..<max(0, int()) where ok { m[string()] = value() }
            return .map(m)
        case 9: return .geo(GeoPoint(latitude: f64(), longitude: f64()))
        default: ok = false; return .null
        }
    }
}
