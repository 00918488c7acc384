import Foundation
import MosaicGraph

/// Parses one field of a cron expression into a bit set.
struct CronFieldParser {
    let name: String
    let range: ClosedRange<Int>
    let names: [String]  // names for values range.lowerBound…, or empty
    let namesHint: String

    static let minute = CronFieldParser(name: "minute", range: 0...59, names: [], namesHint: "")
    static let hour = CronFieldParser(name: "hour", range: 0...23, names: [], namesHint: "")
    static let dayOfMonth = CronFieldParser(name: "day-of-month", range: 1...31, names: [], namesHint: "")
    static let month = CronFieldParser(
        name: "month", range: 1...12,
        names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        namesHint: "a month name (JAN–DEC)")
    static let dayOfWeek = CronFieldParser(
        name: "day-of-week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        namesHint: "a day name (SUN–SAT)")

    /// The set of values as bits, with 7 folded to 0 for day-of-week.
    func parse(_ token: String, column: Int, expression: String) throws -> UInt64 {
        func fail(_ offset: Int, _ message: String) -> ScheduleError {
            ScheduleError.cron(expression: expression, field: name, column: column + offset, detail: message)
        }
        var bits: UInt64 = 0
        var offset = 0
        for item in token.split(separator: ",", omittingEmptySubsequences: false) {
            defer { offset += item.count + 1 }
            if item.isEmpty { throw fail(offset, "empty item in list") }
            var body = Substring(item)
            var step = 1
            if let slash = item.firstIndex(of: "/") {
                body = item[..<slash]
                let stepText = item[item.index(after: slash)...]
                let stepOffset = offset + body.count + 1
                guard let s = Int(stepText) else {
                    throw fail(stepOffset, stepText.isEmpty ? "missing step after '/'" : "step '\(stepText)' is not a number")
                }
                guard s >= 1 else { throw fail(stepOffset, "step \(s) must be at least 1") }
                step = s
            }
            var low: Int, high: Int
            if body == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
                if name == "day-of-week" { high = 6 }
            } else if let dash = body.firstIndex(of: "-") {
                let a = body[..<dash], b = body[body.index(after: dash)...]
                if a.isEmpty { throw fail(offset, "missing start of range") }
                if b.isEmpty { throw fail(offset + a.count, "missing end of range") }
                low = try value(a, offset, fail)
                high = try value(b, offset + a.count + 1, fail)
                if low > high {
                    throw fail(offset, "range \(a)-\(b) is reversed (the first value must not exceed the second)")
                }
            } else if body.isEmpty {
                throw fail(offset, "missing value before '/'")
            } else {
                low = try value(body, offset, fail)
                // `5/15` means from 5 to the end of the range, every 15.
                high = step > 1 || item.contains("/") ? range.upperBound : low
                if name == "day-of-week", item.contains("/") { high = 6 }
            }
            var v = low
            while v <= high {
                bits |= 1 << UInt64(name == "day-of-week" && v == 7 ? 0 : v)
                v += step
            }
        }
        return bits
    }

    private func value(_ text: Substring, _ offset: Int,
                       _ fail: (Int, String) -> ScheduleError) throws -> Int {
        if let n = Int(text) {
            guard range.contains(n) else {
                throw fail(offset, "\(n) is out of range \(range.lowerBound)–\(range.upperBound)")
            }
            return n
        }
        if let i = names.firstIndex(of: text.uppercased()) {
            return i + (name == "month" ? 1 : 0)
        }
        let hint = names.isEmpty ? "a number" : "a number or \(namesHint)"
        throw fail(offset, "'\(text)' is not \(hint)")
    }
}

extension CronSchedule {
    static let macros: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    init(parsing text: String, original: String, columnOffset: Int, timeZone: TimeZone) throws {
        func fail(_ column: Int, _ field: String?, _ message: String) -> ScheduleError {
            ScheduleError.cron(expression: original, field: field, column: column, detail: message)
        }
        // Split into fields, remembering each one's column in `original`.
        var tokens: [(text: String, column: Int)] = []
        var current = "", start = 0
        for (i, ch) in text.enumerated() {
            if ch.isWhitespace {
                if !current.isEmpty { tokens.append((current, start)); current = "" }
            } else {
                if current.isEmpty { start = columnOffset + i + 1 }
                current.append(ch)
            }
        }
        if !current.isEmpty { tokens.append((current, start)) }

        if let first = tokens.first, first.text.hasPrefix("@") {
            let word = first.text.lowercased()
            guard let fields = CronSchedule.macros[word] else {
                let why = word == "@reboot" ? "@reboot is not supported (the scheduler has no boot event)"
                    : "unknown macro '\(first.text)'"
                throw fail(first.column, nil, why + "; use @hourly, @daily, @weekly, @monthly or @yearly")
            }
            if tokens.count > 1 { throw fail(tokens[1].column, nil, "\(first.text) takes no fields after it") }
            var schedule = try CronSchedule(parsing: fields, original: fields, columnOffset: 0, timeZone: timeZone)
            schedule.expressionText = word
            self = schedule
            return
        }
        guard tokens.count == 5 else {
            throw fail(tokens.count > 5 ? tokens[5].column : 0, nil,
                       "expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, found \(tokens.count)")
        }
        let parsers: [CronFieldParser] = [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        var sets: [UInt64] = []
        for (parser, token) in zip(parsers, tokens) {
            sets.append(try parser.parse(token.text, column: token.column, expression: original))
        }
        let domStar = tokens[2].text.hasPrefix("*"), dowStar = tokens[4].text.hasPrefix("*")
        if !domStar && dowStar {
            // The days must exist in at least one selected month (29 February counts).
            let possible = (1...12).contains { m in
                (sets[3] >> UInt64(m)) & 1 == 1
                    && (1...PartialDate.daysIn(month: m, year: 2000)).contains { (sets[2] >> UInt64($0)) & 1 == 1 }
            }
            if !possible {
                throw fail(tokens[2].column, "day-of-month",
                           "day \(tokens[2].text) never occurs in month \(tokens[3].text)")
            }
        }
        self.init(expressionText: tokens.map(\.text).joined(separator: " "), timeZone: timeZone,
                  minutes: sets[0], hours: UInt32(truncatingIfNeeded: sets[1]),
                  daysOfMonth: UInt32(truncatingIfNeeded: sets[2]), months: UInt16(truncatingIfNeeded: sets[3]),
                  daysOfWeek: UInt8(truncatingIfNeeded: sets[4]), dayOfMonthStar: domStar, dayOfWeekStar: dowStar)
    }
}
