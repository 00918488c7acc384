// TemporalFunctions provides the openCypher temporal functions: `time`, `localtime`,
// `datetime`, `localdatetime` (and the map, week, ordinal and quarter forms of `date`), their
// `.truncate`, `.transaction`, `.statement`, `.realtime` variants, `datetime.fromepoch[millis]`,
// `duration.between`/`inMonths`/`inDays`/`inSeconds`, and the arithmetic of temporals with
// durations. It uses `TemporalValue`, `TemporalText`, `QueryDuration` and Mosaic's `PartialDate`.
import Foundation
import MosaicGraph

enum TemporalFunctions {
    /// What a constructor builds: the openCypher date (a day-precision `PartialDate`) or one of
    /// the `TemporalValue` kinds.
    enum Target {
        case date, value(TemporalValue.Kind)
        var name: String { if case .value(let k) = self { return k.functionName }; return "date" }
        var hasDate: Bool { if case .value(let k) = self { return k.hasDate }; return true }
        var hasOffset: Bool { if case .value(let k) = self { return k.hasOffset }; return false }
    }

    /// The parts of any temporal value (also what `TemporalText` reads from a string).
    struct Parts {
        var day: Int64?
        var nano: Int64?
        var offset: Int?
        var zone: String?
    }

    static func parts(_ v: QueryValue) -> Parts? {
        switch v {
        case .date(let d):
            if d.precision >= .minute {
                return Parts(day: d.dayNumber, nano: Int64(d.secondOfDay) * TemporalValue.nanosPerSecond, offset: Int(d.offsetMinutes) * 60, zone: nil)
            }
            return Parts(day: d.dayNumber, nano: nil, offset: nil, zone: nil)
        case .temporal(let t):
            return Parts(day: t.kind.hasDate ? t.epochDay : nil, nano: t.nanoOfDay, offset: t.kind.hasOffset ? t.offsetSeconds : nil,
                         zone: t.zone)
        default: return nil
        }
    }

    static func invalid(_ msg: String) -> QueryError { QueryError.argument("InvalidArgumentValue", msg) }

    static func dayDate(_ day: Int64) throws -> PartialDate {
        let (y, m, d) = PartialDate.civilFromDays(day)
        guard let pd = PartialDate(year: y, month: m, day: d) else { throw invalid("the date \(y)-\(m)-\(d) is out of range (years -9999 to 9999)") }
        return pd
    }

    /// Builds the target from its parts.
    static func make(_ target: Target, day: Int64?, nano: Int64, offset: Int, zone: String?) throws -> QueryValue {
        switch target {
        case .date:
            guard let day else { throw invalid("date() needs a date: give year (with month and day, week, ordinalDay or quarter) or a date value") }
            return .date(try dayDate(day))
        case .value(let k):
            if k.hasDate {
                guard let day else { throw invalid("\(k.functionName)() needs a date: give year (with month and day, week, ordinalDay or quarter), or date: a date value") }
                guard (-999_999_999...999_999_999).contains(PartialDate.civilFromDays(day).year) else { throw invalid("the date is out of range") }
                if k == .dateTime { return .temporal(.zoned(epochDay: day, nanoOfDay: nano, offset: offset, zone: zone)) }
                return .temporal(TemporalValue(kind: k, epochDay: day, nanoOfDay: nano))
            }
            return .temporal(TemporalValue(kind: k, nanoOfDay: nano, offsetSeconds: offset))
        }
    }

    /// The values a calendar or clock field can take (checked before any arithmetic on them,
    /// so no field can overflow it); the epoch fields take any integer.
    static let fieldRanges: [String: ClosedRange<Int>] = [
        "year": -999_999_999...999_999_999, "month": 1...12, "day": 1...31, "week": 1...53, "dayOfWeek": 1...7,
        "ordinalDay": 1...366, "quarter": 1...4, "dayOfQuarter": 1...92, "hour": 0...23, "minute": 0...59,
        "second": 0...59, "millisecond": 0...999, "microsecond": 0...999_999, "nanosecond": -999_999_999...999_999_999,
    ]

