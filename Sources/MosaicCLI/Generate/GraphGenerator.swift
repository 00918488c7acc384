import Foundation

/// A seeded synthetic knowledge graph of the same shape as `../shared/bench/gen_graph.py`
/// writes: news-shaped entities (countries, governorates, bases, organisations, persons,
/// aircraft, events, articles) with skewed degrees, for benchmarks and tests.
///
/// Same shape, not the same bytes: the same entity types and shares, id scheme
/// (`C0000001`…), relation kinds and rules, Zipf/Pareto skew, dates, sources and props,
/// and the same files (`nodes.csv`, `edges.csv`, `meta.json`). The same arguments always
/// give byte-identical files (an own PRNG, no hashing or dictionary order involved).
/// The entity count per type and the relation total equal gen_graph.py's for the same
/// arguments; the relation count per type is close but not equal.
///
/// Used by `mosaic generate --entities N --edges-per-entity E --seed S --out DIR`.
public struct GraphGenerator: Sendable {
    public let entities: Int
    public let edgesPerEntity: Double
    public let seed: UInt64

    /// The smallest graph the generator makes (every type needs at least one entity).
    public static let minimumEntities = 50

    public init(entities: Int, edgesPerEntity: Double = 5, seed: UInt64 = 42) {
        self.entities = entities
        self.edgesPerEntity = edgesPerEntity
        self.seed = seed
    }

    /// What is wrong with the parameters, said for the user of `mosaic generate`; nil when
    /// they are fine. `generate()` and `write(to:)` refuse parameters that have a problem.
    public var problem: String? {
        if entities < GraphGenerator.minimumEntities {
            return "--entities must be at least \(GraphGenerator.minimumEntities) (got \(entities))"
        }
        if entities > 100_000_000 { return "--entities must be at most 100000000 (got \(entities))" }
        if !edgesPerEntity.isFinite || edgesPerEntity < 0 || edgesPerEntity > 1000 {
            return "--edges-per-entity must be a number from 0 to 1000 (got \(edgesPerEntity))"
        }
        return nil
    }

    // MARK: - the generated graph

    public struct Node: Sendable, Hashable {
        public var id: String
        public var type: String
        public var name: String
        /// Property name → value, written as a JSON object with sorted keys.
        public var props: [String: PropValue]
    }

    public enum PropValue: Sendable, Hashable {
        case string(String)
        case int(Int)
    }

    public struct Edge: Sendable, Hashable {
        public var src: String
        public var dst: String
        public var type: String
        /// `yyyy-mm-dd` or empty.
        public var date: String
        /// An Article id or empty.
        public var source: String
    }

    /// Counts and the hints the benchmark workloads use (what meta.json says).
    public struct Summary: Sendable, Hashable {
        public var nodeCount: Int
        public var edgeCount: Int
        public var nodeTypes: [String: Int]
        public var edgeTypes: [String: Int]
        /// The ten most popular countries' names, biggest hub first.
        public var hubCountries: [String]
        /// The first and last day relation dates fall on.
        public var dateRange: [String] { [GraphGenerator.isoDays[0], GraphGenerator.isoDays[GraphGenerator.isoDays.count - 1]] }
    }

    public struct Output: Sendable {
        public var nodes: [Node]
        public var edges: [Edge]
        public var summary: Summary
    }

