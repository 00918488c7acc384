import CLua
import CLuaSandbox
import Foundation
import MosaicGraph
import MosaicLua
import MosaicQuery

/// One cell of a `kb.query` result as the host hands it to Lua.
public enum PluginQueryCell: Sendable {
    case value(Value)
    case node(Int32)
    case relationship(Int32)
    case list([PluginQueryCell])
    case map([String: PluginQueryCell])
}

/// A `kb.query` result: column names and rows.
public struct PluginQueryResult: Sendable {
    public var columns: [String]
    public var rows: [[PluginQueryCell]]
    public init(columns: [String], rows: [[PluginQueryCell]]) { self.columns = columns; self.rows = rows }
}

/// Runs a query for `kb.query(text, params)` on the plugin's graph. The default runs
/// MosaicQuery read-only; the CLI may give its own (e.g. with its cancellation).
public typealias PluginQueryHook = @Sendable (_ text: String, _ params: [String: Value], _ graph: Graph) throws -> PluginQueryResult

/// Finds entities for `kb.search(text)`: (entity id, field, snippet), best first.
public typealias PluginSearchHook = @Sendable (_ text: String, _ limit: Int) throws -> [(entity: String, field: String, snippet: String)]

/// The effects a run buffered with kb.assert / kb.retract.
public struct PluginEffects: Sendable {
    public var asserted: [StatementDraft] = []
    public var retracted: [Int64] = []
    public var isEmpty: Bool { asserted.isEmpty && retracted.isEmpty }
}

struct EntityRef: Hashable, Sendable { var index: Int32 }
struct RelationRef: Hashable, Sendable { var index: Int32 }

/// The `kb` table offered to Lua, bound to one state, one graph snapshot and one run.
final class KBContext {
    let graph: Graph
    let plugin: String
    var version: String
    let now: Date
    var rng: SplitMix64
    let query: PluginQueryHook?
    let search: PluginSearchHook?
    /// The functions and procedures `kb.query` runs with (the host's, e.g. the CLI's `derived`).
    var queryFunctions: FunctionRegistry = .standard
    var effects = PluginEffects()
    var logs: [String] = []
    /// The state this context is installed in (host memory is charged to its budget).
    weak var state: LuaState?
    /// Statements (asserted + retracted) one run may buffer; more fails the run before commit.
    var maxWrites = KBContext.defaultMaxWrites
    static let defaultMaxWrites = 100_000
    /// Set when a write went over `maxWrites`: the run is refused even if Lua caught the error.
    var writeBudgetExceeded: String?
    /// Host bytes charged for the log lines and the buffered writes.
    private var logBytes = 0
    var newEntities: Set<String> = []
    let relationIndex: RelationTypeIndex
    private var idCacheRef: Int32 = 0

    var entityClass: LuaClass<EntityRef>!
    var relationClass: LuaClass<RelationRef>!
    var dateClass: LuaClass<PartialDate>!

    init(graph: Graph, plugin: String, version: String, now: Date, seed: UInt64,
         query: PluginQueryHook?, search: PluginSearchHook?, relationIndex: RelationTypeIndex = RelationTypeIndex()) {
        self.graph = graph
        self.relationIndex = relationIndex
        self.plugin = plugin
        self.version = version
        self.now = now
        self.rng = SplitMix64(seed: seed)
        self.query = query
        self.search = search
    }

    var origin: Origin { .plugin(name: plugin, version: version, rule: nil) }

    // MARK: - Installing

    func install(in state: LuaState) throws(LuaError) {
        self.state = state
        defineClasses(state)
        state.withHostStack { s in
            s.newTable(array: graph.nodes.count)   // ids by node index + 1, filled on demand
            idCacheRef = luaL_ref(s.L, mosaic_registryindex())
        }
        let fns: [(String, LuaFunction)] = [
            ("kb.get", { [unowned self] s throws(LuaError) in try self.get(s) }),
            ("kb.find", { [unowned self] s throws(LuaError) in try self.find(s) }),
            ("kb.relations", { [unowned self] s throws(LuaError) in try self.relations(s) }),
            ("kb.edges", { [unowned self] s throws(LuaError) in try self.edges(s) }),
            ("kb.search", { [unowned self] s throws(LuaError) in try self.searchText(s) }),
            ("kb.query", { [unowned self] s throws(LuaError) in try self.runQuery(s) }),
            ("kb.date", { [unowned self] s throws(LuaError) in try self.date(s) }),
            ("kb.now", { [unowned self] s throws(LuaError) in s.push(self.dateClass, PartialDate(self.now)); return 1 }),
            ("kb.assert", { [unowned self] s throws(LuaError) in try self.assert(s) }),
            ("kb.retract", { [unowned self] s throws(LuaError) in try self.retract(s) }),
            ("kb.conflicts", { [unowned self] s throws(LuaError) in try self.conflicts(s) }),
            ("kb.log", { [unowned self] s throws(LuaError) in try self.log(s) }),
            ("print", { [unowned self] s throws(LuaError) in try self.log(s) }),
            ("kb.random", { [unowned self] s throws(LuaError) in try self.random(s) }),
            ("math.random", { [unowned self] s throws(LuaError) in try self.random(s) }),
            ("math.randomseed", { [unowned self] s throws(LuaError) in
                self.rng = SplitMix64(seed: UInt64(bitPattern: try s.optInteger(1) ?? 0))
                return 0
            }),
        ]
        for (path, fn) in fns { state.setFunction(path, fn) }
        state.setGlobal("kb.plugin", .string(plugin))
        state.setGlobal("kb.version", .string(version))
        try state.run(KBContext.prelude, chunkName: "=kb")
    }