    static func int(_ m: [String: QueryValue], _ key: String) throws -> Int? {
        guard let v = m[key] else { return nil }
        let i: Int
        switch v {
        case .null: return nil
        case .int(let x): i = x
        case .float(let f) where f == f.rounded() && abs(f) < 1e15: i = Int(f)
        default: throw QueryError.type("\(key) must be an integer, not \(v.typeName)")
        }
        if let r = fieldRanges[key], !r.contains(i) { throw invalid("\(key) \(i) is out of range (\(r.lowerBound) to \(r.upperBound))") }
        return i
    }

    static func zone(_ v: QueryValue) throws -> (offset: Int, zone: String?) {
        guard case .string(let s) = v else { throw QueryError.type("timezone must be a string such as '+01:00' or 'Europe/Stockholm', not \(v.typeName)") }
        guard let z = TemporalText.zoneSpec(s) else { throw invalid("'\(s)' is not a time zone; write an offset such as '+01:00' or a zone name such as 'Europe/Stockholm'") }
        return z
    }

    static let mapKeys: Set<String> = ["year", "month", "day", "week", "dayOfWeek", "ordinalDay", "quarter", "dayOfQuarter", "hour", "minute",
                                       "second", "millisecond", "microsecond", "nanosecond", "timezone", "date", "time", "datetime",
                                       "epochSeconds", "epochMillis"]

