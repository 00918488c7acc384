import Foundation

/// The pattern of a pattern rule, written in the query language's syntax:
///
///     MATCH (b:Base)-[l:LOCATED_IN]->(g:Governorate)-[p:PART_OF]->(c:Country)
///     (a:Aircraft)-[f:FLEW_TO]->(b:Base), (a)-[g:FLEW_TO]->(b)
///     (x)<-[r:OPERATES|USES]-(o)
///
/// Nodes are `(var)` or `(var:Label)`; relationships `-[var:T1|T2]->` or `<-[var:T]-`, each
/// named (the names become the premises of what the rule derives). One to three
/// relationships, connected. `WHERE` conditions are written as a Lua function in the rule.
struct RulePattern: Equatable {
    struct Edge: Equatable { var name, from: String; var types: [String]; var to: String }
    var edges: [Edge] = []
    var labels: [String: String] = [:]

    struct ParseError: Error, CustomStringConvertible {
        var column: Int
        var message: String
        var description: String { "column \(column): \(message)" }
    }

    static func parse(_ text: String) throws -> RulePattern {
        var s = Array(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if s.count >= 5, String(s[0..<5]).uppercased() == "MATCH" { s.removeFirst(5) }
        var i = 0
        var out = RulePattern()
        func fail(_ m: String) -> ParseError { ParseError(column: i + 1, message: m) }
        func skip() { while i < s.count && s[i].isWhitespace { i += 1 } }
        func ident() -> String {
            let start = i
            while i < s.count && (s[i].isLetter || s[i].isNumber || s[i] == "_") { i += 1 }
            return String(s[start..<i])
        }
        func expect(_ c: Character) throws {
            skip()
            guard i < s.count && s[i] == c else { throw fail("expected '\(c)'") }
            i += 1
        }
        func node() throws -> String {
            try expect("(")
            skip()
            let v = ident()
            guard !v.isEmpty else { throw fail("name every node: (b:Base), not (:Base)") }
            skip()
            if i < s.count && s[i] == ":" {
                i += 1
                let label = ident()
                guard !label.isEmpty else { throw fail("a label after ':'") }
                if let old = out.labels[v], old != label { throw fail("'\(v)' has two labels") }
                out.labels[v] = label
            }
            try expect(")")
            return v
        }
        while true {
            var left = try node()
            while true {
                skip()
                guard i < s.count, s[i] == "-" || s[i] == "<" else { break }
                var incoming = false
                if s[i] == "<" { incoming = true; i += 1 }
                try expect("-")
                try expect("[")
                skip()
                let name = ident()
                guard !name.isEmpty else { throw fail("name every relationship: -[f:FLEW_TO]-> (the names are the premises)") }
                try expect(":")
                var types: [String] = []
                repeat {
                    skip()
                    let t = ident()
                    guard !t.isEmpty else { throw fail("a relationship type") }
                    types.append(t)
                    skip()
                } while i < s.count && s[i] == "|" && { i += 1; return true }()
                skip()
                if i < s.count && s[i] == "*" { throw fail("variable-length relationships are not supported in rules; a rule that reads its own output gives the closure") }
                try expect("]")
                try expect("-")
                var outgoing = false
                skip()
                if i < s.count && s[i] == ">" { outgoing = true; i += 1 }
                guard incoming != outgoing else { throw fail("give the relationship one direction: -[…]-> or <-[…]-") }
                let right = try node()
                out.edges.append(incoming ? Edge(name: name, from: right, types: types, to: left)
                                          : Edge(name: name, from: left, types: types, to: right))
                left = right
            }
            skip()
            if i < s.count && s[i] == "," { i += 1; continue }
            break
        }
        skip()
        if i < s.count {
            if String(s[i...]).uppercased().hasPrefix("WHERE") {
                throw fail("write WHERE conditions as a Lua function: where = function(m) … end")
            }
            throw fail("unexpected '\(s[i])'")
        }
        guard (1...3).contains(out.edges.count) else { throw ParseError(column: 1, message: "a rule pattern has one to three relationships") }
        return out
    }
}
