import Foundation
import XCTest
@testable import MosaicLua

final class LuaBridgeTests: XCTestCase {
    func testValuesRoundTrip() throws {
        let s = try LuaState()
        let values: [LuaValue] = [
            .nil, true, false, 0, 42, .integer(Int64.max), .integer(Int64.min), 1.5, -0.25, 3.0,
            "", "héllo", [1, 2, "three"], ["a": 1, "b": [true]],
            .table(LuaTable(array: [1], fields: [.init(key: 10, value: "ten"), .init(key: "k", value: 2.5)])),
        ]
        for v in values {
            let r = try s.run("return ...", chunkName: "=echo", args: [v])
            XCTAssertEqual(r, [v], "\(v)")
        }
        // integers stay integers, floats stay floats
        XCTAssertEqual(try s.run("return 7 // 2, 7 / 2, 2^53, math.type(...)", chunkName: "=t", args: [3]),
                       [.integer(3), .number(3.5), .number(9007199254740992), "integer"])
    }

    func testStableTableOrder() throws {
        let s = try LuaState()
        let r = try s.run("return {z = 1, a = 2, [3] = 'x', [1] = 'y', m = 3, [-1] = 0}", chunkName: "=t")
        XCTAssertEqual(r.first?.description, "{\"y\", [-1]=0, [3]=\"x\", a=2, m=3, z=1}")
    }

