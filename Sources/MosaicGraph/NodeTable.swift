import Synchronization

/// The graph's nodes, by index: an array of its own, or, in a graph just read from a snapshot
/// file, the file's node blocks decoded on first use (`NodeBlocks`). Reading a node is the same
/// either way (a borrow of the node in place); the first change to any node, or a new node,
/// makes the table an array of its own (`own()`: every block decoded, then copied), as the
/// first change to a shared `Array` copies it. A value, `Sendable` like the `Array` it stands
/// for.
// @unchecked Sendable: `lazyNodes` and `lazyStates` point into the memory of `blocks`, which
// the table keeps alive and which is safe to read from any thread (NodeBlocks.swift).
public struct NodeTable: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline var owned: [Node] = []
    /// The snapshot's node blocks, until the table owns its nodes.
    @usableFromInline var blocks: NodeBlocks?
    /// The blocks' buffer and states, and their count, again as plain values (nil and 0 for
    /// an array): a read goes through them without retaining `blocks` (an atomic retain and
    /// release of an object shared by threads for each node read).
    @usableFromInline var lazyNodes: UnsafeMutablePointer<Node>?
    @usableFromInline var lazyStates: UnsafeMutablePointer<Atomic<UInt8>>?
    @usableFromInline var lazyCount = 0

    public init() {}
    public init(_ nodes: [Node]) { owned = nodes }
    init(blocks: NodeBlocks) {
        self.blocks = blocks
        lazyNodes = blocks.buffer; lazyStates = blocks.states; lazyCount = blocks.count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { lazyNodes != nil ? lazyCount : owned.count }

    /// Node `i` of the blocks, decoded first if no one has yet.
    @inlinable @inline(__always)
    func lazyNode(_ nodes: UnsafeMutablePointer<Node>, _ i: Int) -> UnsafeMutablePointer<Node> {
        precondition(i >= 0 && i < lazyCount, "node index out of range")
        let b = i &>> Graph.nodeBlockShift
        if lazyStates.unsafelyUnwrapped[b].load(ordering: .acquiring) != NodeBlocks.ready { blocks.unsafelyUnwrapped.need(b) }
        return nodes + i
    }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Node {
        // An address, not a `_read` with a yield in each branch: the optimiser does not inline
        // a read coroutine with two yields, and the call retained the table's storage (the
        // call and the added retains were about a fifth of a `perf` profile of
        // d.pattern_prepared). Reading one field of a node copies nothing else.
        // (The array's address is used only while the table is borrowed for this access, and
        // the array keeps its storage until it changes.)
        unsafeAddress {
            if let nodes = lazyNodes { return UnsafePointer(lazyNode(nodes, i)) }
            precondition(i >= 0 && i < owned.count, "node index out of range")
            return owned.withUnsafeBufferPointer { $0.baseAddress! + i }
        }
        _modify {
            if blocks != nil { own() }
            yield &owned[i]
        }
    }

    /// `body` with a pointer to node `i` (reads fields without copying the node).
    @inlinable @inline(__always)
    public func withNode<R>(_ i: Int, _ body: (UnsafePointer<Node>) throws -> R) rethrows -> R {
        if let nodes = lazyNodes { return try body(lazyNode(nodes, i)) }
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
        lazyNodes = nil; lazyStates = nil; lazyCount = 0
    }

    /// The live nodes by type the snapshot recorded, while the nodes are still the snapshot's.
    var snapshotTypeCounts: [String: Int]? { blocks?.typeCounts }

    /// The snapshot's node blocks, while the table reads them (nil once it owns its nodes).
    public var snapshotBlocks: NodeBlocks? { blocks }
}
