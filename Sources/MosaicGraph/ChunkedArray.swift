/// An array kept in chunks of 4,096 elements. A graph snapshot is shared by its readers, so
/// the first change a writer makes to its copy copies what it touches: with one flat array
/// of 500,000 relationships that is 24 MB for one new fact; here it is the list of chunks
/// and the one chunk changed.
public struct ChunkedArray<Element>: RandomAccessCollection, MutableCollection {
    @usableFromInline static var shift: Int { 12 }
    @usableFromInline static var chunkSize: Int { 1 << shift }

    @usableFromInline var chunks: [[Element]] = []
    @usableFromInline var storedCount = 0

    @inlinable public var count: Int { storedCount }

    @inlinable public init() {}

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storedCount }

    @inlinable @inline(__always)
    public subscript(i: Int) -> Element {
        _read {  // a borrow: reading a field of an element copies (retains) nothing else
            precondition(i >= 0 && i < storedCount, "index out of range")
            yield chunks[i &>> Self.shift][i & (Self.chunkSize - 1)]
        }
        _modify {
            precondition(i >= 0 && i < storedCount, "index out of range")
            yield &chunks[i &>> Self.shift][i & (Self.chunkSize - 1)]
        }
    }

    @inlinable public mutating func append(_ e: Element) {
        if storedCount & (Self.chunkSize - 1) == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(e)
        storedCount += 1
    }

    @inlinable public mutating func reserveCapacity(_ n: Int) { chunks.reserveCapacity((n + Self.chunkSize - 1) >> Self.shift) }

    /// Appends a whole chunk's worth (or the last, shorter one) at once: the checkpoint reader.
    mutating func appendChunk(_ chunk: [Element]) {
        precondition(storedCount & (Self.chunkSize - 1) == 0 && chunk.count <= Self.chunkSize)
        guard !chunk.isEmpty else { return }
        chunks.append(chunk)
        storedCount += chunk.count
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}
