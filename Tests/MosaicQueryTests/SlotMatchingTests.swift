import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Matching with bindings in slots (MatchSlots, SlotExpr) gives what the general path
/// gives: each query runs with slots and with them switched off (`slotsEnabled`), on a
/// graph with cycles, self loops and parallel edges; the test also checks that slots were
/// used where they should be.
final class SlotMatchingTests: XCTestCase {
    static let cases: [(match: String, where: String, returns: String)] = [
        ("(p)-[:R]->(o)<-[:R]-(q)", "id(p) < id(q)", "count(*)"),
        ("(p)-[:R]->(o)<-[:R]-(q)", "id(p) < id(q)", "p.name, q.name ORDER BY p.name, q.name"),
        ("(a:N)-[r]->(b)", "type(r) = 'S' OR b.name IN ['n0', 'n5']", "a.name, type(r), b.name ORDER BY a.name, b.name"),
        ("(a)-[r:R|S]-(b)", "a.name < b.name AND NOT b:M", "count(*)"),
        ("(a)-[r:R|S]-(b)", "a.name < b.name AND NOT b:M", "a.name, count(*) ORDER BY a.name"),
        ("(a {name: 'n3'})-[r]->(b)", "r.w IS NULL", "b.name, r.w ORDER BY b.name"),
        ("(a)-[r]->(b)", "r.w >= $min", "a.name, b.name, r.w ORDER BY r.w"),
        ("(a)-[r]->(b)", "r.w >= toInteger($min) + 1 AND date('2020-01-02') > date($day)", "a.name, b.name ORDER BY a.name, b.name"),
        ("(a)-[r]->(b)", "validFrom(r) IS NULL AND type(r) <> 'R' AND b = a", "a.name, type(r)"),
        ("(a)-[]->(b)-[]->(c)", "a <> c AND c.name STARTS WITH 'n'", "a.name, c.name ORDER BY a.name, c.name"),
        ("(a)-[]->(b)-[]->(c)", "a = c", "a.name, b.name ORDER BY a.name, b.name"),
        ("(a)-[r]->(b)", "toUpper(a.name) + b.name = 'N0n1' OR size(b.name) > 5", "a.name, b.name"),
        ("(a)-[r]->(b)", "CASE WHEN b.name < 'n3' THEN true END AND any(x IN [a.name, b.name] WHERE x ENDS WITH '1')", "a.name, b.name ORDER BY a.name, b.name"),
    ]

    func testSlotsGiveWhatRowsGive() throws {
        let g = try ShortcutEquivalenceTests.graph()
        let weighted = try Query.run("MATCH (a {name: 'n3'})-[r]->(b) SET r.w = id(b) RETURN count(*)", on: g).graph
        for c in Self.cases {
            let text = "MATCH \(c.match) WHERE \(c.where) RETURN \(c.returns)"
            let (fast, used) = try run(text, weighted)
            XCTAssertEqual(fast, try run(text, weighted, slots: false).rows, text)
            XCTAssertGreaterThan(used, 0, "slots not used: \(text)")
        }
        // a variable twice in a part, a variable-length step, a WHERE the slots do not
        // compile (a pattern comprehension), no WHERE in the pattern (a path variable, two parts, a pattern
        // predicate left for the rows): the general path, with the same results
        for text in ["MATCH p = (a)-[:R]->(b) WHERE a.name > 'n0' RETURN length(p), a.name ORDER BY a.name",
                     "MATCH (a:N)-[r]->(b), (b)-[s]->(c) WHERE a <> c RETURN count(*)",
                     "MATCH (a)-[r]->(b) WHERE (b)-[:S]->() RETURN a.name, b.name ORDER BY a.name, b.name",
                     "MATCH (a)-[r]->(b) RETURN a.name, b.name ORDER BY id(a), b.name",
                     "MATCH (a)-[r]->(a) RETURN a.name, type(r) ORDER BY a.name, type(r)",
                     "MATCH (a {name: 'n0'})-[*1..3]->(b) WHERE b.name <> 'n1' RETURN b.name ORDER BY b.name",
                     "MATCH (a)-[r]->(b) WHERE size([(b)-[:NOPE]->(x) | x]) = 0 RETURN a.name, b.name ORDER BY a.name, b.name"] {
            let (fast, used) = try run(text, weighted)
            XCTAssertEqual(fast, try run(text, weighted, slots: false).rows, text)
            XCTAssertEqual(used, 0, "slots used: \(text)")
        }
    }

