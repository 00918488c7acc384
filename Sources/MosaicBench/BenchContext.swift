import Foundation
import MosaicGraph
import MosaicStore

/// What workloads share: the data set, the repetition counts, a scratch directory, a store
/// holding the data (imported once, by the import workload or on first use), and timing.
// @unchecked Sendable: the workloads run one after another on the main thread; the store cache and the open probes are touched only from there.
final class BenchContext: @unchecked Sendable {
    let data: DataSet
    /// Timed repetitions (after `warmup` untimed ones) of fast workloads, and of the slow
    /// ones (import, process start).
    let repetitions: Int
    let slowRepetitions: Int
    let warmup: Int
    let workDir: URL
    let executable: String
    private var cachedStorePath: String?
    private var cachedStore: Store?
    /// Results of the `--open-only` child runs (the open and memory workloads share them).
    var openProbes: [OpenProbe.Result] = []

    init(data: DataSet, repetitions: Int, slowRepetitions: Int, warmup: Int, workDir: URL) {
        self.data = data
        self.repetitions = repetitions
        self.slowRepetitions = slowRepetitions
        self.warmup = warmup
        self.workDir = workDir
        executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// CPU seconds (user + system) this process has used: beside wall-clock figures on a
    /// loaded machine, it tells the work from the waiting.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
    }

    /// CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Times `body` (`warmup` untimed runs, then `reps` timed ones); each run returns the
    /// check value, which must not change between runs. Figures are seconds per op.
    func measure(ops: Int = 1, reps: Int? = nil, warmup: Int? = nil, _ body: () throws -> String) throws -> Measurement {
        var check: String?
        var runs: [Double] = []
        var note = ""
        var cpuRuns: [Double] = []
        for i in 0..<((warmup ?? self.warmup) + (reps ?? repetitions)) {
            let t0 = BenchContext.now(), c0 = BenchContext.threadCPUSeconds()
            let c = try body()
            let dt = BenchContext.now() - t0
            if i >= (warmup ?? self.warmup) { cpuRuns.append((BenchContext.threadCPUSeconds() - c0) / Double(max(1, ops))) }
            if let check, check != c { note = "check value changed between runs (\(check) then \(c))" }
            check = check ?? c
            if i >= (warmup ?? self.warmup) { runs.append(dt / Double(max(1, ops))) }
        }
        return Measurement(runs: runs, check: check ?? "", note: note, cpuRuns: cpuRuns)
    }

    /// A store file holding the data set (the last one the import workload made, else one
    /// imported now, untimed).
    func storePath() throws -> String {
        if let cachedStorePath { return cachedStorePath }
        let (path, store, _) = try importFresh(tag: "shared")
        cachedStorePath = path
        cachedStore = store
        return path
    }

    /// CPU seconds of the last `importFresh`.
    private(set) var lastImportCPU = 0.0

    /// Imports the data set into a new store file; returns its path, the open store and the seconds taken.
    func importFresh(tag: String) throws -> (String, Store, Double) {
        let dir = workDir.appendingPathComponent("store-\(tag)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("store.sqlite").path
        let t0 = BenchContext.now(), c0 = BenchContext.cpuSeconds()
        let store = try Store.open(path: path)
        _ = try BulkImporter(store: store).importFiles([data.nodesCSV, data.edgesCSV])
        lastImportCPU = BenchContext.cpuSeconds() - c0
        return (path, store, BenchContext.now() - t0)
    }

    /// Makes `path`/`store` the shared store (the import workload keeps its last run).
    func adopt(path: String, store: Store) {
        if let old = cachedStorePath, old != path {
            cachedStore = nil
            try? FileManager.default.removeItem(atPath: (old as NSString).deletingLastPathComponent)
        }
        cachedStorePath = path
        cachedStore = store
    }

    /// The open store holding the data set.
    func store() throws -> Store {
        if let cachedStore { return cachedStore }
        let path = try storePath()
        if let cachedStore { return cachedStore }
        let s = try Store.open(path: path)
        cachedStore = s
        return s
    }

    /// The store's current graph snapshot.
    func graph() throws -> Graph { try store().graph }

    /// Runs the `--open-only` child on the shared store until there are `count` results.
    func probes(_ count: Int) throws -> [OpenProbe.Result] {
        let path = try storePath()
        while openProbes.count < count {
            openProbes.append(try OpenProbe.spawn(executable: executable, store: path))
        }
        return openProbes
    }
}
