import Foundation
import XCTest
import MosaicLua
import MosaicQuery
@testable import MosaicPlugins

/// The kb API from Lua, over the sample KB. Each case is a Lua snippet that must return
/// true (it uses assert for the details).
final class KBAPITests: XCTestCase {
    static let cases: [(String, String)] = [
        ("get", "local b = kb.get('hmeimim-air-base') return b.id == 'hmeimim-air-base' and b.type == 'Base' and kb.get('nope') == nil"),
        ("find by alias", "local r = kb.find{name = 'Khmeimim'} return #r == 1 and r[1].id == 'hmeimim-air-base'"),
        ("find with where table", "local r = kb.find{type = 'Base', where = {id = 'tartus-naval-facility'}} return #r == 1"),
        ("find with where function", """
            local r = kb.find{type = 'Base', where = function(e) return #e:inn('FLEW_TO') > 0 end}
            return #r >= 1 and r[1].id == 'hmeimim-air-base'
            """),
        ("handles compare equal", "return kb.get('hmeimim-air-base') == kb.find{name='Hmeymim'}[1]"),
        ("out, inn, neighbors", """
            local b = kb.get('hmeimim-air-base')
            local inn = b:inn('FLEW_TO')
            assert(#inn == 4, #inn)
            local f = inn[1]
            assert(f.type == 'FLEW_TO' and f.to == b and f.from.type == 'Aircraft')
            assert(f.sources[1].source == 'enab-2025-10-30', f.sources[1].source)
            assert(f.grading == 'B2' and f.confidence > 0 and type(f.id) == 'number')
            assert(#b:out('NO_SUCH_TYPE') == 0)
            local seen = {} for _, n in ipairs(b:neighbors()) do assert(not seen[n.id]) seen[n.id] = true end
            return #b:neighbors() > 0
            """),
        ("iterators", """
            local n = 0 for e in kb.each('Base') do n = n + 1 end
            local m = 0 for r in kb.each_relation('FLEW_TO') do m = m + 1 end
            return n == #kb.find{type = 'Base'} and m == #kb.relations('FLEW_TO') and m > 0
            """),
        ("edges", """
            local from, to = kb.edges('FLEW_TO')
            local rels = kb.relations('FLEW_TO')
            assert(#from == #to and #to == #rels and #to > 0)
            for i = 1, #rels do assert(from[i] == rels[i].from.id and to[i] == rels[i].to.id) end
            local only = kb.edges('FLEW_TO', 'to')
            assert(#only == #to and only[1] == to[1])
            local none_from, none_to = kb.edges('NO_SUCH_TYPE')
            return #none_from == 0 and #none_to == 0
            """),
        ("dates keep precision", """
            local m, d = kb.date('2025-10'), kb.date('2025-10-29')
            assert(m.precision == 'month' and m.day == nil and d.day == 29)
            assert(tostring(m) == '2025-10' and tostring(d + 3) == '2025-11-01')
            assert(d - kb.date('2025-10-24') == 5 and (d - 29).day == 30)
            assert(m < d and not m:before(d) and m:contains(d) and m:overlaps(d))
            assert(kb.date('2025-09'):before(m) and d:after('2025-10-28'))
            assert(kb.date('2025-10') == kb.date('2025-10') and kb.date('2025') ~= kb.date('2025-01'))
            return ('on ' .. d) == 'on 2025-10-29'
            """),
        ("date arithmetic out of range is a Lua error", """
            local d = kb.date('2025')
            local attempts = {
              function() return d + math.maxinteger end, function() return d - math.mininteger end,
              function() return math.maxinteger + d end, function() return d - math.maxinteger end,
              function() return d:add_days(math.mininteger) end, function() return d + 4000000 end,
            }
            for i, f in ipairs(attempts) do
              local ok, e = pcall(f)
              assert(not ok and tostring(e):find('date out of range', 1, true), i .. ': ' .. tostring(e))
            end
            return tostring(d + 366) == '2026' and tostring(kb.date('9999-12-30') + 1) == '9999-12-31'
            """),
        ("now is the engine clock", "return tostring(kb.now():truncate('day')) == '2025-10-30'"),
        ("random is seeded", """
            local a = {} for i = 1, 5 do a[i] = kb.random(1, 100) end
            math.randomseed(0)
            local b = {} for i = 1, 5 do b[i] = math.random(1, 100) end
            for i = 1, 5 do assert(a[i] == b[i]) end
            local x = kb.random() return x >= 0 and x < 1
            """),
        ("spairs is sorted", "local ks = {} for k in kb.spairs({c=1, a=2, b=3}) do ks[#ks+1] = k end return table.concat(ks) == 'abc'"),
        ("query", """
            local rows = kb.query('MATCH (a)-[f:FLEW_TO]->(b:Base) WHERE b.id = $id RETURN a, f, b.name AS name', {id = 'hmeimim-air-base'})
            assert(#rows == 4, #rows)
            return rows[1].a.type == 'Aircraft' and rows[1].f.type == 'FLEW_TO' and rows[1].name ~= nil
            """),
        ("query is read-only", "local ok, e = pcall(kb.query, \"CREATE (:Base {id: 'x'})\") return not ok and e == 'kb.query is read-only: write with kb.assert and kb.retract'"),
        ("search", "local hits = kb.search('Hmeimim') return #hits > 0 and type(hits[1].id) == 'string'"),
        ("assert errors read like Lua's", """
            local ok, e = pcall(kb.assert, {entity = 'nope', property = 'x', value = 1})
            assert(not ok and e:find("unknown entity 'nope'"), e)
            ok, e = pcall(kb.assert, {from = 'hmeimim-air-base', type = 'NEAR', to = 'syria', grading = 'Z9'})
            assert(not ok and e:find('grading'), e)
            ok, e = pcall(kb.find, {colour = 'red'})
            assert(e:find("bad argument #1 to 'kb.find' %(unknown option 'colour'"), e)
            ok, e = pcall(kb.get)
            return e:find("bad argument #1 to 'kb.get' %(string expected, got no value%)") ~= nil
            """),
        ("properties and fields", """
            local b = kb.get('hmeimim-air-base')
            assert(type(b.properties) == 'table' and b.name == b.properties.name)
            local aliases = b.aliases
            return #aliases >= 1 and b.no_such_property == nil
            """),
    ]

