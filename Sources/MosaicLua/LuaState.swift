// MosaicLua: the Lua 5.4 VM for Mosaic. Provides `LuaState` (one sandboxed state per
// plugin run, with time, instruction and memory limits), `LuaValue` (values across the
// bridge; integers stay integers), `LuaStack` (what Swift functions called from Lua see),
// `LuaClass` (userdata with metatables implemented in Swift) and `LuaError` (chunk, line,
// message, traceback). Uses CLua (Debian's liblua5.4) and CLuaSandbox (the C trampoline,
// the capped allocator, the kill hook and the guarded library). Knows nothing of graphs.

import CLua
import CLuaSandbox
import Foundation

/// A Swift function callable from Lua. It reads its arguments from the stack, pushes its
/// results and returns how many it pushed; it throws to raise a Lua error.
public typealias LuaFunction = (LuaStack) throws(LuaError) -> Int32

/// One sandboxed Lua state. Not thread-safe: use it from one thread at a time (only
/// `interrupt()` may be called from another thread). Run it on a thread with a normal
/// stack (at least 1 MB), not on a small-stack worker.
public final class LuaState {
    public let limits: LuaLimits
    let ctx: UnsafeMutablePointer<mosaic_ctx>
    let L: OpaquePointer
    let id: UInt64
    private let handle: LuaContextHandle

    struct Function {
        let name: String
        let body: LuaFunction
    }
    var functions: [Function] = []
    var classes: [any AnyLuaClass] = []
    var classByName: [String: Int] = [:]
    var depth = 0
    private var moduleRoot: URL?
    /// Whether `require` may follow a link out of `moduleRoot` (mosaic.yaml `allow_outside_links`).
    private var requireFollowsOutsideLinks = false
    private var loadedModules: Int32 = 0
    private var requireIndex = -1

    /// The next state's id (what a function reference is checked against). What protects it: `idLock`, held
    /// around every read and increment.
    nonisolated(unsafe) private static var nextID: UInt64 = 1
    private static let idLock = NSLock()

    /// Creates a state with the sandboxed standard library (see docs/plugins.md for the
    /// allow-list) and the given limits.
    public init(limits: LuaLimits = .default) throws(LuaError) {
        self.limits = limits
        guard let c = mosaic_ctx_new() else { throw LuaError(.memory, "cannot allocate a Lua context") }
        c.pointee.limit = limits.memory > 0 ? size_t(limits.memory) : 0
        c.pointee.max_string = size_t(max(0, limits.maxStringSize))
        c.pointee.max_elements = Int64(limits.maxElements)
        c.pointee.pattern_budget = limits.patternBudget
        c.pointee.hook_period = Int32(max(1, min(limits.instructionGranularity, 1_000_000)))
        c.pointee.instr_limit = Int64(limits.instructions ?? 0)
        if let t = limits.timeout {
            let (s, a) = t.components
            c.pointee.timeout_ms = s * 1000 + a / 1_000_000_000_000_000
        }
        c.pointee.dispatch = luaDispatch
        c.pointee.release = luaRelease
        guard let state = mosaic_newstate(c) else {
            mosaic_ctx_free(c)
            throw LuaError(.memory, "cannot create a Lua state (memory limit \(limits.memory) bytes)")
        }
        ctx = c
        L = state
        handle = LuaContextHandle(c)
        LuaState.idLock.lock()
        id = LuaState.nextID
        LuaState.nextID += 1
        LuaState.idLock.unlock()
        c.pointee.owner = Unmanaged.passUnretained(self).toOpaque()

        // Build the sandbox under protection (it allocates with the limit in force).
        mosaic_pushopensandbox(L)
        let status = mosaic_pcall(L, 0, 0, 0)
        if status != LUA_OK {
            let msg = mosaic_tostring(L, -1).map { String(cString: $0) } ?? "sandbox setup failed"
            throw LuaError(status == LUA_ERRMEM ? .memory : .runtime, "cannot set up the sandbox: \(msg)")
        }
    }

    deinit {
        mosaic_close(ctx)
        // ctx itself is freed by `handle` once no watchdog holds it.
    }

    // MARK: - State

    /// Bytes currently allocated by the state.
    public var memoryUsed: Int { Int(ctx.pointee.used) }
    /// Most bytes the state held at any time.
    public var memoryPeak: Int { Int(ctx.pointee.peak) }
    /// True once a limit was broken or `interrupt()` was called: the state refuses further calls.
    public var isKilled: Bool { mosaic_killed(ctx) != 0 }