    /// Conveniences written in Lua over the batch calls.
    static let prelude = """
        local kb, find, relations, type, next, sort, tostring = kb, kb.find, kb.relations, type, next, table.sort, tostring
        -- generic-for over entities: for e in kb.each("Base") do ... end
        function kb.each(filter)
          local list = find(type(filter) == "string" and { type = filter } or filter or {})
          local i = 0
          return function() i = i + 1 return list[i] end
        end
        -- generic-for over relations: for r in kb.each_relation("FLEW_TO") do ... end
        function kb.each_relation(reltype)
          local list = relations(reltype)
          local i = 0
          return function() i = i + 1 return list[i] end
        end
        -- pairs in a stable order (keys sorted by type, then value)
        function kb.spairs(t)
          local keys = {}
          for k in next, t do keys[#keys + 1] = k end
          sort(keys, function(a, b)
            local ta, tb = type(a), type(b)
            if ta ~= tb then return ta < tb end
            if ta == "number" or ta == "string" then return a < b end
            return tostring(a) < tostring(b)
          end)
          local i = 0
          return function()
            i = i + 1
            local k = keys[i]
            if k ~= nil then return k, t[k] end
          end
        end
        """

    private func defineClasses(_ state: LuaState) {
        let graph = self.graph
        dateClass = state.defineClass(PartialDate.self, name: "Date") { c in
            c.equals = { $0.seconds == $1.seconds && $0.precision == $1.precision }
            c.lessThan = { $0 < $1 }
            c.lessOrEqual = { !($1 < $0) }
            c.describe = { $0.description }
            c.fields { s, d, key throws(LuaError) in
                switch key {
                case "year": s.push(d.year)
                case "month": if let m = d.month { s.push(m) } else { return false }
                case "day": if let v = d.day { s.push(v) } else { return false }
                case "precision": s.push(d.precision.name)
                default: return false
                }
                return true
            }
            c.method("before") { [unowned self] s, d throws(LuaError) in s.push(try self.dateArg(s, 2).relation(to: d) == .after); return 1 }
            c.method("after") { [unowned self] s, d throws(LuaError) in s.push(try self.dateArg(s, 2).relation(to: d) == .before); return 1 }
            c.method("overlaps") { [unowned self] s, d throws(LuaError) in s.push(d.overlaps(try self.dateArg(s, 2))); return 1 }
            c.method("contains") { [unowned self] s, d throws(LuaError) in s.push(d.contains(try self.dateArg(s, 2))); return 1 }
            c.method("days_to") { [unowned self] s, d throws(LuaError) in s.push(d.days(to: try self.dateArg(s, 2))); return 1 }
            c.method("add_days") { [unowned self] s, d throws(LuaError) in
                s.push(self.dateClass, try KBContext.shift(d, by: Int(try s.integer(2)), "add_days"))
                return 1
            }
            c.method("truncate") { [unowned self] s, d throws(LuaError) in
                let name = try s.string(2)
                guard let p = PartialDate.Precision.allCases.first(where: { $0.name == name }) else {
                    throw LuaError.badArgument(2, "Date:truncate", "unknown precision '\(name)'")
                }
                s.push(self.dateClass, d.truncated(to: p))
                return 1
            }
            c.metamethod("__add") { [unowned self] s throws(LuaError) in
                let (d, n) = try self.dateAndDays(s, "+")
                s.push(self.dateClass, try KBContext.shift(d, by: n, "+"))
                return 1
            }
            c.metamethod("__sub") { [unowned self] s throws(LuaError) in
                if let a = s.userdata(self.dateClass, 1), let b = s.userdata(self.dateClass, 2) {
                    s.push(b.days(to: a))
                    return 1
                }
                let (d, n) = try self.dateAndDays(s, "-")
                guard n != Int.min else { throw KBContext.dateRangeError(d, n, "-") }
                s.push(self.dateClass, try KBContext.shift(d, by: -n, "-"))
                return 1
            }
            c.metamethod("__concat") { [unowned self] s throws(LuaError) in
                var parts: [String] = []
                for i: Int32 in 1...2 {
                    if let d = s.userdata(self.dateClass, i) { parts.append(d.description) }
                    else if s.isString(i) || s.type(i) == LUA_TNUMBER { parts.append(try s.value(i).plainText) }
                    else { throw LuaError.runtime("attempt to concatenate a \(s.typeName(i)) value") }
                }
                s.push(parts.joined())
                return 1
            }
        }
        entityClass = state.defineClass(EntityRef.self, name: "Entity") { c in
            c.equals = { $0 == $1 }
            c.describe = { e in
                let n = graph.node(e.index)
                return "\(n.type) \(n.key)" + (n.name.map { " (\($0))" } ?? "")
            }
            c.fields { [unowned self] s, e, key throws(LuaError) in
                let n = graph.node(e.index)
                switch key {
                case "id": self.pushID(s, e.index)
                case "type": s.push(n.type)
                case "name": if let name = n.name { s.push(name) } else { return false }
                case "aliases": self.pushValue(s, .list(n.aliases.map(Value.string)))
                case "labels": self.pushValue(s, .list(n.labels.map(Value.string)))
                case "properties": self.pushValue(s, .map(n.properties))
                default:
                    guard let v = n.property(key) else { return false }
                    self.pushValue(s, v)
                }
                return true
            }
            c.method("out") { [unowned self] s, e throws(LuaError) in try self.adjacent(s, e, outgoing: true) }
            c.method("inn") { [unowned self] s, e throws(LuaError) in try self.adjacent(s, e, outgoing: false) }
            c.method("neighbors") { [unowned self] s, e throws(LuaError) in
                let t = try self.relTypeArg(s, 2)
                var seen = Set<Int32>()
                var list: [Int32] = []
                if let t, t < 0 { s.newTable(); return 1 }
                for r in graph.outgoing(e.index, type: t) where seen.insert(graph.relationship(r).target).inserted {
                    list.append(graph.relationship(r).target)
                }
                for r in graph.incoming(e.index, type: t) where seen.insert(graph.relationship(r).source).inserted {
                    list.append(graph.relationship(r).source)
                }
                self.pushEntities(s, list)
                return 1
            }
            c.method("degree") { s, e throws(LuaError) in s.push(graph.degree(e.index)); return 1 }
        }
        relationClass = state.defineClass(RelationRef.self, name: "Relation") { c in
            c.equals = { $0 == $1 }
            c.describe = { r in
                let rel = graph.relationship(r.index)
                return "(\(graph.node(rel.source).key))-[\(graph.typeName(of: r.index))]->(\(graph.node(rel.target).key))"
            }
            c.fields { [unowned self] s, r, key throws(LuaError) in
                let rel = graph.relationship(r.index)
                switch key {
                case "id": s.push(rel.statement)
                case "type": s.push(graph.typeName(of: r.index))
                case "from": s.push(self.entityClass, EntityRef(index: rel.source))
                case "to": s.push(self.entityClass, EntityRef(index: rel.target))
                case "valid_from": if let d = graph.validity(ofFact: r.index).from { s.push(self.dateClass, d) } else { return false }
                case "valid_to": if let d = graph.validity(ofFact: r.index).to { s.push(self.dateClass, d) } else { return false }
                case "grading": if let g = graph.grading(ofFact: r.index) { s.push(g.description) } else { return false }
                case "confidence": s.push(graph.confidence(ofFact: r.index))
                case "origin": s.push(graph.origin(ofRelationship: r.index).description)
                case "derived": s.push(graph.origin(ofRelationship: r.index).isDerived)
                case "corroboration": s.push(graph.corroboration(ofFact: r.index))
                case "disputed": s.push(graph.isDisputed(r.index))
                case "claims":
                    let claims = graph.claims(ofFact: r.index)
                    s.newTable(array: claims.count)
                    for (i, c) in claims.enumerated() { s.push(graph.relationship(c).statement); s.setIndex(-2, i + 1) }
                case "denials":
                    let denials = graph.denials(ofFact: r.index)
                    s.newTable(array: denials.count)
                    for (i, d) in denials.enumerated() {
                        s.newTable(fields: 3)
                        s.push(graph.relationship(d).statement); s.setField(-2, "claim")
                        if let g = graph.relationship(d).grading { s.push(g.description); s.setField(-2, "grade") }
                        let ids = graph.sources(ofRelationship: d).map(\.source)
                        s.newTable(array: ids.count)
                        for (j, id) in ids.enumerated() { s.push(id); s.setIndex(-2, j + 1) }
                        s.setField(-2, "sources")
                        s.setIndex(-2, i + 1)
                    }
                case "sources":
                    // One table per supporting source, always with the same keys (absent = nil):
                    // id (also as `source`), title, publisher, date, grade, via, note, claim.
                    let records = graph.sourceRecords(ofFact: r.index)
                    s.newTable(array: records.count)
                    for (i, rec) in records.enumerated() {
                        s.newTable(fields: 9)
                        s.push(rec.id); s.setField(-2, "id")
                        s.push(rec.id); s.setField(-2, "source")
                        if let t = rec.title { s.push(t); s.setField(-2, "title") }
                        if let p = rec.publisher { s.push(p); s.setField(-2, "publisher") }
                        if let d = rec.date { s.push(self.dateClass, d); s.setField(-2, "date") }
                        if let g = rec.grade { s.push(g.description); s.setField(-2, "grade") }
                        s.newTable(array: rec.via.count)
                        for (j, v) in rec.via.enumerated() { s.push(v); s.setIndex(-2, j + 1) }
                        s.setField(-2, "via")
                        if let n = rec.note { s.push(n); s.setField(-2, "note") }
                        s.push(rec.claim); s.setField(-2, "claim")
                        s.setIndex(-2, i + 1)
                    }
                case "properties": self.pushValue(s, .map(graph.properties(ofRelationship: r.index)))
                default:
                    guard let v = graph.property(key, ofRelationship: r.index) else { return false }
                    self.pushValue(s, v)
                }
                return true
            }
        }
    }

