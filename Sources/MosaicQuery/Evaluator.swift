import Foundation
import MosaicGraph

/// Expression evaluation (three-valued logic, the language's null and type rules).
extension Executor {
    func eval(_ e: Expr, _ row: Row) throws -> QueryValue {
        switch e.kind {
        case .literal(let v): return v
        case .parameter(let n):
            guard let v = params[n] else { throw QueryError(.parameterMissing, "MissingParameter", "the parameter $\(n) was not given a value; pass it with the query", at: e.pos) }
            return v
        case .variable(let n): return row[n] ?? .null
        case .aggregateSlot(let i): return row[i < aggregateSlotNames.count ? aggregateSlotNames[i] : "\u{1}agg\(i)"] ?? .null
        case .property(let base, let key): return try property(try eval(base, row), key, e.pos)
        case .index(let base, let idx): return try index(try eval(base, row), try eval(idx, row), e.pos)
        case .slice(let base, let lo, let hi):
            let b = try eval(base, row)
            return try slice(b, try lo.map { try eval($0, row) }, try hi.map { try eval($0, row) }, e.pos)
        case .binary(let op, let a, let b): return try binary(op, a, b, row, e.pos)
        case .not(let a): return try not(try eval(a, row), e.pos)
        case .negate(let a): return try negate(try eval(a, row), e.pos)
        case .isNull(let a, let neg):
            let v = try eval(a, row)
            return .bool(v.isNull != neg)
        case .labelCheck(let a, let labels): return try labelCheck(try eval(a, row), labels, e.pos)
        case .function(let name, let distinct, let args): return try call(name, distinct, args, row, e.pos)
        case .countStar: throw QueryError(.semanticError, "InvalidAggregation", "count(*) can only be used in RETURN or WITH", at: e.pos)
        case .caseExpr(let subject, let whens, let otherwise):
            if let s = subject {
                let sv = try eval(s, row)
                for (w, t) in whens where sv.equals(try eval(w, row)) == true { return try eval(t, row) }
            } else {
                for (w, t) in whens where try eval(w, row) == .bool(true) { return try eval(t, row) }
            }
            return try otherwise.map { try eval($0, row) } ?? .null
        case .list(let items): return .list(try items.map { try eval($0, row) })
        case .map(let entries):
            var m: [String: QueryValue] = [:]
            for x in entries { m[x.key] = try eval(x.value, row) }
            return .map(m)
        case .listComprehension(let v, let l, let pred, let proj):
            guard let list = try iterated(try eval(l, row), "a list comprehension", l.pos) else { return .null }
            var out: [QueryValue] = []
            var r = row
            for x in list {
                try tick()
                r[v] = x
                if let p = pred, try eval(p, r) != .bool(true) { continue }
                out.append(try proj.map { try eval($0, r) } ?? x)
                if out.count & 0x3FF == 0 { try checkValue(out.count * QueryMemory.valueBytes, "a list of \(out.count) values", e.pos) }
            }
            return .list(out)
        case .quantifier(let q, let v, let l, let pred):
            guard let list = try iterated(try eval(l, row), "\(q.rawValue)()", l.pos) else { return .null }
            var tally = QuantifierTally()
            var r = row
            for x in list {
                r[v] = x
                try tally.add(try eval(pred, r), q, pred.pos)
            }
            return tally.result(q, of: list.count)
        case .reduce(let acc, let initial, let v, let l, let body):
            var a = try eval(initial, row)
            guard let list = try iterated(try eval(l, row), "reduce()", l.pos) else { return .null }
            var r = row
            // a body that wraps the accumulator nests it a level an iteration: checked now and then
            let nests = list.count > 64 && body.mayNestValues
            for (i, x) in list.enumerated() {
                try tick(); r[acc] = a; r[v] = x; a = try eval(body, r)
                if nests, i & 63 == 63 { try checkReduceNesting(a, e.pos) }
            }
            return a
        case .pattern(let part):
            var found = false
            let saved = usedRels; usedRels = []
            let savedSink = countSink, savedGrouped = groupedCountSink; countSink = nil; groupedCountSink = nil
            defer { usedRels = saved; countSink = savedSink; groupedCountSink = savedGrouped }
            do {
                try matchPart(part, nil, row) { _ in found = true; throw StopMatching() }
            } catch is StopMatching {}
            return .bool(found)
        case .exists(let pattern, let pred):
            var found = false
            let saved = usedRels; usedRels = []
            let savedSink = countSink, savedGrouped = groupedCountSink; countSink = nil; groupedCountSink = nil
            defer { usedRels = saved; countSink = savedSink; groupedCountSink = savedGrouped }
            if let one = try existsOneHop(pattern, pred, row) { return .bool(one) }
            do {
                try matchParts(pattern, nil, 0, row) { r in
                    if let p = pred, try eval(p, r) != .bool(true) { return }
                    found = true; throw StopMatching()
                }
            } catch is StopMatching {}
            return .bool(found)
        case .existsQuery(let q):
            let plan: QueryPlan
            if let cached = subqueryPlans[e.pos.offset], row.hasNames(cached.names) {
                plan = cached.plan
            } else {
                var b = Binder(functions: functions)
                let scopes = try b.bindSubquery(q, outer: Binder.Scope(names: row.keys, value: .value))
                plan = Planner.plan(QueryAST(parts: [q], unionAll: []), scopes: [scopes], describe: false)
                subqueryPlans[e.pos.offset] = (Array(row.keys), plan)
            }
            let sub = Executor(graph: graph, parameters: params, functions: functions, plan: plan,
                               limits: QueryLimits(maxSteps: stepLimit - steps, timeout: timeout.map { max(0, $0 - Date().timeIntervalSince(startTime)) },
                                                   maxMemory: memoryLimit - memoryUsed, isCancelled: isCancelled))
            let r = try sub.runSingle(q, 0, initial: row)
            steps += sub.steps
            return .bool(r.finalCount > 0)
        case .patternComprehension(let pv, let part, let pred, let proj):
            var out: [QueryValue] = []
            var p = part; p.pathVariable = pv ?? part.pathVariable
            let saved = usedRels; usedRels = []
            let savedSink = countSink, savedGrouped = groupedCountSink; countSink = nil; groupedCountSink = nil
            defer { usedRels = saved; countSink = savedSink; groupedCountSink = savedGrouped }
            try matchPart(p, nil, row) { r in
                if let w = pred, try eval(w, r) != .bool(true) { return }
                out.append(try eval(proj, r))
                if out.count & 0x3FF == 0 { try checkValue(out.count * QueryMemory.valueBytes, "a list of \(out.count) values", e.pos) }
            }
            return .list(out)
        case .mapProjection(let v, let items):
            let base = row[v] ?? .null
            if base.isNull { return .null }
            var m: [String: QueryValue] = [:]
            for it in items {
                switch it {
                case .property(let k): m[k] = try property(base, k, e.pos)
                case .allProperties: try addAllProperties(of: base, to: &m, e.pos)
                case .variable(let x): m[x] = row[x] ?? .null
                case .literal(let k, let ex): m[k] = try eval(ex, row)
                }
            }
            return .map(m)
        }
    }

