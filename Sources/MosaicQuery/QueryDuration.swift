// QueryDuration provides the language's duration: months, days, seconds and nanoseconds kept
// apart, ISO 8601 parsing and rendering, fractional parts cascaded (Neo4j's semantics), its
// components, and moving Mosaic's partial dates. It uses MosaicGraph's PartialDate and
// TemporalText (for the date-time form P2012-02-02T14:37:21.545).
import MosaicGraph

/// A duration: months, days, seconds and nanoseconds kept apart (a month is not a fixed
/// number of days, nor a day a fixed number of seconds). Nanoseconds are kept in 0..<10^9.
public struct QueryDuration: Sendable, Hashable, CustomStringConvertible {
    public var months: Int
    public var days: Int
    public var seconds: Int
    public var nanoseconds: Int
    public init(months: Int = 0, days: Int = 0, seconds: Int = 0, nanoseconds: Int = 0) {
        self.months = months; self.days = days
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : -((999_999_999 - nanoseconds) / 1_000_000_000)
        self.seconds = seconds + carry
        self.nanoseconds = nanoseconds - carry * 1_000_000_000
    }

    static let secondsPerMonth = 2_629_746.0
    static let daysPerMonth = 30.436875

    /// A duration from fractional parts: fractions of a month cascade into days (30.436875 a
    /// month), fractions of a day into seconds, fractions of a second into nanoseconds.
    static func approximate(months: Double, days: Double, seconds: Double, nanos: Double) -> QueryDuration? {
        let m = months.rounded(.towardZero)
        let dd = days + (months - m) * daysPerMonth
        let d = dd.rounded(.towardZero)
        let ss = seconds + (dd - d) * 86_400
        let s = ss.rounded(.towardZero)
        // nanoseconds toward zero, but a value within float noise of a whole one is that one
        let exact = nanos + (ss - s) * 1e9
        let n = abs(exact - exact.rounded()) < 1e-3 ? exact.rounded() : exact.rounded(.towardZero)
        for v in [m, d, s, n] where !v.isFinite || abs(v) >= 9.2e18 { return nil }
        return QueryDuration(months: Int(m), days: Int(d), seconds: Int(s), nanoseconds: Int(n))
    }

