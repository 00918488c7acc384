// mosaic-bench: the benchmark driver scripts/bench runs (release build). It runs Mosaic's
// workloads on a graph directory written by ../shared/bench/gen_graph.py or `mosaic
// generate`, prints each figure with its check value beside the peers' (peers.py's JSON
// results for the same data), and the ratio. Uses MosaicStore and MosaicGraph; the
// workload registry (WorkloadRegistry) is where the other engines add theirs.
import Foundation
import MosaicCLI
import MosaicGraph
import MosaicStore

let usage = """
    usage: mosaic-bench DATA_DIR [--workloads a,b,f|NAME,…] [--reps N] [--slow-reps N] [--warmup N]
                                 [--peers-dir DIR] [--json FILE] [--keep] [--list]
           mosaic-bench --open-only STORE   (the child the a.open workload times)
           mosaic-bench --digest STORE      (a digest of the snapshot, to check loader changes)
           mosaic-bench --generate ENTITIES EDGES_PER_ENTITY SEED OUT_DIR   (as `mosaic generate`)
    """

func fail(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("mosaic-bench: \(message)\n".utf8))
    exit(status)
}

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "--open-only" {
    guard args.count == 2 else { fail("--open-only takes the store path\n\(usage)") }
    OpenProbe.runChild(store: args[1])
}
if args.first == "--generate" {
    // The same generator as `mosaic generate` (for when only the bench is built).
    guard args.count == 5, let n = Int(args[1]), let e = Double(args[2]), let seed = UInt64(args[3]) else {
        fail("--generate takes ENTITIES EDGES_PER_ENTITY SEED OUT_DIR\n\(usage)")
    }
    let gen = GraphGenerator(entities: n, edgesPerEntity: e, seed: seed)
    if let problem = gen.problem { fail(problem) }
    do {
        let s = try gen.write(to: URL(fileURLWithPath: args[4]))
        print("wrote \(s.nodeCount) nodes, \(s.edgeCount) edges to \(args[4])")
        print("node types: \(s.nodeTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        print("edge types: \(s.edgeTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        exit(0)
    } catch { fail("\(error)", status: 1) }
}
if args.first == "--digest" {
    guard args.count == 2 else { fail("--digest takes the store path\n\(usage)") }
    do {
        let g = try Store.open(path: args[1]).graph
        print("\(g.liveNodeCount) nodes, \(g.liveRelationshipCount) relations, digest \(String(GraphDigest.of(g), radix: 16))")
        exit(0)
    } catch { fail("\(error)", status: 1) }
}

struct Options {
    var dataDir: String?
    var workloadSpec: String?
    var reps = 5, slowReps = 3, warmup = 1
    var peersDir: String?
    var jsonOut: String?
    var keep = false
    var listOnly = false

    init(_ args: [String]) {
        var i = 0
        func value(_ name: String) -> String {
            i += 1
            guard i < args.count else { fail("\(name) needs a value\n\(usage)") }
            return args[i]
        }
        func number(_ name: String) -> Int {
            guard let n = Int(value(name)), n >= 0 else { fail("\(name) needs a whole number\n\(usage)") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--workloads": workloadSpec = value("--workloads")
            case "--reps": reps = max(1, number("--reps"))
            case "--slow-reps": slowReps = max(1, number("--slow-reps"))
            case "--warmup": warmup = number("--warmup")
            case "--peers-dir": peersDir = value("--peers-dir")
            case "--json": jsonOut = value("--json")
            case "--keep": keep = true
            case "--list": listOnly = true
            case "-h", "--help": print(usage); exit(0)
            case let a where a.hasPrefix("-"): fail("unknown option \(a)\n\(usage)")
            case let a:
                guard dataDir == nil else { fail("one DATA_DIR only\n\(usage)") }
                dataDir = a
            }
            i += 1
        }
    }
}

let options = Options(args)
let (reps, slowReps, warmup, keep) = (options.reps, options.slowReps, options.warmup, options.keep)

if options.listOnly {
    for w in WorkloadRegistry.all { print("\(w.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(w.unit.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(w.summary)") }
    exit(0)
}
guard let dataDir = options.dataDir else { fail("DATA_DIR is missing\n\(usage)") }

let workloads: [Workload]
do { workloads = try WorkloadRegistry.select(options.workloadSpec) } catch { fail("\(error)\n\(usage)") }
do {
    let data = try DataSet(directory: URL(fileURLWithPath: dataDir))
    let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mosaic-bench-\(getpid())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { if !keep { try? FileManager.default.removeItem(at: work) } }
    let ctx = BenchContext(data: data, repetitions: reps, slowRepetitions: slowReps, warmup: warmup, workDir: work)
    let defaultPeers = FileManager.default.currentDirectoryPath + "/../shared/bench/results"
    let peers = PeerResults.find(in: options.peersDir ?? defaultPeers, for: data)
    let report = BenchReport(data: data, peers: peers, reps: reps, slowReps: slowReps, warmup: warmup)
    report.header()
    for w in workloads {
        let m: Measurement
        do { m = try w.run(ctx) } catch {
            report.failed(w, error)
            continue
        }
        report.row(w, m)
    }
    report.footer()
    if let jsonOut = options.jsonOut { try report.writeJSON(to: jsonOut) }
    if keep { print("kept the scratch stores in \(work.path)") }
} catch {
    fail("\(error)", status: 1)
}
