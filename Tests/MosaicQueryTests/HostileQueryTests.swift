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
            ("5,000 function calls", "RETURN " + r("abs(", 5000) + "1" + r(")", 5000)),
            ("6,000 terms", "RETURN 1" + r("+1", 5999)),
            ("6,000 ORs", "RETURN false" + r(" OR false", 5999)),
            ("6,000 comparisons", "RETURN 1" + r(" < 2", 5999)),
            ("6,000 property reads", "WITH {a: 1} AS m RETURN m" + r(".a", 6000)),
            ("6,000 indexes", "WITH [1] AS l RETURN l" + r("[0]", 6000)),
            ("300 nested EXISTS", "MATCH (n) WHERE " + r("EXISTS { MATCH (n)-->(m) WHERE ", 300) + "true" + r(" }", 300) + " RETURN n"),
            ("nested patterns in maps", "MATCH " + r("(a {x: ", 3000) + "1" + r("})", 3000) + " RETURN 1"),
            ("nested comprehensions", "RETURN " + r("[x IN ", 3000) + "[1]" + r(" | x]", 3000)),
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
