import Foundation
import MosaicGraph
import MosaicStore

/// Reads the `airportsdata` CSV (`mosaic import --format airports FILE`; columns icao, iata,
/// name, city, subd, country, elevation, lat, lon, tz, lid): each airfield becomes an
/// `Airport` entity `airport-<icao>` with its codes as aliases and properties, its coordinates
/// and `PART_OF` the subdivision (an entity PART_OF its country named like `subd`) or else the
/// country (`iso_code`), when the store has them. An entity whose `same_as` names the
/// airfield (`icao:OSLK`, see `ReferenceIndex`) gets the record instead of a new entity.
/// Every statement cites a `Dataset` source entity for the file; one transaction, and every
/// row is checked before anything is written. Uses `CSVReader`, `Store.writeBulk`.
public struct AirportsImporter {
    public struct Report: Sendable {
        public var created = 0, linked = 0, placed = 0, statements = 0
        public var transaction: Int64 = 0
        public var dataset = ""
        /// `same_as` values that could not be used (printed as warnings).
        public var warnings: [String] = []
    }

    /// The type of the entities made (declare it in kb/schema.yaml, extending Location, for
    /// `MATCH (:Location)` to find them).
    public static let entityType = "Airport"
    static let columns = ["icao", "iata", "name", "city", "subd", "country", "elevation", "lat", "lon", "tz", "lid"]

    let store: Store
    public init(store: Store) { self.store = store }

    /// One checked row.
    struct Row {
        var icao, iata, name, city, subdivision, country, timezone, lid: String
        var elevation: Value?
        var latitude, longitude: Double
        var line: Int
    }

    public func importFile(_ path: String) throws -> Report {
        let file = (path as NSString).lastPathComponent
        func fail(_ line: Int, _ m: String) -> StoreError { StoreError.badImport(file: path, line: line, message: m) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail(0, "cannot read the file; check the path") }
        let rows = try AirportsImporter.rows(data, path: path)

        let g = store.graph
        let refs = ReferenceIndex(graph: g)
        var report = Report()
        report.warnings = refs.problems
        let datasetID = "dataset-airportsdata-" + FtMImporter.slug((file as NSString).deletingPathExtension)
        report.dataset = datasetID
        let origin = Origin.importFile(path: file)
        let cite = StatementMeta(sources: [Citation(source: datasetID)], origin: origin)
        let plain = StatementMeta(origin: origin)
        var drafts: [StatementDraft] = [
            StatementDraft(subject: datasetID, kind: .entity(type: FtMExporter.datasetType), meta: plain),
            StatementDraft(subject: datasetID, kind: .property(name: "name", value: .string("airportsdata \(file)")), meta: plain),
        ]
        var lines = [0, 0]
        let places = Places(graph: g, refs: refs)
        for r in rows {
            func add(_ subject: String, _ kind: StatementKind) { drafts.append(StatementDraft(subject: subject, kind: kind, meta: cite)); lines.append(r.line) }
            let codes = [r.icao, r.iata].filter { !$0.isEmpty }
            var props: [(String, Value)] = [("icao", .string(r.icao))]
            if !r.iata.isEmpty { props.append(("iata", .string(r.iata))) }
            if !r.lid.isEmpty { props.append(("faa_lid", .string(r.lid))) }
            if !r.country.isEmpty { props.append(("country_code", .string(r.country))) }
            if !r.city.isEmpty { props.append(("city", .string(r.city))) }
            if !r.subdivision.isEmpty { props.append(("subdivision", .string(r.subdivision))) }
            if let e = r.elevation { props.append(("elevation_ft", e)) }
            if !r.timezone.isEmpty { props.append(("timezone", .string(r.timezone))) }
            let coordinates = Value.geo(GeoPoint(latitude: r.latitude, longitude: r.longitude))
            let id: String
            if let linked = refs.entity(scheme: "icao", code: r.icao) ?? (r.iata.isEmpty ? nil : refs.entity(scheme: "iata", code: r.iata)) {
                // The KB's entity is this airfield: it keeps its name, type and coordinates, and
                // gains the record's codes and name as aliases.
                report.linked += 1
                id = linked
                let node = g.node(g.lookup(key: linked)!)
                var aliases = node.aliases
                for a in codes + [r.name] where a != node.name && !aliases.contains(a) { aliases.append(a) }
                add(id, .property(name: "aliases", value: .list(aliases.map(Value.string))))
                if node.property("coordinates") == nil { add(id, .property(name: "coordinates", value: coordinates)) }
                for (k, v) in props where node.property(k) == nil { add(id, .property(name: k, value: v)) }
                // A kb entity placed already (LOCATED_IN, PART_OF) is not placed again.
                if places.isPlaced(linked) { continue }
            } else {
                report.created += 1
                id = "airport-" + r.icao.lowercased()
                add(id, .entity(type: AirportsImporter.entityType))
                add(id, .property(name: "name", value: .string(r.name)))
                add(id, .property(name: "aliases", value: .list(codes.map(Value.string))))
                add(id, .property(name: "coordinates", value: coordinates))
                for (k, v) in props { add(id, .property(name: k, value: v)) }
            }
            if let parent = places.parent(country: r.country, subdivision: r.subdivision) {
                report.placed += 1
                add(id, .relation(type: "PART_OF", target: parent, properties: [:]))
            }
        }
        report.statements = drafts.count
        report.transaction = try store.writeBulk(drafts, origin: .system("import"), note: origin.description, file: path, lines: lines).transaction
        return report
    }

