/// An array kept in chunks of 4,096 elements. A graph snapshot is shared by its readers, so
/// the first change a writer makes to its copy copies what it touches: with one flat array
/// of 500,000 relationships that is 24 MB for one new fact; here it is the list of chunks
/// and the one chunk changed.
///
/// A chunk is a pointer to its elements and the object that keeps them: either a buffer of
/// its own (`ChunkBuffer`) or bytes it only reads, such as a mapped snapshot file
/// (`ReadOnlyBytes`; `init(readOnly:count:keeper:)`). Reading is one array load and one
/// pointer load, whatever the chunk's kind. A write (or an append to the last chunk) first
/// makes the chunk a buffer of this array's alone: it copies a chunk that is shared with
/// another copy of the array or read-only (copy-on-write, as `Array` does).
public struct ChunkedArray<Element>: RandomAccessCollection, MutableCollection {
    @usableFromInline static var shift: Int { 12 }
    @usableFromInline static var chunkSize: Int { 1 << shift }

    /// Each chunk's first element.
    @usableFromInline var bases: [UnsafeMutablePointer<Element>] = []
    /// What keeps each chunk's elements (a `ChunkBuffer<Element>` or read-only bytes).
    @usableFromInline var keepers: [ChunkKeeper] = []
    @usableFromInline var storedCount = 0

    @inlinable public var count: Int { storedCount }

    @inlinable public init() {}

    /// An array over `count` elements at `start` that it reads in place and never writes
    /// (a write copies the chunk it touches): `keeper` keeps them valid.
    public init(readOnly start: UnsafePointer<Element>, count: Int, keeper: ReadOnlyBytes) {
        var at = 0
        bases.reserveCapacity((count + Self.chunkSize - 1) >> Self.shift)
        while at < count {
            bases.append(UnsafeMutablePointer(mutating: start + at))
            keepers.append(keeper)
            at += Self.chunkSize
        }
        storedCount = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storedCount }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Element {
        _read {  // a borrow: reading a field of an element copies (retains) nothing else
            precondition(i >= 0 && i < storedCount, "index out of range")
            yield bases[i &>> Self.shift][i & (Self.chunkSize - 1)]
        }
        _modify {
            precondition(i >= 0 && i < storedCount, "index out of range")
            let c = i &>> Self.shift
            if !isKnownUniquelyReferenced(&keepers[c]) || !keepers[c].writable { ownChunk(c) }
            yield &bases[c][i & (Self.chunkSize - 1)]
        }
    }

    /// How many elements chunk `c` holds.
    @inlinable func countOfChunk(_ c: Int) -> Int { Swift.min(Self.chunkSize, storedCount - (c << Self.shift)) }

    /// Makes chunk `c` a buffer of this array's alone, with room for a whole chunk.
    @usableFromInline mutating func ownChunk(_ c: Int) {
        let n = countOfChunk(c)
        let buffer = ChunkBuffer<Element>(capacity: Self.chunkSize)
        buffer.start.initialize(from: bases[c], count: n)
        buffer.count = n
        bases[c] = buffer.start
        keepers[c] = buffer
    }

    @inlinable public mutating func append(_ e: Element) {
        if storedCount & (Self.chunkSize - 1) == 0 {
            let buffer = ChunkBuffer<Element>(capacity: Self.chunkSize)
            bases.append(buffer.start)
            keepers.append(buffer)
        } else {
            let c = keepers.count - 1
            if !isKnownUniquelyReferenced(&keepers[c]) || !keepers[c].writable { ownChunk(c) }
        }
        let c = keepers.count - 1
        let j = storedCount & (Self.chunkSize - 1)
        (bases[c] + j).initialize(to: e)
        unsafeDowncast(keepers[c], to: ChunkBuffer<Element>.self).count = j + 1
        storedCount += 1
    }

    @inlinable public mutating func reserveCapacity(_ n: Int) {
        let chunks = (n + Self.chunkSize - 1) >> Self.shift
        bases.reserveCapacity(chunks)
        keepers.reserveCapacity(chunks)
    }

    /// Calls `body` with each chunk's elements in order (the checkpoint writer).
    func forEachChunk(_ body: (UnsafeBufferPointer<Element>) throws -> Void) rethrows {
        for c in bases.indices {
            try withExtendedLifetime(keepers[c]) { try body(UnsafeBufferPointer(start: bases[c], count: countOfChunk(c))) }
        }
    }

    /// Whether element `i` is read in place from read-only bytes (tests).
    func isReadOnly(_ i: Int) -> Bool { !keepers[i >> Self.shift].writable }
}

// @unchecked Sendable: the chunks are reached only through `bases` and `keepers`, which are
// arrays (values); a chunk is written only through a copy of the array that holds the only
// reference to its buffer (`isKnownUniquelyReferenced`, as `Array`'s own storage), and read-only
// bytes are never written. So two copies on two threads never share a chunk being written.
extension ChunkedArray: @unchecked Sendable where Element: Sendable {}

/// What keeps a chunk's elements alive: a chunk's own buffer, or bytes read in place.
public class ChunkKeeper {
    /// Whether the chunk may be written (once this is its only reference).
    @usableFromInline let writable: Bool
    @usableFromInline init(writable: Bool) { self.writable = writable }
}

/// A chunk's own elements: `count` initialised elements at `start`, room for `capacity`.
@usableFromInline final class ChunkBuffer<Element>: ChunkKeeper {
    @usableFromInline let start: UnsafeMutablePointer<Element>
    // (written only by the array holding the only reference: no run-time exclusivity check)
    @exclusivity(unchecked) @usableFromInline var count = 0

    @usableFromInline init(capacity: Int) {
        start = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        super.init(writable: true)
    }

    deinit {
        start.deinitialize(count: count)
        start.deallocate()
    }
}

/// Bytes that arrays read in place and never write, such as a mapped snapshot file;
/// `release` runs when the last array reading them is gone (it unmaps the file).
public final class ReadOnlyBytes: ChunkKeeper, @unchecked Sendable {
    // @unchecked Sendable: `bytes` is never written (by anyone: the mapping is read-only) and
    // `release` runs once, in deinit.
    public let bytes: UnsafeRawBufferPointer
    private let release: @Sendable (UnsafeRawBufferPointer) -> Void

    public init(_ bytes: UnsafeRawBufferPointer, release: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.bytes = bytes
        self.release = release
        super.init(writable: false)
    }

    deinit { release(bytes) }
}