    /// A map projection's `.*`: every property of a node, relationship or map.
    func addAllProperties(of base: QueryValue, to m: inout [String: QueryValue], _ pos: SourcePosition) throws {
        switch base {
        case .node(let n): for (k, x) in graph.nodeProperties(n) { m[k] = x }
        case .relationship(let r): for (k, x) in graph.relationshipProperties(r) { m[k] = x }
        case .map(let mm): for (k, x) in mm { m[k] = x }
        default: throw QueryError.type("map projection needs a node, relationship or map, not \(base.typeName)", pos)
        }
    }

    struct StopMatching: Error {}

    /// The list a comprehension, quantifier or reduce (`what`) iterates over; nil when it is
    /// null (the whole expression is then null).
    func iterated(_ v: QueryValue, _ what: @autoclosure () -> String, _ pos: SourcePosition) throws -> [QueryValue]? {
        switch v {
        case .null: return nil
        case .list(let list): return list
        default: throw QueryError.type("\(what()) needs a list, not \(v.typeName)", pos)
        }
    }

    /// reduce()'s accumulator nested too deep (checked every 64 iterations of a body that may nest it).
    func checkReduceNesting(_ a: QueryValue, _ pos: SourcePosition) throws {
        if a.nestsDeeper(than: QueryNesting.maxDepth) {
            throw QueryError(.resourceLimit, "NestingTooDeep", "reduce() nested its value more than \(QueryNesting.maxDepth) lists or maps deep; build a flat list instead (acc + [x], not [acc, x])", at: pos, phase: .runtime)
        }
    }

