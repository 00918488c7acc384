import XCTest
@testable import MosaicQuery

/// Literals of MATCH and WHERE lifted into parameters (`LiteralLifter`): what is lifted and
/// what is not, that a lifted run gives what the query as written gives (rows, columns,
/// errors), and that texts differing only in those literals share one plan.
final class LiteralLifterTests: XCTestCase {
    func testWhatIsLifted() {
        let cases: [(String, String?)] = [
            ("MATCH (n {id: 'a'}) RETURN n.name", "MATCH (n {id: $__lit0}) RETURN n.name"),
            ("MATCH (n) WHERE n.age > 30 AND n.name = \"x\" RETURN n", "MATCH (n) WHERE n.age > $__lit0 AND n.name = $__lit1 RETURN n"),
            ("MATCH (n) WHERE n.w = 1.5 RETURN n", "MATCH (n) WHERE n.w = $__lit0 RETURN n"),
            // RETURN, WITH, ORDER BY, SKIP, LIMIT keep theirs (column names, LIMIT's checks)
            ("MATCH (n {id: 'a'}) RETURN 'x', n.k + 1 ORDER BY 2 SKIP 1 LIMIT 3", "MATCH (n {id: $__lit0}) RETURN 'x', n.k + 1 ORDER BY 2 SKIP 1 LIMIT 3"),
            ("MATCH (n) WITH n, 1 AS one WHERE n.k = 2 RETURN one", "MATCH (n) WITH n, 1 AS one WHERE n.k = $__lit0 RETURN one"),
            // variable-length bounds, products and regular expressions stay
            ("MATCH (a {id: 'a'})-[:R*1..3]->(b) WHERE b.x * 2 > 3 RETURN b", "MATCH (a {id: $__lit0})-[:R*1..3]->(b) WHERE b.x * 2 > $__lit1 RETURN b"),
            ("MATCH (a)-[*2]->(b) WHERE a.name =~ 'A.*' RETURN b", nil),
            // keywords used as keys, properties and labels do not switch clauses
            ("MATCH (n:Return {limit: 1}) WHERE n.return = 'x' RETURN n", "MATCH (n:Return {limit: $__lit0}) WHERE n.return = $__lit1 RETURN n"),
            // writing clauses, UNWIND, CALL, EXPLAIN and numbers the parser reads its own way stay
            ("CREATE (n {id: 'a'})", nil),
            ("UNWIND [1, 2] AS x RETURN x", nil),
            ("EXPLAIN MATCH (n {id: 'a'}) RETURN n", nil),
            ("MATCH (n) WHERE n.k = 0x1F OR n.k = 017 OR n.k = 9223372036854775808 RETURN n", nil),
            ("MATCH (n) WHERE n.k = true RETURN n", nil),
            ("MATCH (n {name: 'Ḥmeimim'}) RETURN n", "MATCH (n {name: $__lit0}) RETURN n"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(LiteralLifter.lift(text)?.text, expected, text)
        }
        let l = LiteralLifter.lift("MATCH (n {id: 'a', k: 2}) WHERE n.w < 0.5 RETURN n")
        XCTAssertEqual(l?.values, [.string("a"), .int(2), .float(0.5)])
        XCTAssertEqual(l?.kinds, "sif")
        // the kinds are part of the key: 'a' and 1 in one place are two plans
        XCTAssertNotEqual(LiteralLifter.lift("MATCH (n {k: 'a'}) RETURN n")?.kinds, LiteralLifter.lift("MATCH (n {k: 1}) RETURN n")?.kinds)
        XCTAssertEqual(LiteralLifter.lift("MATCH (n {k: 'a'}) RETURN n")?.kinds, LiteralLifter.lift("MATCH (n {k: 'zz'}) RETURN n")?.kinds)
    }

    /// A text that names a lifted value's parameter itself (`$__lit0`) is not lifted (its
    /// literal would take that name too); the names read back as positions.
    func testTextsNamingLiftedParameters() throws {
        for text in ["MATCH (n {name: 'n1'}) WHERE n.name = $__lit0 RETURN n.name",
                     "MATCH (n {name: 'n1'}) WHERE n.name = $`__lit0` RETURN n.name"] {
            XCTAssertNil(LiteralLifter.lift(text), text)
        }
        XCTAssertNotNil(LiteralLifter.lift("MATCH (n {name: 'n1'}) WHERE n.name = $__lix0 RETURN n.name"))
        XCTAssertNotNil(LiteralLifter.lift("MATCH (n {name: 'n1'}) WHERE n.name = $__lit01 RETURN n.name"))
        let g = try ShortcutEquivalenceTests.graph()
        let text = "MATCH (n {name: 'n1'}) WHERE n.name = $__lit0 RETURN n.name"
        for _ in 0..<2 {
            XCTAssertEqual(try Query.run(text, on: g, parameters: ["__lit0": .string("n1")]).rows, [[.string("n1")]])
            XCTAssertEqual(try Query.run(text, on: g, parameters: ["__lit0": .string("n2")]).rows, [])
        }
        let cases: [(String, Int?)] = [("__lit0", 0), ("__lit12", 12), ("__lit", nil), ("__lit01", nil), ("__litx", nil),
                                       ("_lit1", nil), ("id", nil), ("__lit99999", 99999)]
        for (name, index) in cases { XCTAssertEqual(LiteralLifter.index(name), index, name) }
        // more literals than the byte pass keeps spans for: the lexer's reading lifts them
        let many = "MATCH (n) WHERE n.k IN [" + (0..<20).map(String.init).joined(separator: ", ") + "] RETURN n"
        if case .some = LiteralLifter.fastLift(many) { XCTFail("the byte pass took \(many)") }
        XCTAssertEqual(LiteralLifter.lift(many)?.values, (0..<20).map { QueryValue.int($0) })
        // lifted values by position, given names by name
        let p = QueryParameters(["id": .int(1)], lifted: [.string("a"), .string("b")])
        XCTAssertEqual(p["__lit1"], .string("b"))
        XCTAssertEqual(p["id"], .int(1))
        XCTAssertNil(p["__lit2"])
    }

    /// Query.run (lifted, cached) against the query as written, compiled afresh.
    func testLiftedRunsEqualTheQueryAsWritten() throws {
        let g = try ShortcutEquivalenceTests.graph()
        let queries = [
            "MATCH (n {name: 'n1'}) RETURN n.name",
            "MATCH (n {name: 'n3'})-[:R*1..3]->(m) RETURN DISTINCT m.name ORDER BY m.name",
            "MATCH (a)-[r]->(b) WHERE a.name = 'n3' AND b.name <> 'n9' RETURN type(r), b.name ORDER BY b.name",
            "MATCH (n) WHERE n.name IN ['n0', 'n5', 'x'] RETURN n.name ORDER BY n.name",
            "MATCH (n) WHERE n.name STARTS WITH 'n' AND size(n.name) = 2 RETURN count(*)",
            "MATCH (n:N) WHERE NOT exists { MATCH (n)-[:S]->() WHERE n.name = 'n1' } RETURN count(n)",
            "MATCH (n {name: 'n2'}) OPTIONAL MATCH (n)-[:S]->(m {name: 'n4'}) RETURN n.name, m",
            "MATCH (n) WHERE n.name = 'n0' RETURN n.name + '!' AS shout, 42",
        ]
        for text in queries {
            for _ in 0..<2 {  // the first run compiles the shape, the second reuses it
                let lifted = try Query.run(text, on: g)
                let written = try Query.prepare(text).execute(on: g)
                XCTAssertEqual(lifted.columns, written.columns, text)
                XCTAssertEqual(lifted.rows, written.rows, text)
            }
        }
    }

    func testTextsDifferingOnlyInLiteralsShareOnePlan() throws {
        let g = try ShortcutEquivalenceTests.graph()
        for text in ["MATCH (n {id: 'x'}) RETURN n.name", "MATCH (a {id: 'x'})-[]->(b) RETURN count(*)"] {
            let lifted = try XCTUnwrap(LiteralLifter.lift(text))
            XCTAssertNotNil(try Query.liftedPlan(text, lifted, .standard), "the shape of \(text) compiles with parameters")
        }
        _ = try Query.run("MATCH (n {name: 'n0'})-[]->(m) WHERE m.name <> 'zz' RETURN count(*)", on: g)
        let before = PlanCache.shared.hits
        for name in ["n1", "n2", "n3", "n4", "n5"] {
            let r = try Query.run("MATCH (n {name: '\(name)'})-[]->(m) WHERE m.name <> 'q\(name)' RETURN count(*)", on: g)
            let w = try Query.prepare("MATCH (n {name: '\(name)'})-[]->(m) WHERE m.name <> 'q\(name)' RETURN count(*)").execute(on: g)
            XCTAssertEqual(r.rows, w.rows, name)
        }
        XCTAssertGreaterThanOrEqual(PlanCache.shared.hits - before, 5, "each text should have found the shape's plan")
    }

    /// Errors are those of the text as written: compile errors from the first text of a
    /// shape, runtime errors with positions in the user's text.
    func testErrorsAreThoseOfTheTextAsWritten() throws {
        let g = try ShortcutEquivalenceTests.graph()
        XCTAssertThrowsError(try Query.run("MATCH (n {name: 'n0'}) RETURN m", on: g)) {
            XCTAssertEqual(($0 as? QueryError)?.detail, "UndefinedVariable")
        }
        let text = "MATCH (n {name: 'n0'}) WHERE n.name - 1 > 0 RETURN n"
        var lifted: QueryError?, written: QueryError?
        XCTAssertThrowsError(try Query.run(text, on: g)) { lifted = $0 as? QueryError }
        XCTAssertThrowsError(try Query.prepare(text).execute(on: g)) { written = $0 as? QueryError }
        XCTAssertEqual(lifted?.description, written?.description)
    }
}

extension LiteralLifterTests {
    /// The byte pass and the lexer's tokens lift every TCK query (and its variations with
    /// other literals) the same way, wherever the byte pass does not leave the text to the lexer.
    func testFastPathReadsAsTheLexer() throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: TCKTests.featuresDir.path) else { throw XCTSkip("TCK features not found") }
        var texts: [String] = [
            "MATCH (n {id: 'a'}) WHERE n.x = 1.25 AND n.y < 10 RETURN n",
            "MATCH (a)-[*1..3]->(b) WHERE a.k * 2 = 4 AND b.name =~ 'x' RETURN b LIMIT 5",
            "MATCH (n:Where {limit: 2}) WHERE n.match = 'q' RETURN n.where",
            "MATCH (n) WHERE n.k IN [1, 2, 3] AND n.s <> \"dq\" RETURN n SKIP 1",
            "MATCH (n) WHERE n.k = 1.5e3 RETURN n", "MATCH (n) WHERE n.k = 0x10 RETURN n",
        ]
        let enumerator = fm.enumerator(atPath: TCKTests.featuresDir.path)
        while let rel = enumerator?.nextObject() as? String {
            guard rel.hasSuffix(".feature") else { continue }
            let text = try String(contentsOf: TCKTests.featuresDir.appendingPathComponent(rel), encoding: .utf8)
            for sc in Gherkin.parse(text, file: rel) { for step in sc.steps { if let d = step.docString { texts.append(d) } } }
        }
        var fast = 0, lifted = 0
        for text in texts {
            guard let f = LiteralLifter.fastLift(text) else { continue }
            fast += 1
            let t = LiteralLifter.tokenLift(text)
            XCTAssertEqual(f?.text, t?.text, text)
            XCTAssertEqual(f?.kinds, t?.kinds, text)
            XCTAssertEqual(f?.values, t?.values, text)
            if f != nil { lifted += 1 }
        }
        XCTAssertGreaterThan(fast, texts.count / 2, "the byte pass should take most texts")
        XCTAssertGreaterThan(lifted, 100)
    }
}

extension LiteralLifterTests {
    /// The byte pass's switch on packed capitals says what `keyword(_:)` says, for every
    /// keyword and for words that are none (a word of 2 to 7 letters is what it packs).
    func testPackedKeywordsMatchKeyword() {
        let words = ["EXPLAIN", "PROFILE", "MATCH", "WHERE", "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET",
                     "DELETE", "DETACH", "REMOVE", "CALL", "YIELD", "ORDER", "SKIP", "LIMIT", "UNION", "FOREACH",
                     "ON", "USE", "LOAD", "AS", "BY", "AND", "OR", "NOT", "MATCHES", "WHEREAS", "RETURNS", "OPTIONAL",
                     "DISTINCT", "NODE", "ID", "NAME", "WITHX", "SE", "MATC"]
        for w in words {
            XCTAssertEqual(LiteralLifter.keyword(packed: LiteralLifter.pack(w)), LiteralLifter.keyword(w), w)
        }
    }
}
