/// CREATE, MERGE, SET, REMOVE and DELETE on the executor's copy of the graph.
extension Executor {
    func checkStorable(_ v: QueryValue, _ pos: SourcePosition?) throws {
        switch v {
        // durations and temporals: a Mosaic graph refuses them when written (GraphView)
        case .null, .bool, .int, .float, .string, .date, .duration, .temporal: return
        case .list(let l):
            for x in l {
                switch x {
                case .bool, .int, .float, .string, .date, .duration, .temporal, .null: continue
                default: throw QueryError(.typeError, "InvalidPropertyType", "a property can hold a list of simple values only, not a list containing \(x.typeName)", at: pos, phase: .runtime)
                }
            }
        default:
            throw QueryError(.typeError, "InvalidPropertyType", "a property cannot hold a \(v.typeName); store simple values or lists of them", at: pos, phase: .runtime)
        }
    }

    func create(_ pattern: Pattern, _ row: inout Row) throws {
        for part in pattern { try createPart(part, &row) }
    }

    func createPart(_ part: PatternPart, _ row: inout Row) throws {
        var ids: [Int] = []
        for np in part.nodes {
            if let v = np.variable, let b = row[v] {
                guard case .node(let n) = b else {
                    throw QueryError(.semanticError, "CreateOnNull", "cannot create a relationship to '\(v)', which is \(b.typeName) here (e.g. from OPTIONAL MATCH); check it first", at: np.pos, phase: .runtime)
                }
                ids.append(n); continue
            }
            let props = (try evalProps(np.properties, row) ?? []).map { ($0.key, $0.value) }
            for (_, x) in props { try checkStorable(x, np.pos) }
            let n = try graph.createNode(labels: np.labels, properties: props.filter { !$0.1.isNull })
            graphChanged()
            changes.append(.createNode(n))
            for l in np.labels { changes.append(.addLabel(n, l)) }
            for (k, x) in props where !x.isNull { changes.append(.setNodeProperty(n, k, x)) }
            if let v = np.variable { row[v] = .node(n) }
            ids.append(n)
        }
        var rels: [Int] = []
        for (i, rp) in part.steps.map(\.rel).enumerated() {
            let props = (try evalProps(rp.properties, row) ?? []).map { ($0.key, $0.value) }
            for (_, x) in props { try checkStorable(x, rp.pos) }
            let (from, to) = rp.direction == .incoming ? (ids[i + 1], ids[i]) : (ids[i], ids[i + 1])
            let r = try graph.createRelationship(type: rp.types[0], from: from, to: to, properties: props.filter { !$0.1.isNull })
            graphChanged()
            changes.append(.createRelationship(r))
            for (k, x) in props where !x.isNull { changes.append(.setRelationshipProperty(r, k, x)) }
            if let v = rp.variable { row[v] = .relationship(r) }
            rels.append(r)
        }
        if let pv = part.pathVariable { row[pv] = .path(PathValue(nodes: ids, relationships: rels)) }
    }

    func merge(_ part: PatternPart, _ onCreate: [SetItem], _ onMatch: [SetItem], _ row: Row, into out: inout [Row]) throws {
        for e in part.nodes.map(\.properties) + part.steps.map(\.rel.properties) {
            if let ps = try evalProps(e, row), ps.contains(where: { $0.value.isNull }) {
                throw QueryError(.semanticError, "MergeReadOwnWrites", "MERGE cannot match on a null property value; give every property in the pattern a value", at: e?.pos, phase: .runtime)
            }
        }
        var matched: [Row] = []
        let saved = usedRels; usedRels = []
        try matchPart(part, nil, row) { matched.append($0) }
        usedRels = saved
        if matched.isEmpty {
            var r = row
            try createPart(part, &r)
            for item in onCreate { try applySet(item, r) }
            out.append(r)
        } else {
            for r in matched {
                for item in onMatch { try applySet(item, r) }
                out.append(r)
            }
        }
    }

    func setProperty(_ target: QueryValue, _ key: String, _ value: QueryValue, _ pos: SourcePosition?) throws {
        try checkStorable(value, pos)
        switch target {
        case .null: return
        case .node(let n):
            if deletedNodes.contains(n) { return }
            try graph.setNodeProperty(n, key, value); changes.append(.setNodeProperty(n, key, value))
        case .relationship(let r):
            if deletedRels.contains(r) { return }
            try graph.setRelationshipProperty(r, key, value); changes.append(.setRelationshipProperty(r, key, value))
        default: throw QueryError.type("cannot set a property on \(target.typeName); SET works on nodes and relationships", pos)
        }
        graphChanged()
    }

