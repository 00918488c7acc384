import Foundation
import MosaicGraph
import Yams

/// A position in a kb file.
struct Pos: Sendable, Hashable {
    var line: Int
    var column: Int
    init(_ node: Yams.Node?) { line = node?.mark?.line ?? 0; column = node?.mark?.column ?? 0 }
    init(line: Int, column: Int) { self.line = line; self.column = column }
}

/// Options a fact may carry (valid time, sources, grading, confidence), as written.
struct FactOptions: Sendable {
    var since: PartialDate?
    var until: PartialDate?
    var sources: [Citation]?
    var note: String?
    /// `.some(nil)`: written `grade: null`, no grading even where the entity or file has one.
    var grade: Grading??
    var confidence: Double??
    /// The outlets the (single) source relays the fact through, nearest first (`via:`).
    var via: [String]?

    /// `self` with unset options taken from `outer` (fact ← entity ← file defaults). The
    /// chain of outlets belongs to the source: it is inherited only with the sources.
    func over(_ outer: FactOptions) -> FactOptions {
        var o = self
        if o.sources == nil {
            o.sources = outer.sources
            if o.via == nil { o.via = outer.via }
        }
        if o.grade == nil { o.grade = outer.grade }
        if o.confidence == nil { o.confidence = outer.confidence }
        return o
    }

    func meta(origin: Origin) -> StatementMeta {
        var sources = self.sources ?? []
        if !sources.isEmpty, note != nil || via != nil {
            let (oldVia, oldText) = KBProvenance.split(sources[0].note)
            sources[0].note = KBProvenance.note(via: via ?? oldVia, text: note ?? oldText)
        }
        return StatementMeta(validFrom: since, validTo: until, sources: sources, grading: grade ?? nil, confidence: confidence ?? nil, origin: origin)
    }
}

struct PropDecl {
    var name: String; var node: Yams.Node; var options: FactOptions; var pos: Pos
    /// Where the property's name was written (for errors about the name itself).
    var keyPos: Pos? = nil
}

struct EntityDecl {
    var id: String
    var type: String
    var pos: Pos
    var typePos: Pos
    var labels: [String] = []
    var props: [PropDecl] = []
    var options = FactOptions()
    var isSource = false
}

struct RelationDecl {
    var subject: String, type: String, object: String
    var subjectPos: Pos, typePos: Pos, objectPos: Pos
    var props: [(String, Yams.Node)] = []
    var options: FactOptions
    var pos: Pos
    /// `times: N`: the fact was recorded N times (N relations alike in everything).
    var times = 1
    /// `denied: true`: the source says the relation does not hold (a denial claim).
    var denied = false
}

/// One data file, parsed but not yet checked against the schema and the other files.
struct ParsedFile {
    var path: String
    var entities: [EntityDecl] = []
    var relations: [RelationDecl] = []
    var diagnostics: [KBDiagnostic] = []
    /// Outlet ids named in `via:` options, to check against the declared ids.
    var viaRefs: [(String, Pos)] = []
}

/// Reads kb data files (YAML) into declarations, keeping positions; reports shape errors.
struct KBParser {
    let path: String
    private(set) var diagnostics: [KBDiagnostic] = []
    /// Every outlet id named in a `via` (with its position): checked once all ids are known.
    private(set) var sourceRefs: [(String, Pos)] = []

    init(path: String) { self.path = path }

    mutating func error(_ pos: Pos, _ message: String) {
        diagnostics.append(KBDiagnostic(file: path, line: pos.line, column: pos.column, message: message))
    }

    /// Parses YAML into nodes. Data files use the `basic` resolver (no implicit tags): the
    /// compiler types plain scalars itself, and Yams' default resolver runs its regular
    /// expressions on every key comparison (most of a large file's load time).
    static func compose(_ text: String, path: String, resolver: Resolver = .default) -> (Yams.Node?, KBDiagnostic?) {
        do {
            let root = try Yams.compose(yaml: text, resolver)
            if let root, let problem = expansionProblem(root, textBytes: text.utf8.count, path: path) { return (nil, problem) }
            return (root, nil)
        } catch let e as YamlError {
            var pos = Pos(line: 1, column: 1)
            var problem = "\(e)"
            switch e {
            case .scanner(_, let p, let m, _), .parser(_, let p, let m, _), .composer(_, let p, let m, _):
                pos = Pos(line: m.line, column: m.column); problem = p
            case .duplicatedKeysInMapping(let dups, _):
                problem = "duplicate keys \(dups.joined(separator: ", ")) in one mapping"
            default: break
            }
            return (nil, KBDiagnostic(file: path, line: pos.line, column: pos.column,
                                      message: "YAML syntax: \(problem); check indentation, colons and quotes near here"))
        } catch {
            return (nil, KBDiagnostic(file: path, line: 1, column: 1, message: "YAML: \(error)"))
        }
    }

