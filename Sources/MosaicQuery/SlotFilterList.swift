/// A pattern part's compiled filters by stage (`MatchSlots.filters`, `relFilters`) in one
/// flat buffer that the matcher reads in place: `items[j]` for `j` in `range(k)` are stage
/// k's. Looping over `[[SlotExpr]]` retained the stage's list and each filter for every
/// candidate (issue 16: reference counting was two fifths of the filtered pattern's time).
/// The matcher owns it for one match and calls `free()` when done.
struct SlotFilterList {
    let items: UnsafeMutablePointer<SlotExpr>
    /// Stage k's filters are `items[starts[k] ..< starts[k + 1]]`.
    private let starts: UnsafeMutablePointer<Int>
    private let stages: Int
    private let count: Int

    init(_ lists: [[SlotExpr]]) {
        stages = lists.count
        count = lists.reduce(0) { $0 + $1.count }
        items = .allocate(capacity: max(count, 1))
        starts = .allocate(capacity: stages + 1)
        var at = 0
        for (k, list) in lists.enumerated() {
            starts[k] = at
            (items + at).initialize(from: list, count: list.count)
            at += list.count
        }
        starts[stages] = at
    }

    /// The positions of stage k's filters (none past the last stage).
    @inline(__always) func range(_ k: Int) -> Range<Int> { k < stages ? starts[k] ..< starts[k + 1] : 0 ..< 0 }

    func free() {
        items.deinitialize(count: count)
        items.deallocate()
        starts.deallocate()
    }
}
