import Foundation
import MosaicGraph

/// Writes a graph as one STIX 2.1 bundle (`mosaic export --format stix`): identities for
/// people and organisations, locations, infrastructure for aircraft and vessels, groupings
/// for events, a report per article with `object_refs` to what it supports, one relationship
/// per fact (valid time as `start_time`/`stop_time`), sightings for observed movements
/// (FLEW_TO…), notes for the analysts' notes, opinions for denials. Confidence (0–100) is the
/// fact's; the Admiralty grade, corroboration and dispute go in `x_mosaic_*` properties
/// declared by an extension definition in the bundle. Ids are UUIDv5 of Mosaic ids and fact
/// keys, timestamps come from the sources' dates, so the same KB gives the same bundle.
/// The mapping: docs/interop.md.
public struct STIXExporter {
    public let graph: Graph
    public let schema: Schema?
    public init(graph: Graph, schema: Schema?) { self.graph = graph; self.schema = schema }

    /// The namespace of every id (UUIDv5), fixed once for Mosaic.
    public static let namespace = "6f1c2e0a-6d3b-5b7e-9c4a-2f8d1e0b7a53"
    /// Relation types written as sightings (the subject seen at the object).
    public static let observedTypes: Set<String> = ["FLEW_TO", "FLEW_FROM", "LANDED_AT", "SIGHTED_AT", "SEEN_AT", "OBSERVED_AT", "DOCKED_AT", "VISITED"]
    static let locationTypes: Set<String> = ["Location", "Subdivision", "Country", "Governorate", "City", "Region", "Base", "Airport", "Territory", "Address"]
    static let organizationTypes: Set<String> = ["Organization", "Government", "Ministry", "NewsOrganization", "Company", "PublicBody", "LegalEntity"]
    static let vehicleTypes: Set<String> = ["Aircraft", "Airplane", "Vessel", "Ship", "Vehicle"]

    typealias J = Interop.JSON

    func id(_ type: String, _ name: String) -> String { "\(type)--" + Interop.uuid5(namespace: STIXExporter.namespace, name: "\(type):\(name)") }

