import Foundation
import MosaicGraph

// A proposed fact: what an extractor read in one sentence of an ingested document, waiting
// for an analyst's review. Its JSON is the documented shape (docs/ingest.md) and is what the
// store keeps. Uses MosaicGraph (dates, gradings) and JSONOut.

/// A proposed fact: a relation (or a denial of one) between two entities, either of which
/// may be a proposed new entity.
public struct Proposal: Sendable, Hashable {
    public struct Span: Sendable, Hashable {
        public var start: Int
        public var end: Int
        /// The entity the span names (evidence), when it names one.
        public var entity: String?
        public init(start: Int, end: Int, entity: String? = nil) { self.start = start; self.end = end; self.entity = entity }
    }
    /// A proposed new entity: the temporary id the relations use (`new:slug`), its name and type.
    public struct NewEntity: Sendable, Hashable {
        public var id: String
        public var name: String
        public var type: String
        public init(id: String, name: String, type: String) { self.id = id; self.name = name; self.type = type }
    }

    /// The store's id (0 before it is stored).
    public var id: Int64 = 0
    /// The document's source id.
    public var document: String
    public var sentence: Span
    public var relation: String
    public var from: String
    public var to: String
    public var validFrom: PartialDate?
    public var validTo: PartialDate?
    public var denied: Bool = false
    public var confidence: Double
    public var grade: Grading?
    /// `plugin/extractor`.
    public var extractor: String
    public var evidence: [Span]
    /// The outlets the fact came through before the document, nearest first (`via`).
    public var via: [String] = []
    /// The relation's own properties (`title` of an office, `topic`, …).
    public var properties: [String: String] = [:]
    /// The extractor's short note (its words, never the article's).
    public var note: String?
    /// New entities this proposal's ends stand for (`from`/`to` of the form `new:…`).
    public var newEntities: [NewEntity] = []
    /// How many times the document reports this very fact (three landings, two of them undated).
    public var times: Int = 1
    public var status: String = "pending"
    /// The statement id of a known fact the proposal repeats (it then adds a source to it).
    public var repeats: Int64?

    public init(document: String, sentence: Span, relation: String, from: String, to: String, validFrom: PartialDate? = nil,
                validTo: PartialDate? = nil, denied: Bool = false, confidence: Double, grade: Grading? = nil,
                extractor: String, evidence: [Span]) {
        self.document = document; self.sentence = sentence; self.relation = relation; self.from = from; self.to = to
        self.validFrom = validFrom; self.validTo = validTo; self.denied = denied; self.confidence = confidence
        self.grade = grade; self.extractor = extractor; self.evidence = evidence
    }

    /// The valid time's precision: that of the most precise bound, `range` when the bounds
    /// differ, null when undated.
    public var precision: String? {
        switch (validFrom, validTo) {
        case (nil, nil): return nil
        case let (f?, t?) where f == t: return f.precision.name
        case (.some, .some): return "range"
        case let (f?, nil): return f.precision.name
        case let (nil, t?): return t.precision.name
        }
    }

    /// What the proposal says, independent of where it was read: the store's key for
    /// "a rejected proposal does not come back".
    public var key: String {
        let props = properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let ends = [from, to].map { end in newEntities.first { $0.id == end }.map { "new:\($0.type):\(NameKey.normalize($0.name))" } ?? end }
        return "\(ends[0])|\(relation)|\(ends[1])|\(validFrom?.description ?? "")|\(validTo?.description ?? "")|\(denied)|\(times)|\(props)"
    }

