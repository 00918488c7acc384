import Foundation
import MosaicGraph

/// A name found in a document. Offsets are UTF-8 byte offsets into the document's stored
/// text, `start` inclusive, `end` exclusive.
public struct Mention: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The text is a name or alias of the KB (folded).
        case name
        /// The text is within edit distance 1–2 of a KB name (a spelling to add as an alias).
        case nearMiss = "near_miss"
        /// A person's last name alone ("Putin"), linked to the person of that name mentioned
        /// earlier in the document, else to every known person of that last name.
        case partial
        /// Capitalised words that match nothing: a proposed new entity.
        case new
    }
    public var start: Int
    public var end: Int
    public var text: String
    public var kind: Kind
    /// The KB's spelling that matched (for a near miss, the name it is near); nil for `new`.
    public var alias: String?
    /// The entity, when exactly one bears the name.
    public var entity: String?
    /// The entities that bear the name, when several do (never a silent pick).
    public var candidates: [String]
    /// A title written before a person's name ("Defence Minister").
    public var title: String?
    public var titleStart: Int?
    /// A near miss: the text's spelling, proposed as a new alias, and its edit distance.
    public var newAlias: String?
    public var distance: Int?
    /// A proposed new entity: its name and a guessed type.
    public var newEntityType: String?

    public init(start: Int, end: Int, text: String, kind: Kind, alias: String? = nil, entity: String? = nil,
                candidates: [String] = [], title: String? = nil, titleStart: Int? = nil, newAlias: String? = nil,
                distance: Int? = nil, newEntityType: String? = nil) {
        self.start = start; self.end = end; self.text = text; self.kind = kind; self.alias = alias
        self.entity = entity; self.candidates = candidates; self.title = title; self.titleStart = titleStart
        self.newAlias = newAlias; self.distance = distance; self.newEntityType = newEntityType
    }
}

/// Finds the mentions of a gazetteer's entities in a text, near misses of their names, and
/// capitalised names that match nothing. The rules are in docs/ingest.md.
public struct Linker: Sendable {
    public let gazetteer: Gazetteer
    /// Folded last names of persons → (entity, the full name).
    let lastNames: [String: [(entity: Int32, name: String)]]
    /// Every word of 4+ letters of a known name: alone, it is not proposed as a new entity.
    let nameWords: Set<String>

    public init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
        var last: [String: [(entity: Int32, name: String)]] = [:]
        var words: Set<String> = []
        for e in gazetteer.entries {
            let parts = e.key.split(separator: " ")
            for w in parts where w.utf8.count >= 4 { words.insert(String(w)) }
            guard parts.count >= 2, let l = parts.last, l.utf8.count >= 3 else { continue }
            for ei in e.entities where gazetteer.entities[Int(ei)].isPerson {
                if !(last[String(l)]?.contains { $0.entity == ei } ?? false) { last[String(l), default: []].append((ei, e.spellings[0])) }
            }
        }
        lastNames = last
        nameWords = words
    }

    public func link(_ text: String) -> [Mention] {
        let folded = FoldedText(text)
        let utf8 = Array(text.utf8)
        var out: [Mention] = []
        let g = gazetteer
        folded.bytes.withUnsafeBufferPointer { buf in
            g.matcher.scan(buf, accept: { s, e, p in
                let (os, oe) = folded.originalSpan(s, e)
                return Linker.caseAllows(g.entries[Int(p)].caseRule, utf8[os..<oe])
            }) { m in
                let (os, oe) = folded.originalSpan(m.start, m.end)
                let entry = g.entries[Int(m.value)]
                let spelled = String(decoding: utf8[os..<oe], as: UTF8.self)
                let alias = entry.spellings.first(where: { $0 == spelled }) ?? entry.spellings[0]
                var mention = Mention(start: os, end: oe, text: spelled, kind: .name, alias: alias)
                Linker.assign(entry.entities.map { g.entities[Int($0)].id }, to: &mention)
                out.append(mention)
            }
        }
        let tokens = Tokenizer.tokens(text)
        for i in out.indices {
            if let (t, ts) = Titles.before(out[i].start, in: tokens, text: utf8) { out[i].title = t; out[i].titleStart = ts }
        }
        out += ProperNames(text: text, utf8: utf8, tokens: tokens, mentions: out, linker: self).propose()
        out.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        return out
    }

    static func assign(_ ids: [String], to m: inout Mention) {
        var seen: [String] = []
        for id in ids where !seen.contains(id) { seen.append(id) }
        if seen.count == 1 { m.entity = seen[0]; m.candidates = [] } else { m.entity = nil; m.candidates = seen.sorted() }
    }

    /// Whether the original text `span` may match a name with `rule`.
    static func caseAllows(_ rule: Gazetteer.CaseRule, _ span: ArraySlice<UInt8>) -> Bool {
        switch rule {
        case .any: return true
        case .capitalised:
            // Not all lower case: a capital, or a non-ASCII letter (scripts without case).
            return span.contains { (65...90).contains($0) || $0 >= 0x80 }
        case .acronym:
            return !span.contains { (97...122).contains($0) }
        }
    }
}

/// A word of the original text: letters and digits, with hyphens and apostrophes inside it.
struct Token: Sendable {
    var start: Int
    var end: Int
    var text: String
    /// Starts with a capital (or is "al-X" / "el-X" with X a capital).
    var capitalised: Bool
    /// All letters capitals (and at least two of them).
    var allCaps: Bool
    /// The characters between the previous token and this one.
    var gap: String
    /// The first token of a sentence (after . ! ? a line break, or the start).
    var sentenceStart: Bool
}

