// Workspace: one value per opened workspace folder, made by `Workspace.open` and passed to
// every command and to the console. It holds everything the CLI reaches in the engine modules,
// each bound to this folder and its store, so two workspaces open in one process never see
// each other's state (MosaicCLI's only mutable statics are LineEditor's, for C callbacks):
//   store       the statement log and its snapshot (MosaicStore), in .mosaic/
//   kbLoader    kb/ → store (MosaicKB), with mosaic.yaml's allow_outside_links; the kb/ errors
//               of the last load stay here (kbErrors)
//   functions   the query functions (MosaicQuery's standard ones plus derived, derivedBy,
//               stale, mosaic.search, mosaic.conflicts over this store), for queries, the
//               console's completion and the plugins' kb.query
//   plugins     the PluginHost (MosaicPlugins): plugin runners, inference and what failed in
//               its last run, the report catalog
//   config()    mosaic.yaml, read when asked (not kept: a scheduler or console running for days
//               sees edits, and a broken file fails only the commands that read it)
// and resolves the three clocks (--as-of, --known-by, --valid-at) into the graph to read.
// Workspace is a class because kb/ loading changes its state (kbErrors) and the console, the
// scheduler and the commands share one.
import Foundation
import MosaicGraph
import MosaicKB
import MosaicQuery
import MosaicStore

/// A workspace: the folder with kb/ and plugins/, and the store in its .mosaic/ folder.
public final class Workspace {
    public let root: URL
    public let store: Store

    public var kbDirectory: URL { root.appendingPathComponent("kb") }
    public var pluginsDirectory: URL { root.appendingPathComponent("plugins") }
    public var stateDirectory: URL { root.appendingPathComponent(".mosaic") }

    /// The errors that kept kb/ from loading when this workspace last tried (nil: kb/ is
    /// loaded). Reading commands go on with the last loaded state and say so.
    public private(set) var kbErrors: KBError?
    /// The errors last warned about (the scheduler warns again only when they change).
    private var warnedErrors: KBError?

    init(root: URL, store: Store, allowOutsideLinks: Bool) {
        self.root = root
        self.store = store
        self.allowOutsideLinks = allowOutsideLinks
        var loader = KBLoader(workspace: root, store: store)
        loader.allowOutsideLinks = allowOutsideLinks
        kbLoader = loader
        let held = HeldPlugins(store: store)
        functions = .bound(to: store, held: held)
        plugins = PluginHost(root: root, store: store, functions: functions, held: held)
    }

