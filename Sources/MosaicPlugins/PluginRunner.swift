// MosaicPlugins, the plugin runtime: plugin discovery (`plugins/NAME.lua`,
// `plugins/NAME/init.lua`), spec checking, the `kb` API for Lua (KBContext), runs whose
// buffered writes commit as one Store transaction, and the console's Lua mode. Uses
// MosaicLua (sandboxed states), MosaicGraph (snapshots), MosaicStore (commit, search) and
// MosaicQuery (kb.query). What plugins offer beyond runs lives in the modules built on it:
// MosaicPluginRules (rules for MosaicInference), MosaicPluginReports (briefings).

import Foundation
import MosaicGraph
import MosaicLua
import MosaicQuery
import MosaicStore

/// Options of one plugin run.
public struct PluginRunOptions: Sendable {
    /// Parameter values as typed on the command line (`--param days=30`), converted by the
    /// spec's types; unknown names are an error.
    public var params: [String: String]
    /// The engine clock (`kb.now()`): fixed in tests and scheduled runs for reproducibility.
    public var now: Date
    /// Seed of `kb.random` and `math.random`.
    public var seed: UInt64
    /// Limits of the run's Lua state.
    public var limits: LuaLimits
    /// Compute the effects but do not commit them.
    public var dryRun: Bool
    /// Statements (asserted + retracted) the run may write; a run that tries to write more
    /// fails before commit. Overridden per plugin by `PluginRunner.writeBudgetByPlugin`.
    public var maxWrites: Int

    public init(params: [String: String] = [:], now: Date = Date(), seed: UInt64 = 0,
                limits: LuaLimits = .default, dryRun: Bool = false, maxWrites: Int = PluginRunOptions.defaultMaxWrites) {
        self.params = params
        self.now = now
        self.seed = seed
        self.limits = limits
        self.dryRun = dryRun
        self.maxWrites = maxWrites
    }

    /// The default write budget of a run.
    public static let defaultMaxWrites = KBContext.defaultMaxWrites
}

/// What a run did.
public struct PluginRunResult: Sendable {
    public var plugin: String
    public var version: String
    /// Lines written with kb.log / print.
    public var logs: [String]
    /// What `run` returned (nil when it returned nothing).
    public var returned: LuaValue?
    public var effects: PluginEffects
    /// The store transaction that committed the effects (nil: nothing written, dry run, or no store).
    public var transaction: Int64?
}

/// Finds, checks and runs the plugins of a workspace. One Lua state per plugin load or run.
///
/// The CLI uses it as:
/// - `mosaic plugins [--json]`: `discover()` → each entry's name, file, status / spec;
/// - `mosaic check`: `discover()` and report every `.broken` entry (exit 1 if any);
/// - `mosaic run NAME --param k=v`: `run(NAME, options:)`.
// @unchecked Sendable: its settings are set before the first run, on the thread that then runs the plugins; each run's Lua state stays inside that run; the relation index it shares has its own lock.
public final class PluginRunner: @unchecked Sendable {
    /// The workspace folder (holding `plugins/`).
    public let workspace: URL
    public let store: Store?
    /// The graph plugins read when there is no store (tests), else the store's snapshot.
    private let fixedGraph: Graph?
    public var queryHook: PluginQueryHook?
    public var searchHook: PluginSearchHook?
    /// What `kb.query` compiles with when there is no `queryHook` (the CLI gives its own).
    public var queryFunctions: FunctionRegistry = .standard
    /// Limits per plugin name (from the workspace config); others get the options' limits.
    public var limitsByPlugin: [String: LuaLimits] = [:]
    /// Write budgets per plugin name (mosaic.yaml `limits.writes`); others get the options'.
    public var writeBudgetByPlugin: [String: Int] = [:]
    /// Parameters per plugin name (mosaic.yaml `params`), under a run's `--param`s.
    public var paramsByPlugin: [String: [String: Value]] = [:]
    /// Whether a plugin file or folder may be a link that resolves outside the workspace
    /// (mosaic.yaml `allow_outside_links: true`); such a plugin is refused by default.
    public var allowOutsideLinks = false
    /// Polled while a plugin's Lua code runs: true interrupts the run (the CLI's Ctrl-C).
    public var isCancelled: (@Sendable () -> Bool)?
    /// Relations by type, shared by this runner's runs over the same graph.
    let relationIndex = RelationTypeIndex()

