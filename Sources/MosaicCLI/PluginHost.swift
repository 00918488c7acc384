// PluginHost: the plugins of one workspace (MosaicPlugins): runners over its store with its
// query functions and mosaic.yaml's limits and parameters, which plugins are enabled,
// inference to a fixpoint with what failed in its last run (the briefings' banner), and the
// reports the enabled plugins offer (ReportCatalog). Workspace owns one; it holds no
// reference back to it.
import Foundation
import MosaicGraph
import MosaicLua
import MosaicPlugins
import MosaicPluginReports
import MosaicPluginRules
import MosaicInference
import MosaicQuery
import MosaicStore

final class PluginHost {
    /// The workspace folder (plugins/ and mosaic.yaml are read from it when asked).
    let root: URL
    let store: Store
    /// The workspace's query functions, which the plugins' kb.query calls.
    let functions: FunctionRegistry
    /// The held plugins as the query function stale(r) reads them; inference renews them.
    let held: HeldPlugins
    /// What failed in this workspace's last inference run, for the briefings' banner.
    private(set) var lastInferenceProblems: [String] = []

    init(root: URL, store: Store, functions: FunctionRegistry, held: HeldPlugins) {
        self.root = root
        self.store = store
        self.functions = functions
        self.held = held
    }

    /// A runner over the store, or over `graph` (a view: its runs' writes are shown, not committed).
    func runner(graph: Graph? = nil) throws -> PluginRunner {
        let r = graph.map { PluginRunner(workspace: root, graph: $0) } ?? PluginRunner(workspace: root, store: store)
        if graph != nil { r.searchHook = { [store] text, limit in try store.search(text, limit: limit) } }
        r.queryFunctions = functions  // kb.query sees derived(), mosaic.search, ...
        // Ctrl-C stops a running plugin as it stops a query (the console's handler, or
        // RunCommand's, sets the flag; the Lua watchdog polls it)
        r.isCancelled = { LineEditor.interruptFlag != 0 }
        let config = try WorkspaceConfig.load(root)
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

    /// Whether a plugin is enabled (mosaic.yaml's plugins.NAME.enabled; yes when unset or unreadable).
    func enabled() -> (String) -> Bool {
        let config = (try? WorkspaceConfig.load(root)) ?? WorkspaceConfig()
        return { config.plugins[$0]?.enabled ?? true }
    }

    /// Runs every enabled plugin's rules to a fixpoint (what `mosaic infer` does).
    ///
    /// Failures stay local: a plugin that does not load is skipped and what its rules
    /// derived is kept, marked stale (it is *held*); a rule that fails at run time (an
    /// error, a time or memory limit) is skipped with the rules that read its writes, and
    /// its plugin is held too. Each failure is printed as a warning and recorded as a failed
    /// run `PLUGIN:rules` (mosaic runs). A held plugin that loads and runs again sees every
    /// fact once, and its facts are no longer stale; disabling or deleting it retracts them.
    func infer(dryRun: Bool) throws -> InferenceResult {
        let loaded = PluginRules.load(try runner(), enabled: enabled())
        let broken = Set(loaded.problems.map(\.plugin))
        let wasHeld = Set(try store.heldPlugins().keys)
        let result: InferenceResult
        do {
            result = try withExtendedLifetime(loaded) {
                try InferenceEngine.run(store: store, rules: loaded.rules, dryRun: dryRun,
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
            let tx = store.graph.transaction
            try store.setHeldPlugins(broken.union(result.failures.map(\.plugin)), at: tx)
            held.invalidate()
            let now = Date()
            for p in problems {
                if let id = try? store.beginRun(job: "\(p.plugin):rules", scheduledFor: nil, transaction: tx, at: now) {
                    try? store.endRun(id, status: .failed, error: p.text, outputs: [], at: now)
                }
            }
        }
        return result
    }

    /// The reports the enabled plugins offer, sorted by job (plugins/ read now).
    func reports() throws -> ReportCatalog {
        let r = try runner()
        let isEnabled = enabled()
        var out: [ReportEntry] = []
        for entry in r.discover() where isEnabled(entry.name) {
            guard let spec = entry.spec else { continue }
            for report in spec.reports {
                out.append(ReportEntry(plugin: spec.name, name: report, version: spec.version, schedule: spec.schedule,
                                       timezone: nil) { [root] request in
                    try PluginReports.render(workspace: root, graph: request.graph, store: request.store, plugin: spec.name,
                                             report: report, since: request.since, now: request.now)
                })
            }
        }
        return ReportCatalog(entries: out.sorted { $0.job < $1.job })
    }
}
