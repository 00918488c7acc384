/// A compile-time rewrite of `EXISTS { … }` subqueries into semi-joins. A subquery that only
/// asks whether its pattern matches (`MATCH P [WHERE w] [WITH v, x AS y … [WHERE w']] [RETURN
/// …]`) becomes the in-place form `EXISTS { MATCH P WHERE … }`: the evaluator matches the
/// pattern against the outer row and stops at its first match, with no executor, binding or
/// projection per row. Any other subquery keeps the general path, its RETURN capped at one
/// row (`LIMIT 1`) when that cannot change whether a row comes back. Where the general path
/// returns a value the rewrite returns the same one; stopping at the first row, it may answer
/// true where the general path would have failed on a later row. Applied once per query by
/// `Query.compile`, after binding. Also provides `Executor.existsOneHop`, the evaluator's
/// direct walk of an in-place EXISTS over one hop from a bound node. Uses the syntax tree,
/// `Expr.rewrite`, `Expr.freeVariables`, `QueryNesting.expressions(of:)` and the executor's
/// node and relationship tests.
enum ExistsSemiJoin {
    /// The query with its EXISTS subqueries rewritten (the same value when it has none).
    static func apply(_ ast: QueryAST) -> QueryAST {
        guard ast.maySubquery, subqueryCount(ast) > 0 else { return ast }
        var out = ast
        for pi in out.parts.indices { out.parts[pi] = single(out.parts[pi]) }
        return out
    }

    /// How many `EXISTS { … }` subqueries still take the general path (nested ones counted).
    static func subqueryCount(_ ast: QueryAST) -> Int {
        ast.parts.reduce(0) { $0 + subqueryCount($1) }
    }

    static func subqueryCount(_ q: SingleQuery) -> Int {
        var n = 0
        for c in q.clauses {
            for e in QueryNesting.expressions(of: c) {
                e.visit { x in
                    if case .existsQuery(let inner) = x.kind { n += 1 + subqueryCount(inner) }
                    return true
                }
            }
        }
        return n
    }

    // MARK: the walk over the tree

    static func single(_ q: SingleQuery) -> SingleQuery { SingleQuery(clauses: q.clauses.map(clause)) }

    static func clause(_ c: Clause) -> Clause {
        switch c {
        case .match(let p, let optional, let w, let pos): return .match(pattern(p), optional: optional, predicate: w.map(expr), pos)
        case .unwind(let e, let v, let pos): return .unwind(expr(e), v, pos)
        case .with(let p, let w): return .with(projection(p), predicate: w.map(expr))
        case .returns(let p): return .returns(projection(p))
        case .create(let p, let pos): return .create(pattern(p), pos)
        case .merge(let part, let a, let b, let pos): return .merge(self.part(part), onCreate: a.map(setItem), onMatch: b.map(setItem), pos)
        case .set(let items, let pos): return .set(items.map(setItem), pos)
        case .remove(let items, let pos):
            return .remove(items.map { if case .property(let t, let k) = $0 { return .property(expr(t), k) }; return $0 }, pos)
        case .delete(let es, let detach, let pos): return .delete(es.map(expr), detach: detach, pos)
        case .call(let name, let args, let yields, let w, let pos): return .call(name, args?.map(expr), yields: yields, predicate: w.map(expr), pos)
        }
    }

    static func projection(_ p: Projection) -> Projection {
        var out = p
        for i in out.items.indices { out.items[i].expr = expr(out.items[i].expr) }
        for i in out.order.indices { out.order[i].expr = expr(out.order[i].expr) }
        return out
    }

    static func setItem(_ s: SetItem) -> SetItem {
        switch s {
        case .property(let t, let k, let v): return .property(expr(t), k, expr(v))
        case .replaceAll(let n, let v, let pos): return .replaceAll(n, expr(v), pos)
        case .merge(let n, let v, let pos): return .merge(n, expr(v), pos)
        case .labels: return s
        }
    }

    static func pattern(_ p: Pattern) -> Pattern { p.map(part) }

    static func part(_ p: PatternPart) -> PatternPart {
        var out = p
        out.start.properties = p.start.properties.map(expr)
        for i in out.steps.indices {
            out.steps[i].rel.properties = p.steps[i].rel.properties.map(expr)
            out.steps[i].node.properties = p.steps[i].node.properties.map(expr)
        }
        return out
    }

