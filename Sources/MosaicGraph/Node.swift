/// An entity as the graph holds it. `labels[0]` is the entity's type when it has one.
public struct Node: Sendable {
    /// One property value with the statement behind it.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: Value
        public var statement: Int64
    }

    /// The stable entity id (`hmeimim-air-base`); `_:N` for anonymous nodes made by queries.
    public var key: String
    public var labels: [String]
    /// The property values, each with its statement, in the order they were set: one small
    /// array instead of two hash tables per node (a node has a handful of properties).
    public private(set) var entries: [Entry]
    /// Position of each entry by name, kept only for a node with many properties
    /// (`indexThreshold` or more): a plugin that sets 20,000 properties of one entity must
    /// not scan the array for each of them. nil for the usual handful (no hash table per node).
    private var entryIndex: [String: Int]?
    /// The entity statement (`key` is a `labels[0]`), and one per extra label.
    public var statement: Int64
    public var labelStatements: [String: Int64]
    public var alive: Bool

    public init(key: String, labels: [String], entries: [Entry] = [], statement: Int64,
                labelStatements: [String: Int64] = [:], alive: Bool = true) {
        self.key = key; self.labels = labels; self.entries = entries; self.statement = statement
        self.labelStatements = labelStatements; self.alive = alive
        if entries.count >= Node.indexThreshold { rebuildEntryIndex() }
    }

    /// How many properties a node has before it keeps an index of them by name.
    static let indexThreshold = 16

    public var type: String { labels.first ?? "" }
    public var isAnonymous: Bool { key.hasPrefix("_:") }
    public var name: String? { property("name")?.stringValue }
    public var aliases: [String] { property("aliases")?.listValue?.compactMap(\.stringValue) ?? [] }

    /// Where the entry named `name` is: a linear scan of a handful of entries, the index
    /// for a node with many.
    private func entryPosition(_ name: String) -> Int? {
        if let entryIndex { return entryIndex[name] }
        for i in entries.indices where entries[i].name == name { return i }
        return nil
    }
    /// The value of one property.
    public func property(_ name: String) -> Value? {
        entryPosition(name).map { entries[$0].value }
    }
    /// The value of one property of the node at `p`, reading only the two fields it needs:
    /// `p.pointee.property(name)` copies the whole node first (five references retained).
    static func property(_ name: String, at p: UnsafePointer<Node>) -> Value? {
        if p.pointee.entryIndex != nil { return p.pointee.entryIndex![name].map { p.pointee.entries[$0].value } }
        return p.pointee.entries.withUnsafeBufferPointer { entries in
            for e in entries where e.name == name { return e.value }
            return nil
        }
    }
    /// The statement behind one property value.
    public func propertyStatement(_ name: String) -> Int64? {
        entryPosition(name).map { entries[$0].statement }
    }
    /// The property values by name (builds a dictionary: prefer `property(_:)` in loops).
    public var properties: [String: Value] {
        Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }
    /// The statement behind each property value (builds a dictionary).
    public var propertyStatements: [String: Int64] {
        Dictionary(entries.map { ($0.name, $0.statement) }, uniquingKeysWith: { $1 })
    }

    /// Sets or (with nil) removes a property; returns the value it replaced.
    @discardableResult
    mutating func setEntry(_ name: String, _ value: Value?, statement: Int64) -> Value? {
        if let i = entryPosition(name) {
            let old = entries[i].value
            if let value {
                entries[i].value = value; entries[i].statement = statement
            } else {
                entries.remove(at: i)
                // The positions after it moved down by one (removing many: `removeEntries`).
                if entryIndex != nil { rebuildEntryIndex() }
            }
            return old
        }
        if let value {
            entries.append(Entry(name: name, value: value, statement: statement))
            if entryIndex != nil {
                entryIndex![name] = entries.count - 1
            } else if entries.count >= Node.indexThreshold {
                rebuildEntryIndex()
            }
        }
        return nil
    }

    /// Removes the entries named in `names` in one pass; returns them (in entry order).
    mutating func removeEntries(_ names: Set<String>) -> [Entry] {
        var removed: [Entry] = []
        entries.removeAll { e in
            guard names.contains(e.name) else { return false }
            removed.append(e)
            return true
        }
        if !removed.isEmpty { rebuildEntryIndex() }
        return removed
    }

    private mutating func rebuildEntryIndex() {
        guard entries.count >= Node.indexThreshold else { entryIndex = nil; return }
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { index[e.name] = i }
        entryIndex = index
    }
}

