import Foundation
import MosaicGraph
import MosaicStore

/// Reads Debian's iso-codes gazetteers (`mosaic import --format iso3166 FILE`):
/// `iso_3166-1.json` (countries) and `iso_3166-2.json` (subdivisions). A place whose name (or
/// common or official name) is already an entity's of a fitting type is **linked**: it gets
/// `iso_code` and the codes as aliases; others are created (`iso-sy`, `iso-sy-la`), a
/// subdivision PART_OF its parent subdivision or country. Every statement cites a `Dataset`
/// source entity for the file. One transaction; a file of the wrong shape is an error.
public struct GazetteerImporter {
    public struct Report: Sendable { public var created = 0, linked = 0, statements = 0; public var transaction: Int64 = 0; public var dataset = "" }
    let store: Store
    public init(store: Store) { self.store = store }

    public func importISO3166(_ path: String, schema: Schema? = nil) throws -> Report {
        let file = (path as NSString).lastPathComponent
        func fail(_ m: String) -> StoreError { StoreError.badImport(file: path, line: 0, message: m) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the file; check the path") }
        guard case .map(let top)? = Value.decode(String(decoding: data, as: UTF8.self)) else { throw fail("not a JSON object (iso-codes files are {\"3166-1\": [...]} or {\"3166-2\": [...]})") }
        let countries = top["3166-1"]?.listValue, subdivisions = top["3166-2"]?.listValue
        guard countries != nil || subdivisions != nil else {
            throw fail("no \"3166-1\" or \"3166-2\" list: not an iso-codes ISO 3166 file (try /usr/share/iso-codes/json/iso_3166-1.json)")
        }
        let g = store.graph
        let refs = ReferenceIndex(graph: g)
        let datasetID = "dataset-iso-codes-" + FtMImporter.slug((file as NSString).deletingPathExtension)
        let origin = Origin.importFile(path: file)
        let cite = StatementMeta(sources: [Citation(source: datasetID)], origin: origin)
        var drafts: [StatementDraft] = [
            StatementDraft(subject: datasetID, kind: .entity(type: FtMExporter.datasetType), meta: StatementMeta(origin: origin)),
            StatementDraft(subject: datasetID, kind: .property(name: "name", value: .string("iso-codes \(file)")), meta: StatementMeta(origin: origin)),
        ]
        var report = Report()
        report.dataset = datasetID
        func text(_ m: [String: Value], _ k: String) -> String? { m[k]?.stringValue }
        /// An existing entity of one of `types` named like one of `names`.
        func existing(_ names: [String], types: Set<String>) -> String? {
            for n in names {
                for i in g.nodes(named: n) where !Set(Interop.lineage(g.node(i).type, schema: schema)).isDisjoint(with: types) {
                    return g.node(i).key
                }
            }
            return nil
        }
        func place(id: String, type: String, types: Set<String>, names: [String], code: String, aliases: [String]) -> String {
            // The entity whose `same_as` names the code, else one of a fitting type named so.
            if let key = refs.entity(scheme: "iso3166", code: code) ?? existing(names, types: types) {
                report.linked += 1
                let node = g.node(g.lookup(key: key)!)
                var all = node.aliases
                for a in aliases + names where a != node.name && !all.contains(a) { all.append(a) }
                drafts.append(StatementDraft(subject: key, kind: .property(name: "iso_code", value: .string(code)), meta: cite))
                drafts.append(StatementDraft(subject: key, kind: .property(name: "aliases", value: .list(all.map(Value.string))), meta: cite))
                return key
            }
            report.created += 1
            drafts.append(StatementDraft(subject: id, kind: .entity(type: type), meta: cite))
            drafts.append(StatementDraft(subject: id, kind: .property(name: "name", value: .string(names[0])), meta: cite))
            let extra = Array(Set(aliases + names.dropFirst())).sorted()
            if !extra.isEmpty { drafts.append(StatementDraft(subject: id, kind: .property(name: "aliases", value: .list(extra.map(Value.string))), meta: cite)) }
            drafts.append(StatementDraft(subject: id, kind: .property(name: "iso_code", value: .string(code)), meta: cite))
            return id
        }
        var countryIDs: [String: String] = [:]  // alpha-2 → entity id
        for (n, entry) in (countries ?? []).enumerated() {
            guard case .map(let m) = entry, let a2 = text(m, "alpha_2"), a2.count == 2, let name = text(m, "name") else {
                throw StoreError.badImport(file: path, line: n + 1, message: "country entry \(n + 1) needs alpha_2 (two letters) and name")
            }
            let names = [name] + [text(m, "common_name"), text(m, "official_name")].compactMap { $0 }
            countryIDs[a2] = place(id: "iso-\(a2.lowercased())", type: "Country", types: ["Country"], names: names,
                                   code: a2, aliases: [a2, text(m, "alpha_3")].compactMap { $0 })
        }
        let subdivisionType = "Subdivision"
        var parts: [(child: String, parentCode: String?, country: String?, entry: Int)] = []
        var subIDs: [String: String] = [:]  // code → entity id
        for (n, entry) in (subdivisions ?? []).enumerated() {
            guard case .map(let m) = entry, let code = text(m, "code"), code.count >= 4, code.contains("-"), let name = text(m, "name") else {
                throw StoreError.badImport(file: path, line: n + 1, message: "subdivision entry \(n + 1) needs code (like SY-LA) and name")
            }
            let kind = text(m, "type") ?? subdivisionType
            let type = schema?.entityTypes[kind] != nil ? kind : subdivisionType
            let id = place(id: "iso-" + code.lowercased(), type: type, types: [type, kind], names: [name], code: code, aliases: [code])
            subIDs[code] = id
            let country = String(code.prefix { $0 != "-" })
            if let parent = text(m, "parent") {
                // iso-codes writes the parent as `NIR` or as `GB-NIR`.
                parts.append((id, parent.hasPrefix(country + "-") ? parent : "\(country)-\(parent)", nil, n + 1))
            } else {
                let cid = countryIDs[country] ?? g.nodes(withLabel: "Country").map { g.node($0) }.first { $0.property("iso_code")?.stringValue == country }?.key ?? "iso-\(country.lowercased())"
                guard countryIDs[country] != nil || g.lookup(key: cid) != nil else {
                    throw StoreError.badImport(file: path, line: n + 1, message: "subdivision \(code): no country \(country) in the store (import iso_3166-1.json first)")
                }
                parts.append((id, nil, cid, n + 1))
            }
        }
        for (child, code, country, entry) in parts {
            let parent = country ?? subIDs[code!] ?? "iso-" + code!.lowercased()
            guard country != nil || subIDs[code!] != nil || g.lookup(key: parent) != nil else {
                throw StoreError.badImport(file: path, line: entry, message: "subdivision entry \(entry): its parent \(code!) is neither in this file nor in the store")
            }
            drafts.append(StatementDraft(subject: child, kind: .relation(type: "PART_OF", target: parent, properties: [:]), meta: cite))
        }
        report.statements = drafts.count
        report.transaction = try store.writeBulk(drafts, origin: .system("import"), note: origin.description, file: path).transaction
        return report
    }
}