    /// ISO 8601: `P1Y2M3DT4H5M6.7S`, `P3W`, `PT-1.5S`; also the date-time form
    /// `P0001-02-03T04:05:06`; nil when malformed.
    public static func parse(_ text: String) -> QueryDuration? {
        var s = Substring(text.uppercased())
        var sign = 1.0
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() }
        guard s.hasPrefix("P") else { return nil }
        s = s.dropFirst()
        if s.count >= 10, s.prefix(4).allSatisfy(\.isNumber), s.dropFirst(4).first == "-" {
            // P2012-02-02T14:37:21.545
            guard let dt = TemporalText.dateTime(s) else { return nil }
            let (y, m, d) = PartialDate.civilFromDays(dt.day ?? 0)
            let nanos = dt.nano ?? 0
            return QueryDuration(months: Int(sign) * (y * 12 + m), days: Int(sign) * d, seconds: Int(sign) * Int(nanos / 1_000_000_000),
                                 nanoseconds: Int(sign) * Int(nanos % 1_000_000_000))
        }
        var months = 0.0, days = 0.0, secs = 0.0, nanos = 0.0
        var inTime = false
        var num = ""
        var any = false
        for c in s {
            if c == "T" { inTime = true; continue }
            if c.isNumber || c == "." || c == "," || c == "-" || c == "+" { num.append(c == "," ? "." : c); continue }
            guard let v = Double(num), abs(v) < 1e12 else { return nil }
            num = ""; any = true
            switch (c, inTime) {
            case ("Y", false): months += v * 12
            case ("M", false): months += v
            case ("W", false): days += v * 7
            case ("D", false): days += v
            case ("H", true): secs += v * 3600
            case ("M", true): secs += v * 60
            case ("S", true):
                let whole = v.rounded(.towardZero)
                secs += whole
                nanos += ((v - whole) * 1e9).rounded()
            default: return nil
            }
        }
        guard any, num.isEmpty else { return nil }
        return approximate(months: sign * months, days: sign * days, seconds: sign * secs, nanos: sign * nanos)
    }

    public var description: String {
        if months == 0 && days == 0 && seconds == 0 && nanoseconds == 0 { return "PT0S" }
        var s = "P"
        if months / 12 != 0 { s += "\(months / 12)Y" }
        if months % 12 != 0 { s += "\(months % 12)M" }
        if days != 0 { s += "\(days)D" }
        if seconds != 0 || nanoseconds != 0 {
            s += "T"
            let negative = seconds < 0
            var secs = seconds, nanos = nanoseconds
            if negative && nanos != 0 { secs += 1; nanos = 1_000_000_000 - nanos }
            if secs / 3600 != 0 { s += "\(secs / 3600)H" }
            if secs % 3600 / 60 != 0 { s += "\(secs % 3600 / 60)M" }
            let rest = secs % 60
            if nanos != 0 {
                s += (rest == 0 && negative ? "-0" : "\(rest)") + "." + TemporalValue.fractionText(nanos, groups: false) + "S"
            } else if rest != 0 {
                s += "\(rest)S"
            }
        }
        return s
    }

    /// Nanoseconds of the seconds part (seconds and nanoseconds), nil on overflow.
    var totalNanos: Int64? {
        let (a, o1) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (b, o2) = a.addingReportingOverflow(Int64(nanoseconds))
        return o1 || o2 ? nil : b
    }

    private func scaled(_ secs: Int64, _ factor: Int64, _ plus: Int64) -> QueryValue {
        let (a, o1) = secs.multipliedReportingOverflow(by: factor)
        let (b, o2) = a.addingReportingOverflow(plus)
        return o1 || o2 ? .null : .int(Int(b))
    }

    func component(_ key: String) -> QueryValue? {
        // the seconds field is floored: -0.9 s is -1 second and 100,000,000 nanoseconds
        let secs = Int64(seconds), nanos = Int64(nanoseconds)
        let wholeSecs = secs, fracNanos = nanos
        switch key {
        case "years": return .int(months / 12)
        case "quarters": return .int(months / 3)
        case "months": return .int(months)
        case "weeks": return .int(days / 7)
        case "days": return .int(days)
        case "hours": return .int(Int(wholeSecs / 3600))
        case "minutes": return .int(Int(wholeSecs / 60))
        case "seconds": return .int(Int(wholeSecs))
        // null rather than a wrapped number when the total leaves Int64
        case "milliseconds": return scaled(secs, 1000, nanos / 1_000_000)
        case "microseconds": return scaled(secs, 1_000_000, nanos / 1000)
        case "nanoseconds": return scaled(secs, 1_000_000_000, nanos)
        case "quartersOfYear": return .int(months % 12 / 3)
        case "monthsOfQuarter": return .int(months % 3)
        case "monthsOfYear": return .int(months % 12)
        case "daysOfWeek": return .int(days % 7)
        case "minutesOfHour": return .int(Int(wholeSecs / 60 % 60))
        case "secondsOfMinute": return .int(Int(wholeSecs % 60))
        case "millisecondsOfSecond": return .int(Int(fracNanos / 1_000_000))
        case "microsecondsOfSecond": return .int(Int(fracNanos / 1000))
        case "nanosecondsOfSecond": return .int(Int(fracNanos))
        default: return nil
        }
    }

    var negated: QueryDuration { QueryDuration(months: -months, days: -days, seconds: -seconds, nanoseconds: -nanoseconds) }

    /// `self + other` field by field; nil when a field would leave ±Int.max / 2 (so sums
    /// and negations of durations never overflow).
    func adding(_ o: QueryDuration) -> QueryDuration? {
        let limit = Int.max / 2
        func sum(_ a: Int, _ b: Int) -> Int? {
            let (s, overflow) = a.addingReportingOverflow(b)
            return overflow || s > limit || s < -limit ? nil : s
        }
        guard let m = sum(months, o.months), let d = sum(days, o.days), let s = sum(seconds, o.seconds),
              let n = sum(nanoseconds, o.nanoseconds) else { return nil }
        return QueryDuration(months: m, days: d, seconds: s, nanoseconds: n)
    }

    /// `date` moved by this duration, keeping the date's precision (month-precision dates
    /// move by months; days and seconds are added as whole days).
    func added(to date: PartialDate) -> PartialDate? {
        // beyond these no result is a date of years -9999…9999, and the sums below cannot overflow
        guard abs(months) < 1_000_000_000_000, abs(days) < 1_000_000_000_000, abs(seconds) < 1_000_000_000_000_000 else { return nil }
        var out = date
        if months != 0 {
            let (y, m, d) = date.civil
            let total = y * 12 + (m - 1) + months
            let ny = Int((Double(total) / 12).rounded(.down)), nm = total - ny * 12 + 1
            guard (-9998...9998).contains(ny) else { return nil }
            switch date.precision {
            case .year: guard let d = PartialDate(year: ny) else { return nil }; out = d
            case .month: guard let d = PartialDate(year: ny, month: nm) else { return nil }; out = d
            default:
                let nd = min(d, PartialDate.daysIn(month: nm, year: ny))
                guard let base = PartialDate(year: ny, month: nm, day: nd) else { return nil }
                out = PartialDate(seconds: base.seconds + Int64(date.secondOfDay), precision: date.precision)
            }
        }
        let extraDays = days + seconds / 86_400
        if extraDays != 0 {
            guard abs(extraDays) < 7_300_000 else { return nil }
            let probe = PartialDate(seconds: out.seconds + Int64(extraDays) * 86_400, precision: .second)
            guard (-9998...9998).contains(probe.year) else { return nil }
            out = out.adding(days: extraDays)
        }
        if seconds % 86_400 != 0 && out.precision >= .minute {
            out = PartialDate(seconds: out.seconds + Int64(seconds % 86_400), precision: out.precision, offsetMinutes: out.offsetMinutes)
        }
        return out
    }
}