    // MARK: - Host memory

    /// Bytes the host holds for this state's run (log lines, query results, buffered
    /// writes): counted against `limits.memory` together with Lua's own allocations, so a
    /// run has one memory budget whoever holds the bytes.
    public var hostMemory: Int { Int(ctx.pointee.host_used) }

    /// Counts `bytes` the host is about to hold for the run. When Lua's memory and the
    /// host's would exceed the budget even after a full collection, the run is killed
    /// (like Lua's own memory error: a pcall does not save it) and this throws a `.memory`
    /// error naming `what` ("kb.log"). Call it from a Swift function called from Lua.
    public func chargeHost(_ bytes: Int, for what: String, in stack: LuaStack? = nil) throws(LuaError) {
        ctx.pointee.host_used += size_t(max(0, bytes))
        try checkMemoryBudget(for: what, in: stack)
    }

    /// Gives back bytes counted by `chargeHost`.
    public func releaseHost(_ bytes: Int) {
        let b = size_t(max(0, bytes))
        ctx.pointee.host_used = ctx.pointee.host_used > b ? ctx.pointee.host_used - b : 0
    }

    /// Throws (and kills the run) when Lua's memory and the host's exceed the budget after a
    /// full collection. For loops that build large results from Swift.
    public func checkMemoryBudget(for what: String, in stack: LuaStack? = nil) throws(LuaError) {
        if isKilled, mosaic_killed(ctx) == Int32(MOSAIC_KILL_MEMORY) { throw LuaError(.memory, killMessage) }
        guard limits.memory > 0 else { return }
        let limit = limits.memory
        if memoryUsed + hostMemory <= limit { return }
        let L = stack?.L ?? self.L
        mosaic_gc_collect(L)
        if memoryUsed + hostMemory <= limit { return }
        let mb = { (n: Int) in n >= 1 << 20 ? "\(n >> 20) MB" : "\(n) bytes" }
        let detail = "not enough memory: plugin memory budget of \(mb(limit)) exceeded by \(what) "
            + "(Lua holds \(mb(memoryUsed)), the host \(mb(hostMemory)) for this run)"
        mosaic_host_memory_kill(ctx, stack?.L ?? currentThread, detail)
        throw LuaError(.memory, killMessage)
    }

    /// Kills the run for memory with `detail` (host work that was refused before it took the
    /// memory, such as a query stopped by what the budget left it) and returns the error to
    /// throw: like Lua's own memory error, a pcall does not save the run.
    public func memoryKill(_ detail: String, in stack: LuaStack? = nil) -> LuaError {
        mosaic_host_memory_kill(ctx, stack?.L ?? currentThread, detail)
        return LuaError(.memory, killMessage)
    }

    private var currentThread: OpaquePointer? { ctx.pointee.current }

    /// A check another thread may call: true once this state was stopped (time limit,
    /// interrupt, memory). For long host work done inside a call from Lua (a query), which
    /// Lua's hook cannot stop.
    public var stopCheck: @Sendable () -> Bool {
        let h = handle
        return { mosaic_killed(h.ctx) != 0 }
    }

    private var killMessage: String {
        var buf = [CChar](repeating: 0, count: 256)
        return String(cString: mosaic_kill_message(ctx, &buf, 256))
    }

    /// Polled (about every 50 ms, from the watchdog thread) while a call runs: true
    /// interrupts the call as `interrupt()` does. For Ctrl-C: a signal handler sets a flag
    /// this reads (a signal handler itself must not call `interrupt()`, which locks).
    public var isCancelled: (@Sendable () -> Bool)?

    /// Stops the running call as soon as possible (from any thread). The call fails with
    /// `.interrupted`, and the state cannot be used again.
    public func interrupt() {
        handle.kill(reason: Int32(MOSAIC_KILL_INTERRUPT), generation: 0)
    }

    // MARK: - Globals and functions

    /// Sets a global (or a field of a global table when `path` has dots: "kb.find").
    public func setGlobal(_ path: String, _ value: LuaValue) {
        withHostStack { s in
            s.push(value)
            s.setPath(path)
        }
    }

    /// Registers a Swift function under a global path ("print", "kb.find").
    public func setFunction(_ path: String, _ body: @escaping LuaFunction) {
        let index = register(name: path, body)
        withHostStack { s in
            mosaic_pushswift(L, lua_Integer(index), 0)
            s.setPath(path)
        }
    }