    /// A temporal from a map of fields, projecting from `date`, `time`, `datetime` values.
    /// `assignZone`: a `timezone` entry names the zone of the fields as written (truncate)
    /// rather than the zone to convert a zoned base into.
    static func fromMap(_ target: Target, _ m: [String: QueryValue], assignZone: Bool = false) throws -> QueryValue {
        for k in m.keys where !mapKeys.contains(k) {
            throw invalid("\(target.name)() does not take '\(k)'; use year, month, day, week, dayOfWeek, ordinalDay, quarter, dayOfQuarter, hour, minute, second, millisecond, microsecond, nanosecond, timezone")
        }
        var baseDay: Int64?, baseNano: Int64?, baseOffset: Int?, baseZone: String?
        if let v = m["datetime"], !v.isNull {
            guard let p = parts(v) else { throw QueryError.type("datetime must be a temporal value, not \(v.typeName)") }
            baseDay = p.day; baseNano = p.nano; baseOffset = p.offset; baseZone = p.zone
        }
        if let v = m["date"], !v.isNull {
            guard let p = parts(v), let d = p.day else { throw QueryError.type("date must be a value with a date, not \(v.typeName)") }
            baseDay = d
        }
        if let v = m["time"], !v.isNull {
            guard let p = parts(v), let n = p.nano else { throw QueryError.type("time must be a value with a time, not \(v.typeName)") }
            baseNano = n; baseOffset = p.offset; baseZone = p.zone
        }
        // epoch forms
        let epochSeconds = try int(m, "epochSeconds"), epochMillis = try int(m, "epochMillis")
        if epochSeconds != nil || epochMillis != nil {
            // whole seconds and the nanoseconds after them (nanoseconds since 1970 overflow
            // beyond the year 2262); beyond ±999,999,999 years is an error, not a trap
            let nps = TemporalValue.nanosPerSecond
            var secs: Int64, nanos: Int64
            if let es = epochSeconds { secs = Int64(es); nanos = 0 } else {
                secs = TemporalValue.floorDiv(Int64(epochMillis!), 1000)
                nanos = TemporalValue.floorMod(Int64(epochMillis!), 1000) * 1_000_000
            }
            let extra = Int64(try int(m, "nanosecond") ?? 0)
            nanos += TemporalValue.floorMod(extra, nps)
            secs = secs.addingReportingOverflow(TemporalValue.floorDiv(extra, nps) + nanos / nps).partialValue
            nanos %= nps
            let day = TemporalValue.floorDiv(secs, 86_400)
            guard (TemporalValue.minEpochDay...TemporalValue.maxEpochDay).contains(day) else {
                throw QueryError.argument("NumberOutOfRange", "\(epochSeconds.map { "epochSeconds \($0)" } ?? "epochMillis \(epochMillis!)") is beyond the years ±999,999,999")
            }
            baseDay = day
            baseNano = TemporalValue.floorMod(secs, 86_400) * nps + nanos
            baseOffset = 0
        }
        // the date
        var day = baseDay
        if target.hasDate {
            let year = try int(m, "year")
            if m["week"] != nil || m["dayOfWeek"] != nil {
                let base = baseDay.map { TemporalValue.isoWeek($0) }
                guard let wy = year ?? base?.weekYear else { throw invalid("\(target.name)() with week needs a year") }
                let w = try int(m, "week") ?? base?.week ?? 1
                let dow = try int(m, "dayOfWeek") ?? baseDay.map { TemporalValue.dayOfWeek($0) } ?? 1
                guard let d = TemporalValue.dayOf(weekYear: wy, week: w, dayOfWeek: dow) else { throw invalid("week \(w), day \(dow) of \(wy) does not exist") }
                day = d
            } else if m["ordinalDay"] != nil {
                guard let y = year ?? baseDay.map({ PartialDate.civilFromDays($0).year }) else { throw invalid("\(target.name)() with ordinalDay needs a year") }
                let o = try int(m, "ordinalDay") ?? 1
                guard let d = TemporalValue.dayOf(year: y, ordinalDay: o) else { throw invalid("day \(o) of \(y) does not exist") }
                day = d
            } else if m["quarter"] != nil || m["dayOfQuarter"] != nil {
                guard let y = year ?? baseDay.map({ PartialDate.civilFromDays($0).year }) else { throw invalid("\(target.name)() with quarter needs a year") }
                let bq = baseDay.map { TemporalValue.dateComponent($0, "quarter") }
                let bdq = baseDay.map { TemporalValue.dateComponent($0, "dayOfQuarter") }
                var q = 1, dq = 1
                if case .int(let x)?? = bq { q = x }
                if case .int(let x)?? = bdq { dq = x }
                q = try int(m, "quarter") ?? q
                dq = try int(m, "dayOfQuarter") ?? dq
                guard let d = TemporalValue.dayOf(year: y, quarter: q, dayOfQuarter: dq) else { throw invalid("day \(dq) of quarter \(q) of \(y) does not exist") }
                day = d
            } else if year != nil || m["month"] != nil || m["day"] != nil {
                let b = baseDay.map { PartialDate.civilFromDays($0) }
                guard let y = year ?? b?.year else { throw invalid("\(target.name)() needs a year") }
                let mo = try int(m, "month") ?? b?.month ?? 1
                let dd = try int(m, "day") ?? b?.day ?? 1
                guard let d = TemporalValue.dayOf(year: y, month: mo, day: dd) else { throw invalid("\(y)-\(mo)-\(dd) is not a real date") }
                day = d
            }
        }
        // the time
        var nano: Int64 = 0
        if case .value = target {
            let b = baseNano ?? 0
            let h = try int(m, "hour") ?? Int(b / 3_600_000_000_000)
            let mi = try int(m, "minute") ?? Int(b / 60_000_000_000 % 60)
            let s = try int(m, "second") ?? Int(b / TemporalValue.nanosPerSecond % 60)
            guard (0...23).contains(h), (0...59).contains(mi), (0...59).contains(s) else { throw invalid("\(h):\(mi):\(s) is not a time of day") }
            var frac = Int(b % TemporalValue.nanosPerSecond)
            let ms = try int(m, "millisecond"), us = try int(m, "microsecond"), ns = m["epochSeconds"] == nil && m["epochMillis"] == nil ? try int(m, "nanosecond") : nil
            if ms != nil || us != nil || ns != nil {
                if let ms { guard (0...999).contains(ms) else { throw invalid("millisecond must be 0 to 999") } }
                if let us { guard (0...(ms == nil ? 999_999 : 999)).contains(us) else { throw invalid("microsecond is out of range") } }
                if let ns { guard (0...(ms == nil && us == nil ? 999_999_999 : 999)).contains(ns) else { throw invalid("nanosecond is out of range") } }
                frac = (ms ?? 0) * 1_000_000 + (us ?? 0) * 1000 + (ns ?? 0)
            }
            nano = Int64(h * 3600 + mi * 60 + s) * TemporalValue.nanosPerSecond + Int64(frac)
        }
        // the zone
        var offset = baseOffset ?? 0, zoneName = baseZone
        if let tz = m["timezone"], !tz.isNull {
            let z = try zone(tz)
            if baseOffset != nil && !assignZone && target.hasOffset {
                // a zoned base moves to the new zone: same instant, other wall clock
                let built = try make(target, day: day, nano: nano, offset: offset, zone: zoneName)
                guard case .temporal(let t) = built else { return built }
                return .temporal(t.converted(toOffset: z.offset, zone: z.zone))
            }
            offset = z.offset; zoneName = z.zone
        }
        if case .value(.time) = target, let zn = zoneName, let tz = TimeZone(identifier: zn) {
            offset = tz.secondsFromGMT(for: Date())
        }
        return try make(target, day: day, nano: nano, offset: offset, zone: zoneName)
    }