    func negate(_ v: QueryValue, _ pos: SourcePosition) throws -> QueryValue {
        switch v {
        case .int(let i):
            let (r, o) = (0).subtractingReportingOverflow(i)
            if o { throw QueryError.argument("NumberOutOfRange", "-(\(i)) does not fit in a 64-bit integer", pos) }
            return .int(r)
        case .float(let f): return .float(-f)
        case .null: return .null
        case let v: throw QueryError.type("unary minus needs a number, not \(v.typeName)", pos)
        }
    }

    /// `b[l..h]`, either bound missing (nil) or negative (from the end).
    func slice(_ b: QueryValue, _ l: QueryValue?, _ h: QueryValue?, _ pos: SourcePosition) throws -> QueryValue {
        if b.isNull || l?.isNull == true || h?.isNull == true { return .null }
        guard case .list(let list) = b else { throw QueryError.type("only lists can be sliced, not \(b.typeName)", pos) }
        func bound(_ v: QueryValue?, _ dflt: Int) throws -> Int {
            guard let v = v else { return dflt }
            guard case .int(let i) = v else { throw QueryError.type("list slice bounds must be integers, not \(v.typeName)", pos) }
            let j = i < 0 ? list.count + i : i
            return max(0, min(list.count, j))
        }
        let a = try bound(l, 0), z = try bound(h, list.count)
        return a < z ? .list(Array(list[a..<z])) : .list([])
    }

    func property(_ b: QueryValue, _ key: String, _ pos: SourcePosition) throws -> QueryValue {
        switch b {
        case .null: return .null
        case .node(let n):
            if deletedNodes.contains(n) { throw QueryError(.entityNotFound, "DeletedEntityAccess", "the node was deleted by this query; read its properties before DELETE", at: pos, phase: .runtime) }
            return graph.nodeProperty(n, key)
        case .relationship(let r):
            if deletedRels.contains(r) { throw QueryError(.entityNotFound, "DeletedEntityAccess", "the relationship was deleted by this query; read its properties before DELETE", at: pos, phase: .runtime) }
            return graph.relationshipProperty(r, key)
        case .map(let m): return m[key] ?? .null
        case .date(let d):
            switch key {
            case "year": return .int(d.year)
            case "month": return d.month.map { .int($0) } ?? .null
            case "day": return d.day.map { .int($0) } ?? .null
            case "hour": return d.precision >= .minute ? .int(d.secondOfDay / 3600) : .null
            case "minute": return d.precision >= .minute ? .int(d.secondOfDay / 60 % 60) : .null
            case "second": return d.precision >= .second ? .int(d.secondOfDay % 60) : .null
            case "precision": return .string(d.precision.name)
            case "timezone", "offset", "offsetMinutes", "offsetSeconds", "epochSeconds", "epochMillis", "millisecond", "microsecond", "nanosecond":
                guard d.precision >= .minute else { return .null }
                let t = TemporalValue(kind: .dateTime, epochDay: d.dayNumber, nanoOfDay: Int64(d.secondOfDay) * TemporalValue.nanosPerSecond,
                                      offsetSeconds: Int(d.offsetMinutes) * 60)
                return t.component(key) ?? .null
            default:
                // week, quarter, ordinal fields of a day-precision date
                guard d.precision >= .day else { return .null }
                return TemporalValue.dateComponent(d.dayNumber, key) ?? .null
            }
        case .duration(let d): return d.component(key) ?? .null
        case .temporal(let t): return t.component(key) ?? .null
        default: throw QueryError.type("cannot read property '\(key)' of \(b.typeName); only nodes, relationships and maps have properties", pos)
        }
    }

