import Foundation
import MosaicGraph
import MosaicQuery
import MosaicStore
import MosaicKB

/// Query texts through `Query.prepare` and `execute` on the sample graph, with a short time
/// limit, a small memory budget and a step cap: generated expressions (deep nesting of
/// parentheses, lists, maps, NOT, calls; long operator chains; huge ranges; reduce;
/// shortestPath; EXISTS) and mutations of the query cases.
struct QueryTarget: FuzzTarget {
    let name = "query"
    let hangSeconds = 15.0
    let graph: GraphView
    let seeds: [[UInt8]]
    let limits = QueryLimits(maxSteps: 300_000, timeout: 0.1, maxMemory: 64 << 20)

    init(workspace: URL) throws {
        let store = try Store.inMemory()
        _ = try KBLoader(workspace: workspace, store: store).load()
        graph = GraphView(store.graph)
        var seeds: [[UInt8]] = []
        let cases = workspace.appendingPathComponent("Tests/MosaicQueryTests/cases")
        for f in (try? FileManager.default.contentsOfDirectory(atPath: cases.path).sorted()) ?? [] where f.hasSuffix(".txt") {
            let text = (try? String(contentsOf: cases.appendingPathComponent(f), encoding: .utf8)) ?? ""
            var current: [String]? = nil
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("-- query") { current = []; continue }
                if line.hasPrefix("--") || line.hasPrefix("==") {
                    if let c = current, !c.isEmpty { seeds.append(Array(c.joined(separator: "\n").utf8)) }
                    current = nil; continue
                }
                current?.append(String(line))
            }
        }
        seeds += QueryTarget.shapes.map { Array($0.utf8) }
        self.seeds = seeds
    }

    static let shapes = [
        "MATCH (a:Aircraft)-[f:FLEW_TO]->(b:Base) RETURN a.name, b.name, validFrom(f), grading(f), sources(f) ORDER BY validFrom(f)",
        "MATCH (p:Person)-[:PARTICIPATED_IN]->(e:Event)-[:TOOK_PLACE_IN]->(:City {name: 'Moscow'}) RETURN e.name, collect(p.name)",
        "MATCH p = shortestPath((a)-[*]-(b)) RETURN count(p)",
        "MATCH p = allShortestPaths((a:Base)-[*..4]-(b:Country)) RETURN length(p) LIMIT 10",
        "MATCH (a) WHERE EXISTS { MATCH (a)-[*]->(b) WHERE EXISTS { MATCH (b)-[*]-(c) } } RETURN count(a)",
        "WITH reduce(s = 'x', i IN range(1, 40) | s + s) AS s RETURN size(s)",
        "UNWIND range(1, 1000000000000) AS x RETURN count(*)",
        "MATCH (a), (b), (c), (d), (e) RETURN count(*)",
        "RETURN [x IN range(1, 100) | [y IN range(1, x) | y * x]] AS l",
        "MATCH (x:Location) RETURN labels(x), x.name ORDER BY x.name",
        "RETURN date('2025-10-29') + duration('P9999999Y') AS d",
        "RETURN duration.between(date('-999999999-01-01'), date('+999999999-12-31')) AS d",
        "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n.id, type(r), m.id, derived(r) SKIP 3 LIMIT 5",
        "MATCH (a)-[r*0..]->(b) RETURN count(*)",
        "CALL db.labels() YIELD label RETURN label",
        "MATCH (n {id: $id}) RETURN n",
        "RETURN toInteger('9223372036854775808'), 9223372036854775807 + 1, -9223372036854775808 / -1, 1 % 0, 1.0 / 0",
        "RETURN substring('abc', 9223372036854775807, -1), left('x', -1), split('', ''), replace('aa', '', 'b')",
        "CREATE (n:Base {id: 'fuzz'}) RETURN n",
        "MATCH (n) DETACH DELETE n",
    ]

    static let tokens = ["(", ")", "[", "]", "{", "}", "NOT ", " OR ", " AND ", " XOR ", "+", "-", "*", "/", "%", "^", "..", "*..", "*0..",
                         ",", ":", ".", "$id", "'", "\"", "`", "\\", "//", "/*", "RETURN ", "WITH ", "MATCH ", "OPTIONAL ", "UNWIND ",
                         "CALL ", "YIELD ", "WHERE ", "ORDER BY ", "SKIP ", "LIMIT ", "UNION ", "EXISTS {", "CASE WHEN ", " THEN ", " ELSE ", " END",
                         "count(*)", "collect(", "reduce(", "shortestPath(", "allShortestPaths(", "range(", "size(", "null", "9223372036854775807",
                         "-9223372036854775808", "1e309", "0x", "[x IN ", " | ", "<-", "->", "-[", "]-", "\u{0}", "\u{1b}", "é", "\u{202e}",
                         "date(", "duration(", "datetime(", "toInteger(", "toFloat(", "DISTINCT ", "AS ", "*", "IS NULL", "IS NOT NULL", " =~ ",
                         " STARTS WITH ", " CONTAINS ", " IN ", "EXPLAIN ", "PROFILE ", "CREATE ", "DELETE ", "SET ", "MERGE "]

    func generate(_ r: inout FuzzRandom) -> [UInt8] {
        switch r.below(10) {
        case 0, 1, 2, 3:
            return Mutate.mutate(r.pick(seeds), &r, tokens: QueryTarget.tokens, others: seeds, rounds: r.size(3, 12))
        case 4:
            return Array(QueryTarget.deep(&r).utf8)
        default:
            let q = QueryGen.query(&r)
            return Array((r.chance(25) ? String(decoding: Mutate.mutate(Array(q.utf8), &r, tokens: QueryTarget.tokens, others: [], rounds: r.size(2, 5)), as: UTF8.self) : q).utf8)
        }
    }

    /// Deep nesting and long chains: the shapes of issue 19.
    static func deep(_ r: inout FuzzRandom) -> String {
        let n = r.chance(70) ? r.size(60, 1500) : r.size(3000, 120_000)
        switch r.below(10) {
        case 0: return "RETURN " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)
        case 1: return "RETURN " + String(repeating: "[", count: n) + "1" + String(repeating: "]", count: n)
        case 2: return "RETURN " + String(repeating: "{a: ", count: n) + "1" + String(repeating: "}", count: n)
        case 3: return "RETURN " + String(repeating: "NOT ", count: n) + "true"
        case 4: return "RETURN " + String(repeating: "abs(", count: n) + "1" + String(repeating: ")", count: n)
        case 5: return "RETURN 1" + String(repeating: r.pick(["+1", "*1", " OR true", " AND x", "-1", ".a", "[0]", " = 1", " + 'a'"]), count: n)
        case 6: return "RETURN " + String(repeating: "-", count: n) + "1"
        case 7: return "MATCH (a)" + String(repeating: "-->()", count: min(n, 6000)) + " RETURN count(*)"
        case 8: return "MATCH (a) WHERE " + String(repeating: "EXISTS { MATCH (a)-->(b) WHERE ", count: min(n, 2000)) + "true" + String(repeating: " }", count: min(n, 2000)) + " RETURN a"
        default: return "RETURN reduce(l = [], i IN range(1, \(n)) | [l])"
        }
    }

    func run(_ input: [UInt8]) -> Outcome {
        let text = String(decoding: input, as: UTF8.self)
        do {
            let q = try Query.prepare(text)
            _ = try q.execute(on: graph, parameters: ["id": .string("hmeimim-air-base")], limits: limits)
            return .ok
        } catch {
            return .error
        }
    }
}