    /// The current instant as the target, in UTC or the given zone.
    static func now(_ target: Target, _ tz: QueryValue?, at date: Date) throws -> QueryValue {
        let t = date.timeIntervalSince1970
        let secs = Int64(t.rounded(.down))
        let instant = secs * TemporalValue.nanosPerSecond + Int64((t - Double(secs)) * 1e9) / 1000 * 1000
        var off = 0, zoneName: String? = nil
        if let tz, !tz.isNull {
            let z = try zone(tz)
            off = z.offset; zoneName = z.zone
            if let zn = z.zone, let tzone = TimeZone(identifier: zn) { off = tzone.secondsFromGMT(for: date) }
        }
        let local = instant + Int64(off) * TemporalValue.nanosPerSecond
        return try make(target, day: TemporalValue.floorDiv(local, TemporalValue.nanosPerDay), nano: TemporalValue.floorMod(local, TemporalValue.nanosPerDay),
                        offset: off, zone: zoneName)
    }

    /// The target read from an ISO 8601 string.
    static func fromString(_ target: Target, _ s: String) throws -> QueryValue {
        let sub = Substring(s.trimmingCharacters(in: .whitespaces))
        let bad = invalid("'\(s)' is not a \(target.name); write ISO 8601 such as \(example(target))")
        switch target {
        case .date:
            guard let d = TemporalText.date(sub) else { throw bad }
            return .date(try dayDate(d))
        case .value(let k):
            if k.hasDate {
                guard let p = TemporalText.dateTime(sub), let day = p.day else { throw bad }
                if let zn = p.zone, TimeZone(identifier: zn) == nil { throw invalid("'\(zn)' is not a known time zone; use a name such as 'Europe/Stockholm'") }
                return try make(target, day: day, nano: p.nano ?? 0, offset: p.offset ?? 0, zone: p.zone)
            }
            guard let p = TemporalText.time(sub) else { throw bad }
            var off = p.offset ?? 0
            if let zn = p.zone {
                guard let tz = TimeZone(identifier: zn) else { throw invalid("'\(zn)' is not a known time zone") }
                off = tz.secondsFromGMT(for: Date())
            }
            return try make(target, day: nil, nano: p.nano ?? 0, offset: off, zone: nil)
        }
    }

    static func example(_ target: Target) -> String {
        switch target {
        case .date: return "2015-07-21"
        case .value(.localTime): return "21:40:32.142"
        case .value(.time): return "21:40:32.142+01:00"
        case .value(.localDateTime): return "2015-07-21T21:40:32.142"
        case .value(.dateTime): return "2015-07-21T21:40:32.142+01:00"
        }
    }

    /// The constructor: no argument (now), a string, a map, or another temporal (projection).
    static func construct(_ target: Target, _ a: [QueryValue], _ ctx: FunctionContext) throws -> QueryValue {
        guard let v = a.first else { return try now(target, nil, at: ctx.statementTime) }
        switch v {
        case .string(let s): return try fromString(target, s)
        case .map(let m):
            if m.keys.allSatisfy({ $0 == "timezone" }) { return try now(target, m["timezone"], at: ctx.statementTime) }
            return try fromMap(target, m)
        case .date, .temporal: return try fromMap(target, ["datetime": v])
        default: throw FunctionRegistry.typeError(target.name, v, "a string, a map or a temporal value")
        }
    }

    // MARK: truncate