    func index(_ b: QueryValue, _ i: QueryValue, _ pos: SourcePosition) throws -> QueryValue {
        if b.isNull || i.isNull { return .null }
        switch (b, i) {
        case let (.list(l), .int(k)):
            let j = k < 0 ? l.count + k : k
            return j >= 0 && j < l.count ? l[j] : .null
        case (.list, _): throw QueryError.type("a list index must be an integer, not \(i.typeName)", pos)
        case let (.map, .string(k)), let (.node, .string(k)), let (.relationship, .string(k)): return try property(b, k, pos)
        case (.map, _), (.node, _), (.relationship, _): throw QueryError.type("a map key must be a string, not \(i.typeName)", pos, detail: "MapElementAccessByNonString")
        default: throw QueryError.type("cannot index into \(b.typeName); only lists and maps can be indexed", pos)
        }
    }

    func binary(_ op: BinaryOp, _ ae: Expr, _ be: Expr, _ row: Row, _ pos: SourcePosition) throws -> QueryValue {
        switch op {
        case .and, .or, .xor:
            // both sides are evaluated (and type-checked) whatever the first one is
            let a = try truth(op, eval(ae, row), pos)
            return logical(op, a, try truth(op, eval(be, row), pos))
        default: return try binaryValues(op, try eval(ae, row), try eval(be, row), pos)
        }
    }

    /// NOT of a value (three-valued).
    func not(_ v: QueryValue, _ pos: SourcePosition) throws -> QueryValue {
        switch v {
        case .bool(let x): return .bool(!x)
        case .null: return .null
        default: throw QueryError.type("NOT needs a boolean, not \(v.typeName)", pos)
        }
    }

    /// `v:Label1:Label2` of a value.
    func labelCheck(_ v: QueryValue, _ labels: [String], _ pos: SourcePosition) throws -> QueryValue {
        switch v {
        case .node(let n): return .bool(labels.allSatisfy { graph.hasLabel(n, $0) })
        case .relationship(let r): let t = relationshipType(r); return .bool(labels.allSatisfy { $0 == t })
        case .null: return .null
        default: throw QueryError.type("labels can only be checked on nodes, not \(v.typeName)", pos)
        }
    }

    /// An operand of AND, OR or XOR as a truth value (nil: null).
    @inline(__always) func truth(_ op: BinaryOp, _ v: QueryValue, _ pos: SourcePosition) throws -> Bool? {
        switch v { case .bool(let b): return b; case .null: return nil; default: throw QueryError.type("\(op.rawValue) needs booleans, not \(v.typeName)", pos) }
    }

    /// AND, OR or XOR of two truth values (three-valued).
    @inline(__always) func logical(_ op: BinaryOp, _ a: Bool?, _ b: Bool?) -> QueryValue {
        switch op {
        case .and: return a == false || b == false ? .bool(false) : (a == nil || b == nil) ? .null : .bool(true)
        case .or: return a == true || b == true ? .bool(true) : (a == nil || b == nil) ? .null : .bool(false)
        default: guard let x = a, let y = b else { return .null }; return .bool(x != y)
        }
    }