    /// A RETURN that lists values gets its rows from the MATCH's slots (ValueSink): the same
    /// rows in the same order as the general path, also where an item does not compile (the
    /// rows are made then), with a WHERE left over, or after an UNWIND.
    func testReturnFromSlots() throws {
        let g = try ShortcutEquivalenceTests.graph()
        let cases: [(String, Bool)] = [
            ("MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name", true),
            ("MATCH (a:N)-[r:R]->(b) RETURN b, r, id(a) AS i, labels(b) AS l", true),
            ("MATCH (a:N)-[]-(b {name: 'n3'}) RETURN a.name AS name, a.name + '!' AS loud", true),  // anchored at b's index, a hop
            ("MATCH (a:N)-[]-(b:M) RETURN a.name AS name, a.name + '!' AS loud", true),
            ("MATCH (a {name: 'n3'})-[]-(b) RETURN b.name AS name", true),  // an index lookup and a hop
            ("MATCH (a {name: 'n3'}) RETURN a.name AS name", false),  // a lone node found by the index: one row
            ("MATCH (a)-[:R]->(b)-[:R]->(c) WHERE a <> c RETURN a.name, c.name", true),
            ("MATCH (n) RETURN n.name, $min AS m", true),
            ("MATCH (n) RETURN *", true),
            ("MATCH (a)-[r]->(b) RETURN CASE WHEN a.name < 'n3' THEN 'low' ELSE 'high' END AS k, b.name", true),
            ("MATCH (a)-[r]->(b) RETURN size([(a)-[:NOPE]->(x) | x]) AS k, b.name", false),
            ("MATCH (a)-[r]->(b) WHERE (b)-[:S]->() RETURN a.name, b.name", false),
            ("UNWIND ['n1', 'n3'] AS x MATCH (a {name: x})-[]->(b) RETURN x, b.name", true),  // several rows in
            ("UNWIND ['n1', 'n3', 'n1'] AS x MATCH (a {name: x})-[r]->(b) RETURN DISTINCT x, type(r) ORDER BY x DESC", true),
            ("MATCH (a:N) WITH a MATCH (a)-[r]->(b) RETURN a.name, b.name", true),  // a bound anchor with a hop
            ("MATCH (a:N) WITH a MATCH (a) RETURN a.name", true),  // the WITH's values from the scan; the lone bound node is a row
            ("MATCH (a:N) WITH a.name AS x, a MATCH (a) RETURN x", true),
            ("UNWIND ['n1', 'n3'] AS x MATCH (a {name: x})-[]->(b) RETURN x, CASE WHEN b.name < 'n3' THEN 1 END AS k", true),
            ("UNWIND ['n1', 'n3'] AS x MATCH (a {name: x})-[]->(b) RETURN x, [(b)-[:NOPE]->(y) | y] AS k", false),
            // a subquery per match that runs a MATCH and RETURN of its own (SKIP keeps it from
            // the semi-join), while the outer MATCH has rows still to match: the item does not
            // compile, so the sink evaluates it on each match's row
            ("UNWIND ['n1', 'n3'] AS x MATCH (a {name: x})-[]->(b) RETURN x, b.name, EXISTS { MATCH (b)-[]->(c) RETURN c.name SKIP 1 } AS e", false),
            ("MATCH p = (a)-[:R]->(b) RETURN length(p), a.name", false),
            ("MATCH (a)-[*1..2]->(b) RETURN a.name, b.name", false),
            ("MATCH (a)-[r]->(b) RETURN a.name, b.name LIMIT 3", false),  // the MATCH stops after 3 rows
            ("MATCH (a)-[r]->(b) RETURN DISTINCT b.name", true),
            ("MATCH (a)-[r]->(b) RETURN DISTINCT b.name AS n, type(r) AS t ORDER BY t DESC, n", true),
            ("MATCH (a)-[r]->(b) RETURN a.name, b.name ORDER BY b.name, a.name SKIP 2 LIMIT 5", true),
            ("MATCH (a)-[r]->(b) RETURN a.name AS x, id(b) AS i ORDER BY i DESC, x SKIP 3", true),
            ("MATCH (a)-[r]->(b) RETURN a.name ORDER BY b.name, a.name", false),  // ORDER BY what is not returned
            ("MATCH (a)-[r]->(b) RETURN DISTINCT a.name AS n ORDER BY size(n), n", false),
            // a WITH of values makes its rows of its columns from the values
            ("MATCH (a)-[r]->(b) WITH a.name AS x, b RETURN x, b.name", true),
            ("MATCH (a)-[r]->(b) WITH a, b WHERE a.name < b.name RETURN a.name, b.name", true),
            ("MATCH (a)-[r]->(b) WITH a.name AS x, type(r) AS t WHERE t = 'R' RETURN x, t", true),
            ("MATCH (a)-[r]->(b) WITH DISTINCT b ORDER BY b DESC SKIP 1 MATCH (b)-[s]->(c) RETURN b.name, c.name", true),
            ("MATCH (a)-[r]->(b) WITH * RETURN a.name, type(r), b.name", true),
            ("MATCH (a)-[r]->(b) WITH a, b MATCH (b)-[]->(c) WITH a, c RETURN a.name, c.name", true),
            ("MATCH (a)-[r]->(b) WITH a.name AS x, b WHERE b.name > 'n2' RETURN x", true),  // WHERE reads a column's property
            ("MATCH (a)-[r]->(b) WITH a.name AS x WHERE x > 'n1' RETURN x ORDER BY x", true),
            // OPTIONAL MATCH: a row that matches nothing gives its values with nulls, in its place
            ("MATCH (a:N) OPTIONAL MATCH (a)-[r:R]->(b) RETURN a.name, b.name", true),
            ("MATCH (a:N) OPTIONAL MATCH (a)-[r:R]->(b) WHERE b.name > 'n2' RETURN a.name, type(r), b.name ORDER BY a.name, b.name", true),
            ("MATCH (a) OPTIONAL MATCH (a)<-[:S]-(b) WITH a, b WHERE b IS NULL RETURN a.name", true),
            ("OPTIONAL MATCH (a)-[r:NOPE]->(b) RETURN a, r, b", true),
            ("UNWIND ['n1', 'n9', 'n3'] AS x OPTIONAL MATCH (a {name: x})-[]->(b) RETURN x, b.name", true),
            ("MATCH (a:N) OPTIONAL MATCH (a)-[r]->(b) WHERE (b)-[:S]->() RETURN a.name, b.name", false),  // a pattern predicate left over
            ("MATCH (a)-[r]->(b) WITH a ORDER BY b.name RETURN a.name", false),  // ORDER BY what is not projected
            ("MATCH (a)-[r]->(b) WITH a LIMIT 2 RETURN a.name", false),  // the MATCH stops after 2 rows
            ("MATCH (a)-[r]->(b) WITH a, count(b) AS n RETURN a.name, n", false),  // aggregates: AggregateSink
        ]
        try check(cases, g) { $0.valueSinkRuns > 0 }
    }

