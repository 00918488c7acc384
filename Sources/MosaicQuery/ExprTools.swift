/// Tree utilities over expressions: rewriting, canonical text, aggregate detection.
extension Expr {
    static let aggregateNames: Set<String> = ["count", "sum", "avg", "min", "max", "collect", "percentilecont", "percentiledisc", "stdev", "stdevp"]

    var isAggregate: Bool {
        switch kind {
        case .countStar: return true
        case .function(let n, _, _): return Expr.aggregateNames.contains(n.lowercased())
        default: return false
        }
    }

    /// Whether an aggregate appears anywhere in this expression (not inside nested scopes' own lists).
    var containsAggregate: Bool {
        if isAggregate { return true }
        var found = false
        forEachChild { c in if !found && c.containsAggregate { found = true } }
        return found
    }

    /// Pre-order walk; `f` returns false to stop descending into a node's children.
    func visit(_ f: (Expr) -> Bool) {
        guard f(self) else { return }
        forEachChild { $0.visit(f) }
    }

    /// Calls `f` with each child, in the order of `children`, without building the array for
    /// the common kinds (leaves, unary and binary operators, calls, lists, maps).
    @inline(__always) func forEachChild(_ f: (Expr) throws -> Void) rethrows {
        switch kind {
        case .literal, .parameter, .variable, .countStar, .aggregateSlot, .existsQuery: return
        case .property(let e, _), .not(let e), .negate(let e), .isNull(let e, _), .labelCheck(let e, _): try f(e)
        case .index(let a, let b), .binary(_, let a, let b): try f(a); try f(b)
        case .function(_, _, let args): for a in args { try f(a) }
        case .list(let l): for x in l { try f(x) }
        case .map(let m): for x in m { try f(x.value) }
        default: for c in children { try f(c) }
        }
    }

    var children: [Expr] {
        switch kind {
        case .literal, .parameter, .variable, .countStar, .aggregateSlot, .existsQuery: return []
        case .property(let e, _), .not(let e), .negate(let e), .isNull(let e, _), .labelCheck(let e, _): return [e]
        case .index(let a, let b), .binary(_, let a, let b): return [a, b]
        case .slice(let a, let b, let c): return [a] + [b, c].compactMap { $0 }
        case .function(_, _, let args): return args
        case .caseExpr(let s, let whens, let o): return [s].compactMap { $0 } + whens.flatMap { [$0.0, $0.1] } + [o].compactMap { $0 }
        case .list(let l): return l
        case .map(let m): return m.map(\.value)
        case .listComprehension(_, let l, let p, let pr): return [l] + [p, pr].compactMap { $0 }
        case .patternComprehension(_, let part, let p, let pr): return Expr.patternExprs(part) + [p].compactMap { $0 } + [pr]
        case .quantifier(_, _, let l, let p): return [l, p]
        case .reduce(_, let i, _, let l, let e): return [i, l, e]
        case .pattern(let part): return Expr.patternExprs(part)
        case .exists(let pat, let p): return pat.flatMap { Expr.patternExprs($0) } + [p].compactMap { $0 }
        case .mapProjection(_, let items): return items.compactMap { if case .literal(_, let e) = $0 { return e }; return nil }
        }
    }

    static func patternExprs(_ part: PatternPart) -> [Expr] {
        var out: [Expr] = []
        if let p = part.start.properties { out.append(p) }
        for step in part.steps {
            if let p = step.rel.properties { out.append(p) }
            if let p = step.node.properties { out.append(p) }
        }
        return out
    }

    /// Rebuilds the tree bottom-up after `f` had a chance to replace a node (pre-order).
    func rewrite(_ f: (Expr) throws -> Expr?) rethrows -> Expr {
        if let r = try f(self) { return r }
        func rw(_ e: Expr) throws -> Expr { try e.rewrite(f) }
        func rwo(_ e: Expr?) throws -> Expr? { try e.map { try $0.rewrite(f) } }
        let k: ExprKind
        switch kind {
        case .literal, .parameter, .variable, .countStar, .aggregateSlot, .pattern, .exists, .patternComprehension, .existsQuery: return self
        case .property(let e, let n): k = .property(try rw(e), n)
        case .not(let e): k = .not(try rw(e))
        case .negate(let e): k = .negate(try rw(e))
        case .isNull(let e, let n): k = .isNull(try rw(e), negated: n)
        case .labelCheck(let e, let l): k = .labelCheck(try rw(e), l)
        case .index(let a, let b): k = .index(try rw(a), try rw(b))
        case .binary(let op, let a, let b): k = .binary(op, try rw(a), try rw(b))
        case .slice(let a, let b, let c): k = .slice(try rw(a), try rwo(b), try rwo(c))
        case .function(let n, let d, let args): k = .function(name: n, distinct: d, args: try args.map(rw))
        case .caseExpr(let s, let whens, let o): k = .caseExpr(subject: try rwo(s), whens: try whens.map { (try rw($0.0), try rw($0.1)) }, otherwise: try rwo(o))
        case .list(let l): k = .list(try l.map(rw))
        case .map(let m): k = .map(try m.map { MapEntry(key: $0.key, value: try rw($0.value)) })
        case .listComprehension(let v, let l, let p, let pr): k = .listComprehension(variable: v, list: try rw(l), predicate: try rwo(p), projection: try rwo(pr))
        case .quantifier(let q, let v, let l, let p): k = .quantifier(q, variable: v, list: try rw(l), predicate: try rw(p))
        case .reduce(let a, let i, let v, let l, let e): k = .reduce(accumulator: a, initial: try rw(i), variable: v, list: try rw(l), expression: try rw(e))
        case .mapProjection(let v, let items): k = .mapProjection(v, try items.map { if case .literal(let n, let e) = $0 { return .literal(n, try rw(e)) }; return $0 })
        }
        return Expr(k, pos)
    }