    /// A binary operator other than AND, OR and XOR applied to two values.
    func binaryValues(_ op: BinaryOp, _ a: QueryValue, _ b: QueryValue, _ pos: SourcePosition) throws -> QueryValue {
        switch op {
        case .eq: return a.equals(b).map { .bool($0) } ?? .null
        case .neq: return a.equals(b).map { .bool(!$0) } ?? .null
        case .lt, .gt, .le, .ge:
            if let x = a.asDouble, let y = b.asDouble, x.isNaN || y.isNaN { return .bool(false) }
            guard let c = a.compare(b) else { return .null }
            return .bool(op == .lt ? c < 0 : op == .gt ? c > 0 : op == .le ? c <= 0 : c >= 0)
        case .startsWith, .endsWith, .contains:
            guard case .string(let x) = a, case .string(let y) = b else { return .null }
            return .bool(op == .startsWith ? x.hasPrefix(y) : op == .endsWith ? x.hasSuffix(y) : (y.isEmpty || x.contains(y)))
        case .regex:
            guard case .string(let x) = a, case .string(let y) = b else { return .null }
            let re: NSRegularExpression
            if let cached = regexes[y] { re = cached } else {
                guard let compiled = try? NSRegularExpression(pattern: "^(?:" + y + ")$", options: [.dotMatchesLineSeparators]) else {
                    throw QueryError.argument("InvalidRegex", "'\(y)' is not a valid regular expression", pos)
                }
                if regexes.count >= 64 { regexes.removeAll(keepingCapacity: true) }
                regexes[y] = compiled
                re = compiled
            }
            return .bool(re.firstMatch(in: x, range: NSRange(x.startIndex..., in: x)) != nil)
        case .inList:
            if b.isNull { return .null }
            guard case .list(let l) = b else { throw QueryError.type("IN needs a list on its right, not \(b.typeName)", pos) }
            var sawNull = false
            for x in l {
                switch a.equals(x) { case true?: return .bool(true); case nil: sawNull = true; default: break }
            }
            return sawNull ? .null : .bool(false)
        default:
            return try arithmetic(op, a, b, pos)
        }
    }

