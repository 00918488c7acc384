/// Semantic analysis: variable scopes, what each variable is (node, relationship, path or
/// value), and the compile-time errors of the language (undefined or re-bound variables,
/// misplaced aggregation, invalid CREATE/MERGE patterns, column conflicts, ...).
struct Binder {
    enum Kind: Equatable { case node, relationship, relationshipList, path, value, scalar, list, stringValue, boolValue }

    /// The variables in scope with their kinds (NameList.swift: a short list searched linearly).
    typealias Scope = NameList<Kind>

    let functions: FunctionRegistry
    /// For each single query, the variables in scope before each clause.
    var scopes: [[Scope]] = []

    /// Whether a name in scope is one the query wrote (not one the engine made for itself,
    /// as an aggregate's slot).
    static func isUserVariable(_ name: String) -> Bool { !name.hasPrefix("\u{1}") }

    static func err(_ detail: String, _ message: String, _ pos: SourcePosition?) -> QueryError {
        QueryError(.syntaxError, detail, message, at: pos)
    }

    mutating func bind(_ ast: QueryAST) throws {
        if ast.unionAll.contains(true) && ast.unionAll.contains(false) {
            throw Binder.err("InvalidClauseComposition", "UNION and UNION ALL cannot be mixed in one query", nil)
        }
        // the columns of each part matter only to compare the parts of a UNION
        let union = ast.parts.count > 1
        var columnsOfParts: [[String]] = []
        scopes.reserveCapacity(ast.parts.count)
        for part in ast.parts {
            var scope: Scope = [:]
            var perClause: [Scope] = []
            perClause.reserveCapacity(part.clauses.count + 1)
            var columns: [String] = []
            for i in part.clauses.indices {
                perClause.append(scope)
                let isLast = i == part.clauses.count - 1
                if case .returns(let proj) = part.clauses[i], !isLast {
                    throw Binder.err("InvalidClauseComposition", "RETURN must be the last clause; use WITH to continue the query", proj.pos)
                }
                columns = try bindClause(part.clauses[i], &scope, wantColumns: union, standalone: !union && part.clauses.count == 1)
            }
            if let last = part.clauses.last {
                switch last {
                case .returns, .create, .merge, .set, .remove, .delete: break
                case .call(let name, _, let yields, _, let pos):
                    // a query may end with an in-query CALL only when the procedure yields nothing
                    if part.clauses.count > 1 || union, let p = functions.procedure(name), !p.outputs.isEmpty || yields?.isEmpty == false {
                        throw Binder.err("InvalidClauseComposition", "a query cannot end with CALL \(p.name)(...) YIELD ...; add RETURN with the columns you want", pos)
                    }
                case .with(let p, _): throw Binder.err("InvalidClauseComposition", "a query cannot end with WITH; add RETURN", p.pos)
                case .match(_, _, _, let pos), .unwind(_, _, let pos):
                    throw Binder.err("InvalidClauseComposition", "a query cannot end with MATCH or UNWIND; add RETURN", pos)
                }
            }
            perClause.append(scope)  // (after the last clause: what EXPLAIN shows its operator binding)
            scopes.append(perClause)
            if union { columnsOfParts.append(columns) }
        }
        if let first = columnsOfParts.first, columnsOfParts.contains(where: { $0 != first }) {
            throw Binder.err("DifferentColumnsInUnion", "all parts of a UNION must return the same column names", nil)
        }
    }