/// A relation as the graph holds it, with its statement's metadata inline, packed into
/// 48 bytes: dates as one word each, the statement and transaction ids as 32 bits (a graph
/// holds far fewer than four billion statements), the type as 16 bits, the grading and the
/// alive flag in one byte.
public struct Relationship: Sendable {
    private var fromBits: UInt64
    private var toBits: UInt64
    private var statement32: UInt32
    public var source: Int32
    public var target: Int32
    var sourcesRef: Int32
    var originRef: Int32
    private var tx32: UInt32
    /// NaN when not set (then the grading implies it).
    public var confidenceValue: Float
    private var type16: UInt16
    /// Bit 7: alive; bit 6: folded (a believed claim that is not a fact of its own: part of
    /// another relationship's fact, or a denial); bits 0–5: the grading (reliability × 6 +
    /// credibility, 0 for none).
    private var flags: UInt8

    init(source: Int32, target: Int32, type: Int32, statement: Int64, alive: Bool, validFrom: PartialDate?,
         validTo: PartialDate?, grading: Grading?, confidenceValue: Float, sourcesRef: Int32, originRef: Int32,
         txFrom: Int64) {
        precondition(statement >= 0 && statement <= Int64(UInt32.max) && txFrom >= 0 && txFrom <= Int64(UInt32.max),
                     "statement or transaction id beyond the graph's 32-bit range")
        precondition(type >= 0 && type <= Int32(UInt16.max), "more relation types than the graph can hold")
        self.fromBits = validFrom?.packed ?? 0
        self.toBits = validTo?.packed ?? 0
        self.statement32 = UInt32(statement)
        self.source = source; self.target = target
        self.sourcesRef = sourcesRef; self.originRef = originRef
        self.tx32 = UInt32(txFrom)
        self.confidenceValue = confidenceValue
        self.type16 = UInt16(type)
        self.flags = (alive ? 0x80 : 0) | (grading.map { $0.reliability * 6 + $0.credibility } ?? 0)
    }

    /// Index into `Graph.relationTypes`.
    public var type: Int32 { Int32(type16) }
    public var statement: Int64 { Int64(statement32) }
    public var alive: Bool {
        get { flags & 0x80 != 0 }
        set { flags = (flags & 0x7F) | (newValue ? 0x80 : 0) }
    }
    /// A believed claim that the graph shows through another relationship (its fact), or a
    /// denial: not alive, in no adjacency list, still found by `relationship(statement:)`.
    public internal(set) var folded: Bool {
        get { flags & 0x40 != 0 }
        set { flags = (flags & 0xBF) | (newValue ? 0x40 : 0) }
    }
    /// A claim the store still believes: a fact's relationship or a folded claim.
    public var believed: Bool { flags & 0xC0 != 0 }
    public var validFrom: PartialDate? { PartialDate(packed: fromBits) }
    public var validTo: PartialDate? { PartialDate(packed: toBits) }
    public var grading: Grading? {
        let code = flags & 0x3F
        return code == 0 ? nil : Grading(reliabilityIndex: (code - 1) / 6, credibility: (code - 1) % 6 + 1)
    }
    public var txFrom: Int64 { Int64(tx32) }

    public var confidence: Double {
        confidenceValue.isNaN ? (grading?.impliedConfidence ?? 1.0) : Double(confidenceValue)
    }
}

extension PartialDate {
    /// One word: the start second (40 bits, ±17,000 years), the offset in minutes (16 bits),
    /// the precision (3 bits) and a set bit; 0 stands for no date.
    var packed: UInt64 {
        precondition(seconds >= -(1 << 39) && seconds < (1 << 39), "date out of the packable range")
        return UInt64(bitPattern: seconds << 24) | UInt64(UInt16(bitPattern: offsetMinutes)) << 8
            | UInt64(precision.rawValue) << 1 | 1
    }

    init?(packed: UInt64) {
        guard packed & 1 == 1 else { return nil }
        self.init(seconds: Int64(bitPattern: packed) >> 24, precision: Precision(rawValue: UInt8((packed >> 1) & 7))!,
                  offsetMinutes: Int16(bitPattern: UInt16(truncatingIfNeeded: packed >> 8)))
    }
}