    /// kb.conflicts(): the contradictions the graph holds, each a table {kind = "denial" |
    /// "functional" | "exclusive", fact = Relation (nil for a denial of nothing asserted),
    /// other = Relation (the conflicting fact, or the denial claim), claim = its id, reason}.
    func conflicts(_ s: LuaStack) throws(LuaError) -> Int32 {
        let list = graph.conflicts()
        s.newTable(array: list.count)
        for (i, c) in list.enumerated() {
            _ = s.ensure(4)
            s.newTable(fields: 5)
            s.push(c.kind.rawValue); s.setField(-2, "kind")
            if !(c.kind == .denial && c.fact == c.other) { s.push(relationClass, RelationRef(index: c.fact)); s.setField(-2, "fact") }
            s.push(relationClass, RelationRef(index: c.other)); s.setField(-2, "other")
            s.push(graph.relationship(c.other).statement); s.setField(-2, "claim")
            s.push(graph.reason(c)); s.setField(-2, "reason")
            s.setIndex(-2, i + 1)
        }
        return 1
    }

    // MARK: - Values

    /// Pushes an entity id, from a per-run cache of interned strings.
    func pushID(_ s: LuaStack, _ node: Int32) {
        let L = s.L
        lua_rawgeti(L, mosaic_registryindex(), lua_Integer(idCacheRef))
        if lua_rawgeti(L, -1, lua_Integer(node) + 1) == LUA_TSTRING {
            mosaic_remove(L, -2)
            return
        }
        s.pop()
        s.push(graph.node(node).key)
        s.pushValue(at: -1)
        lua_rawseti(L, -3, lua_Integer(node) + 1)
        mosaic_remove(L, -2)
    }

    func pushEntities(_ s: LuaStack, _ list: [Int32]) {
        s.newTable(array: list.count)
        for (i, n) in list.enumerated() {
            s.push(entityClass, EntityRef(index: n))
            s.setIndex(-2, i + 1)
        }
    }

