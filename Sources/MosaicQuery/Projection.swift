import Foundation

/// A WITH/RETURN compiled once: items (with `*` expanded), aggregates pulled out into slots,
/// grouping keys, ORDER BY expressions rewritten to refer to projected columns.
/// A class with constant fields: the executor and each aggregator hold it by reference (as a
/// struct of seven arrays, every copy retained and released each of them).
final class ProjectionPlan: Sendable {
    let items: [ProjectionItem]
    let columns: [String]
    let hasAggregates: Bool
    /// Item expressions with aggregates replaced by `aggregateSlot`s.
    let rewritten: [Expr]
    let aggregates: [Expr]
    let keyIndices: [Int]
    let sortExprs: [Expr]
    /// The column each ORDER BY expression names, when every one is a column (nil otherwise):
    /// then rows of the columns' values can be ordered on their own (`orderedValues`).
    let sortColumns: [Int]?
    /// Each aggregate's function name, lowercased ("count(*)" for `count(*)`), and whether
    /// it is DISTINCT: what an aggregator dispatches on (made once here, not per run).
    let aggregateNames: [String]
    let aggregateDistinct: [Bool]

    init(_ proj: Projection, starNames: [String]) {
        var items = proj.items
        if proj.star {
            items = starNames.filter { n in Binder.isUserVariable(n) && !proj.items.contains { $0.name == n } }.sorted().map {
                ProjectionItem(expr: Expr(.variable($0), proj.pos), alias: nil, text: $0)
            } + items
        }
        let aggregating = items.contains { $0.expr.containsAggregate }
        var aggs: [Expr] = []
        var orderExprs = proj.order.map(\.expr)
        let rewritten: [Expr]
        if aggregating {
            rewritten = items.map { Self.extract($0.expr, into: &aggs) }
            orderExprs = orderExprs.map { Self.extract($0, into: &aggs) }
        } else {
            rewritten = items.map(\.expr)
        }
        var keys: [Int] = []
        if aggregating {
            // no allocation when every item aggregates (RETURN count(*))
            var n = 0
            for i in items.indices where !items[i].expr.containsAggregate { n += 1 }
            if n > 0 {
                keys.reserveCapacity(n)
                for i in items.indices where !items[i].expr.containsAggregate { keys.append(i) }
            }
        } else {
            keys = Array(items.indices)
        }
        // ORDER BY an expression that a projection item computes refers to that column.
        let canon = orderExprs.isEmpty ? [:] : Dictionary(items.map { ($0.expr.canonical, $0.name) }, uniquingKeysWith: { a, _ in a })
        sortExprs = orderExprs.map { e in
            e.rewrite { sub in
                if case .variable = sub.kind { return nil }
                if case .aggregateSlot = sub.kind { return nil }
                return canon[sub.canonical].map { Expr(.variable($0), sub.pos) }
            }
        }
        self.items = items
        columns = items.map(\.name)
        var sortColumns: [Int]? = []
        for e in sortExprs {
            guard case .variable(let name) = e.kind, let c = columns.firstIndex(of: name) else { sortColumns = nil; break }
            sortColumns!.append(c)
        }
        self.sortColumns = sortColumns
        hasAggregates = aggregating
        self.rewritten = rewritten
        aggregates = aggs
        keyIndices = keys
        aggregateNames = aggs.map { a in
            if case .function(let n, _, _) = a.kind { return n.lowercased() }
            return "count(*)"
        }
        aggregateDistinct = aggs.map { a in if case .function(_, let d, _) = a.kind { return d }; return false }
    }

    /// `e` with each aggregate replaced by its slot in `aggs` (added there the first time).
    /// (A static function with the list in-out, not a nested one capturing it: the capture
    /// cost a heap box on every projection planned, aggregating or not.)
    private static func extract(_ e: Expr, into aggs: inout [Expr]) -> Expr {
        e.rewrite { sub in
            guard sub.isAggregate else { return nil }
            if let i = aggs.firstIndex(where: { $0.canonical == sub.canonical }) { return Expr(.aggregateSlot(i), sub.pos) }
            aggs.append(sub)
            return Expr(.aggregateSlot(aggs.count - 1), sub.pos)
        }
    }
}

