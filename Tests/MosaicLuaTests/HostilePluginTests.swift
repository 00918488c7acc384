import Foundation
import XCTest
@testable import MosaicLua

/// Hostile code, one case per line of the table: each must end in the expected error kind
/// with a message (or traceback) fragment, quickly, and never take the host down.
final class HostilePluginTests: XCTestCase {
    struct Case {
        let name: String
        let code: String
        let kind: LuaError.Kind
        let fragment: String
        /// Code run first in the same state (e.g. to create a coroutine before the limit).
        var setup: String? = nil
        /// Other acceptable kinds (when which limit trips first depends on the machine).
        var or: [LuaError.Kind] = []
        /// Limits for this case (memory cases get more time: the test machine may be busy).
        var limits: LuaLimits = HostilePluginTests.limits
    }

    static let memoryLimits = LuaLimits(timeout: .seconds(5), memory: 8 << 20, maxStringSize: 4 << 20)

    static let limits = LuaLimits(timeout: .milliseconds(200), memory: 32 << 20, maxStringSize: 4 << 20,
                                  maxElements: 1_000_000, patternBudget: 1e7, maxConvertedValues: 100_000)

    static let cases: [Case] = [
        Case(name: "infinite loop", code: "while true do end", kind: .timeout, fragment: "time limit exceeded"),
        Case(name: "numeric for forever", code: "local x = 0 for i = 1, math.maxinteger do x = x + i end", kind: .timeout, fragment: "time limit"),
        Case(name: "loop inside a coroutine created in an earlier call",
             code: "coroutine.resume(co)", kind: .timeout, fragment: "time limit",
             setup: "co = coroutine.create(function() while true do end end)"),
        Case(name: "loop inside a coroutine created first",
             code: "local co = coroutine.create(function() while true do end end) coroutine.resume(co) while true do end",
             kind: .timeout, fragment: "time limit"),
        Case(name: "loop inside coroutine.wrap, error swallowed",
             code: "local f = coroutine.wrap(function() while true do end end) pcall(f) return 'survived'",
             kind: .timeout, fragment: "time limit"),
        Case(name: "nested coroutines", code: """
             local inner = coroutine.create(function() while true do end end)
             local outer = coroutine.create(function() coroutine.resume(inner) while true do end end)
             coroutine.resume(outer) return 'survived'
             """, kind: .timeout, fragment: "time limit"),
        Case(name: "pcall swallowing the timeout",
             code: "while true do pcall(function() while true do end end) end", kind: .timeout, fragment: "time limit"),
        Case(name: "pcall swallowing the timeout then returning",
             code: "pcall(function() while true do end end) return 'done'", kind: .timeout, fragment: "time limit"),
        Case(name: "xpcall with a looping handler",
             code: "xpcall(function() while true do end end, function() while true do end end) return 1",
             kind: .timeout, fragment: "time limit"),
        Case(name: "memory bomb", code: "local t = {} while true do t[#t + 1] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16} end", kind: .memory, fragment: "memory limit", limits: memoryLimits),
        Case(name: "memory bomb caught by pcall",
             code: "pcall(function() local t = {} while true do t[#t + 1] = ('x'):rep(100000) .. #t end end) return 'survived'",
             kind: .memory, fragment: "memory limit", limits: memoryLimits),
        Case(name: "string.rep bomb", code: "return string.rep('x', 1e10)", kind: .runtime, fragment: "string.rep result too large"),
        Case(name: "string.rep bomb through the string metatable", code: "local s = ('abc'):rep(1e8) return #s", kind: .runtime, fragment: "string.rep result too large"),
        Case(name: "string.rep doubling", code: "local s = 'x' while true do s = s .. s end", kind: .memory, fragment: "memory limit", limits: memoryLimits),
        Case(name: "catastrophic pattern", code: "local s = string.rep('a', 3000) return s:find('.-.-.-.-.-b')",
             kind: .runtime, fragment: "pattern too complex"),
        Case(name: "quadratic pattern on a long subject", code: "local s = string.rep('a', 1e6) return s:find('a*b')",
             kind: .runtime, fragment: "pattern too complex"),
        Case(name: "plain find with a pathological needle",
             code: "local s = string.rep('a', 2e6) return s:find(string.rep('a', 1000) .. 'b', 1, true)",
             kind: .runtime, fragment: "pattern too complex"),
        Case(name: "table.move over a huge range", code: "table.move({}, 1, 1e15, 2)", kind: .runtime, fragment: "table.move range too large"),
        Case(name: "table.concat over a huge range", code: "return table.concat(setmetatable({}, {__index = function() return '' end}), '', 1, 1e12)",
             kind: .runtime, fragment: "table.concat range too large"),
        Case(name: "io.open", code: "return io.open('/etc/passwd')", kind: .runtime, fragment: "global 'io'"),
        Case(name: "os.execute", code: "return os.execute('true')", kind: .runtime, fragment: "field 'execute'"),
        Case(name: "os.getenv", code: "return os.getenv('HOME')", kind: .runtime, fragment: "field 'getenv'"),
        Case(name: "require os", code: "return require 'os'", kind: .runtime, fragment: "not available in the plugin sandbox"),
        Case(name: "require a C module", code: "return require 'socket.core'", kind: .runtime, fragment: "module 'socket.core' not found"),
        Case(name: "require outside the folder", code: "return require '../../etc/passwd'", kind: .runtime, fragment: "not found"),
        Case(name: "package.loadlib", code: "return package.loadlib('libc.so.6', 'system')", kind: .runtime, fragment: "global 'package'"),
        Case(name: "binary chunk", code: "local f, err = load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n') assert(f, err)",
             kind: .runtime, fragment: "attempt to load a binary chunk"),
        Case(name: "binary chunk asking for mode b", code: "local f, err = load('\\27Lua', 'x', 'b') assert(f, err)",
             kind: .runtime, fragment: "binary chunk"),
        Case(name: "dofile", code: "return dofile('/etc/passwd')", kind: .runtime, fragment: "global 'dofile'"),
        Case(name: "loadfile", code: "return loadfile('/etc/passwd')", kind: .runtime, fragment: "global 'loadfile'"),
        Case(name: "debug", code: "debug.sethook()", kind: .runtime, fragment: "global 'debug'"),
        Case(name: "string.dump", code: "return string.dump(function() end)", kind: .runtime, fragment: "field 'dump'"),
        Case(name: "string metatable", code: "getmetatable('').__index = {}", kind: .runtime, fragment: "index a boolean value"),
        Case(name: "collectgarbage stop", code: "collectgarbage('stop')", kind: .runtime, fragment: "invalid option 'stop'"),
        Case(name: "error in __gc", code: "setmetatable({}, {__gc = function() error('boom in gc') end}) collectgarbage() return 1",
             kind: .runtime, fragment: "__gc metamethods are not allowed"),
        Case(name: "loop in __gc", code: "setmetatable({}, {__gc = function() while true do end end}) collectgarbage() return 1",
             kind: .runtime, fragment: "__gc metamethods are not allowed"),
        Case(name: "__gc added after setmetatable never runs", code: "local mt = {} setmetatable({}, mt) mt.__gc = function() while true do end end collectgarbage() error('finished')",
             kind: .runtime, fragment: "finished"),
        Case(name: "loop in __close", code: "do local x <close> = setmetatable({}, {__close = function() while true do end end}) end",
             kind: .timeout, fragment: "time limit"),
        // __close handlers run wherever Lua unwinds or closes a thread: each must be stoppable.
        Case(name: "loop in __close run by coroutine.close", code: """
             local co = coroutine.create(function()
               local x <close> = setmetatable({}, {__close = function() while true do end end})
               coroutine.yield()
             end)
             coroutine.resume(co)
             coroutine.close(co)
             return 'survived'
             """, kind: .timeout, fragment: "time limit"),
        Case(name: "loop in __close of a dead coroutine, closed in a later call",
             code: "pcall(coroutine.close, co) return 'survived'", kind: .timeout, fragment: "time limit",
             setup: """
             co = coroutine.create(function()
               local x <close> = setmetatable({}, {__close = function() while true do end end})
               error('boom')
             end)
             coroutine.resume(co)
             """),
        Case(name: "loop in __close of a failed coroutine.wrap, error swallowed", code: """
             local f = coroutine.wrap(function()
               local x <close> = setmetatable({}, {__close = function() while true do end end})
               error('boom')
             end)
             pcall(f) return 'survived'
             """, kind: .timeout, fragment: "time limit"),
        Case(name: "loop in __close on error unwinding through pcall", code: """
             pcall(function()
               local x <close> = setmetatable({}, {__close = function() while true do end end})
               error('boom')
             end)
             return 'survived'
             """, kind: .timeout, fragment: "time limit"),
        Case(name: "loop in __close on error unwinding inside a coroutine", code: """
             local co = coroutine.create(function()
               pcall(function()
                 local x <close> = setmetatable({}, {__close = function() while true do end end})
                 error('boom')
               end)
             end)
             coroutine.resume(co)
             return 'survived'
             """, kind: .timeout, fragment: "time limit"),
        Case(name: "__close that closes another coroutine with a looping __close", code: """
             local inner = coroutine.create(function()
               local y <close> = setmetatable({}, {__close = function() while true do end end})
               coroutine.yield()
             end)
             coroutine.resume(inner)
             do local x <close> = setmetatable({}, {__close = function() coroutine.close(inner) end}) end
             return 'survived'
             """, kind: .timeout, fragment: "time limit"),
        Case(name: "deep recursion", code: "local function f(n) return f(n + 1) + 1 end return f(1)", kind: .memory, fragment: "",
             or: [.timeout, .runtime], limits: memoryLimits),
        Case(name: "C stack overflow", code: "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x",
             kind: .runtime, fragment: "stack overflow"),
        Case(name: "recursion through pcall", code: "local function f() return pcall(f) end f() error('after')", kind: .runtime, fragment: "after"),
        Case(name: "huge return value", code: "local t = {} for i = 1, 200000 do t[i] = i end return t", kind: .conversion, fragment: "too large"),
        Case(name: "cyclic return value", code: "local t = {} t.self = t return t", kind: .conversion, fragment: "cycle"),
        Case(name: "deep return value", code: "local t = {} for i = 1, 100 do t = {t} end return t", kind: .conversion, fragment: "nested too deeply"),
        Case(name: "many return values", code: "return table.unpack({}, 1, 1e7)", kind: .runtime, fragment: "too many results"),
        Case(name: "error with a table value", code: "error({code = 1})", kind: .runtime, fragment: "error object is a table value"),
    ]