    public init(workspace: URL, store: Store) {
        self.workspace = workspace
        self.store = store
        self.fixedGraph = nil
        self.searchHook = { [store] text, limit in try store.search(text, limit: limit) }
    }

    /// A runner over a fixed graph, with no store (effects are returned, not committed).
    public init(workspace: URL, graph: Graph) {
        self.workspace = workspace
        self.store = nil
        self.fixedGraph = graph
    }

    var graph: Graph { fixedGraph ?? store?.graph ?? Graph() }
    public var pluginsDirectory: URL { workspace.appendingPathComponent("plugins") }

    // MARK: - Discovery

    /// The plugin files, sorted by name: `plugins/NAME.lua` and `plugins/NAME/init.lua`.
    public func pluginFiles() -> [(name: String, file: String)] {
        let fm = FileManager.default
        guard let items = try? fm.contentsOfDirectory(atPath: pluginsDirectory.path) else { return [] }
        var out: [(String, String)] = []
        for item in items.sorted() where !item.hasPrefix(".") {
            var isDir: ObjCBool = false
            let path = pluginsDirectory.appendingPathComponent(item).path
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                if fm.fileExists(atPath: path + "/init.lua") { out.append((item, "plugins/\(item)/init.lua")) }
            } else if item.hasSuffix(".lua") {
                out.append((String(item.dropLast(4)), "plugins/\(item)"))
            }
        }
        return out
    }

    /// Every plugin with its checked spec or the error that broke it.
    public func discover(limits: LuaLimits = .default) -> [PluginEntry] {
        pluginFiles().map { name, file in
            do throws(PluginError) {
                let session = try PluginSession(runner: self, name: name, file: file, limits: limitsByPlugin[name] ?? limits,
                                                now: Date(), seed: 0)
                return PluginEntry(name: name, file: file, status: .ok(session.spec))
            } catch {
                return PluginEntry(name: name, file: file, status: .broken(error))
            }
        }
    }

    /// Loads one plugin (its spec checked) into a fresh state, ready to call.
    public func session(_ name: String, options: PluginRunOptions = PluginRunOptions()) throws(PluginError) -> PluginSession {
        guard let (_, file) = pluginFiles().first(where: { $0.name == name }) else {
            let known = pluginFiles().map(\.name).joined(separator: ", ")
            throw PluginError(plugin: name, phase: .discover,
                              message: "no plugin named '\(name)' in plugins/ (found: \(known.isEmpty ? "none" : known))")
        }
        let session = try PluginSession(runner: self, name: name, file: file, limits: limitsByPlugin[name] ?? options.limits,
                                        now: options.now, seed: options.seed)
        session.context.maxWrites = writeBudgetByPlugin[name] ?? options.maxWrites
        return session
    }

    // MARK: - Running

    /// Runs a plugin's `run(params, kb)`. Its buffered writes commit as one transaction with
    /// origin `plugin:NAME@VERSION` when it succeeds; on any error nothing is written.
    public func run(_ name: String, options: PluginRunOptions = PluginRunOptions()) throws(PluginError) -> PluginRunResult {
        let session = try self.session(name, options: options)
        let returned = try session.callRun(params: options.params)
        if let refused = session.context.writeBudgetExceeded {
            throw PluginError(plugin: name, phase: .run, file: session.file, message: refused)
        }
        var result = PluginRunResult(plugin: name, version: session.spec.version, logs: session.context.logs,
                                     returned: returned, effects: session.context.effects, transaction: nil)
        if !options.dryRun, !result.effects.isEmpty, let store {
            result.transaction = try commit(session.context.effects, plugin: name, version: session.spec.version,
                                            file: session.file, store: store)
        }
        return result
    }

    /// Commits a run's effects as one transaction.
    public func commit(_ effects: PluginEffects, plugin: String, version: String, file: String?, store: Store) throws(PluginError) -> Int64 {
        do {
            return try store.write(origin: .plugin(name: plugin, version: version, rule: nil), note: "mosaic run \(plugin)") { tx in
                for d in effects.asserted { try tx.assert(d) }
                for id in effects.retracted { try tx.retract(id) }
            }
        } catch {
            throw PluginError(plugin: plugin, phase: .commit, file: file, message: "cannot commit the run's writes: \(error)")
        }
    }
}