    /// Binds one clause, updating the scope; returns the columns when the clause is RETURN.
    mutating func bindClause(_ clause: Clause, _ scope: inout Scope, wantColumns: Bool = true, standalone: Bool = false) throws -> [String] {
        switch clause {
        case .match(let pattern, _, let pred, _):
            var local: Scope = [:]
            try bindPattern(pattern, &scope, creating: false, local: &local)
            if let w = pred { try check(w, scope, booleanContext: true) }
            if let w = pred, w.containsAggregate { throw Binder.err("InvalidAggregation", "aggregate functions cannot be used in WHERE; aggregate in WITH first", w.pos) }
        case .unwind(let e, let v, let pos):
            try check(e, scope)
            if scope[v] != nil { throw Binder.err("VariableAlreadyBound", "the variable '\(v)' is already defined; choose another name", pos) }
            scope[v] = .value
        case .with(let proj, let pred):
            let previous = scope
            scope = try bindProjection(proj, scope, isWith: true)
            if let w = pred {
                var whereScope = scope
                if !proj.items.contains(where: { $0.expr.containsAggregate }) {
                    for (k, v) in previous where whereScope[k] == nil { whereScope[k] = v }
                }
                try check(w, whereScope, booleanContext: true)
                if w.containsAggregate { throw Binder.err("InvalidAggregation", "aggregate functions cannot be used in WHERE; aggregate in WITH first", w.pos) }
            }
        case .returns(let proj):
            let s = try bindProjection(proj, scope, isWith: false)
            if !wantColumns { return [] }
            return proj.star ? s.keys.sorted() + proj.items.map(\.name).filter { s[$0] == nil } : proj.items.map(\.name)
        case .create(let pattern, _):
            var local: Scope = [:]
            try bindPattern(pattern, &scope, creating: true, local: &local)
        case .merge(let part, let onCreate, let onMatch, _):
            var local: Scope = [:]
            try bindPattern([part], &scope, creating: true, local: &local, merge: true)
            for item in onCreate + onMatch { try checkSet(item, scope) }
        case .set(let items, _):
            for item in items { try checkSet(item, scope) }
        case .remove(let items, _):
            for item in items {
                switch item {
                case .property(let e, _): try check(e, scope)
                case .labels(let v, _, let pos): if scope[v] == nil { throw undefined(v, pos) }
                }
            }
        case .delete(let es, _, _):
            for e in es {
                try check(e, scope)
                switch e.kind {
                case .variable, .property, .index, .function: break
                default: throw Binder.err("InvalidDelete", "DELETE takes nodes, relationships or paths (a variable), not '\(e.canonical)'", e.pos)
                }
                if case .variable(let v) = e.kind, let k = scope[v], k == .value {}
            }
        case .call(let name, let args, let yields, let pred, let pos):
            try bindCall(name, args, yields, pred, pos, &scope, standalone: standalone)
        }
        return []
    }

    /// CALL: the procedure exists, the arguments fit its parameters (number, types known at
    /// compile time, no aggregation), YIELD names its outputs into new variables.
    func bindCall(_ name: String, _ args: [Expr]?, _ yields: [(String, String)]?, _ pred: Expr?, _ pos: SourcePosition,
                  _ scope: inout Scope, standalone: Bool) throws {
        guard let proc = functions.procedure(name) else {
            let known = functions.allProcedures.prefix(8).map { $0.name + "()" }.joined(separator: ", ")
            throw QueryError(.procedureError, "ProcedureNotFound",
                             "there is no procedure '\(name)'; check the spelling (known: \(known.isEmpty ? "none" : known))", at: pos)
        }
        if let args {
            if args.count != proc.parameters.count {
                throw Binder.err("InvalidNumberOfArguments", "\(proc.name) takes \(proc.parameters.count) argument(s), not \(args.count): \(proc.signature)", pos)
            }
            for (a, p) in zip(args, proc.parameters) {
                try check(a, scope)
                if a.containsAggregate {
                    throw Binder.err("InvalidAggregation", "a procedure argument cannot aggregate; aggregate in WITH first and pass the result", a.pos)
                }
                if case .literal(let v) = a.kind {
                    if v.isNull ? !p.nullable : p.type.coerce(v) == nil {
                        throw Binder.err("InvalidArgumentType", "\(proc.name) expects \(p.type) for '\(p.name)', not \(v.isNull ? "null" : v.typeName): \(proc.signature)", a.pos)
                    }
                } else {
                    let t = staticType(a, scope)
                    var known: QueryValue? = nil  // a value of the argument's static type
                    switch t {
                    case .bool: known = .bool(true)
                    case .string: known = .string("")
                    case .map: known = .map([:])
                    case .node: known = .node(0)
                    case .relationship: known = .relationship(0)
                    default: break
                    }
                    if let k = known, p.type.coerce(k) == nil {
                        throw Binder.err("InvalidArgumentType", "\(proc.name) expects \(p.type) for '\(p.name)', not '\(a.canonical)': \(proc.signature)", a.pos)
                    }
                }
            }
        } else if !standalone && !proc.parameters.isEmpty {
            throw Binder.err("InvalidArgumentPassingMode",
                             "inside a query, pass the arguments of \(proc.name) explicitly: CALL \(proc.name)(" + proc.parameters.map { "$" + $0.name }.joined(separator: ", ") + ")", pos)
        }
        guard let yields else { return }  // nothing bound (a standalone call returns every output)
        if yields.isEmpty {
            if !standalone {
                throw Binder.err("UnexpectedSyntax", "YIELD * is only allowed when CALL is the whole query; name the outputs: YIELD " + proc.outputs.map(\.name).joined(separator: ", "), pos)
            }
            return
        }
        var introduced = Set<String>()
        for (field, variable) in yields {
            guard let out = proc.outputs.first(where: { $0.name == field }) else {
                let have = proc.outputs.isEmpty ? "it yields nothing" : "it yields " + proc.outputs.map(\.name).joined(separator: ", ")
                throw Binder.err("UndefinedVariable", "\(proc.name) has no output '\(field)'; \(have)", pos)
            }
            if scope[variable] != nil || !introduced.insert(variable).inserted {
                throw Binder.err("VariableAlreadyBound", "the variable '\(variable)' is already defined; rename the output with YIELD \(field) AS another_name", pos)
            }
            switch out.type {
            case .node: scope[variable] = .node
            case .relationship: scope[variable] = .relationship
            case .path: scope[variable] = .path
            default: scope[variable] = .value
            }
        }
        if let w = pred {
            try check(w, scope, booleanContext: true)
            if w.containsAggregate { throw Binder.err("InvalidAggregation", "aggregate functions cannot be used in WHERE; aggregate in WITH first", w.pos) }
        }
    }