    func properties(of v: QueryValue, _ pos: SourcePosition) throws -> [(String, QueryValue)] {
        switch v {
        case .map(let m): return m.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .node(let n): return graph.nodeProperties(n)
        case .relationship(let r): return graph.relationshipProperties(r)
        case .null: return []
        default: throw QueryError.type("SET = / += needs a map, node or relationship, not \(v.typeName)", pos)
        }
    }

    func applySet(_ item: SetItem, _ row: Row) throws {
        switch item {
        case .property(let te, let key, let ve):
            let target = try eval(te, row)
            try setProperty(target, key, try eval(ve, row), te.pos)
        case .replaceAll(let v, let ve, let pos), .merge(let v, let ve, let pos):
            let target = row[v] ?? .null
            if target.isNull { return }
            let newProps = try properties(of: try eval(ve, row), pos)
            if case .replaceAll = item {
                let old = try properties(of: target, pos)
                for (k, _) in old where !newProps.contains(where: { $0.0 == k }) { try setProperty(target, k, .null, pos) }
            }
            for (k, x) in newProps { try setProperty(target, k, x, pos) }
        case .labels(let v, let labels, let pos):
            switch row[v] ?? .null {
            case .null: return
            case .node(let n):
                for l in labels where !graph.hasLabel(n, l) { try graph.addLabel(n, l); changes.append(.addLabel(n, l)) }
                graphChanged()
            case let x: throw QueryError.type("labels can only be set on nodes, not \(x.typeName)", pos)
            }
        }
    }

    func applyRemove(_ item: RemoveItem, _ row: Row) throws {
        switch item {
        case .property(let te, let key):
            let target = try eval(te, row)
            switch target {
            case .node(let n): if !graph.nodeProperty(n, key).isNull { try setProperty(target, key, .null, te.pos) }
            case .relationship(let r): if !graph.relationshipProperty(r, key).isNull { try setProperty(target, key, .null, te.pos) }
            default: try setProperty(target, key, .null, te.pos)
            }
        case .labels(let v, let labels, let pos):
            switch row[v] ?? .null {
            case .null: return
            case .node(let n):
                for l in labels where graph.hasLabel(n, l) { try graph.removeLabel(n, l); changes.append(.removeLabel(n, l)) }
                graphChanged()
            case let x: throw QueryError.type("labels can only be removed from nodes, not \(x.typeName)", pos)
            }
        }
    }

    func delete(_ es: [Expr], detach: Bool, _ row: Row) throws {
        var nodes: [Int] = [], rels: [Int] = []
        func collect(_ v: QueryValue, _ pos: SourcePosition) throws {
            switch v {
            case .null: return
            case .node(let n): nodes.append(n)
            case .relationship(let r): rels.append(r)
            case .path(let p): nodes += p.nodes; rels += p.relationships
            case .list(let l): for x in l { try collect(x, pos) }
            default: throw QueryError.type("DELETE works on nodes, relationships and paths, not \(v.typeName)", pos)
            }
        }
        for e in es { try collect(try eval(e, row), e.pos) }
        for r in rels where graph.relationshipExists(r) {
            deletedRelTypes[r] = graph.relationshipType(r); try graph.deleteRelationship(r); deletedRels.insert(r); changes.append(.deleteRelationship(r))
        }
        for n in nodes where graph.nodeExists(n) {
            let attached = graph.relationships(of: n, direction: .both, types: [])
            if !attached.isEmpty {
                if !detach {
                    throw QueryError(.constraintVerificationFailed, "DeleteConnectedNode", "cannot delete a node that still has relationships; use DETACH DELETE or delete them first", at: es.first?.pos, phase: .runtime)
                }
                for (r, _) in attached where graph.relationshipExists(r) {
                    deletedRelTypes[r] = graph.relationshipType(r); try graph.deleteRelationship(r); deletedRels.insert(r); changes.append(.deleteRelationship(r))
                }
            }
            try graph.deleteNode(n); deletedNodes.insert(n); changes.append(.deleteNode(n))
        }
        graphChanged()
    }
}