/// One plugin loaded in its own sandboxed state with the `kb` API, its spec checked.
/// Other engines (rules, reports) call its functions through `call(path:args:)`.
public final class PluginSession {
    public let name: String
    /// The file relative to the workspace.
    public let file: String
    public let spec: PluginSpec
    public let state: LuaState
    let context: KBContext
    private let specGetter: LuaFunctionRef
    /// The parameters mosaic.yaml sets for this plugin (`plugins.NAME.params`).
    let configuredParams: [String: Value]

    /// Writes buffered so far, and log lines.
    public var effects: PluginEffects { context.effects }
    public var logs: [String] { context.logs }

    init(runner: PluginRunner, name: String, file: String, limits: LuaLimits, now: Date, seed: UInt64) throws(PluginError) {
        self.name = name
        self.file = file
        self.configuredParams = runner.paramsByPlugin[name] ?? [:]
        let url = runner.workspace.appendingPathComponent(file)
        if !runner.allowOutsideLinks {
            let base = runner.workspace.resolvingSymlinksInPath().path
            let resolved = url.resolvingSymlinksInPath().path
            guard resolved.hasPrefix(base + "/") else {
                throw PluginError(plugin: name, phase: .load, file: file,
                                  message: "resolves outside the workspace (to \(resolved)); refused: move it into plugins/, or set allow_outside_links: true in mosaic.yaml")
            }
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PluginError(plugin: name, phase: .load, file: file, message: "cannot read the file")
        }
        let source = String(decoding: data, as: UTF8.self)
        do {
            state = try LuaState(limits: limits)
        } catch {
            throw PluginError(plugin: name, phase: .load, lua: error, file: file)
        }
        state.enableRequire(root: url.deletingLastPathComponent(), chunkPrefix: (file as NSString).deletingLastPathComponent + "/",
                            allowOutsideLinks: runner.allowOutsideLinks)
        state.isCancelled = runner.isCancelled
        // Version is known after the spec loads; the context reads it then.
        context = KBContext(graph: runner.graph, plugin: name, version: "", now: now, seed: seed,
                            query: runner.queryHook, search: runner.searchHook, relationIndex: runner.relationIndex)
        context.queryFunctions = runner.queryFunctions
        let returned: [LuaValue]
        do throws(LuaError) {
            try context.install(in: state)
            let chunk = try state.load(source, chunkName: "@" + file)
            returned = try state.call(chunk, [])
        } catch {
            throw PluginError(plugin: name, phase: .load, lua: error, file: file)
        }
        guard let first = returned.first, case .table(let table) = first else {
            throw PluginError(plugin: name, phase: .spec, file: file, line: SpecChecker.lastReturnLine(source),
                              message: "the file must return a spec table ({ name = ..., version = ..., run = function ... end }), got \(returned.first?.typeName ?? "nothing")")
        }
        spec = try SpecChecker(plugin: name, file: file, source: source).check(table)
        // keep the spec table reachable for `call`
        do throws(LuaError) {
            let holderChunk = try state.load("local t = ... return function() return t end", chunkName: "=spec")
            let holder = try state.call(holderChunk, [first])
            guard case .function(let getter) = holder.first else { throw LuaError(.runtime, "spec holder") }
            self.specGetter = getter
        } catch {
            throw PluginError(plugin: name, phase: .load, lua: error, file: file)
        }
        context.version = spec.version
    }