    /// The expression with its subqueries rewritten, innermost first.
    static func expr(_ e: Expr) -> Expr {
        e.rewrite { x in
            switch x.kind {
            case .existsQuery(let q):
                let inner = single(q)
                if let (p, w) = semiJoin(inner) { return Expr(.exists(p, w), x.pos) }
                return Expr(.existsQuery(cappedAtOneRow(inner)), x.pos)
            case .exists(let p, let w): return Expr(.exists(pattern(p), w.map(expr)), x.pos)
            case .pattern(let p): return Expr(.pattern(part(p)), x.pos)
            case .patternComprehension(let pv, let p, let w, let pr):
                return Expr(.patternComprehension(pathVariable: pv, pattern: part(p), predicate: w.map(expr), projection: expr(pr)), x.pos)
            default: return nil
            }
        }
    }

    // MARK: the semi-join

    /// The pattern and predicate of the in-place form that finds a row exactly when the
    /// subquery returns one; nil when the subquery does more than match and filter (then it
    /// keeps the general path).
    ///
    /// Applies to: non-optional MATCH clauses (several only when no relationship of a later
    /// clause could also match one of an earlier clause: each clause has its own relationship
    /// uniqueness, one pattern list shares it; and only the last with WHERE), then WITH
    /// clauses of plain variables and aliases (no aggregation, ORDER BY, SKIP or LIMIT; their
    /// WHERE reads only names the WITH passes on, the aliases replaced by their variables),
    /// then at most a RETURN whose items cannot fail and whose SKIP/LIMIT cannot drop the last
    /// row (`LIMIT 0`, `SKIP 1` and aggregation, which returns a row when nothing matched, keep
    /// the general path). At most `maxPredicates` WHEREs: they nest (see `conjunction`).
    static func semiJoin(_ q: SingleQuery) -> (Pattern, Expr?)? {
        let cs = q.clauses
        var pattern: Pattern = []
        var preds: [Expr] = []  // in the order the subquery checks them
        var i = 0
        while i < cs.count, case .match(let p, let optional, let w, _) = cs[i] {
            guard !optional, pattern.isEmpty || (preds.isEmpty && separate(pattern, p)) else { return nil }
            pattern += p
            if let w { preds.append(w) }
            i += 1
        }
        guard !pattern.isEmpty else { return nil }
        var names = Renaming.identity
        while i < cs.count, case .with(let p, let w) = cs[i] {
            guard let next = names.through(p, star: p.star) else { return nil }
            if let w {
                guard let s = next.substitute(w, hidesNothing: p.star && names.passesOthers) else { return nil }
                preds.append(s)
            }
            names = next
            i += 1
        }
        if i < cs.count, case .returns(let p) = cs[i] {
            guard keepsExistence(p, names, nodesAndRels: graphVariables(pattern)) else { return nil }
            i += 1
        }
        guard i == cs.count, preds.count <= maxPredicates else { return nil }
        return (pattern, conjunction(preds[...]))
    }

    /// The most WHEREs joined into one predicate (a longer chain of WITH … WHERE keeps the
    /// general path, which checks them clause by clause, not nested).
    static let maxPredicates = 16

    /// Whether the relationships of `later` can never be ones `earlier` matched: every pair
    /// has types and no type in common, and no relationship variable is shared.
    static func separate(_ earlier: Pattern, _ later: Pattern) -> Bool {
        let a = earlier.flatMap { $0.steps.map(\.rel) }, b = later.flatMap { $0.steps.map(\.rel) }
        if a.isEmpty || b.isEmpty { return true }
        for x in a {
            for y in b {
                if x.types.isEmpty || y.types.isEmpty || !Set(x.types).isDisjoint(with: y.types) { return false }
                if let v = x.variable, v == y.variable { return false }
            }
        }
        return true
    }

    /// The node variables and fixed-length relationship variables of the pattern: in every row
    /// it produces, a node or a relationship (so reading a property cannot fail).
    static func graphVariables(_ pattern: Pattern) -> Set<String> {
        var out = Set<String>()
        for p in pattern {
            for i in 0..<p.nodeCount { if let v = p.node(i).variable { out.insert(v) } }
            for s in p.steps where s.rel.range == nil { if let v = s.rel.variable { out.insert(v) } }
        }
        return out
    }

