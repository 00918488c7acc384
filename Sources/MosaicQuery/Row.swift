/// A row between clauses: a row of slots. The names live once in a `RowLayout` that the rows
/// an operator makes share; a row holds only its values, one per slot of its layout, and
/// which slots are unbound (as after the matcher has unbound a variable on its way back).
/// Operators make their rows in one layout (a projection's columns; an UNWIND's input layout
/// and its variable, `LayoutStep`), so the names are not copied into each row, and the
/// expressions an operator evaluates per row are compiled against its input's layout and
/// read slots by index (RowProgram, `SlotExpr.slot`, `value(at:)`). A read by name searches
/// the layout's handful of names linearly, which costs less than hashing the name (a
/// `[String: QueryValue]` row spent about a sixth of `UNWIND … WITH … WHERE … RETURN count(*)`
/// hashing names, fifteenth session). Rows made from the matcher's slots skip this type
/// altogether (ValueSink, AggregateSink).
///
/// Names are in their layout's order (the order they were first bound, or the pattern's for a
/// row a MATCH widened); `keys` and iteration give the bound ones.
struct Row: Sequence, ExpressibleByDictionaryLiteral {
    typealias Element = (key: String, value: QueryValue)
    /// nil for a row that has bound nothing yet (no layout is made for it).
    private(set) var layout: RowLayout?
    /// One value per slot of the layout (null in an unbound slot).
    private var values: [QueryValue]
    /// The unbound slots, bit i for slot i. Kept beside the values so that a row of values
    /// is taken as it is, with no array of optionals made from it. A slot past the 64th is
    /// never unbound: unbinding one moves the row to a layout without it (a scope of more
    /// than 64 names is rare).
    private var unbound: UInt64 = 0

    init() { layout = nil; values = [] }
    init(dictionaryLiteral elements: (String, QueryValue)...) {
        self.init()
        for (k, v) in elements { self[k] = v }
    }
    /// A row of `layout`'s slots, every one bound (`values` in the layout's order).
    init(layout: RowLayout, values: [QueryValue]) {
        self.layout = layout
        self.values = values
    }

    @inline(__always) private func isBound(_ i: Int) -> Bool {
        i >= 64 || unbound & (1 << UInt64(i)) == 0
    }

    /// The value in slot `i` of the row's layout (nil when unbound).
    @inline(__always) func value(at i: Int) -> QueryValue? { isBound(i) ? values[i] : nil }

    subscript(_ name: String) -> QueryValue? {
        get {
            guard let i = layout?.index(of: name) else { return nil }
            return value(at: i)
        }
        set {
            if let i = layout?.index(of: name) {
                set(i, newValue)
            } else if let v = newValue {
                layout = layout?.adding(name) ?? RowLayout([name])
                if values.isEmpty { values.reserveCapacity(4) }
                values.append(v)
            }
        }
    }

    /// This row in `wider`, a layout that starts with this row's slots (`RowLayout.adding`),
    /// with `v` in slot `slot` and the other new slots unbound: what an operator that binds
    /// a name does per row, with the layout worked out once (`LayoutStep`).
    func binding(_ v: QueryValue, at slot: Int, in wider: RowLayout) -> Row {
        guard wider.names.count <= 64 else { var r = self; r[wider.names[slot]] = v; return r }  // (see `unbound`)
        var r = widened(to: wider)
        r.set(slot, v)
        return r
    }

    /// This row in `wider`, a layout made from the row's by `RowLayout.adding` (its slots
    /// first), the new slots unbound: a MATCH widens each input row to the names its pattern
    /// binds before matching, so that binding and unbinding them writes slots and every row
    /// it makes from that input shares one layout. A layout of more than 64 names is not
    /// taken (see `unbound`): the row stays as it is, and binds by name extend it.
    func widened(to wider: RowLayout) -> Row {
        guard wider !== layout, wider.names.count <= 64 else { return self }
        var r = self
        r.layout = wider
        r.values.reserveCapacity(wider.names.count)
        while r.values.count < wider.names.count {
            r.unbound |= 1 << UInt64(r.values.count)
            r.values.append(.null)
        }
        return r
    }

    /// Binds slot `i` of the row's layout (nil: unbinds it).
    @inline(__always) mutating func set(_ i: Int, _ v: QueryValue?) {
        if let v {
            values[i] = v
            if i < 64 { unbound &= ~(1 << UInt64(i)) }
        } else if i < 64 {
            values[i] = .null
            unbound |= 1 << UInt64(i)
        } else {
            var names = layout!.names
            names.remove(at: i); values.remove(at: i)
            layout = RowLayout(names)
        }
    }

    // The matcher's general path reads and binds a pattern's variables with these: at `slot`
    // when it has one (>= 0, found once per input row), else by `name`. The three that write
    // or test are not inlined: they keep the matcher's loops small enough for the compiler
    // to inline the matcher's own nested functions (x.regex ran 468.9M instructions against
    // 461.3M when the slot-or-name choice was written out at each place; callgrind, 10k graph).