extension ProjectionPlan {
    /// Whether the projection only lists its items' values: no aggregation, DISTINCT,
    /// ORDER BY, SKIP or LIMIT (a RETURN like that writes each row's values in column order).
    func isPlainList(_ proj: Projection) -> Bool {
        !hasAggregates && !proj.distinct && proj.order.isEmpty && proj.skip == nil && proj.limit == nil
    }

    /// Whether the projection only lists its (possibly aggregated) items' values: no DISTINCT,
    /// ORDER BY, SKIP or LIMIT, and each aggregating item a bare aggregate (`count(*)`, not
    /// `count(*) + 1`), so that a group's row is its keys and its aggregates' results.
    func isPlainAggregateList(_ proj: Projection) -> Bool {
        proj.order.isEmpty && proj.skip == nil && proj.limit == nil && groupsAreRows(proj)
    }

    /// Whether each group's row is its keys and its aggregates' results (no DISTINCT, each
    /// aggregating item a bare aggregate), whatever ORDER BY, SKIP and LIMIT do after.
    func groupsAreRows(_ proj: Projection) -> Bool {
        !proj.distinct
            && rewritten.indices.allSatisfy { i in
                if keyIndices.contains(i) { return true }
                if case .aggregateSlot = rewritten[i].kind { return true }
                return false
            }
    }
}

/// The row keys of the first aggregate slots (see `Aggregator.slotName`), built once.
let aggregateSlotNames: [String] = (0..<16).map { "\u{1}agg\($0)" }

/// Running state of one aggregate function over a group.
struct Accumulator {
    var count = 0
    var isum = 0
    var fsum = 0.0
    var isFloat = false
    /// sum/avg of durations (a duration and a number in one group are a TypeError)
    var dsum: QueryDuration? = nil
    var best: QueryValue? = nil
    var values: [QueryValue] = []
    var seen: Set<GroupKey>? = nil
}

/// What an aggregator evaluates its expressions with: the executor (not a generic parameter:
/// a generic class looks its type metadata up each time one is made).
protocol RowEvaluator: AnyObject {
    func eval(_ e: Expr, _ row: Row) throws -> QueryValue
    /// Expression `i` of `program` on `row` (compiled against the row's slots: RowProgram).
    func eval(_ program: RowProgram, _ i: Int, _ row: Row) throws -> QueryValue
    /// Counts `bytes` more held against the query's memory budget.
    func charge(_ bytes: Int, _ what: @autoclosure () -> String) throws
}
extension Executor: RowEvaluator {
    func eval(_ program: RowProgram, _ i: Int, _ row: Row) throws -> QueryValue { try program.value(i, row, self) }
}

/// Groups rows and folds aggregates as rows stream in (MATCH feeds it directly). Its stored
/// properties are written per row: exclusivity unchecked, as the executor's (Executor.swift).
final class Aggregator {
    let plan: ProjectionPlan
    unowned let ex: any RowEvaluator
    @exclusivity(unchecked) var groupIndex: [GroupKeys: Int] = [:]
    /// The groups by their one key, when the projection has one (no key array per lookup).
    @exclusivity(unchecked) var singleKeyIndex: [GroupKey: Int] = [:]
    @exclusivity(unchecked) var firstRows: [Row] = []
    @exclusivity(unchecked) var keys: [[QueryValue]] = []
    /// The groups' accumulators, `width` per group (group g's aggregate i at g * width + i):
    /// one array for all groups, not one per group.
    @exclusivity(unchecked) var accs: [Accumulator] = []
    let width: Int
    @exclusivity(unchecked) var rowsForPercentile: [[Row]] = []
    /// Rows counted by `addCount` not yet added to group 0 (see `flushCount`).
    @exclusivity(unchecked) var pendingCount = 0
    let names: [String]
    let distinct: [Bool]
    /// Set by `Executor.countByAnchor`: each group's row binds this variable to the group's
    /// first anchor node (`anchorNodes[g]`), made when `finish` reads it.
    @exclusivity(unchecked) var anchorVariable: String?
    @exclusivity(unchecked) var anchorNodes: [Int] = []
    /// The layout of those rows (made with the first).
    @exclusivity(unchecked) private var anchorLayout: RowLayout?

