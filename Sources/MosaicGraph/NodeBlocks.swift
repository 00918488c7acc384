import Foundation
import Synchronization

/// The nodes of a snapshot file, decoded block by block when first read instead of all at
/// open: a one-off command that reads counts (`mosaic stats`) or a few entities (`mosaic show`)
/// decodes none or a few of the blocks, where decoding every node took three quarters of the
/// open at 1M entities (some 3,400 instructions a node: strings, property values).
///
/// The nodes section's bytes stay where they lie (a mapped file, kept by `keeper`); its
/// checksum and its table of blocks were checked at open. Each block of `Graph.nodeBlockSize`
/// nodes is decoded once, by the first reader that needs it, into its place in one buffer
/// that is never moved, so a pointer to a decoded node stays valid as long as this object.
/// Once a reader has needed one block, a second thread decodes the others, from the last one
/// back (`prefetch`), so that a scan of every node, which reaches them one block after another,
/// finds half of them decoded, as the open used to decode them on two threads.
///
/// Uses Foundation (`NSCondition`, `Thread`) and the Synchronization module's `Atomic`.
// @unchecked Sendable: `buffer` is written only by the thread that moved the block's state
// from `pending` to `decoding` (a compare-and-exchange, so exactly one), and read only after
// a load of `ready` with acquiring order that follows its store with releasing order; the
// other stored properties are constants. A block's nodes are never written again after that
// (a graph that changes a node owns a copy: `NodeTable.own()`).
public final class NodeBlocks: @unchecked Sendable {
    /// The nodes section's bytes and what keeps them.
    private let section: UnsafeRawBufferPointer
    private let keeper: ReadOnlyBytes
    /// Each block's byte range in `section` (the table checked at open).
    private let ranges: [Range<Int>]
    @usableFromInline let count: Int
    /// Room for every node; a block's slots are initialised when its state is `ready`.
    @usableFromInline let buffer: UnsafeMutablePointer<Node>
    /// Each block's state: `pending`, `decoding` or `ready`.
    @usableFromInline let states: UnsafeMutablePointer<Atomic<UInt8>>
    @usableFromInline static var pending: UInt8 { 0 }
    @usableFromInline static var decoding: UInt8 { 1 }
    @usableFromInline static var ready: UInt8 { 2 }
    /// How many blocks are not ready yet; whether the prefetching thread has started.
    private let left: Atomic<Int>
    private let prefetchStarted = Atomic<Bool>(false)
    /// Signalled after each block is ready, for a reader waiting on a block another thread is
    /// decoding.
    private let decoded = NSCondition()
    /// The live nodes by type the snapshot recorded (`Graph.nodeCountsByType()`): the same as
    /// counting them, while these nodes are the graph's.
    let typeCounts: [String: Int]

    /// The nodes of `section` (a nodes section whose checksum matched), `ranges` from its table
    /// of blocks, `count` nodes; `keeper` keeps `section`'s bytes.
    init(section: UnsafeRawBufferPointer, keeper: ReadOnlyBytes, ranges: [Range<Int>], count: Int,
         typeCounts: [String: Int]) {
        self.section = section
        self.keeper = keeper
        self.ranges = ranges
        self.count = count
        self.typeCounts = typeCounts
        buffer = .allocate(capacity: max(count, 1))
        states = .allocate(capacity: max(ranges.count, 1))
        for b in 0..<ranges.count { (states + b).initialize(to: Atomic(NodeBlocks.pending)) }
        left = Atomic(ranges.count)
    }

    deinit {
        // (the prefetching thread holds a reference: no block is being decoded now)
        for b in 0..<ranges.count {
            if states[b].load(ordering: .acquiring) == NodeBlocks.ready {
                (buffer + b * Graph.nodeBlockSize).deinitialize(count: nodesIn(b))
            }
        }
        states.deinitialize(count: ranges.count)
        states.deallocate()
        buffer.deallocate()
    }

    /// How many blocks are decoded (for tests and traces).
    public var decodedBlocks: Int { ranges.count - left.load(ordering: .acquiring) }
    public var blockCount: Int { ranges.count }

    /// Decodes every block not yet decoded, on this thread and the prefetching one.
    func decodeAll() {
        guard left.load(ordering: .acquiring) > 0 else { return }
        prefetch()
        // every block no one has claimed, then the ones the other thread was decoding
        for b in 0..<ranges.count where claim(b) { decode(b) }
        for b in 0..<ranges.count where states[b].load(ordering: .acquiring) != NodeBlocks.ready { wait(b) }
    }

    /// Makes block `b` ready: decodes it here, or waits for the thread decoding it.
    @usableFromInline func need(_ b: Int) {
        if claim(b) { decode(b) } else { wait(b) }
        prefetch()
    }

    private func claim(_ b: Int) -> Bool {
        states[b].compareExchange(expected: NodeBlocks.pending, desired: NodeBlocks.decoding, ordering: .acquiring).exchanged
    }

    private func wait(_ b: Int) {
        decoded.lock()
        while states[b].load(ordering: .acquiring) != NodeBlocks.ready { decoded.wait() }
        decoded.unlock()
    }

    private func nodesIn(_ b: Int) -> Int { min(Graph.nodeBlockSize, count - b * Graph.nodeBlockSize) }

    /// Decodes block `b`, which this thread claimed.
    private func decode(_ b: Int) {
        var r = CheckpointReader(UnsafeRawBufferPointer(rebasing: section[ranges[b]]))
        var state = Graph.NodeBlockState()
        let (made, ok) = Graph.decodeNodeBlock(&r, count: nodesIn(b), into: buffer + b * Graph.nodeBlockSize, state: &state)
        // The section's checksum matched at open, so a block that does not read whole was
        // written wrong by this build: no reader can go on without its nodes.
        guard ok, made == nodesIn(b) else {
            preconditionFailure("the snapshot file's node block \(b) does not decode although its checksum matched; delete .mosaic/store.sqlite-snapshot and open the store again (it is rebuilt from the log)")
        }
        states[b].store(NodeBlocks.ready, ordering: .releasing)
        left.subtract(1, ordering: .releasing)
        decoded.lock()
        decoded.broadcast()
        decoded.unlock()
    }

    /// Starts, once, a thread that decodes the blocks no reader has claimed, the last first.
    private func prefetch() {
        guard ranges.count > 1, !prefetchStarted.load(ordering: .relaxed),
              prefetchStarted.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let thread = Thread { [self] in
            // from the last block back, so that it meets a reader going forward (`decodeAll`)
            // only once
            for b in (0..<ranges.count).reversed() where claim(b) { decode(b) }
        }
        thread.name = "mosaic-node-blocks"
        thread.start()
    }
}
