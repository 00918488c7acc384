import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's memory as Linux reports it in /proc/self/status.
enum ProcessMemory {
    /// Resident set size (VmRSS) in bytes; 0 where /proc is missing.
    static var residentBytes: Int { field("VmRSS:") }
    /// Peak resident set size (VmHWM) in bytes.
    static var peakBytes: Int { field("VmHWM:") }

    private static func field(_ name: String) -> Int {
        // /proc files report size 0, so read them with read(2) until the end.
        let fd = Glibc.open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let kb = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return kb * 1024
        }
        return 0
    }

    /// Returns freed heap memory to the system, so that RSS shows what is still in use.
    static func trim() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let sym = dlsym(nil, "malloc_trim") else { return }  // glibc only
        _ = unsafeBitCast(sym, to: Trim.self)(0)
    }
}