    /// The grouping keys and each aggregate's first argument, evaluated on each row added
    /// (compiled against the rows' slots; the evaluator for what does not compile). Made
    /// with the first row: an aggregation fed by counts or slots adds none.
    @exclusivity(unchecked) private var programs: (keys: RowProgram, arguments: RowProgram)?
    private var rowPrograms: (keys: RowProgram, arguments: RowProgram) {
        if let p = programs { return p }
        let p = (RowProgram(plan.keyIndices.map { plan.items[$0].expr }),
                 RowProgram(plan.aggregates.map { a in
                     if case .function(_, _, let args) = a.kind, let first = args.first { return first }
                     return Expr(.literal(.null), a.pos)  // (count(*): not evaluated)
                 }))
        programs = p
        return p
    }

    init(_ plan: ProjectionPlan, _ ex: any RowEvaluator) {
        self.plan = plan; self.ex = ex
        width = plan.aggregates.count
        names = plan.aggregateNames
        distinct = plan.aggregateDistinct
    }

    /// The group of `row` (made when new).
    func group(_ row: Row) throws -> Int {
        // one key (the usual GROUP BY): no array made to look it up
        if plan.keyIndices.isEmpty { return try group(keys: [], row) }
        let keys = rowPrograms.keys
        if plan.keyIndices.count == 1 { return try group(single: ex.eval(keys, 0, row), row) }
        return try group(keys: plan.keyIndices.indices.map { try ex.eval(keys, $0, row) }, row)
    }

    /// The group whose one key is `v` (made for `row` when new).
    func group(single v: QueryValue, _ row: Row) throws -> Int {
        let g = firstRows.count
        let found = Aggregator.claim(&singleKeyIndex[GroupKey(v), default: -1], g)
        if found != g { return found }
        try made(row, [v])
        return g
    }

    /// The group whose keys are `k` (made for `row` when new).
    func group(keys k: [QueryValue], _ row: Row) throws -> Int {
        let g = firstRows.count
        if k.isEmpty && !firstRows.isEmpty { return 0 }
        // one lookup: a new key's entry is made (as g) by the same hash
        let found = Aggregator.claim(&groupIndex[GroupKeys(values: k), default: -1], g)
        if found != g { return found }
        try made(row, k)
        return g
    }

    /// The group in `slot` (a dictionary entry, -1 when just made), set to `g` when new.
    @inline(__always) static func claim(_ slot: inout Int, _ g: Int) -> Int {
        if slot < 0 { slot = g }
        return slot
    }

    /// Adds `n` rows whose one grouping key is `key` to aggregates that are all count(*)
    /// (`Executor.countByAnchor`): `row`, made only for a new group, stands for them.
    /// (`node`: the anchor, bound to `anchorVariable` in the group's row, which is made only
    /// if `finish` needs it.)
    func addCount(key: QueryValue, times n: Int, node: Int) throws {
        let g = firstRows.count
        let found = Aggregator.claim(&singleKeyIndex[GroupKey(key), default: -1], g)
        if found == g { try made([:], [key]); anchorNodes.append(node) }
        for i in 0..<width { accs[found &* width &+ i].count += n }
    }

    /// As `addCount(key:times:node:)` with several keys.
    func addCount(keys k: [QueryValue], times n: Int, node: Int) throws {
        let g = firstRows.count
        let found = Aggregator.claim(&groupIndex[GroupKeys(values: k), default: -1], g)
        if found == g { try made([:], k); anchorNodes.append(node) }
        for i in 0..<width { accs[found &* width &+ i].count += n }
    }

    /// The row group `g` was made for.
    func firstRow(_ g: Int) -> Row {
        if let v = anchorVariable, g < anchorNodes.count {
            if anchorLayout == nil { anchorLayout = RowLayout([v]) }
            return Row(layout: anchorLayout!, values: [.node(anchorNodes[g])])
        }
        return firstRows[g]
    }