    func arithmetic(_ op: BinaryOp, _ a: QueryValue, _ b: QueryValue, _ pos: SourcePosition) throws -> QueryValue {
        if a.isNull || b.isNull { return .null }
        switch (op, a, b) {
        case let (.add, .date(d), .duration(u)), let (.add, .duration(u), .date(d)):
            guard let r = u.added(to: d) else { throw QueryError.argument("InvalidArgumentValue", "the date moved out of range", pos) }
            return .date(r)
        case let (.sub, .date(d), .duration(u)):
            guard let r = u.negated.added(to: d) else { throw QueryError.argument("InvalidArgumentValue", "the date moved out of range", pos) }
            return .date(r)
        case let (.add, .duration(x), .duration(y)), let (.sub, .duration(x), .duration(y)):
            guard let r = x.adding(op == .add ? y : y.negated) else { throw QueryError.argument("NumberOutOfRange", "the duration is too large", pos) }
            return .duration(r)
        case let (.add, .temporal(t), .duration(u)), let (.add, .duration(u), .temporal(t)):
            guard let r = TemporalFunctions.add(t, u) else { throw QueryError.argument("InvalidArgumentValue", "the \(t.kind.functionName) moved out of range", pos) }
            return .temporal(r)
        case let (.sub, .temporal(t), .duration(u)):
            guard let r = TemporalFunctions.add(t, u.negated) else { throw QueryError.argument("InvalidArgumentValue", "the \(t.kind.functionName) moved out of range", pos) }
            return .temporal(r)
        case let (.mul, .duration(u), n), let (.mul, n, .duration(u)):
            guard let f = n.asDouble else { throw QueryError.type("a duration can be multiplied by a number only, not \(n.typeName)", pos) }
            guard let r = TemporalFunctions.scale(u, by: f) else { throw QueryError.argument("NumberOutOfRange", "the duration is too large", pos) }
            return .duration(r)
        case let (.div, .duration(u), n):
            guard let f = n.asDouble else { throw QueryError.type("a duration can be divided by a number only, not \(n.typeName)", pos) }
            if f == 0 { throw QueryError.argument("DivisionByZero", "division of a duration by zero", pos) }
            guard let r = TemporalFunctions.scale(u, by: 1 / f) else { throw QueryError.argument("NumberOutOfRange", "the duration is too large", pos) }
            return .duration(r)
        case let (.sub, .date(x), .date(y)): return .duration(QueryDuration(days: y.days(to: x)))
        default: break
        }
        if op == .add {
            switch (a, b) {
            case let (.list(x), .list(y)):
                try checkValue((x.count + y.count) * QueryMemory.valueBytes, "a list of \(x.count + y.count) values", pos)
                return .list(x + y)
            case let (.list(x), y):
                try checkValue((x.count + 1) * QueryMemory.valueBytes, "a list of \(x.count + 1) values", pos)
                return .list(x + [y])
            case let (x, .list(y)):
                try checkValue((y.count + 1) * QueryMemory.valueBytes, "a list of \(y.count + 1) values", pos)
                return .list([x] + y)
            case let (.string(x), .string(y)):
                try checkValue(x.utf8.count + y.utf8.count, "a string of \(QueryLimits.describe(bytes: x.utf8.count + y.utf8.count))", pos)
                return .string(x + y)
            case let (.string(x), .int(y)): return .string(x + String(y))
            case let (.int(x), .string(y)): return .string(String(x) + y)
            case let (.string(x), .float(y)): return .string(x + formatFloat(y))
            case let (.float(x), .string(y)): return .string(formatFloat(x) + y)
            default: break
            }
        }
        switch (a, b) {
        case let (.int(x), .int(y)):
            let r: (Int, Bool)
            switch op {
            case .add: r = x.addingReportingOverflow(y)
            case .sub: r = x.subtractingReportingOverflow(y)
            case .mul: r = x.multipliedReportingOverflow(by: y)
            case .div:
                if y == 0 { throw QueryError.argument("DivisionByZero", "division by zero; check the divisor first (CASE WHEN d = 0 ...)", pos) }
                r = x.dividedReportingOverflow(by: y)
            case .mod:
                if y == 0 { throw QueryError.argument("DivisionByZero", "modulo by zero", pos) }
                r = x.remainderReportingOverflow(dividingBy: y)
            case .pow: return .float(Foundation.pow(Double(x), Double(y)))
            default: r = (0, false)
            }
            if r.1 { throw QueryError.argument("NumberOutOfRange", "the result of \(x) \(op.rawValue) \(y) does not fit in a 64-bit integer", pos) }
            return .int(r.0)
        default:
            guard let x = a.asDouble, let y = b.asDouble else {
                var hint = ""
                switch (op, a, b) {
                case (.sub, .temporal, .temporal), (.sub, .temporal, .date), (.sub, .date, .temporal):
                    hint = "; the time between two temporal values is duration.between(a, b)"
                case (.add, .temporal, .temporal), (.add, .date, .temporal), (.add, .temporal, .date):
                    hint = "; add a duration to a temporal value (x + duration('PT1H'))"
                default: break
                }
                throw QueryError.type("cannot apply \(op.rawValue) to \(a.typeName) and \(b.typeName)\(hint)", pos)
            }
            switch op {
            case .add: return .float(x + y)
            case .sub: return .float(x - y)
            case .mul: return .float(x * y)
            case .div: return .float(x / y)
            case .mod: return .float(fmod(x, y))
            case .pow: return .float(Foundation.pow(x, y))
            default: return .null
            }
        }
    }

    func call(_ name: String, _ distinct: Bool, _ argExprs: [Expr], _ row: Row, _ pos: SourcePosition) throws -> QueryValue {
        // the call site is resolved on its first evaluation (see CallSite)
        let site = callSite(name, argExprs, pos)
        if let v = site.folded { return v }
        switch site.target {
        case .aggregate:
            throw QueryError(.semanticError, "InvalidAggregation", "\(name)() aggregates and can only be used in RETURN or WITH", at: pos)
        case .exists:
            if let a = argExprs.first {
                if case .pattern = a.kind { return try eval(a, row) }
                return .bool(!(try eval(a, row)).isNull)
            }
        default: break
        }
        if case .graph(let g) = site.target {
            // the graph functions take one argument: no array for it unless the registry is asked
            guard argExprs.count == 1 else { return try registryCall(site, name, try argExprs.map { try eval($0, row) }, pos) }
            return try graphCall(g, site, try eval(argExprs[0], row), pos)
        }
        return try registryCallChecked(site, try argExprs.map { try eval($0, row) }, pos)
    }