    func testHostileCases() throws {
        var report: [String] = []
        for c in Self.cases {
            let start = Date()
            FileHandle.standardError.write(Data("hostile case: \(c.name)\n".utf8))
            let state = try LuaState(limits: c.limits)
            state.enableRequire(root: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mosaic-no-such-dir"), chunkPrefix: "")
            if let setup = c.setup { try state.run(setup, chunkName: "@hostile.lua") }
            do {
                let r = try state.run(c.code, chunkName: "@hostile.lua")
                XCTFail("\(c.name): expected \(c.kind) error, got \(r)")
            } catch {
                XCTAssertTrue(([c.kind] + c.or).contains(error.kind), "\(c.name): got \(error.kind): \(error.description)")
                let text = error.description + "\n" + (error.traceback ?? "")
                XCTAssertTrue(c.fragment.isEmpty || text.contains(c.fragment), "\(c.name): '\(c.fragment)' not in \(text)")
                if error.kind != .conversion && error.kind != .errorInGC {
                    XCTAssertEqual(error.chunk, "hostile.lua", "\(c.name): no position in \(error)")
                }
                // A killed state refuses further work.
                if [.timeout, .memory].contains(error.kind) {
                    XCTAssertThrowsError(try state.run("return 1", chunkName: "=after"), c.name)
                }
            }
            let ms = Int(Date().timeIntervalSince(start) * 1000)
            report.append("\(ms) ms\t\(c.name)")
        }
        print(report.joined(separator: "\n"))
    }

    /// Globals and metatable changes in one state are invisible to another.
    func testStatesAreIsolated() throws {
        let a = try LuaState(limits: Self.limits)
        let b = try LuaState(limits: Self.limits)
        try a.run("""
            string.upper = function() return 'pwned' end
            shared = 'from a'
            setmetatable(_G, {__index = function() return 'leak' end})
            math.pi = 3
            pcall(function() getmetatable('').__index = { upper = function() return 'pwned' end } end)
            """, chunkName: "=a")
        let r = try b.run("return ('x'):upper(), shared, math.pi > 3.14, rawget(_G, 'anything')", chunkName: "=b")
        XCTAssertEqual(r, ["X", .nil, true, .nil])
    }

    /// Lua code in finalizers cannot stop the state from closing.
    func testLoopInFinalizerAtClose() throws {
        let start = Date()
        do {
            let s = try LuaState(limits: Self.limits)
            // even if a finalizer got in, closing runs it with the state killed
            XCTAssertThrowsError(try s.run("setmetatable({}, {__gc = function() while true do end end}) return 1", chunkName: "=gc"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    /// Garbage near the cap is collected, not punished: only a request that cannot fit
    /// after a full collection breaks the limit.
    func testGarbageNearTheCapIsCollected() throws {
        let s = try LuaState(limits: Self.memoryLimits)
        let r = try s.run("local n = 0 for i = 1, 40 do local big = ('x'):rep(1 << 20) .. i n = n + #big end "
            + "local t = {} for i = 1, 20000 do t[i % 1000 + 1] = { i } end return n", chunkName: "=garbage")
        let expected: Int64 = 40 * 1_048_576 + 71
        XCTAssertEqual(r.first?.intValue, expected)
    }

    func testInstructionBudget() throws {
        let s = try LuaState(limits: LuaLimits(timeout: nil, instructions: 100_000))
        XCTAssertEqual(try s.run("local x = 0 for i = 1, 1000 do x = x + i end return x", chunkName: "=ok"), [.integer(500500)])
        XCTAssertThrowsError(try s.run("local co = coroutine.wrap(function() for i = 1, 1e9 do end end) co()", chunkName: "=loop")) {
            XCTAssertEqual(($0 as? LuaError)?.kind, .instructions)
        }
    }

    func testInterruptFromAnotherThread() throws {
        let s = try LuaState(limits: LuaLimits(timeout: nil))
        let handle = UncheckedBox(s)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { handle.value.interrupt() }
        XCTAssertThrowsError(try s.run("while true do end", chunkName: "=spin")) {
            XCTAssertEqual(($0 as? LuaError)?.kind, .interrupted)
        }
    }

    /// A cancellation check (what Ctrl-C sets) stops a call the hook cannot otherwise
    /// reach: a __close that loops while coroutine.close runs it, with no time limit.
    func testCancellationStopsALoopInCloseOfACoroutine() throws {
        let s = try LuaState(limits: LuaLimits(timeout: nil))
        let flag = UncheckedBox(NSLock())
        nonisolated(unsafe) var pressed = false
        s.isCancelled = { flag.value.lock(); defer { flag.value.unlock() }; return pressed }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) {
            flag.value.lock(); pressed = true; flag.value.unlock()
        }
        XCTAssertThrowsError(try s.run("""
            local co = coroutine.create(function()
              local x <close> = setmetatable({}, {__close = function() while true do end end})
              coroutine.yield()
            end)
            coroutine.resume(co)
            coroutine.close(co)
            return 'survived'
            """, chunkName: "=spin")) {
            XCTAssertEqual(($0 as? LuaError)?.kind, .interrupted)
        }
    }

    /// A call whose check never fires runs to its end.
    func testCancellationCheckThatNeverFires() throws {
        let s = try LuaState(limits: LuaLimits(timeout: nil))
        s.isCancelled = { false }
        XCTAssertEqual(try s.run("local n = 0 for i = 1, 1000 do n = n + i end return n", chunkName: "=ok"), [.integer(500500)])
    }

    /// Memory allocated by a Swift function is counted: the limit is raised in C after it returns.
    func testSwiftAllocationsCountAgainstTheLimit() throws {
        let s = try LuaState(limits: LuaLimits(timeout: .seconds(2), memory: 8 << 20))
        s.setFunction("big") { st in
            st.newTable(array: 100_000)
            for i in 1...100_000 { st.push("item \(i)"); st.setIndex(-2, i) }
            return 1
        }
        XCTAssertThrowsError(try s.run("local keep = {} for i = 1, 10 do keep[i] = big() end", chunkName: "=swift")) {
            XCTAssertEqual(($0 as? LuaError)?.kind, .memory)
        }
    }
}

final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
