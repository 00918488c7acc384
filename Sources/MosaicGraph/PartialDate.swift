// MosaicGraph provides Mosaic's model: values (with partial dates), entities, relations,
// statements and their metadata, the schema, and the in-memory `Graph` snapshot with its
// indexes. It uses only Foundation and does no I/O.
import Foundation

/// A date known to a precision: a year, a month, a day, or an instant (minute or second).
/// It stands for an interval: `2025-10` is all of October 2025. Ordering (`<`) sorts by the
/// interval's start, then by coarser precision first; `relation(to:)` tells what is certain.
public struct PartialDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Precision: UInt8, Sendable, Comparable, CaseIterable {
        case year = 0, month, day, minute, second
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
        public var name: String {
            switch self {
            case .year: "year"; case .month: "month"; case .day: "day"
            case .minute: "minute"; case .second: "second"
            }
        }
    }

    /// Seconds since 1970-01-01T00:00Z of the first instant of the interval.
    public let seconds: Int64
    public let precision: Precision
    /// For instants: the UTC offset the date was written with, in minutes (kept for display).
    public let offsetMinutes: Int16

    public init(seconds: Int64, precision: Precision, offsetMinutes: Int16 = 0) {
        self.seconds = seconds
        self.precision = precision
        self.offsetMinutes = precision >= .minute ? offsetMinutes : 0
    }

    /// A date from calendar fields; `nil` when the date does not exist (2025-02-30).
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (-9999...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
            if let day {
                guard (1...PartialDate.daysIn(month: month, year: year)).contains(day) else { return nil }
                self.init(seconds: PartialDate.daysFromCivil(year, month, day) * 86_400, precision: .day)
            } else {
                self.init(seconds: PartialDate.daysFromCivil(year, month, 1) * 86_400, precision: .month)
            }
        } else {
            guard day == nil else { return nil }
            self.init(seconds: PartialDate.daysFromCivil(year, 1, 1) * 86_400, precision: .year)
        }
    }

    /// Parses `2025`, `2025-10`, `2025-10-29`, `2025-10-29T06:00`, `2025-10-29T06:00:30Z`,
    /// `2025-10-29 06:00+03:00`. Returns nil for malformed or impossible dates.
    public init?(_ text: String) {
        guard let parsed = PartialDate.parse(Substring(text)) else { return nil }
        self = parsed
    }

    public init(_ date: Date) {
        self.init(seconds: Int64(date.timeIntervalSince1970.rounded(.down)), precision: .second)
    }

    // MARK: calendar fields (in the written offset for instants)

    private var localSeconds: Int64 { seconds + Int64(offsetMinutes) * 60 }
    public var dayNumber: Int64 { PartialDate.floorDiv(localSeconds, 86_400) }
    public var civil: (year: Int, month: Int, day: Int) { PartialDate.civilFromDays(dayNumber) }
    public var year: Int { civil.year }
    public var month: Int? { precision >= .month ? civil.month : nil }
    public var day: Int? { precision >= .day ? civil.day : nil }
    public var secondOfDay: Int { Int(localSeconds - dayNumber * 86_400) }
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The first second after the interval.
    public var end: Int64 {
        let (y, m, _) = civil
        switch precision {
        case .year: return PartialDate.daysFromCivil(y + 1, 1, 1) * 86_400 - Int64(offsetMinutes) * 60
        case .month:
            let (ny, nm) = m == 12 ? (y + 1, 1) : (y, m + 1)
            return PartialDate.daysFromCivil(ny, nm, 1) * 86_400
        case .day: return seconds + 86_400
        case .minute: return seconds + 60
        case .second: return seconds + 1
        }
    }

    public var description: String {
        let (y, m, d) = civil
        let ys = y >= 0 && y <= 9999 ? pad(y, 4) : String(y)
        switch precision {
        case .year: return ys
        case .month: return "\(ys)-\(pad(m, 2))"
        case .day: return "\(ys)-\(pad(m, 2))-\(pad(d, 2))"
        case .minute, .second:
            let s = secondOfDay
            var out = "\(ys)-\(pad(m, 2))-\(pad(d, 2))T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2))"
            if precision == .second { out += ":\(pad(s % 60, 2))" }
            if offsetMinutes == 0 { out += "Z" } else {
                let o = abs(Int(offsetMinutes))
                out += (offsetMinutes < 0 ? "-" : "+") + "\(pad(o / 60, 2)):\(pad(o % 60, 2))"
            }
            return out
        }
    }

    // MARK: comparing with precision

    /// What is certain about two partial dates: one is wholly before the other, they are the
    /// same interval, or they overlap (2025-10 and 2025-10-29: neither is known to be earlier).
    public enum Relation: Sendable, Equatable { case before, after, same, overlaps }

    public func relation(to other: PartialDate) -> Relation {
        if seconds == other.seconds && precision == other.precision { return .same }
        if end <= other.seconds { return .before }
        if other.end <= seconds { return .after }
        return .overlaps
    }

    /// True when every instant of `other` lies within this interval.
    public func contains(_ other: PartialDate) -> Bool { seconds <= other.seconds && other.end <= end }
    public func overlaps(_ other: PartialDate) -> Bool { seconds < other.end && other.seconds < end }

    public static func < (a: PartialDate, b: PartialDate) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.precision < b.precision
    }

    // MARK: arithmetic

    /// The years a partial date can hold (what `init(year:month:day:)` accepts).
    public static let yearRange = -9999...9999

    /// Shifts by whole days, keeping the precision (`2025-10` + 40 days is `2025-11`); nil
    /// when the result falls outside years -9999…9999 (or the shift overflows), so a
    /// hostile day count is an error for the caller to report, never a crash.
    public func shifted(days: Int) -> PartialDate? {
        let (delta, overflowA) = Int64(days).multipliedReportingOverflow(by: 86_400)
        let (moved, overflowB) = seconds.addingReportingOverflow(delta)
        guard !overflowA, !overflowB else { return nil }
        // Checked before building the date: the local day number must not overflow either.
        let (local, overflowC) = moved.addingReportingOverflow(Int64(offsetMinutes) * 60)
        guard !overflowC, PartialDate.yearRange.contains(PartialDate.civilFromDays(PartialDate.floorDiv(local, 86_400)).year) else { return nil }
        return PartialDate(seconds: moved, precision: .second, offsetMinutes: offsetMinutes).truncated(to: precision)
    }

    /// Shifts by whole days, keeping the precision (`2025-10` + 40 days is `2025-11`). A
    /// result outside years -9999…9999 is clamped to the first or last day of that range;
    /// use `shifted(days:)` to find out.
    public func adding(days: Int) -> PartialDate {
        if let moved = shifted(days: days) { return moved }
        let edge = days < 0 ? PartialDate(year: PartialDate.yearRange.lowerBound, month: 1, day: 1)!
                            : PartialDate(year: PartialDate.yearRange.upperBound, month: 12, day: 31)!
        return edge.truncated(to: min(precision, .day))
    }

    /// Days from this date's start to `other`'s start.
    public func days(to other: PartialDate) -> Int {
        Int(PartialDate.floorDiv(other.seconds - seconds, 86_400))
    }

    public func truncated(to p: Precision) -> PartialDate {
        let (y, m, d) = civil
        switch p {
        case .year: return PartialDate(year: y)!
        case .month: return PartialDate(year: y, month: m)!
        case .day: return PartialDate(year: y, month: m, day: d)!
        case .minute: return PartialDate(seconds: seconds - PartialDate.floorMod(localSeconds, 60), precision: .minute, offsetMinutes: offsetMinutes)
        case .second: return PartialDate(seconds: seconds, precision: .second, offsetMinutes: offsetMinutes)
        }
    }

    // MARK: parsing

    static func parse(_ s: Substring) -> PartialDate? {
        // Text that starts and ends with a printable ASCII byte (the usual case) is read in
        // place; other text is trimmed first (Foundation's trimming costs more than the parse).
        if let f = s.utf8.first, let l = s.utf8.last, f > 0x20 && f < 0x7F && l > 0x20 && l < 0x7F,
           let parsed = s.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) {
            return parsed
        }
        let edges = [s.unicodeScalars.first, s.unicodeScalars.last].compactMap { $0 }
        let text = edges.contains(where: { $0.properties.isWhitespace }) ? s.trimmingCharacters(in: .whitespaces) : String(s)
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// The date written in `u` (no surrounding space), or nil.
    static func parse(bytes u: UnsafeBufferPointer<UInt8>) -> PartialDate? {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard u[k] >= 48 && u[k] <= 57 else { return nil }
                v = v * 10 + Int(u[k] - 48)
            }
            i += n
            return v
        }
        func eat(_ c: UInt8) -> Bool { if i < u.count && u[i] == c { i += 1; return true }; return false }
        var negative = false
        if eat(UInt8(ascii: "-")) { negative = true }
        guard var year = digits(4) else { return nil }
        if negative { year = -year }
        if i == u.count { return PartialDate(year: year) }
        guard eat(UInt8(ascii: "-")), let month = digits(2) else { return nil }
        if i == u.count { return PartialDate(year: year, month: month) }
        guard eat(UInt8(ascii: "-")), let day = digits(2) else { return nil }
        guard let dayDate = PartialDate(year: year, month: month, day: day) else { return nil }
        if i == u.count { return dayDate }
        guard eat(UInt8(ascii: "T")) || eat(UInt8(ascii: " ")) else { return nil }
        guard let hh = digits(2), eat(UInt8(ascii: ":")), let mm = digits(2), hh < 24, mm < 60 else { return nil }
        var ss = 0
        var precision = Precision.minute
        if eat(UInt8(ascii: ":")) {
            guard let v = digits(2), v < 60 else { return nil }
            ss = v
            precision = .second
            if eat(UInt8(ascii: ".")) { while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 } }
        }
        var offset = 0
        if eat(UInt8(ascii: "Z")) || eat(UInt8(ascii: "z")) {
        } else if i < u.count && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) {
            let sign = u[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = eat(UInt8(ascii: ":"))
            let om = digits(2) ?? 0
            guard oh <= 18, om < 60 else { return nil }
            offset = sign * (oh * 60 + om)
        }
        guard i == u.count else { return nil }
        let local = dayDate.seconds + Int64(hh * 3600 + mm * 60 + ss)
        return PartialDate(seconds: local - Int64(offset) * 60, precision: precision, offsetMinutes: Int16(offset))
    }

    // MARK: civil calendar (proleptic Gregorian)

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date.
    public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { let q = a / b; return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q }
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}

private func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension PartialDate: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = PartialDate(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a date: \(s)")
        }
        self = d
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
