import Foundation
@testable import MosaicQuery

/// A value as the TCK writes it in result tables and parameters.
indirect enum TCKValue: CustomStringConvertible {
    case null, bool(Bool), int(Int), float(Double), string(String)
    case list([TCKValue]), map([String: TCKValue])
    case node(labels: [String], props: [String: TCKValue])
    case rel(type: String, props: [String: TCKValue])
    /// nodes and (relationship, points forward) pairs
    case path(start: TCKValue, steps: [(rel: TCKValue, forward: Bool, node: TCKValue)])

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .float(let f): return "\(f)"
        case .string(let s): return "'\(s)'"
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0): \(m[$0]!)" }.joined(separator: ", ") + "}"
        case .node(let l, let p): return "(" + l.map { ":" + $0 }.joined() + (p.isEmpty ? "" : " \(TCKValue.map(p))") + ")"
        case .rel(let t, let p): return "[:" + t + (p.isEmpty ? "" : " \(TCKValue.map(p))") + "]"
        case .path(let s, let steps): return "<" + s.description + steps.map { ($0.forward ? "-" : "<-") + $0.rel.description + ($0.forward ? "->" : "-") + $0.node.description }.joined() + ">"
        }
    }

    /// Converts to a query value (for parameters); nodes, relationships and paths have none.
    var queryValue: QueryValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .list(let l): return .list(l.map(\.queryValue))
        case .map(let m): return .map(m.mapValues(\.queryValue))
        default: return .null
        }
    }
}

struct TCKValueParser {
    let chars: [Character]
    var i = 0
    struct Failure: Error { let message: String }

    static func parse(_ s: String) throws -> TCKValue {
        var p = TCKValueParser(chars: Array(s))
        let v = try p.value()
        p.skip()
        if p.i != p.chars.count { throw Failure(message: "trailing text in \(s)") }
        return v
    }

    mutating func skip() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
    mutating func eat(_ c: Character) -> Bool { skip(); if i < chars.count, chars[i] == c { i += 1; return true }; return false }
    mutating func expect(_ c: Character) throws { guard eat(c) else { throw Failure(message: "expected \(c) at \(i) in \(String(chars))") } }
    func rest(_ s: String) -> Bool { i + s.count <= chars.count && String(chars[i..<(i + s.count)]) == s }

    mutating func name() throws -> String {
        skip()
        if i < chars.count, chars[i] == "`" {
            i += 1; var s = ""
            while i < chars.count, chars[i] != "`" { s.append(chars[i]); i += 1 }
            i += 1; return s
        }
        var s = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { s.append(chars[i]); i += 1 }
        if s.isEmpty { throw Failure(message: "expected a name at \(i) in \(String(chars))") }
        return s
    }

    mutating func props() throws -> [String: TCKValue] {
        guard eat("{") else { return [:] }
        var m: [String: TCKValue] = [:]
        if eat("}") { return m }
        repeat {
            let k = try name()
            try expect(":")
            m[k] = try value()
        } while eat(",")
        try expect("}")
        return m
    }

    mutating func node() throws -> TCKValue {
        try expect("(")
        var labels: [String] = []
        while eat(":") { labels.append(try name()) }
        let p = try props()
        try expect(")")
        return .node(labels: labels, props: p)
    }

    mutating func rel() throws -> TCKValue {
        try expect("[")
        var type = ""
        if eat(":") { type = try name() }
        let p = try props()
        try expect("]")
        return .rel(type: type, props: p)
    }

