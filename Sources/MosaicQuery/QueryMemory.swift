import Foundation

/// The estimates the memory budget of a query counts with (`QueryLimits.maxMemory`). They
/// are estimates of what the query holds, not an allocator's count: a row between clauses,
/// a group of an aggregation, a collected value, a walk in a shortestPath frontier; a single
/// string or list is checked before it is built (string and list `+`, `range()`,
/// `replace()`, list and pattern comprehensions), so one runaway value stops the query
/// before it takes the memory.
enum QueryMemory {
    /// One value in a list.
    static let valueBytes = MemoryLayout<QueryValue>.stride
    /// A row held between clauses (its names and values).
    @inline(__always) static func rowBytes(_ r: Row) -> Int { 64 + 48 * r.count }
    /// A row with what its paths and lists hold besides (rows of patterns that bind a path
    /// or a variable-length relationship, whose values grow with the walk).
    static func rowBytesWithPaths(_ r: Row) -> Int {
        var n = rowBytes(r)
        for (_, v) in r {
            switch v {
            case .path(let p): n += 64 + 8 * (p.nodes.count + p.relationships.count)
            case .list(let l): n += 32 + valueBytes * l.count
            default: break
            }
        }
        return n
    }
}

extension QueryLimits {
    /// `1 GiB`, `512 MiB`, `12 KiB`, `300 bytes`.
    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
