import Foundation
import MosaicPlugins
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic random source (SplitMix64): one per input, from the run's seed and the
/// input's index, so `--seed S --index I` regenerates any input alone.
struct FuzzRandom {
    private var source: SplitMix64
    init(seed: UInt64, index: Int) {
        source = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ (UInt64(index) &+ 0x632B_E59B_D9B4_E019))
        _ = next(); _ = next()
    }
    mutating func next() -> UInt64 { source.next() }
    /// 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
    /// Mostly small, sometimes large: for depths and repeat counts.
    mutating func size(_ small: Int, _ large: Int) -> Int { chance(85) ? 1 + below(small) : 1 + below(large) }
}

/// What one input did: a result or an error are both fine; only a crash, a hang or
/// unbounded memory are findings (and those end the process).
enum Outcome { case ok, error }

protocol FuzzTarget {
    var name: String { get }
    /// The input for this random source (generated or mutated from the seeds).
    func generate(_ r: inout FuzzRandom) -> [UInt8]
    func run(_ input: [UInt8]) -> Outcome
    /// How long one input may take before it counts as a hang (far above its own limits).
    var hangSeconds: Double { get }
}

/// Global state the signal handler and the watchdog read. The handler only calls
/// async-signal-safe functions (rename, write, _exit).
nonisolated(unsafe) var crashCurrentPath: UnsafeMutablePointer<CChar>? = nil
nonisolated(unsafe) var crashSavedPath: UnsafeMutablePointer<CChar>? = nil
nonisolated(unsafe) var crashIndex: Int = -1

private func writeStderr(_ p: UnsafePointer<CChar>) { _ = write(2, p, strlen(p)) }

nonisolated(unsafe) let crashDigits = UnsafeMutablePointer<CChar>.allocate(capacity: 24)

private func writeDigits(_ v: Int) {
    var n = v < 0 ? 0 : v, i = 22
    crashDigits[23] = 0
    repeat { crashDigits[i] = CChar(48 + n % 10); n /= 10; i -= 1 } while n > 0 && i >= 0
    _ = write(2, crashDigits + i + 1, 22 - i)
}

private let crashHandler: @convention(c) (Int32) -> Void = { sig in
    if let cur = crashCurrentPath, let saved = crashSavedPath { _ = rename(cur, saved) }
    writeStderr("\nmosaic-fuzz: CRASH (signal ")
    writeDigits(Int(sig))
    writeStderr(") on input #")
    writeDigits(crashIndex)
    writeStderr("; the input is saved as ")
    if let saved = crashSavedPath { writeStderr(saved) }
    writeStderr("\n")
    _exit(1)
}

/// Runs a target over `count` inputs with a watchdog for hangs and memory.
// @unchecked Sendable: the input in progress (`currentIndex`, …) only under `lock`, shared with the hang watchdog; the rest is immutable.
final class FuzzDriver: @unchecked Sendable {
    let target: FuzzTarget
    let seed: UInt64
    let corpus: URL
    let memoryCap: Int
    private let lock = NSLock()
    private var currentIndex = -1
    private var currentStart: UInt64 = 0
    private var fd: Int32 = -1
    private let currentURL: URL

    init(target: FuzzTarget, seed: UInt64, corpus: URL, memoryCap: Int) {
        self.target = target; self.seed = seed; self.corpus = corpus; self.memoryCap = memoryCap
        try? FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        currentURL = corpus.appendingPathComponent("\(target.name).current")
    }

    func savedURL(_ kind: String, _ index: Int) -> URL {
        corpus.appendingPathComponent("\(target.name)-\(kind)-seed\(seed)-\(index).txt")
    }

    /// Installs the crash handler (on an alternate stack, so a stack overflow of the main
    /// thread is caught too; other threads' overflows end the process, and scripts/fuzz
    /// keeps the `.current` file then).
    func installCrashHandler() {
        fd = open(currentURL.path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        crashCurrentPath = strdup(currentURL.path)
        crashSavedPath = strdup(corpus.appendingPathComponent("\(target.name)-crash-seed\(seed).txt").path)
        let altSize = 1 << 16
        var ss = stack_t()
        ss.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: altSize, alignment: 16)
        ss.ss_size = altSize
        ss.ss_flags = 0
        sigaltstack(&ss, nil)
        for sig in [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] {
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = crashHandler
            sa.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&sa.sa_mask)
            sigaction(sig, &sa, nil)
        }
    }

    func startWatchdog() {
        let t = Thread { [self] in
            while true {
                usleep(100_000)
                lock.lock()
                let index = currentIndex, start = currentStart
                lock.unlock()
                if index >= 0 {
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
                    if elapsed > target.hangSeconds { finding("HANG", "hang", index, "ran \(String(format: "%.1f", elapsed)) s (the cap is \(target.hangSeconds) s)", 3) }
                }
                let rss = FuzzDriver.residentBytes()
                if rss > memoryCap { finding("MEMORY", "memory", index, "resident memory \(rss >> 20) MB above the cap of \(memoryCap >> 20) MB", 4) }
            }
        }
        t.stackSize = 1 << 20
        t.start()
    }

    private func finding(_ label: String, _ kind: String, _ index: Int, _ detail: String, _ code: Int32) {
        let dest = savedURL(kind, index)
        _ = rename(currentURL.path, dest.path)
        FileHandle.standardError.write(Data("\nmosaic-fuzz: \(label) on \(target.name) input #\(index): \(detail); the input is saved as \(dest.path)\n".utf8))
        _exit(code)
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii) else { return 0 }
        let parts = text.split(separator: " ")
        guard parts.count > 1, let pages = Int(parts[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private func record(_ input: [UInt8], index: Int) {
        ftruncate(fd, 0)
        input.withUnsafeBytes { _ = pwrite(fd, $0.baseAddress, $0.count, 0) }
        crashIndex = index
        lock.lock(); currentIndex = index; currentStart = DispatchTime.now().uptimeNanoseconds; lock.unlock()
    }

    /// Runs inputs `first..<first+count` (or until `maxSeconds`); returns the totals.
    func run(first: Int, count: Int, maxSeconds: Double?) -> (inputs: Int, errors: Int, seconds: Double) {
        installCrashHandler()
        startWatchdog()
        let t0 = DispatchTime.now().uptimeNanoseconds
        var errors = 0, done = 0, bytes = 0
        var lastReport = t0
        for i in first..<(first + count) {
            var r = FuzzRandom(seed: seed, index: i)
            let input = target.generate(&r)
            bytes += input.count
            record(input, index: i)
            if target.run(input) == .error { errors += 1 }
            done += 1
            if done & 1023 == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                let secs = Double(now - t0) / 1e9
                if now - lastReport > 10_000_000_000 {
                    lastReport = now
                    print(String(format: "  %@: %d inputs, %.0f s, %.0f/s, %d errors (expected), RSS %d MB",
                                 target.name, done, secs, Double(done) / secs, errors, FuzzDriver.residentBytes() >> 20))
                    fflush(nil)
                }
                if let maxSeconds, secs > maxSeconds { break }
            }
        }
        lock.lock(); currentIndex = -1; lock.unlock()
        close(fd)
        try? FileManager.default.removeItem(at: currentURL)
        let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        _ = bytes
        return (done, errors, secs)
    }
}