    /// YAML aliases repeat a node without repeating its text, so a few lines of nested
    /// anchors ("billion laughs") stand for billions of values, and every pass over the tree
    /// would walk them all. Without aliases a tree has fewer nodes than its text has bytes;
    /// one that expands past twice that (plus some room for modest alias use) is refused.
    /// The walk stops as soon as it passes the limit (found by `mosaic-fuzz kb`).
    static func expansionProblem(_ root: Yams.Node, textBytes: Int, path: String) -> KBDiagnostic? {
        let limit = 2 * textBytes + 10_000
        var count = 0
        var stack: [Yams.Node] = [root]
        while let n = stack.popLast() {
            count += 1
            if count > limit {
                let pos = Pos(n)
                return KBDiagnostic(file: path, line: max(pos.line, 1), column: max(pos.column, 1),
                                    message: "YAML aliases expand this file to more than \(limit) values (nested anchors and aliases); write the values out instead")
            }
            switch n {
            case .sequence(let seq): stack.append(contentsOf: seq)
            case .mapping(let m): for (k, v) in m { stack.append(k); stack.append(v) }
            default: break
            }
        }
        return nil
    }

    mutating func parse(_ text: String) -> ParsedFile {
        var file = ParsedFile(path: path)
        let (root, syntax) = KBParser.compose(text, path: path, resolver: .basic)
        if let syntax { file.diagnostics = [syntax]; return file }
        guard let root else { return file }
        guard let top = root.mapping else {
            error(Pos(root), "a kb data file is a mapping with keys defaults, sources, entities, relations")
            file.diagnostics = diagnostics
            return file
        }
        var defaults = FactOptions()
        if let d = top["defaults"] { defaults = options(d, allowed: ["source", "sources", "via", "grade", "confidence"]) }
        for (k, v) in top {
            switch k.string ?? "" {
            case "defaults": continue
            case "sources":
                for item in sequence(v, "sources") { if let e = source(item, defaults) { file.entities.append(e.0); file.relations += e.1 } }
            case "entities":
                for item in sequence(v, "entities") { if let e = entity(item, defaults) { file.entities.append(e) } }
            case "relations":
                for item in sequence(v, "relations") { if let r = relation(item, defaults) { file.relations.append(r) } }
            default:
                error(Pos(k), "unknown key '\(k.string ?? "")'\(Suggest.hint(k.string ?? "", ["defaults", "sources", "entities", "relations"])) (a data file has defaults, sources, entities, relations)")
            }
        }
        file.diagnostics = diagnostics
        file.viaRefs = sourceRefs
        return file
    }

    mutating func sequence(_ n: Yams.Node, _ what: String) -> [Yams.Node] {
        if case .scalar(let s) = n, s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
        guard let seq = n.sequence else { error(Pos(n), "'\(what)' must be a list (items start with '- ')"); return [] }
        return Array(seq)
    }

    mutating func scalar(_ n: Yams.Node?, _ what: String) -> String? {
        guard let n else { return nil }
        guard let s = n.scalar?.string, !s.isEmpty else { error(Pos(n), "\(what) must be a plain value"); return nil }
        return s
    }

    mutating func date(_ n: Yams.Node, _ what: String) -> PartialDate? {
        guard let s = scalar(n, what) else { return nil }
        guard let d = PartialDate(s) else {
            error(Pos(n), "'\(s)' is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mmZ, and a day the month has)")
            return nil
        }
        return d
    }

