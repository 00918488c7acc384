import Foundation
import MosaicGraph

/// The second pass of linking: runs of capitalised words that no name matched are either
/// near misses of a KB name (linked, with the spelling proposed as an alias) or proposed new
/// entities with a guessed type.
struct ProperNames {
    let text: String
    let utf8: [UInt8]
    let tokens: [Token]
    let mentions: [Mention]
    let linker: Linker
    var gazetteer: Gazetteer { linker.gazetteer }

    /// Capitalised words that do not start a name on their own.
    static let stopwords: Set<String> = [
        "the", "a", "an", "in", "on", "at", "to", "of", "for", "from", "by", "with", "and", "or", "but", "as", "after",
        "before", "since", "during", "while", "when", "if", "this", "that", "these", "those", "it", "its", "he", "she",
        "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "there", "here", "what", "which", "who",
        "why", "how", "no", "not", "yes", "also", "however", "meanwhile", "earlier", "later", "today", "yesterday",
        "tomorrow", "according", "some", "many", "most", "all", "both", "each", "one", "two", "three", "four", "five",
        "first", "second", "third", "last", "next", "new", "former", "several", "such", "other", "another", "more",
        "related", "click", "support", "read", "see", "photo", "image", "video", "update", "updated", "but",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "experts", "officials", "sources", "analysts", "residents", "witnesses", "reports", "report", "said",
        "can", "could", "will", "would", "should", "might", "must", "did", "does", "do", "is", "are", "was", "were",
        "has", "have", "had", "be", "been", "not", "nor", "so", "yet", "then", "thus", "because", "although", "though",
        "despite", "instead", "under", "over", "into", "about", "against", "between", "among", "across", "without",
        "within", "along", "following", "amid", "via", "per", "mr", "mrs", "ms", "dr",
    ]
    /// Lower-case words allowed inside a name between capitalised words.
    static let connectors: Set<String> = ["al", "el", "bin", "ibn", "bint", "abu", "de", "del", "da", "di", "la", "le", "von", "van", "of", "du", "der"]
    /// Endings that make a word a demonym or a derived form of a known name ("Russian",
    /// "Syrians", "Israeli"): such a word is neither a mention nor a new entity.
    static let derivedSuffixes = ["n", "an", "ian", "ns", "ans", "ians", "i", "is", "ese", "ish", "s"]

    func propose() -> [Mention] {
        let covered = mentions.map { ($0.titleStart ?? $0.start, $0.end) }
        func overlaps(_ t: Token) -> Bool { covered.contains { t.start < $0.1 && $0.0 < t.end } }
        let lowercaseWords = Set(tokens.filter { !$0.capitalised }.map(\.text))

        // Runs of capitalised tokens (with connectors inside), separated by single spaces.
        var runs: [[Token]] = []
        var cur: [Token] = []
        func flush() { if !cur.isEmpty { runs.append(cur); cur = [] } }
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            let joins = !cur.isEmpty && (t.gap == " ")
            if t.capitalised && !overlaps(t) {
                if !joins { flush() }
                cur.append(t)
            } else if !cur.isEmpty && joins && ProperNames.connectors.contains(t.text.lowercased()) && !overlaps(t),
                      i + 1 < tokens.count, tokens[i + 1].capitalised, tokens[i + 1].gap == " ", !overlaps(tokens[i + 1]) {
                cur.append(t)
            } else {
                flush()
            }
            i += 1
        }
        flush()

