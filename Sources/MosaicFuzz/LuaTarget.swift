import Foundation
import MosaicGraph
import MosaicKB
import MosaicLua
import MosaicPlugins
import MosaicStore

/// Generated plugins calling the `kb` API with hostile arguments (nil, huge strings, NaN,
/// deep tables, wrong types, date arithmetic at the edges, kb.query with deep nesting,
/// kb.assert with bad ids), run in the plugin sandbox over the sample graph with short limits.
/// An input is the whole plugin file.
// @unchecked Sendable: the driver runs one input at a time on its worker thread; the runner and its workspace are used only there.
final class LuaTarget: FuzzTarget, @unchecked Sendable {
    let name = "lua"
    let hangSeconds = 15.0
    let runner: PluginRunner
    let file: URL
    let limits = LuaLimits(timeout: .milliseconds(25), memory: 24 << 20, maxStringSize: 4 << 20, maxElements: 1_000_000,
                           patternBudget: 1e7, maxConvertedValues: 100_000)
    let now = ISO8601DateFormatter().date(from: "2025-10-30T06:00:00Z")!

    init(workspace: URL) throws {
        let store = try Store.inMemory()
        _ = try KBLoader(workspace: workspace, store: store).load()
        let dir = URL(fileURLWithPath: "/tmp/fuzz-lua-\(getpid())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        file = dir.appendingPathComponent("plugins/p.lua")
        runner = PluginRunner(workspace: dir, graph: store.graph)
    }

    /// Removes the temporary workspace (main.swift calls it; globals are never deinitialised).
    func removeWorkspace() { try? FileManager.default.removeItem(at: file.deletingLastPathComponent().deletingLastPathComponent()) }

    func run(_ input: [UInt8]) -> Outcome {
        guard FileManager.default.createFile(atPath: file.path, contents: Data(input)) else { return .error }
        do {
            _ = try runner.run("p", options: PluginRunOptions(now: now, seed: 7, limits: limits, dryRun: true, maxWrites: 1000))
            return .ok
        } catch {
            return .error
        }
    }

    static let hostile = [
        "nil", "true", "0", "-1", "0/0", "1/0", "-1/0", "math.huge", "-math.huge", "math.maxinteger", "math.mininteger", "2^53", "2^63",
        "''", "'\\0'", "'x\\0y'", "('x'):rep(1 << 20)", "('x'):rep(300)", "'\\27[2J'", "' '", "'../x'", "'.hidden'", "'a b'",
        "'hmeimim-air-base'", "'syria'", "'russia'", "'ru-heavy-cargo-1'", "'FLEW_TO'", "'OPERATES'", "'Base'", "'Country'", "'Nope'",
        "{}", "{1, 2, 3}", "{x = 1}", "{[{}] = 1}", "{[1.5] = 'a'}", "setmetatable({}, {__index = function() error('boom') end})",
        "setmetatable({}, {__tostring = function() return 1 end})", "function() end", "coroutine.create(function() end)",
        "kb.date('2025')", "kb.date('2025-10-29')", "kb.date('-9999-01-01')", "kb.date('9999-12-31')", "kb.get('syria')",
        "deep", "cyclic", "big", "'2025-02-30'", "'9999999-01-01'", "'2025-10-29T24:00Z'",
    ]

    static let calls = [
        "kb.get(%a)", "kb.find(%a)", "kb.find{type = %a, name = %a, where = %a, limit = %a}", "kb.relations(%a)", "kb.edges(%a, %a)",
        "kb.search(%a, %a)", "kb.query(%a, %a)", "kb.query(%q)", "kb.query(%q, {id = %a})", "kb.date(%a)", "kb.date(%a) + %a",
        "kb.date(%a) - %a", "kb.date('2025') + %a", "kb.date('2025-10-29') - kb.date(%a)", "kb.date(%a):add_days(%a)",
        "kb.date(%a):days_to(kb.date(%a))", "kb.date(%a):truncate(%a)", "kb.date(%a):before(%a)", "kb.date(%a) .. %a",
        "kb.assert(%a)", "kb.assert{entity = %a, type = %a, name = %a, properties = %a}", "kb.assert{entity = %a, property = %a, value = %a}",
        "kb.assert{from = %a, type = %a, to = %a, since = %a, until = %a, sources = %a, confidence = %a}", "kb.retract(%a)",
        "kb.log(%a, %a)", "kb.now()", "kb.random(%a, %a)", "kb.conflicts(%a)", "kb.plugin(%a)", "kb.version",
        "kb.get('hmeimim-air-base'):out(%a)", "kb.get('hmeimim-air-base'):inn(%a)", "kb.get('syria'):neighbors(%a)",
        "kb.get('hmeimim-air-base').properties", "kb.relations('FLEW_TO')[1].sources", "kb.relations('FLEW_TO')[1].valid_from + %a",
        "(function() for e in kb.each(%a) do local _ = e.name end end)()", "(function() for r in kb.each_relation(%a) do local _ = r.from end end)()",
    ]

    static let queries = ["'MATCH (n) RETURN n LIMIT 3'", "'RETURN $id AS x'", "'MATCH (a)-[r]->(b) RETURN a, r, b, validFrom(r)'",
                          "'UNWIND range(1, 20000) AS x RETURN x'", "'CREATE (n:Base {id: \"q\"})'", "'RETURN ' .. ('('):rep(%n) .. '1' .. (')'):rep(%n)",
                          "'RETURN ' .. ('['):rep(%n) .. '1' .. (']'):rep(%n)", "'RETURN 1' .. ('+1'):rep(%n)", "'RETURN ' .. ('NOT '):rep(%n) .. 'true'",
                          "'MATCH p = shortestPath((a)-[*]-(b)) RETURN count(p)'", "'WITH reduce(s = \"x\", i IN range(1, 16) | s + s) AS s RETURN size(s)'",
                          "'MATCH (a), (b), (c), (d), (e) RETURN count(*)'", "'RETURN reduce(l = [], i IN range(1, %n) | [l])'", "'RETURN date(\"2025-10\") AS d, duration(\"P1D\") AS p'",
                          "'MATCH (x:Location) RETURN labels(x)'", "'garbage ((('"]

    func generate(_ r: inout FuzzRandom) -> [UInt8] {
        // small inputs (a few calls each) keep a million runs within minutes: one run costs
        // about 1 ms of sandbox setup before its first call
        var body = "local deep = {} local t = deep for i = 1, \(r.size(10, 400)) do t[1] = {} t = t[1] end\n"
        body += "local cyclic = {} cyclic.self = cyclic cyclic[1] = cyclic\nlocal big = {} for i = 1, \(r.size(10, 3000)) do big[i] = i end\n"
        for _ in 0..<r.size(3, 12) {
            var call = r.pick(LuaTarget.calls)
            while let range = call.range(of: "%a") { call.replaceSubrange(range, with: r.pick(LuaTarget.hostile)) }
            while let range = call.range(of: "%q") {
                var q = r.chance(40) ? r.pick(LuaTarget.queries) : r.pick(Array(LuaTarget.queries.prefix(3)))
                while let nr = q.range(of: "%n") { q.replaceSubrange(nr, with: String(r.chance(70) ? r.size(50, 2000) : r.size(5000, 150_000))) }
                call.replaceSubrange(range, with: q)
            }
            switch r.below(10) {
            case 0: body += "local v = \(call)\n"   // unprotected: the run may fail here
            case 1: body += "local ok, v = pcall(function() local x = \(call) return tostring(x) end)\n"
            case 2: body += "local ok, v = pcall(function() return #(\(call)) end)\n"
            case 3: body += "coroutine.wrap(function() pcall(function() return \(call) end) end)()\n"
            default: body += "pcall(function() return \(call) end)\n"
            }
        }
        if r.chance(3) { body += r.pick(["while true do end\n", "local s = 'x' while true do s = s .. s end\n",
                                         "local t = {} for i = 1, 1e9 do t[i] = i end\n",
                                         "do local x <close> = setmetatable({}, {__close = function() while true do end end}) end\n"]) }
        body += "return 'done'\n"
        var text = "return { name = 'p', version = '1', run = function(params, kb)\n\(body)end }\n"
        if r.chance(15) {
            text = String(decoding: Mutate.mutate(Array(text.utf8), &r, tokens: ["(", ")", "end", "kb.", "'", "nil", "{", "}", "..", "#", "--[[", "]]", "\\0"],
                                                  others: [], rounds: r.size(2, 6)), as: UTF8.self)
        }
        return Array(text.utf8)
    }
}
