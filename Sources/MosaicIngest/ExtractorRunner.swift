import Foundation
import MosaicGraph
import MosaicLua
import MosaicPlugins

// Runs the plugins' extractors over a document, sentence by sentence, in the plugins' Lua
// sandbox (one state per plugin and document, with the plugin's limits), and collects what
// they `propose{…}`. An extractor that fails is reported (a PluginError naming its file and
// line) and dropped for the document; the others run. Uses MosaicPlugins (sessions),
// MosaicLua (values, errors), MosaicGraph (the entities' types, dates, gradings).

/// Runs every enabled plugin's `extractors` over one document.
public struct ExtractorRunner {
    public let runner: PluginRunner
    /// Whether a plugin takes part (mosaic.yaml's `enabled: false` turns one off).
    public var enabled: (String) -> Bool = { _ in true }

    public init(runner: PluginRunner) { self.runner = runner }

    public struct Output: Sendable {
        /// Proposals, deduplicated (the same fact read twice is one proposal with all the evidence).
        public var proposals: [Proposal]
        /// Extractors (or plugins) that failed, with why.
        public var failures: [PluginError]
        /// `plugin/extractor` names that ran.
        public var extractors: [String]
    }

    public func run(_ input: ExtractionInput, graph: Graph) -> Output {
        var out = Output(proposals: [], failures: [], extractors: [])
        let sentences = SentenceSplitter.split(input.text)
        for entry in runner.discover() where enabled(entry.name) {
            guard let spec = entry.spec, !spec.extractors.isEmpty else { continue }
            do throws(PluginError) {
                let session = try runner.session(entry.name)
                let names = spec.extractors.sorted()
                out.extractors += names.map { "\(entry.name)/\($0)" }
                let (proposals, failures) = runPlugin(session, names: names, sentences: sentences, input: input, graph: graph)
                out.proposals += proposals
                out.failures += failures
            } catch {
                out.failures.append(error)
            }
        }
        out.proposals = ExtractorRunner.merge(out.proposals)
        return out
    }

    /// Proposals that say the same thing are one, with the evidence of all and the highest
    /// confidence (the first one's `via`); an undated proposal of a fact also proposed with
    /// dates (same ends, type, properties, denial) joins the dated one.
    static func merge(_ list: [Proposal]) -> [Proposal] {
        var out: [Proposal] = []
        var index: [String: Int] = [:]
        func join(_ p: Proposal, into i: Int) {
            for e in p.evidence where !out[i].evidence.contains(e) { out[i].evidence.append(e) }
            if p.confidence > out[i].confidence { out[i].confidence = p.confidence; out[i].grade = p.grade }
        }
        func undatedKey(_ p: Proposal) -> String {
            var q = p
            q.validFrom = nil; q.validTo = nil; q.times = 1
            return q.key
        }
        for p in list {
            if let i = index[p.key] { join(p, into: i); continue }
            index[p.key] = out.count
            out.append(p)
        }
        // undated ones into a dated one
        var dated: [String: Int] = [:]
        for (i, p) in out.enumerated() where p.validFrom != nil || p.validTo != nil {
            if dated[undatedKey(p)] == nil { dated[undatedKey(p)] = i }
        }
        var drop: Set<Int> = []
        for (i, p) in out.enumerated() where p.validFrom == nil && p.validTo == nil {
            if let d = dated[undatedKey(p)] { join(p, into: d); drop.insert(i) }
        }
        return out.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }

    private final class Collector {
        var current = ""
        var sentence: Sentence?
        var proposals: [Proposal] = []
    }

