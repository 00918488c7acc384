import XCTest
import MosaicGraph
@testable import MosaicQuery

/// Rows of slots between clauses (Row, RowLayout) and the expressions compiled against them
/// (RowProgram): each query runs with the compiled programs and with them switched off
/// (`slotsEnabled`, the evaluator by name); the rows, or the error, must be the same, and the
/// programs must have been used where the case says.
final class RowProgramTests: XCTestCase {
    /// (query, whether some operator evaluates rows through a compiled program)
    static let cases: [(String, Bool)] = [
        ("UNWIND [1, 2, null, 4] AS x WITH x, x * 2 AS y WHERE y > 2 RETURN x, y", true),
        ("UNWIND range(1, 5) AS x WITH x WHERE x % 2 = 1 RETURN x + 1 AS y, toString(x) AS s", true),
        ("MATCH (a)-[r]->(b) WITH a, b, r WHERE a.name < b.name RETURN a.name, type(r), b.name ORDER BY a.name, type(r), b.name", true),
        ("MATCH (a:N) OPTIONAL MATCH (a)-[:S]->(b) WITH a, b WHERE b IS NULL OR a.name < b.name RETURN a.name, b.name ORDER BY a.name, b.name", true),
        // a name the WITH shadows: its WHERE reads the new value
        ("MATCH (a:N) WITH a.name AS a WHERE a STARTS WITH 'n' RETURN a ORDER BY a", true),
        ("MATCH (a)-[r]->(b) WITH a, r WHERE r.w >= $min RETURN a.name, r.w ORDER BY r.w, a.name", true),
        ("MATCH (a)-[r]->(b) WITH a, b, id(a) % 2 AS parity WHERE parity = 0 RETURN a.name, b.name, parity ORDER BY a.name, b.name", true),
        ("MATCH (a)-[r]->(b) WITH a, b WHERE a <> b AND NOT b:M RETURN coalesce(b.w, -1) AS w, toUpper(a.name) AS up ORDER BY up, w", true),
        ("MATCH (a)-[r]->(b) WHERE type(r) + b.name = 'Rn1' OR size(a.name) > 2 RETURN a.name, b.name ORDER BY a.name, b.name", false),
        ("UNWIND [[1, 2], [3]] AS l UNWIND l AS x WITH l, x WHERE size(l) > x RETURN l, x", true),
        ("WITH {k: 1, m: {n: 2}} AS map WITH map.k AS k, map.m.n AS n RETURN k + n AS s", true),
        ("UNWIND ['a', 'b'] AS s WITH s WHERE s IN ['b', 'c'] RETURN s, [s, s] AS both", true),
        // aggregation and DISTINCT over rows: keys and arguments through the programs
        ("UNWIND [1, 2, 2, 3, null] AS x RETURN x, count(*) AS n ORDER BY x", true),
        ("UNWIND range(1, 9) AS x WITH x, x % 3 AS k RETURN k, sum(x) AS s, collect(x) AS l, max(x * 2) AS m ORDER BY k", true),
        ("UNWIND [1, 1, 2, null, null] AS x WITH DISTINCT x RETURN x ORDER BY x", true),
        ("MATCH (a:N) OPTIONAL MATCH (a)-[r:S]->(b) RETURN a.name, count(b) AS n, collect(type(r)) AS t ORDER BY a.name", true),
        // (the MATCH makes this WITH's values from its own slots: no rows, no program)
        ("MATCH (a)-[r]->(b) WITH DISTINCT a, b RETURN count(*) AS n", false),
        // CASE, comprehensions, quantifiers, reduce, subscripts and maps compile too; their
        // own variables are locals, which hide a row's variable of the same name
        ("UNWIND [1, 2, 3] AS x WITH x WHERE CASE WHEN x > 1 THEN true ELSE false END RETURN [y IN range(1, x) | y * x] AS l", true),
        ("UNWIND [1, 2, 3, null] AS x RETURN x, CASE x WHEN 2 THEN 'two' WHEN null THEN 'never' END AS t, CASE WHEN x IS NULL THEN -1 END AS u", true),
        ("UNWIND [1, 2] AS x RETURN x, [x IN [10, 20] WHERE x > 10 | x + 1] AS l, [x IN [x, null]] AS m", true),
        ("UNWIND [[1, 2], [3, null], [], null] AS l RETURN l, all(v IN l WHERE v > 0) AS a, any(v IN l WHERE v > 2) AS b, none(v IN l WHERE v = 1) AS c, single(v IN l WHERE v < 3) AS d", true),
        ("UNWIND range(0, 3) AS n RETURN n, reduce(s = 0, x IN range(1, n) | s + x) AS total, reduce(s = '', s IN ['a', 'b'] | s) AS shadowed", true),
        ("UNWIND [1, 2] AS x RETURN [y IN [x, x * 10] | [z IN range(1, y) WHERE z % 2 = 0 | reduce(s = z, w IN [y, x] | s + w)]] AS nested", true),
        ("UNWIND [[1, 2, 3], [4]] AS l RETURN l[0] AS first, l[-1] AS last, l[1..] AS rest, l[..-1] AS init, -l[0] AS neg, {k: l[0], n: size(l)} AS m", true),
        ("UNWIND [{a: 1, b: 2}, null] AS m WITH m, 3 AS c RETURN m {.a, .*, c, d: c + 1} AS p", true),
        ("MATCH (a:N) WITH a, 1 AS one RETURN a {.name, one, up: toUpper(a.name)} AS p ORDER BY p.name", true),
        ("MATCH (a:N) WITH a WHERE any(part IN [a.name, toUpper(a.name)] WHERE part ENDS WITH '2') RETURN a.name ORDER BY a.name", true),
        ("MATCH (a)-[r]->(b) WHERE any(x IN [a.name, b.name] WHERE x = 'n1') RETURN a.name, b.name ORDER BY a.name, b.name", false),
        // a pattern (not compiled) beside an item that is: each item on its own
        ("MATCH (a:N) WITH a WHERE (a)-[:R]->() RETURN a.name ORDER BY a.name", true),
        ("MATCH (a:N) WITH collect(a) AS ns UNWIND ns AS a RETURN a.name AS n, [(a)-[:R]->(b) | b.name] AS out ORDER BY n", true),
        ("UNWIND [1, 2] AS x RETURN x, EXISTS { MATCH (a:N) WHERE a.name = 'n' + toString(x) } AS e", true),
    ]

