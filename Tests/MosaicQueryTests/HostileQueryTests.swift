import Foundation
import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Hostile query texts (issue 19): deep nesting must give an error, never a stack overflow,
/// on any thread; queries just inside the limits still work.
final class HostileQueryTests: XCTestCase {
    /// Runs `body` on a thread with a 512 KB stack (what secondary threads may have), so a
    /// query that recursed on the caller's stack would crash the test run here.
    func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = expectation(description: "ran")
        let t = Thread { body(); done.fulfill() }
        t.stackSize = 512 << 10
        t.start()
        wait(for: [done], timeout: 600)
    }

    static func run(_ text: String) throws -> [[QueryValue]] {
        try Query.run(text, on: PropertyGraph()).rows
    }

    static func nestingError(_ text: String) -> String? {
        do { _ = try run(text); return "no error" } catch let e as QueryError {
            return e.detail == "NestingTooDeep" && e.kind == .syntaxError && e.position != nil ? nil : "\(e)"
        } catch { return "\(error)" }
    }

    func r(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }

    func testDeepNestingIsAnErrorEvenOnASmallStack() {
        let cases: [(String, String)] = [
            ("5,000 parentheses", "RETURN " + r("(", 5000) + "1" + r(")", 5000)),
            ("100,000 parentheses", "RETURN " + r("(", 100_000) + "1" + r(")", 100_000)),
            ("4,000 lists", "RETURN " + r("[", 4000) + "1" + r("]", 4000)),
            ("5,000 maps", "RETURN " + r("{a: ", 5000) + "1" + r("}", 5000)),
            ("20,000 NOT", "RETURN " + r("NOT ", 20_000) + "true"),
            ("20,000 minus signs", "RETURN " + r("- ", 20_000) + "x"),
            ("20,000 minus signs before a number", "RETURN " + r("- ", 20_000) + "1"),
            ("5,000 function calls", "RETURN " + r("abs(", 5000) + "1" + r(")", 5000)),
            ("6,000 terms", "RETURN 1" + r("+1", 5999)),
            ("6,000 ORs", "RETURN false" + r(" OR false", 5999)),
            ("6,000 comparisons", "RETURN 1" + r(" < 2", 5999)),
            ("6,000 property reads", "WITH {a: 1} AS m RETURN m" + r(".a", 6000)),
            ("6,000 indexes", "WITH [1] AS l RETURN l" + r("[0]", 6000)),
            ("300 nested EXISTS", "MATCH (n) WHERE " + r("EXISTS { MATCH (n)-->(m) WHERE ", 300) + "true" + r(" }", 300) + " RETURN n"),
            ("nested patterns in maps", "MATCH " + r("(a {x: ", 3000) + "1" + r("})", 3000) + " RETURN 1"),
            ("nested comprehensions", "RETURN " + r("[x IN ", 3000) + "[1]" + r(" | x]", 3000)),
            ("a pattern of 5,000 steps", "MATCH (a)" + r("-->()", 5000) + " RETURN a"),
            ("a pattern of 5,000 parts", "MATCH (a)" + r(", ()", 5000) + " RETURN a"),
            ("a pattern predicate of 5,000 steps", "MATCH (a) WHERE (a)" + r("-->()", 5000) + " RETURN a"),
            ("SET of a 6,000-long property path", "MATCH (n) SET n" + r(".a", 6000) + " = 1"),
            ("parenthesised patterns", "MATCH " + r("(", 5000) + "(a)-->(b)" + r(")", 5000) + " RETURN a"),
        ]
        for (name, text) in cases {
            onSmallStack {
                if let problem = HostileQueryTests.nestingError(text) { XCTFail("\(name): \(problem)") }
            }
        }
    }

    func testNestingWithinTheLimitWorksOnASmallStack() {
        let ok: [(String, String, QueryValue)] = [
            ("900 parentheses", "RETURN " + r("(", 900) + "1" + r(")", 900) + " AS v", .int(1)),
            ("900 terms", "RETURN 1" + r("+1", 899) + " AS v", .int(900)),
            ("900 NOT", "RETURN " + r("NOT ", 900) + "true AS v", .bool(true)),
            ("500 lists", "RETURN size(" + r("[", 500) + "1" + r("]", 500) + ") AS v", .int(1)),
            ("500 function calls", "RETURN " + r("abs(", 500) + "-3" + r(")", 500) + " AS v", .int(3)),
            ("60 nested EXISTS", "WITH 1 AS n RETURN " + r("EXISTS { WITH n AS n WHERE ", 60) + "true" + r(" RETURN n }", 60) + " AS v", .bool(true)),
            ("a pattern of 300 steps", "CREATE (a)-[:R]->(b) WITH a MATCH (a)" + r("-->()", 300) + " RETURN count(*) AS v", .int(0)),
            ("400 ANDs over a list", "UNWIND [1, 2] AS x RETURN count(*) AS v, max(true" + r(" AND x > 0", 400) + ") AS w", .int(2)),
        ]
        for (name, text, expected) in ok {
            onSmallStack {
                do {
                    let rows = try HostileQueryTests.run(text)
                    XCTAssertEqual(rows.first?.first, expected, name)
                } catch { XCTFail("\(name): \(error)") }
            }
        }
    }

    /// reduce() can nest a value a level per element; freeing one 100,000 deep overflowed the stack.
    func testReduceCannotNestAValueWithoutBound() throws {
        for text in ["RETURN size(reduce(l = [], i IN range(1, 100000) | [l])) AS n",
                     "RETURN size(reduce(m = {}, i IN range(1, 100000) | {a: m, b: i})) AS n"] {
            onSmallStack {
                do { _ = try HostileQueryTests.run(text); XCTFail("no error: \(text)") } catch {
                    XCTAssertEqual((error as? QueryError)?.detail, "NestingTooDeep", "\(error)")
                }
            }
        }
        XCTAssertEqual(try HostileQueryTests.run("RETURN size(reduce(l = [], i IN range(1, 3000) | l + [i])) AS n"), [[.int(3000)]])
        XCTAssertEqual(try HostileQueryTests.run("RETURN size(reduce(l = [], i IN range(1, 500) | [l])) AS n"), [[.int(1)]])
    }

    /// A variable-length pattern's walk recursed once per relationship of the data: along a
    /// chain of 20,000 relationships it overflowed the stack.
    func testALongPathInTheDataStopsBeforeTheStackRunsOut() throws {
        var g = PropertyGraph()
        var prev = try g.createNode(labels: ["C"], properties: [("i", .int(0))])
        for i in 1...20_000 {
            let n = try g.createNode(labels: ["C"], properties: [])
            _ = try g.createRelationship(type: "NEXT", from: prev, to: n, properties: [])
            prev = n
            _ = i
        }
        let graph = g
        onSmallStack {
            do { _ = try Query.run("MATCH (a:C {i: 0})-[:NEXT*]->(b) RETURN count(b) AS n", on: graph); XCTFail("no error") } catch {
                XCTAssertEqual((error as? QueryError)?.detail, "PathTooLong", "\(error)")
            }
            // bounded, it runs
            do { XCTAssertEqual(try Query.run("MATCH (a:C {i: 0})-[:NEXT*1..50]->(b) RETURN count(b) AS n", on: graph).rows, [[.int(50)]]) } catch {
                XCTFail("\(error)")
            }
        }
    }

    func testTheErrorIsPositioned() throws {
        let text = "RETURN " + r("[", 2000) + r("]", 2000)
        XCTAssertThrowsError(try Query.prepare(text)) { e in
            guard let q = e as? QueryError else { return XCTFail("\(e)") }
            XCTAssertEqual(q.detail, "NestingTooDeep")
            XCTAssertTrue(q.message.contains("deeper than \(QueryNesting.maxDepth) levels"), q.message)
            XCTAssertEqual(q.position?.line, 1)
            XCTAssertGreaterThan(q.position?.column ?? 0, QueryNesting.maxDepth / 2)
        }
    }

    /// `({a: ({a: …})})` was parsed twice at every level (a node pattern tried first), and so
    /// were nested full EXISTS subqueries: 2^depth. Thirty levels would take hours.
    func testNestedMapsInParenthesesAndSubqueriesParseInLinearTime() throws {
        let maps = "RETURN " + r("({a: ", 30) + "1" + r("})", 30) + " AS v"
        XCTAssertEqual(try HostileQueryTests.run(maps).count, 1)
        let subqueries = "WITH 1 AS n RETURN " + r("EXISTS { MATCH (m) WHERE ", 30) + "true" + r(" RETURN m }", 30) + " AS v"
        XCTAssertEqual(try HostileQueryTests.run(subqueries).first?.first, .bool(false))
    }
}

