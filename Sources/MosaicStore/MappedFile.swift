import Foundation

/// A file mapped read-only into memory (`mmap`, private), so that a large file is read in
/// place instead of being copied into a buffer first: the snapshot file (SnapshotFile.swift)
/// is decoded straight from the mapping, and its graph keeps reading parts of it in place.
/// Whoever maps a file unmaps it (`unmap()`, or `MappedFile.unmap` from the object that keeps
/// the mapping, `ReadOnlyBytes`), and keeps no pointer into `bytes` after that. Uses
/// Glibc/Darwin through Foundation.
struct MappedFile {
    /// The file's bytes, valid until `unmap()`.
    let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`; nil when it cannot be opened, is empty or cannot be mapped.
    init?(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0, let size = Int(exactly: st.st_size) else { return nil }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        // The decoder reads the file front to back (two threads, each its own sections):
        // ask the kernel to read ahead when the file is not in the page cache.
        _ = madvise(base, size, MADV_WILLNEED)
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    func unmap() { MappedFile.unmap(bytes) }

    /// Unmaps bytes a `MappedFile` mapped.
    static func unmap(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }

    /// Lets the pages of mapped bytes go from the process's resident memory (the mapping is
    /// private and read-only, so nothing is lost: a page read again is read from the file,
    /// most often still in the page cache).
    static func dropResidentPages(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), bytes.count, MADV_DONTNEED)
    }
}
