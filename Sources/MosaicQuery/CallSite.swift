/// A function call of the query text resolved once per execution: what the lower-cased
/// name refers to (an aggregate misplaced, `exists`, a graph function, a registry function
/// or nothing), and, for a pure registry function whose arguments are literals and
/// parameters only (`date($from)`), the value of its first successful evaluation.
/// The executor keeps them by the call's source offset (each call of a text has its own);
/// `Executor.call` checks the name too. A class: a lookup hands out one reference instead of
/// copying (and retaining) its names and function, and a folded value is kept in place.
final class CallSite {
    enum Target {
        case aggregate
        case exists
        case graph(GraphFunction)
        case registry
        case unknown
    }
    let name: String
    let lowerName: String
    let target: Target
    /// The registry's function of that name (also tried after a graph function declines,
    /// e.g. `size` of a list).
    let function: QueryFunction?
    /// Whether the value may be kept for the rest of the execution.
    let foldable: Bool
    var folded: QueryValue? = nil

    init(name: String, args: [Expr], functions: FunctionRegistry) {
        self.name = name
        let lname = name.lowercased()
        lowerName = lname
        function = functions.lookup(lname)
        if Expr.aggregateNames.contains(lname) { target = .aggregate }
        else if lname == "exists" { target = .exists }
        else if let g = GraphFunction(lname) { target = .graph(g) }
        else if function != nil { target = .registry }
        else { target = .unknown }
        var constantArgs = true
        for a in args {
            switch a.kind { case .literal, .parameter: continue; default: constantArgs = false }
        }
        if case .registry = target { foldable = constantArgs && function!.isPure } else { foldable = false }
    }
}

/// The built-in functions that read the graph or take graph values (id, labels, type, ...,
/// and Mosaic's statement metadata), resolved from their lower-cased names.
enum GraphFunction {
    case id, labels, type, properties, keys, startNode, endNode, nodes, relationships, length, size
    /// `sources`, `confidence`, `validFrom`, `validTo`, `grading`: the metadata key.
    case metadata(String)

    init?(_ lname: String) {
        switch lname {
        case "id": self = .id
        case "labels": self = .labels
        case "type": self = .type
        case "properties": self = .properties
        case "keys": self = .keys
        case "startnode": self = .startNode
        case "endnode": self = .endNode
        case "nodes": self = .nodes
        case "relationships": self = .relationships
        case "length": self = .length
        case "size": self = .size
        case "sources", "confidence", "grading", "corroboration", "claims", "disputed", "denials": self = .metadata(lname)
        case "validfrom": self = .metadata("validFrom")
        case "validto": self = .metadata("validTo")
        default: return nil
        }
    }
}
