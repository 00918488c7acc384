import Foundation
import MosaicGraph
import MosaicStore

/// Why the KB believes a statement: for an asserted statement, its sources; for a derived
/// one, each of its derivations (rule, version) with the proofs of its premises, down to
/// asserted statements. `mosaic why ID [--json]` prints it.
public struct Proof: Sendable, Codable, Hashable {
    public struct Step: Sendable, Codable, Hashable {
        public var rule: String
        public var plugin: String
        public var version: String
        public var premises: [Proof]
    }

    public var statement: Int64
    /// `hmeimim -[LOCATED_IN]-> syria`, `hmeimim.active = true`, …
    public var text: String
    public var origin: String
    public var derived: Bool
    public var validFrom: String?
    public var validTo: String?
    public var confidence: Double
    public var grading: String?
    public var sources: [Citation]
    /// Set when the statement has been retracted (the transaction that closed it).
    public var retractedAt: Int64?
    public var derivations: [Step]
    /// True when the tree stops here: the statement already appears above (a cycle), or
    /// the depth limit was reached.
    public var truncated: Bool

    /// The proof of statement `id`. A retracted statement is explained by the derivations
    /// it had when it was retracted.
    public static func build(store: Store, statement id: Int64, maxDepth: Int = 24) throws -> Proof {
        guard let s = try store.statement(id) else { throw InferenceError.notFound(id) }
        var cache: [Int64: Statement] = [id: s]
        return try build(store: store, s, depth: 0, maxDepth: maxDepth, path: [], cache: &cache)
    }

    private static func build(store: Store, _ s: Statement, depth: Int, maxDepth: Int, path: Set<Int64>,
                              cache: inout [Int64: Statement]) throws -> Proof {
        var p = Proof(statement: s.id, text: describe(s), origin: s.meta.origin.description, derived: false,
                      validFrom: s.meta.validFrom?.description, validTo: s.meta.validTo?.description,
                      confidence: s.meta.effectiveConfidence, grading: s.meta.grading?.description,
                      sources: s.meta.sources, retractedAt: s.txTo, derivations: [], truncated: false)
        var ds = try store.derivations(of: s.id, includeClosed: s.txTo != nil)
        if let end = s.txTo { ds = ds.filter { $0.txTo == nil || $0.txTo == end } }
        guard !ds.isEmpty else { return p }
        p.derived = true
        if path.contains(s.id) || depth >= maxDepth { p.truncated = true; return p }
        let missing = Set(ds.flatMap(\.premises)).filter { cache[$0] == nil }
        for st in try store.statements(ids: Array(missing)) { cache[st.id] = st }
        for d in ds {
            var step = Step(rule: d.rule, plugin: d.plugin, version: d.version, premises: [])
            for pid in d.premises {
                guard let ps = cache[pid] else { continue }
                step.premises.append(try build(store: store, ps, depth: depth + 1, maxDepth: maxDepth, path: path.union([s.id]), cache: &cache))
            }
            p.derivations.append(step)
        }
        return p
    }

    /// A one-line description of what a statement says.
    public static func describe(_ s: Statement) -> String {
        switch s.kind {
        case .entity(let t): "\(s.subject) is a \(t)"
        case .label(let l): "\(s.subject) is labelled \(l)"
        case .property(let n, let v): "\(s.subject).\(n) = \(v)"
        case .relation(let t, let target, let props):
            "\(s.subject) -[\(t)\(props.isEmpty ? "" : " " + Value.map(props).description)]-> \(target)"
        case .relationProperty(let n, let v): "\(s.subject).\(n) = \(v)"
        }
    }

    /// The proof as an indented tree: derived statements list each derivation and its
    /// premises; asserted statements end in their citations.
    public func render() -> String {
        var out: [String] = []
        render(into: &out, indent: "")
        return out.joined(separator: "\n")
    }

    private func render(into out: inout [String], indent: String) {
        var head = "\(indent)#\(statement) \(text)"
        var facts: [String] = []
        if validFrom != nil || validTo != nil { facts.append("valid \(validFrom ?? "…")–\(validTo ?? "…")") }
        if let g = grading { facts.append(g) }
        facts.append("confidence \(Value.formatFloat(confidence))")
        head += "  (" + facts.joined(separator: ", ") + ")"
        if let r = retractedAt { head += "  [retracted in transaction \(r)]" }
        out.append(head)
        if !derived {
            out.append("\(indent)  asserted by \(origin)")
            if sources.isEmpty { out.append("\(indent)  no source cited") }
            for (i, c) in sources.enumerated() { out.append("\(indent)  [\(i + 1)] \(c)") }
            return
        }
        if truncated { out.append("\(indent)  derived (shown above)"); return }
        for (i, d) in derivations.enumerated() {
            let label = derivations.count > 1 ? "derivation \(i + 1) of \(derivations.count): " : ""
            out.append("\(indent)  \(label)by rule \(d.plugin)/\(d.rule)@\(d.version) from")
            for p in d.premises { p.render(into: &out, indent: indent + "    ") }
        }
    }

    /// The proof as JSON (stable key order).
    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// The asserted statements at the leaves of the proof, each once, by id.
    public var groundPremises: [Proof] {
        var seen = Set<Int64>()
        var out: [Proof] = []
        func walk(_ p: Proof) {
            if !p.derived { if seen.insert(p.statement).inserted { out.append(p) }; return }
            for d in p.derivations { for q in d.premises { walk(q) } }
        }
        walk(self)
        return out.sorted { $0.statement < $1.statement }
    }
}