    /// Registers a Swift function and returns its index for `LuaStack.pushFunction`.
    /// Register once and push many times (closures that capture per-call state should
    /// keep that state in upvalues instead).
    public func register(name: String, _ body: @escaping LuaFunction) -> Int {
        functions.append(Function(name: name, body: body))
        return functions.count - 1
    }

    /// Lets `require "a.b"` load `ROOT/a/b.lua` (or `ROOT/a/b/init.lua`) as a text chunk.
    /// `string`, `table`, `math`, `utf8` and `coroutine` resolve to the sandbox's tables.
    /// Nothing else can be required.
    /// A module file (or a folder on its way) that is a link resolving outside `root` is
    /// refused unless `allowOutsideLinks` (the workspace's `allow_outside_links: true`).
    public func enableRequire(root: URL, chunkPrefix: String, allowOutsideLinks: Bool = false) {
        moduleRoot = root
        requireFollowsOutsideLinks = allowOutsideLinks
        setFunction("require") { [unowned self] s throws(LuaError) in
            try self.require(s, chunkPrefix: chunkPrefix)
        }
    }

    private func require(_ s: LuaStack, chunkPrefix: String) throws(LuaError) -> Int32 {
        let name = try s.string(1)
        let L = s.L
        // cache
        lua_getfield(L, mosaic_registryindex(), "mosaic.loaded")
        if lua_type(L, -1) != LUA_TTABLE {
            mosaic_pop(L, 1)
            mosaic_newtable(L)
            lua_pushvalue(L, -1)
            lua_setfield(L, mosaic_registryindex(), "mosaic.loaded")
        }
        let cache = lua_gettop(L)
        lua_getfield(L, cache, name)
        if lua_type(L, -1) != LUA_TNIL { return 1 }
        mosaic_pop(L, 1)
        if ["string", "table", "math", "utf8", "coroutine"].contains(name) {
            mosaic_pushglobaltable(L)
            lua_getfield(L, -1, name)
            return 1
        }
        if ["os", "io", "debug", "package", "ffi", "jit"].contains(name) {
            throw LuaError.runtime("module '\(name)' is not available in the plugin sandbox"
                + (name == "os" ? " (the global os offers os.time, os.date and os.clock)" : ""))
        }
        let valid = !name.isEmpty && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        }
        guard valid, let root = moduleRoot else {
            throw LuaError.runtime("module '\(name)' not found: only Lua files in the plugin's own folder can be required")
        }
        let rel = name.replacingOccurrences(of: ".", with: "/")
        var found: (String, String)?
        for candidate in [rel + ".lua", rel + "/init.lua"] {
            let url = root.appendingPathComponent(candidate)
            if !requireFollowsOutsideLinks, FileManager.default.fileExists(atPath: url.path) {
                // a symlinked file or folder on the way must not lead out of the plugin's folder
                let base = root.resolvingSymlinksInPath().path
                let resolved = url.resolvingSymlinksInPath().path
                guard resolved.hasPrefix(base + "/") else {
                    throw LuaError.runtime("module '\(name)': '\(candidate)' resolves outside the plugin's folder (to \(resolved)); refused: move it into the folder, or set allow_outside_links: true in mosaic.yaml")
                }
            }
            if let data = FileManager.default.contents(atPath: url.path) {
                found = (String(decoding: data, as: UTF8.self), candidate)
                break
            }
        }
        guard let (code, file) = found else {
            throw LuaError.runtime("module '\(name)' not found: no file '\(rel).lua' or '\(rel)/init.lua' in the plugin's folder")
        }
        try s.load(code, chunkName: "@" + chunkPrefix + file)
        s.push(name)
        s.push(file)
        try s.call(nargs: 2, nresults: 1)
        if lua_type(L, -1) == LUA_TNIL {
            mosaic_pop(L, 1)
            lua_pushboolean(L, 1)
        }
        lua_pushvalue(L, -1)
        lua_setfield(L, cache, name)
        return 1
    }

    /// Runs `body` with a stack for host-side pushes and reads (outside any call).
    /// Leaves the stack as it found it.
    public func withHostStack<R>(_ body: (LuaStack) throws(LuaError) -> R) throws(LuaError) -> R {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        return try body(LuaStack(L: L, state: self, functionName: "?"))
    }

    public func withHostStack<R>(_ body: (LuaStack) -> R) -> R {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        return body(LuaStack(L: L, state: self, functionName: "?"))
    }

    // MARK: - Running Lua

    /// Compiles a text chunk and returns it as a function. `chunkName` follows Lua's
    /// convention: "@path/file.lua" for files, "=name" for other sources.
    public func load(_ code: String, chunkName: String) throws(LuaError) -> LuaFunctionRef {
        try withHostStack { s throws(LuaError) in
            try s.load(code, chunkName: chunkName)
            return s.ref(-1)
        }
    }

    /// Compiles and runs a text chunk; returns its results.
    @discardableResult
    public func run(_ code: String, chunkName: String, args: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        let fn = try load(code, chunkName: chunkName)
        return try call(fn, args)
    }

    /// Calls a Lua function from the host with the limits in force; returns its results
    /// converted to Swift values. Fails if the state was killed, even when Lua caught it.
    @discardableResult
    public func call(_ fn: LuaFunctionRef, _ args: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        try call(fn, args) { s, base, n throws(LuaError) in
            var out: [LuaValue] = []
            var budget = limits.maxConvertedValues
            for i in 0..<n { out.append(try s.value(base + i, budget: &budget)) }
            return out
        }
    }

    /// Calls a Lua function and hands its results (stack slots base..<base+count) to
    /// `results` before they are popped: for hosts that read results directly.
    public func call<R>(_ fn: LuaFunctionRef, _ args: [LuaValue],
                        results: (LuaStack, Int32, Int32) throws(LuaError) -> R) throws(LuaError) -> R {
        guard depth == 0 else {
            throw LuaError(.runtime, "LuaState.call cannot be nested inside a Swift function called from Lua; use LuaStack.call")
        }
        if isKilled { throw killError(status: nil, message: nil) }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        let s = LuaStack(L: L, state: self, functionName: "?")
        guard lua_checkstack(L, Int32(args.count) + 4) != 0 else { throw LuaError(.runtime, "too many arguments") }
        mosaic_pushmsgh(L)
        let msgh = lua_gettop(L)
        s.push(fn)
        for a in args { s.push(a) }
        lua_pushnil(L)
        lua_setfield(L, mosaic_registryindex(), "mosaic.errobj")
        ctx.pointee.gc_error = 0

        depth += 1
        let generation = mosaic_begin(ctx)
        var watchdog: UInt64?
        let timeoutNanos = limits.timeout.map { t -> UInt64 in
            let (sec, atto) = t.components
            return UInt64(max(0, sec)) * 1_000_000_000 + UInt64(max(0, atto) / 1_000_000_000)
        }
        if timeoutNanos != nil || isCancelled != nil {
            watchdog = LuaWatchdog.shared.schedule(after: timeoutNanos, handle: handle, generation: generation,
                                                   isCancelled: isCancelled)
        }
        let status = mosaic_pcall(L, Int32(args.count), LUA_MULTRET, msgh)
        if let watchdog { LuaWatchdog.shared.cancel(watchdog) }
        mosaic_end(ctx)
        depth -= 1
        if ctx.pointee.mem_pending != 0 { mosaic_memory_kill(ctx) }

        if isKilled {
            let msg = status == LUA_OK ? nil : mosaic_tostring(L, -1).map { String(cString: $0) }
            throw killError(status: status, message: msg)
        }
        if status != LUA_OK {
            var e = errorFromStack(status: status)
            if e.kind == .memory || e.message.hasSuffix("not enough memory") {
                // Lua reports a memory error with no position.
                mosaic_memory_kill(ctx)
                e.kind = .memory
                e.message = "memory limit exceeded (\(limits.memory) bytes)"
                let w = withUnsafeBytes(of: ctx.pointee.mem_where) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if let r = w.lastIndex(of: ":"), let line = Int(w[w.index(after: r)...]) {
                    e.chunk = String(w[..<r])
                    e.line = line
                }
            }
            throw e
        }
        if ctx.pointee.gc_error != 0 {
            let msg = withUnsafeBytes(of: ctx.pointee.gc_message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var e = LuaError(.errorInGC, msg)
            if let (c, l, _) = LuaError.splitPosition(msg.replacingOccurrences(of: "error in __gc (", with: "")) {
                e.chunk = c; e.line = l
            }
            throw e
        }
        let n = lua_gettop(L) - msgh
        return try results(s, msgh + 1, n)
    }

    /// The error at the top of the stack after a failed pcall.
    func errorFromStack(status: Int32) -> LuaError {
        let msg = lua_type(L, -1) == LUA_TSTRING ? String(cString: mosaic_tostring(L, -1)!) : "(error object is not a string)"
        let kind: LuaError.Kind
        switch status {
        case LUA_ERRMEM: kind = .memory
        case LUA_ERRSYNTAX: kind = .syntax
        default: kind = .runtime
        }
        var e = LuaError(kind, msg)
        if status == LUA_ERRRUN || status == LUA_ERRERR {
            e.traceback = registryString("mosaic.tb")
        }
        locate(&e)
        return e
    }

    private func killError(status: Int32?, message: String?) -> LuaError {
        let text = killMessage
        let kind: LuaError.Kind
        switch Int(mosaic_killed(ctx)) {
        case Int(MOSAIC_KILL_TIMEOUT): kind = .timeout
        case Int(MOSAIC_KILL_INSTRUCTIONS): kind = .instructions
        case Int(MOSAIC_KILL_MEMORY): kind = .memory
        case Int(MOSAIC_KILL_INTERRUPT): kind = .interrupted
        default: kind = .killed
        }
        guard status != nil else {
            return LuaError(.killed, "this Lua state was stopped earlier (\(text)); create a new one")
        }
        var e = LuaError(kind, text)
        let whereText = withUnsafeBytes(of: ctx.pointee.kill_where) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if let r = whereText.lastIndex(of: ":"), let line = Int(whereText[whereText.index(after: r)...]) {
            e.chunk = String(whereText[..<r])
            e.line = line
        } else if let message, let (c, l, _) = LuaError.splitPosition(message) {
            e.chunk = c
            e.line = l
        }
        if status == LUA_ERRRUN { e.traceback = registryString("mosaic.tb") }
        return e
    }

    private func registryString(_ key: String) -> String? {
        lua_getfield(L, mosaic_registryindex(), key)
        defer { mosaic_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TSTRING, let p = mosaic_tostring(L, -1) else { return nil }
        return String(cString: p)
    }

    /// Fills chunk and line from the message prefix, else from the first Lua frame of the
    /// traceback.
    func locate(_ e: inout LuaError) {
        if let (c, l, _) = LuaError.splitPosition(e.message) {
            e.chunk = c
            e.line = l
            return
        }
        guard let tb = e.traceback else { return }
        for line in tb.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("[C]") || t.hasPrefix("stack traceback") { continue }
            if let (c, l, _) = LuaError.splitPosition(t) {
                e.chunk = c
                e.line = l
                return
            }
        }
    }

    // MARK: - Classes

    /// Defines a userdata class in this state. Configure it in `configure`; the metatable
    /// is built when it returns.
    public func defineClass<T: Sendable & Hashable>(_ type: T.Type, name: String,
                                                    _ configure: (LuaClass<T>) -> Void) -> LuaClass<T> {
        let cls = LuaClass<T>(name: name, id: Int32(classes.count))
        configure(cls)
        classes.append(cls)
        classByName[name] = classes.count - 1
        cls.build(in: self)
        return cls
    }
}