/// The memory budget and the time limit of a query (issues 19 and 14).
final class QueryLimitTests: XCTestCase {
    func limitError(_ text: String, on graph: PropertyGraph = PropertyGraph(), _ limits: QueryLimits) -> QueryError? {
        do { _ = try Query.run(text, on: graph, limits: limits); return nil } catch { return error as? QueryError }
    }

    func assertMemoryLimit(_ text: String, maxMemory: Int = 1 << 20, mentions: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let e = limitError(text, QueryLimits(maxMemory: maxMemory)) else { return XCTFail("no error: \(text)", file: file, line: line) }
        XCTAssertEqual(e.kind, .resourceLimit, "\(e)", file: file, line: line)
        XCTAssertEqual(e.detail, "MemoryLimit", "\(e)", file: file, line: line)
        XCTAssertTrue(e.message.contains("memory limit of \(QueryLimits.describe(bytes: maxMemory))"), e.message, file: file, line: line)
        XCTAssertTrue(e.message.contains(mentions), e.message, file: file, line: line)
        XCTAssertTrue(e.message.contains("nothing was written"), e.message, file: file, line: line)
    }

    func testRunawayValuesStopAtTheMemoryBudget() {
        // the 24 GB query, under the default budget of 1 GiB it stops at a 2 GiB string
        assertMemoryLimit("WITH reduce(s = 'x', i IN range(1, 40) | s + s) AS s RETURN size(s)", mentions: "a string of")
        assertMemoryLimit("RETURN reduce(l = [1], i IN range(1, 40) | l + l) AS l", mentions: "a list of")
        // checked before the list is built: a trillion values were being allocated
        assertMemoryLimit("RETURN size(range(1, 1000000000000)) AS n", maxMemory: QueryLimits.defaultMaxMemory, mentions: "range() of 1000000000000 values")
        assertMemoryLimit("RETURN reduce(s = 'aa', i IN range(1, 8) | replace(s, 'a', s)) AS s", mentions: "replace()")
        assertMemoryLimit("RETURN [x IN range(1, 15000) | x] + [x IN range(1, 15000) | x] AS l", maxMemory: 512 << 10, mentions: "a list of 30000 values")
    }