    func pushRelations(_ s: LuaStack, _ list: [Int32]) {
        s.newTable(array: list.count)
        for (i, r) in list.enumerated() {
            s.push(relationClass, RelationRef(index: r))
            s.setIndex(-2, i + 1)
        }
    }

    func pushValue(_ s: LuaStack, _ v: Value) {
        _ = s.ensure(4)
        switch v {
        case .null: s.pushNil()
        case .bool(let b): s.push(b)
        case .int(let i): s.push(i)
        case .float(let d): s.push(d)
        case .string(let t): s.push(t)
        case .date(let d): s.push(dateClass, d)
        case .list(let l):
            s.newTable(array: l.count)
            for (i, e) in l.enumerated() { pushValue(s, e); s.setIndex(-2, i + 1) }
        case .map(let m):
            s.newTable(fields: m.count)
            for (k, e) in m { pushValue(s, e); s.setField(-2, k) }
        case .geo(let g):
            s.newTable(fields: 2)
            s.push(g.latitude); s.setField(-2, "lat")
            s.push(g.longitude); s.setField(-2, "lon")
        }
    }

    /// A Lua value as a graph value (for assert and query parameters).
    func graphValue(_ s: LuaStack, _ i: Int32, what: String) throws(LuaError) -> Value {
        if let d = s.userdata(dateClass, i) { return .date(d) }
        if let e = s.userdata(entityClass, i) { return .string(graph.node(e.index).key) }
        let v = try s.value(i)
        return try graphValue(v, what: what)
    }

    func graphValue(_ v: LuaValue, what: String) throws(LuaError) -> Value {
        switch v {
        case .nil: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .int(i)
        case .number(let d): return .float(d)
        case .string(let t): return .string(t)
        case .userdata(let u):
            if let d = u.payload as? PartialDate { return .date(d) }
            if let e = u.payload as? EntityRef { return .string(graph.node(e.index).key) }
            throw LuaError.runtime("\(what): cannot store a \(u.className) value")
        case .function: throw LuaError.runtime("\(what): cannot store a function")
        case .table(let t):
            if t.fields.isEmpty {
                var out: [Value] = []
                for e in t.array { out.append(try graphValue(e, what: what)) }
                return .list(out)
            }
            var m: [String: Value] = [:]
            for (k, e) in t.array.enumerated() { m[String(k + 1)] = try graphValue(e, what: what) }
            for f in t.fields {
                guard case .string(let k) = f.key else { throw LuaError.runtime("\(what): map keys must be strings") }
                m[k] = try graphValue(f.value, what: what)
            }
            return .map(m)
        }
    }

    func dateArg(_ s: LuaStack, _ i: Int32) throws(LuaError) -> PartialDate {
        if let d = s.userdata(dateClass, i) { return d }
        if s.isString(i) {
            let t = try s.string(i)
            guard let d = PartialDate(t) else { throw LuaError.badArgument(Int(i), s.functionName, "invalid date '\(t)'") }
            return d
        }
        throw LuaError.badArgument(Int(i), s.functionName, "Date or date string expected, got \(s.typeName(i))")
    }

    /// `d` shifted by `days`, or a Lua error when the result leaves years -9999…9999.
    static func shift(_ d: PartialDate, by days: Int, _ op: String) throws(LuaError) -> PartialDate {
        guard let moved = d.shifted(days: days) else { throw dateRangeError(d, days, op) }
        return moved
    }

    static func dateRangeError(_ d: PartialDate, _ days: Int, _ op: String) -> LuaError {
        LuaError.runtime("date out of range: \(d) \(op) \(days) days is outside years \(PartialDate.yearRange.lowerBound)…\(PartialDate.yearRange.upperBound)")
    }

    private func dateAndDays(_ s: LuaStack, _ op: String) throws(LuaError) -> (PartialDate, Int) {
        if let d = s.userdata(dateClass, 1), s.type(2) == LUA_TNUMBER, let n = try? s.integer(2) { return (d, Int(n)) }
        if op == "+", let d = s.userdata(dateClass, 2), s.type(1) == LUA_TNUMBER, let n = try? s.integer(1) { return (d, Int(n)) }
        throw LuaError.runtime("attempt to perform arithmetic on a Date (date \(op) whole days\(op == "-" ? " or date - date" : ""))")
    }

    /// A relation type argument: nil for any, -1 for a type the graph does not have.
    private func relTypeArg(_ s: LuaStack, _ i: Int32) throws(LuaError) -> Int32? {
        guard let name = try s.optString(i) else { return nil }
        return graph.relationTypeID(name) ?? -1
    }

    private func adjacent(_ s: LuaStack, _ e: EntityRef, outgoing: Bool) throws(LuaError) -> Int32 {
        let t = try relTypeArg(s, 2)
        if let t, t < 0 { s.newTable(); return 1 }
        pushRelations(s, outgoing ? graph.outgoing(e.index, type: t) : graph.incoming(e.index, type: t))
        return 1
    }

    private func relationList(_ type: Int32) -> [Int32] {
        relationIndex.list(graph, type: type)
    }

    // MARK: - Reading

    private func get(_ s: LuaStack) throws(LuaError) -> Int32 {
        let id = try s.string(1)
        if let i = graph.lookup(key: id), graph.node(i).alive { s.push(entityClass, EntityRef(index: i)) } else { s.pushNil() }
        return 1
    }

