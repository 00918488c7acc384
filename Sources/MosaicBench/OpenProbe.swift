import Foundation
import MosaicStore

/// Time from process start to a ready graph snapshot on an existing store, and the memory
/// the snapshot takes: the bench starts itself as a child (`mosaic-bench --open-only STORE`),
/// which opens the store, builds the snapshot and prints one `ready` line; the parent times
/// from just before the spawn to reading that line.
enum OpenProbe {
    struct Result {
        /// Spawn to `ready` line, seen by the parent (includes exec, dynamic linking, SQLite open, snapshot build).
        var secondsFromSpawn: Double
        /// `Store.open` inside the child.
        var secondsInProcess: Double
        var nodes: Int
        var relations: Int
        /// Child RSS before `Store.open`, after it, after `malloc_trim`, and its peak.
        var rssBefore: Int
        var rssAfter: Int
        var rssAfterTrim: Int
        var rssPeak: Int
        /// CPU seconds the child used up to `ready` (user + system).
        var cpuSeconds: Double
    }

    /// The child's side: open, report, exit.
    static func runChild(store path: String) -> Never {
        let before = ProcessMemory.residentBytes
        let t0 = BenchContext.now()
        do {
            let store = try Store.open(path: path)
            let g = store.graph
            let dt = BenchContext.now() - t0
            let after = ProcessMemory.residentBytes
            let peak = ProcessMemory.peakBytes
            ProcessMemory.trim()
            let trimmed = ProcessMemory.residentBytes
            print("ready \(g.liveNodeCount) \(g.liveRelationshipCount) \(dt) \(before) \(after) \(trimmed) \(peak) \(BenchContext.cpuSeconds())")
            fflush(nil)
            withExtendedLifetime(store) {}
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("mosaic-bench --open-only: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The parent's side.
    static func spawn(executable: String, store path: String) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["--open-only", path]
        let out = Pipe()
        p.standardOutput = out
        let t0 = BenchContext.now()
        try p.run()
        let handle = out.fileHandleForReading
        var buffer = Data()
        while !buffer.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let t1 = BenchContext.now()
        p.waitUntilExit()
        let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let f = line.split(separator: " ").map(String.init)
        guard p.terminationStatus == 0, f.count == 9, f[0] == "ready", let cpu = Double(f[8]),
              let nodes = Int(f[1]), let rels = Int(f[2]), let inProcess = Double(f[3]),
              let before = Int(f[4]), let after = Int(f[5]), let trimmed = Int(f[6]), let peak = Int(f[7]) else {
            throw BenchError("the --open-only child failed (status \(p.terminationStatus), output '\(line)')")
        }
        return Result(secondsFromSpawn: t1 - t0, secondsInProcess: inProcess, nodes: nodes, relations: rels,
                      rssBefore: before, rssAfter: after, rssAfterTrim: trimmed, rssPeak: peak, cpuSeconds: cpu)
    }
}