    /// Every row, checked: the header names the columns, each row has them all, an ICAO code,
    /// a name, coordinates in range and numbers where numbers go; an ICAO code appears once.
    static func rows(_ data: Data, path: String) throws -> [Row] {
        func fail(_ line: Int, _ m: String) -> StoreError { StoreError.badImport(file: path, line: line, message: m) }
        var reader = CSVReader(data: data)
        do {
            guard let (header, _) = try reader.next() else { throw fail(1, "the file is empty; expected the airportsdata CSV (\(columns.joined(separator: ",")))") }
            let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let missing = columns.filter { !names.contains($0) }
            guard missing.isEmpty else {
                throw fail(1, "the header lacks \(missing.joined(separator: ", ")): not the airportsdata CSV (its header is \(columns.joined(separator: ",")); the file ships in the airportsdata package as airports.csv)")
            }
            let at = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            var out: [Row] = []
            var seen: [String: Int] = [:]
            while let (fields, line) = try reader.next() {
                if fields.count == 1 && fields[0].isEmpty { continue }
                guard fields.count == names.count else { throw fail(line, "expected \(names.count) fields, found \(fields.count)") }
                func f(_ c: String) -> String { fields[at[c]!].trimmingCharacters(in: .whitespaces) }
                let icao = f("icao").uppercased()
                // (airportsdata gives a few unofficial fields codes starting with '_'.)
                guard !icao.isEmpty, icao.count <= 8, icao.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw fail(line, "'\(f("icao"))' is not an ICAO code (letters, digits or _, like OSLK)")
                }
                if let first = seen[icao] { throw fail(line, "\(icao) is given twice (first on line \(first))") }
                seen[icao] = line
                let name = f("name")
                guard !name.isEmpty else { throw fail(line, "\(icao) has no name") }
                guard !f("lat").isEmpty, !f("lon").isEmpty else { throw fail(line, "\(icao) has no coordinates (lat and lon are needed)") }
                guard let lat = Double(f("lat")), (-90...90).contains(lat) else { throw fail(line, "\(icao): lat '\(f("lat"))' is not a latitude (a number from -90 to 90)") }
                guard let lon = Double(f("lon")), (-180...180).contains(lon) else { throw fail(line, "\(icao): lon '\(f("lon"))' is not a longitude (a number from -180 to 180)") }
                var elevation: Value?
                if !f("elevation").isEmpty {
                    if let i = Int64(f("elevation")) { elevation = .int(i) } else if let d = Double(f("elevation")), d.isFinite { elevation = .float(d) } else {
                        throw fail(line, "\(icao): elevation '\(f("elevation"))' is not a number (feet)")
                    }
                }
                let iata = f("iata").uppercased(), country = f("country").uppercased()
                guard iata.isEmpty || (iata.count == 3 && iata.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })) else {
                    throw fail(line, "\(icao): '\(iata)' is not an IATA code (three letters)")
                }
                guard country.isEmpty || (country.count == 2 && country.allSatisfy({ $0.isASCII && $0.isLetter })) else {
                    throw fail(line, "\(icao): country '\(country)' is not an ISO 3166 alpha-2 code")
                }
                out.append(Row(icao: icao, iata: iata, name: name, city: f("city"), subdivision: f("subd"), country: country,
                               timezone: f("tz"), lid: f("lid"), elevation: elevation, latitude: lat, longitude: lon, line: line))
            }
            return out
        } catch let e as CSVReader.CSVError {
            throw fail(e.line, "a quoted field is not closed")
        }
    }

    /// Where airfields go: countries by `iso_code` (or `same_as: iso3166:XX`), subdivisions by
    /// name among the places PART_OF a country.
    struct Places {
        let graph: Graph
        let refs: ReferenceIndex
        var countries: [String: String] = [:]
        /// Country entity id → folded subdivision name → entity id (the first one found).
        var subdivisions: [String: [String: String]] = [:]

        init(graph g: Graph, refs: ReferenceIndex) {
            graph = g
            self.refs = refs
            for i in g.nodes(withLabel: "Country") {
                let n = g.node(i)
                guard n.alive, let code = n.property("iso_code")?.stringValue?.uppercased(), code.count == 2 else { continue }
                if countries[code] == nil { countries[code] = n.key }
            }
            let claimed = refs.entities.filter { $0.key.hasPrefix("iso3166:") && $0.key.count == 10 }.map(\.value)
            guard let partOf = g.relationTypeID("PART_OF") else { return }
            for id in Set(countries.values).union(claimed) {
                guard let c = g.lookup(key: id) else { continue }
                var names: [String: String] = [:]
                for r in g.incoming(c, type: partOf) {
                    let s = g.node(g.relationship(r).source)
                    for n in [s.name].compactMap({ $0 }) + s.aliases where names[NameKey.normalize(n)] == nil {
                        names[NameKey.normalize(n)] = s.key
                    }
                }
                subdivisions[id] = names
            }
        }

        func parent(country: String, subdivision: String) -> String? {
            guard !country.isEmpty, let c = refs.entity(scheme: "iso3166", code: country) ?? countries[country] else { return nil }
            if !subdivision.isEmpty, let s = subdivisions[c]?[NameKey.normalize(subdivision)] { return s }
            return c
        }

        func isPlaced(_ id: String) -> Bool {
            guard let n = graph.lookup(key: id) else { return false }
            let types = ["PART_OF", "LOCATED_IN"].compactMap { graph.relationTypeID($0) }
            return types.contains { !graph.outgoing(n, type: $0).isEmpty }
        }
    }
}