    /// The spec's parameters with `raw` overrides (`--param k=v`) converted and checked.
    public func parameters(_ raw: [String: String]) throws(PluginError) -> [String: Value] {
        do throws(ParameterProblem) {
            return try spec.parameters(configured: configuredParams, raw: raw)
        } catch {
            throw PluginError(plugin: name, phase: .params, file: error.configured ? "mosaic.yaml" : file, message: error.message)
        }
    }

    /// Calls `run(params, kb)` and returns what it returned.
    public func callRun(params raw: [String: String]) throws(PluginError) -> LuaValue? {
        guard spec.hasRun else {
            throw PluginError(plugin: name, phase: .run, file: file, message: "this plugin has no run function (it declares \(describeParts()))")
        }
        let params = try parameters(raw)
        let r = try call(path: ["run"], params: params)
        return r.first.flatMap { $0.isNil ? nil : $0 }
    }

    private func describeParts() -> String {
        var parts: [String] = []
        if !spec.rules.isEmpty { parts.append("rules") }
        if !spec.reports.isEmpty { parts.append("reports") }
        return parts.isEmpty ? "nothing to run" : parts.joined(separator: " and ")
    }

    /// A value of the spec table by path (["rules", "in_country"]), nil when absent.
    public func value(path: [String]) throws(PluginError) -> LuaValue {
        do {
            let lookup = try state.load("""
                local get, path = ...
                local v = get()
                for i = 1, #path do
                  if type(v) ~= "table" then return nil end
                  v = v[path[i]]
                end
                return v
                """, chunkName: "=path")
            let r = try state.call(lookup, [.function(specGetter), .table(LuaTable(array: path.map { .string($0) }))])
            return r.first ?? .nil
        } catch {
            throw PluginError(plugin: name, phase: .spec, lua: error, file: file)
        }
    }

    /// Calls a function of the spec (["run"], ["reports", "daily"], ["rules", "busy", "derive"])
    /// with a params table and the kb table, plus `extra` arguments.
    public func call(path: [String], params: [String: Value], extra: [LuaValue] = []) throws(PluginError) -> [LuaValue] {
        let fnValue = try value(path: path)
        do {
            guard case .function(let fn) = fnValue else {
                throw PluginError(plugin: name, phase: .run, file: file, message: "the spec has no function at \(path.joined(separator: "."))")
            }
            let paramsTable = LuaTable(fields: params.sorted { $0.key < $1.key }.map {
                LuaTable.Entry(key: .string($0.key), value: luaValue($0.value))
            })
            let kb = try state.run("return kb", chunkName: "=kb")
            return try state.call(fn, [.table(paramsTable)] + kb + extra)
        } catch let e as PluginError {
            throw e
        } catch let e as LuaError {
            throw PluginError(plugin: name, phase: .run, lua: e, file: file)
        } catch {
            throw PluginError(plugin: name, phase: .run, file: file, message: "\(error)")
        }
    }

    private func luaValue(_ v: Value) -> LuaValue {
        switch v {
        case .null: return .nil
        case .bool(let b): return .bool(b)
        case .int(let i): return .integer(i)
        case .float(let d): return .number(d)
        case .string(let s): return .string(s)
        case .date(let d): return .userdata(LuaUserdata(className: "Date", payload: d))
        case .list(let l): return .table(LuaTable(array: l.map(luaValue)))
        case .map(let m): return .table(LuaTable(fields: m.sorted { $0.key < $1.key }.map { .init(key: .string($0.key), value: luaValue($0.value)) }))
        case .geo(let g): return .table(LuaTable(fields: [.init(key: "lat", value: .number(g.latitude)), .init(key: "lon", value: .number(g.longitude))]))
        }
    }
}