    /// `sources:` as citations, with where each id (and each `via` id) was written.
    mutating func citations(_ n: Yams.Node) -> ([Citation], [(String, Pos)]) {
        if let s = n.scalar?.string { return ([Citation(source: s)], []) }
        var out: [Citation] = []
        var refs: [(String, Pos)] = []
        for item in sequence(n, "sources") {
            if let s = item.scalar?.string { out.append(Citation(source: s)); continue }
            guard let m = item.mapping, let id = m["id"]?.string else {
                error(Pos(item), "a source is an article id or {id: …, note: …, via: […]}")
                continue
            }
            for (k, _) in m where !["id", "note", "via"].contains(k.string ?? "") {
                error(Pos(k), "unknown key '\(k.string ?? "")' in a source\(Suggest.hint(k.string ?? "", ["id", "note", "via"])) (id, note, via)")
            }
            var via: [String]? = nil
            if let v = m["via"] { let r = viaList(v); via = r.map(\.0); refs += r }
            out.append(Citation(source: id, note: KBProvenance.note(via: via ?? [], text: m["note"]?.string)))
        }
        return (out, refs)
    }

    /// `via: bloomberg` or `via: [bloomberg, flightradar24]`: entity ids, nearest outlet first.
    mutating func viaList(_ n: Yams.Node) -> [(String, Pos)] {
        if let s = n.scalar?.string, !s.isEmpty { return [(s, Pos(n))] }
        guard let seq = n.sequence else { error(Pos(n), "'via' is an outlet id or a list of them, nearest first: [bloomberg, flightradar24]"); return [] }
        return seq.compactMap { item in scalar(item, "an id in 'via'").map { ($0, Pos(item)) } }
    }

    /// `~`, `null` or nothing: an option explicitly unset.
    static func isNull(_ n: Yams.Node) -> Bool {
        guard case .scalar(let s) = n, s.style == .plain else { return false }
        return s.string.isEmpty || s.string == "~" || s.string == "null"
    }

    static let optionKeys = ["since", "until", "on", "source", "sources", "note", "via", "grade", "confidence"]

    /// Reads fact options from a mapping (ignoring keys in `others`, reporting unknown ones).
    mutating func options(_ n: Yams.Node, allowed: [String] = KBParser.optionKeys, others: [String] = []) -> FactOptions {
        var o = FactOptions()
        guard let m = n.mapping else { error(Pos(n), "expected a mapping of options (\(allowed.joined(separator: ", ")))"); return o }
        for (k, v) in m {
            let key = k.string ?? ""
            if others.contains(key) { continue }
            guard allowed.contains(key) else {
                error(Pos(k), "unknown option '\(key)'\(Suggest.hint(key, allowed + others)) (options: \((allowed + others).joined(separator: ", ")))")
                continue
            }
            switch key {
            case "since": o.since = date(v, "since")
            case "until": o.until = date(v, "until")
            case "on": if let d = date(v, "on") { o.since = d; o.until = d }
            case "source", "sources":
                let (c, refs) = citations(v)
                o.sources = c
                sourceRefs += refs
            case "note":
                guard let t = v.string else { error(Pos(v), "'note' is text; quote it if it contains ': ' or starts with a bracket"); break }
                o.note = t
            case "via":
                let r = viaList(v)
                o.via = r.map(\.0)
                sourceRefs += r
            case "grade" where KBParser.isNull(v): o.grade = .some(nil)
            case "confidence" where KBParser.isNull(v): o.confidence = .some(nil)
            case "grade":
                if let s = scalar(v, "grade") {
                    if let g = Grading(s) { o.grade = g } else {
                        error(Pos(v), "'\(s)' is not an Admiralty grading; write a reliability A–F and a credibility 1–6, like B2")
                    }
                }
            case "confidence":
                if let s = scalar(v, "confidence") {
                    if let c = Double(s), (0...1).contains(c) { o.confidence = c } else {
                        error(Pos(v), "confidence must be a number from 0 to 1, got '\(s)'")
                    }
                }
            default: break
            }
        }
        if m["on"] != nil, let other = m["since"] ?? m["until"] {
            error(Pos(other), "'on' already sets both ends of the valid time; give either 'on' or 'since'/'until'")
        }
        if let s = o.since, let u = o.until, u.end <= s.seconds {
            error(Pos(m["until"] ?? n), "'until' (\(u)) is before 'since' (\(s)); swap them or fix the date")
        }
        if o.note != nil, let srcs = o.sources, srcs.count > 1 {
            error(Pos(m["note"] ?? n), "'note' belongs to a single source; with several, write sources: [{id: …, note: …}]")
        }
        if o.via != nil, let srcs = o.sources, srcs.count > 1 {
            error(Pos(m["via"] ?? n), "'via' belongs to a single source; with several, write sources: [{id: …, via: […]}]")
        }
        return o
    }