    /// Whether the RETURN gives a row exactly when it is given one, without failing: no
    /// aggregation, SKIP at most 0, LIMIT at least 1 (literals), items and ORDER BY keys that
    /// are literals, variables or (items) properties of the pattern's nodes and relationships.
    static func keepsExistence(_ p: Projection, _ names: Renaming, nodesAndRels: Set<String>) -> Bool {
        if let s = p.skip { guard case .literal(.int(0)) = s.kind else { return false } }
        if let l = p.limit { guard case .literal(.int(let n)) = l.kind, n >= 1 else { return false } }
        for it in p.items {
            switch it.expr.kind {
            case .literal, .variable: continue
            case .property(let b, _):
                guard case .variable(let v) = b.kind, let src = names.source(v), nodesAndRels.contains(src) else { return false }
            default: return false
            }
        }
        for o in p.order {
            switch o.expr.kind { case .literal, .variable: continue; default: return false }
        }
        return true
    }

    /// `p1` and then `p2` and then …, each checked only when the ones before hold (as the
    /// subquery checks them, clause by clause), true only when all are: `CASE WHEN p1 THEN
    /// (…) ELSE false END`.
    static func conjunction(_ preds: ArraySlice<Expr>) -> Expr? {
        guard let first = preds.first else { return nil }
        let p = strict(first)
        guard let rest = conjunction(preds.dropFirst()) else { return p }
        return Expr(.caseExpr(subject: nil, whens: [(p, rest)], otherwise: Expr(.literal(.bool(false)), first.pos)), first.pos)
    }

    /// The predicate failing on a value that is not a boolean or null, as the subquery's WHERE
    /// does (the in-place form and CASE take such a value as false): `p AND true` unless `p`
    /// is a comparison, a logical operator or another test that can only give those.
    static func strict(_ p: Expr) -> Expr {
        switch p.kind {
        case .binary(let op, _, _):
            switch op {
            case .eq, .neq, .lt, .gt, .le, .ge, .and, .or, .xor, .regex, .startsWith, .endsWith, .contains, .inList: return p
            default: break
            }
        case .not, .isNull, .labelCheck, .exists, .existsQuery, .pattern, .quantifier, .literal(.bool), .literal(.null): return p
        default: break
        }
        return Expr(.binary(.and, p, Expr(.literal(.bool(true)), p.pos)), p.pos)
    }

    /// The names a row has after the WITH clauses seen so far, each with the variable of the
    /// matched row it holds.
    struct Renaming {
        /// Whether every name not in `map` is still the variable of the same name.
        var passesOthers: Bool
        var map: [String: String]
        static let identity = Renaming(passesOthers: true, map: [:])
        var isIdentity: Bool { passesOthers && map.allSatisfy { $0.key == $0.value } }

        func source(_ name: String) -> String? { map[name] ?? (passesOthers ? name : nil) }

        /// After a WITH of plain variables (`star`: the names before it stay too); nil when
        /// the WITH computes, aggregates, orders or cuts rows.
        func through(_ p: Projection, star: Bool) -> Renaming? {
            guard p.order.isEmpty, p.skip == nil, p.limit == nil else { return nil }
            var next = star ? self : Renaming(passesOthers: false, map: [:])
            for it in p.items {
                guard case .variable(let v) = it.expr.kind, it.alias != nil || it.text == v, let src = source(v) else { return nil }
                next.map[it.name] = src
            }
            return next
        }

        /// `w` reading the matched row's variables instead of these names; nil when it reads
        /// a name the WITH does not pass on (the general path keeps such a WHERE), or when `w`
        /// binds names of its own (comprehensions, patterns, subqueries: their names are not
        /// all seen here) unless no WITH so far has renamed or dropped a name (`hidesNothing`).
        func substitute(_ w: Expr, hidesNothing: Bool) -> Expr? {
            var scoped = false
            w.visit { x in
                switch x.kind {
                case .listComprehension, .quantifier, .reduce, .mapProjection, .pattern, .patternComprehension, .exists, .existsQuery:
                    scoped = true; return false
                default: return true
                }
            }
            if scoped { return hidesNothing && isIdentity ? w : nil }
            var free = Set<String>()
            w.freeVariables(into: &free)
            for n in free where source(n) == nil { return nil }
            return w.rewrite { x in
                if case .variable(let n) = x.kind, let s = source(n), s != n { return Expr(.variable(s), x.pos) }
                return nil
            }
        }
    }

    // MARK: the general path