    /// A graph function of one argument (the registry's function of the name when it declines).
    @inline(__always) func graphCall(_ g: GraphFunction, _ site: CallSite, _ a: QueryValue, _ pos: SourcePosition) throws -> QueryValue {
        if let v = try graphFunction(g, site.lowerName, a, pos) { return v }
        return try registryCall(site, site.name, [a], pos)
    }

    /// A registry function's call, its result's size checked first where it can be far
    /// larger than its arguments (range, replace).
    func registryCallChecked(_ site: CallSite, _ args: [QueryValue], _ pos: SourcePosition) throws -> QueryValue {
        if site.lowerName == "range" || site.lowerName == "replace" { try checkResultSize(site.lowerName, args, pos) }
        return try registryCall(site, site.name, args, pos)
    }

    /// range() and replace() results must fit the memory budget: checked before they are built.
    func checkResultSize(_ name: String, _ args: [QueryValue], _ pos: SourcePosition) throws {
        if name == "range", args.count >= 2, case .int(let a) = args[0], case .int(let b) = args[1] {
            var step = 1
            if args.count > 2, case .int(let s) = args[2] { step = s }
            guard step != 0 else { return }
            let (span, o) = b.subtractingReportingOverflow(a)
            // (span / step + 1 overflows for range(0, 9223372036854775807), and Int.min / -1
            // traps: both are counted as Int.max values, refused below; found by mosaic-fuzz)
            let (quotient, o1) = span.dividedReportingOverflow(by: step)
            let count = o || o1 ? Int.max : quotient < 0 ? 0 : quotient == Int.max ? Int.max : quotient + 1
            let (bytes, o2) = count.multipliedReportingOverflow(by: QueryMemory.valueBytes)
            try checkValue(o2 ? Int.max : bytes, "range() of \(o ? "more than \(Int.max)" : String(count)) values", pos)
        } else if name == "replace", args.count == 3, case .string(let s) = args[0], case .string(let f) = args[1], case .string(let r) = args[2] {
            // at most one replacement per occurrence: an upper bound, counted exactly only when large
            let n = s.utf8.count, fl = f.utf8.count, rl = r.utf8.count
            guard rl > fl else { return }
            var bound = n + (fl == 0 ? n + 1 : n / fl) * (rl - fl)
            if bound > memoryLimit &- memoryUsed, fl > 0 {
                var count = 0
                var rest = s[...]
                while let range = rest.range(of: f) { count += 1; rest = rest[range.upperBound...] }
                bound = n + count * (rl - fl)
            }
            try checkValue(bound, "replace() making a string of \(QueryLimits.describe(bytes: bound))", pos)
        }
    }

    /// A call of the registry's function (after a graph function declined, or directly).
    func registryCall(_ site: CallSite, _ name: String, _ args: [QueryValue], _ pos: SourcePosition) throws -> QueryValue {
        guard let f = site.function else {
            throw QueryError(.syntaxError, "UnknownFunction", "there is no function '\(name)'", at: pos)
        }
        if f.nullInNullOut && args.contains(where: \.isNull) { return .null }
        let v: QueryValue
        do { v = try f.body(args, functionContext) } catch var e as QueryError {
            if e.position == nil { e.position = pos }
            throw e
        }
        if site.foldable { site.folded = v }
        return v
    }