    /// Makes group `firstRows.count` for `row` and its keys `k`.
    private func made(_ row: Row, _ k: [QueryValue]) throws {
        try ex.charge(QueryMemory.rowBytes(row) + 64 * (k.count + plan.aggregates.count), "groups")
        firstRows.append(row); keys.append(k)
        accs.append(contentsOf: repeatElement(Accumulator(), count: width))
        rowsForPercentile.append([])
    }

    /// Adds `n` rows that agree on everything the keys read (`row` stands for them all) to
    /// aggregates that are all count(*) (see `GroupedCountAnchor`).
    func add(_ row: Row, times n: Int) throws {
        let g = try group(row)
        for i in plan.aggregates.indices { accs[g &* width &+ i].count += n }
    }

    func add(_ row: Row) throws {
        let g = try group(row)
        for (i, a) in plan.aggregates.enumerated() {
            if names[i] == "count(*)" { countRow(g, i); continue }
            guard case .function = a.kind else { continue }
            if try accumulate(g, i, ex.eval(rowPrograms.arguments, i, row)), names[i].hasPrefix("percentile") && rowsForPercentile[g].isEmpty {
                rowsForPercentile[g].append(row)
            }
        }
    }

    /// One more row for `count(*)`, aggregate `i` of group `g`.
    @inline(__always) func countRow(_ g: Int, _ i: Int) { accs[g &* width &+ i].count += 1 }

    /// Folds `v`, the argument of aggregate `i` for a row of group `g`, into its accumulator:
    /// nulls are skipped, and a DISTINCT aggregate's repeated values. Returns whether it was folded.
    @discardableResult
    func accumulate(_ g: Int, _ i: Int, _ v: QueryValue) throws -> Bool {
        if v.isNull { return false }
        if distinct[i] {
            if accs[g &* width &+ i].seen == nil { accs[g &* width &+ i].seen = [] }
            if !accs[g &* width &+ i].seen!.insert(GroupKey(v)).inserted { return false }
        }
        try fold(&accs[g &* width &+ i], names[i], v, plan.aggregates[i].pos)
        return true
    }

    /// Adds `n` rows to a lone count(*) without grouping keys (kept aside until the results
    /// are read: the usual single count needs no group built).
    func addCount(_ n: Int) { pendingCount += n }

    /// Adds the rows counted by `addCount` to the one group.
    func flushCount() {
        let n = pendingCount
        guard n > 0 else { return }
        pendingCount = 0
        if firstRows.isEmpty {
            firstRows.append([:]); keys.append([])
            accs.append(contentsOf: repeatElement(Accumulator(), count: width))
            rowsForPercentile.append([])
        }
        for i in plan.aggregates.indices { accs[i].count += n }
    }

    func fold(_ acc: inout Accumulator, _ name: String, _ v: QueryValue, _ pos: SourcePosition) throws {
        acc.count += 1
        switch name {
        case "count": break
        case "sum", "avg":
            if case .duration = v, acc.count > 1, acc.dsum == nil { throw QueryError.type("\(name)() cannot add a duration to numbers", pos) }
            if acc.dsum != nil, !(v.isDuration) { throw QueryError.type("\(name)() cannot add \(v.typeName) to durations", pos) }
            switch v {
            case .int(let i):
                let (s, o) = acc.isum.addingReportingOverflow(i)
                if !o { acc.isum = s; break }
                // avg is a float: it carries on in floating point; sum would lose the exact value
                if name == "avg" { acc.fsum += Double(acc.isum) + Double(i); acc.isum = 0; acc.isFloat = true; break }
                throw QueryError.argument("NumberOutOfRange", "sum() overflowed a 64-bit integer; sum toFloat(x) for an approximate total", pos)
            case .float(let f): acc.fsum += f; acc.isFloat = true
            case .duration(let d):
                guard let s = (acc.dsum ?? QueryDuration()).adding(d) else { throw QueryError.argument("NumberOutOfRange", "\(name)() of these durations is too large", pos) }
                acc.dsum = s
            default: throw QueryError.type("\(name)() needs numbers or durations, not \(v.typeName)", pos)
            }
        case "min": if acc.best == nil || v.orderCompare(acc.best!) < 0 { acc.best = v }
        case "max": if acc.best == nil || v.orderCompare(acc.best!) > 0 { acc.best = v }
        default:
            try ex.charge(QueryMemory.valueBytes, "collected values")
            acc.values.append(v)
        }
    }

