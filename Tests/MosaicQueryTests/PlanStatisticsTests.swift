import XCTest
@testable import MosaicQuery

/// Anchors chosen by the graph's counts (`PlanStatistics`, `Planner.planPart`) and plans made
/// again when the counts move (`AdaptivePlan`): which anchor each pattern gets, that the
/// answers are those of the plan made without counts, and when a prepared query re-plans.
final class PlanStatisticsTests: XCTestCase {
    /// `big` :Big nodes, `small` :Small nodes, each Small linked to a Big by :R, and a chain
    /// of :COMMON (`common` of them) and :RARE (`rare`) relationships between :Thing nodes.
    func graph(big: Int, small: Int, common: Int = 400, rare: Int = 20) throws -> PropertyGraph {
        var g = PropertyGraph()
        g = try Query.run("UNWIND range(1, $n) AS i CREATE (:Big {i: i})", on: g, parameters: ["n": .int(big)]).graph
        g = try Query.run("""
            MATCH (b:Big) WITH collect(b) AS bs UNWIND range(1, $n) AS i WITH bs[i % size(bs)] AS b, i
            CREATE (:Small {i: i})-[:R {w: i % 7}]->(b)
            """, on: g, parameters: ["n": .int(small)]).graph
        g = try Query.run("UNWIND range(1, $n) AS i CREATE (:Thing {i: i})-[:COMMON]->(:Thing {i: -i})",
                          on: g, parameters: ["n": .int(common)]).graph
        g = try Query.run("MATCH (t:Thing) WHERE t.i < 0 AND t.i >= -$n CREATE (t)-[:RARE]->(:Thing {i: 0})",
                          on: g, parameters: ["n": .int(rare)]).graph
        return g
    }

    static func compiled(_ text: String, statistics: Bool) throws -> PreparedQuery {
        var parser = try Parser(text)
        let ast = try parser.parseQuery()
        return try Query.compile(ast, text, .standard, height: 0, statistics: statistics)
    }

    /// The first operator of the first pattern part as EXPLAIN prints it for `graph`.
    func anchor<G: QueryGraph>(_ q: PreparedQuery, on graph: G) throws -> String {
        let explain = try Self.compiled("EXPLAIN " + q.text, statistics: q.adaptive != nil)
        let rows = try explain.execute(on: graph).rows
        let op = rows.first { row in
            guard case .string(let name) = row[0] else { return false }
            return name.hasSuffix("Scan") || name == "NodeIndexSeek" || name == "Argument"
        }
        guard let op, case .string(let name) = op[0], case .string(let detail) = op[1] else { return "" }
        return name + " " + detail
    }

    /// Each query, the anchor it gets without counts, and the one it gets on a graph of 1,000
    /// :Big and 100 :Small nodes, 400 :COMMON and 20 :RARE relationships.
    static let anchors: [(String, String, String)] = [
        ("MATCH (a:Big)<-[:R]-(b:Small) RETURN count(*)", "NodeByLabelScan a:Big", "NodeByLabelScan b:Small"),
        ("MATCH (b:Small)-[:R]->(a:Big) RETURN count(*)", "NodeByLabelScan b:Small", "NodeByLabelScan b:Small"),
        ("MATCH (a:Big)<-[r:R]-(b:Small) WHERE r.w = 3 RETURN a.i, b.i", "NodeByLabelScan a:Big", "NodeByLabelScan b:Small"),
        // a node with two labels counts as its rarest
        ("MATCH (a:Big)<-[:R]-(b:Small:Big) RETURN count(*)", "NodeByLabelScan a:Big", "NodeByLabelScan b:Small:Big"),
        ("MATCH (a:Small:Big)<-[:R]-(b:Big) RETURN count(*)", "NodeByLabelScan a:Small:Big", "NodeByLabelScan a:Small:Big"),
        // an unlabelled pattern starts at the rarer relationship type
        ("MATCH (x)-[:COMMON]->(y)-[:RARE]->(z) RETURN count(*)", "RelationshipTypeScan (x)-[:COMMON]->()",
         "RelationshipTypeScan (y)-[:RARE]->()"),
        // a lookup or a bound variable is not a question of counts
        ("MATCH (a:Big {name: 'x'})<-[:R]-(b:Small) RETURN count(*)", "NodeIndexSeek a.name = 'x'", "NodeIndexSeek a.name = 'x'"),
    ]