    func testProgramsGiveWhatTheEvaluatorGives() throws {
        let g = try ShortcutEquivalenceTests.graph()
        let weighted = try Query.run("MATCH (a {name: 'n3'})-[r]->(b) SET r.w = id(b) RETURN count(*)", on: g).graph
        for (text, compiled) in Self.cases {
            let (rows, programRows) = try run(text, weighted)
            let (general, none) = try run(text, weighted, programs: false)
            XCTAssertEqual(rows, general, text)
            XCTAssertEqual(none, 0, text)
            XCTAssertEqual(programRows > 0, compiled, "\(text): \(programRows) rows through programs")
        }
    }

    /// An error is the same error either way (its kind and place).
    func testErrorsAreTheSame() throws {
        let g = try ShortcutEquivalenceTests.graph()
        for text in ["UNWIND [1, 'x'] AS v WITH v WHERE v - 1 > 0 RETURN v",
                     "UNWIND [true, 2] AS v RETURN NOT v AS n",
                     "MATCH (a:N) WITH a WHERE a.name AND true RETURN count(*)",
                     "UNWIND [1] AS v RETURN v + $missing AS w",
                     "UNWIND [1] AS v RETURN [x IN v | x] AS l",
                     "UNWIND [[1, 'a']] AS v RETURN any(x IN v WHERE x) AS a",
                     "UNWIND [[1]] AS v RETURN reduce(s = 0, x IN v | s + 'a' + true) AS r",
                     "UNWIND [-9223372036854775807 - 1] AS v RETURN -v AS n",
                     "UNWIND [[1, 2]] AS v RETURN v[0..'a'] AS s",
                     "UNWIND ['x'] AS v RETURN CASE WHEN v THEN 1 END + 'a' * 2 AS c",
                     "UNWIND [1] AS v RETURN v {.*} AS p"] {
            var errors: [String] = []
            for programs in [true, false] {
                XCTAssertThrowsError(try run(text, g, programs: programs), text) { e in
                    let q = e as? QueryError
                    errors.append("\(q?.detail ?? "?") \(q?.position.map { "\($0.offset)" } ?? "-")")
                }
            }
            XCTAssertEqual(errors.count, 2, text)
            XCTAssertEqual(errors.first, errors.last, text)
        }
    }

