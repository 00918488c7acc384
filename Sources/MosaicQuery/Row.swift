/// A row between clauses: the values of the variables in scope, by name, in the order they
/// were bound, in one array. Searched linearly: a row binds a handful of names, and comparing
/// them costs less than hashing each one (a `[String: QueryValue]` row spent about a sixth of
/// `UNWIND … WITH … WHERE … RETURN count(*)` hashing names, fifteenth session). Rows made
/// from the matcher's slots skip this type altogether (ValueSink, AggregateSink); the general
/// path reads and writes these.
struct Row: Sequence, ExpressibleByDictionaryLiteral {
    typealias Element = (key: String, value: QueryValue)
    private struct Entry { var name: String; var value: QueryValue }
    private var entries: [Entry] = []

    init() {}
    init(dictionaryLiteral elements: (String, QueryValue)...) { for (k, v) in elements { self[k] = v } }
    /// A row of distinct `columns` (a projection's) and their values, in order.
    init(columns: [String], values: [QueryValue]) {
        entries.reserveCapacity(columns.count)
        for (c, v) in zip(columns, values) { entries.append(Entry(name: c, value: v)) }
    }

    @inline(__always) private func position(_ name: String) -> Int? {
        entries.withUnsafeBufferPointer { b in
            for i in b.indices where b[i].name == name { return i }
            return nil
        }
    }

    subscript(_ name: String) -> QueryValue? {
        get { position(name).map { entries[$0].value } }
        set {
            if let i = position(name) {
                if let v = newValue { entries[i].value = v } else { entries.remove(at: i) }
            } else if let v = newValue {
                if entries.isEmpty { entries.reserveCapacity(4) }
                entries.append(Entry(name: name, value: v))
            }
        }
    }

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    /// The names, in the order they were bound.
    var keys: [String] { entries.map(\.name) }
    /// Whether the row binds exactly `names`, in that order (what `keys` would return, without making it).
    func hasNames(_ names: [String]) -> Bool {
        guard names.count == entries.count else { return false }
        for i in names.indices where entries[i].name != names[i] { return false }
        return true
    }

    /// This row with `other`'s bindings added (`combine` decides for a name in both).
    func merging(_ other: Row, uniquingKeysWith combine: (QueryValue, QueryValue) -> QueryValue) -> Row {
        var r = self
        r.entries.reserveCapacity(entries.count + other.entries.count)
        for e in other.entries {
            if let i = r.position(e.name) { r.entries[i].value = combine(r.entries[i].value, e.value) } else { r.entries.append(e) }
        }
        return r
    }

    func makeIterator() -> some IteratorProtocol<Element> {
        entries.lazy.map { (key: $0.name, value: $0.value) }.makeIterator()
    }
}