    mutating func value() throws -> TCKValue {
        skip()
        guard i < chars.count else { throw Failure(message: "empty value") }
        let c = chars[i]
        if c == "'" || c == "\"" {
            i += 1; var s = ""
            while i < chars.count, chars[i] != c {
                if chars[i] == "\\", i + 1 < chars.count {
                    i += 1
                    switch chars[i] { case "n": s.append("\n"); case "t": s.append("\t"); default: s.append(chars[i]) }
                } else { s.append(chars[i]) }
                i += 1
            }
            i += 1
            return .string(s)
        }
        if c == "[" {
            // a relationship `[:T ...]` or a list
            var j = i + 1
            while j < chars.count, chars[j] == " " { j += 1 }
            if j < chars.count, chars[j] == ":" { return try rel() }
            i += 1
            var l: [TCKValue] = []
            if eat("]") { return .list(l) }
            repeat { l.append(try value()) } while eat(",")
            try expect("]")
            return .list(l)
        }
        if c == "{" { return .map(try props()) }
        if c == "(" { return try node() }
        if c == "<" {
            i += 1
            let start = try node()
            var steps: [(rel: TCKValue, forward: Bool, node: TCKValue)] = []
            while true {
                skip()
                if eat(">") { break }
                let back = eat("<")
                try expect("-")
                let r = try rel()
                try expect("-")
                let fwd = eat(">")
                steps.append((r, fwd && !back, try node()))
            }
            return .path(start: start, steps: steps)
        }
        if rest("null") { i += 4; return .null }
        if rest("true") { i += 4; return .bool(true) }
        if rest("false") { i += 5; return .bool(false) }
        if rest("NaN") { i += 3; return .float(.nan) }
        if rest("Infinity") { i += 8; return .float(.infinity) }
        if rest("-Infinity") { i += 9; return .float(-.infinity) }
        var s = ""
        while i < chars.count, chars[i].isNumber || "+-.eExabcdefABCDEFo".contains(chars[i]) { s.append(chars[i]); i += 1 }
        if let v = Int(s) { return .int(v) }
        if s.hasPrefix("0x") || s.hasPrefix("-0x") { if let v = Int(s.replacingOccurrences(of: "0x", with: ""), radix: 16) { return .int(v) } }
        if let d = Double(s) { return .float(d) }
        throw Failure(message: "cannot read value '\(String(chars))'")
    }
}

/// Compares TCK expectations with query results, with the TCK's value semantics.
struct TCKComparator<G: QueryGraph> {
    let graph: G
    let ignoreListOrder: Bool

    func props(_ actual: [(String, QueryValue)], _ expected: [String: TCKValue]) -> Bool {
        guard actual.count == expected.count else { return false }
        for (k, v) in actual { guard let e = expected[k], matches(e, v) else { return false } }
        return true
    }

    func matches(_ e: TCKValue, _ a: QueryValue) -> Bool {
        switch (e, a) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)):
            if x.isNaN { return y.isNaN }
            if x == y { return true }
            return abs(x - y) <= 1e-12 * max(abs(x), abs(y)) || String(x) == String(y) || abs(x - y) < 1e-15
        case let (.string(x), .string(y)): return x == y
        case let (.string(x), .date(d)): return x == d.description
        case let (.string(x), .temporal(t)): return x == t.description
        case let (.string(x), .duration(d)): return x == d.description
        case let (.list(x), .list(y)):
            guard x.count == y.count else { return false }
            if !ignoreListOrder { return zip(x, y).allSatisfy { matches($0, $1) } }
            var used = Array(repeating: false, count: y.count)
            for ex in x {
                guard let j = y.indices.first(where: { !used[$0] && matches(ex, y[$0]) }) else { return false }
                used[j] = true
            }
            return true
        case let (.map(x), .map(y)):
            guard x.count == y.count else { return false }
            for (k, v) in x { guard let w = y[k], matches(v, w) else { return false } }
            return true
        case let (.node(labels, p), .node(n)):
            return Set(labels) == Set(graph.labels(of: n)) && props(graph.nodeProperties(n), p)
        case let (.rel(t, p), .relationship(r)):
            return t == graph.relationshipType(r) && props(graph.relationshipProperties(r), p)
        case let (.path(start, steps), .path(pv)):
            guard steps.count == pv.relationships.count, matches(start, .node(pv.nodes[0])) else { return false }
            for (k, st) in steps.enumerated() {
                let r = pv.relationships[k]
                let (s, _) = graph.endpoints(r)
                guard matches(st.rel, .relationship(r)), matches(st.node, .node(pv.nodes[k + 1])) else { return false }
                if (s == pv.nodes[k]) != st.forward && pv.nodes[k] != pv.nodes[k + 1] { return false }
            }
            return true
        default: return false
        }
    }
}