    /// Binds a subquery that sees the outer scope; returns the scopes before each clause.
    mutating func bindSubquery(_ q: SingleQuery, outer: Scope) throws -> [Scope] {
        var scope = outer
        var perClause: [Scope] = []
        for clause in q.clauses {
            switch clause {
            case .create(_, let pos), .merge(_, _, _, let pos), .set(_, let pos), .remove(_, let pos), .delete(_, _, let pos):
                throw Binder.err("InvalidClauseComposition", "an EXISTS subquery cannot write; move the update out of EXISTS { ... }", pos)
            default: break
            }
            perClause.append(scope)
            _ = try bindClause(clause, &scope)
        }
        return perClause
    }

    func undefined(_ v: String, _ pos: SourcePosition) -> QueryError {
        Binder.err("UndefinedVariable", "the variable '\(v)' is not defined; bind it in MATCH, WITH or UNWIND first", pos)
    }

    func checkSet(_ item: SetItem, _ scope: Scope) throws {
        switch item {
        case .property(let target, _, let v):
            try check(target, scope); try check(v, scope)
            if case .pattern = v.kind { throw Binder.err("UnexpectedSyntax", "a pattern cannot be a value here; use a pattern comprehension", v.pos) }
        case .replaceAll(let n, let v, let pos), .merge(let n, let v, let pos):
            if scope[n] == nil { throw undefined(n, pos) }
            try check(v, scope)
        case .labels(let n, _, let pos): if scope[n] == nil { throw undefined(n, pos) }
        }
    }

