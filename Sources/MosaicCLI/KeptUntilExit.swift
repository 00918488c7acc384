import Foundation

/// Values a one-off command keeps until the process exits, so that they are never freed one
/// allocation at a time: the graph of a store of a million entities (a million nodes, two
/// million adjacency lists) takes about a third of a second to free, and `exit` hands the
/// whole memory back at once. Only for what a command holds until it ends anyway (a store's
/// database is still closed as usual: only the values kept here outlive it). Uses Foundation's
/// NSLock.
enum KeptUntilExit {
    // @unchecked Sendable: `values` is only touched under `lock`.
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var values: [Any] = []
    }
    private static let box = Box()

    static func keep(_ value: Any) {
        box.lock.lock()
        box.values.append(value)
        box.lock.unlock()
    }
}