    func testSwiftFunctionsAndArgumentErrors() throws {
        let s = try LuaState()
        s.setFunction("kb.add") { st throws(LuaError) in
            let a = try st.integer(1), b = try st.integer(2)
            st.push(a + b)
            return 1
        }
        s.setFunction("kb.greet") { st throws(LuaError) in
            st.push("hello " + (try st.string(1)))
            return 1
        }
        XCTAssertEqual(try s.run("return kb.add(2, 40), kb.greet('bob')", chunkName: "=t"), [42, "hello bob"])
        do {
            try s.run("\nreturn kb.greet(nil)", chunkName: "@plugins/x.lua")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.description, "plugins/x.lua:2: bad argument #1 to 'kb.greet' (string expected, got nil)")
            XCTAssertEqual(error.chunk, "plugins/x.lua")
            XCTAssertEqual(error.line, 2)
        }
        // errors from Swift can be caught by Lua's pcall
        XCTAssertEqual(try s.run("local ok, e = pcall(kb.add, 1.5, 1) return ok, e", chunkName: "=t"),
                       [false, "bad argument #1 to 'kb.add' (number has no integer representation)"])
    }

    func testLuaCallbackFromSwift() throws {
        let s = try LuaState()
        s.setFunction("each") { st throws(LuaError) in
            try st.checkFunction(2)
            var sum: Int64 = 0
            for i in 1...Int64(try st.integer(1)) {
                st.pushValue(at: 2)
                st.push(i)
                try st.call(nargs: 1, nresults: 1)
                sum += (try? st.integer(-1)) ?? 0
                st.pop()
            }
            st.push(sum)
            return 1
        }
        XCTAssertEqual(try s.run("return each(4, function(i) return i * i end)", chunkName: "=t"), [30])
        // an error inside the callback keeps its position and traceback
        do {
            try s.run("return each(3, function(i)\n if i == 2 then error('two') end return i end)", chunkName: "@cb.lua")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.kind, .runtime)
            XCTAssertEqual(error.message, "cb.lua:2: two")
            XCTAssertTrue(error.traceback?.contains("in function 'each'") ?? false, error.traceback ?? "no traceback")
        }
    }

    func testRuntimeErrorHasTraceback() throws {
        let s = try LuaState()
        do {
            try s.run("local function inner()\n  local x = nil\n  return x.field\nend\nlocal function outer() local r = inner() return r end\nlocal v = outer() return v", chunkName: "@plugins/bad.lua")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.chunk, "plugins/bad.lua")
            XCTAssertEqual(error.line, 3)
            XCTAssertTrue(error.message.contains("attempt to index a nil value (local 'x')"), error.message)
            XCTAssertTrue(error.traceback?.contains("plugins/bad.lua:5") ?? false, error.traceback ?? "")
        }
        XCTAssertThrowsError(try s.run("return +", chunkName: "@plugins/syntax.lua")) {
            let e = $0 as! LuaError
            XCTAssertEqual(e.kind, .syntax)
            XCTAssertEqual(e.chunk, "plugins/syntax.lua")
            XCTAssertEqual(e.line, 1)
        }
    }

    struct Day: Hashable, Sendable { var n: Int64 }
    struct Named: Hashable, Sendable { var name: String }

    func testUserdataClasses() throws {
        let s = try LuaState()
        let day = s.defineClass(Day.self, name: "Day") { c in
            c.equals = { $0 == $1 }
            c.lessThan = { $0.n < $1.n }
            c.lessOrEqual = { $0.n <= $1.n }
            c.describe = { "day \($0.n)" }
            c.method("next") { st, d in st.push(st.state.classes[0] as! LuaClass<Day>, Day(n: d.n + 1)); return 1 }
            c.fields { st, d, key in
                guard key == "n" else { return false }
                st.push(d.n)
                return true
            }
        }
        let named = s.defineClass(Named.self, name: "Named") { c in
            c.fields { st, v, key in key == "name" ? { st.push(v.name); return true }() : false }
        }
        s.setFunction("day") { st throws(LuaError) in st.push(day, Day(n: try st.integer(1))); return 1 }
        s.setFunction("named") { st throws(LuaError) in st.push(named, Named(name: try st.string(1))); return 1 }
        let r = try s.run("""
            local a, b = day(1), day(2)
            return a < b, a <= b, a == day(1), a ~= b, tostring(a), a:next().n, a.missing,
                   getmetatable(a), named('x').name, a
            """, chunkName: "=t")
        XCTAssertEqual(Array(r.prefix(9)), [true, true, true, true, "day 1", 2, .nil, "Day", "x"])
        XCTAssertEqual(r[9], .userdata(LuaUserdata(className: "Day", payload: Day(n: 1))))
        XCTAssertThrowsError(try s.run("return day(1) < named('x')", chunkName: "=t"))
        XCTAssertThrowsError(try s.run("local d = day(1) return d.next()", chunkName: "=t")) {
            XCTAssertTrue(($0 as! LuaError).message.contains("call it with ':'"), "\($0)")
        }
        // boxed payloads are released by __gc
        try s.run("for i = 1, 1000 do named('n' .. i) end collectgarbage()", chunkName: "=t")
        // Swift values with userdata push back as userdata
        XCTAssertEqual(try s.run("return (...).n", chunkName: "=t", args: [.userdata(LuaUserdata(className: "Day", payload: Day(n: 9)))]), [9])
    }

    func testRequireFromThePluginFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mosaic-lua-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lib"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "local M = {} function M.twice(x) return 2 * x end return M".write(to: dir.appendingPathComponent("util.lua"), atomically: true, encoding: .utf8)
        try "return { name = ... }".write(to: dir.appendingPathComponent("lib/init.lua"), atomically: true, encoding: .utf8)
        try "error('broken module')".write(to: dir.appendingPathComponent("broken.lua"), atomically: true, encoding: .utf8)
        let s = try LuaState()
        s.enableRequire(root: dir, chunkPrefix: "plugins/p/")
        XCTAssertEqual(try s.run("return require('util').twice(21), require('lib').name, require('util') == require('util'), require('string') == string",
                                 chunkName: "=t"), [42, "lib", true, true])
        XCTAssertThrowsError(try s.run("require 'broken'", chunkName: "=t")) {
            XCTAssertEqual(($0 as! LuaError).message, "plugins/p/broken.lua:1: broken module")
        }
    }

    /// A symlinked folder (or file) inside the plugin's folder that leads out of it is not
    /// followed by `require` (issue 19), unless outside links are allowed; links that stay
    /// inside still work.
    func testRequireRefusesLinksOutOfThePluginFolder() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("mosaic-lua-\(UUID().uuidString)")
        let dir = base.appendingPathComponent("plugin"), outside = base.appendingPathComponent("outside")
        try fm.createDirectory(at: dir.appendingPathComponent("inner"), withIntermediateDirectories: true)
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: base) }
        try "return 'secret'".write(to: outside.appendingPathComponent("evil.lua"), atomically: true, encoding: .utf8)
        try "return 'inner'".write(to: dir.appendingPathComponent("inner/ok.lua"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(at: dir.appendingPathComponent("lib"), withDestinationURL: outside)
        try fm.createSymbolicLink(at: dir.appendingPathComponent("evilfile.lua"), withDestinationURL: outside.appendingPathComponent("evil.lua"))
        try fm.createSymbolicLink(at: dir.appendingPathComponent("alias"), withDestinationURL: dir.appendingPathComponent("inner"))
        let s = try LuaState()
        s.enableRequire(root: dir, chunkPrefix: "plugins/p/")
        for name in ["lib.evil", "evilfile"] {
            XCTAssertThrowsError(try s.run("return require '\(name)'", chunkName: "=t")) {
                let m = ($0 as! LuaError).message
                XCTAssertTrue(m.contains("module '\(name)'") && m.contains("resolves outside the plugin's folder"), m)
            }
        }
        XCTAssertEqual(try s.run("local ok, e = pcall(require, 'lib.evil') return ok", chunkName: "=t"), [false])
        XCTAssertEqual(try s.run("return require 'alias.ok'", chunkName: "=t"), ["inner"])
        let allowed = try LuaState()
        allowed.enableRequire(root: dir, chunkPrefix: "plugins/p/", allowOutsideLinks: true)
        XCTAssertEqual(try allowed.run("return require 'lib.evil'", chunkName: "=t"), ["secret"])
    }

    /// The sandbox's global environment, as a golden list.
    func testSandboxGlobals() throws {
        let s = try LuaState()
        let r = try s.run("""
            local out = {}
            for k, v in pairs(_G) do
              if type(v) == 'table' and k ~= '_G' then
                for f in pairs(v) do out[#out + 1] = k .. '.' .. f end
              else out[#out + 1] = k end
            end
            table.sort(out) return table.concat(out, ' ')
            """, chunkName: "=t")
        let expected = """
            _G _VERSION assert collectgarbage coroutine.close coroutine.create coroutine.isyieldable \
            coroutine.resume coroutine.running coroutine.status coroutine.wrap coroutine.yield error \
            getmetatable ipairs load math.abs math.acos math.asin math.atan math.atan2 math.ceil math.cos math.cosh \
            math.deg math.exp math.floor math.fmod math.frexp math.huge math.ldexp math.log math.log10 math.max math.maxinteger math.min \
            math.mininteger math.modf math.pi math.pow math.rad math.random math.randomseed math.sin math.sinh \
            math.sqrt math.tan math.tanh math.tointeger math.type math.ult next os.clock os.date os.time pairs pcall rawequal \
            rawget rawlen rawset select setmetatable string.byte string.char string.find string.format \
            string.gmatch string.gsub string.len string.lower string.match string.pack string.packsize \
            string.rep string.reverse string.sub string.unpack string.upper table.concat table.insert \
            table.move table.pack table.remove table.sort table.unpack tonumber tostring type utf8.char \
            utf8.charpattern utf8.codepoint utf8.codes utf8.len utf8.offset xpcall
            """
        XCTAssertEqual(r.first?.stringValue, expected)
    }

    /// The guards let ordinary code through.
    func testGuardsAllowOrdinaryUse() throws {
        let s = try LuaState()
        let r = try s.run("""
            local text = string.rep('word ', 20000)
            local n = 0 for w in text:gmatch('%a+') do n = n + 1 end
            local trimmed = ('   padded   '):match('^%s*(.-)%s*$')
            local k, v = ('key = value'):match('(%w+)%s*=%s*(%w+)')
            local date = { ('2025-10-29'):match('^(%d+)-(%d+)-(%d+)$') }
            local parts = {} for i = 1, 1000 do parts[i] = i end
            local subbed = ('a,b,c'):gsub(',', ';')
            return n, trimmed, k .. v, #date, #table.concat(parts, ','), subbed, ('x'):rep(3, '-'), (''):rep(1e15)
            """, chunkName: "=t")
        XCTAssertEqual(r, [20000, "padded", "keyvalue", 3, 3892, "a;b;c", "x-x-x", ""])
    }

    func testLoadIsTextOnlyAndUsesTheSandbox() throws {
        let s = try LuaState()
        XCTAssertEqual(try s.run("return load('return 1 + 1')(), load('return io')(), load('return x', 'c', 't', {x = 5})()", chunkName: "=t"),
                       [2, .nil, 5])
    }

    func testPrintCanBeProvidedByTheHost() throws {
        let s = try LuaState()
        let lines = UncheckedBox(NSMutableArray())
        s.setFunction("print") { st throws(LuaError) in
            var parts: [String] = []
            for i in 1...max(1, st.count) where i <= st.count { parts.append(st.isString(i) ? try st.string(i) : "\(try st.value(i))") }
            lines.value.add(parts.joined(separator: "\t"))
            return 0
        }
        try s.run("print('a', 1, true)", chunkName: "=t")
        XCTAssertEqual(lines.value as? [String], ["a\t1\ttrue"])
    }
}
