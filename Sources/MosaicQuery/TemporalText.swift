// TemporalText provides the ISO 8601 reading of temporal strings in the forms openCypher
// accepts: calendar, week (`2015-W30-2`), ordinal (`2015-202`) dates, basic and extended
// times with fractions, offsets (`Z`, `+01`, `+0100`, `+01:00`) and named zones in brackets.
// It uses `TemporalValue`'s calendar helpers and `PartialDate`'s civil calendar.
import Foundation
import MosaicGraph

enum TemporalText {
    /// What a string gives: the parts of any temporal value, each optional.
    typealias Parts = TemporalFunctions.Parts

    /// A date: `2015-07-21`, `20150721`, `2015-07`, `201507`, `2015-W30-2`, `2015W302`,
    /// `2015-W30`, `2015-202`, `2015202`, `2015`.
    static func date(_ s: Substring) -> Int64? {
        var c = Digits(s)
        var sign = 1
        if c.accept("-") { sign = -1 } else if c.accept("+") { sign = 1 }
        // a signed year may have up to nine digits (`+999999999-12-31`)
        let yearDigits = c.i > 0 ? max(4, min(9, c.runLength)) : 4
        guard let y0 = c.digits(yearDigits) else { return nil }
        let year = sign * y0
        if c.atEnd { return PartialDate.daysFromCivil(year, 1, 1) }
        let dash = c.accept("-")
        guard !c.atEnd else { return nil }
        if c.accept("W") {
            guard let w = c.digits(2) else { return nil }
            var dow = 1
            if !c.atEnd {
                if dash { guard c.accept("-") else { return nil } }
                guard let d = c.digits(1) else { return nil }
                dow = d
            }
            guard c.atEnd else { return nil }
            return TemporalValue.dayOf(weekYear: year, week: w, dayOfWeek: dow)
        }
        if c.runLength == 3 {
            guard let o = c.digits(3), c.atEnd else { return nil }
            return TemporalValue.dayOf(year: year, ordinalDay: o)
        }
        guard let m = c.digits(2) else { return nil }
        if c.atEnd { return TemporalValue.dayOf(year: year, month: m, day: 1) }
        if dash { guard c.accept("-") else { return nil } }
        guard let d = c.digits(2), c.atEnd else { return nil }
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
        var c = Digits(text)
        guard let h = c.digits(2), h < 24 else { return nil }
        var mi = 0, se = 0, frac: Int64 = 0
        if !c.atEnd {
            let colon = c.accept(":")
            guard let m = c.digits(2), m < 60 else { return nil }
            mi = m
            if !c.atEnd {
                if colon { guard c.accept(":") else { return nil } }
                guard let sv = c.digits(2), sv < 60 else { return nil }
                se = sv
                if !c.atEnd {
                    guard c.accept(".") || c.accept(",") else { return nil }
                    let n = c.runLength
                    guard (1...9).contains(n), let f = c.digits(n) else { return nil }
                    frac = Int64(f) * [1, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1][n]
                }
            }
        }
        guard c.atEnd else { return nil }
        parts.nano = Int64(h * 3600 + mi * 60 + se) * TemporalValue.nanosPerSecond + frac
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
            p.day = day
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
        return Parts(day: day, nano: 0, offset: nil, zone: zone)
    }

    /// A `timezone` value: an offset (`+01:00`, `Z`) or a zone name; nil when unknown.
    static func zoneSpec(_ s: String) -> (offset: Int, zone: String?)? {
        if let off = offset(Substring(s)) { return (off, nil) }
        guard TimeZone(identifier: s) != nil else { return nil }
        return (0, s)
    }

    /// A cursor over the ASCII bytes of a temporal string that reads fixed runs of digits.
    struct Digits {
        let u: [UInt8]
        var i = 0
        init(_ s: Substring) { u = Array(s.utf8) }
        var atEnd: Bool { i == u.count }
        /// How many digits follow the cursor.
        var runLength: Int { var k = i; while k < u.count, u[k] >= 48 && u[k] <= 57 { k += 1 }; return k - i }
        /// The next `n` characters as a number, when they are all digits (the cursor moves past them).
        mutating func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard u[k] >= 48 && u[k] <= 57 else { return nil }; v = v * 10 + Int(u[k] - 48) }
            i += n
            return v
        }
        /// Moves past `c` when it is next.
        mutating func accept(_ c: Unicode.Scalar) -> Bool {
            guard i < u.count, u[i] == UInt8(ascii: c) else { return false }
            i += 1
            return true
        }
    }
}
