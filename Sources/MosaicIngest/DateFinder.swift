import Foundation
import MosaicGraph

/// A date written in a document, normalised. Offsets are UTF-8 byte offsets into the text.
public struct DateMention: Sendable, Hashable {
    public enum Precision: String, Sendable, Codable {
        case day, month, year
        /// An interval of days ("last week": Monday to Sunday), `from` … `to` inclusive.
        case range
    }
    public var start: Int
    public var end: Int
    public var text: String
    /// The date (a day, month or year), or the first day of a range; nil when a relative or
    /// year-less date has no publication date to anchor it.
    public var from: PartialDate?
    /// The last day of a range (nil otherwise).
    public var to: PartialDate?
    public var precision: Precision
    /// Relative to the publication date ("yesterday", "on Wednesday", "last week").
    public var relative: Bool
    /// A day that does not exist ("31 February 2025"): it blocks shorter readings of its
    /// text and is then dropped.
    var invalid = false
}

/// Finds absolute and relative dates in text. Relative ones ("on Wednesday", "last week",
/// "earlier this month", "yesterday") are resolved against `published` (a day, or coarser:
/// then only what that precision allows). The rules are in docs/ingest.md.
public struct DateFinder: Sendable {
    public var published: PartialDate?
    public init(published: PartialDate?) { self.published = published }

    static let monthNames: [(String, Int)] = [
        ("January", 1), ("Jan", 1), ("February", 2), ("Feb", 2), ("March", 3), ("Mar", 3), ("April", 4), ("Apr", 4),
        ("May", 5), ("June", 6), ("Jun", 6), ("July", 7), ("Jul", 7), ("August", 8), ("Aug", 8), ("September", 9),
        ("Sept", 9), ("Sep", 9), ("October", 10), ("Oct", 10), ("November", 11), ("Nov", 11), ("December", 12), ("Dec", 12),
    ]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let month = "(" + monthNames.map(\.0).joined(separator: "|") + ")"
    static let weekday = "(?:(?:" + weekdays.joined(separator: "|") + "),? )?"
    static let ord = "(?:st|nd|rd|th)?"

    enum Shape { case iso, dmy, mdy, dm, md, my, monthOnly, year, yesterday, today, tomorrow, weekday, lastWeek, thisWeek,
                 earlierThisWeek, lastMonth, thisMonth, earlierThisMonth, lastYear, thisYear, earlierThisYear, daysAgo }

    static let patterns: [(Shape, NSRegularExpression)] = {
        func re(_ p: String, _ ci: Bool = false) -> NSRegularExpression {
            try! NSRegularExpression(pattern: p, options: ci ? [.caseInsensitive] : [])
        }
        let wd = "(" + weekdays.joined(separator: "|") + ")"
        return [
            (.iso, re("\\b" + weekday + "(\\d{4})-(\\d{2})-(\\d{2})\\b")),
            (.dmy, re("\\b" + weekday + "(\\d{1,2})" + ord + " " + month + "\\.?,? (\\d{4})\\b")),
            (.mdy, re("\\b" + weekday + month + "\\.? (\\d{1,2})" + ord + ",? (\\d{4})\\b")),
            (.dm, re("\\b" + weekday + "(\\d{1,2})" + ord + " " + month + "\\b")),
            (.md, re("\\b" + weekday + month + "\\.? (\\d{1,2})" + ord + "\\b(?![,.]?\\d)")),
            (.my, re("\\b" + month + "\\.?,? (\\d{4})\\b")),
            (.monthOnly, re("\\b(?:in|early|late|mid-|mid|since|until|by|during|throughout) " + month + "\\b(?!\\.? \\d)")),
            (.year, re("\\b(?:in|since|until|by|during|early|late|mid-|mid)\\s?((?:19|20)\\d{2})\\b(?!-)", true)),
            (.yesterday, re("\\byesterday\\b", true)),
            (.today, re("\\b(?:today|this morning|this afternoon|this evening|tonight)\\b", true)),
            (.tomorrow, re("\\btomorrow\\b", true)),
            (.weekday, re("\\b(?:(on|last|this|next|since|by|until) )?" + wd + "\\b(?!,? (?:\\d|" + month.dropFirst().dropLast() + "))")),
            (.earlierThisWeek, re("\\bearlier this week\\b", true)),
            (.lastWeek, re("\\b(?:last|past|previous) week\\b", true)),
            (.thisWeek, re("\\bthis week\\b", true)),
            (.earlierThisMonth, re("\\bearlier this month\\b", true)),
            (.lastMonth, re("\\b(?:last|past|previous) month\\b", true)),
            (.thisMonth, re("\\bthis month\\b", true)),
            (.earlierThisYear, re("\\bearlier this year\\b", true)),
            (.lastYear, re("\\blast year\\b", true)),
            (.thisYear, re("\\bthis year\\b", true)),
            (.daysAgo, re("\\b(two|three|four|five|six|seven|\\d{1,2}) days ago\\b", true)),
        ]
    }()

