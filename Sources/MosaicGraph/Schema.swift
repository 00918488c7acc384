/// The types a knowledge base declares (`kb/schema.yaml`): entity types with their
/// properties, relation types with the entity types allowed at each end. A type may extend
/// another (`Base` extends `Location`), and then fits wherever its parent does.
public struct Schema: Sendable, Hashable {
    public enum PropertyType: String, Sendable, Hashable, CaseIterable {
        case string, integer, float, number, boolean, date, list, map, geo, any

        public func accepts(_ v: Value) -> Bool {
            switch (self, v) {
            case (.any, _), (_, .null): true
            case (.string, .string), (.integer, .int), (.float, .float), (.float, .int), (.number, .int),
                 (.number, .float), (.boolean, .bool), (.date, .date), (.list, .list), (.map, .map), (.geo, .geo): true
            default: false
            }
        }
    }

    public struct EntityType: Sendable, Hashable {
        public var name: String
        public var parent: String?
        public var properties: [String: PropertyType]
        public var description: String?
        public init(name: String, parent: String? = nil, properties: [String: PropertyType] = [:], description: String? = nil) {
            self.name = name; self.parent = parent; self.properties = properties; self.description = description
        }
    }

    public struct RelationType: Sendable, Hashable {
        public var name: String
        /// Entity types allowed at each end; empty means any.
        public var from: [String]
        public var to: [String]
        public var properties: [String: PropertyType]
        public var description: String?
        /// One object per subject at a time (`functional: true`).
        public var functional = false
        /// Relation types that cannot join the same ends at the same time (`excludes: [...]`).
        public var excludes: [String] = []
        public init(name: String, from: [String] = [], to: [String] = [], properties: [String: PropertyType] = [:], description: String? = nil) {
            self.name = name; self.from = from; self.to = to; self.properties = properties; self.description = description
        }
    }

    /// What cannot hold together, for the graph's conflict checks, and the type lineage
    /// the graph's label reads follow.
    public var factRules: FactRules {
        FactRules(functional: Set(relationTypes.values.filter(\.functional).map(\.name)),
                  excludes: relationTypes.values.reduce(into: [:]) { out, r in
                      if !r.excludes.isEmpty { out[r.name] = Set(r.excludes) }
                  },
                  lineage: typeLineage)
    }

    /// Each entity type that extends another → its ancestors, nearest first.
    public var typeLineage: TypeLineage {
        TypeLineage(ancestors: entityTypes.keys.reduce(into: [:]) { out, t in
            let line = Array(lineage(of: t).dropFirst())
            if !line.isEmpty { out[t] = line }
        })
    }

    public var entityTypes: [String: EntityType] = [:]
    public var relationTypes: [String: RelationType] = [:]
    /// Strict: writes from the query language and plugins must fit the schema too
    /// (kb files are always validated).
    public var strict = false
    /// Every fact in kb files must cite a source.
    public var requireSources = true

    public init() {}

    /// `type` and its ancestors, nearest first.
    public func lineage(of type: String) -> [String] {
        var out: [String] = []
        var t: String? = type
        while let cur = t, !out.contains(cur) {
            out.append(cur)
            t = entityTypes[cur]?.parent
        }
        return out
    }

    public func isA(_ type: String, _ ancestor: String) -> Bool { lineage(of: type).contains(ancestor) }

    /// The declared type of an entity property, looking up the type's ancestors; nil if undeclared.
    public func propertyType(entity type: String, property: String) -> PropertyType? {
        for t in lineage(of: type) { if let p = entityTypes[t]?.properties[property] { return p } }
        return nil
    }

    /// Why a relation of `type` from a `fromType` entity to a `toType` entity does not fit, or nil.
    public func relationProblem(type: String, fromType: String, toType: String) -> String? {
        guard let rt = relationTypes[type] else { return "unknown relation type '\(type)'" }
        if !rt.from.isEmpty && !rt.from.contains(where: { isA(fromType, $0) }) {
            return "\(type) cannot start at a \(fromType) (allowed: \(rt.from.joined(separator: ", ")))"
        }
        if !rt.to.isEmpty && !rt.to.contains(where: { isA(toType, $0) }) {
            return "\(type) cannot end at a \(toType) (allowed: \(rt.to.joined(separator: ", ")))"
        }
        return nil
    }
}
