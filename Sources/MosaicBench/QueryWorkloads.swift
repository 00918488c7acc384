import Foundation
import MosaicGraph
import MosaicQuery

/// The query language's workloads (issue 4): peers.py's b, c, d and e through MosaicQuery,
/// each twice: one-off (`Query.prepare` + `execute` for every query: parse, bind, plan,
/// run) and prepared (prepared once outside the timing, executed per parameter set). The
/// inputs are peers.py's (`ctx.data.params`), so are the check values.
enum QueryWorkloads {
    static var all: [Workload] {
        [lookup(prepared: false), lookup(prepared: true),
         hops(1, prepared: false), hops(1, prepared: true),
         hops(2, prepared: false), hops(2, prepared: true),
         pattern(prepared: false), pattern(prepared: true),
         closure(prepared: false), closure(prepared: true),
         compile("b", lookupText), compile("c", hop1Text), compile("d", patternText),
         perRow("x.regex", regexText, "a `=~` test on every Person's name"),
         perRow("x.exists", existsText, "an `EXISTS { MATCH … }` subquery for every Person"),
         perRow("x.flew_grouped", flewGroupedText, "issue 15's FLEW_TO count per base (the first by count)"),
         perRow("x.anchor_counts", anchorCountsText, "Article-MENTIONS->Country: two labels, anchored by the graph's counts"),
         perRow("x.aggregates", aggregatesText, "Article-MENTIONS->Country grouped by country: count(a) and max(validFrom(m)), the first by count"),
         perRow("x.with", withText, "a WITH of values between a MATCH and a count: Person-MEMBER_OF->Organization filtered on both names"),
         perRow("x.bound_match", boundMatchText, "a MATCH from each row of a WITH (27,944 Persons bound), filtered: its slots set up once, not per row"),
         perRow("x.optional", optionalText, "an OPTIONAL MATCH per Person into a WITH of values filtered on its columns (rows with nulls included)"),
         fanout,
         literal("b.lookup_literal", lookupText, peerRow: "lookup", hops: false),
         literal("c.hop1_literal", hop1Text, peerRow: "hop1", hops: true)]
    }

    /// One-off queries as scripts and plugins write them: a new text per id, the id written
    /// into it as a string literal, run by `Query.run` (whose plan cache lifts the literals
    /// of MATCH and WHERE into parameters, so every text after the first reuses one plan).
    /// Check: as the b and c rows.
    static func literal(_ name: String, _ text: String, peerRow: String, hops: Bool) -> Workload {
        Workload(name: name, group: String(name.prefix(1)), unit: hops ? .microsecondsPerEntity : .microsecondsPerOp, peerRow: peerRow,
                 summary: "\(hops ? "1-hop out-path count" : "point lookup by id"): a new text per id with the id as a literal, through Query.run") { ctx in
            let runner = try Runner(try ctx.graph(), text, prepared: false, literal: true)
            guard hops else { return try measureLookups(ctx, runner) }
            var m = try measureHops(ctx, runner)
            try addClaimsCheck(ctx, hops: 1, to: &m)
            return m
        }
    }

    /// q: `Query.prepare` alone (lex, parse, bind, plan) of a workload's query text, 10,000
    /// times: the compile share of the one-off rows. No peer row. Check: how many compiled
    /// plans read only (all of them).
    static func compile(_ letter: String, _ text: String) -> Workload {
        Workload(name: "q.compile_\(letter)", group: "q", unit: .microsecondsPerOp, peerRow: nil,
                 summary: "Query.prepare alone of workload \(letter)'s query text") { ctx in
            try ctx.measure(ops: 10_000) {
                var readOnly = 0
                for _ in 0..<10_000 where try Query.prepare(text).isReadOnly { readOnly += 1 }
                return String(readOnly)
            }
        }
    }

    static let regexText = "MATCH (p:Person) WHERE p.name =~ '[A-M].*[aeiou]' RETURN count(*)"
    static let existsText = "MATCH (p:Person) WHERE EXISTS { MATCH (p)-[:MEMBER_OF]->(o:Organization) WITH o, p WHERE o.name <> p.name RETURN o } RETURN count(*)"

    /// x: a per-row expression over the 100k graph's 27,944 Persons (prepared once, run per
    /// repetition): what compiling a regular expression or planning a subquery once per query,
    /// instead of once per row, saves. Check: the count.
    static func perRow(_ name: String, _ text: String, _ what: String) -> Workload {
        Workload(name: name, group: "x", unit: .millisecondsPerQuery, peerRow: nil, summary: what) { ctx in
            let runner = try Runner(try ctx.graph(), text, prepared: true)
            return try ctx.measure(reps: ctx.slowRepetitions) { String(try runner.count([:])) }
        }
    }