    func result(_ acc: Accumulator, _ i: Int, _ g: Int) throws -> QueryValue {
        let name = names[i], a = plan.aggregates[i]
        switch name {
        case "count(*)", "count": return .int(acc.count)
        case "collect": return .list(acc.values)
        case "sum":
            if let d = acc.dsum { return .duration(d) }
            return acc.isFloat ? .float(acc.fsum + Double(acc.isum)) : .int(acc.isum)
        case "avg":
            if let d = acc.dsum { return TemporalFunctions.scale(d, by: 1 / Double(acc.count)).map { .duration($0) } ?? .null }
            return acc.count == 0 ? .null : .float((acc.fsum + Double(acc.isum)) / Double(acc.count))
        case "min", "max": return acc.best ?? .null
        case "stdev", "stdevp":
            let ds = try acc.values.map { v -> Double in guard let d = v.asDouble else { throw QueryError.type("\(name)() needs numbers", a.pos) }; return d }
            let n = Double(ds.count)
            if ds.count < (name == "stdev" ? 2 : 1) { return .float(0) }
            let mean = ds.reduce(0, +) / n
            let ss = ds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return .float(sqrt(ss / (name == "stdev" ? n - 1 : n)))
        case "percentilecont", "percentiledisc":
            guard case .function(_, _, let args) = a.kind else { return .null }
            let pv = try ex.eval(args[1], rowsForPercentile[g].first ?? firstRow(g))
            guard let p = pv.asDouble else { throw QueryError.type("\(name)() needs a number between 0 and 1 as percentile", a.pos) }
            if p < 0 || p > 1 { throw QueryError.argument("NumberOutOfRange", "\(name)() needs a percentile between 0.0 and 1.0, not \(p)", a.pos) }
            let ds = try acc.values.map { v -> Double in guard let d = v.asDouble else { throw QueryError.type("\(name)() needs numbers", a.pos) }; return d }.sorted()
            if ds.isEmpty { return .null }
            if name == "percentiledisc" {
                let idx = max(0, Int((p * Double(ds.count)).rounded(.up)) - 1)
                return acc.values.first { $0.asDouble == ds[min(idx, ds.count - 1)] }!
            }
            let pos = p * Double(ds.count - 1)
            let lo = Int(pos.rounded(.down)), hi = Int(pos.rounded(.up))
            return .float(ds[lo] + (ds[hi] - ds[lo]) * (pos - Double(lo)))
        default: return .null
        }
    }

    /// The row key under which aggregate `i`'s value is kept for the rewritten items.
    static func slotName(_ i: Int) -> String { i < slotNames.count ? slotNames[i] : "\u{1}agg\(i)" }
    static var slotNames: [String] { aggregateSlotNames }

    /// Each group's values in column order, for a projection that `isPlainAggregateList`.
    func valueRows() throws -> [[QueryValue]] {
        if pendingCount > 0 && firstRows.isEmpty && plan.keyIndices.isEmpty {
            // only addCount's rows (all aggregates are count(*)): one row of the count
            var acc = Accumulator()
            acc.count = pendingCount
            return [try plan.rewritten.indices.map { i in
                guard case .aggregateSlot(let j) = plan.rewritten[i].kind else { return .null }
                return try result(acc, j, 0)
            }]
        }
        flushCount()
        if firstRows.isEmpty && plan.keyIndices.isEmpty {
            firstRows = [[:]]; keys = [[]]; accs = Array(repeating: Accumulator(), count: width); rowsForPercentile = [[]]
        }
        var out: [[QueryValue]] = []
        out.reserveCapacity(firstRows.count)
        for g in firstRows.indices {
            var values: [QueryValue] = []
            values.reserveCapacity(plan.items.count)
            var k = 0
            for i in plan.items.indices {
                if case .aggregateSlot(let j) = plan.rewritten[i].kind, !plan.keyIndices.contains(i) {
                    values.append(try result(accs[g &* width &+ j], j, g))
                } else { values.append(keys[g][k]); k += 1 }
            }
            out.append(values)
        }
        return out
    }