    /// A canonical rendering, used to compare expressions (ORDER BY against projections) and in plans.
    var canonical: String {
        switch kind {
        case .literal(let v): return Expr.render(v)
        case .parameter(let n): return "$" + n
        case .variable(let n): return n
        case .property(let e, let n): return e.canonical + "." + n
        case .index(let a, let b): return a.canonical + "[" + b.canonical + "]"
        case .slice(let a, let b, let c): return a.canonical + "[" + (b?.canonical ?? "") + ".." + (c?.canonical ?? "") + "]"
        case .binary(let op, let a, let b): return "(" + a.canonical + " " + op.rawValue + " " + b.canonical + ")"
        case .not(let e): return "NOT " + e.canonical
        case .negate(let e): return "-" + e.canonical
        case .isNull(let e, let n): return e.canonical + (n ? " IS NOT NULL" : " IS NULL")
        case .labelCheck(let e, let l): return e.canonical + l.map { ":" + $0 }.joined()
        case .function(let n, let d, let args): return n.lowercased() + "(" + (d ? "DISTINCT " : "") + args.map(\.canonical).joined(separator: ", ") + ")"
        case .countStar: return "count(*)"
        case .caseExpr(let s, let whens, let o):
            return "CASE " + (s?.canonical ?? "") + whens.map { " WHEN \($0.0.canonical) THEN \($0.1.canonical)" }.joined() + (o.map { " ELSE " + $0.canonical } ?? "") + " END"
        case .list(let l): return "[" + l.map(\.canonical).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { "\($0.key): \($0.value.canonical)" }.joined(separator: ", ") + "}"
        case .listComprehension(let v, let l, let p, let pr): return "[\(v) IN \(l.canonical)" + (p.map { " WHERE " + $0.canonical } ?? "") + (pr.map { " | " + $0.canonical } ?? "") + "]"
        case .patternComprehension(_, let part, _, let pr): return "[pattern@\(part.pos) | \(pr.canonical)]"
        case .quantifier(let q, let v, let l, let p): return "\(q.rawValue)(\(v) IN \(l.canonical) WHERE \(p.canonical))"
        case .reduce(let a, let i, let v, let l, let e): return "reduce(\(a) = \(i.canonical), \(v) IN \(l.canonical) | \(e.canonical))"
        case .pattern(let part): return "pattern@\(part.pos)"
        case .exists(let pat, _): return "exists@\(pat.first?.pos.description ?? "")"
        case .existsQuery: return "exists@\(pos)"
        case .mapProjection(let v, let items): return "\(v){\(items.count)@\(pos)}"
        case .aggregateSlot(let i): return "#agg\(i)"
        }
    }

    static func render(_ v: QueryValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string(let s): return "'" + s.replacingOccurrences(of: "'", with: "\\'") + "'"
        case .list(let l): return "[" + l.map(render).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0): \(render(m[$0]!))" }.joined(separator: ", ") + "}"
        case .node(let n): return "node(\(n))"
        case .relationship(let r): return "relationship(\(r))"
        case .path(let p): return "path(\(p.nodes.count - 1))"
        case .date(let d): return "date('\(d)')"
        case .duration(let d): return "duration('\(d)')"
        case .temporal(let t): return "\(t.kind.functionName)('\(t)')"
        }
    }

    /// Variables read by this expression (excluding ones bound inside comprehensions).
    func freeVariables(into out: inout Set<String>, bound: Set<String> = []) {
        switch kind {
        case .variable(let n): if !bound.contains(n) { out.insert(n) }
        case .listComprehension(let v, let l, let p, let pr):
            l.freeVariables(into: &out, bound: bound)
            p?.freeVariables(into: &out, bound: bound.union([v])); pr?.freeVariables(into: &out, bound: bound.union([v]))
        case .quantifier(_, let v, let l, let p):
            l.freeVariables(into: &out, bound: bound); p.freeVariables(into: &out, bound: bound.union([v]))
        case .reduce(let a, let i, let v, let l, let e):
            i.freeVariables(into: &out, bound: bound); l.freeVariables(into: &out, bound: bound)
            e.freeVariables(into: &out, bound: bound.union([a, v]))
        case .mapProjection(let v, let items):
            if !bound.contains(v) { out.insert(v) }
            for it in items {
                if case .variable(let x) = it, !bound.contains(x) { out.insert(x) }
                if case .literal(_, let e) = it { e.freeVariables(into: &out, bound: bound) }
            }
        case .pattern(let part):
            for n in part.nodes { if let v = n.variable, !bound.contains(v) { out.insert(v) } }
            for r in part.steps.lazy.map(\.rel) { if let v = r.variable, !bound.contains(v) { out.insert(v) } }
            for e in children { e.freeVariables(into: &out, bound: bound) }
        case .patternComprehension, .exists, .existsQuery:
            break  // introduce their own variables; checked by the binder
        default:
            forEachChild { $0.freeVariables(into: &out, bound: bound) }
        }
    }
}

extension Expr {
    /// Whether this is a map literal of the one entry `key: e` (`e` that entry's value, by
    /// its position): `{id: $id}` when a lookup by `id` took `$id` from it.
    func isMap(ofOnly key: String, _ e: Expr) -> Bool {
        guard case .map(let entries) = kind, entries.count == 1 else { return false }
        return entries[0].key == key && entries[0].value.pos.offset == e.pos.offset
    }
}