    /// The variable's value (nil: unbound).
    @inline(__always) func lookup(_ slot: Int, _ name: String) -> QueryValue? {
        slot >= 0 ? value(at: slot) : self[name]
    }

    /// Whether the variable is unbound in this row.
    @inline(never) func isUnbound(_ slot: Int, _ name: String) -> Bool {
        slot >= 0 ? !isBound(slot) : self[name] == nil
    }

    /// Binds the variable to `v` when it is unbound; returns whether it did.
    @inline(never) mutating func bindIfUnbound(_ slot: Int, _ name: String, _ v: QueryValue) -> Bool {
        if slot >= 0 {
            guard !isBound(slot) else { return false }
            set(slot, v)
        } else {
            guard self[name] == nil else { return false }
            self[name] = v
        }
        return true
    }

    /// Unbinds the variable.
    @inline(never) mutating func unbind(_ slot: Int, _ name: String) {
        if slot >= 0 { set(slot, nil) } else { self[name] = nil }
    }

    /// The row's values in slot order when it is a row of `layout` with every slot bound
    /// (a projection's row: its columns' values, no name looked up), else nil.
    @inline(__always) func values(in layout: RowLayout) -> [QueryValue]? {
        self.layout === layout && unbound == 0 ? values : nil
    }

    var isEmpty: Bool { count == 0 }
    /// How many names the row binds.
    var count: Int { values.count - unbound.nonzeroBitCount }
    /// The bound names, in their layout's order.
    var keys: [String] {
        guard let names = layout?.names else { return [] }
        return names.indices.compactMap { isBound($0) ? names[$0] : nil }
    }
    /// Whether the row binds exactly `names`, in that order (what `keys` would return, without making it).
    func hasNames(_ names: [String]) -> Bool {
        var k = 0
        for i in values.indices where isBound(i) {
            guard k < names.count, layout!.names[i] == names[k] else { return false }
            k += 1
        }
        return k == names.count
    }

    /// This row with `other`'s bindings added (`combine` decides for a name in both).
    func merging(_ other: Row, uniquingKeysWith combine: (QueryValue, QueryValue) -> QueryValue) -> Row {
        var r = self
        for (name, v) in other {
            if let mine = r[name] { r[name] = combine(mine, v) } else { r[name] = v }
        }
        return r
    }

    func makeIterator() -> some IteratorProtocol<Element> {
        let names = layout?.names ?? []
        let row = self
        return values.indices.lazy.compactMap { i in row.value(at: i).map { (key: names[i], value: $0) } }.makeIterator()
    }
}

/// The names of a row's slots, shared by the rows one operator makes. Immutable but for the
/// memo of the layouts one name longer (`adding`), which is touched only by the execution that
/// made the layout: layouts are made while a query runs and never kept in a plan (a plan is
/// shared between threads; an execution, its rows and their layouts stay on one).
final class RowLayout {
    let names: [String]
    /// Layouts made from this one by `adding`, by the added name. (Read at every name a row
    /// binds past its layout: not checked for exclusivity at run time, as the executor's state.)
    @exclusivity(unchecked) private var longer: [(name: String, layout: RowLayout)] = []

    init(_ names: [String]) { self.names = names }

    @inline(__always) func index(of name: String) -> Int? {
        names.withUnsafeBufferPointer { b in
            for i in b.indices where b[i] == name { return i }
            return nil
        }
    }

    /// This layout with `name` appended (the same object each time for the same name).
    func adding(_ name: String) -> RowLayout {
        for l in longer where l.name == name { return l.layout }
        let l = RowLayout(names + [name])
        longer.append((name, l))
        return l
    }

    /// This layout with those of `more` it lacks appended, in order.
    func adding(_ more: [String]) -> RowLayout {
        var l = self
        for n in more where l.index(of: n) == nil { l = l.adding(n) }
        return l
    }
}

/// The layout an operator that binds names makes its rows in: the input row's layout with
/// the names it lacks appended (`RowLayout.adding`), worked out once per input layout, not
/// once per row (rows of one operator share a layout, so this is about once per operator).
/// UNWIND binds one name; a MATCH, its pattern's variables.
struct LayoutStep {
    let names: [String]
    /// The last input layout seen, its output layout, and the slot of the first name in it.
    private var last: (from: RowLayout?, to: RowLayout, first: Int)?

    init(adding names: [String]) { self.names = names }

    /// The layout `row`'s output rows take.
    mutating func step(_ row: Row) -> RowLayout { stepOne(row).0 }

    /// The layout `row`'s output rows take, and the slot of the first name (UNWIND's one name;
    /// kept with the layout, not searched for per row).
    mutating func stepOne(_ row: Row) -> (RowLayout, Int) {
        if let l = last, l.from === row.layout { return (l.to, l.first) }
        // (a row that has bound nothing gets the names' layout, made at once: `names` are
        // distinct, as `ClausePlan.variables` lists them)
        let to = row.layout?.adding(names) ?? RowLayout(names)
        let first = names.first.flatMap { to.index(of: $0) } ?? -1
        last = (row.layout, to, first)
        return (to, first)
    }
}
