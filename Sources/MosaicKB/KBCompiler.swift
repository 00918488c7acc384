import Foundation
import MosaicGraph
import Yams

/// Checks parsed kb files against the schema and the ids the whole KB declares, and turns
/// each file into the statements it asserts.
struct KBCompiler {
    let schema: Schema
    /// Every entity id the KB will hold after the load, with its type.
    let known: [String: String]
    private(set) var diagnostics: [KBDiagnostic] = []

    init(schema: Schema, known: [String: String]) {
        self.schema = schema
        self.known = known
    }

    private mutating func error(_ file: String, _ pos: Pos, _ message: String) {
        diagnostics.append(KBDiagnostic(file: file, line: pos.line, column: pos.column, message: message))
    }

    func origin(_ file: String, _ pos: Pos) -> Origin { .file(path: file, line: pos.line) }

    /// Reports what `WriteValidation` (the rules every write path applies) found, if anything.
    private mutating func check(_ problem: String?, _ file: String, _ pos: Pos) {
        if let problem { error(file, pos, "\(problem); fix the value in the file") }
    }

    /// The statements of one file (only meaningful when no diagnostics were added).
    mutating func compile(_ file: ParsedFile) -> [StatementDraft] {
        var drafts: [StatementDraft] = []
        let path = file.path
        let entityTypes = Array(schema.entityTypes.keys)
        for e in file.entities {
            if schema.entityTypes[e.type] == nil {
                error(path, e.typePos, "unknown entity type '\(e.type)'\(Suggest.hint(e.type, entityTypes)); declare it under entity_types in kb/schema.yaml")
            }
            checkSources(e.options, path, e.pos, what: "entity '\(e.id)'", isSource: e.isSource)
            check(WriteValidation.checkIdentifier(e.id, as: .entityID), path, e.pos)
            for l in e.labels { check(WriteValidation.checkIdentifier(l, as: .label), path, e.pos) }
            drafts.append(StatementDraft(subject: e.id, kind: .entity(type: e.type), meta: e.options.meta(origin: origin(path, e.pos))))
            for l in e.labels {
                drafts.append(StatementDraft(subject: e.id, kind: .label(l), meta: e.options.meta(origin: origin(path, e.pos))))
            }
            var seen: Set<String> = []
            for p in e.props {
                if !seen.insert(p.name).inserted { error(path, p.keyPos ?? p.pos, "property '\(p.name)' is given twice for '\(e.id)'"); continue }
                let declared = KBSchemaParser.builtinProperties[p.name] ?? schema.propertyType(entity: e.type, property: p.name)
                if declared == nil && schema.strict {
                    let names = schema.lineage(of: e.type).flatMap { schema.entityTypes[$0]?.properties.keys.map { $0 } ?? [] }
                    error(path, p.keyPos ?? p.pos, "property '\(p.name)' is not declared for \(e.type)\(Suggest.hint(p.name, names + Array(KBSchemaParser.builtinProperties.keys))); add it under entity_types.\(e.type).properties in kb/schema.yaml")
                }
                guard let v = value(p.node, declared, path, "property '\(p.name)' of '\(e.id)'") else { continue }
                check(WriteValidation.checkIdentifier(p.name, as: .propertyName) ?? WriteValidation.checkValue(v), path, p.keyPos ?? p.pos)
                checkSources(p.options, path, p.pos, what: "property '\(p.name)' of '\(e.id)'", isSource: e.isSource)
                drafts.append(StatementDraft(subject: e.id, kind: .property(name: p.name, value: v), meta: p.options.meta(origin: origin(path, p.pos))))
            }
        }
        for (id, pos) in file.viaRefs where known[id] == nil {
            error(path, pos, "'via' names '\(id)', which is not declared\(Suggest.hint(id, Array(known.keys))); declare the outlet under entities: (an Organization) or fix the id")
        }
        let relationTypes = Array(schema.relationTypes.keys)
        var timesLines: Set<Int> = []   // lines of relations with `times: N`
        for r in file.relations {
            var ok = true
            for (id, pos) in [(r.subject, r.subjectPos), (r.object, r.objectPos)] where known[id] == nil {
                error(path, pos, "no entity '\(id)'\(Suggest.hint(id, Array(known.keys))); declare it under entities: in some kb file, or fix the id")
                ok = false
            }
            guard let rt = schema.relationTypes[r.type] else {
                error(path, r.typePos, "unknown relation type '\(r.type)'\(Suggest.hint(r.type, relationTypes)); declare it under relation_types in kb/schema.yaml")
                continue
            }
            // (An end of an undeclared type was reported where it is declared.)
            if ok, let ft = known[r.subject], let tt = known[r.object],
               schema.entityTypes[ft] != nil, schema.entityTypes[tt] != nil,
               let problem = schema.relationProblem(type: r.type, fromType: ft, toType: tt) {
                error(path, r.typePos, "\(problem); '\(r.subject)' is \(KBCompiler.article(ft)) \(ft) and '\(r.object)' \(KBCompiler.article(tt)) \(tt)")
            }
            var props: [String: Value] = [:]
            for (name, node) in r.props {
                if rt.properties[name] == nil && schema.strict {
                    error(path, Pos(node), "\(r.type) has no property '\(name)'\(Suggest.hint(name, Array(rt.properties.keys))); add it under relation_types.\(r.type).properties in kb/schema.yaml")
                }
                if name == "denied" {
                    error(path, Pos(node), "'denied' is an option of the relation, not a property: write {denied: true} beside since/source")
                    continue
                }
                if let v = value(node, rt.properties[name], path, "property '\(name)' of \(r.type)") {
                    check(WriteValidation.checkIdentifier(name, as: .propertyName) ?? WriteValidation.checkValue(v), path, Pos(node))
                    props[name] = v
                }
            }
            if r.denied { props["denied"] = .bool(true) }
            checkSources(r.options, path, r.pos, what: "\(r.subject) \(r.type) \(r.object)", isSource: false)
            let draft = StatementDraft(subject: r.subject, kind: .relation(type: r.type, target: r.object, properties: props),
                                       meta: r.options.meta(origin: origin(path, r.pos)))
            drafts += repeatElement(draft, count: r.times)
            if r.times > 1 { timesLines.insert(r.pos.line) }
        }
        // A fact written twice is most likely a copy-paste slip: the same relation recorded
        // more than once says so with `times: N` (the copies of one line are not repeats).
        var firstLine: [StatementDraft: Int] = [:]
        // (Only in a file without other errors: a fact whose bad date was dropped is no repeat.)
        for d in drafts where file.diagnostics.isEmpty {
            guard case .file(_, let line) = d.meta.origin else { continue }
            var bare = d
            bare.meta.origin = .system("")
            if let first = firstLine[bare] {
                if case .entity = d.kind { continue }   // a duplicate id, reported elsewhere
                if first == line, timesLines.contains(line), case .relation = d.kind { continue }   // `times: N`
                error(path, Pos(line: line, column: 1), "this fact repeats the one at line \(first) (same subject, value, dates, sources and grade); remove it, write times: 2 on one of them if it was recorded twice, or tell them apart with a note")
            } else { firstLine[bare] = line }
        }
        return drafts
    }