    private func runPlugin(_ session: PluginSession, names: [String], sentences: [Sentence], input: ExtractionInput,
                           graph: Graph) -> ([Proposal], [PluginError]) {
        let collector = Collector()
        let state = session.state
        state.setFunction("propose") { s throws(LuaError) in
            try s.checkTable(1)
            let table = try s.value(1)
            guard case .table(let t) = table, let sentence = collector.sentence else { return 0 }
            let p = try ExtractorRunner.proposal(from: t, sentence: sentence, input: input, graph: graph, extractor: collector.current)
            collector.proposals.append(p)
            return 0
        }
        var failures: [PluginError] = []
        var wrappers: [(String, LuaFunctionRef)] = []
        do throws(LuaError) {
            // One doc table per document, shared by its extractors' calls (`doc.memo` persists).
            let make = try state.load("""
                local doc = ...
                doc.memo = {}
                return function(fn, s) return fn(s, doc) end
                """, chunkName: "=extract")
            let r = try state.call(make, [documentTable(input)])
            guard case .function(let call)? = r.first else { throw LuaError.runtime("extract wrapper") }
            for name in names {
                do throws(PluginError) {
                    guard case .function(let fn) = try session.value(path: ["extractors", name]) else { continue }
                    wrappers.append((name, fn))
                } catch { failures.append(error) }
            }
            var failed: Set<String> = []
            let mentionTables = sentences.map { sentenceTable($0, input: input, graph: graph) }
            for (k, sentence) in sentences.enumerated() {
                collector.sentence = sentence
                for (name, fn) in wrappers where !failed.contains(name) {
                    collector.current = "\(session.name)/\(name)"
                    do throws(LuaError) {
                        _ = try state.call(call, [.function(fn), mentionTables[k]])
                    } catch {
                        failed.insert(name)
                        collector.proposals.removeAll { $0.extractor == collector.current }
                        var e = PluginError(plugin: session.name, phase: .run, file: error.chunk ?? session.file, line: error.line,
                                            message: "extractor '\(name)' failed on sentence \(sentence.index + 1) (bytes \(sentence.start)-\(sentence.end)): \(error.bareMessage)",
                                            traceback: error.traceback, luaKind: error.kind)
                        if e.file?.hasPrefix("@") == true { e.file = String(e.file!.dropFirst()) }
                        failures.append(e)
                        if state.isKilled {
                            for (other, _) in wrappers where !failed.contains(other) {
                                failed.insert(other)
                                failures.append(PluginError(plugin: session.name, phase: .run, file: session.file,
                                                            message: "extractor '\(other)' skipped: the plugin's state was stopped by a limit"))
                            }
                        }
                    }
                }
            }
        } catch {
            failures.append(PluginError(plugin: session.name, phase: .run, file: session.file, line: error.line, message: error.bareMessage,
                                        traceback: error.traceback, luaKind: error.kind))
        }
        return (collector.proposals, failures)
    }

    // MARK: - What Lua sees

    private func documentTable(_ input: ExtractionInput) -> LuaValue {
        var t = LuaTable()
        t["source"] = .string(input.source)
        if let p = input.publisher { t["publisher"] = .string(p) }
        if let d = input.published { t["date"] = .string(d.description) }
        if let title = input.title { t["title"] = .string(title) }
        return .table(t)
    }