    mutating func bindPattern(_ pattern: Pattern, _ scope: inout Scope, creating: Bool, local: inout Scope, merge: Bool = false) throws {
        // The names the pattern adds go to `local` and join `scope` at the end: while binding,
        // `scope` is the scope before the pattern (no copy of it), `local[v] ?? scope[v]` the
        // current one.
        let before = scope
        func current(_ v: String) -> Kind? { local[v] ?? before[v] }
        var currentScope: Scope { local.isEmpty ? before : before.merging(local) }
        for part in pattern {
            if let pv = part.pathVariable {
                if part.nodes.contains(where: { $0.variable == pv }) || part.steps.contains(where: { $0.rel.variable == pv }) {
                    throw Binder.err("VariableAlreadyBound", "'\(pv)' names both the path and an element of it; choose another name", part.pos)
                }
                if current(pv) != nil { throw Binder.err(before[pv] != nil && before[pv] != .path ? "VariableTypeConflict" : "VariableAlreadyBound", "the variable '\(pv)' is already defined; choose another name for the path", part.pos) }
            }
            for i in 0..<part.nodeCount {
                let n = part.node(i)
                if let p = n.properties {
                    try check(p, creating ? currentScope : before)
                    if case .parameter = p.kind, !creating || merge { throw Binder.err("InvalidParameterUse", "a parameter cannot be used as a whole property map in MATCH or MERGE; write {key: $param.key}", p.pos) }
                }
                guard let v = n.variable else { continue }
                if let k = current(v) {
                    if k != .node && k != .value { throw Binder.err("VariableTypeConflict", "'\(v)' is not a node here; it was bound as another kind of value", n.pos) }
                    if creating && before[v] != nil && (!n.labels.isEmpty || n.properties != nil || (part.steps.isEmpty && i == 0)) {
                        throw Binder.err("VariableAlreadyBound", "'\(v)' is already bound; CREATE/MERGE can only add labels or properties to new nodes (use SET)", n.pos)
                    }
                    if creating && before[v] == nil && local[v] != nil && (!n.labels.isEmpty || n.properties != nil) {
                        throw Binder.err("VariableAlreadyBound", "'\(v)' is already declared in this pattern; repeat it without labels or properties", n.pos)
                    }
                } else { local[v] = .node }
            }
            for step in part.steps {
                let r = step.rel
                if let p = r.properties {
                    try check(p, creating ? currentScope : before)
                    if case .parameter = p.kind, !creating || merge { throw Binder.err("InvalidParameterUse", "a parameter cannot be used as a whole property map in MATCH or MERGE; write {key: $param.key}", p.pos) }
                }
                if creating {
                    if r.types.count != 1 { throw Binder.err("NoSingleRelationshipType", "a relationship created by CREATE/MERGE needs exactly one type, e.g. [:KNOWS]", r.pos) }
                    if r.range != nil { throw Binder.err("CreatingVarLength", "CREATE/MERGE cannot create variable-length relationships", r.pos) }
                    if r.direction == .both && !merge { throw Binder.err("RequiresDirectedRelationship", "a created relationship needs a direction: use -> or <-", r.pos) }
                }
                guard let v = r.variable else { continue }
                if let k = current(v) {
                    if creating { throw Binder.err("VariableAlreadyBound", "the relationship variable '\(v)' is already bound; CREATE/MERGE need a new one", r.pos) }
                    if k == .node || k == .path || k == .scalar || (k == .list && r.range == nil) { throw Binder.err("VariableTypeConflict", "'\(v)' is not a relationship here", r.pos) }
                    if local[v] != nil { throw Binder.err("RelationshipUniquenessViolation", "the relationship '\(v)' appears twice in one pattern", r.pos) }
                    if r.range != nil && k == .relationship { throw Binder.err("VariableTypeConflict", "'\(v)' is a single relationship and cannot be used as a variable-length one", r.pos) }
                } else {
                    let kind: Kind = r.range == nil ? .relationship : .relationshipList
                    local[v] = kind
                }
            }
            if let pv = part.pathVariable { local[pv] = .path }
        }
        // (the first pattern of a query: its names are the scope, no second array)
        if scope.isEmpty { scope = local } else { for (v, kind) in local { scope[v] = kind } }
    }