    /// An aggregating RETURN gets its keys and aggregates' arguments from the MATCH's slots
    /// (AggregateSink): the same groups, in the same order, with the same values as the
    /// general path; and rows as before where a key or argument does not compile, where the
    /// groups are not just keys and aggregates, or for percentiles (which read a row).
    func testAggregatesFromSlots() throws {
        let g = try ShortcutEquivalenceTests.graph()
        let weighted = try Query.run("MATCH (a {name: 'n3'})-[r]->(b) SET r.w = id(b) RETURN count(*)", on: g).graph
        let cases: [(String, Bool)] = [
            ("MATCH (a)-[r]->(b) RETURN a.name, count(b), collect(b.name)", true),
            ("MATCH (a)-[r]->(b) RETURN type(r) AS t, count(*) AS n, min(b.name), max(id(b)) ORDER BY n DESC, t", true),
            ("MATCH (a)-[r]->(b) RETURN count(DISTINCT b), count(r.w), sum(r.w), avg(r.w), collect(DISTINCT type(r))", true),
            ("MATCH (a:N)-[r]->(b) WHERE b.name <> 'n1' RETURN a, b.name, count(r) AS n ORDER BY n, b.name SKIP 1 LIMIT 4", true),
            ("MATCH (a)-[r]->(b) RETURN a.name, b.name, collect(r.w) AS ws ORDER BY a.name, b.name", true),
            ("MATCH (a {name: 'n3'})-[r]->(b) RETURN sum(r.w) AS s, count(b) AS c", true),
            ("MATCH (a)-[r]->(b) WITH a, b RETURN a.name, count(b)", false),  // a WITH between
            ("MATCH (a)-[r]->(b) WITH a, count(b) AS n, collect(b.name) AS bs WHERE n > 1 RETURN a.name, n, bs ORDER BY a.name", true),
            ("MATCH (a)-[r]->(b) WITH b.name AS k, sum(r.w) AS s ORDER BY s DESC, k LIMIT 3 RETURN k, s", true),
            ("MATCH (a)-[r]->(b) WITH a, count(b) AS n MATCH (a)-[]->(c) RETURN a.name, n, count(c) ORDER BY a.name", true),
            ("MATCH (a)-[r]->(b) RETURN a.name, count(*)", false),  // count(*) alone: counted per hop
            ("MATCH (a)-[r]->(b) RETURN a.name, count(*) + 1 AS n", false),  // not a bare aggregate
            ("MATCH (a)-[r]->(b) RETURN DISTINCT a.name, count(b)", false),
            ("MATCH (a)-[r]->(b) RETURN a.name, percentileDisc(id(b), 0.5)", false),
            ("MATCH (a)-[r]->(b) RETURN CASE WHEN a.name < 'n3' THEN 'low' ELSE 'high' END AS k, count(b)", true),
            ("MATCH (a)-[r]->(b) RETURN size([(a)-[:NOPE]->(x) | x]) AS k, count(b)", false),
            ("MATCH p = (a)-[r]->(b) RETURN a.name, count(b), collect(length(p))", false),
            ("OPTIONAL MATCH (a)-[r:NOPE]->(b) RETURN count(b), collect(b.name)", true),
            // OPTIONAL MATCH: a row that matches nothing goes to the aggregator with nulls
            ("MATCH (a) OPTIONAL MATCH (a)-[r:R]->(b) RETURN a.name, count(b), collect(b.name) ORDER BY a.name", true),
            ("MATCH (a) OPTIONAL MATCH (a)<-[r]-(b) WHERE b.name <> 'n2' RETURN a.name AS k, count(r) AS n, collect(type(r)) ORDER BY n DESC, k", true),
            ("UNWIND ['n1', 'n9', 'n3', 'n1'] AS x OPTIONAL MATCH (a {name: x})-[r]->(b) RETURN x, count(b), sum(r.w) ORDER BY x", true),
            ("MATCH (a)-[r]->(b) WHERE (b)-[:S]->() RETURN a.name, count(b)", false),
            ("UNWIND [1, 2] AS x MATCH (a {name: 'n3'})-[r]->(b) RETURN x, count(b)", true),  // several rows in
            ("UNWIND ['n1', 'n3', 'n9', 'n3'] AS x MATCH (a {name: x})-[r]->(b) RETURN x, count(b), collect(b.name) ORDER BY x", true),
            ("MATCH (a:N) WITH a MATCH (a)-[r]->(b) WHERE b.name > a.name RETURN a.name, count(b), max(b.name) ORDER BY a.name", true),
            ("MATCH (a)-[r]->(b) RETURN count(b), sum(r.w) + 0 AS s", false),
        ]
        try check(cases, weighted) { $0.aggregateSinkRuns > 0 }
        // an argument's error is the general path's
        for text in ["MATCH (a)-[r]->(b) RETURN a.name, sum(b.name)", "MATCH (a)-[r]->(b) RETURN a.name, avg(r.w + $nope)"] {
            var errors: [String?] = []
            for slots in [true, false] {
                do { _ = try run(text, weighted, slots: slots); errors.append(nil) } catch { errors.append((error as? QueryError)?.description) }
            }
            XCTAssertNotNil(errors[0], text)
            XCTAssertEqual(errors[0], errors[1], text)
        }
    }