    /// The subquery with its RETURN limited to one row, when the RETURN neither aggregates nor
    /// skips nor limits (DISTINCT and ORDER BY go: they cannot change whether a row comes
    /// back). A MATCH right before it then stops at its first row.
    static func cappedAtOneRow(_ q: SingleQuery) -> SingleQuery {
        guard case .returns(var p)? = q.clauses.last, p.skip == nil, p.limit == nil,
              !p.items.contains(where: { $0.expr.containsAggregate }) else { return q }
        p.limit = Expr(.literal(.int(1)), p.pos)
        p.distinct = false
        p.order = []
        var out = q
        out.clauses[out.clauses.count - 1] = .returns(p)
        return out
    }
}

extension Executor {
    /// The in-place EXISTS over one fixed-length hop from a node the row binds (what the
    /// rewrite makes of `EXISTS { MATCH (p)-[:T]->(o:L) … }`): the bound node's relationships
    /// walked directly, stopping at the first that satisfies the labels, properties and
    /// predicate; no plan, match state or row per relationship. Nil when the pattern has
    /// another shape (then the general matcher runs).
    func existsOneHop(_ pattern: Pattern, _ pred: Expr?, _ row: Row) throws -> Bool? {
        guard pattern.count == 1, pattern[0].steps.count == 1, pattern[0].pathVariable == nil, pattern[0].shortest == 0,
              pattern[0].steps[0].rel.range == nil else { return nil }
        if let v = pattern[0].steps[0].rel.variable, row[v] != nil { return nil }
        // the anchor: the start when the row binds it, else the end (as the planner chooses)
        var near = pattern[0].start, far = pattern[0].steps[0].node, dir = pattern[0].steps[0].rel.direction
        var anchor = near.variable.flatMap { row[$0] }
        if anchor == nil {
            guard let b = far.variable.flatMap({ row[$0] }) else { return nil }
            anchor = b
            swap(&near, &far)
            dir = dir.reversed
        }
        let n: Int
        switch anchor {
        case .node(let x)?: n = x
        case .null?: return false
        default: return nil  // (the matcher reports the type error)
        }
        // the far end bound too: its node, compared by id; else bound here to each candidate
        var target: Int? = nil
        if let b = far.variable.flatMap({ row[$0] }) {
            guard case .node(let m) = b else { return nil }
            target = m
        }
        let bindFar = target == nil ? far.variable : nil
        near.variable = nil; far.variable = nil  // (bindings checked above, not per candidate)
        let rp = pattern[0].steps[0].rel
        // property maps evaluated once (as the matcher does)
        let nearProps = try evalProps(near.properties, row), farProps = try evalProps(far.properties, row)
        let relProps = try evalProps(rp.properties, row)
        let g = graph
        guard g.nodeExists(n), try nodeMatches(g, near, n, nearProps, row) else { return false }
        // the predicate compiled against the far node and the relationship once per query
        // (SlotExpr): no row copied or written per candidate
        var compiled: SlotExpr? = nil
        if let p = pred {
            let key = p.pos.offset &* 2 &+ (bindFar == nil ? 0 : 1)
            if let c = existsPredicates[key] { compiled = c } else {
                var names = SlotExpr.Names()
                if let v = bindFar { names.nodes[v] = 0 }
                if let v = rp.variable { names.relationships[v] = 0 }
                compiled = SlotExpr.compile(p, names, self)
                existsPredicates[key] = .some(compiled)
            }
        }
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2) { slots -> Bool in
            let farSlot = slots.baseAddress!, relSlot = slots.baseAddress! + 1
            farSlot.pointee = -1; relSlot.pointee = -1
            var r = row
            for (rel, other) in g.relationships(of: n, direction: dir, types: rp.types) {
                try tick()
                if let t = target, t != other { continue }
                guard relMatches(g, rp, rel, relProps), try nodeMatches(g, far, other, farProps, row) else { continue }
                guard let p = pred else { return true }
                if let c = compiled {
                    if bindFar != nil { farSlot.pointee = other }
                    relSlot.pointee = rel
                    if try eval(c, farSlot, relSlot, row) == .bool(true) { return true }
                    continue
                }
                if let v = bindFar { r[v] = .node(other) }
                if let v = rp.variable { r[v] = .relationship(rel) }
                if try eval(p, r) == .bool(true) { return true }
            }
            return false
        }
    }
}