    /// (projected row, row for ORDER BY: only when `merged`) per group.
    func finish(merged: Bool = true) throws -> [(out: Row, sortRow: Row)] {
        flushCount()
        if firstRows.isEmpty && plan.keyIndices.isEmpty {
            firstRows = [[:]]; keys = [[]]; accs = Array(repeating: Accumulator(), count: width); rowsForPercentile = [[]]
        }
        var out: [(out: Row, sortRow: Row)] = []
        out.reserveCapacity(firstRows.count)
        // each group's row: its keys, then the other items (one layout for them all)
        let others = plan.items.indices.filter { !plan.keyIndices.contains($0) }
        let layout = RowLayout(plan.keyIndices.map { plan.items[$0].name } + others.map { plan.items[$0].name })
        let slotNames = plan.aggregates.indices.map(Aggregator.slotName)
        for g in firstRows.indices {
            var base = firstRow(g)
            for i in plan.aggregates.indices { base[slotNames[i]] = try result(accs[g &* width &+ i], i, g) }
            var values = keys[g]
            for i in others { values.append(try ex.eval(plan.rewritten[i], base)) }
            let o = Row(layout: layout, values: values)
            out.append((o, merged ? base.merging(o) { $1 } : [:]))
        }
        return out
    }
}

/// WITH / RETURN: projection, grouping and aggregation, DISTINCT, ORDER BY, SKIP, LIMIT.
extension Executor {
    func project(_ proj: Projection, _ rows: [Row], _ cp: ClausePlan, keepMerged: Bool = false,
                 aggregated: Aggregator? = nil) throws -> (rows: [Row], columns: [String], merged: [Row]) {
        let plan = cp.projection!
        if let agg = aggregated, !keepMerged, let ranked = try rankGroups(proj, plan, agg) { return (ranked, plan.columns, []) }
        let items = plan.items
        var projected: [(out: Row, sortRow: Row)] = []
        let needMerged = !proj.order.isEmpty || keepMerged
        // the rows' layout when they are made here, one slot per column
        var layout: RowLayout? = nil
        if let agg = aggregated {
            projected = try agg.finish(merged: needMerged)
        } else if plan.hasAggregates {
            let agg = Aggregator(plan, self)
            for row in rows { try tick(); try agg.add(row) }
            projected = try agg.finish(merged: needMerged)
        } else {
            projected.reserveCapacity(rows.count)
            // the projection's rows: one slot per column (the binder makes the names distinct)
            let made = RowLayout(plan.columns)
            layout = made
            let program = RowProgram(items.map(\.expr))
            for row in rows {
                try tick()
                let out = Row(layout: made, values: try program.values(row, self))
                projected.append((out, needMerged ? row.merging(out) { $1 } : [:]))
            }
        }
        if proj.distinct {
            var seen = Set<GroupKeys>(minimumCapacity: projected.count)
            let columns = plan.columns
            projected = projected.filter { p in
                seen.insert(GroupKeys(values: layout.flatMap { p.out.values(in: $0) } ?? columns.map { c in p.out[c] ?? .null })).inserted
            }
        }
        var keys: [[QueryValue]] = []
        if !proj.order.isEmpty {
            let sortKeys = RowProgram(plan.sortExprs)
            keys = try projected.map { p in try sortKeys.values(p.sortRow, self) }
        }
        let skip = try proj.skip.map { try countArgument($0, "SKIP") }
        let limit = try proj.limit.map { try countArgument($0, "LIMIT") }
        let order = Self.ordered(projected.count, ascending: proj.order.map(\.ascending), skip: skip, limit: limit) { keys[$0][$1] }
        projected = order.map { projected[$0] }
        return (projected.map(\.out), plan.columns, keepMerged ? projected.map(\.sortRow) : [])
    }

