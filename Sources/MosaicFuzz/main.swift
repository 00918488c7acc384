// mosaic-fuzz: seeded fuzz targets for the kb parser, the query language and the Lua kb API.
// Never part of the tests; scripts/fuzz builds it in release and runs all three.
import Foundation

let usage = """
usage: mosaic-fuzz kb|query|lua [--seed N] [--count N] [--first I] [--max-seconds S]
                               [--workspace DIR] [--corpus DIR] [--memory-cap MB]
       mosaic-fuzz kb|query|lua --seed N --index I --print    (print one generated input)
       mosaic-fuzz kb|query|lua --replay FILE...               (run saved inputs)
Each input runs in-process; a crash (signal), a hang (an input far past its limits) or
resident memory above the cap ends the run with a non-zero status and the input saved in
the corpus folder (default: fuzz-crashes/). Exit 0: no finding.
"""

var args = Array(CommandLine.arguments.dropFirst())
guard let targetName = args.first, ["kb", "query", "lua"].contains(targetName) else {
    FileHandle.standardError.write(Data((usage + "\n").utf8)); exit(2)
}
args.removeFirst()
var seed: UInt64 = 1, count = 1000, first = 0, maxSeconds: Double? = nil, printIndex: Int? = nil
var workspace = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
var corpus = URL(fileURLWithPath: "fuzz-crashes")
var memoryCapMB = 2048
var replay: [String] = []
var printOnly = false
var i = 0
@MainActor func value() -> String {
    i += 1
    guard i < args.count else { FileHandle.standardError.write(Data("missing value for \(args[i - 1])\n\(usage)\n".utf8)); exit(2) }
    return args[i]
}
while i < args.count {
    switch args[i] {
    case "--seed": seed = UInt64(value()) ?? 1
    case "--count": count = Int(value()) ?? count
    case "--first": first = Int(value()) ?? 0
    case "--index": printIndex = Int(value())
    case "--print": printOnly = true
    case "--max-seconds": maxSeconds = Double(value())
    case "--workspace": workspace = URL(fileURLWithPath: value())
    case "--corpus": corpus = URL(fileURLWithPath: value())
    case "--memory-cap": memoryCapMB = Int(value()) ?? memoryCapMB
    case "--replay": while i + 1 < args.count, !args[i + 1].hasPrefix("--") { i += 1; replay.append(args[i]) }
    default: FileHandle.standardError.write(Data("unknown argument \(args[i])\n\(usage)\n".utf8)); exit(2)
    }
    i += 1
}

let target: FuzzTarget
do {
    switch targetName {
    case "kb": target = try KBTarget(workspace: workspace)
    case "query": target = try QueryTarget(workspace: workspace)
    default: target = try LuaTarget(workspace: workspace)
    }
} catch {
    FileHandle.standardError.write(Data("mosaic-fuzz: cannot set up the \(targetName) target: \(error) (run from the repository root, or pass --workspace)\n".utf8))
    exit(2)
}

if let printIndex {
    var r = FuzzRandom(seed: seed, index: printIndex)
    FileHandle.standardOutput.write(Data(target.generate(&r)))
    if !printOnly { print() }
    exit(0)
}
if !replay.isEmpty {
    for path in replay {
        guard let data = FileManager.default.contents(atPath: path) else { print("\(path): cannot read"); exit(2) }
        let t0 = Date()
        let outcome = target.run(Array(data))
        print("\(path): \(outcome == .ok ? "ok" : "error") in \(String(format: "%.3f", Date().timeIntervalSince(t0))) s")
    }
    (target as? LuaTarget)?.removeWorkspace()
    exit(0)
}

let driver = FuzzDriver(target: target, seed: seed, corpus: corpus, memoryCap: memoryCapMB << 20)
print("mosaic-fuzz \(targetName): seed \(seed), inputs \(first)..<\(first + count)\(maxSeconds.map { ", at most \($0) s" } ?? "")")
fflush(nil)
let (done, errors, secs) = driver.run(first: first, count: count, maxSeconds: maxSeconds)
print(String(format: "mosaic-fuzz %@: %d inputs in %.1f s (%.0f/s), %d rejected with an error (expected), 0 crashes, 0 hangs, peak RSS check passed (cap %d MB)",
             targetName, done, secs, Double(done) / max(secs, 0.001), errors, memoryCapMB))
(target as? LuaTarget)?.removeWorkspace()
