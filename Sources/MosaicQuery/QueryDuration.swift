import MosaicGraph

/// A duration: months, days and seconds kept apart (a month is not a fixed number of days).
public struct QueryDuration: Sendable, Hashable, CustomStringConvertible {
    public var months: Int
    public var days: Int
    public var seconds: Int
    public init(months: Int = 0, days: Int = 0, seconds: Int = 0) { self.months = months; self.days = days; self.seconds = seconds }

    /// ISO 8601: `P1Y2M3DT4H5M6S`, `P3W`; nil when malformed.
    public static func parse(_ text: String) -> QueryDuration? {
        var s = Substring(text.uppercased())
        var sign = 1
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() }
        guard s.hasPrefix("P") else { return nil }
        s = s.dropFirst()
        var d = QueryDuration()
        var inTime = false
        var num = ""
        var any = false
        for c in s {
            if c == "T" { inTime = true; continue }
            if c.isNumber || c == "." || c == "-" { num.append(c); continue }
            guard let v = Double(num), abs(v) < 1e12 else { return nil }
            num = ""; any = true
            switch (c, inTime) {
            case ("Y", false): d.months += Int(v * 12)
            case ("M", false): d.months += Int(v)
            case ("W", false): d.days += Int(v * 7)
            case ("D", false): d.days += Int(v)
            case ("H", true): d.seconds += Int(v * 3600)
            case ("M", true): d.seconds += Int(v * 60)
            case ("S", true): d.seconds += Int(v)
            default: return nil
            }
        }
        guard any, num.isEmpty else { return nil }
        return QueryDuration(months: sign * d.months, days: sign * d.days, seconds: sign * d.seconds)
    }

    public var description: String {
        var s = "P"
        if months / 12 != 0 { s += "\(months / 12)Y" }
        if months % 12 != 0 { s += "\(months % 12)M" }
        if days != 0 { s += "\(days)D" }
        if seconds != 0 {
            s += "T"
            if seconds / 3600 != 0 { s += "\(seconds / 3600)H" }
            if seconds % 3600 / 60 != 0 { s += "\(seconds % 3600 / 60)M" }
            if seconds % 60 != 0 { s += "\(seconds % 60)S" }
        }
        return s == "P" ? "PT0S" : s
    }

    var negated: QueryDuration { QueryDuration(months: -months, days: -days, seconds: -seconds) }

    /// `date` moved by this duration, keeping the date's precision (month-precision dates
    /// move by months; days and seconds are added as whole days).
    func added(to date: PartialDate) -> PartialDate? {
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