    /// A pattern of more than 64 steps (the plan's stage masks are exact below 64 only).
    func testLongPattern() throws {
        let g = try Query.run("UNWIND range(0, 69) AS i CREATE (:C {i: i}) WITH count(*) AS made "
            + "MATCH (a:C), (b:C) WHERE b.i = a.i + 1 CREATE (a)-[:NEXT]->(b)", on: PropertyGraph()).graph
        let chain = (1...69).map { "-[:NEXT]->(x\($0))" }.joined()
        let text = "MATCH (x0:C {i: 0})\(chain) WHERE x69.i = 69 AND x68.i > x3.i RETURN count(*), x69.i"
        let (fast, used) = try run(text, g)
        XCTAssertEqual(fast, [[.int(1), .int(69)]])
        XCTAssertEqual(fast, try run(text, g, slots: false).rows)
        XCTAssertGreaterThan(used, 0)
    }

    /// The pattern's variables bound by an earlier clause are compared, not rebound.
    func testVariablesOfEarlierClauses() throws {
        let g = try ShortcutEquivalenceTests.graph()
        for (first, second) in [("MATCH (a:N) WITH a", "MATCH (a)-[r]->(b) WHERE b.name > a.name RETURN a.name, b.name ORDER BY a.name, b.name"),
                                ("UNWIND ['n1', 'n3'] AS x MATCH (a {name: x})", "MATCH (a)-[r]->(b) WHERE b.name <> x RETURN x, b.name ORDER BY x, b.name"),
                                // the slots kept from row to row: each row's own node, or null
                                ("MATCH (a:N) WITH a ORDER BY a.name UNWIND [a, null, a] AS c", "MATCH (c)-[r]->(b) WHERE b.name > c.name RETURN c.name, b.name ORDER BY c.name, b.name")] {
            let fast = try run("\(first) \(second)", g)
            XCTAssertEqual(fast.rows, try run("\(first) \(second)", g, slots: false).rows, second)
            XCTAssertGreaterThan(fast.slotted, 0, second)
        }
    }

