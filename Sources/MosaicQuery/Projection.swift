import Foundation

/// WITH / RETURN: projection, grouping and aggregation, DISTINCT, ORDER BY, SKIP, LIMIT.
extension Executor {
    func project(_ proj: Projection, _ rows: [Row], _ cp: ClausePlan, keepMerged: Bool = false) throws -> (rows: [Row], columns: [String], merged: [Row]) {
        var items = proj.items
        if proj.star {
            let names = Set(rows.first.map { Array($0.keys) } ?? Array(cp.starNames))
            let starItems = names.union(cp.starNames).filter { !$0.hasPrefix("\u{1}") }.sorted().map {
                ProjectionItem(expr: Expr(.variable($0), proj.pos), alias: nil, text: $0)
            }
            items = starItems + items
        }
        let columns = items.map(\.name)
        let hasAgg = items.contains { $0.expr.containsAggregate }
        // (projected row, row for ORDER BY)
        var projected: [(out: Row, sortRow: Row)] = []
        var orderExprs = proj.order.map(\.expr)

        if !hasAgg {
            for row in rows {
                try tick()
                var out: Row = [:]
                for it in items { out[it.name] = try eval(it.expr, row) }
                projected.append((out, proj.order.isEmpty && !keepMerged ? [:] : row.merging(out) { $1 }))
            }
        } else {
            var aggs: [Expr] = []
            func extract(_ e: Expr) -> Expr {
                e.rewrite { sub in
                    guard sub.isAggregate else { return nil }
                    if let i = aggs.firstIndex(where: { $0.canonical == sub.canonical }) { return Expr(.aggregateSlot(i), sub.pos) }
                    aggs.append(sub)
                    return Expr(.aggregateSlot(aggs.count - 1), sub.pos)
                }
            }
            let rewritten = items.map { extract($0.expr) }
            // ORDER BY may repeat an aggregate of the projection or use a new one
            orderExprs = orderExprs.map { extract($0) }
            let keyIdx = items.indices.filter { !items[$0].expr.containsAggregate }
            var groups: [GroupKeys: Int] = [:]
            var groupRows: [[Row]] = []
            var groupKeys: [[QueryValue]] = []
            for row in rows {
                try tick()
                let k = try keyIdx.map { try eval(items[$0].expr, row) }
                let gk = GroupKeys(values: k)
                if let g = groups[gk] { groupRows[g].append(row) } else {
                    groups[gk] = groupRows.count; groupRows.append([row]); groupKeys.append(k)
                }
            }
            if groupRows.isEmpty && keyIdx.isEmpty { groupRows = [[]]; groupKeys = [[]] }
            for (g, members) in groupRows.enumerated() {
                var base = members.first ?? [:]
                for (i, a) in aggs.enumerated() { base["\u{1}agg\(i)"] = try aggregate(a, members) }
                var out: Row = [:]
                for (j, i) in keyIdx.enumerated() { out[items[i].name] = groupKeys[g][j] }
                for i in items.indices where !keyIdx.contains(i) { out[items[i].name] = try eval(rewritten[i], base) }
                projected.append((out, base.merging(out) { $1 }))
            }
        }

        if proj.distinct {
            var seen = Set<GroupKeys>()
            projected = projected.filter { p in seen.insert(GroupKeys(values: columns.map { c in p.out[c] ?? .null })).inserted }
        }
        if !proj.order.isEmpty {
            // ORDER BY an expression that a projection item computes refers to that column.
            let canon = Dictionary(items.map { ($0.expr.canonical, $0.name) }, uniquingKeysWith: { a, _ in a })
            let sortExprs = orderExprs.map { e in
                e.rewrite { sub in
                    if case .variable = sub.kind { return nil }
                    return canon[sub.canonical].map { Expr(.variable($0), sub.pos) }
                }
            }
            var keyed = try projected.map { p in (p, try sortExprs.map { try eval($0, p.sortRow) }) }
            let asc = proj.order.map(\.ascending)
            // stable sort
            keyed = keyed.enumerated().sorted { l, r in
                for (i, a) in asc.enumerated() {
                    let c = l.element.1[i].orderCompare(r.element.1[i])
                    if c != 0 { return a ? c < 0 : c > 0 }
                }
                return l.offset < r.offset
            }.map(\.element)
            projected = keyed.map(\.0)
        }
        if let s = proj.skip {
            let n = try countArgument(s, "SKIP")
            projected = Array(projected.dropFirst(n))
        }
        if let l = proj.limit {
            let n = try countArgument(l, "LIMIT")
            projected = Array(projected.prefix(n))
        }
        return (projected.map(\.out), columns, keepMerged ? projected.map(\.sortRow) : [])
    }