    func bindProjection(_ proj: Projection, _ scope: Scope, isWith: Bool) throws -> Scope {
        if proj.star && scope.isEmpty && proj.items.isEmpty && !isWith {
            throw Binder.err("NoVariablesInScope", "'*' needs at least one variable in scope", proj.pos)
        }
        var out: Scope = proj.star ? scope : [:]
        // few items: a linear search of the earlier ones beats hashing (and needs no array)
        var hasAgg = false
        for k in proj.items.indices {
            let item = proj.items[k]
            try check(item.expr, scope)
            if isWith && item.alias == nil {
                if case .variable = item.expr.kind {} else {
                    throw Binder.err("NoExpressionAlias", "the expression '\(item.text)' in WITH needs a name: add AS name", item.expr.pos)
                }
            }
            if proj.items[..<k].contains(where: { $0.name == item.name }) || (proj.star && scope[item.name] != nil) {
                throw Binder.err("ColumnNameConflict", "the column name '\(item.name)' is used twice; rename one with AS", item.expr.pos)
            }
            if case .pattern = item.expr.kind {
                throw Binder.err("UnexpectedSyntax", "a pattern cannot be a value here; use a pattern comprehension [(a)-->(b) | b] or EXISTS { ... }", item.expr.pos)
            }
            if item.expr.containsAggregate {
                hasAgg = true
                try checkAggregation(item.expr, inAggregate: false)
            }
            out[item.name] = staticKind(item.expr, scope)
        }
        // (an item that is itself an aggregate, e.g. count(*), has nothing ambiguous in it)
        if hasAgg && (proj.items.contains { !$0.expr.isAggregate && $0.expr.containsAggregate } || proj.order.contains { $0.expr.containsAggregate }) {
            // Non-aggregate parts of an aggregating item must be grouping keys (or constants).
            // only variables and property reads are grouping keys an aggregating expression may reuse
            let keys = proj.items.filter { item in
                if item.expr.containsAggregate { return false }
                switch item.expr.kind {
                case .variable: return true
                case .property(let b, _): if case .variable = b.kind { return true }; return false
                default: return false
                }
            }.map { $0.expr.canonical }
            let keyVars = Set(proj.items.compactMap { item -> String? in if case .variable(let v) = item.expr.kind { return v }; return nil })
            for item in proj.items where item.expr.containsAggregate {
                try checkAmbiguous(item.expr, keys: Set(keys), keyVars: keyVars)
            }
            let aliases = Set(proj.items.map(\.name))
            for s in proj.order where s.expr.containsAggregate && !proj.items.contains(where: { $0.expr.canonical == s.expr.canonical }) {
                try checkAmbiguous(s.expr, keys: Set(keys), keyVars: keyVars.union(aliases))
            }
        }
        // ORDER BY sees projected names plus (without DISTINCT/aggregation) the previous scope.
        if !proj.order.isEmpty { try checkOrder(proj, out, scope, hasAgg: hasAgg) }
        for k in 0..<2 {  // SKIP, LIMIT (no array of the two built)
            guard let e = k == 0 ? proj.skip : proj.limit else { continue }
            var free = Set<String>()
            e.freeVariables(into: &free)
            if !free.isEmpty || e.containsAggregate { throw Binder.err("NonConstantExpression", "SKIP and LIMIT take a constant or a parameter, not a variable", e.pos) }
            if case .literal(let v) = e.kind {
                if case .int(let i) = v, i < 0 { throw Binder.err("NegativeIntegerArgument", "SKIP and LIMIT need a number of 0 or more", e.pos) }
                if case .float = v { throw Binder.err("InvalidArgumentType", "SKIP and LIMIT need an integer", e.pos) }
            }
            if case .negate(let inner) = e.kind, case .literal(.int) = inner.kind { throw Binder.err("NegativeIntegerArgument", "SKIP and LIMIT need a number of 0 or more", e.pos) }
        }
        return out
    }

    /// ORDER BY sees the projected names plus (without DISTINCT/aggregation) the previous scope.
    func checkOrder(_ proj: Projection, _ out: Scope, _ scope: Scope, hasAgg: Bool) throws {
        var orderScope = out
        if !proj.distinct && !hasAgg { for (k, v) in scope where orderScope[k] == nil { orderScope[k] = v } }
        let itemCanon = Set(proj.items.map { $0.expr.canonical })
        for s in proj.order {
            do { try check(s.expr, orderScope) } catch var e as QueryError where e.detail == "UndefinedVariable" {
                if !itemCanon.contains(s.expr.canonical) && !(hasAgg || proj.distinct ? itemCanon.contains { s.expr.canonical.contains($0) } : false) {
                    if hasAgg || proj.distinct, let q = e.message.firstIndex(of: "'"),
                       let end = e.message[e.message.index(after: q)...].firstIndex(of: "'") {
                        let name = e.message[q...end]
                        e.message = "\(name) cannot be read here: after \(hasAgg ? "an aggregating projection" : "DISTINCT") ORDER BY sees only the columns it returns"
                            + (hasAgg && s.expr.containsAggregate ? "; return the aggregate too (… AS n) and ORDER BY n" : "; return what you sort by")
                    }
                    throw e
                }
            }
            if s.expr.containsAggregate && !hasAgg && !itemCanon.contains(s.expr.canonical) {
                throw Binder.err("InvalidAggregation", "ORDER BY cannot aggregate unless the projection aggregates", s.expr.pos)
            }
        }
    }

