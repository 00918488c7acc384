import ArgumentParser
import Foundation
import MosaicGraph
import MosaicStore

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Show the history of scheduled and manual runs.",
        discussion: "Newest first by the real time each run started; a scheduled run also shows its slot (the instant it was due).")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Only this job (plugin/report).") var job: String?
    @Option(help: "How many runs, newest first.") var limit = 30
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ws = try options.open(loadKB: false)
        let runs = try ws.store.runs(job: job, limit: limit)
        let iso = ISO8601DateFormatter()
        if json {
            print(JSONText.pretty(.list(runs.map { r in
                .map(["id": .int(r.id), "job": .string(r.job), "status": .string(r.status.rawValue),
                      "slot": r.scheduledFor.map { .string(iso.string(from: $0)) } ?? .null,
                      "scheduled_for": r.scheduledFor.map { .string(iso.string(from: $0)) } ?? .null,
                      "started": .string(iso.string(from: r.started)), "ended": r.ended.map { .string(iso.string(from: $0)) } ?? .null,
                      "error": r.error.map(Value.string) ?? .null, "outputs": .list(r.outputs.map(Value.string)),
                      "kb_transaction": .int(r.transaction)])
            })))
            return
        }
        if runs.isEmpty { print("no runs yet (mosaic schedule runs reports on time; mosaic brief runs them now)"); return }
        for r in runs {
            let took = r.ended.map { String(format: "%.2f s", $0.timeIntervalSince(r.started)) } ?? "-"
            let slot = r.scheduledFor.map { "  slot \(iso.string(from: $0))" } ?? ""
            print("#\(r.id)  \(iso.string(from: r.started))  \(pad(r.status.rawValue, 11)) \(pad(r.job, 28)) \(took)  tx\(r.transaction)\(slot)")
            if let e = r.error { print("      error: \(e.split(separator: "\n").first ?? "")") }
            for o in r.outputs { print("      → \(o)") }
        }
    }
}