    private func find(_ s: LuaStack) throws(LuaError) -> Int32 {
        var type: String?
        var name: String?
        var whereFn = false
        var whereProps: [(String, Value)] = []
        var limit = Int.max
        if !s.isNil(1) {
            try s.checkTable(1)
            try s.forEach(1) { () throws(LuaError) in
                guard s.isString(-2) else { throw LuaError.badArgument(1, "kb.find", "unknown option (keys are type, name, where, limit)") }
                let key = try s.string(-2)
                switch key {
                case "type": type = try s.string(-1)
                case "name": name = try s.string(-1)
                case "limit":
                    limit = Int(try s.integer(-1))
                    // (a negative limit crashed Array.prefix; found by mosaic-fuzz lua)
                    guard limit >= 0 else { throw LuaError.badArgument(1, "kb.find", "limit must be 0 or more, got \(limit)") }
                case "where":
                    if s.isFunction(-1) { whereFn = true }
                    else if s.isTable(-1) {
                        try s.forEach(-1) { () throws(LuaError) in
                            guard s.isString(-2) else { throw LuaError.badArgument(1, "kb.find", "where keys must be property names") }
                            whereProps.append((try s.string(-2), try self.graphValue(s, -1, what: "kb.find")))
                        }
                    } else { throw LuaError.badArgument(1, "kb.find", "where must be a table or a function") }
                default:
                    throw LuaError.badArgument(1, "kb.find", "unknown option '\(key)' (use type, name, where, limit)")
                }
            }
        }
        var candidates: [Int32]
        if let name {
            candidates = graph.nodes(named: name)
            if let type { candidates = candidates.filter { graph.hasLabel($0, type) } }
        } else if let type {
            candidates = graph.nodes(withLabel: type)
        } else {
            candidates = Array(graph.nodeIndices)
        }
        candidates = candidates.filter { graph.node($0).alive }
        whereProps.sort { $0.0 < $1.0 }
        if !whereProps.isEmpty {
            candidates = candidates.filter { n in
                let props = graph.node(n).properties
                return whereProps.allSatisfy { key, v in
                    if key == "id" { return .string(graph.node(n).key) == v }
                    if key == "type" { return .string(graph.node(n).type) == v }
                    return props[key] == v
                }
            }
        }
        var result: [Int32] = []
        if whereFn {
            s.pushField(1, "where")
            let fn = s.top
            for n in candidates where result.count < limit {
                s.pushValue(at: fn)
                s.push(entityClass, EntityRef(index: n))
                try s.call(nargs: 1, nresults: 1)
                if s.truthy(-1) { result.append(n) }
                s.pop()
            }
            s.pop()
        } else {
            result = Array(candidates.prefix(limit))
        }
        pushEntities(s, result)
        return 1
    }

    private func relations(_ s: LuaStack) throws(LuaError) -> Int32 {
        let name = try s.string(1)
        guard let t = graph.relationTypeID(name) else { s.newTable(); return 1 }
        pushRelations(s, relationList(t))
        return 1
    }

