/// The graph's nodes, by index: an array of its own, or, in a graph just read from a snapshot
/// file, the file's node blocks decoded on first use (`NodeBlocks`). Reading a node is the same
/// either way (a borrow of the node in place); the first change to any node, or a new node,
/// makes the table an array of its own (`own()`: every block decoded, then copied), as the
/// first change to a shared `Array` copies it. A value, `Sendable` like the `Array` it stands
/// for.
public struct NodeTable: RandomAccessCollection, Sendable {
    @usableFromInline var owned: [Node] = []
    /// The snapshot's node blocks, until the table owns its nodes.
    @usableFromInline var blocks: NodeBlocks?

    public init() {}
    public init(_ nodes: [Node]) { owned = nodes }
    init(blocks: NodeBlocks) { self.blocks = blocks }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int {
        if let blocks { return blocks.count }
        return owned.count
    }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Node {
        _read {  // a borrow: reading one field of a node copies (retains) nothing else
            if let blocks { yield blocks.node(i).pointee } else { yield owned[i] }
        }
        _modify {
            if blocks != nil { own() }
            yield &owned[i]
        }
    }

    /// `body` with a pointer to node `i` (reads fields without copying the node).
    @inlinable @inline(__always)
    public func withNode<R>(_ i: Int, _ body: (UnsafePointer<Node>) throws -> R) rethrows -> R {
        if let blocks { return try body(blocks.node(i)) }
        return try owned.withUnsafeBufferPointer { try body($0.baseAddress! + i) }
    }

    /// `body` with every node in one buffer (decoding every block of a snapshot's first).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Node>) throws -> R) rethrows -> R {
        if let blocks {
            blocks.decodeAll()
            return try body(UnsafeBufferPointer(start: blocks.buffer, count: blocks.count))
        }
        return try owned.withUnsafeBufferPointer(body)
    }

    public mutating func append(_ node: Node) {
        if blocks != nil { own() }
        owned.append(node)
    }

    public mutating func reserveCapacity(_ n: Int) {
        if blocks != nil { own() }
        owned.reserveCapacity(n)
    }

    /// Makes the nodes an array of this table's own.
    @usableFromInline mutating func own() {
        guard blocks != nil else { return }
        owned = withUnsafeBufferPointer { Array($0) }
        blocks = nil
    }

    /// The live nodes by type the snapshot recorded, while the nodes are still the snapshot's.
    var snapshotTypeCounts: [String: Int]? { blocks?.typeCounts }

    /// The snapshot's node blocks, while the table reads them (nil once it owns its nodes).
    public var snapshotBlocks: NodeBlocks? { blocks }
}
