// CheckpointLayout: the section table at the head of a graph snapshot (format 4) and the
// checksum each section carries, so that sections are checked and decoded independently (two
// threads at once; GraphCheckpoint.swift). Plain Swift over raw buffers, no imports.

/// Where each section of a snapshot lies and what its bytes sum to. The head of a snapshot is
/// `magic, version, relationship stride, section count`, then one `(offset, length, checksum)`
/// triple of 64-bit words per section (offsets from the start of the snapshot), then the
/// sections in order, each starting at a multiple of 64 bytes (zeros between), the last one
/// ending at the end of the bytes. The alignment lets a reader that was given the bytes at an
/// aligned address (a mapped file) use the relationships and adjacency lists where they lie.
struct CheckpointLayout {
    /// The sections, in file order.
    enum Section: Int, CaseIterable {
        /// Counters, relation type names, the node and relationship counts.
        case head
        /// Nodes: keys, labels, property entries and statements.
        case nodes
        /// The relationships (one block) and the adjacency lists as kept.
        case relations
        /// The label and name indexes.
        case indexes
        /// Relation properties, source sets, origins, facts and denials.
        case rest
        /// The live nodes' keys as a hash table, read in place (KeyTable.swift).
        case keys
    }

    struct Entry: Equatable {
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    var entries: [Entry]

    /// Bytes before the table: magic, version, stride, section count.
    static var prefixSize: Int { Graph.checkpointMagic.count + 12 }
    static var tableSize: Int { Section.allCases.count * 24 }
    /// Where the head's table ends.
    static var headSize: Int { prefixSize + tableSize }
    /// Every section starts at a multiple of this.
    static let alignment = 64

    /// `at` rounded up to the next section start.
    static func aligned(_ at: Int) -> Int { (at + alignment - 1) & ~(alignment - 1) }

    /// The layout of sections of these sizes and sums, placed one after another after the head.
    init(sections: [(length: Int, checksum: UInt64)]) {
        var at = CheckpointLayout.headSize
        entries = sections.map { s in
            at = CheckpointLayout.aligned(at)
            defer { at += s.length }
            return Entry(offset: at, length: s.length, checksum: s.checksum)
        }
    }

    private init(entries: [Entry]) { self.entries = entries }

    /// The table as bytes (after the prefix).
    func tableBytes() -> [UInt8] {
        var w = CheckpointWriter()
        for e in entries { w.i64(Int64(e.offset)); w.i64(Int64(e.length)); w.i64(Int64(bitPattern: e.checksum)) }
        return w.bytes
    }

    /// Reads the table of `data` (whose prefix the caller checked): nil unless the sections
    /// follow the head back to back and end exactly at the end of `data` (a truncated or
    /// extended file is refused here, before any section is read).
    static func read(_ data: UnsafeRawBufferPointer) -> CheckpointLayout? {
        guard data.count >= headSize else { return nil }
        var r = CheckpointReader(UnsafeRawBufferPointer(rebasing: data[prefixSize..<headSize]))
        var at = headSize
        var entries: [Entry] = []
        for _ in Section.allCases {
            let offset = Int(truncatingIfNeeded: r.i64()), length = Int(truncatingIfNeeded: r.i64())
            let sum = UInt64(bitPattern: r.i64())
            at = aligned(at)
            guard r.ok, offset == at, length >= 0, at <= data.count, length <= data.count - at else { return nil }
            entries.append(Entry(offset: offset, length: length, checksum: sum))
            at += length
        }
        guard at == data.count else { return nil }
        return CheckpointLayout(entries: entries)
    }

    /// The bytes of one section of `data`.
    func bytes(_ s: Section, of data: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let e = entries[s.rawValue]
        return UnsafeRawBufferPointer(rebasing: data[e.offset..<(e.offset + e.length)])
    }

    /// Whether one section's bytes still sum to what the table says.
    func intact(_ s: Section, of data: UnsafeRawBufferPointer) -> Bool {
        CheckpointLayout.checksum(bytes(s, of: data)) == entries[s.rawValue].checksum
    }

    /// A fast 64-bit checksum, to refuse a torn or damaged file (not a defence against
    /// tampering): `Checksum` over all of `raw` at once.
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var sum = Checksum()
        sum.add(raw)
        return sum.value
    }

    /// The checksum of bytes given in pieces (a section written out while it is encoded):
    /// the same value as over the bytes joined, however they are cut. Four lanes of 64-bit
    /// words, each mixed by xor, multiply and rotate (all three invertible, so a changed word
    /// always changes its lane); the lanes are independent, so the multiplier works on four at
    /// once, and they are folded together with the tail bytes and the length at the end.
    struct Checksum {
        private var a: UInt64 = 0x9E37_79B9_7F4A_7C15, b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        private var c: UInt64 = 0x1656_67B1_9E37_79F9, d: UInt64 = 0x27D4_EB2F_1656_67C5
        /// Bytes of an unfinished 32-byte block (fewer than 32), carried to the next piece.
        private var pending: [UInt8] = []
        private(set) var count = 0

        @inline(__always) private static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            let x = (h ^ w) &* 0x100_0000_01B3
            return (x << 29) | (x >> 35)
        }

        /// Adds the next piece of the bytes.
        mutating func add(_ raw: UnsafeRawBufferPointer) {
            let n = raw.count
            guard n > 0, let base = raw.baseAddress else { return }
            count += n
            var i = 0
            if !pending.isEmpty {
                let take = min(32 - pending.count, n)
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
                i = take
                guard pending.count == 32 else { return }
                pending.withUnsafeBytes { block(in: $0, at: 0) }
                pending.removeAll(keepingCapacity: true)
            }
            var a = self.a, b = self.b, c = self.c, d = self.d
            while i + 32 <= n {
                a = Checksum.mix(a, base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                b = Checksum.mix(b, base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                c = Checksum.mix(c, base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                d = Checksum.mix(d, base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
            self.a = a; self.b = b; self.c = c; self.d = d
            if i < n { pending.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: n - i)) }
        }

        private mutating func block(in raw: UnsafeRawBufferPointer, at i: Int) {
            a = Checksum.mix(a, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            b = Checksum.mix(b, raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            c = Checksum.mix(c, raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            d = Checksum.mix(d, raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
        }

        /// The checksum of all the bytes added.
        var value: UInt64 {
            var h = Checksum.mix(Checksum.mix(Checksum.mix(a, b), c), d)
            for byte in pending { h = Checksum.mix(h, UInt64(byte)) }
            return Checksum.mix(h, UInt64(count))
        }
    }
}
