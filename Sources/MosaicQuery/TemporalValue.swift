// TemporalValue provides the openCypher temporal kinds that Mosaic's `PartialDate` does not
// cover: local time, time (with a UTC offset), local date-time and date-time (with an offset
// and an optional named zone), to the nanosecond; their ISO 8601 parsing and rendering, their
// calendar fields and their ordering. It uses `PartialDate`'s civil-calendar helpers and
// Foundation's `TimeZone` for named zones.
import Foundation
import MosaicGraph

/// A time of day, or a date and a time of day, with or without a UTC offset.
public struct TemporalValue: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable, Hashable {
        case localTime, time, localDateTime, dateTime
        public var hasDate: Bool { self == .localDateTime || self == .dateTime }
        public var hasOffset: Bool { self == .time || self == .dateTime }
        public var typeName: String {
            switch self {
            case .localTime: "LOCAL TIME"; case .time: "ZONED TIME"
            case .localDateTime: "LOCAL DATETIME"; case .dateTime: "ZONED DATETIME"
            }
        }
        public var functionName: String {
            switch self {
            case .localTime: "localtime"; case .time: "time"
            case .localDateTime: "localdatetime"; case .dateTime: "datetime"
            }
        }
    }

    /// The range of dates: years -999,999,999 to 999,999,999, as days since 1970-01-01.
    static let minEpochDay = PartialDate.daysFromCivil(-999_999_999, 1, 1)
    static let maxEpochDay = PartialDate.daysFromCivil(999_999_999, 12, 31)
    public static let nanosPerSecond: Int64 = 1_000_000_000
    public static let nanosPerDay: Int64 = 86_400 * nanosPerSecond

    public let kind: Kind
    /// The local calendar day, in days since 1970-01-01 (0 for the time kinds).
    public let epochDay: Int64
    /// Nanoseconds since local midnight.
    public let nanoOfDay: Int64
    /// The UTC offset in seconds (0 for the local kinds).
    public let offsetSeconds: Int
    /// The named zone of a date-time, such as `Europe/Stockholm`.
    public let zone: String?

    public init(kind: Kind, epochDay: Int64 = 0, nanoOfDay: Int64, offsetSeconds: Int = 0, zone: String? = nil) {
        self.kind = kind
        self.epochDay = kind.hasDate ? epochDay : 0
        self.nanoOfDay = nanoOfDay
        self.offsetSeconds = kind.hasOffset ? offsetSeconds : 0
        self.zone = kind == .dateTime ? zone : nil
    }

    /// A date-time in a named zone (the offset in force at that local time) or at a fixed offset.
    static func zoned(epochDay: Int64, nanoOfDay: Int64, offset: Int, zone: String?) -> TemporalValue {
        var off = offset
        if let zone, let tz = TimeZone(identifier: zone) {
            off = TemporalValue.offset(of: tz, localSeconds: epochDay * 86_400 + nanoOfDay / nanosPerSecond)
        }
        return TemporalValue(kind: .dateTime, epochDay: epochDay, nanoOfDay: nanoOfDay, offsetSeconds: off, zone: zone)
    }

    /// The offset of `tz` at a local wall-clock time.
    static func offset(of tz: TimeZone, localSeconds: Int64) -> Int {
        let guess = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds)))
        let second = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds - Int64(guess))))
        if second == guess { return guess }
        let third = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds - Int64(second))))
        return third == second ? second : max(guess, second)
    }

    /// Whole seconds since 1970-01-01T00:00Z (for time kinds: since midnight UTC); the
    /// fraction is `nanosecond`. (Seconds, not nanoseconds: years up to ±999,999,999 fit.)
    public var instantSeconds: Int64 { localSeconds - Int64(offsetSeconds) }
    /// Local whole seconds since 1970-01-01T00:00.
    public var localSeconds: Int64 { epochDay * 86_400 + nanoOfDay / TemporalValue.nanosPerSecond }

    public var hour: Int { Int(nanoOfDay / 3_600_000_000_000) }
    public var minute: Int { Int(nanoOfDay / 60_000_000_000 % 60) }
    public var second: Int { Int(nanoOfDay / TemporalValue.nanosPerSecond % 60) }
    public var nanosecond: Int { Int(nanoOfDay % TemporalValue.nanosPerSecond) }

    /// The same instant seen at another offset or zone (date-times and times).
    func converted(toOffset offset: Int, zone: String?) -> TemporalValue {
        let instant = instantSeconds, frac = Int64(nanosecond)
        var off = offset
        if let zone, let tz = TimeZone(identifier: zone) {
            off = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }
        let local = instant + Int64(off)
        let nano = TemporalValue.floorMod(local, 86_400) * TemporalValue.nanosPerSecond + frac
        if kind == .time { return TemporalValue(kind: .time, nanoOfDay: nano, offsetSeconds: off) }
        return TemporalValue(kind: .dateTime, epochDay: TemporalValue.floorDiv(local, 86_400), nanoOfDay: nano, offsetSeconds: off, zone: zone)
    }

    /// Ordering within one kind: local kinds by wall clock, the others by instant, then by
    /// wall clock. Nil when the kinds differ (values of different kinds are not comparable).
    public func compare(_ o: TemporalValue) -> Int? {
        guard kind == o.kind else { return nil }
        func c(_ a: Int64, _ b: Int64) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        switch kind {
        case .localTime: return c(nanoOfDay, o.nanoOfDay)
        case .localDateTime: return epochDay != o.epochDay ? c(epochDay, o.epochDay) : c(nanoOfDay, o.nanoOfDay)
        case .time, .dateTime:
            let x = c(instantSeconds, o.instantSeconds)
            if x != 0 { return x }
            let y = c(Int64(nanosecond), Int64(o.nanosecond))
            return y != 0 ? y : c(localSeconds, o.localSeconds)
        }
    }

    // MARK: rendering

    public var description: String {
        switch kind {
        case .localTime: return TemporalValue.timeText(nanoOfDay)
        case .time: return TemporalValue.timeText(nanoOfDay) + TemporalValue.offsetText(offsetSeconds)
        case .localDateTime: return TemporalValue.dateText(epochDay) + "T" + TemporalValue.timeText(nanoOfDay)
        case .dateTime:
            var s = TemporalValue.dateText(epochDay) + "T" + TemporalValue.timeText(nanoOfDay) + TemporalValue.offsetText(offsetSeconds)
            if let zone { s += "[\(zone)]" }
            return s
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func dateText(_ day: Int64) -> String {
        let (y, m, d) = PartialDate.civilFromDays(day)
        let ys = y < 0 ? "-" + pad(-y, 4) : (y > 9999 ? "+\(y)" : pad(y, 4))
        return "\(ys)-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff` (fractions in groups of three digits).
    static func timeText(_ nano: Int64) -> String {
        let secs = Int(nano / nanosPerSecond), frac = Int(nano % nanosPerSecond)
        var s = "\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2))"
        if secs % 60 != 0 || frac != 0 { s += ":\(pad(secs % 60, 2))" }
        if frac != 0 { s += "." + fractionText(frac, groups: true) }
        return s
    }

    /// The digits of a fraction of a second (`frac` nanoseconds), trailing zeros dropped
    /// (in groups of three when `groups`).
    static func fractionText(_ frac: Int, groups: Bool) -> String {
        var digits = pad(frac, 9)
        if groups {
            while digits.count > 3 && digits.hasSuffix("000") { digits.removeLast(3) }
        } else {
            while digits.hasSuffix("0") { digits.removeLast() }
        }
        return digits
    }

    static func offsetText(_ off: Int) -> String {
        if off == 0 { return "Z" }
        let a = abs(off)
        var s = (off < 0 ? "-" : "+") + "\(pad(a / 3600, 2)):\(pad(a / 60 % 60, 2))"
        if a % 60 != 0 { s += ":\(pad(a % 60, 2))" }
        return s
    }

    // MARK: calendar helpers

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { let q = a / b; return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q }
    /// Wrapping arithmetic: the product may leave Int64 (a = Int64.min) while the result, in 0..<b, does not.
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a &- floorDiv(a, b) &* b }

    /// ISO day of week, Monday = 1.
    static func dayOfWeek(_ day: Int64) -> Int { Int(floorMod(day + 3, 7)) + 1 }

    /// The ISO week-based year and week of a day.
    static func isoWeek(_ day: Int64) -> (weekYear: Int, week: Int) {
        let thursday = day - Int64(dayOfWeek(day) - 1) + 3
        let y = PartialDate.civilFromDays(thursday).year
        let ordinal = thursday - PartialDate.daysFromCivil(y, 1, 1)
        return (y, Int(ordinal / 7) + 1)
    }

    /// The day of an ISO week date; nil when the week does not exist in that year.
    static func dayOf(weekYear: Int, week: Int, dayOfWeek dow: Int) -> Int64? {
        let jan4 = PartialDate.daysFromCivil(weekYear, 1, 4)
        let monday = jan4 - Int64(dayOfWeek(jan4) - 1)
        guard (1...7).contains(dow), week >= 1 else { return nil }
        let weeksInYear = isoWeek(PartialDate.daysFromCivil(weekYear, 12, 28)).week
        guard week <= weeksInYear else { return nil }
        return monday + Int64((week - 1) * 7 + dow - 1)
    }

    static func dayOf(year: Int, ordinalDay: Int) -> Int64? {
        guard ordinalDay >= 1, ordinalDay <= (PartialDate.isLeap(year) ? 366 : 365) else { return nil }
        return PartialDate.daysFromCivil(year, 1, 1) + Int64(ordinalDay - 1)
    }

    static func dayOf(year: Int, quarter: Int, dayOfQuarter: Int) -> Int64? {
        guard (1...4).contains(quarter), dayOfQuarter >= 1 else { return nil }
        let start = PartialDate.daysFromCivil(year, quarter * 3 - 2, 1)
        let end = quarter == 4 ? PartialDate.daysFromCivil(year + 1, 1, 1) : PartialDate.daysFromCivil(year, quarter * 3 + 1, 1)
        guard start + Int64(dayOfQuarter - 1) < end else { return nil }
        return start + Int64(dayOfQuarter - 1)
    }

    static func dayOf(year: Int, month: Int, day: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= PartialDate.daysIn(month: month, year: year) else { return nil }
        return PartialDate.daysFromCivil(year, month, day)
    }

    /// The calendar fields of a day that a query can read (`year`, `week`, `ordinalDay`, ...).
    static func dateComponent(_ day: Int64, _ key: String) -> QueryValue? {
        let (y, m, d) = PartialDate.civilFromDays(day)
        switch key {
        case "year": return .int(y)
        case "quarter": return .int((m - 1) / 3 + 1)
        case "month": return .int(m)
        case "week": return .int(isoWeek(day).week)
        case "weekYear": return .int(isoWeek(day).weekYear)
        case "dayOfQuarter": return .int(Int(day - PartialDate.daysFromCivil(y, (m - 1) / 3 * 3 + 1, 1)) + 1)
        case "ordinalDay": return .int(Int(day - PartialDate.daysFromCivil(y, 1, 1)) + 1)
        case "dayOfWeek", "weekDay": return .int(dayOfWeek(day))
        case "day": return .int(d)
        default: return nil
        }
    }

    /// A field of this value, or nil when it has no such field.
    public func component(_ key: String) -> QueryValue? {
        if kind.hasDate, let v = TemporalValue.dateComponent(epochDay, key) { return v }
        switch key {
        case "hour": return .int(hour)
        case "minute": return .int(minute)
        case "second": return .int(second)
        case "millisecond": return .int(nanosecond / 1_000_000)
        case "microsecond": return .int(nanosecond / 1_000)
        case "nanosecond": return .int(nanosecond)
        default: break
        }
        guard kind.hasOffset else { return nil }
        switch key {
        case "timezone": return .string(zone ?? TemporalValue.offsetText(offsetSeconds))
        case "offset": return .string(TemporalValue.offsetText(offsetSeconds))
        case "offsetMinutes": return .int(offsetSeconds / 60)
        case "offsetSeconds": return .int(offsetSeconds)
        default: break
        }
        guard kind == .dateTime else { return nil }
        switch key {
        case "epochSeconds": return .int(Int(instantSeconds))
        case "epochMillis":
            // beyond ±292 million years milliseconds leave Int64: null rather than a wrong number
            let (ms, overflow) = Int(instantSeconds).multipliedReportingOverflow(by: 1000)
            return overflow ? .null : .int(ms + nanosecond / 1_000_000)
        default: return nil
        }
    }
}