/// A small random generator of query texts from the language's grammar.
enum QueryGen {
    static let labels = ["Base", "Country", "Aircraft", "Person", "Event", "Location", "City", "Article", "Nope"]
    static let relTypes = ["FLEW_TO", "OPERATES", "LOCATED_IN", "PARTICIPATED_IN", "TOOK_PLACE_IN", "NOPE"]
    static let props = ["name", "id", "kind", "country", "date", "x"]
    static let functions = ["abs", "size", "toString", "toInteger", "toFloat", "head", "last", "reverse", "keys", "labels", "type",
                            "coalesce", "substring", "left", "right", "split", "replace", "trim", "toUpper", "range", "date", "duration",
                            "id", "validFrom", "validTo", "grading", "sources", "claims", "corroboration", "disputed", "sqrt", "log", "exp",
                            "round", "sign", "nodes", "relationships", "length", "startNode", "endNode", "properties", "tail", "noSuchFunction"]

    static func literal(_ r: inout FuzzRandom) -> String {
        switch r.below(10) {
        case 0: return r.pick(Mutate.interestingNumbers.filter { Int($0) != nil || Double($0) != nil })
        case 1: return "'\(r.pick(["", "Hmeimim Air Base", "x", "é", "2025-10-29", "P1D", "\\u0000", String(repeating: "a", count: r.size(5, 3000))]))'"
        case 2: return r.pick(["true", "false", "null", "$id", "$missing"])
        case 3: return "\(r.below(200) - 100).\(r.below(100))"
        default: return "\(r.below(20))"
        }
    }