    static func truncate(_ target: Target, _ a: [QueryValue]) throws -> QueryValue {
        guard case .string(let unit) = a[0] else { throw FunctionRegistry.typeError("\(target.name).truncate", a[0], "a unit name") }
        guard var p = parts(a[1]) else { throw FunctionRegistry.typeError("\(target.name).truncate", a[1], "a temporal value") }
        let u = unit.lowercased()
        let dateUnits = ["millennium", "century", "decade", "year", "weekyear", "quarter", "month", "week", "day"]
        if dateUnits.contains(u) {
            guard let day = p.day else { throw invalid("cannot truncate a time to '\(unit)'; use hour or a smaller unit") }
            let (y, m, _) = PartialDate.civilFromDays(day)
            func fd(_ v: Int, _ n: Int) -> Int { Int(TemporalValue.floorDiv(Int64(v), Int64(n))) * n }
            switch u {
            case "millennium": p.day = PartialDate.daysFromCivil(fd(y, 1000), 1, 1)
            case "century": p.day = PartialDate.daysFromCivil(fd(y, 100), 1, 1)
            case "decade": p.day = PartialDate.daysFromCivil(fd(y, 10), 1, 1)
            case "year": p.day = PartialDate.daysFromCivil(y, 1, 1)
            case "weekyear": p.day = TemporalValue.dayOf(weekYear: TemporalValue.isoWeek(day).weekYear, week: 1, dayOfWeek: 1)
            case "quarter": p.day = PartialDate.daysFromCivil(y, (m - 1) / 3 * 3 + 1, 1)
            case "month": p.day = PartialDate.daysFromCivil(y, m, 1)
            case "week": p.day = day - Int64(TemporalValue.dayOfWeek(day) - 1)
            default: break
            }
            if p.nano != nil { p.nano = 0 }
        } else {
            let sizes: [String: Int64] = ["hour": 3_600_000_000_000, "minute": 60_000_000_000, "second": 1_000_000_000,
                                          "millisecond": 1_000_000, "microsecond": 1000]
            guard let size = sizes[u] else { throw invalid("'\(unit)' is not a unit to truncate to; use millennium, century, decade, year, weekYear, quarter, month, week, day, hour, minute, second, millisecond or microsecond") }
            if case .date = target { throw invalid("cannot truncate a date to '\(unit)'; use day or a larger unit") }
            if target.hasDate && p.day == nil { throw invalid("cannot make a \(target.name) from a time alone; give a value with a date") }
            let n = p.nano ?? 0
            p.nano = n - n % size
        }
        // the truncated value as a base, with the map's fields over it
        var m: [String: QueryValue] = [:]
        if a.count > 2, case .map(let extra) = a[2] {
            for (k, v) in extra { m[k] = v }
            // sub-second fields add to the truncated fraction (truncate to millisecond, then nanosecond: 2)
            var extraNanos = 0
            for (k, scale) in [("millisecond", 1_000_000), ("microsecond", 1000), ("nanosecond", 1)] {
                if let v = try int(extra, k) { extraNanos += v * scale; m[k] = nil }
            }
            if extraNanos != 0 {
                guard case .value = target else { throw invalid("\(target.name).truncate() takes no sub-second fields") }
                p.nano = (p.nano ?? 0) + Int64(extraNanos)
            }
        }
        return try truncateRebuild(target, p, m)
    }

    /// The truncated parts as a base value, with the map's fields over it.
    static func truncateRebuild(_ target: Target, _ p: Parts, _ m0: [String: QueryValue]) throws -> QueryValue {
        var base = QueryValue.null
        if let day = p.day, let nano = p.nano {
            if let off = p.offset {
                base = .temporal(TemporalValue(kind: .dateTime, epochDay: day, nanoOfDay: nano, offsetSeconds: off, zone: p.zone))
            } else {
                base = .temporal(TemporalValue(kind: .localDateTime, epochDay: day, nanoOfDay: nano))
            }
        } else if let day = p.day {
            base = .date(try dayDate(day))
        } else if let nano = p.nano {
            base = p.offset != nil ? .temporal(TemporalValue(kind: .time, nanoOfDay: nano, offsetSeconds: p.offset!))
                : .temporal(TemporalValue(kind: .localTime, nanoOfDay: nano))
        }
        var m = m0
        m["datetime"] = base
        // a zone given with truncate names the zone of the truncated fields
        return try fromMap(target, m, assignZone: true)
    }

    // MARK: arithmetic

