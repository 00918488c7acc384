import Foundation
import XCTest
import MosaicGraph
import MosaicLua
import MosaicQuery
@testable import MosaicPlugins

/// One memory budget per run (Lua's memory plus what the host holds for the run), the write
/// budget, validation of written values, and stopping a run from outside.
final class PluginBudgetTests: XCTestCase {
    /// Runs `body` as a plugin's run function over the sample KB; returns the result or the error.
    func run(_ body: String, limits: LuaLimits = LuaLimits(timeout: .seconds(5), memory: 16 << 20),
             maxWrites: Int = PluginRunOptions.defaultMaxWrites,
             configure: (PluginRunner) -> Void = { _ in }) throws -> Result<PluginRunResult, PluginError> {
        let store = try PluginFixtures.sampleStore()
        let dir = try PluginFixtures.workspace(["p.lua": "return { name = 'p', version = '1', run = function(params, kb)\n\(body)\nend }"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let runner = PluginRunner(workspace: dir, store: store)
        configure(runner)
        let before = store.graph.transaction
        do {
            let r = try runner.run("p", options: .init(now: PluginFixtures.fixedNow, limits: limits, maxWrites: maxWrites))
            return .success(r)
        } catch {
            XCTAssertEqual(store.graph.transaction, before, "a failed run committed")
            return .failure(error)
        }
    }

    func expectFailure(_ r: Result<PluginRunResult, PluginError>, kind: LuaError.Kind? = nil, _ fragment: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        switch r {
        case .success(let v):
            XCTFail("expected a failure with '\(fragment)', the run returned \(String(describing: v.returned))", file: file, line: line)
        case .failure(let e):
            if let kind { XCTAssertEqual(e.luaKind, kind, e.detailed, file: file, line: line) }
            XCTAssertTrue(e.detailed.contains(fragment), "'\(fragment)' not in: \(e.detailed)", file: file, line: line)
        }
    }

    // MARK: - Memory

    /// 100 log lines of 1 MB under a 16 MB budget: the host's copy of the log counts, and a
    /// pcall does not save the run.
    func testLogLinesCountAgainstTheMemoryBudget() throws {
        let r = try run("""
            local line = ('x'):rep(1 << 20)
            for i = 1, 100 do pcall(kb.log, line) end
            return 'survived'
            """)
        expectFailure(r, kind: .memory, "plugin memory budget of 16 MB exceeded by kb.log")
    }

    /// A log within the budget is kept whole.
    func testLogWithinTheBudget() throws {
        guard case .success(let r) = try run("for i = 1, 50 do kb.log('line', i) end return 'ok'") else { return XCTFail("run failed") }
        XCTAssertEqual(r.logs.count, 50)
        XCTAssertEqual(r.returned, .string("ok"))
    }

    /// A large kb.query result is charged to the run before it becomes Lua tables.
    func testQueryResultsCountAgainstTheMemoryBudget() throws {
        let r = try run("""
            local ok, rows = pcall(kb.query, "UNWIND range(1, 400000) AS i RETURN i, 'padding padding padding ' + toString(i) AS s")
            return 'survived'
            """, limits: LuaLimits(timeout: .seconds(20), memory: 8 << 20))
        expectFailure(r, kind: .memory, "exceeded by kb.query")
    }

    /// A kb.query's own working memory (a collect whose result is small) is bounded by what
    /// the plugin's budget leaves, not by the console's 1 GiB default (issue 14).
    func testQueryWorkingMemoryStaysInsideThePluginsBudget() throws {
        let r = try run("""
            local ok, err = pcall(kb.query, "UNWIND range(1, 3000000) AS i WITH collect(i) AS l RETURN size(l) AS n")
            return ok and 'finished' or 'caught'
            """, limits: LuaLimits(timeout: .seconds(30), memory: 8 << 20))
        expectFailure(r, kind: .memory, "plugin memory budget of 8 MB exceeded by kb.query (it needed more than the")
        expectFailure(r, kind: .memory, "limits.memory_mb")
        // within a larger budget the same query runs
        let big = try run("return kb.query(\"UNWIND range(1, 3000) AS i WITH collect(i) AS l RETURN size(l) AS n\")[1].n",
                          limits: LuaLimits(timeout: .seconds(30), memory: 8 << 20))
        guard case .success(let b) = big else { return XCTFail("the small query failed: \(big)") }
        XCTAssertEqual(b.returned, .integer(3000))
    }

    /// Buffered writes are held by the host until commit: they count too.
    func testBufferedWritesCountAgainstTheMemoryBudget() throws {
        let r = try run("""
            local v = ('v'):rep(400)
            for i = 1, 60000 do kb.assert{entity = 'hmeimim-air-base', property = 'p', value = v .. i} end
            return 'survived'
            """, limits: LuaLimits(timeout: .seconds(20), memory: 8 << 20))
        expectFailure(r, kind: .memory, "exceeded by kb.assert")
    }

    /// A query that a stopped run started stops too (the hook cannot reach Swift code).
    func testQueryOfAStoppedRunIsCancelled() throws {
        let state = try LuaState(limits: LuaLimits(timeout: nil))
        state.interrupt()
        let hook = KBContext.defaultQuery(functions: .standard, isStopped: state.stopCheck)
        XCTAssertThrowsError(try hook("UNWIND range(1, 1000000) AS i UNWIND range(1, 1000) AS j WITH i, j WHERE i < 0 RETURN count(*)", [:], Graph())) {
            XCTAssertTrue("\($0)".contains("cancelled"), "\($0)")
        }
    }

    /// A kb.query runs inside its plugin's time limit (issue 14): a run limited to 1 s whose
    /// query would count to 100,000,000 fails with the time limit, the query stopped with it.
    func testQueryStopsAtTheRunsTimeLimit() throws {
        let r = try run("""
            local rows = kb.query("UNWIND range(1, 1000) AS x RETURN sum(reduce(s = 0, i IN range(1, 1000000) | s + i)) AS n")
            return rows[1].n
            """, limits: LuaLimits(timeout: .seconds(1), memory: 64 << 20))
        expectFailure(r, kind: .timeout, "time limit")
        // under pcall too: the query is stopped, and the run still fails with its limit
        let caught = try run("""
            local ok, err = pcall(kb.query, "UNWIND range(1, 1000) AS x RETURN sum(reduce(s = 0, i IN range(1, 1000000) | s + i)) AS n")
            return ok and 'finished' or 'caught'
            """, limits: LuaLimits(timeout: .seconds(1), memory: 64 << 20))
        expectFailure(caught, kind: .timeout, "time limit")
    }

    /// Ctrl-C (the runner's cancellation check) stops a running kb.query too.
    func testQueryStopsWhenTheRunIsCancelled() throws {
        let r = try run("""
            return kb.query("UNWIND range(1, 1000) AS x RETURN sum(reduce(s = 0, i IN range(1, 1000000) | s + i)) AS n")[1].n
            """, limits: LuaLimits(timeout: nil, memory: 64 << 20), configure: { $0.isCancelled = { true } })
        expectFailure(r, kind: .interrupted, "interrupted")
    }

    // MARK: - Writes

    /// More statements than the budget: the run is refused before commit, even when Lua
    /// catches the error and returns normally.
    func testWriteBudgetRefusesTheRun() throws {
        let r = try run("""
            for i = 1, 150 do pcall(kb.assert, {entity = 'hmeimim-air-base', property = 'p' .. i, value = i}) end
            return 'done'
            """, maxWrites: 100)
        expectFailure(r, "write budget of 100 statements per run exceeded by kb.assert")
    }

    func testWritesWithinTheBudgetCommit() throws {
        guard case .success(let r) = try run("""
            for i = 1, 100 do kb.assert{entity = 'hmeimim-air-base', property = 'p' .. i, value = i} end
            """, maxWrites: 100) else { return XCTFail("run failed") }
        XCTAssertEqual(r.effects.asserted.count, 100)
        XCTAssertNotNil(r.transaction)
    }

    func testWriteBudgetFromTheRunnersSettings() throws {
        let r = try run("for i = 1, 20 do kb.assert{entity = 'hmeimim-air-base', property = 'p' .. i, value = i} end",
                        configure: { $0.writeBudgetByPlugin["p"] = 10 })
        expectFailure(r, "write budget of 10 statements")
    }

    /// Values that must never be committed, each refused with a Lua-style argument error.
    func testValidationOfWrittenValues() throws {
        let cases: [(String, String)] = [
            ("kb.assert{from = 'hmeimim-air-base', type = '', to = 'syria'}", "relation type must not be empty"),
            ("kb.assert{from = 'hmeimim-air-base', type = 'FLEW TO', to = 'syria'}", "must not contain whitespace"),
            ("kb.assert{entity = 'hmeimim-air-base', property = 'p', value = 0/0}", "not finite"),
            ("kb.assert{entity = 'hmeimim-air-base', property = 'p', value = math.huge}", "not finite"),
            ("kb.assert{entity = 'hmeimim-air-base', property = 'p', value = {1, 2, -math.huge}}", "not finite"),
            ("kb.assert{entity = 'hmeimim-air-base', property = 'p', value = 'a\\0b'}", "NUL byte"),
            ("kb.assert{entity = 'hmeimim-air-base', property = '', value = 1}", "property name must not be empty"),
            ("kb.assert{entity = 'hmeimim-air-base', property = 'a\\nb', value = 1}", "control characters"),
            ("kb.assert{entity = '../x', type = 'Base'}", "must not contain '/'"),
            ("kb.assert{entity = '.hidden', type = 'Base'}", "must not begin with '.'"),
            ("kb.assert{entity = 'a\\0b', type = 'Base'}", "control characters (found U+0000)"),
            ("kb.assert{entity = 'a\\27b', type = 'Base'}", "control characters"),
            ("kb.assert{entity = ('x'):rep(100000), type = 'Base'}", "the limit is 256"),
            ("kb.assert{entity = ' ', type = 'Base'}", "entity id must not be only whitespace"),
            ("kb.assert{entity = ' x', type = 'Base'}", "must not begin or end with whitespace"),
            ("kb.assert{entity = 'x', type = ''}", "entity type must not be empty"),
            ("kb.assert{entity = 'x', type = 'Base', properties = {[''] = 1}}", "property name must not be empty"),
            ("kb.assert{entity = 'hmeimim-air-base', property = 'p', value = 1, sources = {'../etc'}}", "source: entity id"),
        ]
        for (code, fragment) in cases {
            let r = try run("local ok, err = pcall(function() \(code) end) assert(not ok, 'accepted') error(err, 0)")
            switch r {
            case .success: XCTFail("\(code): accepted")
            case .failure(let e):
                XCTAssertTrue(e.message.contains("bad argument #1 to 'kb.assert'"), "\(code): \(e.message)")
                XCTAssertTrue(e.message.contains(fragment), "\(code): '\(fragment)' not in \(e.message)")
            }
        }
        // ordinary values still pass
        guard case .success(let ok) = try run("""
            kb.assert{entity = 'new-base', type = 'Base', name = 'Новая база — "x"', properties = {note = 'two\\nlines', n = 1.5}}
            kb.assert{from = 'new-base', type = 'LOCATED_IN', to = 'syria'}
            """) else { return XCTFail("valid writes refused") }
        XCTAssertEqual(ok.effects.asserted.count, 5)   // entity, name, n, note, relation
    }

    func testWriteValidationRules() {
        XCTAssertNil(WriteValidation.checkIdentifier("hmeimim-air-base", as: .entityID))
        XCTAssertNil(WriteValidation.checkIdentifier("Base", as: .entityType))
        XCTAssertNil(WriteValidation.checkIdentifier("valid from", as: .propertyName))
        XCTAssertNotNil(WriteValidation.checkIdentifier("a\u{85}b", as: .entityID))
        XCTAssertNotNil(WriteValidation.checkValue(.float(.nan)))
        XCTAssertNotNil(WriteValidation.checkValue(.map(["k": .list([.float(.infinity)])])))
        XCTAssertNil(WriteValidation.checkValue(.map(["k": .list([.float(1), .string("tab\there")])])))
    }

    // MARK: - Stopping

    /// The runner's cancellation check (the CLI's Ctrl-C flag) interrupts a run that has no
    /// time limit.
    func testCancellationInterruptsARun() throws {
        let r = try run("while true do end", limits: LuaLimits(timeout: nil), configure: { $0.isCancelled = { true } })
        expectFailure(r, kind: .interrupted, "interrupted")
    }
}