    static func expr(_ r: inout FuzzRandom, _ vars: [String], _ depth: Int) -> String {
        if depth <= 0 || r.chance(30) {
            if !vars.isEmpty, r.chance(50) { let v = r.pick(vars); return r.chance(50) ? "\(v).\(r.pick(props))" : v }
            return literal(&r)
        }
        let d = depth - 1
        switch r.below(16) {
        case 0, 1: return "\(expr(&r, vars, d)) \(r.pick(["+", "-", "*", "/", "%", "^", "=", "<>", "<", ">=", "AND", "OR", "XOR", "IN", "=~", "STARTS WITH", "CONTAINS"])) \(expr(&r, vars, d))"
        case 2: return "NOT \(expr(&r, vars, d))"
        case 3: return "(\(expr(&r, vars, d)))"
        case 4: return "[" + (0..<r.below(4)).map { _ in expr(&r, vars, d) }.joined(separator: ", ") + "]"
        case 5: return "{" + (0..<r.below(3)).map { i in "k\(i): \(expr(&r, vars, d))" }.joined(separator: ", ") + "}"
        case 6: return "\(r.pick(functions))(" + (0..<r.below(3)).map { _ in expr(&r, vars, d) }.joined(separator: ", ") + ")"
        case 7: return "[x IN \(listExpr(&r, vars, d)) WHERE \(expr(&r, vars + ["x"], d)) | \(expr(&r, vars + ["x"], d))]"
        case 8: return "reduce(acc = \(expr(&r, vars, d)), x IN \(listExpr(&r, vars, d)) | \(expr(&r, vars + ["acc", "x"], d)))"
        case 9: return "CASE WHEN \(expr(&r, vars, d)) THEN \(expr(&r, vars, d)) ELSE \(expr(&r, vars, d)) END"
        case 10: return "\(expr(&r, vars, d))[\(expr(&r, vars, d))]"
        case 11: return "\(expr(&r, vars, d))[\(literal(&r))..\(literal(&r))]"
        case 12: return "\(expr(&r, vars, d)) IS \(r.chance(50) ? "" : "NOT ")NULL"
        case 13: return "count(*)"
        case 14: return "\(r.pick(["collect", "sum", "avg", "min", "max", "count", "percentileCont", "stDev"]))(\(r.chance(20) ? "DISTINCT " : "")\(expr(&r, vars, d))\(r.chance(10) ? ", 0.5" : ""))"
        default: return "EXISTS { MATCH \(pattern(&r, vars, 2)) }"
        }
    }