    /// A MATCH after an UNWIND sets up its slots and compiles its filters once for all the
    /// rows (per part and set of variables the row binds), also when they do not compile.
    func testFiltersCompiledOncePerPart() throws {
        let g = try ShortcutEquivalenceTests.graph()
        for (text, compiles) in [("UNWIND ['n1', 'n2', 'n3'] AS x MATCH (a {name: x})-[r]->(b) WHERE b.name <> x RETURN count(*)", true),
                                 ("UNWIND ['n1', 'n2', 'n3'] AS x MATCH (a {name: x})-[r]->(b) WHERE CASE WHEN b.name <> x THEN true END RETURN count(*)", true),
                                 ("UNWIND ['n1', 'n2', 'n3'] AS x MATCH (a {name: x})-[r]->(b) WHERE exists(b.nope) OR b.name <> x RETURN count(*)", false)] {
            let ex = Executor(graph: g, params: [:], functions: .standard, plan: try Query.prepare(text).plan, limits: QueryLimits())
            let rows = try ex.run().rows
            XCTAssertEqual(rows, try run(text, g, slots: false).rows, text)
            XCTAssertEqual(ex.keptSlots.count, 1, text)
            XCTAssertEqual(ex.keptSlots.first?.value.slots != nil, compiles, text)
            XCTAssertEqual(ex.slottedParts, compiles ? 3 : 0, text)
            XCTAssertEqual(ex.slotSetUps, 1, text)
        }
    }

    /// PROFILE runs the sinks EXPLAIN shows, and counts each operator's rows as the general
    /// path (rows made per match) counts them.
    func testProfileCountsSinkRowsAsRows() throws {
        let g = try ShortcutEquivalenceTests.graph()
        for text in ["MATCH (a)-[r]->(b) RETURN a.name, b.name",
                     "MATCH (a)-[r]->(b) WHERE b.name > 'n1' RETURN a.name, count(b), collect(b.name)",
                     "MATCH (a:N) OPTIONAL MATCH (a)-[r:R]->(b) RETURN a.name, b.name",
                     "MATCH (a) OPTIONAL MATCH (a)<-[r]-(b) WHERE b.name <> 'n2' RETURN a.name, count(r)",
                     "MATCH (a)-[r]->(b) WITH a, b WHERE a.name < b.name RETURN a.name, b.name",
                     "UNWIND ['n1', 'n9', 'n3'] AS x OPTIONAL MATCH (a {name: x})-[]->(b) RETURN x, b.name"] {
            let p = try Query.prepare("PROFILE " + text)
            func profile(slots: Bool) throws -> [Int] {
                let ex = Executor(graph: g, params: [:], functions: .standard, plan: p.plan, limits: QueryLimits())
                ex.slotsEnabled = slots
                _ = try ex.run()
                XCTAssertEqual(ex.valueSinkRuns + ex.aggregateSinkRuns > 0, slots, text)
                return ex.opRows
            }
            XCTAssertEqual(try profile(slots: true), try profile(slots: false), text)
        }
    }