        // Capitalised words seen away from a sentence start (a real name is capitalised there too).
        let capitalisedInside = Set(tokens.filter { $0.capitalised && !$0.sentenceStart }.map(\.text))
        let headlines = headlineLines()
        var out: [Mention] = []
        for run in runs {
            for piece in split(run) {
                guard var m = classify(piece, lowercaseWords: lowercaseWords, capitalisedInside: capitalisedInside) else { continue }
                if m.kind == .new && headlines.contains(where: { $0.contains(m.start) }) { continue }
                if m.kind == .partial || m.kind == .nearMiss { out.append(m); continue }
                m.kind = .new
                out.append(m)
            }
        }
        return out
    }

    /// Lines written in title case (headlines, link lists): no new entities are proposed
    /// there, since every word is capitalised.
    func headlineLines() -> [Range<Int>] {
        var out: [Range<Int>] = []
        var lineStart = 0
        var i = 0
        while i <= utf8.count {
            if i == utf8.count || utf8[i] == 0x0A {
                // A headline does not end like a sentence.
                var e = i
                while e > lineStart && (utf8[e - 1] == 0x20 || utf8[e - 1] == 0x0D || utf8[e - 1] == 0x09) { e -= 1 }
                let sentence = e > lineStart && [0x2E, 0x21, 0x3F, 0x22].contains(utf8[e - 1])
                let words = tokens.filter { $0.start >= lineStart && $0.end <= i && $0.text.count >= 4 }
                let caps = words.filter { $0.capitalised }.count
                if !sentence && words.count >= 3 && caps * 10 >= words.count * 7 { out.append(lineStart..<i) }
                lineStart = i + 1
            }
            i += 1
        }
        return out
    }

    /// Drops stopwords, titles, months and days from a run, splitting it where they were.
    func split(_ run: [Token]) -> [[Token]] {
        var pieces: [[Token]] = []
        var cur: [Token] = []
        for t in run {
            let w = t.text.lowercased()
            if ProperNames.stopwords.contains(w) || (Titles.isTitleWord(t) && cur.isEmpty) || t.text.unicodeScalars.allSatisfy({ $0.properties.numericType != nil }) {
                if !cur.isEmpty { pieces.append(cur); cur = [] }
                continue
            }
            cur.append(t)
        }
        if !cur.isEmpty { pieces.append(cur) }
        // Trailing connectors and title words do not end a name.
        return pieces.compactMap { p in
            var p = p
            while let l = p.last, ProperNames.connectors.contains(l.text.lowercased()) || Titles.heads.contains(l.text.lowercased()) { p.removeLast() }
            return p.isEmpty ? nil : p
        }
    }

    func classify(_ piece: [Token], lowercaseWords: Set<String>, capitalisedInside: Set<String>) -> Mention? {
        let s = piece.first!.start, e = piece.last!.end
        let spelled = String(decoding: utf8[s..<e], as: UTF8.self)
        let key = NameKey.normalize(spelled)
        // A derived form of a known name (demonym, plural): not a mention, not an entity.
        if piece.count == 1, isDerived(key) { return nil }
        // A person's last name alone: the person mentioned earlier, else every such person.
        if piece.count == 1, let people = linker.lastNames[key] {
            let earlier = Set(mentions.filter { $0.start < s }.compactMap(\.entity))
            let chosen = people.filter { earlier.contains(gazetteer.entities[Int($0.entity)].id) }
            let pick = chosen.isEmpty ? people : chosen
            var m = Mention(start: s, end: e, text: spelled, kind: .partial, alias: pick[0].name)
            Linker.assign(pick.map { gazetteer.entities[Int($0.entity)].id }, to: &m)
            if let t = Titles.before(s, in: tokens, text: utf8) { m.title = t.0; m.titleStart = t.1 }
            return m
        }
        // Near misses: the whole piece, then with the one or two words after it ("Dalmaak
        // airfield"), then its long words one by one.
        if let m = nearMiss(spelled, start: s, end: e) { return m }
        if let li = tokens.firstIndex(where: { $0.start == piece.last!.start }) {
            var j = li + 1
            while j < tokens.count && j <= li + 2 && tokens[j].gap == " " {
                let ext = String(decoding: utf8[s..<tokens[j].end], as: UTF8.self)
                if let m = nearMiss(ext, start: s, end: tokens[j].end) { return m }
                j += 1
            }
        }
        if piece.count > 1 {
            for t in piece where t.text.count >= 6 {
                if let m = nearMiss(t.text, start: t.start, end: t.end) { return m }
            }
        }
        // A proposed new entity.
        if piece.count == 1 {
            let t = piece[0]
            let w = t.text.lowercased()
            if t.text.unicodeScalars.filter({ $0.properties.isAlphabetic }).count < 3 { return nil }
            // A word of a known name alone ("Mediterranean" of "Mediterranean Sea"): not new.
            if linker.nameWords.contains(key) { return nil }
            // A kind of thing, not a name ("Ministries", "Agency").
            if ProperNames.isKindWord(w) { return nil }
            if t.sentenceStart && (lowercaseWords.contains(w) || !capitalisedInside.contains(t.text)) { return nil }
        } else if piece[0].sentenceStart, lowercaseWords.contains(piece[0].text.lowercased()) {
            // "Mystery surrounds": the first word is an ordinary word at a sentence start.
            return classify(Array(piece.dropFirst()), lowercaseWords: lowercaseWords, capitalisedInside: capitalisedInside)
        }
        let title = Titles.before(s, in: tokens, text: utf8)
        var m = Mention(start: s, end: e, text: spelled, kind: .new, title: title?.0, titleStart: title?.1)
        m.newEntityType = guessType(piece, titled: title != nil)
        return m
    }

    static func isKindWord(_ w: String) -> Bool {
        for set in [orgWords, newsWords, baseWords, placeWords] {
            if set.contains(w) || (w.hasSuffix("ies") && set.contains(String(w.dropLast(3)) + "y")) || (w.hasSuffix("s") && set.contains(String(w.dropLast()))) { return true }
        }
        return ["articles", "article", "minister", "ministers", "president", "news"].contains(w)
    }

    func isDerived(_ key: String) -> Bool {
        for suf in ProperNames.derivedSuffixes where key.hasSuffix(suf) && key.count > suf.count + 2 {
            let stem = String(key.dropLast(suf.count))
            if gazetteer.lookup(stem) != nil || gazetteer.lookup(stem + "a") != nil || gazetteer.lookup(stem + "e") != nil { return true }
        }
        return false
    }

    func nearMiss(_ spelled: String, start: Int, end: Int) -> Mention? {
        let key = NameKey.normalize(spelled)
        let letters = key.filter { $0 != " " }.count
        guard letters >= 5 else { return nil }
        let q = Array(key.utf8)
        var best = 3
        var found: [Int] = []
        for (i, entry) in gazetteer.entries.enumerated() {
            let k = entry.keyBytes
            guard abs(k.count - q.count) <= 2, entry.letterCount >= 6 else { continue }
            let limit = entry.letterCount >= 10 ? 2 : 1
            guard let d = EditDistance.bounded(q, k, limit: min(limit, best)) else { continue }
            guard d > 0 else { continue }
            if d < best { best = d; found = [i] } else if d == best { found.append(i) }
        }
        guard !found.isEmpty else { return nil }
        let ids = found.flatMap { gazetteer.entries[$0].entities.map { gazetteer.entities[Int($0)].id } }
        var m = Mention(start: start, end: end, text: spelled, kind: .nearMiss,
                        alias: gazetteer.entries[found[0]].spellings[0], newAlias: spelled, distance: best)
        Linker.assign(ids, to: &m)
        if let t = Titles.before(start, in: tokens, text: utf8) { m.title = t.0; m.titleStart = t.1 }
        return m
    }

    static let orgWords: Set<String> = ["ministry", "army", "forces", "force", "agency", "council", "committee", "company",
        "corporation", "corp", "group", "party", "brigade", "division", "regiment", "battalion", "squadron", "embassy",
        "bank", "university", "institute", "front", "movement", "organization", "organisation", "union", "guard",
        "guards", "authority", "commission", "office", "directorate", "service", "services", "militia", "fleet",
        "navy", "flotilla", "government", "parliament", "assembly", "court", "foundation", "association", "federation", "inc", "ltd"]
    static let newsWords: Set<String> = ["news", "times", "post", "gazette", "herald", "tribune", "tv", "radio", "wire",
        "press", "daily", "journal", "observer", "chronicle", "courier", "telegraph", "monitor", "broadcasting"]
    static let baseWords: Set<String> = ["base", "airbase", "airfield", "air base", "garrison", "outpost", "camp"]
    static let placeWords: Set<String> = ["city", "province", "governorate", "region", "district", "valley", "river",
        "mountains", "mountain", "island", "islands", "sea", "gulf", "strait", "street", "square", "bridge", "port",
        "airport", "lake", "desert", "village", "town", "county", "oblast", "state", "east", "west", "north", "south",
        "middle", "coast", "peninsula", "plain", "heights", "highway", "road", "crossing"]

    /// A hint only: the analyst sets the type on review.
    func guessType(_ piece: [Token], titled: Bool) -> String {
        let words = piece.map { $0.text.lowercased() }
        if titled { return "Person" }
        if words.contains(where: ProperNames.baseWords.contains) { return "Base" }
        if words.contains(where: ProperNames.newsWords.contains) { return "NewsOrganization" }
        if words.contains(where: ProperNames.orgWords.contains) { return "Organization" }
        if words.contains(where: ProperNames.placeWords.contains) { return "Location" }
        if piece.count == 1 && piece[0].allCaps { return "Organization" }
        if (2...4).contains(piece.count) { return "Person" }
        return "Location"
    }
}

extension Gazetteer.Entry {
    var keyBytes: [UInt8] { Array(key.utf8) }
    var letterCount: Int { key.utf8.reduce(0) { $0 + ($1 == 0x20 ? 0 : 1) } }
}

extension Gazetteer {
    /// The entry of a folded name, if any.
    public func lookup(_ folded: String) -> Entry? {
        var found: Int32 = -1
        let bytes = Array(folded.utf8)
        bytes.withUnsafeBufferPointer { buf in
            matcher.scan(buf) { m in if m.start == 0 && m.end == bytes.count { found = m.value } }
        }
        return found >= 0 ? entries[Int(found)] : nil
    }
}

/// Optimal string alignment distance (insertions, deletions, substitutions, adjacent
/// transpositions) over bytes, stopping once it must exceed `limit`.
enum EditDistance {
    static func bounded(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return max(n, m) <= limit ? max(n, m) : nil }
        var prev2 = [Int](repeating: 0, count: m + 1)
        var prev = Array(0...m)
        var cur = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return nil }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[m] <= limit ? prev[m] : nil
    }
}