    static func listExpr(_ r: inout FuzzRandom, _ vars: [String], _ depth: Int) -> String {
        switch r.below(4) {
        case 0: return "range(\(r.pick(["0", "1", "-5", "-9223372036854775808"])), \(r.pick(["10", "100", "100000", "1000000000000", "9223372036854775807"]))\(r.chance(20) ? ", \(r.pick(["0", "-1", "2", "1000000"]))" : ""))"
        case 1: return "[1, 2, 3]"
        default: return expr(&r, vars, depth)
        }
    }

    static func node(_ r: inout FuzzRandom, _ name: String?) -> String {
        var s = "(" + (name ?? "")
        if r.chance(50) { s += ":" + r.pick(labels) }
        if r.chance(20) { s += " {\(r.pick(props)): \(literal(&r))}" }
        return s + ")"
    }

    static func pattern(_ r: inout FuzzRandom, _ vars: [String], _ hops: Int) -> String {
        var s = node(&r, vars.first ?? "a")
        for i in 0..<r.below(hops + 1) {
            var rel = "[" + (r.chance(40) ? "r\(i)" : "")
            if r.chance(60) { rel += ":" + r.pick(relTypes) + (r.chance(20) ? "|" + r.pick(relTypes) : "") }
            if r.chance(30) { rel += r.pick(["*", "*1..3", "*0..", "*..2", "*2", "*5..1", "*9223372036854775807"]) }
            rel += "]"
            s += r.pick(["-\(rel)->", "<-\(rel)-", "-\(rel)-"]) + node(&r, r.chance(50) ? "n\(i)" : nil)
        }
        return s
    }

    static func query(_ r: inout FuzzRandom) -> String {
        var parts: [String] = []
        var vars: [String] = []
        let depth = r.size(4, 12)
        for _ in 0..<r.size(2, 5) {
            switch r.below(6) {
            case 0, 1:
                let p = pattern(&r, ["a"], r.size(3, 6))
                let sp = r.chance(15) ? "p = \(r.pick(["shortestPath", "allShortestPaths"]))(\(p))" : (r.chance(15) ? "p = \(p)" : p)
                parts.append("\(r.chance(20) ? "OPTIONAL " : "")MATCH \(sp)" + (r.chance(40) ? " WHERE \(expr(&r, vars + ["a"], depth))" : ""))
                vars += ["a"] + (sp.hasPrefix("p =") ? ["p"] : [])
            case 2:
                let v = "u\(parts.count)"
                parts.append("UNWIND \(listExpr(&r, vars, depth)) AS \(v)"); vars.append(v)
            case 3:
                let v = "w\(parts.count)"
                parts.append("WITH \(vars.isEmpty ? "" : vars.joined(separator: ", ") + ", ")\(expr(&r, vars, depth)) AS \(v)" + (r.chance(30) ? " WHERE \(expr(&r, vars + [v], depth))" : ""))
                vars.append(v)
            case 4:
                parts.append("CALL \(r.pick(["db.labels() YIELD label", "db.relationshipTypes() YIELD relationshipType", "db.propertyKeys() YIELD propertyKey", "mosaic.search('Hmeimim') YIELD node", "nope.proc()"]))")
            default:
                break
            }
        }
        var ret = "RETURN " + (0..<r.size(2, 4)).map { i in "\(expr(&r, vars, depth)) AS c\(i)" }.joined(separator: ", ")
        if r.chance(30) { ret += " ORDER BY c0" + (r.chance(50) ? " DESC" : "") }
        if r.chance(20) { ret += " SKIP \(literal(&r))" }
        if r.chance(30) { ret += " LIMIT \(literal(&r))" }
        parts.append(ret)
        if r.chance(5) { return parts.joined(separator: " ") + " UNION RETURN 1 AS c0" }
        return parts.joined(separator: " ")
    }
}