    /// Every combination of a first clause, a MATCH or OPTIONAL MATCH from its rows and a
    /// projection gives the same rows, and under PROFILE the same counts per operator, with
    /// slots and sinks as without them.
    func testClauseCombinationsAsWithoutSlots() throws {
        let g = try ShortcutEquivalenceTests.graph()
        let firsts = ["MATCH (a:N)", "MATCH (a)", "UNWIND ['n1', 'n2', 'n9', 'n1'] AS x MATCH (a {name: x})", "MATCH (a)-[r0]->(z)"]
        let seconds = ["OPTIONAL MATCH (a)-[r:R]->(b)", "MATCH (a)-[r]->(b)", "OPTIONAL MATCH (a)<-[r]-(b) WHERE b.name > 'n2'",
                       "MATCH (a)-[r:R|S]-(b) WHERE id(b) <> id(a)", "OPTIONAL MATCH (a)-[r]->(b:N)-[:R]->(c) WHERE c.name <> a.name"]
        let lasts = ["RETURN a.name, b.name", "RETURN a.name, count(b), collect(b.name)",
                     "WITH a, b WHERE b IS NULL OR a.name < b.name RETURN count(*)", "RETURN DISTINCT b.name ORDER BY b.name",
                     "RETURN a.name AS k, count(r) AS n ORDER BY n DESC, k LIMIT 3", "WITH a.name AS k, b RETURN k, b.name ORDER BY k, b.name SKIP 1",
                     "RETURN type(r) AS t, count(*) AS n ORDER BY t"]
        var sinks = 0
        for first in firsts { for second in seconds { for last in lasts {
            let text = "\(first) \(second) \(last)"
            let p = try Query.prepare("PROFILE " + text)
            func profile(slots: Bool) throws -> (rows: [[QueryValue]], ops: [Int], sinks: Int) {
                let ex = Executor(graph: g, params: [:], functions: .standard, plan: p.plan, limits: QueryLimits())
                ex.slotsEnabled = slots
                let rows = try ex.run().rows
                return (rows, ex.opRows, ex.valueSinkRuns + ex.aggregateSinkRuns)
            }
            let fast = try profile(slots: true), general = try profile(slots: false)
            XCTAssertEqual(fast.rows, general.rows, text)
            XCTAssertEqual(fast.ops, general.ops, text)
            sinks += fast.sinks
        } } }
        XCTAssertGreaterThan(sinks, firsts.count * seconds.count)
    }

    /// A parameter that is missing, or a function that does not exist, fails as before.
    func testErrorsAsBefore() throws {
        let g = try ShortcutEquivalenceTests.graph()
        XCTAssertThrowsError(try run("MATCH (a)-[r]->(b) WHERE r.w > $nope RETURN count(*)", g, params: [:])) { e in
            XCTAssertEqual((e as? QueryError)?.detail, "MissingParameter")
        }
        XCTAssertThrowsError(try run("MATCH (a)-[r]->(b) WHERE id(a) > toInteger($nope) RETURN count(*)", g, params: [:])) { e in
            XCTAssertEqual((e as? QueryError)?.detail, "MissingParameter")
        }
        XCTAssertThrowsError(try run("MATCH (a)-[r]->(b) WHERE nope(a) RETURN count(*)", g)) { e in
            XCTAssertEqual((e as? QueryError)?.detail, "UnknownFunction")
        }
        XCTAssertThrowsError(try run("MATCH (a)-[r]->(b) WHERE a.name AND true RETURN count(*)", g)) { e in
            XCTAssertEqual((e as? QueryError)?.detail, "InvalidArgumentType")
        }
    }

    /// Runs each case with slots and without them: the rows must be equal, and `tookSlots` of
    /// the executor must say what the case says.
    func check(_ cases: [(String, Bool)], _ g: PropertyGraph, tookSlots: (Executor<PropertyGraph>) -> Bool) throws {
        for (text, fromSlots) in cases {
            let p = try Query.prepare(text)
            let ex = Executor(graph: g, params: ["min": .int(2)], functions: .standard, plan: p.plan, limits: QueryLimits())
            let rows = try ex.run().rows
            XCTAssertEqual(rows, try run(text, g, slots: false).rows, text)
            XCTAssertEqual(tookSlots(ex), fromSlots, text)
        }
    }

    func run(_ text: String, _ g: PropertyGraph, params: [String: QueryValue] = ["min": .int(2), "day": .string("2020-01-01")], slots: Bool = true) throws -> (rows: [[QueryValue]], slotted: Int) {
        let p = try Query.prepare(text)
        let ex = Executor(graph: g, params: params, functions: .standard, plan: p.plan, limits: QueryLimits())
        ex.slotsEnabled = slots
        return (try ex.run().rows, ex.slottedParts)
    }
}