    /// The documented JSON shape.
    public func json() -> JSONOut {
        func span(_ s: Span) -> JSONOut {
            var o: [(String, JSONOut)] = [("start", .int(s.start)), ("end", .int(s.end))]
            if let e = s.entity { o.append(("entity", .string(e))) }
            return .object(o)
        }
        var o: [(String, JSONOut)] = [
            ("id", .int(Int(id))), ("document", .string(document)),
            ("sentence", .object([("start", .int(sentence.start)), ("end", .int(sentence.end))])),
            ("relation", .string(relation)), ("from", .string(from)), ("to", .string(to)),
            ("valid", .object([("from", validFrom.map { .string($0.description) } ?? .null),
                               ("to", validTo.map { .string($0.description) } ?? .null),
                               ("precision", precision.map(JSONOut.string) ?? .null)])),
            ("denied", .bool(denied)), ("confidence", .number(confidence)),
            ("grade", grade.map { .string($0.description) } ?? .null), ("extractor", .string(extractor)),
            ("evidence", .array(evidence.map(span))), ("via", .array(via.map(JSONOut.string))),
        ]
        if !properties.isEmpty {
            o.append(("properties", .object(properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if let note { o.append(("note", .string(note))) }
        if !newEntities.isEmpty {
            o.append(("new_entities", .array(newEntities.map { .object([("id", .string($0.id)), ("name", .string($0.name)), ("type", .string($0.type))]) })))
        }
        if times != 1 { o.append(("times", .int(times))) }
        o.append(("status", .string(status)))
        if let repeats { o.append(("repeats", .int(Int(repeats)))) }
        return .object(o)
    }

    /// Reads the JSON back (as the store keeps it); nil when it is not a proposal.
    public init?(json text: String) {
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return nil }
        func spanOf(_ any: Any?) -> Span? {
            guard let d = any as? [String: Any], let s = (d["start"] as? NSNumber)?.intValue, let e = (d["end"] as? NSNumber)?.intValue else { return nil }
            return Span(start: s, end: e, entity: d["entity"] as? String)
        }
        guard let document = obj["document"] as? String, let sentence = spanOf(obj["sentence"]),
              let relation = obj["relation"] as? String, let from = obj["from"] as? String, let to = obj["to"] as? String,
              let extractor = obj["extractor"] as? String else { return nil }
        let valid = obj["valid"] as? [String: Any] ?? [:]
        let confidence = (obj["confidence"] as? NSNumber)?.doubleValue ?? 0
        self.init(document: document, sentence: sentence, relation: relation, from: from, to: to,
                  validFrom: (valid["from"] as? String).flatMap(PartialDate.init), validTo: (valid["to"] as? String).flatMap(PartialDate.init),
                  denied: obj["denied"] as? Bool ?? false, confidence: confidence, grade: (obj["grade"] as? String).flatMap(Grading.init),
                  extractor: extractor, evidence: (obj["evidence"] as? [Any] ?? []).compactMap(spanOf))
        id = (obj["id"] as? NSNumber)?.int64Value ?? 0
        via = obj["via"] as? [String] ?? []
        properties = obj["properties"] as? [String: String] ?? [:]
        note = obj["note"] as? String
        newEntities = (obj["new_entities"] as? [[String: Any]] ?? []).compactMap { d in
            guard let i = d["id"] as? String, let n = d["name"] as? String, let t = d["type"] as? String else { return nil }
            return NewEntity(id: i, name: n, type: t)
        }
        times = (obj["times"] as? NSNumber)?.intValue ?? 1
        status = obj["status"] as? String ?? "pending"
        repeats = (obj["repeats"] as? NSNumber)?.int64Value
    }

    /// The grade of a proposal: the source's reliability letter (F when unknown) and a
    /// credibility from the extractor's confidence (2 from 0.8, 3 from 0.6, 4 from 0.4, else 5;
    /// never 1, which needs independent confirmation).
    public static func grade(reliability: String?, confidence: Double) -> Grading {
        let letter = reliability.flatMap { $0.trimmingCharacters(in: .whitespaces).uppercased().first }.flatMap { "ABCDEF".contains($0) ? $0 : nil } ?? "F"
        let credibility = confidence >= 0.8 ? 2 : confidence >= 0.6 ? 3 : confidence >= 0.4 ? 4 : 5
        return Grading(reliability: letter, credibility: credibility)!
    }
}
