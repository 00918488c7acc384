/// A snapshot file's table of node keys, read where it lies: an open-addressing hash table of
/// 64-bit slots, each the high half of the key's hash and the node's index + 1 (0: empty),
/// probed linearly from the slot the hash's low bits name, at most half full. A lookup reads a
/// few slots and then the one node whose hash matches (its block of nodes decoded if no one
/// has), so a one-off command that looks up an entity by id (`mosaic show`, `MATCH (n {id: …})`)
/// neither builds a key index of every node nor decodes every node to scan them.
///
/// The hash is FNV-1a over the key's UTF-8, the same in every process (Swift's `Hasher` is
/// seeded per process). Only live nodes are in the table; a key that two live nodes share (no
/// store has one) answers the later node, as the key index does. Plain Swift over raw buffers.
struct KeyTable {
    private let slots: UnsafePointer<UInt64>
    private let mask: Int
    /// Keeps `slots` valid.
    private let keeper: ReadOnlyBytes

    /// FNV-1a, 64 bits, of `key`'s UTF-8.
    static func hash(_ key: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// The section's bytes for `nodes`: the slot count (8 bytes), then the slots.
    static func encode(_ nodes: NodeTable, into w: inout CheckpointWriter) {
        let live = nodes.reduce(0) { $0 + ($1.alive ? 1 : 0) }
        var capacity = 16
        while capacity < 2 * live { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        // the later node first, so that a probe meets it first
        for i in nodes.indices.reversed() where nodes[i].alive {
            let h = hash(nodes[i].key)
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
        }
        w.i64(Int64(capacity))
        for v in slots { w.i64(Int64(bitPattern: v)) }
    }

    /// The table in `section` (whose checksum matched), read in place when `keeper` keeps
    /// `section` aligned as written, else from a copy; nil when its size is not one of a table.
    /// The slots are not read here (the checksum has read them once already): a lookup ignores a
    /// slot that names no node and stops after every slot.
    init?(section: UnsafeRawBufferPointer, keeper: ReadOnlyBytes?) {
        guard section.count >= 8 else { return nil }
        let capacity = Int(Int64(littleEndian: section.loadUnaligned(as: Int64.self)))
        guard capacity >= 16, capacity & (capacity - 1) == 0, section.count == 8 + 8 * capacity else { return nil }
        let (bytes, holder) = Graph.bytesKept(section, by: keeper)
        slots = UnsafeRawBufferPointer(rebasing: bytes[8...]).bindMemory(to: UInt64.self).baseAddress!
        mask = capacity - 1
        self.keeper = holder
    }

    /// The live node with `key` in `nodes` (the nodes the table was written with).
    func node(key: String, in nodes: NodeTable) -> Int32? {
        let h = KeyTable.hash(key), tag = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & mask
        for _ in 0...mask {
            let v = UInt64(littleEndian: slots[s])
            if v == 0 { return nil }
            let n = Int(v & 0xFFFF_FFFF) - 1
            if v & 0xFFFF_FFFF_0000_0000 == tag, n >= 0, n < nodes.count, nodes[n].alive, nodes[n].key == key { return Int32(n) }
            s = (s + 1) & mask
        }
        return nil
    }
}