    public func find(in text: String) -> [DateMention] {
        let ns = text as NSString
        var found: [DateMention] = []
        for (shape, re) in DateFinder.patterns {
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                func g(_ i: Int) -> String? {
                    let r = m.range(at: i)
                    return r.location == NSNotFound ? nil : ns.substring(with: r)
                }
                var d = resolve(shape, g) ?? DateMention(start: 0, end: 0, text: "", from: nil, to: nil, precision: .day, relative: false, invalid: true)
                let r = Range(m.range, in: text)!
                d.start = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
                d.end = text.utf8.distance(from: text.startIndex, to: r.upperBound)
                d.text = String(text[r])
                found.append(d)
            }
        }
        // Longest first at each start, no overlaps.
        found.sort { ($0.start, -$0.end) < ($1.start, -$1.end) }
        var out: [DateMention] = []
        var pos = 0
        for d in found where d.start >= pos { out.append(d); pos = d.end }
        return out.filter { !$0.invalid }
    }

    static func monthNumber(_ s: String) -> Int? { monthNames.first { $0.0 == s }?.1 }

    /// The year of a year-less day or month: the publication's year, or the year before when
    /// that would put it more than 60 days after publication.
    func inferYear(month: Int, day: Int?) -> Int? {
        guard let p = published else { return nil }
        let y = p.year
        guard let d = PartialDate(year: y, month: month, day: day ?? 1) ?? PartialDate(year: y, month: month, day: 28) else { return nil }
        return d.seconds > p.seconds + 60 * 86_400 ? y - 1 : y
    }

    func day(_ y: Int?, _ m: Int?, _ d: Int?) -> PartialDate? {
        guard let y, let m, let d else { return nil }
        return PartialDate(year: y, month: m, day: d)
    }

    private func mention(_ from: PartialDate?, _ p: DateMention.Precision, to: PartialDate? = nil, relative: Bool = false) -> DateMention {
        DateMention(start: 0, end: 0, text: "", from: from, to: to, precision: p, relative: relative)
    }

    /// The publication day, when it is known to the day.
    var pubDay: PartialDate? { published.flatMap { $0.precision >= .day ? $0.truncated(to: .day) : nil } }

    func resolve(_ shape: Shape, _ g: (Int) -> String?) -> DateMention? {
        switch shape {
        case .iso:
            guard let d = day(g(1).flatMap { Int($0) }, g(2).flatMap { Int($0) }, g(3).flatMap { Int($0) }) else { return nil }
            return mention(d, .day)
        case .dmy:
            guard let d = day(g(3).flatMap { Int($0) }, g(2).flatMap(DateFinder.monthNumber), g(1).flatMap { Int($0) }) else { return nil }
            return mention(d, .day)
        case .mdy:
            guard let d = day(g(3).flatMap { Int($0) }, g(1).flatMap(DateFinder.monthNumber), g(2).flatMap { Int($0) }) else { return nil }
            return mention(d, .day)
        case .dm, .md:
            let (dayS, monS) = shape == .dm ? (g(1), g(2)) : (g(2), g(1))
            guard let m = monS.flatMap(DateFinder.monthNumber), let dd = dayS.flatMap({ Int($0) }),
                  PartialDate(year: 2024, month: m, day: dd) != nil else { return nil }  // 2024: a leap year
            guard let y = inferYear(month: m, day: dd) else { return mention(nil, .day) }
            guard let d = day(y, m, dd) else { return nil }
            return mention(d, .day)
        case .my:
            guard let m = g(1).flatMap(DateFinder.monthNumber), let y = g(2).flatMap({ Int($0) }) else { return nil }
            return mention(PartialDate(year: y, month: m), .month)
        case .monthOnly:
            guard let m = g(1).flatMap(DateFinder.monthNumber) else { return nil }
            guard let y = inferYear(month: m, day: nil) else { return mention(nil, .month) }
            return mention(PartialDate(year: y, month: m), .month)
        case .year:
            guard let y = g(1).flatMap({ Int($0) }) else { return nil }
            return mention(PartialDate(year: y), .year)
        case .yesterday: return mention(pubDay.flatMap { $0.shifted(days: -1) }, .day, relative: true)
        case .today: return mention(pubDay, .day, relative: true)
        case .tomorrow: return mention(pubDay.flatMap { $0.shifted(days: 1) }, .day, relative: true)
        case .daysAgo:
            let words = ["two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7]
            guard let s = g(1), let n = Int(s) ?? words[s.lowercased()] else { return nil }
            return mention(pubDay.flatMap { $0.shifted(days: -n) }, .day, relative: true)
        case .weekday:
            guard let name = g(2), let wd = DateFinder.weekdays.firstIndex(of: name) else { return nil }
            guard let p = pubDay else { return mention(nil, .day, relative: true) }
            let pw = DateFinder.weekdayIndex(p)  // 0 = Monday
            let back = (pw - wd + 7) % 7
            switch g(1)?.lowercased() {
            case "next": return mention(p.shifted(days: (wd - pw + 7) % 7 == 0 ? 7 : (wd - pw + 7) % 7), .day, relative: true)
            case "last": return mention(p.shifted(days: -(back == 0 ? 7 : back)), .day, relative: true)
            default: return mention(p.shifted(days: -back), .day, relative: true)
            }
        case .lastWeek, .thisWeek, .earlierThisWeek:
            guard let p = pubDay else { return mention(nil, .range, relative: true) }
            let monday = p.shifted(days: -DateFinder.weekdayIndex(p))!
            switch shape {
            case .lastWeek: return mention(monday.shifted(days: -7), .range, to: monday.shifted(days: -1), relative: true)
            case .thisWeek: return mention(monday, .range, to: p, relative: true)
            default:
                if monday == p { return mention(monday.shifted(days: -7), .range, to: p.shifted(days: -1), relative: true) }
                return mention(monday, .range, to: p.shifted(days: -1), relative: true)
            }
        case .lastMonth, .thisMonth, .earlierThisMonth:
            guard let pub = published, pub.precision >= .month else { return mention(nil, .month, relative: true) }
            let first = pub.truncated(to: .month)
            switch shape {
            case .lastMonth: return mention(first.shifted(days: -1)!.truncated(to: .month), .month, relative: true)
            case .thisMonth: return mention(first, .month, relative: true)
            default:
                guard let p = pubDay, let firstDay = PartialDate(year: p.year, month: p.civil.month, day: 1), firstDay != p else {
                    return mention(first, .month, relative: true)
                }
                return mention(firstDay, .range, to: p.shifted(days: -1), relative: true)
            }
        case .lastYear, .thisYear, .earlierThisYear:
            guard let pub = published else { return mention(nil, .year, relative: true) }
            switch shape {
            case .lastYear: return mention(PartialDate(year: pub.year - 1), .year, relative: true)
            case .thisYear: return mention(PartialDate(year: pub.year), .year, relative: true)
            default:
                guard let p = pubDay, let jan1 = PartialDate(year: p.year, month: 1, day: 1), jan1 != p else {
                    return mention(PartialDate(year: pub.year), .year, relative: true)
                }
                return mention(jan1, .range, to: p.shifted(days: -1), relative: true)
            }
        }
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    static func weekdayIndex(_ d: PartialDate) -> Int {
        let days = Int(d.dayNumber)
        return ((days % 7) + 7 + 3) % 7
    }
}