    /// x.fanout: issue 16's fan-out row, the pairs of members of one organisation (through
    /// the generated graph's hubs, 10^8 pairs and more): one run, and only when named.
    static var fanout: Workload {
        var w = Workload(name: "x.fanout", group: "x", unit: .seconds, peerRow: nil,
                         summary: "2-hop fan-out through organisations: pairs of members of one organisation (run only when named)") { ctx in
            let runner = try Runner(try ctx.graph(), fanoutText, prepared: true)
            return try ctx.measure(reps: 1, warmup: 0) { String(try runner.count([:])) }
        }
        w.onlyByName = true
        return w
    }
    /// Issue 15's aggregation over a relation type (its first column first, for the check).
    static let flewGroupedText = "MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base) RETURN count(*) AS n, b.name ORDER BY n DESC LIMIT 1"
    /// Two labelled ends, the second far rarer: the planner's counts anchor it there.
    static let anchorCountsText = "MATCH (a:Article)-[:MENTIONS]->(c:Country) RETURN count(*)"
    /// Aggregates other than a lone count(*) over a relation type (its first column first, for the check).
    static let aggregatesText = "MATCH (a:Article)-[m:MENTIONS]->(c:Country) RETURN count(a) AS n, c.name, max(validFrom(m)) AS latest ORDER BY n DESC LIMIT 1"
    static let withText = "MATCH (p:Person)-[:MEMBER_OF]->(o:Organization) WITH p, o WHERE p.name < o.name RETURN count(*) AS n"
    static let boundMatchText = "MATCH (p:Person) WITH p MATCH (p)-[:MEMBER_OF]->(o) WHERE o.name <> p.name RETURN count(*) AS n"
    static let optionalText = "MATCH (p:Person) OPTIONAL MATCH (p)-[:MEMBER_OF]->(o:Organization) WITH p, o WHERE o IS NULL OR p.name < o.name RETURN count(*) AS n"
    static let fanoutText = "MATCH (p)-[:MEMBER_OF]->(o)<-[:MEMBER_OF]-(q) WHERE id(p) < id(q) RETURN count(*)"
    static let lookupText = "MATCH (n {id: $id}) RETURN n.name"
    static let hop1Text = "MATCH (a {id: $id})-[]->(b) RETURN count(*)"
    static let hop2Text = "MATCH (a {id: $id})-[]->()-[]->(c) RETURN count(*)"
    static let patternText = """
        MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base)-[:LOCATED_IN]->(c:Country {name: $n}) \
        WHERE validFrom(f) >= date($from) AND validFrom(f) <= date($to) RETURN count(*)
        """
    /// Distinct (a, b) pairs with b reachable from a in 1 to 10 steps, as peers.py's closure.
    static let closureText = "MATCH (a)-[:PART_OF|LOCATED_IN*1..10]->(b) WITH DISTINCT a, b RETURN count(*)"