    func testRowsGroupsAndCollectedValuesCount() throws {
        assertMemoryLimit("UNWIND range(1, 20000) AS x RETURN x", mentions: "rows of UNWIND")
        assertMemoryLimit("UNWIND range(1, 1000) AS x UNWIND range(1, 1000) AS y RETURN x, y", maxMemory: 4 << 20, mentions: "rows of UNWIND")
        let g = try QueryLimitTests.dense(12)
        for (text, mentions) in [("MATCH (a), (b), (c) RETURN collect(a.i) AS c", "collected values"),
                                 ("MATCH (a), (b), (c) RETURN a.i, b.i, c.i", "rows of MATCH"),
                                 ("MATCH (a), (b), (c) RETURN a, b, c.i AS k, count(*) AS n", "groups"),
                                 ("MATCH (a {i: 0}) RETURN size([(a)-[*1..4]->(b) | b]) AS n", "a list of")] {
            guard let e = limitError(text, on: g, QueryLimits(maxMemory: 32 << 10)) else { XCTFail("no error: \(text)"); continue }
            XCTAssertEqual(e.detail, "MemoryLimit")
            XCTAssertTrue(e.message.contains(mentions), e.message)
        }
        // within the budget the same shapes run
        XCTAssertEqual(try Query.run("UNWIND range(1, 1000) AS x RETURN count(*) AS n", on: PropertyGraph(), limits: QueryLimits(maxMemory: 1 << 20)).rows, [[.int(1000)]])
    }

    /// A complete graph of `n` nodes with relationships both ways and a self loop on node 0.
    static func dense(_ n: Int) throws -> PropertyGraph {
        var text = "CREATE " + (0..<n).map { "(n\($0):N {i: \($0)})" }.joined(separator: ", ")
        for a in 0..<n { for b in 0..<n where a != b { text += ", (n\(a))-[:R]->(n\(b))" } }
        text += ", (n0)-[:R]->(n0)"
        return try Query.run(text, on: PropertyGraph()).graph
    }