    /// The indices of `count` rows in ORDER BY order (sort key i of row r is `key(r, i)`,
    /// ascending when `ascending[i]`; rows that tie keep the order they came in), with SKIP
    /// and LIMIT applied. ORDER BY … LIMIT k over many rows keeps the first k in one pass.
    static func ordered(_ count: Int, ascending: [Bool], skip: Int?, limit: Int?, key: (Int, Int) -> QueryValue) -> [Int] {
        var order: [Int]
        if ascending.isEmpty {
            order = Array(0..<count)
        } else {
            func before(_ l: Int, _ r: Int) -> Bool {
                for (i, a) in ascending.enumerated() {
                    let c = key(l, i).orderCompare(key(r, i))
                    if c != 0 { return a ? c < 0 : c > 0 }
                }
                return l < r
            }
            let (wanted, overflow) = (skip ?? 0).addingReportingOverflow(limit ?? Int.max)
            order = limit != nil && !overflow && wanted <= 256 && count > 4 * wanted
                ? firstInOrder(wanted, of: count, before)
                : (0..<count).sorted(by: before)
        }
        if let n = skip { order = Array(order.dropFirst(n)) }
        if let n = limit { order = Array(order.prefix(n)) }
        return order
    }

    /// The groups of `agg` as rows, in ORDER BY order with SKIP and LIMIT applied, when each
    /// group's row is its keys and aggregates (`groupsAreRows`) and ORDER BY names columns
    /// only: the groups are ranked on their values, and a row is made only for those kept
    /// (`RETURN b.name, count(*) AS n ORDER BY n DESC LIMIT 1` over 40,000 bases makes one).
    /// nil when the projection needs the general path.
    func rankGroups(_ proj: Projection, _ plan: ProjectionPlan, _ agg: Aggregator) throws -> [Row]? {
        guard plan.groupsAreRows(proj), let sortColumns = plan.sortColumns else { return nil }
        let layout = RowLayout(plan.columns)
        return try orderedValues(agg.valueRows(), proj, sortColumns).map { Row(layout: layout, values: $0) }
    }

    /// Rows of a projection's column values in ORDER BY order (`sortColumns`: the column of
    /// each ORDER BY expression), with SKIP and LIMIT applied.
    func orderedValues(_ values: [[QueryValue]], _ proj: Projection, _ sortColumns: [Int]) throws -> [[QueryValue]] {
        guard !proj.order.isEmpty || proj.skip != nil || proj.limit != nil else { return values }
        let skip = try proj.skip.map { try countArgument($0, "SKIP") }
        let limit = try proj.limit.map { try countArgument($0, "LIMIT") }
        return Self.ordered(values.count, ascending: proj.order.map(\.ascending), skip: skip, limit: limit) { values[$0][sortColumns[$1]] }
            .map { values[$0] }
    }

    /// The first `k` of the indices `0..<count` in the order `before` (a strict total order),
    /// in that order: what sorting all of them and keeping `k` gives, in one pass that keeps
    /// `k` (ORDER BY … LIMIT k over many rows, the top of a ranking).
    static func firstInOrder(_ k: Int, of count: Int, _ before: (Int, Int) -> Bool) -> [Int] {
        guard k > 0 else { return [] }
        var top: [Int] = []
        top.reserveCapacity(k + 1)
        for i in 0..<count {
            if top.count == k, !before(i, top[k - 1]) { continue }
            var lo = 0, hi = top.count
            while lo < hi { let m = (lo + hi) / 2; if before(i, top[m]) { hi = m } else { lo = m + 1 } }
            top.insert(i, at: lo)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    func countArgument(_ e: Expr, _ what: String) throws -> Int {
        let v = try eval(e, [:])
        switch v {
        case .int(let i):
            if i < 0 { throw QueryError(.syntaxError, "NegativeIntegerArgument", "\(what) needs a number of 0 or more, not \(i)", at: e.pos, phase: .runtime) }
            return i
        default: throw QueryError(.syntaxError, "InvalidArgumentType", "\(what) needs an integer, not \(v.typeName)", at: e.pos, phase: .runtime)
        }
    }
}
