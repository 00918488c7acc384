/// Every workload `mosaic-bench` knows, in the order they run. Each engine adds its own
/// group here (see docs/benchmarks.md): the store's (issue 2) are in `StoreWorkloads`;
/// the query language, Lua plugins and inference add theirs the same way.
enum WorkloadRegistry {
    static var all: [Workload] {
        StoreWorkloads.all
            + QueryWorkloads.all      // issue 4: b lookup, c hop1/hop2, d pattern, e closure by query
            + ClockViewWorkloads.all  // issue 13: b and c on known-by and valid-at views
            + LuaWorkloads.all        // issue 3: f as a plugin scan, call costs
            + InferenceWorkloads.all  // issue 5: containment closure, incremental updates
            + LinkWorkloads.all       // issue 17: gazetteer linking over ../shared/bench corpus.txt
    }

    /// The workloads `spec` selects: a comma-separated list of groups (`a,b,f`) or names
    /// (`b.lookup`); nil or empty selects all.
    static func select(_ spec: String?) throws -> [Workload] {
        guard let spec, !spec.isEmpty else { return all.filter { !$0.onlyByName } }
        let wanted = Set(spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known = Set(all.map(\.group)).union(all.map(\.name))
        if let unknown = wanted.subtracting(known).sorted().first {
            throw BenchError("unknown workload '\(unknown)'; known: \(all.map(\.name).joined(separator: ", ")) (or the groups \(Set(all.map(\.group)).sorted().joined(separator: ",")))")
        }
        return all.filter { wanted.contains($0.name) || (wanted.contains($0.group) && !$0.onlyByName) }
    }
}
