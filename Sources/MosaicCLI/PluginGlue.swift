import ArgumentParser
import Foundation
import MosaicGraph
import MosaicInference
import MosaicLua
import MosaicPluginReports
import MosaicPluginRules
import MosaicPlugins
import MosaicQuery
import MosaicReports
import MosaicSchedule
import MosaicStore

/// Connects the CLI to the plugin runtime: `mosaic plugins`, `run`, `infer`, the checks of
/// `mosaic check`, the reports `mosaic brief` and `mosaic schedule` render, and the console's
/// Lua mode.
enum PluginGlue {
    /// A runner over the store, or over `graph` (a view: its runs' writes are shown, not committed).
    static func runner(_ ws: Workspace, graph: Graph? = nil) throws -> PluginRunner {
        let r = graph.map { PluginRunner(workspace: ws.root, graph: $0) } ?? PluginRunner(workspace: ws.root, store: ws.store)
        if graph != nil { r.searchHook = { [store = ws.store] text, limit in try store.search(text, limit: limit) } }
        r.queryFunctions = QueryRunner.functions  // kb.query sees derived(), mosaic.search, ...
        // Ctrl-C stops a running plugin as it stops a query (the console's handler, or
        // RunCommand's, sets the flag; the Lua watchdog polls it)
        r.isCancelled = { LineEditor.interruptFlag != 0 }
        let config = try WorkspaceConfig.load(ws.root)
        r.allowOutsideLinks = config.allowOutsideLinks
        for (name, s) in config.plugins {
            var l = LuaLimits.default
            if let t = s.timeMilliseconds { l.timeout = .milliseconds(t) }
            if let m = s.memoryMegabytes { l.memory = m << 20 }
            if let i = s.instructions { l.instructions = i }
            r.limitsByPlugin[name] = l
            if let w = s.writes { r.writeBudgetByPlugin[name] = w }
            if !s.params.isEmpty { r.paramsByPlugin[name] = s.params }
        }
        return r
    }

    static func enabled(_ ws: Workspace) -> (String) -> Bool {
        let config = (try? WorkspaceConfig.load(ws.root)) ?? WorkspaceConfig()
        return { config.plugins[$0]?.enabled ?? true }
    }

    /// What failed in the last inference run of this process, for the briefings' banner.
    nonisolated(unsafe) static var lastInferenceProblems: [String] = []

    /// Runs every enabled plugin's rules to a fixpoint (what `mosaic infer` does).
    ///
    /// Failures stay local: a plugin that does not load is skipped and what its rules
    /// derived is kept, marked stale (it is *held*); a rule that fails at run time (an
    /// error, a time or memory limit) is skipped with the rules that read its writes, and
    /// its plugin is held too. Each failure is printed as a warning and recorded as a failed
    /// run `PLUGIN:rules` (mosaic runs). A held plugin that loads and runs again sees every
    /// fact once, and its facts are no longer stale; disabling or deleting it retracts them.
    static func infer(_ ws: Workspace, dryRun: Bool) throws -> InferenceResult {
        let loaded = PluginRules.load(try runner(ws), enabled: enabled(ws))
        let broken = Set(loaded.problems.map(\.plugin))
        let wasHeld = Set(try ws.store.heldPlugins().keys)
        let result: InferenceResult
        do {
            result = try withExtendedLifetime(loaded) {
                try InferenceEngine.run(store: ws.store, rules: loaded.rules, dryRun: dryRun,
                                        held: broken, rescan: wasHeld.subtracting(broken))
            }
        } catch {
            throw CLIError("error: \(error)")
        }
        var problems: [(plugin: String, text: String)] = []
        for p in loaded.problems {
            problems.append((p.plugin, "\(p.description) (its rules are skipped; what they derived is kept, marked stale)"))
        }
        for f in result.failures {
            problems.append((f.plugin, f.skipped ? "rule \(f.rule) \(f.message); what it derived is kept, marked stale"
                                                  : "rule \(f.rule) failed: \(f.message) (skipped; what it derived is kept, marked stale)"))
        }
        lastInferenceProblems = problems.map(\.text)
        for p in problems { FileHandle.standardError.write(Data("warning: \(p.text)\n".utf8)) }
        if !dryRun {
            let tx = ws.store.graph.transaction
            try ws.store.setHeldPlugins(broken.union(result.failures.map(\.plugin)), at: tx)
            HeldPlugins.invalidate()
            let now = Date()
            for p in problems {
                if let id = try? ws.store.beginRun(job: "\(p.plugin):rules", scheduledFor: nil, transaction: tx, at: now) {
                    try? ws.store.endRun(id, status: .failed, error: p.text, outputs: [], at: now)
                }
            }
        }
        return result
    }

