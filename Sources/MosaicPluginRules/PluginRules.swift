// MosaicPluginRules: the `rules` of plugin specs as MosaicInference rules (pattern rules
// written in the query language's syntax, Lua functions calling `kb.derive`). Uses
// MosaicPlugins (sessions of the plugin runtime), MosaicLua, MosaicInference, MosaicGraph
// and MosaicStore.

import Foundation
import MosaicGraph
import MosaicInference
import MosaicLua
import MosaicPlugins
import MosaicStore

/// Turns the `rules` of plugin specs into inference rules.
///
/// A pattern rule names a pattern in the query language's syntax and what it derives:
///
///     in_country = {
///       match = "(x)-[r:LOCATED_IN|PART_OF]->(c:Country)",
///       derive = { relation = "IN_COUNTRY", from = "x", to = "c" },   -- or { property = "p", of = "x", value = v }
///       within_days = 7,               -- dated relationships of a match lie within 7 days of each other
///       distinct = { "f", "g" },       -- these relationships are different statements
///       where = function(m) return m.f.confidence > 0.5 end,            -- optional Lua condition
///       confidence = "min",            -- min | product | average
///       valid_time = "intersection",   -- intersection | span | none
///       min_confidence = 0.5, sources = { "enab-2025-10-30" }, from = "2025-01", to = "2025-12",
///     }
///
/// A Lua rule gives `derive` as a function `(params, kb, changes)` that calls
/// `kb.derive{relation = …, from = id, to = id, premises = {statement ids}}` (or
/// `{property = …, of = id, value = …}`, or `{statement = id, property = …, value = …}` for a
/// relation's own property), with `reads` and `writes` lists for ordering.
public enum PluginRules {
    // @unchecked Sendable: a rule's Lua session and its collected derivations, used by one inference run on the thread that runs it (the engine calls rules one at a time).
    final class Box<T>: @unchecked Sendable { var value: T; init(_ v: T) { value = v } }

    public struct Loaded {
        public var rules: [any Rule]
        /// Plugins whose specs failed, with why (their rules are not run; what they derived stays until they load again).
        public var problems: [PluginError]
        /// The sessions the rules call into (keep them alive for the inference run).
        var sessions: [PluginSession]
        /// The entity and relation types each rule names (for `mosaic check`'s `typeProblems`).
        public var typeUses: [TypeUse] = []
    }

    /// The types one rule names: what its pattern (or `reads`) reads and what it derives.
    public struct TypeUse: Sendable {
        public var plugin: String
        public var file: String
        public var rule: String
        public var readsRelations: [String] = []
        public var readsLabels: [String] = []
        public var writesRelations: [String] = []
        public var writesLabels: [String] = []
    }

    public static func load(_ runner: PluginRunner, enabled: (String) -> Bool = { _ in true },
                            params: [String: [String: String]] = [:]) -> Loaded {
        var out = Loaded(rules: [], problems: [], sessions: [])
        for entry in runner.discover() where enabled(entry.name) {
            guard let spec = entry.spec, !spec.rules.isEmpty else {
                if let e = entry.error { out.problems.append(e) }
                continue
            }
            do throws(PluginError) {
                let session = try runner.session(entry.name)
                out.sessions.append(session)
                let p = try session.parameters(params[entry.name] ?? [:])
                for name in spec.rules {
                    var use = TypeUse(plugin: entry.name, file: session.file, rule: name)
                    out.rules.append(try rule(name, session: session, spec: spec, params: p, uses: &use))
                    out.typeUses.append(use)
                }
            } catch {
                var e = error
                // A rule's problem points at the rule's line in the file.
                if e.line == nil, e.message.hasPrefix("rule '"), let file = e.file,
                   let rule = e.message.dropFirst(6).split(separator: "'").first,
                   let text = try? String(contentsOf: runner.workspace.appendingPathComponent(file), encoding: .utf8) {
                    e.line = ruleLine(String(rule), in: text)
                }
                out.problems.append(e)
            }
        }
        return out
    }

