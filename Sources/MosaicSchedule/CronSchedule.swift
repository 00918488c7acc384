import Foundation
import MosaicGraph

/// A 5-field cron schedule (minute hour day-of-month month day-of-week) in a time zone.
///
/// - Fields take `*`, numbers, names (`JAN`–`DEC`, `SUN`–`SAT`, any case), lists `1,15`,
///   ranges `1-5`/`MON-FRI`, steps `*/15`, `1-30/5` and `5/15` (= `5-59/15`); day-of-week
///   0 and 7 are Sunday. Macros: `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`,
///   `@yearly` (`@annually`). A leading `CRON_TZ=Area/City` (or `TZ=`) sets the time zone.
/// - Day rule (as Vixie cron): when both day-of-month and day-of-week are restricted (do not
///   start with `*`), a day matches if either matches; otherwise both must.
/// - Times are wall-clock times in the zone. A time skipped by a spring-forward gap runs
///   once, at the first instant after the gap; a time repeated by a fall-back runs once, at
///   its first occurrence.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The fields as written, single-spaced (without a `CRON_TZ=` prefix); a macro stays
    /// a macro (`@daily`).
    public var expression: String { expressionText }
    public let timeZone: TimeZone

    var expressionText: String

    let minutes: UInt64      // bits 0–59
    let hours: UInt32        // bits 0–23
    let daysOfMonth: UInt32  // bits 1–31
    let months: UInt16       // bits 1–12
    let daysOfWeek: UInt8    // bits 0–6, Sunday = 0
    let dayOfMonthStar: Bool
    let dayOfWeekStar: Bool

    init(expressionText: String, timeZone: TimeZone, minutes: UInt64, hours: UInt32, daysOfMonth: UInt32,
         months: UInt16, daysOfWeek: UInt8, dayOfMonthStar: Bool, dayOfWeekStar: Bool) {
        self.expressionText = expressionText
        self.timeZone = timeZone
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.daysOfWeek = daysOfWeek
        self.dayOfMonthStar = dayOfMonthStar
        self.dayOfWeekStar = dayOfWeekStar
    }

    /// Parses `expression`; the zone is UTC unless the expression starts with `CRON_TZ=`.
    public init(_ expression: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws {
        var text = expression.trimmingCharacters(in: .whitespaces)
        var zone = timeZone
        var offset = expression.count - expression.drop { $0 == " " || $0 == "\t" }.count
        for prefix in ["CRON_TZ=", "TZ="] where text.hasPrefix(prefix) {
            let spec = text.prefix { !$0.isWhitespace }
            let name = String(spec.dropFirst(prefix.count))
            guard let z = TimeZone(identifier: name) else {
                throw ScheduleError.cron(expression: expression, field: nil, column: offset + prefix.count + 1,
                                         detail: "unknown time zone '\(name)' (use an IANA name such as Europe/Paris)")
            }
            zone = z
            let rest = text.dropFirst(spec.count)
            offset += spec.count + (rest.count - rest.drop { $0.isWhitespace }.count)
            text = String(rest.drop { $0.isWhitespace })
        }
        try self.init(parsing: text, original: expression, columnOffset: offset, timeZone: zone)
    }

    /// Parses `expression` in the zone named by an IANA identifier (`Europe/Paris`).
    public init(_ expression: String, timeZoneIdentifier: String) throws {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw ScheduleError.cron(expression: expression, field: nil, column: 0,
                                     detail: "unknown time zone '\(timeZoneIdentifier)' (use an IANA name such as Europe/Paris)")
        }
        try self.init(expression, timeZone: zone)
    }

    public var description: String {
        timeZone.identifier == "UTC" || timeZone.identifier == "GMT"
            ? expression : "CRON_TZ=\(timeZone.identifier) \(expression)"
    }

    // MARK: next run times

    /// The first run time strictly after `date`. A schedule that parses always has one
    /// (parsing rejects days that never occur); `.distantFuture` is returned only if the
    /// search bound (about 30 years) is exceeded.
    public func next(after date: Date) -> Date {
        let after = Int(floor(date.timeIntervalSince1970))
        return next(afterSecond: after).map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? .distantFuture
    }

    /// Run times `t` with `from <= t < to`, at most `limit` of them.
    public func occurrences(from: Date, to: Date, limit: Int = 10_000) -> [Date] {
        var result: [Date] = []
        var cursor = Int(ceil(from.timeIntervalSince1970)) - 1
        while result.count < limit, let t = next(afterSecond: cursor) {
            let d = Date(timeIntervalSince1970: TimeInterval(t))
            guard d < to else { break }
            result.append(d)
            cursor = t
        }
        return result
    }

    /// The next `count` run times after `date` (for `mosaic schedule --list`).
    public func nextOccurrences(after date: Date, count: Int) -> [Date] {
        var result: [Date] = []
        var cursor = date
        while result.count < count {
            let d = next(after: cursor)
            if d == .distantFuture { break }
            result.append(d)
            cursor = d
        }
        return result
    }

    /// The last run time strictly before `date`, or nil if there is none in about 30 years.
    public func previous(before date: Date) -> Date? {
        let before = Int(ceil(date.timeIntervalSince1970))
        func offset(_ t: Int) -> Int { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
        // Start from the latest wall time that could map to an instant before `before`
        // (after a fall-back, later wall times happened earlier).
        let highest = [-86_400, 0, 86_400].map { offset(before + $0) }.max() ?? 0
        var start = CivilDate.floorDiv(before + highest, 60)
        for _ in 0..<100_000 {
            guard let wall = previousMatchingWallMinute(from: start) else { return nil }
            if let t = instant(forWallSecond: wall * 60), t < before {
                return Date(timeIntervalSince1970: TimeInterval(t))
            }
            start = wall - 1
        }
        return nil
    }

    /// The latest run time in `from ..< to` (what a scheduler that was down runs once).
    public func lastOccurrence(from: Date, to: Date) -> Date? {
        guard let p = previous(before: to), p >= from else { return nil }
        return p
    }

    /// The run that is due at `now` for a schedule last run at `lastRun`: the first run time
    /// after `lastRun` if it is not after `now`. However many were missed, a scheduler that
    /// catches up runs once, for this instant.
    public func dueRun(lastRun: Date, now: Date) -> Date? {
        let due = next(after: lastRun)
        return due <= now ? due : nil
    }

    /// Whether the wall-clock minute of `date` in the schedule's zone matches the fields.
    public func matches(_ date: Date) -> Bool {
        let t = Int(floor(date.timeIntervalSince1970))
        let wall = t + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
        let day = CivilDate.floorDiv(wall, 86_400)
        let minute = CivilDate.floorMod(wall, 86_400) / 60
        return dayMatches(day) && hours.has(minute / 60) && minutes.has(minute % 60)
    }

    func next(afterSecond after: Int) -> Int? {
        let zoneOffset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(after)))
        var start = CivilDate.floorDiv(after + zoneOffset, 60) + 1  // wall minutes since 1970
        for _ in 0..<100_000 {
            guard let wall = nextMatchingWallMinute(from: start) else { return nil }
            if let t = instant(forWallSecond: wall * 60), t > after { return t }
            start = wall + 1
        }
        return nil
    }

    /// The first wall-clock minute (minutes since 1970-01-01 00:00 local) at or after
    /// `start` that matches the fields, within about 30 years.
    func nextMatchingWallMinute(from start: Int) -> Int? {
        var day = CivilDate.floorDiv(start, 1_440)
        var minute = CivilDate.floorMod(start, 1_440)
        let lastDay = day + 366 * 30
        while day <= lastDay {
            let (y, m, _) = CivilDate.civil(fromDays: day)
            if !months.has(m) {
                let (ny, nm) = m == 12 ? (y + 1, 1) : (y, m + 1)
                day = CivilDate.days(year: ny, month: nm, day: 1)
                minute = 0
                continue
            }
            if dayMatches(day), let found = firstMinute(atOrAfter: minute) {
                return day * 1_440 + found
            }
            day += 1
            minute = 0
        }
        return nil
    }

    /// The last matching wall-clock minute at or before `start`, within about 30 years.
    func previousMatchingWallMinute(from start: Int) -> Int? {
        var day = CivilDate.floorDiv(start, 1_440)
        var minute = CivilDate.floorMod(start, 1_440)
        let firstDay = day - 366 * 30
        while day >= firstDay {
            let (y, m, _) = CivilDate.civil(fromDays: day)
            if !months.has(m) {
                day = CivilDate.days(year: y, month: m, day: 1) - 1
                minute = 1_439
                continue
            }
            if dayMatches(day), let found = lastMinute(atOrBefore: minute) {
                return day * 1_440 + found
            }
            day -= 1
            minute = 1_439
        }
        return nil
    }

    private func lastMinute(atOrBefore minuteOfDay: Int) -> Int? {
        var h = minuteOfDay / 60, m = minuteOfDay % 60
        while h >= 0 {
            if hours.has(h) {
                while m >= 0 {
                    if minutes.has(m) { return h * 60 + m }
                    m -= 1
                }
            }
            h -= 1
            m = 59
        }
        return nil
    }

    private func firstMinute(atOrAfter minuteOfDay: Int) -> Int? {
        var h = minuteOfDay / 60, m = minuteOfDay % 60
        while h < 24 {
            if hours.has(h) {
                while m < 60 {
                    if minutes.has(m) { return h * 60 + m }
                    m += 1
                }
            }
            h += 1
            m = 0
        }
        return nil
    }

    func dayMatches(_ day: Int) -> Bool {
        let (_, m, d) = CivilDate.civil(fromDays: day)
        guard months.has(m) else { return false }
        let domOK = daysOfMonth.has(d)
        let dowOK = daysOfWeek.has(CivilDate.weekday(fromDays: day))
        if dayOfMonthStar || dayOfWeekStar { return domOK && dowOK }
        return domOK || dowOK
    }

    /// The instant a wall-clock time happens in the zone: its first occurrence, or when the
    /// time falls in a gap, the first instant after the gap.
    func instant(forWallSecond wall: Int) -> Int? {
        func offset(_ t: Int) -> Int { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
        let offsets = Set([-86_400, -43_200, 0, 43_200, 86_400].map { offset(wall + $0) })
        let valid = offsets.map { wall - $0 }.filter { offset($0) == wall - $0 }
        if let first = valid.min() { return first }
        // In a gap: local time jumps over `wall`. Find the first instant whose wall-clock
        // time is past it; before the jump it is earlier.
        guard let lowest = offsets.min(), let highest = offsets.max() else { return nil }
        var lo = wall - highest, hi = wall - lowest
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if mid + offset(mid) > wall { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

private extension FixedWidthInteger {
    func has(_ bit: Int) -> Bool { bit >= 0 && bit < Self.bitWidth && (self >> bit) & 1 == 1 }
}

/// Calendar arithmetic on day numbers (days since 1970-01-01) in the `Int`s the schedule
/// counts in: the proleptic Gregorian calendar of `PartialDate`, and the weekday.
enum CivilDate {
    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }

    static func days(year: Int, month: Int, day: Int) -> Int { Int(PartialDate.daysFromCivil(year, month, day)) }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) { PartialDate.civilFromDays(Int64(days)) }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(fromDays days: Int) -> Int { floorMod(days + 4, 7) }

}