    static func install() {
        CheckCommand.extraChecks.append { ws in
            let r = try runner(ws)
            let entries = r.discover()
            var broken = entries.compactMap(\.error)
            // The rules too: patterns parse, what derive/distinct/within_days name is bound.
            let loaded = PluginRules.load(r, enabled: enabled(ws))
            for p in loaded.problems where !broken.contains(where: { $0.plugin == p.plugin }) { broken.append(p) }
            // The types the rules name exist (in the schema, the KB, or another rule's conclusions).
            broken += PluginRules.typeProblems(loaded, schema: ws.kbLoader().currentSchema() ?? Schema(), graph: ws.store.graph) {
                try? String(contentsOf: ws.root.appendingPathComponent($0), encoding: .utf8)
            }
            // Schedules parse (the spec's, in the workspace's zone); mosaic.yaml's parameters fit.
            let config = try WorkspaceConfig.load(ws.root)
            for e in entries {
                guard let spec = e.spec, let configured = config.plugins[e.name]?.params, !configured.isEmpty else { continue }
                for p in spec.configuredProblems(configured) where !broken.contains(where: { $0.message == p.message }) {
                    broken.append(PluginError(plugin: e.name, phase: .params, file: "mosaic.yaml", message: p.message))
                }
            }
            for e in entries {
                guard let spec = e.spec, let cron = spec.schedule, enabled(ws)(e.name) else { continue }
                do { _ = try CronSchedule(cron, timeZoneIdentifier: config.timezone) } catch {
                    broken.append(PluginError(plugin: e.name, phase: .spec, file: e.file,
                                              line: (try? String(contentsOf: ws.root.appendingPathComponent(e.file), encoding: .utf8)).flatMap { PluginRules.ruleLine("schedule", in: $0) },
                                              message: "schedule: \(error)"))
                }
            }
            withExtendedLifetime(loaded) {}
            for e in broken { FileHandle.standardError.write(Data((e.detailed + "\n").utf8)) }
            print("plugins: \(entries.count) found, \(Set(broken.map(\.plugin)).count) broken")
            if !broken.isEmpty { throw CLIError("", exitCode: 1) }
        }
        BriefCommand.prepare = { ws in _ = try infer(ws, dryRun: false) }
        ReportCatalog.providers.append { ws in
            let r = try runner(ws)
            var out: [ReportEntry] = []
            for entry in r.discover() where enabled(ws)(entry.name) {
                guard let spec = entry.spec else { continue }
                for report in spec.reports {
                    out.append(ReportEntry(plugin: spec.name, name: report, version: spec.version, schedule: spec.schedule,
                                           timezone: nil) { request in
                        try PluginReports.render(workspace: ws.root, graph: request.graph, store: request.store, plugin: spec.name,
                                                 report: report, since: request.since, now: request.now)
                    })
                }
            }
            return out
        }
        ConsoleGlue.extend.append { ws, e in
            e.plugins = { try PluginsCommand.listing(ws, json: false) }
            e.runPlugin = { name in try RunCommand.execute(ws, name: name, params: [:]) }
            e.infer = { try infer(ws, dryRun: false).summary() }
            e.brief = { name in
                let all = try ReportCatalog.reports(ws)
                let selected = try ReportCatalog.select(name.map { [$0] } ?? [], from: all)
                guard let first = selected.first else { return "no reports (a plugin's spec declares reports = {…})" }
                let doc = try Briefing.run(first, ws: ws, graph: ws.store.graph, asOf: nil, now: Date())
                return String(decoding: Briefing.render(doc, format: "md"), as: UTF8.self)
            }
            let console = PluginConsole(workspace: ws.root, graph: ws.store.graph, store: ws.store,
                                        isCancelled: { LineEditor.interruptFlag != 0 })
            e.lua = { chunk in LineEditor.interruptFlag = 0; return try console.evaluate(chunk) }
            e.luaIsComplete = { chunk in PluginConsole.isComplete(chunk) }
        }
    }
}

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: "List the plugins in plugins/ with their status.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws { print(try PluginsCommand.listing(try options.open(), json: json)) }

    static func listing(_ ws: Workspace, json: Bool) throws -> String {
        let entries = try PluginGlue.runner(ws).discover()
        if json {
            return JSONText.pretty(.list(entries.map { e in
                var m: [String: Value] = ["name": .string(e.name), "file": .string(e.file)]
                if let s = e.spec {
                    m["status"] = .string("ok"); m["version"] = .string(s.version); m["description"] = .string(s.description)
                    m["rules"] = .list(s.rules.map(Value.string)); m["reports"] = .list(s.reports.map(Value.string))
                    m["extractors"] = .list(s.extractors.sorted().map(Value.string))
                    m["schedule"] = s.schedule.map(Value.string) ?? .null; m["run"] = .bool(s.hasRun)
                    m["params"] = .list(s.params.map { p in .map(["name": .string(p.name), "type": .string(p.kind.rawValue), "default": p.defaultValue ?? .null]) })
                } else if let err = e.error {
                    m["status"] = .string("broken"); m["error"] = .string(err.description)
                }
                return .map(m)
            }))
        }
        if entries.isEmpty { return "no plugins in plugins/" }
        return entries.map { e in
            if let s = e.spec {
                var parts: [String] = []
                if s.hasRun { parts.append("run") }
                if !s.rules.isEmpty { parts.append("rules: " + s.rules.joined(separator: ", ")) }
                if !s.reports.isEmpty { parts.append("reports: " + s.reports.joined(separator: ", ")) }
                if !s.extractors.isEmpty { parts.append("extractors: " + s.extractors.sorted().joined(separator: ", ")) }
                if let c = s.schedule { parts.append("schedule: \(c)") }
                return "\(pad(e.name, 18)) \(pad(s.version, 6)) ok      \(s.description)\n\(String(repeating: " ", count: 34))\(parts.joined(separator: "; "))"
            }
            return "\(pad(e.name, 18)) \(pad("", 6)) broken  \(e.error?.description ?? "")"
        }.joined(separator: "\n")
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a plugin's run function; its writes commit as one transaction.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The plugin.") var plugin: String
    @Option(name: .customLong("param"), help: "A parameter, name=value; repeatable.") var params: [String] = []
    @Option(help: "Read only claims whose sources were published by this date (writes are then shown, not committed).") var knownBy: String?
    @Option(help: "Read only facts whose valid time includes this date (writes are then shown, not committed).") var validAt: String?

    func run() throws {
        var p: [String: String] = [:]
        for kv in params {
            guard let eq = kv.firstIndex(of: "=") else { throw CLIError.usage("--param takes name=value, got '\(kv)'", usage: "mosaic run PLUGIN [--param k=v …]") }
            p[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
        }
        let ws = try options.open()
        let view = try ws.resolveView(knownBy: knownBy, validAt: validAt)
        // Ctrl-C interrupts the run (it fails and writes nothing) instead of killing the process
        LineEditor.installInterruptHandler()
        print(try RunCommand.execute(ws, name: plugin, params: p, view: view))
    }

    static func execute(_ ws: Workspace, name: String, params: [String: String], view: ClockView = ClockView()) throws -> String {
        LineEditor.interruptFlag = 0
        let result: PluginRunResult
        do {
            let graph = view.isEmpty ? nil : ws.store.graph.viewed(view)
            result = try PluginGlue.runner(ws, graph: graph).run(name, options: PluginRunOptions(params: params))
        } catch let e as PluginError {
            throw CLIError(e.detailed)
        }
        var lines = result.logs
        if let r = result.returned { lines.append("returned: \(r)") }
        let e = result.effects
        lines.append("\(name)@\(result.version): \(e.asserted.count) asserted, \(e.retracted.count) retracted"
                     + (result.transaction.map { " (transaction \($0))" } ?? ""))
        return lines.joined(separator: "\n")
    }
}

struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Run every enabled plugin's rules to a fixpoint; derived facts keep their proofs.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Print what would be added and retracted; change nothing.") var dryRun = false

    func run() throws { print(try PluginGlue.infer(try options.open(), dryRun: dryRun).summary()) }
}