    func testTheAnchorIsTheRarerEnd() throws {
        let g = try graph(big: 1000, small: 100)
        for (text, without, with) in Self.anchors {
            XCTAssertEqual(try anchor(Self.compiled(text, statistics: false), on: g), without, text)
            XCTAssertEqual(try anchor(Self.compiled(text, statistics: true), on: g), with, text)
        }
    }

    func testSmallGraphsKeepThePlanAsWritten() throws {
        // below `StatisticsReading.floor` every count is the same: the first labelled node stays
        let g = try graph(big: 40, small: 3, common: 30, rare: 2)
        for (text, without, _) in Self.anchors {
            XCTAssertEqual(try anchor(Self.compiled(text, statistics: true), on: g), without, text)
        }
    }

    func testAnswersAreThoseOfThePlanWithoutCounts() throws {
        let g = try graph(big: 1000, small: 100)
        let texts = Self.anchors.map(\.0) + [
            "MATCH (a:Big)<-[r:R]-(b:Small) RETURN a.i AS a, b.i AS b, r.w AS w ORDER BY b",
            "MATCH (a:Big)<-[:R]-(b:Small) WHERE a.i < 50 RETURN a.i, count(b)",
            "MATCH (a:Big)<-[:R]-(b:Small) RETURN a.i, collect(b.i)",
            "MATCH (a:Big) OPTIONAL MATCH (a)<-[:R]-(b:Small) RETURN count(a), count(b)",
            "MATCH (b:Small) MATCH (a:Big)<-[:R]-(c:Small) WHERE c.i = b.i RETURN count(*)",
            "MATCH p = (a:Big)<-[:R]-(b:Small) RETURN length(p), count(*)",
            "MATCH (x)-[:COMMON]->(y)-[:RARE]->(z) RETURN x.i, y.i, z.i",
        ]
        for text in texts {
            let without = try Self.compiled(text, statistics: false).execute(on: g).rows.map { "\($0)" }.sorted()
            let with = try Self.compiled(text, statistics: true).execute(on: g).rows.map { "\($0)" }.sorted()
            XCTAssertEqual(with, without, text)
            XCTAssertFalse(without.isEmpty, text)
        }
    }

    func testAPreparedQueryPlansAgainWhenTheCountsMove() throws {
        let text = "MATCH (a:Big)<-[:R]-(b:Small) RETURN count(*)"
        let q = try Self.compiled(text, statistics: true)
        let adaptive = try XCTUnwrap(q.adaptive)
        let few = try graph(big: 1000, small: 100)
        let many = try graph(big: 1000, small: 5000)
        XCTAssertEqual(try q.execute(on: few).rows, [[.int(100)]])
        XCTAssertEqual(adaptive.plansMade, 1)
        XCTAssertEqual(try q.execute(on: few).rows, [[.int(100)]])
        XCTAssertEqual(adaptive.plansMade, 1, "the counts did not move: the plan is kept")
        XCTAssertEqual(try anchor(q, on: few), "NodeByLabelScan b:Small")

        XCTAssertEqual(try q.execute(on: many).rows, [[.int(5000)]])
        XCTAssertEqual(adaptive.plansMade, 2, ":Small grew 50 times: planned again")
        XCTAssertEqual(try q.execute(on: many).rows, [[.int(5000)]])
        XCTAssertEqual(adaptive.plansMade, 2)
        XCTAssertEqual(try anchor(q, on: many), "NodeByLabelScan a:Big")

        // a count that moves by less than the factor keeps the plan
        let more = try graph(big: 1000, small: 150)
        _ = try q.execute(on: few)
        let made = adaptive.plansMade
        _ = try q.execute(on: more)
        XCTAssertEqual(adaptive.plansMade, made)
    }

    func testOnlyQueriesWithAChoiceCarryAnAdaptivePlan() throws {
        for (text, sensitive) in [
            ("MATCH (a {id: $id})-[]->(b) RETURN count(*)", false),
            ("MATCH (a:Big) RETURN count(*)", false),
            ("MATCH (a:Big)-[:R]-(b) RETURN count(*)", false),
            ("MATCH (a:Big)<-[:R]-(b:Small) RETURN count(*)", true),
            ("MATCH (a:Big) WITH a MATCH (a)<-[:R]-(b:Small) RETURN count(*)", false),
            ("MATCH (x)-[:COMMON]->(y)-[:RARE]->(z) RETURN count(*)", true),
            // counted by degree at the grouping end whatever the counts
            ("MATCH (a:Big)<-[:R]-(b:Small) RETURN a.i, count(*)", false),
        ] {
            XCTAssertEqual(try Self.compiled(text, statistics: true).adaptive != nil, sensitive, text)
        }
    }
}
