import XCTest
@testable import MosaicGraph

/// The rules of the claims model (docs/facts.md), one test per rule, on small graphs.
final class FactTests: XCTestCase {
    /// A graph with a country, a base, an aircraft and three dated articles.
    func graph() -> Graph {
        var g = Graph()
        g.addNode(key: "russia", labels: ["Country"])
        g.addNode(key: "hmeimim", labels: ["Base"])
        g.addNode(key: "tartus", labels: ["Base"])
        g.addNode(key: "plane", labels: ["Aircraft"])
        for (key, date) in [("a1", "2025-10-30"), ("a2", "2025-11-03"), ("a3", "2025-11-05")] {
            g.addNode(key: key, labels: ["Article"], properties: ["date": .date(PartialDate(date)!), "title": .string("Article \(key)")])
        }
        return g
    }

    @discardableResult
    func claim(_ g: inout Graph, _ from: String, _ type: String, _ to: String, source: String?, via: [String] = [],
               grade: String? = nil, since: String? = nil, until: String? = nil, denied: Bool = false,
               derived: Bool = false) -> Int32 {
        let meta = StatementMeta(validFrom: since.flatMap(PartialDate.init), validTo: until.flatMap(PartialDate.init),
                                 sources: source.map { [Citation(source: $0, note: Citation.note(via: via, text: nil))] } ?? [],
                                 grading: grade.flatMap(Grading.init),
                                 origin: derived ? .plugin(name: "p", version: "1", rule: "r") : .file(path: "kb/x.yaml", line: 1))
        return g.addRelationship(from: g.lookup(key: from)!, to: g.lookup(key: to)!, type: type,
                                 properties: denied ? ["denied": .bool(true)] : [:], meta: meta)
    }

    func facts(_ g: Graph, _ type: String) -> [Int32] { g.relationshipIndices.filter { g.typeName(of: $0) == type } }

    func testTwoSourcesSayingOneThingAreOneFactWithTwoClaims() {
        var g = graph()
        let a = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1", grade: "B2")
        let b = claim(&g, "russia", "OPERATES", "hmeimim", source: "a2", grade: "C3")
        XCTAssertEqual(facts(g, "OPERATES"), [a])
        XCTAssertEqual(g.claims(ofFact: a), [a, b])
        XCTAssertEqual(g.fact(ofClaim: b), a)
        XCTAssertEqual(g.corroboration(ofFact: a), 2)
        XCTAssertEqual(g.grading(ofFact: a)?.description, "B1", "best reliability; two independent origins confirm")
        XCTAssertEqual(g.outDegree(g.lookup(key: "russia")!), 1)
        XCTAssertEqual(g.liveRelationshipCount, 1)
        XCTAssertEqual(g.sourceRecords(ofFact: a).map(\.id), ["a1", "a2"])
        XCTAssertEqual(g.sourceRecords(ofFact: a).map { $0.grade?.description }, ["B2", "C3"])
    }

    func testARelayOfTheSameOriginCountsOnce() {
        var g = graph()
        let a = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a1", via: ["bloomberg", "flightradar24"], grade: "B2", since: "2025-10-26", until: "2025-10-26")
        claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a2", via: ["flightradar24"], grade: "C3", since: "2025-10-26", until: "2025-10-26")
        XCTAssertEqual(facts(g, "FLEW_TO"), [a])
        XCTAssertEqual(g.corroboration(ofFact: a), 1)
        XCTAssertEqual(g.grading(ofFact: a)?.description, "B2", "one origin: no confirmation")
        XCTAssertEqual(g.sourceRecords(ofFact: a).map(\.via), [["bloomberg", "flightradar24"], ["flightradar24"]])
    }

    func testOneSourceSayingItTwiceIsTwoOccurrences() {
        var g = graph()
        let a = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a1", since: "2025-10-24", until: "2025-10-29")
        let b = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a1", since: "2025-10-24", until: "2025-10-29")
        XCTAssertEqual(facts(g, "FLEW_TO"), [a, b])
        // A second source repeating it joins the first occurrence only.
        let c = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a2", since: "2025-10-24", until: "2025-10-29")
        XCTAssertEqual(g.claims(ofFact: a), [a, c])
        XCTAssertEqual(g.claims(ofFact: b), [b])
        // Claims without a source (a query's CREATE, an import) are occurrences too.
        let d = claim(&g, "russia", "OPERATES", "tartus", source: nil)
        let e = claim(&g, "russia", "OPERATES", "tartus", source: nil)
        XCTAssertEqual(facts(g, "OPERATES"), [d, e])
    }

