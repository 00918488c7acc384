// TemporalText provides the ISO 8601 reading of temporal strings in the forms openCypher
// accepts: calendar, week (`2015-W30-2`), ordinal (`2015-202`) dates, basic and extended
// times with fractions, offsets (`Z`, `+01`, `+0100`, `+01:00`) and named zones in brackets.
// It uses `TemporalValue`'s calendar helpers and `PartialDate`'s civil calendar.
import Foundation
import MosaicGraph

enum TemporalText {
    /// The parts of a date-time string, each optional.
    struct Parts {
        var epochDay: Int64?
        var nanoOfDay: Int64?
        var offset: Int?
        var zone: String?
    }

    /// A date: `2015-07-21`, `20150721`, `2015-07`, `201507`, `2015-W30-2`, `2015W302`,
    /// `2015-W30`, `2015-202`, `2015202`, `2015`.
    static func date(_ s: Substring) -> Int64? {
        let u = Array(s.utf8)
        var i = 0
        var sign = 1
        if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { sign = u[i] == UInt8(ascii: "-") ? -1 : 1; i += 1 }
        func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard u[k] >= 48 && u[k] <= 57 else { return nil }; v = v * 10 + Int(u[k] - 48) }
            i += n
            return v
        }
        func runLength() -> Int { var k = i; while k < u.count, u[k] >= 48 && u[k] <= 57 { k += 1 }; return k - i }
        // a signed year may have up to nine digits (`+999999999-12-31`)
        var yearDigits = 4
        if i > 0 { var k = i; while k < u.count, u[k] >= 48 && u[k] <= 57 { k += 1 }; yearDigits = max(4, min(9, k - i)) }
        guard let y0 = digits(yearDigits) else { return nil }
        let year = sign * y0
        if i == u.count { return PartialDate.daysFromCivil(year, 1, 1) }
        let dash = u[i] == UInt8(ascii: "-")
        if dash { i += 1 }
        guard i < u.count else { return nil }
        if u[i] == UInt8(ascii: "W") {
            i += 1
            guard let w = digits(2) else { return nil }
            var dow = 1
            if i < u.count {
                if dash { guard u[i] == UInt8(ascii: "-") else { return nil }; i += 1 }
                guard let d = digits(1) else { return nil }
                dow = d
            }
            guard i == u.count else { return nil }
            return TemporalValue.dayOf(weekYear: year, week: w, dayOfWeek: dow)
        }
        let run = runLength()
        if run == 3 {
            guard let o = digits(3), i == u.count else { return nil }
            return TemporalValue.dayOf(year: year, ordinalDay: o)
        }
        guard let m = digits(2) else { return nil }
        if i == u.count { return TemporalValue.dayOf(year: year, month: m, day: 1) }
        if dash { guard u[i] == UInt8(ascii: "-") else { return nil }; i += 1 }
        guard let d = digits(2), i == u.count else { return nil }
        return TemporalValue.dayOf(year: year, month: m, day: d)
    }

    /// A time with an optional offset and zone: `21:40:32.142+01:00`, `214032.142Z`, `21`,
    /// `12:00[Europe/Stockholm]`.
    static func time(_ s: Substring) -> Parts? {
        var text = s
        var parts = Parts()
        if let open = text.firstIndex(of: "[") {
            guard text.hasSuffix("]") else { return nil }
            parts.zone = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            text = text[..<open]
        }
        if let z = text.firstIndex(where: { $0 == "Z" || $0 == "z" || $0 == "+" || $0 == "-" }) {
            guard let off = offset(text[z...]) else { return nil }
            parts.offset = off
            text = text[..<z]
        }
        let u = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard u[k] >= 48 && u[k] <= 57 else { return nil }; v = v * 10 + Int(u[k] - 48) }
            i += n
            return v
        }
        guard let h = digits(2), h < 24 else { return nil }
        var mi = 0, se = 0, frac: Int64 = 0
        if i < u.count {
            let colon = u[i] == UInt8(ascii: ":")
            if colon { i += 1 }
            guard let m = digits(2), m < 60 else { return nil }
            mi = m
            if i < u.count {
                if colon { guard u[i] == UInt8(ascii: ":") else { return nil }; i += 1 }
                guard let sv = digits(2), sv < 60 else { return nil }
                se = sv
                if i < u.count {
                    guard u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") else { return nil }
                    i += 1
                    var n = 0
                    var scale: Int64 = 100_000_000
                    while i < u.count, u[i] >= 48 && u[i] <= 57 {
                        guard n < 9 else { return nil }
                        frac += Int64(u[i] - 48) * scale; scale /= 10; n += 1; i += 1
                    }
                    guard n > 0 else { return nil }
                }
            }
        }
        guard i == u.count else { return nil }
        parts.nanoOfDay = Int64(h * 3600 + mi * 60 + se) * TemporalValue.nanosPerSecond + frac
        return parts
    }

    /// `Z`, `+01`, `+0100`, `+01:00`, `-00:00`, `+00:53:28`, in seconds.
    static func offset(_ s: Substring) -> Int? {
        if s == "Z" || s == "z" { return 0 }
        let u = Array(s.utf8)
        guard let first = u.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return nil }
        let sign = first == UInt8(ascii: "-") ? -1 : 1
        let rest = u.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard rest.allSatisfy({ $0 >= 48 && $0 <= 57 }), [2, 4, 6].contains(rest.count) else { return nil }
        let n = rest.map { Int($0 - 48) }
        let h = n[0] * 10 + n[1]
        let m = rest.count >= 4 ? n[2] * 10 + n[3] : 0
        let sec = rest.count == 6 ? n[4] * 10 + n[5] : 0
        guard m < 60, sec < 60, h * 3600 + m * 60 + sec <= 18 * 3600 else { return nil }
        return sign * (h * 3600 + m * 60 + sec)
    }

    /// A date-time: date, `T`, time (the time may be missing).
    static func dateTime(_ s: Substring) -> Parts? {
        if let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) {
            guard let day = date(s[..<t]), var p = time(s[s.index(after: t)...]) else { return nil }
            p.epochDay = day
            return p
        }
        // a date alone, perhaps with a zone
        var text = s
        var zone: String?
        if let open = text.firstIndex(of: "["), text.hasSuffix("]") {
            zone = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            text = text[..<open]
        }
        guard let day = date(text) else { return nil }
        return Parts(epochDay: day, nanoOfDay: 0, offset: nil, zone: zone)
    }

    /// A `timezone` value: an offset (`+01:00`, `Z`) or a zone name; nil when unknown.
    static func zoneSpec(_ s: String) -> (offset: Int, zone: String?)? {
        if let off = offset(Substring(s)) { return (off, nil) }
        guard TimeZone(identifier: s) != nil else { return nil }
        return (0, s)
    }
}
