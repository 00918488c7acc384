import CLua
import Foundation
import MosaicLua

/// Measures the cost of crossing the bridge, for `scripts/bench` (the f.lua_calls row).
public enum LuaCallBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        /// One Swift→Lua call of `function(x) return x end` through `LuaStack.call` (pcall).
        public var swiftToLuaNs: Double
        /// One `LuaState.call` (watchdog, message handler, result conversion).
        public var hostCallNs: Double
        /// One Lua→Swift call of a registered function returning its integer argument.
        public var luaToSwiftNs: Double
        /// One Lua→Lua call of the same function, for comparison.
        public var luaToLuaNs: Double

        public var description: String {
            String(format: "Swift->Lua %.0f ns (LuaState.call %.0f ns), Lua->Swift %.0f ns, Lua->Lua %.0f ns",
                   swiftToLuaNs, hostCallNs, luaToSwiftNs, luaToLuaNs)
        }
    }

    public static func run(iterations: Int = 200_000) throws(LuaError) -> Result {
        let state = try LuaState(limits: LuaLimits(timeout: .seconds(60)))
        state.setFunction("echo") { s throws(LuaError) in
            s.push(try s.integer(1))
            return 1
        }
        let fn = try state.load("return function(x) return x end", chunkName: "=bench")
        let identity = try state.call(fn)[0]
        guard case .function(let idRef) = identity else { throw LuaError(.runtime, "bench setup failed") }

        // Swift -> Lua, stack level
        let swiftToLua: Double = state.withHostStack { s in
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<iterations {
                s.push(idRef)
                s.push(i)
                try? s.call(nargs: 1, nresults: 1)
                s.pop()
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
        }

        // LuaState.call
        let hostIterations = max(1, iterations / 10)
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<hostIterations { _ = try state.call(idRef, [.integer(Int64(i))]) }
        let host = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(hostIterations)

        // Lua -> Swift and Lua -> Lua, minus the empty loop
        let r2 = try state.run("""
            local n, id = ...
            local clock = os.clock
            local t0 = clock() for i = 1, n do end
            local t1 = clock() for i = 1, n do echo(i) end
            local t2 = clock() for i = 1, n do id(i) end
            local t3 = clock()
            return (t1 - t0), (t2 - t1), (t3 - t2)
            """, chunkName: "=bench", args: [.integer(Int64(iterations)), identity])
        let empty = r2[0].doubleValue ?? 0
        let toSwift = ((r2[1].doubleValue ?? 0) - empty) * 1e9 / Double(iterations)
        let toLua = ((r2[2].doubleValue ?? 0) - empty) * 1e9 / Double(iterations)
        return Result(swiftToLuaNs: swiftToLua, hostCallNs: host, luaToSwiftNs: toSwift, luaToLuaNs: toLua)
    }
}