    /// Opens the workspace at `path`; with `loadKB`, loads kb/ first if its files changed.
    /// When kb/ has errors, a reading command (`strictKB` false) goes on with the last
    /// loaded state after one warning on stderr (`kbErrors` keeps them); with `strictKB`
    /// the errors are thrown, every one of them.
    public static func open(_ path: String, loadKB: Bool = true, strictKB: Bool = false) throws -> Workspace {
        let root = URL(fileURLWithPath: path).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError("error: no workspace folder at \(path); pass --workspace DIR (a folder holding kb/ and plugins/)")
        }
        let store: Store
        do {
            store = try Store.open(path: storePath(root))
        } catch {
            throw CLIError("error: \(error)")
        }
        let ws = Workspace(root: root, store: store, allowOutsideLinks: (try? WorkspaceConfig.load(root))?.allowOutsideLinks ?? false)
        // Runs a killed process left `running` are marked interrupted (a read when none is;
        // a read-only store keeps them as they are).
        if let abandoned = try? store.markAbandonedRuns(at: Date()), !abandoned.isEmpty {
            FileHandle.standardError.write(Data("note: \(abandoned.count) run\(abandoned.count == 1 ? "" : "s") left running by a process that ended marked interrupted (mosaic runs lists them)\n".utf8))
        }
        if loadKB {
            do { try ws.loadKBIfChanged(quiet: true, strict: strictKB) } catch let e as StoreError { throw CLIError("error: \(e)") }
        } else { ws.applySchema() }
        return ws
    }

    /// Where a workspace's store lives.
    static func storePath(_ root: URL) -> String { root.appendingPathComponent(".mosaic/store.sqlite").path }

    /// mosaic.yaml as it reads now (the defaults when there is none); throws when it is broken.
    func config() throws -> WorkspaceConfig { try WorkspaceConfig.load(root) }

    /// Whether kb/ and plugins/ entries may resolve outside the workspace (mosaic.yaml
    /// `allow_outside_links: true`); refused by default.
    public let allowOutsideLinks: Bool

    /// The kb/ loader of this workspace (MosaicKB), with its settings.
    let kbLoader: KBLoader

    /// The query functions of this workspace: the standard ones and those reading its store
    /// (derived, derivedBy, stale, mosaic.search, mosaic.conflicts). Queries, the console,
    /// completion and the plugins' kb.query use them.
    let functions: FunctionRegistry
    /// The plugins of this workspace: runners, inference, the reports they offer.
    let plugins: PluginHost

    /// Loads kb/ into the store when its files changed since the last load. When kb/ has
    /// errors: with `strict`, throws them all (as `check` and `load` do); otherwise keeps
    /// them in `kbErrors`, warns once on stderr (again only when they change) and returns,
    /// leaving the store at its last loaded state.
    @discardableResult
    public func loadKBIfChanged(quiet: Bool, strict: Bool = false) throws -> String? {
        defer { applySchema() }
        guard FileManager.default.fileExists(atPath: kbDirectory.path) else { kbErrors = nil; return nil }
        do {
            // A KBError is caught below: thrown (strict) or warned about.
            let report = try kbLoader.load()
            if let report {
                if quiet { FileHandle.standardError.write(Data((report.summary + "\n").utf8)) } else { print(report.summary) }
            }
            let summary = report?.summary
            kbErrors = nil
            warnedErrors = nil
            return summary
        } catch let e as KBError {
            if strict { throw CLIError(e.description) }
            kbErrors = e
            if warnedErrors?.diagnostics != e.diagnostics {
                warnedErrors = e
                FileHandle.standardError.write(Data((kbErrorWarning(e) + "\n").utf8))
            }
            return nil
        }
    }

    /// The one-line warning of a read on the last loaded state: the first error and the count.
    func kbErrorWarning(_ e: KBError) -> String {
        let n = e.diagnostics.count
        let first = e.diagnostics.first.map { "\($0.file):\($0.line):\($0.column): \($0.message)" } ?? "?"
        let tx = store.graph.transaction
        return "warning: kb/ has \(n) error\(n == 1 ? "" : "s") and was not loaded (first: \(first)); "
            + (tx > 0 ? "reading the last loaded state (transaction \(tx))" : "nothing was loaded yet, the KB is empty")
            + ". `mosaic check` lists every error."
    }

    /// A short account of the unloaded errors for the top of a briefing (nil when none).
    public var kbErrorSummary: (count: Int, first: String, transaction: Int64)? {
        guard let e = kbErrors, let d = e.diagnostics.first else { return nil }
        return (e.diagnostics.count, "\(d.file):\(d.line):\(d.column): \(d.message)", store.graph.transaction)
    }

    /// Gives the store's graphs the schema's rules (conflicts) and type lineage: the schema
    /// as loaded, i.e. kb/schema.yaml when kb/ loaded, else the copy kept by the last load
    /// (the file as it reads now when there is no copy and it is valid).
    func applySchema() {
        let loader = kbLoader
        let schema = kbErrors == nil ? (loader.currentSchema() ?? loader.loadedSchema()) : (loader.loadedSchema() ?? loader.currentSchema())
        store.factRules = schema?.factRules ?? FactRules()
    }

    /// Resolves `--as-of` text: a transaction number (`42` or `tx42`) or a date/time.
    public func resolveAsOf(_ text: String?) throws -> Store.AsOf? {
        guard let text, !text.isEmpty else { return nil }
        let t = text.lowercased().hasPrefix("tx") ? String(text.dropFirst(2)) : text
        if let n = Int64(t), t.count < 4 || t.count > 8 { return .transaction(n) }
        if let d = PartialDate(text) {
            // A date stands for its end: "as of 2025-11-01" includes everything learnt that day.
            let asOf = Store.AsOf.time(Date(timeIntervalSince1970: TimeInterval(d.end - 1)))
            if try store.transactionID(asOf: asOf) == 0, let first = try store.firstTransaction() {
                let when = ISO8601DateFormatter().string(from: first.time)
                throw CLIError("""
                    error: --as-of \(text) is before the KB's first transaction (\(when)): as-of reads transaction time, \
                    when facts were entered. For what the sources had reported by then, use --known-by \(text); \
                    for what held then, --valid-at \(text).
                    """)
            }
            return asOf
        }
        throw CLIError("error: --as-of takes a transaction (tx42) or a date/time (2025-11-01, 2025-11-01T06:00Z); got '\(text)'", exitCode: 2)
    }

    /// The graph now, or as of a past transaction or time, read by `view`'s clocks.
    public func graph(asOf: Store.AsOf?, view: ClockView = ClockView()) throws -> Graph {
        let g = try asOf.map { try store.snapshot(asOf: $0) } ?? store.graph
        return g.viewed(view)
    }

    /// Resolves `--known-by` and `--valid-at` dates.
    public func resolveView(knownBy: String?, validAt: String?) throws -> ClockView {
        func date(_ text: String?, _ flag: String) throws -> PartialDate? {
            guard let text, !text.isEmpty else { return nil }
            guard let d = PartialDate(text) else {
                throw CLIError("error: --\(flag) takes a date (2025, 2025-11, 2025-11-01 or 2025-11-01T06:00Z); got '\(text)'", exitCode: 2)
            }
            return d
        }
        return ClockView(knownBy: try date(knownBy, "known-by"), validAt: try date(validAt, "valid-at"))
    }
}