    func testARefinedDateIsTheSameFactAndAPreciseOtherDateIsNot() {
        var g = graph()
        let month = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a1", since: "2025-10", until: "2025-10")
        claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a2", since: "2025-10-26", until: "2025-10-26")
        let other = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a3", since: "2025-10-27", until: "2025-10-27")
        XCTAssertEqual(facts(g, "FLEW_TO"), [month, other])
        XCTAssertEqual(g.validity(ofFact: month).from?.description, "2025-10-26", "dated by its most precise claim")
        XCTAssertEqual(g.claims(ofFact: other), [other])
        // An undated claim refines nothing and conflicts with nothing: it joins the first fact.
        let undated = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a3")
        XCTAssertEqual(g.fact(ofClaim: undated), month)
    }

    func testDerivedClaimsAlwaysJoinAndDateTheFactTogether() {
        var g = graph()
        let a = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1", derived: true)
        claim(&g, "russia", "OPERATES", "hmeimim", source: "a1", since: "2015-09", derived: true)
        XCTAssertEqual(facts(g, "OPERATES"), [a])
        XCTAssertEqual(g.validity(ofFact: a).from?.description, "2015-09")
    }

    func testADenialDisputesWhatItMatchesAndDeniesNothingElse() {
        var g = graph()
        let a = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1", grade: "B2")
        let t = claim(&g, "russia", "OPERATES", "tartus", source: "a1", grade: "B2")
        let d = claim(&g, "russia", "OPERATES", "hmeimim", source: "a2", grade: "D4", denied: true)
        XCTAssertEqual(facts(g, "OPERATES"), [a, t], "a denial is never a fact")
        XCTAssertEqual(g.denials(ofFact: a), [d])
        XCTAssertTrue(g.isDisputed(a))
        XCTAssertFalse(g.isDisputed(t))
        XCTAssertEqual(g.conflicts(), [FactConflict(kind: .denial, fact: a, other: d)])
        // A denial of something the graph does not hold is kept and listed, not an error.
        let lone = claim(&g, "plane", "FLEW_TO", "tartus", source: "a2", denied: true)
        XCTAssertEqual(g.conflicts().last, FactConflict(kind: .denial, fact: lone, other: lone))
        // The fact arriving later is disputed by it.
        let late = claim(&g, "plane", "FLEW_TO", "tartus", source: "a3")
        XCTAssertEqual(g.denials(ofFact: late), [lone])
    }

    func testRetractingClaimsKeepsTheFactWhileOneClaimIsLeft() {
        var g = graph()
        let a = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1")
        let b = claim(&g, "russia", "OPERATES", "hmeimim", source: "a2")
        let c = claim(&g, "russia", "OPERATES", "hmeimim", source: "a3")
        g.retractClaim(a)
        XCTAssertEqual(facts(g, "OPERATES"), [b], "the next claim carries the fact")
        XCTAssertEqual(g.claims(ofFact: b), [b, c])
        XCTAssertEqual(g.outList(g.lookup(key: "russia")!), [b])
        g.retractClaim(c)
        XCTAssertEqual(g.claims(ofFact: b), [b])
        g.retractClaim(b)
        XCTAssertEqual(facts(g, "OPERATES"), [])
        XCTAssertEqual(g.liveRelationshipCount, 0)
        // Deleting a fact (a query's DELETE) deletes all its claims.
        let x = claim(&g, "russia", "OPERATES", "tartus", source: "a1")
        let y = claim(&g, "russia", "OPERATES", "tartus", source: "a2")
        g.deleteRelationship(x)
        XCTAssertFalse(g.relationship(y).believed)
        XCTAssertEqual(g.liveRelationshipCount, 0)
    }

