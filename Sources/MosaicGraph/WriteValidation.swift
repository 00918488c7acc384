/// The rules every write path applies to what it is about to store (plugins today; the kb
/// loader, the console and import can call the same checks): identifiers that export and
/// load back, and values that are finite and bounded. Each check returns nil when the input
/// is acceptable, else a short description of the problem for the caller's error message.
public enum WriteValidation {
    /// Longest entity id, type name, relation type or property name, in characters.
    public static let maxIdentifierLength = 256
    /// Largest string value, in UTF-8 bytes.
    public static let maxStringBytes = 1 << 20
    /// Deepest nesting of lists and maps in one value.
    public static let maxValueDepth = 32

    public enum IdentifierKind: String, Sendable {
        case entityID = "entity id"
        case entityType = "entity type"
        case relationType = "relation type"
        case propertyName = "property name"
        case label = "label"
    }

    /// Checks an identifier:
    /// - not empty and not only whitespace, no leading or trailing whitespace;
    /// - no control characters (NUL, newlines, tabs, DEL, C1 controls);
    /// - at most `maxIdentifierLength` characters;
    /// - entity ids: no `/` or `\` and no leading `.` (ids name files in exports: "../x");
    /// - types and relation types: no whitespace at all (they are written bare in queries).
    public static func checkIdentifier(_ text: String, as kind: IdentifierKind) -> String? {
        if isPlainASCII(text, kind) { return nil }
        let what = kind.rawValue
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return text.isEmpty ? "\(what) must not be empty" : "\(what) must not be only whitespace"
        }
        if let c = text.unicodeScalars.first(where: isControl) {
            return "\(what) must not contain control characters (found U+\(hex(c)))"
        }
        let count = text.count
        if count > maxIdentifierLength {
            return "\(what) is \(count) characters long; the limit is \(maxIdentifierLength)"
        }
        if text.unicodeScalars.first!.properties.isWhitespace || text.unicodeScalars.last!.properties.isWhitespace {
            return "\(what) '\(text)' must not begin or end with whitespace"
        }
        switch kind {
        case .entityID:
            if text.contains("/") || text.contains("\\") { return "\(what) '\(text)' must not contain '/' or '\\'" }
            if text.hasPrefix(".") { return "\(what) '\(text)' must not begin with '.'" }
        case .entityType, .relationType, .label:
            if text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                return "\(what) '\(text)' must not contain whitespace"
            }
        case .propertyName:
            break
        }
        return nil
    }

    /// Checks a value: finite numbers, strings without NUL bytes and within `maxStringBytes`,
    /// map keys that are valid property names, nesting within `maxValueDepth`.
    public static func checkValue(_ value: Value) -> String? {
        checkValue(value, depth: 0)
    }

    private static func checkValue(_ value: Value, depth: Int) -> String? {
        if depth > maxValueDepth { return "value is nested deeper than \(maxValueDepth) lists or maps" }
        switch value {
        case .null, .bool, .int, .date: return nil
        case .float(let d):
            return d.isFinite ? nil : "number \(d) is not finite (NaN and infinities cannot be stored)"
        case .geo(let g):
            return g.latitude.isFinite && g.longitude.isFinite ? nil : "coordinates must be finite numbers"
        case .string(let s):
            if s.utf8.count > maxStringBytes {
                return "string value is \(s.utf8.count) bytes; the limit is \(maxStringBytes)"
            }
            if s.utf8.contains(0) { return "string value must not contain a NUL byte" }
            return nil
        case .list(let l):
            for e in l { if let p = checkValue(e, depth: depth + 1) { return p } }
            return nil
        case .map(let m):
            for (k, e) in m {
                if let p = checkIdentifier(k, as: .propertyName) { return "map key: \(p)" }
                if let p = checkValue(e, depth: depth + 1) { return p }
            }
            return nil
        }
    }

    /// Checks every identifier and value of a statement about to be written.
    public static func checkDraft(_ d: StatementDraft) -> String? {
        if let p = checkIdentifier(d.subject, as: .entityID) { return p }
        switch d.kind {
        case .entity(let type): return checkIdentifier(type, as: .entityType)
        case .label(let l): return checkIdentifier(l, as: .label)
        case .property(let name, let v), .relationProperty(let name, let v):
            return checkIdentifier(name, as: .propertyName) ?? checkValue(v)
        case .relation(let type, let target, let props):
            return checkIdentifier(type, as: .relationType) ?? checkIdentifier(target, as: .entityID)
                ?? checkValue(.map(props))
        }
    }

    /// The common case, decided on the bytes (a bulk import checks millions of identifiers):
    /// printable ASCII without spaces, within the length limit, and for entity ids no `/`,
    /// `\` or leading `.`. Anything else goes through the full checks.
    private static func isPlainASCII(_ text: String, _ kind: IdentifierKind) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.isEmpty, bytes.count <= maxIdentifierLength else { return false }
            if kind == .entityID && bytes[0] == UInt8(ascii: ".") { return false }
            for b in bytes {
                guard b > 0x20 && b < 0x7F else { return false }
                if kind == .entityID && (b == UInt8(ascii: "/") || b == UInt8(ascii: "\\")) { return false }
            }
            return true
        } ?? false
    }

    private static func isControl(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value)
    }

    private static func hex(_ c: Unicode.Scalar) -> String {
        let h = String(c.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
