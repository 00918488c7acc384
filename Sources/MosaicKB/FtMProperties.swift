/// An FtM entity's properties as read from a line: (name, values) in the order written, each
/// name once. A small array rather than a dictionary: an entity has a handful of properties,
/// a file has hundreds of thousands of entities, and hashing every name cost more than
/// looking through a few. Used by `FtMLineScanner` and `FtMImporter`; uses nothing.
struct FtMProperties: Sendable, Sequence {
    private(set) var items: [(key: String, values: [String])] = []

    init() {}

    init(_ pairs: [(String, [String])]) { items = pairs.map { (key: $0.0, values: $0.1) } }

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }

    /// The values of `key`, nil when the entity does not have it.
    subscript(key: String) -> [String]? {
        for item in items where item.key == key { return item.values }
        return nil
    }

    /// Adds `key` with its values; false (and nothing added) when the entity has it already.
    mutating func add(_ key: String, _ values: [String]) -> Bool {
        guard self[key] == nil else { return false }
        items.append((key, values))
        return true
    }

    func makeIterator() -> IndexingIterator<[(key: String, values: [String])]> { items.makeIterator() }
}