    private mutating func checkSources(_ o: FactOptions, _ path: String, _ pos: Pos, what: String, isSource: Bool) {
        let sources = o.sources ?? []
        if sources.isEmpty && schema.requireSources && !isSource {
            error(path, pos, "\(what) cites no source; add source: ARTICLE-ID here or under the file's defaults:")
        }
        for c in sources {
            if let note = c.note { check(WriteValidation.checkValue(.string(note)).map { "note: \($0)" }, path, pos) }
        }
        if let note = o.note { check(WriteValidation.checkValue(.string(note)).map { "note: \($0)" }, path, pos) }
        for c in sources where known[c.source] == nil {
            error(path, pos, "\(what) cites '\(c.source)', which is not declared\(Suggest.hint(c.source, Array(known.keys))); add it under sources:")
        }
    }

    /// Converts a YAML value to a `Value` of the declared type (inferred when undeclared).
    mutating func value(_ n: Yams.Node, _ type: Schema.PropertyType?, _ path: String, _ what: String) -> Value? {
        let pos = Pos(n)
        func fail(_ expected: String) -> Value? {
            error(path, pos, "\(what) must be \(expected), got '\(n.scalar?.string ?? "a \(n.sequence != nil ? "list" : "mapping")")'")
            return nil
        }
        switch type ?? .any {
        case .any: return KBCompiler.infer(n)
        case .string:
            guard let s = n.scalar?.string else { return fail("text") }
            return .string(s)
        case .integer:
            guard let s = n.scalar?.string, let i = Int64(s) else { return fail("a whole number") }
            return .int(i)
        case .float, .number:
            guard let s = n.scalar?.string, let d = Double(s) else { return fail("a number") }
            if type == .number, let i = Int64(s) { return .int(i) }
            return .float(d)
        case .boolean:
            guard let s = n.scalar?.string.lowercased(), ["true", "false", "yes", "no"].contains(s) else { return fail("true or false") }
            return .bool(s == "true" || s == "yes")
        case .date:
            guard let s = n.scalar?.string, let d = PartialDate(s) else { return fail("a date (YYYY, YYYY-MM or YYYY-MM-DD)") }
            return .date(d)
        case .list:
            if let seq = n.sequence { return .list(seq.map(KBCompiler.infer)) }
            if let s = n.scalar?.string { return .list([.string(s)]) }
            return fail("a list")
        case .map:
            guard n.mapping != nil else { return fail("a mapping") }
            return KBCompiler.infer(n)
        case .geo:
            if let seq = n.sequence, seq.count == 2, let a = seq[0].string.flatMap(Double.init), let b = seq[1].string.flatMap(Double.init),
               (-90...90).contains(a), (-180...180).contains(b) {
                return .geo(GeoPoint(latitude: a, longitude: b))
            }
            return fail("[latitude, longitude] in degrees")
        }
    }

    static func article(_ word: String) -> String { "AEIOU".contains(word.first?.uppercased() ?? "") ? "an" : "a" }

    static func infer(_ n: Yams.Node) -> Value {
        switch n {
        case .scalar(let s):
            if s.style != .plain { return .string(s.string) }
            let t = s.string
            if t == "null" || t == "~" || t.isEmpty { return .null }
            if t == "true" { return .bool(true) }
            if t == "false" { return .bool(false) }
            if let i = Int64(t) { return .int(i) }
            if t.first?.isNumber == true || t.first == "-", let d = Double(t) { return .float(d) }
            if t.count >= 7, t.count <= 10, t.first?.isNumber == true, let d = PartialDate(t) { return .date(d) }
            return .string(t)
        case .sequence(let seq): return .list(seq.map(infer))
        case .mapping(let m):
            var out: [String: Value] = [:]
            for (k, v) in m { out[k.string ?? ""] = infer(v) }
            return .map(out)
        case .alias: return .null
        }
    }
}