    /// Runs `text` with each parameter set, preparing it once (prepared) or every time.
    /// Returns the first column of each result's rows.
    final class Runner {
        let view: GraphView
        let text: String
        let prepared: PreparedQuery?
        /// Each run writes its `$id` into the text as a literal and calls `Query.run`.
        let literal: Bool
        /// The text before and after `$id`.
        let textParts: (String, String)
        init(_ g: Graph, _ text: String, prepared: Bool, literal: Bool = false) throws {
            view = GraphView(g)
            self.text = text
            self.literal = literal
            self.prepared = prepared ? try Query.prepare(text) : nil
            let r = text.range(of: "$id")
            textParts = r.map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) } ?? (text, "")
        }
        func run(_ params: [String: QueryValue]) throws -> [QueryValue] {
            if literal, case .string(let id)? = params["id"] {
                var quoted = id
                if id.utf8.contains(where: { $0 == 39 || $0 == 92 }) {
                    quoted = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                }
                return try Query.run(textParts.0 + "'" + quoted + "'" + textParts.1, on: view).rows.map { $0.first ?? .null }
            }
            let q = try prepared ?? Query.prepare(text)
            return try q.execute(on: view, parameters: params).rows.map { $0.first ?? .null }
        }
        func count(_ params: [String: QueryValue]) throws -> Int {
            guard let v = try run(params).first, case .int(let n) = v else {
                throw BenchError("\(text): expected one integer row")
            }
            return n
        }
    }

    static func suffix(_ prepared: Bool) -> String { prepared ? "prepared" : "query" }
    static func how(_ prepared: Bool) -> String { prepared ? "prepared once, executed per" : "prepare + execute per" }

    /// b: `MATCH (n {id: $id}) RETURN n.name` for the 10,000 ids peers.py looks up.
    /// Check: the sum of the names' lengths, as the peers' lookup row.
    static func lookup(prepared: Bool) -> Workload {
        Workload(name: "b.lookup_\(suffix(prepared))", group: "b", unit: .microsecondsPerOp, peerRow: "lookup",
                 summary: "point lookup by id through the query language (\(how(prepared)) id)") { ctx in
            try measureLookups(ctx, try Runner(try ctx.graph(), lookupText, prepared: prepared))
        }
    }

    /// Times `runner` over peers.py's lookup ids. Check: the sum of the names' lengths.
    static func measureLookups(_ ctx: BenchContext, _ runner: Runner) throws -> Measurement {
        let ids = ctx.data.params.lookupIDs
        return try ctx.measure(ops: ids.count) {
            var total = 0
            for id in ids {
                for v in try runner.run(["id": .string(id)]) {
                    if case .string(let s) = v { total += s.unicodeScalars.count }
                }
            }
            return String(total)
        }
    }

    /// Times `runner` (a count query) over peers.py's hop ids. Check: the sum of the counts.
    static func measureHops(_ ctx: BenchContext, _ runner: Runner) throws -> Measurement {
        let ids = ctx.data.params.hopIDs
        return try ctx.measure(ops: ids.count) {
            var total = 0
            for id in ids { total += try runner.count(["id": .string(id)]) }
            return String(total)
        }
    }

    /// c: 1-hop / 2-hop outgoing path counts from peers.py's 1,000 random entities.
    /// Check: the sum of the counts.
    static func hops(_ n: Int, prepared: Bool) -> Workload {
        Workload(name: "c.hop\(n)_\(suffix(prepared))", group: "c", unit: .microsecondsPerEntity, peerRow: "hop\(n)",
                 summary: "\(n)-hop out-path count (\(how(prepared)) entity)") { ctx in
            var m = try measureHops(ctx, try Runner(try ctx.graph(), n == 1 ? hop1Text : hop2Text, prepared: prepared))
            try addClaimsCheck(ctx, hops: n, to: &m)
            return m
        }
    }

    /// The same paths counted by claims (a path through a fact of k claims counts k times),
    /// as the peers count rows: untimed, to check against their figure.
    static func addClaimsCheck(_ ctx: BenchContext, hops n: Int, to m: inout Measurement) throws {
        guard try ctx.graph().factStatistics.foldedClaims > 0 else { return }
        let weighted = try Runner(try ctx.graph(), n == 1 ? hop1ClaimsText : hop2ClaimsText, prepared: true)
        var total = 0
        for id in ctx.data.params.hopIDs { total += try weighted.count(["id": .string(id)]) }
        m.claimCheck = String(total)
        m.details.append("paths counted through facts; through claims (as the peers count rows): \(total)")
    }
    static let hop1ClaimsText = "MATCH (a {id: $id})-[r]->(b) RETURN coalesce(sum(size(claims(r))), 0)"
    static let hop2ClaimsText = "MATCH (a {id: $id})-[r]->()-[s]->(c) RETURN coalesce(sum(size(claims(r)) * size(claims(s))), 0)"

    /// d: the filtered pattern for peers.py's 8 (country, window) pairs. A CSV `date` is the
    /// relation's valid time (validFrom = validTo). Check: the 8 counts as a list.
    static func pattern(prepared: Bool) -> Workload {
        Workload(name: "d.pattern_\(suffix(prepared))", group: "d", unit: .millisecondsPerQuery, peerRow: "pattern",
                 summary: "Aircraft-FLEW_TO(date window)->Base-LOCATED_IN->Country{name} (\(how(prepared)) query)") { ctx in
            let patterns = ctx.data.params.patterns
            func counts(_ runner: Runner) throws -> String {
                let counts = try patterns.map { p in
                    try runner.count(["n": .string(p.country), "from": .string(p.from), "to": .string(p.to)])
                }
                return "[" + counts.map(String.init).joined(separator: ",") + "]"
            }
            let runner = try Runner(try ctx.graph(), patternText, prepared: prepared)
            var m = try ctx.measure(ops: patterns.count) { try counts(runner) }
            // the same paths counted by claims, as the peers count rows (untimed)
            if try ctx.graph().factStatistics.foldedClaims > 0 {
                let weighted = try counts(try Runner(try ctx.graph(), patternClaimsText, prepared: true))
                m.claimCheck = weighted
                m.details.append("paths counted through facts; through claims (as the peers count rows): \(weighted)")
            }
            return m
        }
    }
    static let patternClaimsText = """
        MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base)-[l:LOCATED_IN]->(c:Country {name: $n}) \
        WHERE validFrom(f) >= date($from) AND validFrom(f) <= date($to) \
        RETURN coalesce(sum(size(claims(f)) * size(claims(l))), 0)
        """

    /// e: distinct reachable pairs over PART_OF|LOCATED_IN (1..10 steps). Check: the pairs.
    static func closure(prepared: Bool) -> Workload {
        Workload(name: "e.closure_\(suffix(prepared))", group: "e", unit: .seconds, peerRow: "closure",
                 summary: "PART_OF|LOCATED_IN reachable pairs, all nodes (\(prepared ? "prepared once, executed" : "prepare + execute"))") { ctx in
            let runner = try Runner(try ctx.graph(), closureText, prepared: prepared)
            return try ctx.measure(reps: ctx.slowRepetitions) { String(try runner.count([:])) }
        }
    }
}