    static let entityKeys = ["id", "type", "name", "aliases", "labels", "description", "props"] + ["source", "sources", "via", "grade", "confidence", "note"]

    mutating func entity(_ n: Yams.Node, _ defaults: FactOptions) -> EntityDecl? {
        guard let m = n.mapping else { error(Pos(n), "an entity is a mapping with id, type, name, …"); return nil }
        for (k, _) in m where !KBParser.entityKeys.contains(k.string ?? "") {
            error(Pos(k), "unknown entity key '\(k.string ?? "")'\(Suggest.hint(k.string ?? "", KBParser.entityKeys)); put other values under props:")
        }
        guard let idNode = m["id"], let id = scalar(idNode, "id") else { error(Pos(n), "this entity has no id; add id: a-readable-slug"); return nil }
        guard let typeNode = m["type"], let type = scalar(typeNode, "type") else {
            error(Pos(idNode), "entity '\(id)' has no type; add type: (one of the entity_types in kb/schema.yaml)"); return nil
        }
        var e = EntityDecl(id: id, type: type, pos: Pos(idNode), typePos: Pos(typeNode))
        let optionKeys = ["source", "sources", "via", "grade", "confidence", "note"]
        // Unknown keys were reported above; the options reader skips every other key.
        let others = Array(m.keys.compactMap(\.string).filter { !optionKeys.contains($0) })
        e.options = options(n, allowed: optionKeys, others: others).over(defaults)
        if let l = m["labels"] { e.labels = sequence(l, "labels").compactMap { scalar($0, "a label") } }
        for key in ["name", "aliases", "description"] {
            if let v = m[key] { e.props.append(PropDecl(name: key, node: v, options: FactOptions(), pos: Pos(v))) }
        }
        if let p = m["props"] {
            guard let pm = p.mapping else { error(Pos(p), "props must be a mapping of name: value"); return e }
            for (k, v) in pm { e.props.append(prop(k.string ?? "", v, key: k)) }
        }
        e.props = e.props.map { var p = $0; p.options = p.options.over(e.options); return p }
        return e
    }

    mutating func prop(_ name: String, _ v: Yams.Node, key: Yams.Node? = nil) -> PropDecl {
        if let m = v.mapping, let value = m["value"] {
            return PropDecl(name: name, node: value, options: options(v, others: ["value"]), pos: Pos(value), keyPos: key.map(Pos.init))
        }
        return PropDecl(name: name, node: v, options: FactOptions(), pos: Pos(v), keyPos: key.map(Pos.init))
    }

    static let sourceKeys = ["id", "type", "title", "publisher", "date", "url", "reliability", "language", "name", "aliases", "props"]

    mutating func source(_ n: Yams.Node, _ defaults: FactOptions) -> (EntityDecl, [RelationDecl])? {
        guard let m = n.mapping, let idNode = m["id"], let id = scalar(idNode, "id") else {
            error(Pos(n), "a source is a mapping with id, title, publisher, date, url, reliability"); return nil
        }
        for (k, _) in m where !KBParser.sourceKeys.contains(k.string ?? "") {
            error(Pos(k), "unknown source key '\(k.string ?? "")'\(Suggest.hint(k.string ?? "", KBParser.sourceKeys))")
        }
        let typeNode = m["type"]
        var e = EntityDecl(id: id, type: typeNode?.string ?? "Article", pos: Pos(idNode), typePos: Pos(typeNode ?? idNode))
        e.isSource = true
        // A source is its own citation; a field may still carry a note or dates of its own
        // (`date: {value: 2025-10-30, note: inferred}`).
        e.options = FactOptions(sources: [Citation(source: id)])
        for key in ["title", "date", "url", "reliability", "language", "name", "aliases"] {
            if let v = m[key] { e.props.append(prop(key, v)) }
        }
        if m["name"] == nil, let t = m["title"] {
            var p = prop("name", t)
            p.options.note = nil
            p.options.sources = nil
            e.props.append(p)
        }
        if let r = e.props.first(where: { $0.name == "reliability" }), let letter = r.node.string,
           !(letter.count == 1 && "ABCDEF".contains(letter.uppercased())) {
            error(r.pos, "reliability is one letter A–F (A completely reliable … F cannot be judged)")
        }
        if let p = m["props"] {
            if let pm = p.mapping { for (k, v) in pm { e.props.append(prop(k.string ?? "", v, key: k)) } }
            else { error(Pos(p), "props must be a mapping of name: value") }
        }
        for i in e.props.indices {
            if e.props[i].options.sources != nil {
                error(e.props[i].pos, "a source's own fields cite the source itself; remove source/sources here")
            }
            e.props[i].options = e.props[i].options.over(e.options)
        }
        var rels: [RelationDecl] = []
        if let pub = m["publisher"], let pid = scalar(pub, "publisher") {
            rels.append(RelationDecl(subject: id, type: "PUBLISHED_BY", object: pid, subjectPos: Pos(idNode), typePos: Pos(pub),
                                     objectPos: Pos(pub), options: FactOptions(sources: [Citation(source: id)]), pos: Pos(pub)))
        }
        return (e, rels)
    }

