/// Names with a value each, in the order they were added, searched linearly: the binder's
/// scopes (variable → kind) and the slots of a compiled pattern (variable → slot). Queries
/// bind a handful of names, and hashing each one cost more than comparing them (the binder's
/// scopes; 4–7% of a lookup by id when the slots were a dictionary made per run, fourteenth
/// session).
struct NameList<Value>: Sequence, ExpressibleByDictionaryLiteral {
    struct Entry { var name: String; var value: Value }
    private(set) var entries: [Entry] = []

    init() {}
    init(dictionaryLiteral elements: (String, Value)...) { for (k, v) in elements { self[k] = v } }
    /// Each of `names` with `value`.
    init<S: Sequence>(names: S, value: Value) where S.Element == String { for n in names { self[n] = value } }

    subscript(_ name: String) -> Value? {
        get {
            for e in entries where e.name == name { return e.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let v = newValue { entries[i].value = v } else { entries.remove(at: i) }
            } else if let v = newValue {
                if entries.isEmpty { entries.reserveCapacity(4) }
                entries.append(Entry(name: name, value: v))
            }
        }
    }
    var isEmpty: Bool { entries.isEmpty }
    var keys: [String] { entries.map(\.name) }
    func contains(_ name: String) -> Bool { self[name] != nil }
    /// This list with `other`'s entries added (other's value wins).
    func merging(_ other: NameList) -> NameList {
        var s = self
        for e in other.entries { s[e.name] = e.value }
        return s
    }
    func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        entries.lazy.map { (key: $0.name, value: $0.value) }.makeIterator()
    }
}

extension NameList: Sendable where Value: Sendable {}
extension NameList.Entry: Sendable where Value: Sendable {}