    func countArgument(_ e: Expr, _ what: String) throws -> Int {
        let v = try eval(e, [:])
        switch v {
        case .int(let i):
            if i < 0 { throw QueryError(.syntaxError, "NegativeIntegerArgument", "\(what) needs a number of 0 or more, not \(i)", at: e.pos, phase: .runtime) }
            return i
        case .float(let f) where f == f.rounded() && false: return Int(f)
        default: throw QueryError(.syntaxError, "InvalidArgumentType", "\(what) needs an integer, not \(v.typeName)", at: e.pos, phase: .runtime)
        }
    }

    /// Computes one aggregate over the rows of a group.
    func aggregate(_ a: Expr, _ rows: [Row]) throws -> QueryValue {
        if case .countStar = a.kind { return .int(rows.count) }
        guard case .function(let name, let distinct, let args) = a.kind else { return .null }
        let lname = name.lowercased()
        var values: [QueryValue] = []
        values.reserveCapacity(rows.count)
        for r in rows {
            let v = try eval(args[0], r)
            if !v.isNull { values.append(v) }
        }
        if distinct {
            var seen = Set<GroupKey>()
            values = values.filter { seen.insert(GroupKey($0)).inserted }
        }
        switch lname {
        case "count": return .int(values.count)
        case "collect": return .list(values)
        case "sum":
            var isum = 0, fsum = 0.0, isFloat = false
            for v in values {
                switch v {
                case .int(let i):
                    let (s, o) = isum.addingReportingOverflow(i)
                    if o { throw QueryError.argument("NumberOutOfRange", "sum() overflowed a 64-bit integer", a.pos) }
                    isum = s
                case .float(let f): fsum += f; isFloat = true
                default: throw QueryError.type("sum() needs numbers, not \(v.typeName)", a.pos)
                }
            }
            return isFloat ? .float(fsum + Double(isum)) : .int(isum)
        case "avg":
            if values.isEmpty { return .null }
            var s = 0.0
            for v in values { guard let d = v.asDouble else { throw QueryError.type("avg() needs numbers, not \(v.typeName)", a.pos) }; s += d }
            return .float(s / Double(values.count))
        case "min", "max":
            guard var best = values.first else { return .null }
            for v in values.dropFirst() {
                let c = v.orderCompare(best)
                if lname == "min" ? c < 0 : c > 0 { best = v }
            }
            return best
        case "stdev", "stdevp":
            let ds = try values.map { v -> Double in guard let d = v.asDouble else { throw QueryError.type("\(name)() needs numbers", a.pos) }; return d }
            let n = Double(ds.count)
            if ds.count < (lname == "stdev" ? 2 : 1) { return .float(0) }
            let mean = ds.reduce(0, +) / n
            let ss = ds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return .float(sqrt(ss / (lname == "stdev" ? n - 1 : n)))
        case "percentilecont", "percentiledisc":
            let pv = try eval(args[1], rows.first ?? [:])
            guard let p = pv.asDouble else { throw QueryError.type("\(name)() needs a number between 0 and 1 as percentile", a.pos) }
            if p < 0 || p > 1 { throw QueryError.argument("NumberOutOfRange", "\(name)() needs a percentile between 0.0 and 1.0, not \(p)", a.pos) }
            let ds = try values.map { v -> Double in guard let d = v.asDouble else { throw QueryError.type("\(name)() needs numbers", a.pos) }; return d }.sorted()
            if ds.isEmpty { return .null }
            if lname == "percentiledisc" {
                let idx = max(0, Int((p * Double(ds.count)).rounded(.up)) - 1)
                let orig = values.first { $0.asDouble == ds[min(idx, ds.count - 1)] }!
                return orig
            }
            let pos = p * Double(ds.count - 1)
            let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
            return .float(ds[lo] + (ds[hi] - ds[lo]) * (pos - Double(lo)))
        default:
            return .null
        }
    }
}