enum Tokenizer {
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (48...57).contains(v) || (65...90).contains(v) || (97...122).contains(v)
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark
    }
    static func isJoiner(_ s: Unicode.Scalar) -> Bool { s == "-" || s == "'" || s == "\u{2019}" || s == "\u{2010}" }

    static func tokens(_ text: String) -> [Token] {
        let scs = Array(text.unicodeScalars)
        var offs: [Int] = []
        offs.reserveCapacity(scs.count + 1)
        var o = 0
        for s in scs { offs.append(o); o += UTF8.width(s) }
        offs.append(o)
        var out: [Token] = []
        var k = 0
        var gapStart = 0
        while k < scs.count {
            guard isWordScalar(scs[k]) else { k += 1; continue }
            let sk = k
            while k < scs.count {
                if isWordScalar(scs[k]) { k += 1; continue }
                if isJoiner(scs[k]), k + 1 < scs.count, isWordScalar(scs[k + 1]), k > sk { k += 1; continue }
                break
            }
            // A possessive 's is not part of the word.
            var ek = k
            if ek - sk > 2, scs[ek - 1] == "s" || scs[ek - 1] == "S", scs[ek - 2] == "'" || scs[ek - 2] == "\u{2019}" { ek -= 2 }
            let word = String(String.UnicodeScalarView(scs[sk..<ek]))
            let gap = String(String.UnicodeScalarView(scs[gapStart..<sk]))
            let first = scs[sk]
            var cap = first.properties.isUppercase
            if !cap, let dash = word.firstIndex(of: "-") {
                let head = word[..<dash].lowercased()
                if ["al", "el", "ad", "as", "ash", "an", "ar", "at", "az"].contains(head),
                   let next = word[word.index(after: dash)...].unicodeScalars.first, next.properties.isUppercase { cap = true }
            }
            let letters = word.unicodeScalars.filter { $0.properties.isAlphabetic }
            let allCaps = letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
            let trimmedGap = gap.trimmingCharacters(in: .whitespaces)
            let sentenceStart = out.isEmpty || gap.contains("\n") || trimmedGap.hasSuffix(".") || trimmedGap.hasSuffix("!")
                || trimmedGap.hasSuffix("?") || trimmedGap.hasSuffix("\u{201C}") || trimmedGap.hasSuffix("\"") || trimmedGap.hasSuffix(":")
            out.append(Token(start: offs[sk], end: offs[ek], text: word, capitalised: cap, allCaps: allCaps, gap: gap, sentenceStart: sentenceStart))
            gapStart = ek
            k = max(k, ek)
        }
        return out
    }
}

/// Titles written before names: "Defence Minister", "President", "Gen.".
enum Titles {
    /// Words that end a title (the one right before the name must be one).
    static let heads: Set<String> = [
        "president", "minister", "secretary", "general", "colonel", "commander", "spokesperson", "spokesman",
        "spokeswoman", "ambassador", "envoy", "chief", "director", "governor", "mayor", "king", "queen", "prince",
        "emir", "sheikh", "premier", "chancellor", "lieutenant", "major", "admiral", "captain", "dr", "mr", "mrs", "ms",
        "gen", "col", "lt", "adm", "capt", "senator", "representative", "judge", "patriarch", "imam", "marshal",
        "brigadier", "sergeant", "officer", "leader", "head", "chairman", "chairwoman", "chair", "counterpart",
    ]
    /// Words that may precede a head inside a title.
    static let modifiers: Set<String> = [
        "defence", "defense", "foreign", "interior", "prime", "deputy", "vice", "acting", "former", "transitional",
        "interim", "first", "chief", "information", "finance", "economy", "justice", "health", "energy", "oil",
        "state", "army", "air", "force", "navy", "naval", "general", "lieutenant", "major", "supreme", "crown",
        "secretary", "military", "security", "intelligence", "affairs",
    ]

    static func isTitleWord(_ t: Token) -> Bool {
        let w = t.text.lowercased()
        return heads.contains(w) || modifiers.contains(w)
    }

    /// The title right before byte offset `start` (the tokens before it, separated by single
    /// spaces or a period and a space after an abbreviation), and where it starts.
    static func before(_ start: Int, in tokens: [Token], text: [UInt8]) -> (String, Int)? {
        guard var i = tokens.lastIndex(where: { $0.end <= start }) else { return nil }
        // The name must follow the token directly (one space, or "Gen. ").
        let between = String(decoding: text[tokens[i].end..<start], as: UTF8.self)
        guard between == " " || between == ". " else { return nil }
        guard heads.contains(tokens[i].text.lowercased()) else { return nil }
        var first = i
        while i > 0 {
            let gap = tokens[i].gap
            guard gap == " " || gap == ". " else { break }
            let prev = tokens[i - 1]
            guard prev.capitalised || modifiers.contains(prev.text.lowercased()), isTitleWord(prev) else { break }
            i -= 1
            first = i
        }
        let s = tokens[first].start
        var e = start
        while e > s, text[e - 1] == 0x20 { e -= 1 }
        return (String(decoding: text[s..<e], as: UTF8.self), s)
    }
}