    func checkAggregation(_ e: Expr, inAggregate: Bool) throws {
        if e.isAggregate {
            if inAggregate { throw Binder.err("NestedAggregation", "an aggregate function cannot contain another one; aggregate in two steps with WITH", e.pos) }
            for c in e.children { try checkAggregation(c, inAggregate: true) }
            return
        }
        switch e.kind {
        case .listComprehension(_, let l, let p, let pr):
            try checkAggregation(l, inAggregate: inAggregate)
            if (p?.containsAggregate ?? false) || (pr?.containsAggregate ?? false) { throw Binder.err("InvalidAggregation", "aggregate functions cannot be used inside list comprehensions", e.pos) }
        case .quantifier(_, _, let l, let p):
            try checkAggregation(l, inAggregate: inAggregate)
            if p.containsAggregate { throw Binder.err("InvalidAggregation", "aggregate functions cannot be used inside a quantifier's predicate", e.pos) }
        case .reduce, .patternComprehension:
            if e.containsAggregate { throw Binder.err("InvalidAggregation", "aggregate functions cannot be used inside list comprehensions or quantifiers", e.pos) }
        default: for c in e.children { try checkAggregation(c, inAggregate: inAggregate) }
        }
    }

    func checkAmbiguous(_ e: Expr, keys: Set<String>, keyVars: Set<String>, local: Set<String> = []) throws {
        if e.isAggregate || keys.contains(e.canonical) { return }
        switch e.kind {
        case .listComprehension(let v, let l, let p, let pr):
            try checkAmbiguous(l, keys: keys, keyVars: keyVars, local: local)
            for x in [p, pr].compactMap({ $0 }) { try checkAmbiguous(x, keys: keys, keyVars: keyVars, local: local.union([v])) }
            return
        case .quantifier(_, let v, let l, let p):
            try checkAmbiguous(l, keys: keys, keyVars: keyVars, local: local)
            try checkAmbiguous(p, keys: keys, keyVars: keyVars, local: local.union([v]))
            return
        case .reduce(let a, let i, let v, let l, let body):
            try checkAmbiguous(i, keys: keys, keyVars: keyVars, local: local)
            try checkAmbiguous(l, keys: keys, keyVars: keyVars, local: local)
            try checkAmbiguous(body, keys: keys, keyVars: keyVars, local: local.union([a, v]))
            return
        default: break
        }
        if case .variable(let v) = e.kind, !keyVars.contains(v), !local.contains(v) {
            throw Binder.err("AmbiguousAggregationExpression", "'\(v)' is used beside an aggregate but is not a grouping key; add it to the projection", e.pos)
        }
        if case .property(let b, _) = e.kind, case .variable(let v) = b.kind, !keyVars.contains(v) {
            throw Binder.err("AmbiguousAggregationExpression", "'\(e.canonical)' is used beside an aggregate but is not a grouping key; project it as its own column", e.pos)
        }
        for c in e.children { try checkAmbiguous(c, keys: keys, keyVars: keyVars, local: local) }
    }

    /// The kind of a list's elements when the list is a literal of one simple type.
    func elementKind(_ l: Expr, _ scope: Scope) -> Kind {
        guard case .list(let items) = l.kind, !items.isEmpty else { return .value }
        let types = Set(items.map { e -> String in
            if case .literal(let v) = e.kind { return v.typeName }
            return "?"
        })
        if types == ["STRING"] { return .stringValue }
        if types == ["BOOLEAN"] { return .boolValue }
        return .value
    }