    /// `{text, index, paragraph, start, stop, mentions = {…}, dates = {…}}`; each mention
    /// `{id?, candidates, type?, name?, text, kind, title?, new_type?, i, j, start, stop}` (i, j:
    /// 1-based inclusive byte positions in `text`; start, stop: document byte offsets, stop
    /// exclusive); each date `{value?, from?, to?, precision, text, relative, i, j, start, stop}`.
    private func sentenceTable(_ s: Sentence, input: ExtractionInput, graph: Graph) -> LuaValue {
        var t = LuaTable()
        t["text"] = .string(s.text)
        t["index"] = .integer(Int64(s.index + 1))
        t["paragraph"] = .integer(Int64(s.paragraph + 1))
        t["start"] = .integer(Int64(s.start))
        t["stop"] = .integer(Int64(s.end))
        var ms: [LuaValue] = []
        for m in input.mentions where m.start >= s.start && m.end <= s.end {
            var mt = LuaTable()
            if let e = m.entity {
                mt["id"] = .string(e)
                if let n = graph.lookup(key: e) {
                    mt["type"] = .string(graph.node(n).type)
                    mt["labels"] = .table(LuaTable(array: graph.labels(ofNode: n).map { .string($0) }))
                    if let name = graph.node(n).name { mt["name"] = .string(name) }
                }
            }
            mt["candidates"] = .table(LuaTable(array: m.candidates.map { .string($0) }))
            mt["text"] = .string(m.text)
            mt["kind"] = .string(m.kind.rawValue)
            if let title = m.title { mt["title"] = .string(title) }
            if let ts = m.titleStart, ts >= s.start { mt["title_i"] = .integer(Int64(ts - s.start + 1)) }
            if m.kind == .new { mt["new_type"] = .string(m.newEntityType ?? "Entity") }
            mt["i"] = .integer(Int64(m.start - s.start + 1))
            mt["j"] = .integer(Int64(m.end - s.start))
            mt["start"] = .integer(Int64(m.start))
            mt["stop"] = .integer(Int64(m.end))
            ms.append(.table(mt))
        }
        t["mentions"] = .table(LuaTable(array: ms))
        var ds: [LuaValue] = []
        for d in input.dates where d.start >= s.start && d.end <= s.end {
            var dt = LuaTable()
            if let f = d.from {
                dt["value"] = .string(d.precision == .range ? "\(f)/\(d.to ?? f)" : f.description)
                dt["from"] = .string(f.description)
                dt["to"] = .string((d.to ?? f).description)
            }
            dt["precision"] = .string(d.precision.rawValue)
            dt["text"] = .string(d.text)
            dt["relative"] = .bool(d.relative)
            dt["i"] = .integer(Int64(d.start - s.start + 1))
            dt["j"] = .integer(Int64(d.end - s.start))
            dt["start"] = .integer(Int64(d.start))
            dt["stop"] = .integer(Int64(d.end))
            ds.append(.table(dt))
        }
        t["dates"] = .table(LuaTable(array: ds))
        return .table(t)
    }

    // MARK: - Reading a proposal

    static let keys: Set<String> = ["relation", "from", "to", "on", "since", "until", "denied", "confidence", "evidence",
                                    "via", "props", "note", "times"]

    static func bad(_ detail: String) -> LuaError { LuaError.badArgument(1, "propose", detail) }