    /// `t + d` (or `t - d` with `d` negated).
    static func add(_ t: TemporalValue, _ d: QueryDuration) -> TemporalValue? {
        guard let tn = d.totalNanos else { return nil }
        // beyond these no result is in range, and the sums below cannot overflow
        guard abs(d.months) < 1_000_000_000_000, abs(d.days) < 1_000_000_000_000, abs(d.seconds) < 40_000_000_000_000_000 else { return nil }
        if !t.kind.hasDate {
            let n = TemporalValue.floorMod(t.nanoOfDay + tn % TemporalValue.nanosPerDay, TemporalValue.nanosPerDay)
            return TemporalValue(kind: t.kind, nanoOfDay: n, offsetSeconds: t.offsetSeconds)
        }
        var day = t.epochDay
        if d.months != 0 {
            let (y, m, dd) = PartialDate.civilFromDays(day)
            let total = y * 12 + (m - 1) + d.months
            let ny = Int(TemporalValue.floorDiv(Int64(total), 12)), nm = total - ny * 12 + 1
            day = PartialDate.daysFromCivil(ny, nm, min(dd, PartialDate.daysIn(month: nm, year: ny)))
        }
        day += Int64(d.days)
        guard abs(day) < 400_000_000_000 else { return nil }
        // whole seconds and a fraction: years far from 1970 do not fit in nanoseconds
        let nanos = t.nanoOfDay % TemporalValue.nanosPerSecond + Int64(d.nanoseconds)
        let local = day * 86_400 + t.nanoOfDay / TemporalValue.nanosPerSecond + Int64(d.seconds) + nanos / TemporalValue.nanosPerSecond
        let nd = TemporalValue.floorDiv(local, 86_400)
        guard (TemporalValue.minEpochDay...TemporalValue.maxEpochDay).contains(nd) else { return nil }
        let nn = TemporalValue.floorMod(local, 86_400) * TemporalValue.nanosPerSecond + nanos % TemporalValue.nanosPerSecond
        if t.kind == .dateTime { return .zoned(epochDay: nd, nanoOfDay: nn, offset: t.offsetSeconds, zone: t.zone) }
        return TemporalValue(kind: t.kind, epochDay: nd, nanoOfDay: nn)
    }

    static func scale(_ d: QueryDuration, by f: Double) -> QueryDuration? {
        QueryDuration.approximate(months: Double(d.months) * f, days: Double(d.days) * f, seconds: Double(d.seconds) * f, nanos: Double(d.nanoseconds) * f)
    }

    // MARK: between

    /// The duration from `a` to `b`: months, then days, then the time (`unit` limits it:
    /// "months", "days", "seconds", or nil for all).
    static func between(_ a: QueryValue, _ b: QueryValue, unit: String?) throws -> QueryValue {
        guard var pa = parts(a), var pb = parts(b) else { throw FunctionRegistry.typeError("duration.between", a.isDateOrTemporal ? b : a, "two temporal values") }
        let nps = TemporalValue.nanosPerSecond
        // a local value against a zoned one is read in the zoned one's zone
        func adopt(_ local: inout Parts, _ zoned: Parts) {
            guard local.offset == nil, var off = zoned.offset else { return }
            if let zn = zoned.zone, let tz = TimeZone(identifier: zn) {
                let day = local.day ?? zoned.day ?? 0
                off = TemporalValue.offset(of: tz, localSeconds: day * 86_400 + (local.nano ?? 0) / nps)
            }
            local.offset = off
        }
        adopt(&pa, pb); adopt(&pb, pa)
        // a date against a value with a time: the date is its midnight
        if pa.nano != nil || pb.nano != nil { if pa.nano == nil { pa.nano = 0 }; if pb.nano == nil { pb.nano = 0 } }
        // zoned values are compared in the first one's offset
        if let oa = pa.offset, let ob = pb.offset, oa != ob, let nb = pb.nano {
            let local = (pb.day ?? 0) * 86_400 + nb / nps + Int64(oa - ob)
            if pb.day != nil { pb.day = TemporalValue.floorDiv(local, 86_400) }
            pb.nano = TemporalValue.floorMod(local, 86_400) * nps + nb % nps
        }
        // a time of day on one side: only the times count
        if pa.day == nil || pb.day == nil { pa.day = nil; pb.day = nil }
        let na = pa.nano ?? 0, nb = pb.nano ?? 0
        guard let da = pa.day, let db = pb.day else {
            if unit == "months" || unit == "days" || pa.nano == nil || pb.nano == nil { return .duration(QueryDuration()) }
            return .duration(QueryDuration(seconds: Int((nb - na) / nps), nanoseconds: Int((nb - na) % nps)))
        }
        // the difference as whole seconds and nanoseconds
        func diff(_ d1: Int64, _ n1: Int64, _ d2: Int64, _ n2: Int64) -> (Int64, Int64) {
            ((d2 - d1) * 86_400 + n2 / nps - n1 / nps, n2 % nps - n1 % nps)
        }
        switch unit {
        case "seconds":
            let (s, n) = diff(da, na, db, nb)
            return .duration(QueryDuration(seconds: Int(s), nanoseconds: Int(n)))
        case "days":
            let (s, n) = diff(da, na, db, nb)
            var days = s / 86_400
            // a partial day does not count
            if days > 0 && s % 86_400 == 0 && n < 0 { days -= 1 }
            if days < 0 && s % 86_400 == 0 && n > 0 { days += 1 }
            return .duration(QueryDuration(days: Int(days)))
        default: break
        }
        let (ya, ma, dda) = PartialDate.civilFromDays(da), (yb, mb, ddb) = PartialDate.civilFromDays(db)
        var months = (yb * 12 + mb) - (ya * 12 + ma)
        if months > 0 && (ddb, nb) < (dda, na) { months -= 1 }
        if months < 0 && (ddb, nb) > (dda, na) { months += 1 }
        if unit == "months" { return .duration(QueryDuration(months: months)) }
        guard let shifted = add(TemporalValue(kind: .localDateTime, epochDay: da, nanoOfDay: na), QueryDuration(months: months)) else {
            throw QueryError.argument("NumberOutOfRange", "duration.between(): the values are too far apart")
        }
        var (s, n) = diff(shifted.epochDay, shifted.nanoOfDay, db, nb)
        if n < 0 && s > 0 { s -= 1; n += nps }
        if n > 0 && s < 0 { s += 1; n -= nps }
        let days = s / 86_400
        return .duration(QueryDuration(months: months, days: Int(days), seconds: Int(s - days * 86_400), nanoseconds: Int(n)))
    }
}