    /// The functions that read the graph: id, labels, type, properties, keys, nodes, ...
    /// and Mosaic's statement-metadata extensions. nil: not for these arguments (the
    /// registry's function of the same name, if any, is tried).
    func graphFunction(_ fn: GraphFunction, _ name: String, _ a: QueryValue, _ pos: SourcePosition) throws -> QueryValue? {
        func bad(_ wanted: String) -> QueryError { QueryError.type("\(name)() needs \(wanted), not \(a.typeName)", pos) }
        switch fn {
        case .id:
            switch a {
            case .node(let n): return .int(n)
            case .relationship(let r):
                // On a Mosaic graph a relationship's id is its statement id (what `mosaic why` takes).
                if case .int(let statement) = graph.relationshipMetadata(r, "statement") { return .int(statement) }
                return .int(r)
            case .null: return .null
            default: throw bad("a node or relationship")
            }
        case .labels:
            switch a {
            case .node(let n):
                if deletedNodes.contains(n) { throw QueryError(.entityNotFound, "DeletedEntityAccess", "the node was deleted by this query", at: pos, phase: .runtime) }
                return .list(graph.labels(of: n).map { .string($0) })
            case .null: return .null
            default: throw bad("a node")
            }
        case .type:
            switch a { case .relationship(let r): return .string(relationshipType(r)); case .null: return .null; default: throw bad("a relationship") }
        case .properties:
            switch a {
            case .node(let n): return .map(Dictionary(graph.nodeProperties(n), uniquingKeysWith: { $1 }))
            case .relationship(let r): return .map(Dictionary(graph.relationshipProperties(r), uniquingKeysWith: { $1 }))
            case .map: return a
            case .null: return .null
            default: throw bad("a node, relationship or map")
            }
        case .keys:
            switch a {
            case .node(let n): return .list(graph.nodeProperties(n).map { .string($0.0) })
            case .relationship(let r): return .list(graph.relationshipProperties(r).map { .string($0.0) })
            case .map(let m): return .list(m.keys.sorted().map { .string($0) })
            case .null: return .null
            default: throw bad("a node, relationship or map")
            }
        case .startNode, .endNode:
            switch a {
            case .relationship(let r): let (s, e) = graph.endpoints(r); return .node(name == "startnode" ? s : e)
            case .null: return .null
            default: throw bad("a relationship")
            }
        case .nodes:
            switch a { case .path(let p): return .list(p.nodes.map { .node($0) }); case .null: return .null; default: throw bad("a path") }
        case .relationships:
            switch a { case .path(let p): return .list(p.relationships.map { .relationship($0) }); case .null: return .null; default: throw bad("a path") }
        case .length:
            switch a {
            case .path(let p): return .int(p.relationships.count)
            case .null: return .null
            default: throw bad("a path")
            }
        case .size:
            if case .path = a { throw bad("a list or string") }
            return nil
        case .metadata(let key):
            switch a {
            case .relationship(let r): return graph.relationshipMetadata(r, key)
            case .null: return .null
            default: throw bad("a relationship")
            }
        }
    }
}

/// What all(), any(), none() and single() have seen of their predicate: how many elements
/// it was true and null for (the rest were false). Shared by the evaluator and SlotExpr.
struct QuantifierTally {
    var trues = 0, nulls = 0

    mutating func add(_ v: QueryValue, _ q: QuantifierKind, _ pos: SourcePosition) throws {
        switch v {
        case .bool(true): trues += 1
        case .bool(false): break
        case .null: nulls += 1
        case let other: throw QueryError.type("the predicate of \(q.rawValue)() must be a boolean, not \(other.typeName)", pos)
        }
    }

    func result(_ q: QuantifierKind, of count: Int) -> QueryValue {
        let falses = count - trues - nulls
        switch q {
        case .all: return falses > 0 ? .bool(false) : nulls > 0 ? .null : .bool(true)
        case .any: return trues > 0 ? .bool(true) : nulls > 0 ? .null : .bool(false)
        case .none: return trues > 0 ? .bool(false) : nulls > 0 ? .null : .bool(true)
        case .single: return trues > 1 ? .bool(false) : nulls > 0 ? .null : .bool(trues == 1)
        }
    }
}