    /// kb.edges(type [, "from"|"to"]) → from ids, to ids (or just one of them): arrays of
    /// entity ids for fast scans. Ids come from a per-run cache, so each is made once.
    private func edges(_ s: LuaStack) throws(LuaError) -> Int32 {
        let name = try s.string(1)
        let which = try s.optString(2)
        guard which == nil || which == "from" || which == "to" else {
            throw LuaError.badArgument(2, "kb.edges", "'from' or 'to' expected, got '\(which!)'")
        }
        let wantFrom = which != "to", wantTo = which != "from"
        let results: Int32 = which == nil ? 2 : 1
        guard let t = graph.relationTypeID(name) else {
            for _ in 0..<results { s.newTable() }
            return results
        }
        let list = relationList(t)
        let L = s.L
        lua_rawgeti(L, mosaic_registryindex(), lua_Integer(idCacheRef))
        let cache = s.top
        // Local copies: reading through the stored Graph on every step costs retains.
        let rels = graph.relationships
        let nodes = graph.nodes
        @inline(__always) func cached(_ n: Int32) {
            if lua_rawgeti(L, cache, lua_Integer(n) + 1) != LUA_TSTRING {
                s.pop()
                s.push(nodes[Int(n)].key)
                s.pushValue(at: -1)
                lua_rawseti(L, cache, lua_Integer(n) + 1)
            }
        }
        if wantFrom {
            s.newTable(array: list.count)
            for (i, r) in list.enumerated() {
                cached(rels[Int(r)].source)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        }
        if wantTo {
            s.newTable(array: list.count)
            for (i, r) in list.enumerated() {
                cached(rels[Int(r)].target)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        }
        return results
    }

    private func searchText(_ s: LuaStack) throws(LuaError) -> Int32 {
        let text = try s.string(1)
        let limit = Int(try s.optInteger(2) ?? 50)
        guard limit >= 0 else { throw LuaError.badArgument(2, "kb.search", "limit must be 0 or more, got \(limit)") }
        guard let search else { throw LuaError.runtime("kb.search is not available here (no store)") }
        let hits: [(entity: String, field: String, snippet: String)]
        do { hits = try search(text, limit) } catch { throw LuaError.runtime("kb.search: \(error)") }
        s.newTable(array: hits.count)
        for (i, h) in hits.enumerated() {
            s.newTable(fields: 4)
            s.push(h.entity); s.setField(-2, "id")
            if let n = graph.lookup(key: h.entity) { s.push(entityClass, EntityRef(index: n)); s.setField(-2, "entity") }
            s.push(h.field); s.setField(-2, "field")
            s.push(h.snippet); s.setField(-2, "snippet")
            s.setIndex(-2, i + 1)
        }
        return 1
    }

    private func runQuery(_ s: LuaStack) throws(LuaError) -> Int32 {
        let text = try s.string(1)
        var params: [String: Value] = [:]
        if !s.isNil(2) {
            try s.checkTable(2)
            try s.forEach(2) { () throws(LuaError) in
                guard s.isString(-2) else { throw LuaError.badArgument(2, "kb.query", "parameter names must be strings") }
                params[try s.string(-2)] = try self.graphValue(s, -1, what: "kb.query")
            }
        }
        // The query runs inside the plugin's memory budget: what Lua and the host do not hold yet.
        var maxMemory = QueryLimits.defaultMaxMemory
        if let st = state, st.limits.memory > 0 {
            maxMemory = max(1 << 16, st.limits.memory - st.memoryUsed - st.hostMemory)
        }
        let hook = query ?? KBContext.defaultQuery(functions: queryFunctions, isStopped: state?.stopCheck, maxMemory: maxMemory)
        let result: PluginQueryResult
        do { result = try hook(text, params, graph) } catch let e as LuaError { throw e } catch let e as QueryError where e.detail == "MemoryLimit" {
            guard let state, state.limits.memory > 0 else { throw LuaError.runtime("kb.query: \(e)") }
            // Like every other use of the run's memory: the run fails, whatever pcall says.
            throw state.memoryKill("not enough memory: plugin memory budget of \(state.limits.memory >> 20) MB exceeded by kb.query "
                + "(it needed more than the \(QueryLimits.describe(bytes: maxMemory)) left; raise limits.memory_mb or narrow the query)", in: s)
        } catch { throw LuaError.runtime("kb.query: \(error)") }
        // The rows count against the run's memory budget while the host holds them; the Lua
        // tables built from them count as Lua memory (checked as they grow).
        let held = KBContext.approximateBytes(result)
        try state?.chargeHost(held, for: "kb.query", in: s)
        defer { state?.releaseHost(held) }
        s.newTable(array: result.rows.count)
        for (i, row) in result.rows.enumerated() {
            s.newTable(fields: result.columns.count)
            for (c, cell) in zip(result.columns, row) {
                pushCell(s, cell)
                s.setField(-2, c)
            }
            s.setIndex(-2, i + 1)
            if i & 1023 == 1023 { try state?.checkMemoryBudget(for: "kb.query", in: s) }
        }
        return 1
    }

    /// About how many bytes the host holds for a query result.
    static func approximateBytes(_ r: PluginQueryResult) -> Int {
        func cell(_ c: PluginQueryCell) -> Int {
            switch c {
            case .value(let v): return approximateBytes(v)
            case .node, .relationship: return 16
            case .list(let l): return 32 + l.reduce(0) { $0 + cell($1) }
            case .map(let m): return 48 + m.reduce(0) { $0 + 32 + $1.key.utf8.count + cell($1.value) }
            }
        }
        return r.rows.reduce(64) { acc, row in acc + 32 + row.reduce(0) { $0 + cell($1) } }
    }

    /// About how many bytes a graph value takes in the host.
    static func approximateBytes(_ v: Value) -> Int {
        switch v {
        case .string(let t): return 24 + t.utf8.count
        case .list(let l): return 32 + l.reduce(0) { $0 + approximateBytes($1) }
        case .map(let m): return 48 + m.reduce(0) { $0 + 32 + $1.key.utf8.count + approximateBytes($1.value) }
        default: return 24
        }
    }

    /// About how many bytes a buffered statement takes in the host.
    static func approximateBytes(_ d: StatementDraft) -> Int {
        var n = 160 + d.subject.utf8.count + d.meta.sources.reduce(0) { $0 + 48 + $1.source.utf8.count + ($1.note?.utf8.count ?? 0) }
        switch d.kind {
        case .entity(let t), .label(let t): n += t.utf8.count
        case .property(let name, let v), .relationProperty(let name, let v): n += name.utf8.count + approximateBytes(v)
        case .relation(let t, let target, let props): n += t.utf8.count + target.utf8.count + approximateBytes(.map(props))
        }
        return n
    }

    private func pushCell(_ s: LuaStack, _ cell: PluginQueryCell) {
        _ = s.ensure(4)
        switch cell {
        case .value(let v): pushValue(s, v)
        case .node(let n): s.push(entityClass, EntityRef(index: n))
        case .relationship(let r): s.push(relationClass, RelationRef(index: r))
        case .list(let l):
            s.newTable(array: l.count)
            for (i, c) in l.enumerated() { pushCell(s, c); s.setIndex(-2, i + 1) }
        case .map(let m):
            s.newTable(fields: m.count)
            for (k, c) in m { pushCell(s, c); s.setField(-2, k) }
        }
    }

    /// MosaicQuery, read-only, on the run's graph, with the host's functions and procedures.
    static func defaultQuery(functions: FunctionRegistry, isStopped: (@Sendable () -> Bool)? = nil,
                             maxMemory: Int = QueryLimits.defaultMaxMemory) -> PluginQueryHook { { text, params, graph in
        // a run stopped by its time limit or Ctrl-C stops its query too (a hook cannot reach Swift)
        let table = try Query.run(text, on: GraphView(graph), parameters: params.mapValues(QueryValue.init), functions: functions,
                                  limits: QueryLimits(maxMemory: maxMemory, isCancelled: isStopped))
        guard table.changes.isEmpty else {
            throw LuaError.runtime("kb.query is read-only: write with kb.assert and kb.retract")
        }
        func cell(_ v: QueryValue) -> PluginQueryCell {
            switch v {
            case .node(let n): return .node(Int32(n))
            case .relationship(let r): return .relationship(Int32(r))
            case .list(let l): return .list(l.map(cell))
            case .map(let m): return .map(m.mapValues(cell))
            case .path(let p): return .map(["nodes": .list(p.nodes.map { .node(Int32($0)) }),
                                            "relationships": .list(p.relationships.map { .relationship(Int32($0)) })])
            case .null: return .value(.null)
            case .bool(let b): return .value(.bool(b))
            case .int(let i): return .value(.int(Int64(i)))
            case .float(let d): return .value(.float(d))
            case .string(let t): return .value(.string(t))
            case .date(let d): return .value(.date(d))
            // durations and the other temporals reach Lua as their ISO 8601 text
            case .duration(let d): return .value(.string(d.description))
            case .temporal(let t): return .value(.string(t.description))
            }
        }
        return PluginQueryResult(columns: table.columns, rows: table.rows.map { $0.map(cell) })
    } }

    private func date(_ s: LuaStack) throws(LuaError) -> Int32 {
        s.push(dateClass, try dateArg(s, 1))
        return 1
    }

    private func log(_ s: LuaStack) throws(LuaError) -> Int32 {
        var parts: [String] = []
        if s.count > 0 {
            for i in 1...s.count {
                if s.isString(i) { parts.append(try s.string(i)) }
                else if let d = s.userdata(dateClass, i) { parts.append(d.description) }
                else if let e = s.userdata(entityClass, i) { parts.append(graph.node(e.index).key) }
                else if s.userdata(relationClass, i) != nil || s.isTable(i) || s.isFunction(i) { parts.append(s.typeName(i)) }
                else { parts.append((try? s.value(i).plainText) ?? s.typeName(i)) }
            }
        }
        let line = parts.joined(separator: "\t")
        let bytes = 64 + line.utf8.count
        try state?.chargeHost(bytes, for: "kb.log", in: s)
        logBytes += bytes
        logs.append(line)
        return 0
    }

    /// The log lines so far, handing their memory back to the run's budget (the console
    /// prints them after each chunk).
    func takeLogs() -> [String] {
        state?.releaseHost(logBytes)
        logBytes = 0
        defer { logs = [] }
        return logs
    }

    /// Validates, counts and buffers the statements of one kb.assert: all or none.
    private func buffer(_ s: LuaStack, _ drafts: [StatementDraft]) throws(LuaError) {
        for d in drafts {
            if let problem = WriteValidation.checkDraft(d) { throw LuaError.badArgument(1, "kb.assert", problem) }
            for c in d.meta.sources {
                if let problem = WriteValidation.checkIdentifier(c.source, as: .entityID) {
                    throw LuaError.badArgument(1, "kb.assert", "source: \(problem)")
                }
                if let note = c.note, let problem = WriteValidation.checkValue(.string(note)) {
                    throw LuaError.badArgument(1, "kb.assert", "source note: \(problem)")
                }
            }
        }
        try countWrites(drafts.count, by: "kb.assert")
        try state?.chargeHost(drafts.reduce(0) { $0 + KBContext.approximateBytes($1) }, for: "kb.assert (buffered writes)", in: s)
        effects.asserted.append(contentsOf: drafts)
    }

    /// Refuses writes past the run's write budget; the run fails whatever Lua does then.
    private func countWrites(_ n: Int, by what: String) throws(LuaError) {
        let total = effects.asserted.count + effects.retracted.count + n
        guard total > maxWrites else { return }
        let message = "write budget of \(maxWrites) statements per run exceeded by \(what) "
            + "(nothing is committed; raise plugins.\(plugin).limits.writes in mosaic.yaml, or write less per run)"
        if writeBudgetExceeded == nil { writeBudgetExceeded = message }
        throw LuaError.runtime(message)
    }

    private func random(_ s: LuaStack) throws(LuaError) -> Int32 {
        let r = rng.next()
        switch s.count {
        case 0:
            s.push(Double(r >> 11) * 0x1.0p-53)
        default:
            let lo: Int64 = s.count >= 2 ? try s.integer(1) : 1
            let hi: Int64 = s.count >= 2 ? try s.integer(2) : try s.integer(1)
            guard lo <= hi else { throw LuaError.badArgument(s.count >= 2 ? 2 : 1, s.functionName, "interval is empty") }
            let span = UInt64(bitPattern: hi &- lo) &+ 1
            s.push(span == 0 ? Int64(bitPattern: r) : lo &+ Int64(bitPattern: r % span))
        }
        return 1
    }

    // MARK: - Writing

    private func entityKey(_ s: LuaStack, _ i: Int32, _ what: String) throws(LuaError) -> String {
        if let e = s.userdata(entityClass, i) { return graph.node(e.index).key }
        guard s.isString(i) else { throw LuaError.runtime("kb.assert: \(what) must be an entity id or handle, got \(s.typeName(i))") }
        let key = try s.string(i)
        guard graph.lookup(key: key) != nil || newEntities.contains(key) else {
            throw LuaError.runtime("kb.assert: unknown entity '\(key)' in \(what) (assert it first with kb.assert{entity = '\(key)', type = ...})")
        }
        return key
    }

    private func assert(_ s: LuaStack) throws(LuaError) -> Int32 {
        try s.checkTable(1)
        let allowed: Set<String> = ["entity", "type", "name", "aliases", "from", "to", "property", "value", "properties",
                                    "valid_from", "valid_to", "sources", "grading", "confidence"]
        var keys: [String] = []
        try s.forEach(1) { () throws(LuaError) in
            guard s.isString(-2) else { throw LuaError.badArgument(1, "kb.assert", "keys must be strings") }
            let k = try s.string(-2)
            guard allowed.contains(k) else {
                throw LuaError.badArgument(1, "kb.assert", "unknown key '\(k)' (use \(allowed.sorted().joined(separator: ", ")))")
            }
            keys.append(k)
        }
        func has(_ k: String) -> Bool { keys.contains(k) }
        func str(_ k: String) throws(LuaError) -> String? {
            defer { s.pop() }
            let t = s.pushField(1, k)
            if t == LUA_TNIL { return nil }
            guard t == LUA_TSTRING else { throw LuaError.runtime("kb.assert: '\(k)' must be a string, got \(s.typeName(-1))") }
            return try s.string(-1)
        }
        func date(_ k: String) throws(LuaError) -> PartialDate? {
            defer { s.pop() }
            if s.pushField(1, k) == LUA_TNIL { return nil }
            if let d = s.userdata(dateClass, -1) { return d }
            guard s.isString(-1), let d = PartialDate(try s.string(-1)) else {
                throw LuaError.runtime("kb.assert: '\(k)' must be a date ('2025-10-29') or kb.date(...)")
            }
            return d
        }
        var meta = StatementMeta(origin: origin)
        meta.validFrom = try date("valid_from")
        meta.validTo = try date("valid_to")
        if let g = try str("grading") {
            guard let grading = Grading(g) else { throw LuaError.runtime("kb.assert: grading '\(g)' is not a letter A-F and a digit 1-6 (e.g. 'B2')") }
            meta.grading = grading
        }
        if s.pushField(1, "confidence") != LUA_TNIL {
            let c = try s.number(-1)
            guard (0...1).contains(c) else { throw LuaError.runtime("kb.assert: confidence must be between 0 and 1") }
            meta.confidence = c
        }
        s.pop()
        if s.pushField(1, "sources") != LUA_TNIL {
            guard s.isTable(-1) else { throw LuaError.runtime("kb.assert: sources must be a list of article ids or {source=, note=} tables") }
            let n = s.rawLength(-1)
            for i in 0..<n {
                s.rawGet(-1, i + 1)
                if s.isString(-1) { meta.sources.append(Citation(source: try s.string(-1))) }
                else if s.isTable(-1) {
                    let src = try s.field(-1, "source").stringValue
                    guard let src else { throw LuaError.runtime("kb.assert: a source table needs source = 'article-id'") }
                    meta.sources.append(Citation(source: src, note: try s.field(-1, "note").stringValue))
                } else { throw LuaError.runtime("kb.assert: sources[\(i + 1)] must be an article id or a {source=, note=} table") }
                s.pop()
            }
        }
        s.pop()
        func props() throws(LuaError) -> [String: Value] {
            defer { s.pop() }
            if s.pushField(1, "properties") == LUA_TNIL { return [:] }
            guard case .map(let m) = try graphValue(s, -1, what: "kb.assert properties") else {
                throw LuaError.runtime("kb.assert: properties must be a table of name = value")
            }
            return m
        }

        if has("from") || has("to") {
            guard has("from"), has("to"), let type = try str("type") else {
                throw LuaError.runtime("kb.assert: a relation needs from, type and to")
            }
            s.pushField(1, "from"); let from = try entityKey(s, -1, "from"); s.pop()
            s.pushField(1, "to"); let to = try entityKey(s, -1, "to"); s.pop()
            try buffer(s, [StatementDraft(subject: from, kind: .relation(type: type, target: to, properties: try props()), meta: meta)])
        } else if has("property") {
            guard let prop = try str("property") else { throw LuaError.runtime("kb.assert: property must be a name") }
            s.pushField(1, "entity"); let key = try entityKey(s, -1, "entity"); s.pop()
            s.pushField(1, "value")
            let value = try graphValue(s, -1, what: "kb.assert value")
            s.pop()
            guard !value.isNull else { throw LuaError.runtime("kb.assert: a property needs a value (retract it with kb.retract instead)") }
            try buffer(s, [StatementDraft(subject: key, kind: .property(name: prop, value: value), meta: meta)])
        } else if has("entity") {
            guard let key = try str("entity"), !key.isEmpty else { throw LuaError.runtime("kb.assert: entity must be an id") }
            guard let type = try str("type") else { throw LuaError.runtime("kb.assert: a new entity needs a type") }
            var drafts = [StatementDraft(subject: key, kind: .entity(type: type), meta: meta)]
            var p = try props()
            if let name = try str("name") { p["name"] = .string(name) }
            if s.pushField(1, "aliases") != LUA_TNIL { p["aliases"] = try graphValue(s, -1, what: "kb.assert aliases") }
            s.pop()
            for (k, v) in p.sorted(by: { $0.key < $1.key }) {
                drafts.append(StatementDraft(subject: key, kind: .property(name: k, value: v), meta: meta))
            }
            try buffer(s, drafts)
            if graph.lookup(key: key) == nil { newEntities.insert(key) }
        } else {
            throw LuaError.runtime("kb.assert: say what to assert: {entity=, type=}, {entity=, property=, value=} or {from=, type=, to=}")
        }
        return 0
    }

    private func retract(_ s: LuaStack) throws(LuaError) -> Int32 {
        try countWrites(1, by: "kb.retract")
        try state?.chargeHost(16, for: "kb.retract (buffered writes)", in: s)
        if let r = s.userdata(relationClass, 1) {
            effects.retracted.append(graph.relationship(r.index).statement)
        } else if let e = s.userdata(entityClass, 1) {
            let n = graph.node(e.index)
            if let prop = try s.optString(2) {
                guard let st = n.propertyStatement(prop) else {
                    throw LuaError.runtime("kb.retract: \(n.key) has no property '\(prop)'")
                }
                effects.retracted.append(st)
            } else {
                throw LuaError.badArgument(2, "kb.retract", "property name expected (retracting a whole entity is not supported)")
            }
        } else if s.type(1) == LUA_TNUMBER {
            effects.retracted.append(try s.integer(1))
        } else {
            throw LuaError.badArgument(1, "kb.retract", "Relation, Entity and property name, or statement id expected, got \(s.typeName(1))")
        }
        return 0
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same sequence.
public struct SplitMix64: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension LuaValue {
    /// Text as Lua's tostring would print numbers and strings.
    var plainText: String {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return d.rounded() == d && abs(d) < 1e15 ? String(format: "%.1f", d) : String(d)
        case .bool(let b): return String(b)
        case .nil: return "nil"
        default: return typeName
        }
    }
}

/// Live relations by type, built in one pass the first time a plugin asks and shared by the
/// runs of one runner while the graph is the same (a host-side index).
// @unchecked Sendable: `key` and `byType` only under `lock`.
public final class RelationTypeIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var key: (tx: Int64, count: Int, live: Int)?
    private var byType: [Int32: [Int32]] = [:]

    public init() {}

    func list(_ graph: Graph, type: Int32) -> [Int32] {
        lock.lock()
        defer { lock.unlock() }
        let k = (graph.transaction, graph.relationships.count, graph.liveRelationshipCount)
        if key == nil || key! != k {
            var m: [Int32: [Int32]] = [:]
            for (i, r) in graph.relationships.enumerated() where r.alive { m[r.type, default: []].append(Int32(i)) }
            byType = m
            key = k
        }
        return byType[type] ?? []
    }
}