    func testKBAPICases() throws {
        let store = try PluginFixtures.sampleStore()
        var files: [String: String] = [:]
        for (i, c) in Self.cases.enumerated() {
            files["case\(i).lua"] = "return { name = 'case\(i)', version = '1', run = function(params, kb)\n\(c.1)\nend }"
        }
        let dir = try PluginFixtures.workspace(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = PluginRunner(workspace: dir, store: store)
        for (i, c) in Self.cases.enumerated() {
            do {
                let r = try runner.run("case\(i)", options: .init(now: PluginFixtures.fixedNow, seed: 0, limits: PluginFixtures.testLimits))
                XCTAssertEqual(r.returned, .bool(true), c.0)
            } catch {
                XCTFail("\(c.0): \((error as? PluginError)?.detailed ?? "\(error)")")
            }
        }
    }

    /// The same seed gives the same run; the log keeps the order of the calls.
    func testRunsAreReproducible() throws {
        let store = try PluginFixtures.sampleStore()
        let dir = try PluginFixtures.workspace(["rnd.lua": """
            return { name = 'rnd', version = '1', run = function(p, kb)
              local out = {}
              for i = 1, 3 do out[i] = kb.random(1000) kb.log('draw', i, out[i], kb.now()) end
              for k, v in kb.spairs(kb.get('hmeimim-air-base').properties) do out[#out + 1] = k end
              return out
            end }
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = PluginRunner(workspace: dir, store: store)
        let a = try runner.run("rnd", options: .init(now: PluginFixtures.fixedNow, seed: 42))
        let b = try runner.run("rnd", options: .init(now: PluginFixtures.fixedNow, seed: 42))
        let c = try runner.run("rnd", options: .init(now: PluginFixtures.fixedNow, seed: 43))
        XCTAssertEqual(a.returned, b.returned)
        XCTAssertEqual(a.logs, b.logs)
        XCTAssertNotEqual(a.returned, c.returned)
        XCTAssertTrue(a.logs.first?.hasSuffix("2025-10-30T06:00:00Z") ?? false, a.logs.first ?? "")
    }

    /// `kb.query` compiles with the host's functions and procedures (the CLI gives its
    /// registry: `derived`, `mosaic.search`); without them it has the standard ones.
    func testKBQueryUsesTheHostsFunctions() throws {
        let store = try PluginFixtures.sampleStore()
        let dir = try PluginFixtures.workspace(["q.lua": """
            return { name = 'q', version = '1', run = function(p, kb)
              local ok, e = pcall(kb.query, "CALL host.ids('hmeimim-air-base') YIELD node RETURN node.name AS name, twice(2) AS four")
              if not ok then return e end
              return e[1].name .. ' ' .. tostring(e[1].four)
            end }
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        var functions = FunctionRegistry.standard
        functions.register(QueryFunction("twice", arity: 1...1) { a, _ in
            guard case .int(let i) = a[0] else { return .null }
            return .int(2 * i)
        })
        functions.register(QueryProcedure("host.ids", parameters: [.init("id", .string)], outputs: [.init("node", .node)]) { a, g in
            (g.nodes(withProperty: "id", equalTo: a[0]) ?? []).map { [.node($0)] }
        })
        let runner = PluginRunner(workspace: dir, store: store)
        let plain = try runner.run("q", options: .init(now: PluginFixtures.fixedNow, seed: 0, limits: PluginFixtures.testLimits))
        guard case .string(let error) = plain.returned else { return XCTFail("\(plain.returned)") }
        XCTAssertTrue(error.contains("ProcedureNotFound"), error)
        runner.queryFunctions = functions
        let hosted = try runner.run("q", options: .init(now: PluginFixtures.fixedNow, seed: 0, limits: PluginFixtures.testLimits))
        XCTAssertEqual(hosted.returned, .string("Hmeimim Air Base 4"))
    }
}