/// Owns the C context; the watchdog holds it so a late timer never touches freed memory.
// @unchecked Sendable: the watchdog thread only calls `mosaic_kill`, which takes the context's mutex and sets the kill flag atomically (only for the call `generation` names); everything else touches the context from the state's own thread.
final class LuaContextHandle: @unchecked Sendable {
    let ctx: UnsafeMutablePointer<mosaic_ctx>
    init(_ ctx: UnsafeMutablePointer<mosaic_ctx>) { self.ctx = ctx }
    func kill(reason: Int32, generation: UInt32) { _ = mosaic_kill(ctx, reason, generation) }
    deinit { mosaic_ctx_free(ctx) }
}

/// Called by the C trampoline for every Swift function.
private let luaDispatch: @convention(c) (OpaquePointer?) -> Int32 = { L in
    let L = L!
    let ctx = mosaic_ctx_of(L)!
    let state = Unmanaged<LuaState>.fromOpaque(ctx.pointee.owner).takeUnretainedValue()
    let index = Int(mosaic_tointeger(L, mosaic_upvalueindex(1)))
    let fn = state.functions[index]
    let stack = LuaStack(L: L, state: state, functionName: fn.name)
    do throws(LuaError) {
        return try fn.body(stack)
    } catch {
        let raw = LuaError.splitPosition(error.message) != nil
        stack.push(error.message)
        return raw ? Int32(MOSAIC_ERR_RAW) : Int32(MOSAIC_ERR_WHERE)
    }
}

/// Releases the box of a boxed userdata (its __gc).
private let luaRelease: @convention(c) (UnsafeMutableRawPointer?) -> Void = { box in
    if let box { Unmanaged<AnyObject>.fromOpaque(box).release() }
}
