/// The values of a query's parameters: the ones given by name, and the literals
/// `Query.run` lifted out of the text (`$__lit0`, `$__lit1`, …; LiteralLifter) by position.
/// The lifted values are not copied into the dictionary: a one-off query made and filled one
/// per run (a dictionary, its hashing and its release were 4–5% of `MATCH (n {id: 'x'})
/// RETURN n.name`, fifteenth session). Read by the executor, the evaluator and SlotExpr.
struct QueryParameters: ExpressibleByDictionaryLiteral {
    var named: [String: QueryValue]
    /// The values of `$__lit0`, `$__lit1`, … (empty when nothing was lifted).
    var lifted: [QueryValue]

    init(_ named: [String: QueryValue], lifted: [QueryValue] = []) { self.named = named; self.lifted = lifted }
    init(dictionaryLiteral elements: (String, QueryValue)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { $1 }))
    }

    /// The value of `$name`, or nil when it was not given.
    subscript(_ name: String) -> QueryValue? {
        // (a text that names `$__lit0` itself is not lifted, so a lifted name is never also given)
        if !lifted.isEmpty, let i = LiteralLifter.index(name) { return i < lifted.count ? lifted[i] : named[name] }
        return named[name]
    }
}
