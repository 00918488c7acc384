import Foundation
import MosaicGraph

/// The names and aliases of a graph's entities, folded as `NameKey.normalize` folds them
/// (the way `mosaic show NAME` finds an entity), in a `NameMatcher`. Articles are left out:
/// a source's title is not a name to find in text.
public struct Gazetteer: Sendable {
    /// An entity the gazetteer can link to.
    public struct Entity: Sendable, Hashable {
        public var id: String
        public var type: String
        /// A Person, or a subtype of it (its last name alone may refer to it).
        public var isPerson: Bool
        /// A Country (its name + "n", "ian", … is a demonym: "Syrian Information Ministry" is
        /// also written "Syria's Information Ministry").
        public var isCountry: Bool
        public init(id: String, type: String, isPerson: Bool = false, isCountry: Bool = false) {
            self.id = id; self.type = type; self.isPerson = isPerson; self.isCountry = isCountry
        }
    }
    /// What a text must look like to match a name (see `CaseRule` in docs/ingest.md).
    public enum CaseRule: UInt8, Sendable {
        /// An alias written all in lower case ("port of Tartus" has one capital, so not this).
        case any
        /// The text may not be all lower case when every spelling has a capital.
        case capitalised
        /// Every spelling is an acronym (all capitals, at most 5 letters): the text must be too.
        case acronym
    }
    /// One folded name: the entities that bear it and how the KB spells it.
    public struct Entry: Sendable {
        public var key: String
        public var spellings: [String]
        public var entities: [Int32]
        public var caseRule: CaseRule
    }

    public private(set) var entities: [Entity] = []
    public private(set) var entries: [Entry] = []
    public private(set) var matcher = NameMatcher(fold: NameMatcher.identityFold, wordBytes: NameMatcher.foldedWordBytes)

    /// The types whose entities are not names to look for (and their subtypes).
    public static let excludedTypes: Set<String> = ["Article"]

    public init(graph: Graph) {
        var pairs: [(Entity, [String])] = []
        for n in graph.nodeIndices {
            let node = graph.node(n)
            let labels = graph.labels(ofNode: n)
            if labels.contains(where: Gazetteer.excludedTypes.contains) { continue }
            var names: [String] = []
            if let name = node.name { names.append(name) }
            names.append(contentsOf: node.aliases)
            if names.isEmpty { continue }
            pairs.append((Entity(id: node.key, type: node.type, isPerson: labels.contains("Person"), isCountry: labels.contains("Country")), names))
        }
        self.init(entities: pairs)
    }

    /// A gazetteer of (entity, its names) in order.
    public init(entities list: [(Entity, [String])]) {
        var bytes = 0
        for (_, names) in list { for n in names { bytes += n.utf8.count } }
        matcher = NameMatcher(fold: NameMatcher.identityFold, wordBytes: NameMatcher.foldedWordBytes, expectedBytes: bytes)
        entities.reserveCapacity(list.count)
        // Country names, for the possessive variants of names that start with a demonym.
        var countries: Set<String> = []
        for (entity, names) in list where entity.isCountry { for n in names { countries.insert(NameKey.normalize(n)) } }
        for (entity, names) in list {
            let ei = Int32(entities.count)
            entities.append(entity)
            for name in names {
                for key in Gazetteer.keys(of: name, countries: countries) {
                    add(key: key, spelling: name, entity: ei)
                }
            }
        }
    }

    /// The folded forms a name is found by: `NameKey.normalize(name)`; with a possessive
    /// ("Syria's new authorities") also the form text folding gives it ("syria s new
    /// authorities"); and for a name that starts with a country's demonym ("Syrian
    /// Information Ministry") the possessive form ("syria s information ministry").
    static func keys(of name: String, countries: Set<String>) -> [String] {
        let key = NameKey.normalize(name)
        var out = [key]
        // A possessive: ' or ’ followed by s.
        let u = name.utf8.contains(where: { $0 == 0x27 || $0 == 0xE2 }) ? Array(name.utf8) : []
        var possessive = false
        for i in u.indices where (u[i] == 0x27 && i + 1 < u.count && u[i + 1] == 0x73)
            || (u[i] == 0xE2 && i + 3 < u.count && u[i + 1] == 0x80 && u[i + 2] == 0x99 && u[i + 3] == 0x73) { possessive = true; break }
        if possessive {
            let spaced = NameKey.normalize(name.replacingOccurrences(of: "'s", with: " s").replacingOccurrences(of: "\u{2019}s", with: " s"))
            if spaced != key { out.append(spaced) }
        }
        // A demonym first: the country's possessive form.
        let k = key.utf8
        if !countries.isEmpty, let spi = k.firstIndex(of: 0x20), k.distance(from: k.startIndex, to: spi) >= 4 {
            let k = Array(k), sp = k.firstIndex(of: 0x20)!
            for suffix in Gazetteer.demonymSuffixes where sp > suffix.count && k[(sp - suffix.count)..<sp].elementsEqual(suffix) {
                let stem = k[0..<(sp - suffix.count)], rest = String(decoding: k[sp...], as: UTF8.self)
                for tail in [[], [0x61], [0x65]] as [[UInt8]] {
                    let country = String(decoding: Array(stem) + tail, as: UTF8.self)
                    if countries.contains(country) { out.append(country + " s" + rest) }
                }
            }
        }
        return out
    }
    static let demonymSuffixes: [[UInt8]] = ["n", "an", "ian", "i", "ese", "ish"].map { Array($0.utf8) }

    private mutating func add(key: String, spelling name: String, entity ei: Int32) {
        guard let first = key.utf8.first, NameMatcher.foldedWordBytes[Int(first)] else { return }
        let rule = Gazetteer.caseRule(of: name)
        if let existing = matcher.insert(key.utf8, value: Int32(entries.count)) {
            var e = entries[Int(existing)]
            if !e.entities.contains(ei) { e.entities.append(ei) }
            if !e.spellings.contains(name) { e.spellings.append(name) }
            e.caseRule = min(e.caseRule, rule)
            entries[Int(existing)] = e
        } else {
            entries.append(Entry(key: key, spellings: [name], entities: [ei], caseRule: rule))
        }
    }

    static func caseRule(of name: String) -> CaseRule {
        var letters = 0, upper = 0
        var ascii = true
        for b in name.utf8 {
            if b >= 0x80 { ascii = false; break }
            if (65...90).contains(b) { letters += 1; upper += 1 } else if (97...122).contains(b) { letters += 1 }
        }
        if ascii { return upper == 0 ? .any : (upper == letters && letters <= 5 ? .acronym : .capitalised) }
        letters = 0; upper = 0
        for s in name.unicodeScalars where s.properties.isAlphabetic {
            letters += 1
            if s.properties.isUppercase { upper += 1 }
        }
        if upper == 0 { return .any }
        if upper == letters && letters <= 5 { return .acronym }
        return .capitalised
    }
}

extension Gazetteer.CaseRule: Comparable {
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