    /// The line where rule `name` is defined in a plugin's source (`name = {`, or
    /// `["name"] =`), or nil.
    public static func ruleLine(_ name: String, in text: String) -> Int? {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = line.drop { $0 == " " || $0 == "\t" }
            for head in [name, "[\"\(name)\"]", "['\(name)']"] where t.hasPrefix(head) {
                if t.dropFirst(head.count).drop(while: { $0 == " " }).hasPrefix("=") { return i + 1 }
            }
        }
        return nil
    }

    /// The rules' entity and relation types that neither the schema nor the KB knows: a
    /// typo in a rule (`FLEWTO`) matches nothing and derives nothing, silently. A type is
    /// known when `kb/schema.yaml` declares it, a fact or entity of the KB has it, or a rule
    /// derives it. A Lua rule's `reads`/`writes` may also name a property, so they are
    /// checked only against relation types when they look like one (all capitals). With no
    /// types declared in the schema nothing is checked (a schemaless workspace).
    public static func typeProblems(_ loaded: Loaded, schema: Schema, graph: Graph, source: (String) -> String?) -> [PluginError] {
        guard !schema.entityTypes.isEmpty || !schema.relationTypes.isEmpty else { return [] }
        var relations = Set(schema.relationTypes.keys)
        var labels = Set(schema.entityTypes.keys).union(graph.labels)
        for u in loaded.typeUses { relations.formUnion(u.writesRelations); labels.formUnion(u.writesLabels) }
        func known(_ type: String) -> Bool { relations.contains(type) || graph.relationTypeID(type) != nil }
        var out: [PluginError] = []
        for u in loaded.typeUses {
            let line = source(u.file).flatMap { ruleLine(u.rule, in: $0) }
            func problem(_ message: String) {
                out.append(PluginError(plugin: u.plugin, phase: .spec, file: u.file, line: line, message: "rule '\(u.rule)': \(message)"))
            }
            for t in u.readsRelations where !known(t) && t.uppercased() == t {
                problem("the relation type '\(t)' is not declared in kb/schema.yaml and no fact has it\(suggestion(t, among: relations.union(graph.relationTypes)))")
            }
            for l in u.readsLabels where !labels.contains(l) {
                problem("the entity type '\(l)' is not declared in kb/schema.yaml and no entity has it\(suggestion(l, among: labels))")
            }
            for t in u.writesRelations where !schema.relationTypes.keys.contains(t) && graph.relationTypeID(t) == nil
                && t.uppercased() == t && schema.strict {
                problem("derives the relation type '\(t)', which the strict schema does not declare (add it to kb/schema.yaml)")
            }
        }
        return out
    }

    /// ` (did you mean X?)` for the closest of `names`, else "".
    static func suggestion(_ name: String, among names: Set<String>) -> String {
        Suggest.closest(name, in: Array(names)).map { " (did you mean \($0)?)" } ?? ""
    }

    static func fail(_ session: PluginSession, _ rule: String, _ message: String) -> PluginError {
        PluginError(plugin: session.name, phase: .spec, file: session.file, message: "rule '\(rule)': \(message)")
    }

    static func rule(_ name: String, session: PluginSession, spec: PluginSpec, params: [String: Value],
                     uses: inout TypeUse) throws(PluginError) -> any Rule {
        guard case .table(let t) = try session.value(path: ["rules", name]) else {
            throw fail(session, name, "must be a table with match/derive")
        }
        let id = RuleID(plugin: session.name, name: name, version: spec.version)
        let policy = try policyOf(t, session, name)
        let condition = try conditionOf(t, session, name)
        let box = Box(session)
        if case .string(let text) = t["match"] {
            let pattern: RulePattern
            do { pattern = try RulePattern.parse(text) } catch { throw fail(session, name, "match: \(error)") }
            guard case .table(let d) = t["derive"] else { throw fail(session, name, "give derive = {relation = …, from = …, to = …} or {property = …, of = …, value = …}") }
            let template: PatternRule.Template
            if case .string(let rel) = d["relation"], case .string(let a) = d["from"], case .string(let b) = d["to"] {
                template = .relation(from: a, type: rel, to: b, properties: [:])
            } else if case .string(let prop) = d["property"], case .string(let a) = d["of"] {
                template = .property(on: a, name: prop, value: value(d["value"]))
            } else if case .string(let label) = d["label"], case .string(let a) = d["of"] {
                template = .label(on: a, label)
            } else {
                throw fail(session, name, "derive must be {relation, from, to}, {property, of, value} or {label, of}")
            }
            uses.readsRelations = pattern.edges.flatMap(\.types)
            uses.readsLabels = pattern.labels.values.sorted()
            switch template {
            case .relation(_, let type, _, _): uses.writesRelations = [type]
            case .label(_, let label): uses.writesLabels = [label]
            case .property: break
            }
            var withinDays: Int? = t["within_days"].intValue.map(Int.init)
            switch t["within_days"] {
            case .nil, .integer: break
            case .string(let p):
                guard spec.params.contains(where: { $0.name == p }) else {
                    throw fail(session, name, "within_days names '\(p)', which is not a parameter of the plugin (declare it under params, or give a number of days)")
                }
                guard case .int(let v)? = params[p] else { throw fail(session, name, "within_days names the parameter '\(p)', which is not an integer") }
                withinDays = Int(v)
            case let v: throw fail(session, name, "within_days is a whole number of days or a parameter's name, not \(v.typeName)")
            }
            if let w = withinDays, w < 0 { throw fail(session, name, "within_days must not be negative (\(w))") }
            let within = withinDays
            let distinctList: [LuaValue] = t["distinct"].tableValue?.array ?? []
            let distinct = distinctList.compactMap { $0.stringValue }
            if distinct.count != distinctList.count { throw fail(session, name, "distinct lists relationship names as strings: distinct = {\"f\", \"g\"}") }
            let edgeSet = Set(pattern.edges.map(\.name))
            for v in distinct where !edgeSet.contains(v) {
                throw fail(session, name, "distinct names '\(v)', which the pattern does not bind as a relationship (it has \(pattern.edges.map(\.name).sorted().joined(separator: ", ")))")
            }
            let whereRef: LuaFunctionRef? = { if case .function(let f) = t["where"] { return f }; return nil }()
            let edgeNames = pattern.edges.map(\.name)
            let filter: @Sendable (PatternMatch) -> Bool = { m in
                if let within {
                    for i in edgeNames.indices { for j in edgeNames.indices where j > i {
                        if let days = m.daysBetween(edgeNames[i], edgeNames[j]), abs(days) > within { return false }
                    } }
                }
                if distinct.count > 1, Set(distinct.map { m.edge($0).id }).count < distinct.count { return false }
                guard let whereRef else { return true }
                var fields: [LuaTable.Entry] = []
                for (v, n) in m.nodes { fields.append(.init(key: .string(v), value: .string(m.view.key(of: n)))) }
                for e in edgeNames {
                    let f = m.edge(e)
                    var ef: [LuaTable.Entry] = [.init(key: "id", value: .integer(f.id)), .init(key: "confidence", value: .number(f.meta.effectiveConfidence))]
                    if let d = f.meta.validFrom { ef.append(.init(key: "valid_from", value: .string(d.description))) }
                    if let d = f.meta.validTo { ef.append(.init(key: "valid_to", value: .string(d.description))) }
                    if let g = f.meta.grading { ef.append(.init(key: "grading", value: .string(g.description))) }
                    fields.append(.init(key: .string(e), value: .table(LuaTable(fields: ef))))
                }
                let r = try? box.value.state.call(whereRef, [.table(LuaTable(fields: fields))])
                return r?.first?.isTruthy ?? false
            }
            do {
                return try PatternRule(id, edges: pattern.edges.map { PatternRule.Edge($0.name, $0.from, Set($0.types), $0.to) },
                                       labels: pattern.labels, where: filter, produce: [template], condition: condition, policy: policy)
            } catch { throw fail(session, name, "\(error)") }
        }
        guard case .function = t["derive"] else { throw fail(session, name, "give match = \"(a)-[r:T]->(b)\" with derive = {…}, or derive = function(params, kb, changes)") }
        let readList: [LuaValue] = t["reads"].tableValue?.array ?? []
        let reads = Set(readList.compactMap { $0.stringValue })
        let writeList: [LuaValue] = t["writes"].tableValue?.array ?? []
        let writes = Set(writeList.compactMap { $0.stringValue })
        guard !reads.isEmpty, !writes.isEmpty else { throw fail(session, name, "a Lua rule lists what it reads and writes: reads = {\"FLEW_TO\"}, writes = {\"ROUTE\"}") }
        uses.readsRelations = reads.sorted()
        uses.writesRelations = writes.sorted()
        let collected = Box([Derivation]())
        let derivePath = "kb.derive"
        session.state.setFunction(derivePath) { (s: LuaStack) throws(LuaError) -> Int32 in
            guard case .table(let a) = try s.value(1) else { throw LuaError(.argument, "bad argument #1 to 'kb.derive' (table expected)") }
            let premiseList: [LuaValue] = a["premises"].tableValue?.array ?? []
            let premises = premiseList.compactMap { $0.intValue }
            guard !premises.isEmpty else { throw LuaError(.argument, "bad argument #1 to 'kb.derive' (premises = {statement ids} expected)") }
            var props: [String: Value] = [:]
            for f in a["properties"].tableValue?.fields ?? [] { if case .string(let k) = f.key { props[k] = value(f.value) } }
            let meta = StatementMeta(origin: .system("rule"))
            if case .string(let rel) = a["relation"], case .string(let from) = a["from"], case .string(let to) = a["to"] {
                collected.value.append(Derivation(conclusion: StatementDraft(subject: from, kind: .relation(type: rel, target: to, properties: props), meta: meta), premises: premises))
            } else if case .string(let p) = a["property"], let sid = a["statement"].intValue {
                collected.value.append(Derivation(conclusion: StatementDraft(subject: "#\(sid)", kind: .relationProperty(name: p, value: value(a["value"])), meta: meta), premises: premises))
            } else if case .string(let p) = a["property"], case .string(let of) = a["of"] {
                collected.value.append(Derivation(conclusion: StatementDraft(subject: of, kind: .property(name: p, value: value(a["value"])), meta: meta), premises: premises))
            } else {
                throw LuaError(.argument, "bad argument #1 to 'kb.derive' ({relation, from, to}, {property, of, value} or {statement, property, value} expected)")
            }
            return 0
        }
        return FunctionRule(id, reads: reads, writes: writes, condition: condition, policy: policy) { _, delta in
            collected.value = []
            let changes = LuaValue.table(LuaTable(array: delta.facts.prefix(10_000).map { f in
                .table(LuaTable(fields: [.init(key: "id", value: .integer(f.id)), .init(key: "subject", value: .string(f.subject)),
                                         .init(key: "predicate", value: .string(f.predicate))]))
            }))
            do {
                _ = try box.value.call(path: ["rules", name, "derive"], params: params, extra: [changes])
            } catch { throw error }
            return collected.value
        }
    }

    static func value(_ v: LuaValue) -> Value {
        switch v {
        case .nil: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .int(i)
        case .number(let d): return .float(d)
        case .string(let s): return .string(s)
        case .table(let t): return .list(t.array.map(value))
        case .userdata(let u): return (u.payload as? PartialDate).map(Value.date) ?? .string("\(u.className)")
        case .function: return .null
        }
    }

    static func policyOf(_ t: LuaTable, _ s: PluginSession, _ name: String) throws(PluginError) -> InheritancePolicy {
        var p = InheritancePolicy.default
        switch t["confidence"] {
        case .nil, .string("min"): p.confidence = .min
        case .string("product"): p.confidence = .product
        case .string("average"): p.confidence = .average
        case let v: throw fail(s, name, "confidence is min, product or average, not \(v)")
        }
        switch t["valid_time"] {
        case .nil, .string("intersection"): p.validTime = .intersection
        case .string("span"): p.validTime = .span
        case .string("none"): p.validTime = .none
        case let v: throw fail(s, name, "valid_time is intersection, span or none, not \(v)")
        }
        return p
    }

    static func conditionOf(_ t: LuaTable, _ s: PluginSession, _ name: String) throws(PluginError) -> PremiseCondition {
        var c = PremiseCondition.any
        c.minConfidence = t["min_confidence"].doubleValue
        if let list = t["sources"].tableValue { c.sources = Set(list.array.compactMap { $0.stringValue }) }
        if let f = t["from"].stringValue { guard let d = PartialDate(f) else { throw fail(s, name, "from is a date") }; c.from = d }
        if let f = t["to"].stringValue { guard let d = PartialDate(f) else { throw fail(s, name, "to is a date") }; c.to = d }
        return c
    }
}