    /// Every shortest path of the breadth-first search over nodes equals the shortest of the
    /// relationship-unique walks the variable-length pattern enumerates.
    func testShortestPathsEqualTheShortestWalks() throws {
        var g = PropertyGraph()
        g = try Query.run("""
            CREATE (a:N {i: 0}), (b:N {i: 1}), (c:N {i: 2}), (d:N {i: 3}), (e:N {i: 4}), (f:N {i: 5})
            CREATE (a)-[:R]->(b), (b)-[:R]->(c), (a)-[:R]->(c), (c)-[:R]->(d), (d)-[:R]->(a), (b)-[:R]->(b),
                   (d)-[:R]->(e), (d)-[:R]->(e), (e)-[:S]->(a), (f)-[:R]->(f)
            """, on: g).graph
        for dir in ["-", "->"] {
            let walks = try Query.run("MATCH p = (a:N)-[:R*1..8]\(dir)(b:N) RETURN a.i AS a, b.i AS b, length(p) AS l, [r IN relationships(p) | id(r)] AS rs", on: g).rows
            var best: [[Int]: (Int, Set<[QueryValue]>)] = [:]
            for w in walks {
                guard case .int(let a) = w[0], case .int(let b) = w[1], case .int(let l) = w[2], case .list(let rs) = w[3] else { continue }
                let k = [a, b]
                if let cur = best[k], cur.0 < l { continue }
                if let cur = best[k], cur.0 == l { best[k] = (l, cur.1.union([rs])) } else { best[k] = (l, [rs]) }
            }
            let all = try Query.run("MATCH p = allShortestPaths((a:N)-[:R*]\(dir)(b:N)) RETURN a.i AS a, b.i AS b, length(p) AS l, [r IN relationships(p) | id(r)] AS rs", on: g).rows
            var found: [[Int]: (Int, Set<[QueryValue]>)] = [:]
            for w in all {
                guard case .int(let a) = w[0], case .int(let b) = w[1], case .int(let l) = w[2], case .list(let rs) = w[3] else { continue }
                XCTAssertTrue(found[[a, b]] == nil || found[[a, b]]!.0 == l)
                found[[a, b], default: (l, [])].1.insert(rs)
            }
            XCTAssertEqual(found.keys.sorted { $0.lexicographicallyPrecedes($1) }, best.keys.sorted { $0.lexicographicallyPrecedes($1) }, dir)
            for (k, v) in best { XCTAssertEqual(found[k]?.0, v.0, "\(k) \(dir)"); XCTAssertEqual(found[k]?.1, v.1, "\(k) \(dir)") }
            let one = try Query.run("MATCH p = shortestPath((a:N)-[:R*]\(dir)(b:N)) RETURN a.i AS a, b.i AS b, length(p) AS l", on: g).rows
            XCTAssertEqual(one.count, best.count, dir)
            for w in one { if case .int(let a) = w[0], case .int(let b) = w[1] { XCTAssertEqual(w[2], .int(best[[a, b]]!.0)) } }
        }
    }

    /// Over a small dense graph shortestPath searched every walk: gigabytes within seconds
    /// (here: from the pendant node back to itself, where no walk exists, it tried them all).
    func testShortestPathOverADenseGraphIsBounded() throws {
        var g = try QueryLimitTests.dense(12)
        g = try Query.run("MATCH (n {i: 1}) CREATE (:P {i: 99})-[:R]->(n)", on: g).graph
        let limits = QueryLimits(maxMemory: 64 << 20)
        let one = try Query.run("MATCH p = shortestPath((a)-[*]-(b)) RETURN count(p) AS n, max(length(p)) AS l", on: g, limits: limits).rows
        // 13 x 13 pairs but the pendant node to itself; every other node returns to itself in two hops (one, on its loop)
        XCTAssertEqual(one, [[.int(168), .int(2)]])
        let all = try Query.run("MATCH p = allShortestPaths((a)-[*]->(b)) WHERE a <> b RETURN count(p) AS n", on: g, limits: limits).rows
        XCTAssertEqual(all, [[.int(144)]])
    }

    func testTheTimeLimitSaysWhichLimitAndHowLongItRan() throws {
        let g = try QueryLimitTests.dense(6)
        guard let e = limitError("MATCH (a), (b), (c), (d), (e), (f), (h) RETURN count(*)", on: g, QueryLimits(timeout: 0.000_001)) else { return XCTFail("no error") }
        XCTAssertEqual(e.detail, "Timeout")
        XCTAssertTrue(e.message.contains("time limit of 1e-06 s") && e.message.contains("stopped after") && e.message.contains("nothing was written"), e.message)
        // reduce() over a long list is stopped too (it did not count its steps)
        guard let r = limitError("RETURN reduce(a = 0, x IN range(1, 1000000) | a + x) AS s", QueryLimits(timeout: 0.000_001)) else { return XCTFail("no error") }
        XCTAssertEqual(r.detail, "Timeout")
    }

    func testAStoppedWritingQueryWritesNothing() throws {
        let g = try QueryLimitTests.dense(3)
        XCTAssertNotNil(limitError("UNWIND range(1, 100000) AS x CREATE (:M {x: x})", on: g, QueryLimits(timeout: 0.000_001)))
        XCTAssertEqual(try Query.run("MATCH (m:M) RETURN count(m) AS n", on: g).rows, [[.int(0)]])
    }
}
