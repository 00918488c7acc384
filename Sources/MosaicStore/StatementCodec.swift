import Foundation
import MosaicGraph

/// How statements map to the `statement` table's columns, and the content key that tells
/// whether a fact in a kb file is unchanged.
enum StatementCodec {
    static func encodeSources(_ s: [Citation]) -> String? {
        guard !s.isEmpty else { return nil }
        // `[["source","note"],…]`, written directly (the import writes one per relation).
        var out = "["
        for (i, c) in s.enumerated() {
            out += i == 0 ? "[" : ",["
            Value.writeJSONString(c.source, into: &out)
            if let note = c.note { out += ","; Value.writeJSONString(note, into: &out) }
            out += "]"
        }
        out += "]"
        return out
    }

    static func decodeSources(_ text: String?) -> [Citation] {
        guard let text, case .list(let items)? = Value.decode(text) else { return [] }
        return items.compactMap { item in
            guard case .list(let parts) = item, let s = parts.first?.stringValue else { return nil }
            return Citation(source: s, note: parts.count > 1 ? parts[1].stringValue : nil)
        }
    }

    /// (object, value) columns of a statement kind.
    static func columns(_ kind: StatementKind) -> (object: String?, value: String?) {
        switch kind {
        case .entity, .label: return (nil, nil)
        case .property(_, let v), .relationProperty(_, let v): return (nil, v.encoded)
        case .relation(_, let target, let props): return (target, props.isEmpty ? nil : Value.map(props).encoded)
        }
    }

    static func kind(code: Int, predicate: String, object: String?, value: String?) -> StatementKind? {
        switch code {
        case 0: return .entity(type: predicate)
        case 1: return .label(predicate)
        case 2: return .property(name: predicate, value: value.flatMap(Value.decode) ?? .null)
        case 3:
            guard let object else { return nil }
            var props: [String: Value] = [:]
            if let value, case .map(let m)? = Value.decode(value) { props = m }
            return .relation(type: predicate, target: object, properties: props)
        case 4: return .relationProperty(name: predicate, value: value.flatMap(Value.decode) ?? .null)
        default: return nil
        }
    }

    /// A 128-bit content key of everything a fact says except where it was written.
    static func factKey(_ d: StatementDraft) -> String {
        let (object, value) = columns(d.kind)
        var text = "\(d.subject)\u{1}\(d.kind.code)\u{1}\(d.kind.predicate)\u{1}\(object ?? "")\u{1}\(value ?? "")"
        text += "\u{1}\(d.meta.validFrom?.description ?? "")\u{1}\(d.meta.validTo?.description ?? "")"
        text += "\u{1}\(encodeSources(d.meta.sources) ?? "")\u{1}\(d.meta.grading?.description ?? "")"
        text += "\u{1}\(d.meta.confidence.map { String($0) } ?? "")"
        var h1: UInt64 = 0xcbf29ce484222325, h2: UInt64 = 0x84222325cbf29ce4
        for b in text.utf8 {
            h1 = (h1 ^ UInt64(b)) &* 0x100000001b3
            h2 = (h2 ^ UInt64(b)) &* 0x100000001b3 &+ 0x9e3779b97f4a7c15
        }
        return String(h1, radix: 16) + String(h2, radix: 16)
    }
}