    public struct GeneratorError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// Writes nodes.csv, edges.csv and meta.json into `directory` (created if missing).
    @discardableResult
    public func write(to directory: URL) throws -> Summary {
        let out = try generate()
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw GeneratorError(message: "cannot create \(directory.path): \(error.localizedDescription); choose another --out directory")
        }
        func save(_ name: String, _ bytes: [UInt8]) throws {
            let url = directory.appendingPathComponent(name)
            do { try Data(bytes).write(to: url, options: .atomic) } catch {
                throw GeneratorError(message: "cannot write \(url.path): \(error.localizedDescription); check that the directory is writable and has space")
            }
        }
        try save("nodes.csv", GraphGenerator.nodesCSV(out.nodes))
        try save("edges.csv", GraphGenerator.edgesCSV(out.edges))
        try save("meta.json", Array(metaJSON(out.summary).utf8))
        return out.summary
    }

    // MARK: - constants (as in gen_graph.py)

    static let countryCap = 200
    static let typeShares: [(String, Double)] = [
        ("Governorate", 0.02), ("Base", 0.04), ("Organization", 0.08), ("Person", 0.28),
        ("Aircraft", 0.06), ("Event", 0.12), ("Article", 0.40),
    ]
    /// Every entity type, in the order the generator makes them.
    public static let entityTypes = ["Country"] + typeShares.map(\.0)
    static let idPrefix: [String: String] = [
        "Country": "C", "Governorate": "G", "Base": "B", "Organization": "O",
        "Person": "P", "Aircraft": "A", "Event": "V", "Article": "R",
    ]
    static let rateMentions = 6.0, rateFlewTo = 12.0, rateMetWith = 2.0
    static let countryMentionShare = 0.15
    static let orgLevelShares = [0.05, 0.10, 0.20, 0.30, 0.35]

    /// Every day from 2015-01-01 to 2024-12-31 in ISO form.
    static let isoDays: [String] = {
        var out: [String] = []
        for y in 2015...2024 {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            for (m, n) in lengths.enumerated() {
                for d in 1...n { out.append(String(format: "%04d-%02d-%02d", y, m + 1, d)) }
            }
        }
        return out
    }()

    static let syllables = ["ka", "ra", "lo", "mi", "ten", "sar", "vel", "dor", "an", "is", "ul", "ber",
                            "zan", "kor", "lim", "pe", "tra", "nos", "gal", "hur", "me", "qua", "rin",
                            "sol", "ta", "vor", "ya", "el", "fa", "gor", "jun", "ox", "ral", "sen"]
    static let countrySuffixes = ["ia", "stan", "land", "ora", "enia", "ar", "istan", "ica", "ovia", "esh"]
    static let firstNames = ["Amir", "Lena", "Omar", "Sara", "Ivan", "Mona", "Yusuf", "Nadia", "Karim",
                             "Elena", "Hassan", "Leila", "Dmitri", "Rania", "Tariq", "Olga", "Samir",
                             "Hana", "Farid", "Irina", "Ali", "Maya", "Victor", "Zara", "Khalid", "Anya"]
    static let orgKinds = ["ministry", "air_force", "navy", "army", "militia", "company", "ngo",
                           "agency", "party", "wing", "squadron", "brigade", "directorate"]
    static let baseKinds = ["air", "naval", "army", "logistics", "missile"]
    static let aircraftModels = ["C-130", "Il-76", "An-124", "A400M", "Su-24", "MiG-29", "F-16",
                                 "Y-20", "KC-135", "Tu-154", "Gulfstream G450", "Bayraktar TB2"]
    static let eventKinds = ["strike", "protest", "meeting", "deployment", "exercise", "arrest",
                             "incident", "summit"]
    static let outlets = ["Reuters-like Wire", "Local Daily", "Telegram channel", "Gov Gazette",
                          "Think-tank Brief", "Satellite Blog", "Regional TV"]
    static let roles = ["general", "minister", "pilot", "journalist", "analyst", "commander",
                        "businessman", "diplomat", "spokesperson", "officer"]
    static let regions = ["Europe", "Middle East", "Africa", "Asia", "Americas", "Oceania"]
    static let articleKinds = ["Report", "Analysis", "Brief", "Update", "Leak"]
    static let languages = ["en", "ar", "ru", "fr", "uk"]
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ").map(String.init)
    static let registrationLetters = Array("ABCDEFGHJKLMNPRSTUVXYZ").map(String.init)

    /// Entities per type for this size (the same rounding as gen_graph.py: half to even).
    public var typeCounts: [(type: String, count: Int)] {
        let countries = min(GraphGenerator.countryCap, max(10, entities / 50))
        let rest = Double(entities - countries)
        var out = [("Country", countries)]
        for (t, share) in GraphGenerator.typeShares {
            out.append((t, max(1, Int((rest * share).rounded(.toNearestOrEven)))))
        }
        let total = out.reduce(0) { $0 + $1.1 }
        out[out.count - 1].1 += entities - total  // Article absorbs the rounding
        return out.map { (type: $0.0, count: $0.1) }
    }

    // MARK: - generation

    /// Builds the graph in memory.
    public func generate() throws -> Output {
        if let problem { throw GeneratorError(message: problem) }
        var rng = SeededRandom(seed: seed)
        let counts = Dictionary(uniqueKeysWithValues: typeCounts.map { ($0.type, $0.count) })
        var ids: [String: [String]] = [:]
        for (t, n) in typeCounts {
            let prefix = GraphGenerator.idPrefix[t]!
            ids[t] = (1...n).map { prefix + GraphGenerator.sevenDigits($0) }
        }
        let nCountries = counts["Country"]!
        var nodes: [Node] = []
        nodes.reserveCapacity(entities)
        var edges: [Edge] = []
        edges.reserveCapacity(Int(Double(entities) * edgesPerEntity) + entities)
        let days = GraphGenerator.isoDays
        let articles = ids["Article"]!
        func word(_ syllables: Int) -> String {
            var s = ""
            for _ in 0..<syllables { s += rng.pick(GraphGenerator.syllables) }
            return s.prefix(1).uppercased() + s.dropFirst()
        }
        func article() -> String { articles[rng.below(articles.count)] }
        func day() -> String { days[rng.below(days.count)] }
        func subset(_ props: [(String, PropValue)]) -> [String: PropValue] {
            // keep 1–3 of the candidates
            let k = rng.int(1, min(3, props.count))
            var chosen = Array(0..<props.count)
            for i in 0..<k { chosen.swapAt(i, i + rng.below(props.count - i)) }
            return Dictionary(uniqueKeysWithValues: chosen.prefix(k).map { props[$0] })
        }
        func pick(_ list: [String], _ cum: [Double]) -> String { list[rng.pick(cumulative: cum)] }
        func paretoSums(_ n: Int, _ alpha: Double) -> [Double] { runningSums((0..<n).map { _ in rng.pareto(alpha) }) }

        // Countries: unique pseudo names, Zipf(1) popularity by rank.
        var seen: Set<String> = []
        var countryNames: [String] = []
        while countryNames.count < nCountries {
            let name = word(rng.int(1, 2)) + rng.pick(GraphGenerator.countrySuffixes)
            if seen.insert(name).inserted { countryNames.append(name) }
        }
        let countries = ids["Country"]!
        let countryWeights = (0..<nCountries).map { 1.0 / Double($0 + 1) }
        let countryCum = runningSums(countryWeights)
        for (i, cid) in countries.enumerated() {
            let name = countryNames[i]
            let props: [(String, PropValue)] = [
                ("iso3", .string(name.prefix(3).uppercased() + String(i % 10))),
                ("population", .int(Int(5e8 * countryWeights[i] * rng.uniform(0.5, 1.5)))),
                ("region", .string(rng.pick(GraphGenerator.regions))),
            ]
            nodes.append(Node(id: cid, type: "Country", name: name, props: subset(props)))
        }
        func randomCountry() -> Int { rng.pick(cumulative: countryCum) }

        // Governorates: to countries by Zipf weight; PART_OF -> Country.
        let governorates = ids["Governorate"]!
        var govCountry: [Int] = []
        for gid in governorates {
            let c = randomCountry()
            govCountry.append(c)
            let props: [(String, PropValue)] = [("code", .string(String(gid.suffix(4)))),
                                                ("population", .int(rng.int(10_000, 5_000_000)))]
            nodes.append(Node(id: gid, type: "Governorate", name: "\(word(2)) Governorate (\(countryNames[c]))", props: subset(props)))
            edges.append(Edge(src: gid, dst: countries[c], type: "PART_OF", date: "", source: ""))
        }
        let govCum = paretoSums(governorates.count, 1.5)

        // Bases: PART_OF -> Governorate, LOCATED_IN -> that governorate's country.
        let bases = ids["Base"]!
        for bid in bases {
            let g = rng.pick(cumulative: govCum)
            let kind = rng.pick(GraphGenerator.baseKinds)
            let icao = (0..<4).map { _ in rng.pick(GraphGenerator.upper) }.joined()
            let props: [(String, PropValue)] = [("icao", .string(icao)), ("kind", .string(kind)),
                                                ("runway_m", .int(rng.int(800, 4000)))]
            nodes.append(Node(id: bid, type: "Base", name: "\(word(2)) \(kind.prefix(1).uppercased() + kind.dropFirst()) Base",
                              props: subset(props)))
            edges.append(Edge(src: bid, dst: governorates[g], type: "PART_OF", date: "", source: ""))
            edges.append(Edge(src: bid, dst: countries[govCountry[g]], type: "LOCATED_IN", date: "", source: article()))
        }
        let baseCum = paretoSums(bases.count, 1.2)  // hub airbases

        // Organisations: a 5-level tree; level 0 LOCATED_IN a country, level k PART_OF a
        // level k-1 organisation chosen by popularity.
        let orgs = ids["Organization"]!
        let orgWeights = (0..<orgs.count).map { _ in rng.pareto(1.3) }
        var levels: [Range<Int>] = []
        var start = 0
        for (li, share) in GraphGenerator.orgLevelShares.enumerated() {
            let end = li == GraphGenerator.orgLevelShares.count - 1
                ? orgs.count : min(orgs.count, start + max(1, Int(Double(orgs.count) * share)))
            levels.append(start..<max(start, end))
            start = max(start, end)
        }
        for (li, level) in levels.enumerated() where !level.isEmpty {
            var parentRange = li > 0 ? levels[li - 1] : levels[0]
            if parentRange.isEmpty { parentRange = levels[0] }
            let parentCum = runningSums(Array(orgWeights[parentRange]))
            for j in level {
                let kind = rng.pick(GraphGenerator.orgKinds)
                let title = kind.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
                let props: [(String, PropValue)] = [("kind", .string(kind)), ("founded", .int(rng.int(1900, 2023))),
                                                    ("level", .int(li))]
                nodes.append(Node(id: orgs[j], type: "Organization", name: "\(word(2)) \(title)", props: subset(props)))
                if li == 0 {
                    edges.append(Edge(src: orgs[j], dst: countries[randomCountry()], type: "LOCATED_IN", date: "", source: article()))
                } else {
                    let parent = orgs[parentRange.lowerBound + rng.pick(cumulative: parentCum)]
                    edges.append(Edge(src: orgs[j], dst: parent, type: "PART_OF", date: "", source: article()))
                }
            }
        }
        let orgCum = runningSums(orgWeights)
        for bid in bases where rng.chance(0.7) {  // 70% of bases have an operator
            edges.append(Edge(src: pick(orgs, orgCum), dst: bid, type: "OPERATES", date: day(), source: article()))
        }

        // Persons: LOCATED_IN a governorate (70%) or a country; MEMBER_OF 0–2 organisations.
        let persons = ids["Person"]!
        let personCum = paretoSums(persons.count, 1.3)
        for pid in persons {
            let props: [(String, PropValue)] = [
                ("birth_year", .int(rng.int(1940, 2002))), ("role", .string(rng.pick(GraphGenerator.roles))),
                ("nationality", .string(countryNames[randomCountry()])),
            ]
            nodes.append(Node(id: pid, type: "Person", name: "\(rng.pick(GraphGenerator.firstNames)) \(word(rng.int(2, 3)))",
                              props: subset(props)))
            let loc = rng.chance(0.7) ? pick(governorates, govCum) : countries[randomCountry()]
            edges.append(Edge(src: pid, dst: loc, type: "LOCATED_IN", date: "", source: article()))
            if rng.chance(0.8) {
                let memberships = rng.chance(0.3) ? 2 : 1
                for _ in 0..<memberships {
                    edges.append(Edge(src: pid, dst: pick(orgs, orgCum), type: "MEMBER_OF", date: day(), source: article()))
                }
            }
        }

        // Aircraft: a home base (LOCATED_IN) and an operator (OPERATES from an organisation).
        let aircraft = ids["Aircraft"]!
        for aid in aircraft {
            let model = rng.pick(GraphGenerator.aircraftModels)
            let name = "\(model) \(word(1).uppercased())-\(rng.int(100, 999))"
            let props: [(String, PropValue)] = [
                ("model", .string(model)),
                ("registration", .string("\(rng.pick(GraphGenerator.registrationLetters))-\(rng.int(1000, 99999))")),
                ("tail", .string(String(rng.int(10000, 99999)))),
            ]
            nodes.append(Node(id: aid, type: "Aircraft", name: name, props: subset(props)))
            edges.append(Edge(src: aid, dst: pick(bases, baseCum), type: "LOCATED_IN", date: "", source: article()))
            edges.append(Edge(src: pick(orgs, orgCum), dst: aid, type: "OPERATES", date: day(), source: article()))
        }

        // Events: LOCATED_IN a base (50%) or a governorate; INVOLVES 1–3 persons or organisations.
        let casualties = [0, 0, 0, 1, 2, 5, 12, 40]
        for vid in ids["Event"]! {
            let kind = rng.pick(GraphGenerator.eventKinds)
            let d = day()
            let name = "\(kind.prefix(1).uppercased() + kind.dropFirst()) at \(word(2)) \(d.prefix(7))"
            let props: [(String, PropValue)] = [("date", .string(d)), ("kind", .string(kind)),
                                                ("casualties", .int(rng.pick(casualties)))]
            nodes.append(Node(id: vid, type: "Event", name: name, props: subset(props)))
            let loc = rng.chance(0.5) ? pick(bases, baseCum) : pick(governorates, govCum)
            edges.append(Edge(src: vid, dst: loc, type: "LOCATED_IN", date: d, source: article()))
            for _ in 0..<rng.int(1, 3) {
                let target = rng.chance(0.7) ? pick(persons, personCum) : pick(orgs, orgCum)
                edges.append(Edge(src: vid, dst: target, type: "INVOLVES", date: d, source: article()))
            }
        }

        // Articles (their MENTIONS come below).
        var articleDay: [String] = []
        articleDay.reserveCapacity(articles.count)
        for rid in articles {
            let d = day()
            articleDay.append(d)
            let name = "\(rng.pick(GraphGenerator.articleKinds)): \(word(3)) \(word(2))"
            let props: [(String, PropValue)] = [("published", .string(d)), ("outlet", .string(rng.pick(GraphGenerator.outlets))),
                                                ("lang", .string(rng.pick(GraphGenerator.languages)))]
            nodes.append(Node(id: rid, type: "Article", name: name, props: subset(props)))
        }

        // Volume relations, scaled so that the total is entities × edgesPerEntity.
        let target = Int((Double(entities) * edgesPerEntity).rounded(.toNearestOrEven))
        let baseVolume = Double(articles.count) * GraphGenerator.rateMentions + Double(aircraft.count) * GraphGenerator.rateFlewTo
            + Double(persons.count) * GraphGenerator.rateMetWith
        let scale = max(0.05, Double(target - edges.count) / baseVolume)
        let nFlew = Int((Double(aircraft.count) * GraphGenerator.rateFlewTo * scale).rounded(.toNearestOrEven))
        let nMet = Int((Double(persons.count) * GraphGenerator.rateMetWith * scale).rounded(.toNearestOrEven))
        let nMentions = max(0, target - edges.count - nFlew - nMet)

        // FLEW_TO: busy aircraft (Pareto activity) to hub bases.
        let aircraftCum = paretoSums(aircraft.count, 1.5)
        for _ in 0..<nFlew {
            let a = pick(aircraft, aircraftCum), b = pick(bases, baseCum)
            edges.append(Edge(src: a, dst: b, type: "FLEW_TO", date: day(), source: article()))
        }
        // MET_WITH: popular persons meet more often; no self-meetings.
        for _ in 0..<nMet {
            let s = rng.pick(cumulative: personCum)
            var d = rng.pick(cumulative: personCum)
            if s == d && persons.count > 1 { d = (s + 1) % persons.count }
            edges.append(Edge(src: persons[s], dst: persons[d], type: "MET_WITH", date: day(), source: article()))
        }
        // MENTIONS: article -> any entity; articles are rarely mentioned, countries take a
        // fixed share of all mentions by Zipf weight (the biggest countries are the biggest hubs).
        var popularIDs: [String] = []
        var popularWeights: [Double] = []
        for (t, _) in typeCounts where t != "Country" {
            let alpha = t == "Article" ? 3.0 : 1.2
            let factor = t == "Article" ? 0.05 : 1.0
            popularIDs += ids[t]!
            popularWeights += ids[t]!.map { _ in factor * rng.pareto(alpha) }
        }
        let countryFactor = GraphGenerator.countryMentionShare / (1 - GraphGenerator.countryMentionShare)
            * popularWeights.reduce(0, +) / countryWeights.reduce(0, +)
        popularIDs += countries
        popularWeights += countryWeights.map { countryFactor * $0 }
        let popularCum = runningSums(popularWeights)
        let articleCum = paretoSums(articles.count, 2.0)
        for _ in 0..<nMentions {
            let s = rng.pick(cumulative: articleCum)
            let d = pick(popularIDs, popularCum)
            edges.append(Edge(src: articles[s], dst: d, type: "MENTIONS", date: articleDay[s], source: ""))
        }

        var edgeTypes: [String: Int] = [:]
        for e in edges { edgeTypes[e.type, default: 0] += 1 }
        let summary = Summary(nodeCount: nodes.count, edgeCount: edges.count, nodeTypes: counts, edgeTypes: edgeTypes,
                              hubCountries: Array(countryNames.prefix(10)))
        return Output(nodes: nodes, edges: edges, summary: summary)
    }

    // MARK: - files

    static func sevenDigits(_ i: Int) -> String {
        let s = String(i)
        return s.count >= 7 ? s : String(repeating: "0", count: 7 - s.count) + s
    }

    /// A CSV field, quoted only when it must be (as Python's csv module does).
    static func appendField(_ s: String, to out: inout [UInt8]) {
        if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            out.append(0x22)
            for b in s.utf8 {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        } else {
            out.append(contentsOf: s.utf8)
        }
    }

    static func propsJSON(_ props: [String: PropValue]) -> String {
        var out = "{"
        for (i, (k, v)) in props.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out += "," }
            out += jsonString(k) + ":"
            switch v {
            case .string(let s): out += jsonString(s)
            case .int(let n): out += String(n)
            }
        }
        return out + "}"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if u.value < 0x20 || u.value > 0x7E {
                    // ASCII-only output, like json.dumps: \uXXXX (surrogate pairs above the BMP)
                    for unit in String(u).utf16 { out += "\\u" + String(format: "%04x", unit) }
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func nodesCSV(_ nodes: [Node]) -> [UInt8] {
        var out: [UInt8] = Array("id,type,name,props\n".utf8)
        out.reserveCapacity(nodes.count * 96)
        for n in nodes {
            appendField(n.id, to: &out); out.append(0x2C)
            appendField(n.type, to: &out); out.append(0x2C)
            appendField(n.name, to: &out); out.append(0x2C)
            appendField(propsJSON(n.props), to: &out); out.append(0x0A)
        }
        return out
    }

    static func edgesCSV(_ edges: [Edge]) -> [UInt8] {
        var out: [UInt8] = Array("src,dst,type,date,source\n".utf8)
        out.reserveCapacity(edges.count * 48)
        for e in edges {
            appendField(e.src, to: &out); out.append(0x2C)
            appendField(e.dst, to: &out); out.append(0x2C)
            appendField(e.type, to: &out); out.append(0x2C)
            appendField(e.date, to: &out); out.append(0x2C)
            appendField(e.source, to: &out); out.append(0x0A)
        }
        return out
    }

    /// meta.json in gen_graph.py's layout (sorted keys, two-space indent).
    func metaJSON(_ s: Summary) -> String {
        func object(_ m: [String: Int], indent: String) -> String {
            "{\n" + m.keys.sorted().map { "\(indent)  \(GraphGenerator.jsonString($0)): \(m[$0]!)" }.joined(separator: ",\n") + "\n\(indent)}"
        }
        func list(_ l: [String], indent: String) -> String {
            "[\n" + l.map { "\(indent)  \(GraphGenerator.jsonString($0))" }.joined(separator: ",\n") + "\n\(indent)]"
        }
        var epe = "\(edgesPerEntity)"
        if !epe.contains(".") && !epe.contains("e") { epe += ".0" }
        let fields: [(String, String)] = [
            ("date_range", list(s.dateRange, indent: "  ")),
            ("edge_count", String(s.edgeCount)),
            ("edge_types", object(s.edgeTypes, indent: "  ")),
            ("edges_per_entity", epe),
            ("entities", String(entities)),
            ("generator", "\"mosaic generate\""),
            ("hub_countries", list(s.hubCountries, indent: "  ")),
            ("node_count", String(s.nodeCount)),
            ("node_types", object(s.nodeTypes, indent: "  ")),
            ("seed", String(seed)),
        ]
        return "{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}"
    }
}