    /// The rows an operator makes share its layout: an UNWIND's and a WITH's rows are
    /// each in one layout, whose names are the scope's.
    func testRowsOfAnOperatorShareALayout() throws {
        var rows: [Row] = []
        var step = LayoutStep(adding: ["x"])
        var input = Row(); input["a"] = .int(1)
        for v in 0..<3 {
            let (layout, slot) = step.stepOne(input)
            rows.append(input.binding(.int(v), at: slot, in: layout))
        }
        XCTAssertTrue(rows.allSatisfy { $0.layout === rows[0].layout })
        XCTAssertEqual(rows[2].keys, ["a", "x"])
        XCTAssertEqual(rows[2]["x"], .int(2))
        // unbinding leaves the slot, not the name
        var r = rows[0]; r["x"] = nil
        XCTAssertTrue(r.layout === rows[0].layout)
        XCTAssertEqual(r.keys, ["a"])
        XCTAssertTrue(r.hasNames(["a"]))
        XCTAssertFalse(r.hasNames(["a", "x"]))
        r["x"] = .null
        XCTAssertEqual(r.keys, ["a", "x"])
        XCTAssertEqual(Array(r.map(\.key)), ["a", "x"])
        // a scope of more than 64 names (a slot past the 64th is dropped when unbound)
        var wide = Row()
        for i in 0..<70 { wide["v\(i)"] = .int(i) }
        wide["v3"] = nil; wide["v66"] = nil
        XCTAssertEqual(wide.count, 68)
        XCTAssertNil(wide["v66"]); XCTAssertNil(wide["v3"])
        XCTAssertEqual(wide["v69"], .int(69))
        wide["v66"] = .string("back")
        XCTAssertEqual(wide.count, 69)
        XCTAssertEqual(wide.keys.last, "v66")  // bound again: last
        XCTAssertEqual(wide["v66"], .string("back"))
    }

    /// A MATCH widens each input row to its pattern's variables before matching, so its rows
    /// share one layout whichever node it anchors at, the rows an OPTIONAL MATCH makes
    /// without a match included: the RETURN after it evaluates every row through its program.
    func testAMatchsRowsShareOneLayout() throws {
        let g = try ShortcutEquivalenceTests.graph()
        // (the UNWIND keeps the RETURN from taking the MATCH's values from its slots: the
        // MATCH makes rows, and the UNWIND one row per row, in the layout of its input's)
        for text in ["MATCH (a:N) OPTIONAL MATCH (a)-[r:S]->(b) UNWIND [1] AS one RETURN a.name AS n, b.name AS m, r IS NULL AS none",
                     "MATCH (a)-[r]->(b {name: 'n3'}) UNWIND [1] AS one RETURN a.name AS n, type(r) AS t",
                     "UNWIND ['n1', 'n3'] AS name MATCH (b {name: name})<-[r]-(a) UNWIND [1] AS one RETURN name, a.name AS n",
                     "MATCH (a:N) WITH a OPTIONAL MATCH (a)<-[r]-(b:M) UNWIND [1] AS one RETURN a.name AS n, b.name AS m"] {
            let (rows, programRows) = try run(text, g)
            XCTAssertGreaterThan(rows.count, 1, text)
            XCTAssertEqual(programRows, rows.count, text)
            XCTAssertEqual(rows, try run(text, g, programs: false).rows, text)
        }
    }

    func run(_ text: String, _ g: PropertyGraph, programs: Bool = true) throws -> (rows: [[QueryValue]], programRows: Int) {
        let p = try Query.prepare(text)
        let ex = Executor(graph: g, params: ["min": .int(2)], functions: .standard, plan: p.plan, limits: QueryLimits())
        // (slots off switches the programs off as well as the matcher's slots)
        ex.slotsEnabled = programs
        return (try ex.run().rows, ex.programRows)
    }
}