    func testFunctionalAndExclusiveRelationsConflict() {
        var g = graph()
        g.factRules = FactRules(functional: ["BASED_AT"], excludes: ["OPERATES": ["ABANDONED"]])
        let a = claim(&g, "plane", "BASED_AT", "hmeimim", source: "a1", since: "2025-10-01", until: "2025-10-31")
        let b = claim(&g, "plane", "BASED_AT", "tartus", source: "a2", since: "2025-10-20", until: "2025-11-05")
        let c = claim(&g, "plane", "BASED_AT", "tartus", source: "a3", since: "2025-11-10", until: "2025-11-10")
        let o = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1")
        let x = claim(&g, "russia", "ABANDONED", "hmeimim", source: "a2")
        XCTAssertEqual(g.conflicts(), [FactConflict(kind: .functional, fact: a, other: b), FactConflict(kind: .exclusive, fact: o, other: x)])
        XCTAssertTrue(g.isDisputed(b) && g.isDisputed(x))
        XCTAssertFalse(g.isDisputed(c), "no overlap in time")
    }

    func testGradesCombineByTheDocumentedRule() {
        func grade(_ gs: [String], _ corroboration: Int) -> String? {
            Graph.combine(gs.compactMap(Grading.init), corroboration: corroboration)?.description
        }
        XCTAssertEqual(grade(["B2", "C3"], 1), "B2")
        XCTAssertEqual(grade(["B2", "C3"], 2), "B1")
        XCTAssertEqual(grade(["F6", "D4"], 1), "D4", "F and 6 cannot be judged: they do not win")
        XCTAssertEqual(grade(["F6"], 1), "F6")
        XCTAssertNil(grade([], 2))
    }

    func testADateThatConflictsWithItselfIsNoTrap() {
        var g = graph()
        let a = claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a1", since: "2025-10-29", until: "2025-10-01")
        claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a2", since: "2025-10-29", until: "2025-10-01")
        XCTAssertEqual(g.claims(ofFact: a).count, 2)
        XCTAssertEqual(g.viewed(ClockView(validAt: PartialDate("2025-10-15"))).liveRelationshipCount, 0)
    }

    func testKnownByKeepsWhatWasReportedByThenAndValidAtWhatHeldThen() {
        var g = graph()
        let a = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1", since: "2015-09")
        claim(&g, "russia", "OPERATES", "hmeimim", source: "a2")
        claim(&g, "plane", "FLEW_TO", "hmeimim", source: "a2", since: "2025-11-02", until: "2025-11-02")
        claim(&g, "russia", "OPERATES", "tartus", source: nil, until: "2019")
        let early = g.viewed(ClockView(knownBy: PartialDate("2025-11-01")))
        XCTAssertEqual(facts(early, "FLEW_TO"), [], "reported on 3 November")
        XCTAssertEqual(early.claims(ofFact: a).count, 1)
        XCTAssertEqual(early.corroboration(ofFact: a), 1)
        XCTAssertEqual(facts(early, "OPERATES").count, 2, "a claim with no source is always known")
        XCTAssertNotNil(early.clockView)
        let later = g.viewed(ClockView(knownBy: PartialDate("2025-11-03")))
        XCTAssertEqual(facts(later, "FLEW_TO").count, 1)
        XCTAssertEqual(later.corroboration(ofFact: a), 2)
        let held = g.viewed(ClockView(validAt: PartialDate("2025-10-30")))
        XCTAssertEqual(facts(held, "FLEW_TO"), [])
        XCTAssertEqual(facts(held, "OPERATES").map { held.node(held.relationship($0).target).key }, ["hmeimim"])
        XCTAssertEqual(GraphDigest.of(g.viewed(ClockView(knownBy: PartialDate("2030")))), GraphDigest.of({ var c = g; c.clockView = ClockView(knownBy: PartialDate("2030")); return c }()),
                       "a view that keeps everything is the same graph")
    }

    func testCheckpointKeepsFactsAndDenials() throws {
        var g = graph()
        let a = claim(&g, "russia", "OPERATES", "hmeimim", source: "a1")
        claim(&g, "russia", "OPERATES", "hmeimim", source: "a2")
        let d = claim(&g, "russia", "OPERATES", "hmeimim", source: "a3", denied: true)
        let bytes = g.checkpointBytes()
        let back = try XCTUnwrap(bytes.withUnsafeBytes { Graph(checkpoint: $0) })
        XCTAssertEqual(GraphDigest.lines(back), GraphDigest.lines(g))
        XCTAssertEqual(back.claims(ofFact: a).count, 2)
        XCTAssertEqual(back.denials(ofFact: a), [d])
    }
}