    func staticKind(_ e: Expr, _ scope: Scope) -> Kind {
        switch e.kind {
        case .variable(let v): return scope[v] ?? .value
        case .literal(let v): return v.isNull ? .value : .scalar
        case .map: return .scalar
        case .list, .listComprehension: return .list
        default: return .value
        }
    }

    /// A value's static type when the expression makes it obvious (for compile-time type errors).
    enum StaticType { case node, relationship, path, int, float, string, bool, list, map, unknown }
    func staticType(_ e: Expr, _ scope: Scope) -> StaticType {
        switch e.kind {
        case .variable(let v):
            switch scope[v] {
            case .node?: return .node; case .relationship?: return .relationship; case .path?: return .path; case .relationshipList?: return .list
            case .stringValue?: return .string; case .boolValue?: return .bool
            default: return .unknown
            }
        case .literal(let v):
            switch v { case .int: return .int; case .float: return .float; case .string: return .string; case .bool: return .bool; case .list: return .list; case .map: return .map; default: return .unknown }
        case .list, .listComprehension: return .list
        case .map: return .map
        default: return .unknown
        }
    }

    /// Checks an expression: variables defined, functions known with the right argument count,
    /// obvious type errors.
    func check(_ e: Expr, _ scope: Scope, booleanContext: Bool = false) throws {
        if booleanContext {
            let t = staticType(e, scope)
            if t != .unknown && t != .bool {
                throw Binder.err("InvalidArgumentType", "'\(e.canonical)' is not a boolean; a predicate must be true, false or null", e.pos)
            }
        }
        switch e.kind {
        case .variable(let v):
            if scope[v] == nil { throw undefined(v, e.pos) }
        case .parameter: break
        case .function(let name, _, let args):
            let lname = name.lowercased()
            for a in args { try check(a, scope) }
            if lname != "exists", let a = args.first(where: { if case .pattern = $0.kind { return true }; return false }) {
                throw Binder.err("UnexpectedSyntax", "a pattern cannot be passed to \(name)(); use a pattern comprehension [(a)-->(b) | b] instead", a.pos)
            }
            if let arity = Binder.graphFunctionArity[lname] {
                if args.count != arity { throw Binder.err("InvalidNumberOfArguments", "\(name)() takes \(arity) argument(s), not \(args.count)", e.pos) }
                if let a = args.first {
                    let t = staticType(a, scope)
                    let bad: Bool
                    switch lname {
                    case "type", "startnode", "endnode": bad = ![.relationship, .unknown].contains(t)
                    case "labels": bad = ![.node, .unknown].contains(t)
                    case "properties", "keys": bad = ![.node, .relationship, .map, .unknown].contains(t)
                    case "nodes", "relationships", "length": bad = [.node, .relationship, .int, .float, .string, .bool, .map].contains(t)
                    default: bad = false
                    }
                    if bad { throw Binder.err("InvalidArgumentType", "\(name)() cannot take '\(a.canonical)'", a.pos) }
                }
            } else if Expr.aggregateNames.contains(lname) {
                var random = false
                for a in args { a.visit { x in if case .function(let n, _, _) = x.kind, n.lowercased() == "rand" { random = true }; return true } }
                if random { throw Binder.err("NonConstantExpression", "an aggregate cannot take rand(); compute the random value in WITH first", e.pos) }
                let arity = lname.hasPrefix("percentile") ? 2 : 1
                if args.count != arity { throw Binder.err("InvalidNumberOfArguments", "\(name)() takes \(arity) argument(s), not \(args.count)", e.pos) }
            } else if let f = functions.lookup(name) {
                if lname == "size", let a = args.first {
                    if staticType(a, scope) == .path { throw Binder.err("InvalidArgumentType", "size() does not take a path; use length(p)", a.pos) }
                    if case .pattern = a.kind { throw Binder.err("InvalidArgumentType", "size() does not take a pattern; use a pattern comprehension or COUNT", a.pos) }
                }
                if !f.arity.contains(args.count) { throw Binder.err("InvalidNumberOfArguments", "\(name)() takes \(f.arity.lowerBound == f.arity.upperBound ? "\(f.arity.lowerBound)" : "\(f.arity.lowerBound) to \(f.arity.upperBound)") argument(s), not \(args.count)", e.pos) }
            } else {
                throw Binder.err("UnknownFunction", "there is no function '\(name)'; check the spelling (see docs/query.md for the list)", e.pos)
            }
        case .listComprehension(let v, let l, let p, let pr):
            try check(l, scope)
            var inner = scope; inner[v] = elementKind(l, scope)
            if let p = p { try check(p, inner) }
            if let pr = pr { try check(pr, inner) }
        case .quantifier(_, let v, let l, let p):
            try check(l, scope)
            var inner = scope; inner[v] = elementKind(l, scope)
            try check(p, inner, booleanContext: true)
        case .reduce(let a, let i, let v, let l, let body):
            try check(i, scope); try check(l, scope)
            var inner = scope; inner[v] = .value; inner[a] = .value
            try check(body, inner)
        case .patternComprehension(let pv, let part, let p, let pr):
            var inner = scope
            var local: Scope = [:]
            var b = self
            try b.bindPattern([part], &inner, creating: false, local: &local)
            if let pv = pv { inner[pv] = .path }
            if let p = p { try check(p, inner) }
            try check(pr, inner)
        case .pattern(let part):
            for n in part.nodes { if let v = n.variable, scope[v] == nil { throw Binder.err("UndefinedVariable", "a pattern used as a predicate cannot introduce the new variable '\(v)'; use EXISTS { ... } or a MATCH", n.pos) } }
            for r in part.steps.lazy.map(\.rel) { if let v = r.variable, scope[v] == nil { throw Binder.err("UndefinedVariable", "a pattern used as a predicate cannot introduce the new variable '\(v)'", r.pos) } }
            for c in e.children { try check(c, scope) }
        case .existsQuery(let q):
            var b = self
            _ = try b.bindSubquery(q, outer: scope)
        case .exists(let pat, let p):
            var inner = scope
            var local: Scope = [:]
            var b = self
            try b.bindPattern(pat, &inner, creating: false, local: &local)
            if let p = p { try check(p, inner) }
        case .mapProjection(let v, let items):
            if scope[v] == nil { throw undefined(v, e.pos) }
            for it in items {
                if case .variable(let x) = it, scope[x] == nil { throw undefined(x, e.pos) }
                if case .literal(_, let x) = it { try check(x, scope) }
            }
        case .binary(let op, let a, let b):
            switch op { case .sub, .mul, .div, .mod, .pow:
                for x in [a, b] where [.string, .bool, .map, .node, .relationship, .path].contains(staticType(x, scope)) {
                    throw Binder.err("InvalidArgumentType", "'\(op.rawValue)' needs numbers; '\(x.canonical)' is not a number", x.pos)
                }
            default: break
            }
            if op == .inList, [.int, .float, .string, .bool, .map].contains(staticType(b, scope)) {
                throw Binder.err("InvalidArgumentType", "IN needs a list on its right, not '\(b.canonical)'", b.pos)
            }
            let logical = op == .and || op == .or || op == .xor
            try check(a, scope, booleanContext: logical)
            try check(b, scope, booleanContext: logical)
        case .not(let a):
            try check(a, scope, booleanContext: true)
        case .property(let b, let key):
            try check(b, scope)
            if [.path, .int, .float, .bool, .string, .list].contains(staticType(b, scope)) {
                throw Binder.err("InvalidArgumentType", "'\(b.canonical)' has no property '\(key)'; only nodes, relationships and maps have properties", e.pos)
            }
        default:
            try e.forEachChild { try check($0, scope) }
        }
    }

    static let graphFunctionArity: [String: Int] = [
        "id": 1, "labels": 1, "type": 1, "properties": 1, "keys": 1, "startnode": 1, "endnode": 1,
        "nodes": 1, "relationships": 1, "length": 1, "exists": 1,
        "sources": 1, "confidence": 1, "validfrom": 1, "validto": 1, "grading": 1,
        "corroboration": 1, "claims": 1, "disputed": 1, "denials": 1,
    ]
}
