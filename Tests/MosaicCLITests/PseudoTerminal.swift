import Foundation

/// Runs a program on a pseudo-terminal, as a person at a terminal would: type text, press
/// keys (Tab, Ctrl-C, Ctrl-D, arrows), and read what the screen shows.
final class PseudoTerminal {
    let process = Process()
    private let master: Int32
    /// N of the terminal's /dev/pts/N.
    private let ptsNumber: UInt32
    private var output = [UInt8]()

    /// Starts `executable arguments` in `directory` with the terminal as its controlling
    /// terminal (so Ctrl-C sends SIGINT, as in a real shell).
    init(_ executable: URL, _ arguments: [String], directory: URL, columns: UInt16 = 100) throws {
        // posix_openpt/unlockpt/ptsname by hand: /dev/ptmx, TIOCSPTLCK, TIOCGPTN.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0, ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0 else {
            throw NSError(domain: "pty", code: 1)
        }
        ptsNumber = number
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let slave = FileHandle(forUpdatingAtPath: slavePath)!
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", executable.path] + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try slave.close()
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    func type(_ text: String) { send(Array(text.utf8)) }
    func press(_ key: Key) { send(key.bytes) }

    enum Key {
        case tab, enter, ctrlC, ctrlD, ctrlR, up
        var bytes: [UInt8] {
            switch self {
            case .tab: [9]; case .enter: [13]; case .ctrlC: [3]; case .ctrlD: [4]; case .ctrlR: [18]
            case .up: [27, 91, 65]
            }
        }
    }

    private func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { _ = write(master, $0.baseAddress, $0.count) }
    }

    private func drain() {
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buf, buf.count)
            if n <= 0 { break }
            output.append(contentsOf: buf[0..<n])
        }
    }

    /// Everything shown so far, with terminal escape sequences removed.
    var screen: String {
        drain()
        return PseudoTerminal.plain(String(decoding: output, as: UTF8.self))
    }

    /// Waits until the screen contains `text` (after `from` characters), up to `timeout`.
    @discardableResult
    func waitFor(_ text: String, after from: Int = 0, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let s = screen
            if s.count > from, s.dropFirst(from).contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    /// Waits until the screen ends with a fresh prompt (keys sent earlier could reach the
    /// terminal while it is not yet in the line editor's raw mode).
    func waitForPrompt(_ prompt: String = "mosaic> ", timeout: TimeInterval = 10) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && !screen.hasSuffix(prompt) { usleep(20_000) }
        usleep(50_000)
    }

    /// Waits until the program has used `seconds` more CPU time than `since` (a value of
    /// `cpuSeconds`): what shows that a command it was given is running.
    @discardableResult
    func waitForWork(_ seconds: Double, since: Double, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            drain()
            if cpuSeconds - since >= seconds { return true }
            usleep(20_000)
        }
        return false
    }

    /// The CPU time (user + system) used by the processes whose controlling terminal is this
    /// one: the program (`setsid` may have forked it, so its pid is not `process`'s). Linux, /proc.
    var cpuSeconds: Double {
        // the terminal's device number as /proc/PID/stat shows it (major 136: /dev/pts)
        let device = Int(ptsNumber & 0xff) | (136 << 8) | (Int(ptsNumber & ~0xff) << 12)
        var total = 0.0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.allSatisfy(\.isNumber) {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // the fields after the command name: state (field 3), …, tty_nr (7), …, utime (14), stime (15)
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, Int(fields[4]) == device, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            total += (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
        return total
    }

    func waitForExit(timeout: TimeInterval = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { drain(); usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    static func plain(_ s: String) -> String {
        var out = ""
        var it = s.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "\u{1B}" {
                guard let n = it.next() else { break }
                if n == "[" { while let k = it.next(), !(k.value >= 0x40 && k.value <= 0x7E) {} }
                continue
            }
            if c == "\r" || c == "\u{07}" || c == "\u{08}" { continue }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