/// Byte- and line-level mutations shared by the targets.
enum Mutate {
    static let interestingBytes: [UInt8] = [0, 1, 0x1b, 0x7f, 0x80, 0xc3, 0xff, 0x0a, 0x0d, 0x09, 0x20, 0x22, 0x27,
                                            0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x3a, 0x2d, 0x2c, 0x26, 0x2a, 0x23, 0x7c, 0x3e, 0x5c, 0x25, 0x21, 0x3f]

    static func lines(_ b: [UInt8]) -> [ArraySlice<UInt8>] { b.split(separator: 0x0a, omittingEmptySubsequences: false) }
    static func join(_ l: [ArraySlice<UInt8>]) -> [UInt8] { Array(l.joined(separator: [0x0a])) }

    /// Applies one to `n` random mutations; `tokens` are inserted as whole words.
    static func mutate(_ input: [UInt8], _ r: inout FuzzRandom, tokens: [String], others: [[UInt8]], rounds: Int) -> [UInt8] {
        var b = input
        for _ in 0..<rounds {
            switch r.below(11) {
            case 0 where !b.isEmpty:   // flip a bit
                let i = r.below(b.count); b[i] ^= 1 << UInt8(r.below(8))
            case 1 where !b.isEmpty:   // an interesting byte
                b[r.below(b.count)] = r.pick(interestingBytes)
            case 2 where !b.isEmpty:   // delete a range
                let i = r.below(b.count); let n = min(b.count - i, r.size(8, 200)); b.removeSubrange(i..<(i + n))
            case 3 where !b.isEmpty:   // duplicate a range
                let i = r.below(b.count); let n = min(b.count - i, r.size(16, 400)); let chunk = Array(b[i..<(i + n)])
                b.insert(contentsOf: chunk, at: r.below(b.count + 1))
            case 4:                    // insert a token
                b.insert(contentsOf: Array(r.pick(tokens).utf8), at: r.below(b.count + 1))
            case 5:                    // delete a line
                var l = lines(b); if l.count > 1 { l.remove(at: r.below(l.count)); b = join(l) }
            case 6:                    // duplicate a line
                var l = lines(b); if !l.isEmpty { let i = r.below(l.count); l.insert(l[i], at: r.below(l.count + 1)); b = join(l) }
            case 7:                    // swap two lines
                var l = lines(b); if l.count > 1 { l.swapAt(r.below(l.count), r.below(l.count)); b = join(l) }
            case 8 where !others.isEmpty:   // splice a piece of another seed
                let o = r.pick(others)
                if !o.isEmpty {
                    let i = r.below(o.count); let n = min(o.count - i, r.size(40, 400))
                    b.insert(contentsOf: o[i..<(i + n)], at: r.below(b.count + 1))
                }
            case 9:                    // replace a number with an interesting one
                if let (s, e) = numberRange(b, from: r.below(max(1, b.count))) {
                    b.replaceSubrange(s..<e, with: Array(r.pick(interestingNumbers).utf8))
                }
            default:                   // truncate
                if !b.isEmpty { b.removeSubrange(r.below(b.count)...) }
            }
        }
        return b
    }

    static let interestingNumbers = ["0", "-1", "1", "255", "65536", "2147483647", "2147483648", "-2147483649",
                                     "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                                     "99999999999999999999999", "1e308", "1e309", "-1e309", "0.0000001", "nan", "NaN", "inf",
                                     "1_000", "0x7fffffffffffffff", "0o777", "1.5", "-0", "100000000"]

    /// The first run of digits at or after `from`.
    static func numberRange(_ b: [UInt8], from: Int) -> (Int, Int)? {
        var i = from
        while i < b.count, !(48...57).contains(b[i]) { i += 1 }
        guard i < b.count else { return nil }
        var e = i
        while e < b.count, (48...57).contains(b[e]) { e += 1 }
        return (i, e)
    }
}