extension QueryValue {
    var isDateOrTemporal: Bool { switch self { case .date, .temporal: return true; default: return false } }
}

extension FunctionRegistry {
    /// Registers the temporal functions.
    static func registerTemporal(_ r: inout FunctionRegistry) {
        let kinds: [TemporalValue.Kind] = [.localTime, .time, .localDateTime, .dateTime]
        for k in kinds {
            let t = TemporalFunctions.Target.value(k)
            r.register(QueryFunction(k.functionName, arity: 0...1) { a, ctx in try TemporalFunctions.construct(t, a, ctx) })
        }
        let targets: [TemporalFunctions.Target] = [.date] + kinds.map { .value($0) }
        for t in targets {
            r.register(QueryFunction("\(t.name).truncate", arity: 2...3) { a, _ in try TemporalFunctions.truncate(t, a) })
            for clock in ["transaction", "statement", "realtime"] {
                r.register(QueryFunction("\(t.name).\(clock)", arity: 0...1) { a, ctx in
                    try TemporalFunctions.now(t, a.first, at: clock == "realtime" ? Date() : ctx.statementTime)
                })
            }
        }
        r.register(QueryFunction("datetime.fromepoch", arity: 2...2) { a, _ in
            guard case .int(let s) = a[0], let n = a[1].asDouble, abs(n) < 1e18 else { throw typeError("datetime.fromepoch", a[0], "seconds and nanoseconds") }
            return try TemporalFunctions.fromMap(.value(.dateTime), ["epochSeconds": .int(s), "nanosecond": .int(Int(n))])
        })
        r.register(QueryFunction("datetime.fromepochmillis", arity: 1...1) { a, _ in
            guard case .int(let ms) = a[0] else { throw typeError("datetime.fromepochmillis", a[0], "milliseconds") }
            return try TemporalFunctions.fromMap(.value(.dateTime), ["epochMillis": .int(ms)])
        })
        r.register(QueryFunction("duration.between", arity: 2...2) { a, _ in try TemporalFunctions.between(a[0], a[1], unit: nil) })
        r.register(QueryFunction("duration.inMonths", arity: 2...2) { a, _ in try TemporalFunctions.between(a[0], a[1], unit: "months") })
        r.register(QueryFunction("duration.inDays", arity: 2...2) { a, _ in try TemporalFunctions.between(a[0], a[1], unit: "days") })
        r.register(QueryFunction("duration.inSeconds", arity: 2...2) { a, _ in try TemporalFunctions.between(a[0], a[1], unit: "seconds") })
    }
}