    /// Kebab case of a relation type (`FLEW_TO` → `flew-to`), as STIX names relationship types.
    static func kebab(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "_", with: "-") }

    /// The bundle's text and the report of what was approximated and dropped.
    public func bundle() -> (text: String, report: String) {
        let g = graph
        var approximated: [String: Int] = [:]
        var dropped: [String: Int] = [:]

        // One time for created/modified: the latest publication date of a source in the KB.
        var latest: Int64 = 0
        for i in g.nodeIndices { if let d = g.node(i).property("date")?.dateValue, Interop.lineage(g.node(i).type, schema: schema).contains("Article") { latest = max(latest, d.seconds) } }
        let stamp = J.string(Interop.stixTime(latest))
        let producer = id("identity", "producer")
        let extensionID = id("extension-definition", "x_mosaic")
        let ext: (String, J) = ("extensions", .object([(extensionID, .object([("extension_type", .string("toplevel-property-extension"))]))]))
        func head(_ type: String, _ oid: String) -> [(String, J)] {
            [("type", .string(type)), ("spec_version", .string("2.1")), ("id", .string(oid)),
             ("created_by_ref", .string(producer)), ("created", stamp), ("modified", stamp)]
        }

        var objects: [(group: Int, id: String, json: J)] = []
        objects.append((0, producer, .object([("type", .string("identity")), ("spec_version", .string("2.1")), ("id", .string(producer)),
                                              ("created", stamp), ("modified", stamp), ("name", .string("Mosaic knowledge base")),
                                              ("identity_class", .string("system"))])))
        objects.append((0, extensionID, .object(head("extension-definition", extensionID) + [
            ("name", .string("Mosaic facts")),
            ("description", .string("Mosaic's grading of facts: x_mosaic_admiralty (Admiralty grade, reliability A-F and credibility 1-6), x_mosaic_corroboration (independent origins), x_mosaic_disputed, x_mosaic_id and x_mosaic_type (the Mosaic entity). See docs/interop.md.")),
            ("schema", .string("https://github.com/mosaic/mosaic/blob/main/docs/interop.md#stix-21")),
            ("version", .string("1.0")), ("extension_types", .array([.string("toplevel-property-extension")])),
            ("extension_properties", .array(["x_mosaic_admiralty", "x_mosaic_corroboration", "x_mosaic_disputed", "x_mosaic_id", "x_mosaic_type"].map(J.string))),
        ])))

        // Entities.
        var sdo: [Int32: String] = [:]
        var kinds: [Int32: String] = [:]
        var articles: [Int32] = []
        var events: [Int32] = []
        for i in g.nodeIndices {
            let n = g.node(i)
            if n.type == FtMExporter.datasetType { continue }
            let lineage = Set(Interop.lineage(n.type, schema: schema))
            if lineage.contains("Article") || lineage.contains("Document") { articles.append(i); sdo[i] = id("report", n.key); kinds[i] = "report"; continue }
            if lineage.contains("Event") { events.append(i); sdo[i] = id("grouping", n.key); kinds[i] = "grouping"; continue }
            var fields: [(String, J)] = []
            let type: String
            if !lineage.isDisjoint(with: STIXExporter.locationTypes) {
                type = "location"
                fields.append(("name", .string(n.name ?? n.key)))
                if let d = n.property("description")?.stringValue { fields.append(("description", .string(d))) }
                var placed = false
                if case .geo(let p)? = n.property("coordinates") {
                    fields.append(("latitude", .number(p.latitude))); fields.append(("longitude", .number(p.longitude))); placed = true
                }
                if let code = countryCode(i) { fields.append(("country", .string(code))); placed = true }
                if !placed {
                    fields.append(("region", .string("unknown")))
                    approximated["locations with no country code or coordinates (region: unknown)", default: 0] += 1
                }
            } else if !lineage.isDisjoint(with: STIXExporter.vehicleTypes) {
                type = "infrastructure"
                fields.append(("name", .string(n.name ?? n.key)))
                if let d = n.property("description")?.stringValue { fields.append(("description", .string(d))) }
                fields.append(("infrastructure_types", .array([.string("unknown")])))
                if !n.aliases.isEmpty { fields.append(("aliases", .array(n.aliases.map(J.string)))) }
                approximated["\(n.type) written as infrastructure", default: 0] += 1
            } else {
                type = "identity"
                fields.append(("name", .string(n.name ?? n.key)))
                if let d = n.property("description")?.stringValue { fields.append(("description", .string(d))) }
                let cls = lineage.contains("Person") ? "individual" : !lineage.isDisjoint(with: STIXExporter.organizationTypes) ? "organization" : "unknown"
                if cls == "unknown" { approximated["entities of other types written as identity (class unknown)", default: 0] += 1 }
                fields.append(("identity_class", .string(cls)))
                if let r = n.property("role")?.stringValue ?? n.property("title")?.stringValue { fields.append(("roles", .array([.string(r)]))) }
            }
            let oid = id(type, n.key)
            sdo[i] = oid
            kinds[i] = type
            objects.append((1, oid, .object(head(type, oid) + fields + [("x_mosaic_id", .string(n.key)), ("x_mosaic_type", .string(n.type)), ext])))
        }

        // Facts.
        var names = Interop.UniqueNames()
        var supports: [String: Set<String>] = [:]   // article key → what it supports
        var linked: [Int32: Set<String>] = [:]      // event → what its facts link it to
        var factIDs: [Int32: String] = [:]
        let facts = g.relationshipIndices.map { ($0, Interop.factKey(g, $0)) }.sorted { $0.1 < $1.1 }
        for (r, key) in facts {
            let rel = g.relationship(r)
            let type = g.typeName(of: r)
            guard let a = sdo[rel.source], let b = sdo[rel.target] else {
                if g.node(rel.source).type != FtMExporter.datasetType && g.node(rel.target).type != FtMExporter.datasetType {
                    dropped["relations with an end that is not exported", default: 0] += 1
                }
                continue
            }
            let v = g.validity(ofFact: r)
            let unique = names.make(key)
            var fields: [(String, J)] = []
            let oid: String
            if STIXExporter.observedTypes.contains(type), kinds[rel.source] != "report", ["location", "identity"].contains(kinds[rel.target] ?? "") {
                oid = id("sighting", unique)
                fields += head("sighting", oid)
                fields.append(("summary", .bool(false)))
                if let f = v.from { fields.append(("first_seen", .string(Interop.stixTime(f.seconds)))) }
                if let t = v.to { fields.append(("last_seen", .string(Interop.stixTime(t.end)))) }
                fields.append(("count", .int(1)))
                fields.append(("sighting_of_ref", .string(a)))
                fields.append(("where_sighted_refs", .array([.string(b)])))
                fields.append(("description", .string("\(type): \(g.node(rel.source).name ?? g.node(rel.source).key) → \(g.node(rel.target).name ?? g.node(rel.target).key)")))
            } else {
                oid = id("relationship", unique)
                fields += head("relationship", oid)
                fields.append(("relationship_type", .string(STIXExporter.kebab(type))))
                fields.append(("source_ref", .string(a)))
                fields.append(("target_ref", .string(b)))
                if let f = v.from { fields.append(("start_time", .string(Interop.stixTime(f.seconds)))) }
                if let t = v.to { fields.append(("stop_time", .string(Interop.stixTime(t.end)))) }
                let props = g.properties(ofRelationship: r).filter { $0.key != "denied" }
                if !props.isEmpty {
                    fields.append(("description", .string(props.sorted { $0.key < $1.key }.map { "\($0.key): \(Interop.texts($0.value).joined(separator: ", "))" }.joined(separator: "; "))))
                }
            }
            fields.append(("confidence", .int(Int64((g.confidence(ofFact: r) * 100).rounded()))))
            if let grade = g.grading(ofFact: r) { fields.append(("x_mosaic_admiralty", .string(grade.description))) }
            fields.append(("x_mosaic_corroboration", .int(Int64(g.corroboration(ofFact: r)))))
            fields.append(("x_mosaic_disputed", .bool(g.isDisputed(r))))
            fields.append(ext)
            objects.append((3, oid, .object(fields)))
            factIDs[r] = oid
            if kinds[rel.source] == "grouping" { linked[rel.source, default: []].insert(b) }
            if kinds[rel.target] == "grouping" { linked[rel.target, default: []].insert(a) }

            // Its sources: the reports that support it; the analysts' notes on them.
            for (n, (claim, c)) in g.citations(ofFact: r).enumerated() {
                supports[c.source, default: []].formUnion([oid, a, b])
                guard let note = c.note else { continue }
                let split = Citation.split(note)
                let nid = id("note", "\(unique)#\(n)")
                var content = split.text ?? ""
                if !split.via.isEmpty { content = "via \(split.via.joined(separator: ", "))" + (content.isEmpty ? "" : ": \(content)") }
                objects.append((4, nid, .object(head("note", nid) + [
                    ("abstract", .string("\(c.source) on \(STIXExporter.kebab(type))")), ("content", .string(content)),
                    ("authors", .array([.string(c.source)])), ("object_refs", .array([.string(oid)])),
                    ("x_mosaic_id", .string("#\(g.relationship(claim).statement)")), ext,
                ])))
            }
        }

        // Denials: an opinion against every fact a denial matches.
        for d in g.denialClaims {
            let den = g.relationship(d)
            let type = g.typeName(of: d)
            let denied = g.outgoing(den.source).filter { g.typeName(of: $0) == type && g.denials(ofFact: $0).contains(d) }.compactMap { factIDs[$0] }
            guard !denied.isEmpty else { dropped["denials of facts no claim asserts", default: 0] += 1; continue }
            let oid = id("opinion", "denial:\(den.statement):\(denied.sorted().joined(separator: ","))")
            let cites = g.sources(ofRelationship: d)
            var fields = head("opinion", oid) + [("opinion", .string("disagree"))]
            let text = cites.compactMap { Citation.split($0.note).text }.joined(separator: "; ")
            fields.append(("explanation", .string(text.isEmpty ? "a source denies this" : text)))
            if !cites.isEmpty { fields.append(("authors", .array(cites.map { .string($0.source) }))) }
            fields.append(("object_refs", .array(denied.sorted().map(J.string))))
            if let grade = den.grading { fields.append(("x_mosaic_admiralty", .string(grade.description))) }
            fields.append(("x_mosaic_id", .string("#\(den.statement)")))
            fields.append(ext)
            objects.append((5, oid, .object(fields)))
        }

        // Events as groupings of what their facts link them to.
        for e in events {
            let n = g.node(e)
            let oid = sdo[e]!
            var fields = head("grouping", oid)
            fields.append(("name", .string(n.name ?? n.key)))
            if let s = n.property("summary")?.stringValue ?? n.property("description")?.stringValue { fields.append(("description", .string(s))) }
            fields.append(("context", .string("unspecified")))
            let refs = (linked[e] ?? []).sorted()
            fields.append(("object_refs", .array((refs.isEmpty ? [producer] : refs).map(J.string))))
            fields += [("x_mosaic_id", .string(n.key)), ("x_mosaic_type", .string(n.type)), ext]
            objects.append((2, oid, .object(fields)))
            approximated["events written as grouping (STIX has no event object)", default: 0] += 1
        }

        // Articles as reports of what they support.
        for i in articles {
            let n = g.node(i)
            let oid = sdo[i]!
            var fields = head("report", oid)
            fields.append(("name", .string(n.property("title")?.stringValue ?? n.name ?? n.key)))
            if let d = n.property("description")?.stringValue { fields.append(("description", .string(d))) }
            fields.append(("published", .string(Interop.stixTime(n.property("date")?.dateValue?.seconds ?? latest))))
            var refs = (supports[n.key] ?? []).subtracting([oid]).sorted()
            if refs.isEmpty { refs = [producer]; dropped["articles that support no fact (report names the producer)", default: 0] += 1 }
            fields.append(("object_refs", .array(refs.map(J.string))))
            if let url = n.property("url")?.stringValue {
                fields.append(("external_references", .array([.object([("source_name", .string(n.key)), ("url", .string(url))])])))
            }
            fields += [("x_mosaic_id", .string(n.key)), ("x_mosaic_type", .string(n.type)), ext]
            objects.append((2, oid, .object(fields)))
        }

        objects.sort { ($0.group, $0.id) < ($1.group, $1.id) }
        let bundleID = "bundle--" + Interop.uuid5(namespace: STIXExporter.namespace, name: "bundle:" + Interop.sha1Hex(objects.map(\.id).joined(separator: ",")))
        let bundle = J.object([("type", .string("bundle")), ("id", .string(bundleID)), ("objects", .array(objects.map(\.json)))])
        func list(_ m: [String: Int]) -> String { m.isEmpty ? "none" : m.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ") }
        var counts: [String: Int] = [:]
        for o in objects { counts[String(o.id.prefix { $0 != "-" }), default: 0] += 1 }
        let report = "stix: \(objects.count) objects (\(counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))\n"
            + "stix: approximated: \(list(approximated))\nstix: dropped: \(list(dropped))\n"
        return (bundle.pretty() + "\n", report)
    }

    /// A location's ISO 3166-1 alpha-2 code: its own (`iso_code`, `country_code`, `country`),
    /// else the first found going up LOCATED_IN / PART_OF (breadth first, four steps).
    func countryCode(_ start: Int32) -> String? {
        let g = graph
        func own(_ i: Int32) -> String? {
            for k in ["iso_code", "country_code", "country"] {
                if let c = g.node(i).property(k)?.stringValue, c.count == 2 { return c.uppercased() }
            }
            return nil
        }
        var frontier = [start]
        var seen: Set<Int32> = [start]
        for _ in 0..<5 {
            var next: [Int32] = []
            for i in frontier {
                if let c = own(i) { return c }
                for r in g.outList(i) where ["LOCATED_IN", "PART_OF"].contains(g.typeName(of: r)) {
                    let t = g.relationship(r).target
                    if seen.insert(t).inserted { next.append(t) }
                }
            }
            frontier = next
        }
        return nil
    }
}