    /// The proposal a `propose{…}` table describes, or a Lua argument error.
    static func proposal(from t: LuaTable, sentence: Sentence, input: ExtractionInput, graph: Graph, extractor: String) throws(LuaError) -> Proposal {
        for f in t.fields {
            guard case .string(let k) = f.key, keys.contains(k) else {
                throw bad("unknown field \(f.key) (use \(keys.sorted().joined(separator: ", ")))")
            }
        }
        guard case .string(let relation) = t["relation"], !relation.isEmpty, !relation.contains(where: \.isWhitespace) else {
            throw bad("field 'relation' must be a relation type, got \(t["relation"].typeName)")
        }
        var newEntities: [Proposal.NewEntity] = []
        func end(_ field: String) throws(LuaError) -> String {
            let v = t[field]
            switch v {
            case .string(let id):
                guard id == input.source || graph.lookup(key: id) != nil else { throw bad("field '\(field)': unknown entity '\(id)'") }
                return id
            case .table(let m):
                if case .string(let id) = m["id"] {
                    guard id == input.source || graph.lookup(key: id) != nil else { throw bad("field '\(field)': unknown entity '\(id)'") }
                    return id
                }
                var name: String?, type: String?
                if case .table(let n) = m["new"] { name = n["name"].stringValue; type = n["type"].stringValue }
                else if m["kind"].stringValue == "new" { name = m["text"].stringValue; type = m["new_type"].stringValue }
                guard let name, !name.isEmpty else {
                    throw bad("field '\(field)' must be an entity id, a mention with an id, or {new = {name = …, type = …}}")
                }
                let ne = Proposal.NewEntity(id: "new:" + Ingestor.slug(name), name: name, type: type ?? "Entity")
                if !newEntities.contains(ne) { newEntities.append(ne) }
                return ne.id
            default:
                throw bad("field '\(field)' must be an entity id or a mention, got \(v.typeName)")
            }
        }
        let from = try end("from"), to = try end("to")
        func date(_ field: String) throws(LuaError) -> (PartialDate?, PartialDate?) {
            switch t[field] {
            case .nil: return (nil, nil)
            case .string(let s):
                guard let d = PartialDate(s) else { throw bad("field '\(field)': '\(s)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") }
                return (d, d)
            case .userdata(let u):
                guard let d = u.payload as? PartialDate else { throw bad("field '\(field)' must be a date, got \(u.className)") }
                return (d, d)
            case .table(let dt):
                guard let f = dt["from"].stringValue.flatMap(PartialDate.init) else { throw bad("field '\(field)': the date mention has no value") }
                return (f, dt["to"].stringValue.flatMap(PartialDate.init) ?? f)
            case let v: throw bad("field '\(field)' must be a date, got \(v.typeName)")
            }
        }
        let on = try date("on"), since = try date("since"), until = try date("until")
        var vf = on.0, vt = on.1
        if let d = since.0 { vf = d }
        if let d = until.1 { vt = d }
        if let f = vf, let u = vt, u < f, f.relation(to: u) == .after { throw bad("the valid time ends (\(u)) before it starts (\(f))") }
        var confidence = 0.5
        if !t["confidence"].isNil {
            guard let c = t["confidence"].doubleValue, c >= 0, c <= 1 else { throw bad("field 'confidence' must be a number from 0 to 1") }
            confidence = c
        }
        var evidence: [Proposal.Span] = []
        if case .table(let ev) = t["evidence"] {
            for item in ev.array {
                guard case .table(let m) = item, let a = m["start"].intValue, let b = m["stop"].intValue ?? m["end"].intValue,
                      a >= 0, b >= a, b <= input.text.utf8.count else {
                    throw bad("field 'evidence' lists mentions or {start = …, stop = …} spans of the document")
                }
                evidence.append(Proposal.Span(start: Int(a), end: Int(b), entity: m["id"].stringValue))
            }
        } else if !t["evidence"].isNil { throw bad("field 'evidence' must be a table, got \(t["evidence"].typeName)") }
        var p = Proposal(document: input.source, sentence: Proposal.Span(start: sentence.start, end: sentence.end), relation: relation,
                         from: from, to: to, validFrom: vf, validTo: vt, denied: t["denied"].isTruthy, confidence: confidence,
                         grade: Proposal.grade(reliability: input.reliability, confidence: confidence), extractor: extractor, evidence: evidence)
        p.newEntities = newEntities
        switch t["via"] {
        case .nil: break
        case .string(let v): p.via = [v]
        case .table(let vt): p.via = vt.array.compactMap(\.stringValue)
        case let v: throw bad("field 'via' must be a list of entity ids, got \(v.typeName)")
        }
        for v in p.via where graph.lookup(key: v) == nil { throw bad("field 'via': unknown entity '\(v)'") }
        if case .table(let props) = t["props"] {
            for f in props.fields {
                guard case .string(let k) = f.key else { throw bad("field 'props' maps names to strings") }
                switch f.value {
                case .string(let s): p.properties[k] = s
                case .integer(let i): p.properties[k] = String(i)
                default: throw bad("field 'props.\(k)' must be a string")
                }
            }
        }
        if case .string(let n) = t["note"] { p.note = String(n.prefix(200)) }
        if !t["times"].isNil {
            guard let n = t["times"].intValue, n >= 1, n <= 100 else { throw bad("field 'times' must be a whole number from 1 to 100") }
            p.times = Int(n)
        }
        return p
    }
}