    static let relationKeys = ["subject", "type", "object", "props", "times", "denied"] + optionKeys

    mutating func relation(_ n: Yams.Node, _ defaults: FactOptions) -> RelationDecl? {
        if let seq = n.sequence {
            let items = Array(seq)
            guard items.count == 3 || items.count == 4 else {
                error(Pos(n), "a relation is [subject, TYPE, object] or [subject, TYPE, object, {options}]"); return nil
            }
            guard let s = scalar(items[0], "the subject"), let t = scalar(items[1], "the relation type"), let o = scalar(items[2], "the object") else { return nil }
            var opts = FactOptions()
            var props: [(String, Yams.Node)] = []
            var times = 1
            if items.count == 4 {
                opts = options(items[3], others: ["props", "times", "denied"])
                if let p = items[3].mapping?["props"]?.mapping { props = p.map { ($0.key.string ?? "", $0.value) } }
                times = repeats(items[3].mapping?["times"])
            }
            return RelationDecl(subject: s, type: t, object: o, subjectPos: Pos(items[0]), typePos: Pos(items[1]),
                                objectPos: Pos(items[2]), props: props, options: opts.over(defaults), pos: Pos(n), times: times,
                                denied: items.count == 4 ? denial(items[3].mapping?["denied"]) : false)
        }
        guard let m = n.mapping else { error(Pos(n), "a relation is [subject, TYPE, object, {options}] or a mapping with subject, type, object"); return nil }
        guard let sn = m["subject"], let tn = m["type"], let on = m["object"],
              let s = scalar(sn, "subject"), let t = scalar(tn, "type"), let o = scalar(on, "object") else {
            error(Pos(n), "a relation needs subject, type and object"); return nil
        }
        let opts = options(n, others: ["subject", "type", "object", "props", "times", "denied"])
        var props: [(String, Yams.Node)] = []
        if let p = m["props"] {
            if let pm = p.mapping { props = pm.map { ($0.key.string ?? "", $0.value) } } else { error(Pos(p), "props must be a mapping") }
        }
        return RelationDecl(subject: s, type: t, object: o, subjectPos: Pos(sn), typePos: Pos(tn), objectPos: Pos(on),
                            props: props, options: opts.over(defaults), pos: Pos(n), times: repeats(m["times"]),
                            denied: denial(m["denied"]))
    }

    /// `denied: true|false` of a relation (false when absent).
    mutating func denial(_ n: Yams.Node?) -> Bool {
        guard let n else { return false }
        switch n.scalar?.string.lowercased() {
        case "true"?, "yes"?: return true
        case "false"?, "no"?: return false
        default:
            error(Pos(n), "'denied' is true (the source says this does not hold) or false")
            return false
        }
    }

    /// The most copies one `times:` asks for: each is a statement, so a larger count is
    /// refused (with its position) rather than filling memory.
    static let maxTimes = 10_000

    /// `times: N` of a relation (1 when absent): a whole number from 1 to `maxTimes`.
    mutating func repeats(_ n: Yams.Node?) -> Int {
        guard let n else { return 1 }
        guard let s = scalar(n, "times"), let k = Int(s), k >= 1 else {
            error(Pos(n), "'times' says how often this relation was recorded alike: a whole number from 1, like times: 2")
            return 1
        }
        guard k <= KBParser.maxTimes else {
            error(Pos(n), "times: \(s) is more than \(KBParser.maxTimes) (the most copies of one relation a kb file may ask for); write the relation with its real count, or import a large data set with mosaic import")
            return 1
        }
        return k
    }
}
