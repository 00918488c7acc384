import Foundation
import XCTest
@testable import MosaicSchedule

final class CronScheduleTests: XCTestCase {
    static func date(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        guard let d = f.date(from: text) else { fatalError("bad test date \(text)") }
        return d
    }

    /// Expression, zone, start instant, the next run times in turn (each `next(after:)` the
    /// previous one).
    static let nextCases: [(String, String, String, [String])] = [
        ("*/15 * * * *", "UTC", "2025-10-30T06:07:00Z",
         ["2025-10-30T06:15:00Z", "2025-10-30T06:30:00Z", "2025-10-30T06:45:00Z", "2025-10-30T07:00:00Z"]),
        ("*/15 * * * *", "UTC", "2025-10-30T06:15:00Z", ["2025-10-30T06:30:00Z"]),
        ("0 6 * * MON-FRI", "UTC", "2025-10-31T06:00:00Z",
         ["2025-11-03T06:00:00Z", "2025-11-04T06:00:00Z"]),
        ("5-10/2 1 * * *", "UTC", "2025-01-01T00:00:00Z",
         ["2025-01-01T01:05:00Z", "2025-01-01T01:07:00Z", "2025-01-01T01:09:00Z", "2025-01-02T01:05:00Z"]),
        ("50/5 23 * * *", "UTC", "2025-01-01T00:00:00Z",
         ["2025-01-01T23:50:00Z", "2025-01-01T23:55:00Z", "2025-01-02T23:50:00Z"]),
        ("0 0 1,15 jan,Jul *", "UTC", "2025-01-15T00:00:00Z",
         ["2025-07-01T00:00:00Z", "2025-07-15T00:00:00Z", "2026-01-01T00:00:00Z"]),
        // Day-of-month OR day-of-week when both are restricted: Fridays and the 13th.
        ("0 12 13 * FRI", "UTC", "2025-06-01T00:00:00Z",
         ["2025-06-06T12:00:00Z", "2025-06-13T12:00:00Z", "2025-06-20T12:00:00Z", "2025-06-27T12:00:00Z",
          "2025-07-04T12:00:00Z", "2025-07-11T12:00:00Z", "2025-07-13T12:00:00Z", "2025-07-18T12:00:00Z"]),
        // A star-led day field makes it AND: odd days that are Mondays.
        ("0 0 */2 * MON", "UTC", "2025-06-01T00:00:00Z",
         ["2025-06-09T00:00:00Z", "2025-06-23T00:00:00Z", "2025-07-07T00:00:00Z"]),
        ("0 0 * * 7", "UTC", "2025-10-30T00:00:00Z", ["2025-11-02T00:00:00Z"]),
        ("0 0 * * 5-7", "UTC", "2025-10-30T00:00:00Z",
         ["2025-10-31T00:00:00Z", "2025-11-01T00:00:00Z", "2025-11-02T00:00:00Z", "2025-11-07T00:00:00Z"]),
        ("0 0 29 2 *", "UTC", "2025-01-01T00:00:00Z", ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]),
        ("0 0 31 * *", "UTC", "2025-01-31T00:00:00Z", ["2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z"]),
        ("@hourly", "UTC", "2025-10-30T05:59:59Z", ["2025-10-30T06:00:00Z", "2025-10-30T07:00:00Z"]),
        ("@daily", "UTC", "2025-12-31T12:00:00Z", ["2026-01-01T00:00:00Z"]),
        ("@weekly", "UTC", "2025-10-30T12:00:00Z", ["2025-11-02T00:00:00Z", "2025-11-09T00:00:00Z"]),
        ("@monthly", "UTC", "2025-10-30T12:00:00Z", ["2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z"]),
        ("@yearly", "UTC", "2025-10-30T12:00:00Z", ["2026-01-01T00:00:00Z"]),
        ("0 9 * * *", "Asia/Kolkata", "2025-10-30T00:00:00Z", ["2025-10-30T03:30:00Z", "2025-10-31T03:30:00Z"]),
        ("0 6 * * *", "Europe/Paris", "2025-10-30T00:00:00Z", ["2025-10-30T06:00:00+01:00"]),
        // Spring forward in Paris (2025-03-30 02:00 CET → 03:00 CEST): 02:30 runs once at 03:00.
        ("30 2 * * *", "Europe/Paris", "2025-03-29T12:00:00+01:00",
         ["2025-03-30T03:00:00+02:00", "2025-03-31T02:30:00+02:00"]),
        ("*/30 * * * *", "Europe/Paris", "2025-03-30T01:15:00+01:00",
         ["2025-03-30T01:30:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-30T03:30:00+02:00"]),
        // Fall back in Paris (2025-10-26 03:00 CEST → 02:00 CET): the repeated 02:30 runs once.
        ("30 2 * * *", "Europe/Paris", "2025-10-25T12:00:00Z",
         ["2025-10-26T02:30:00+02:00", "2025-10-27T02:30:00+01:00"]),
        ("0 * * * *", "Europe/Paris", "2025-10-26T00:30:00+02:00",
         ["2025-10-26T01:00:00+02:00", "2025-10-26T02:00:00+02:00", "2025-10-26T03:00:00+01:00",
          "2025-10-26T04:00:00+01:00"]),
        // Started inside the second 02:xx: the 02:30 already happened (in CEST), so tomorrow.
        ("30 2 * * *", "Europe/Paris", "2025-10-26T02:10:00+01:00", ["2025-10-27T02:30:00+01:00"]),
        // New York spring forward (2025-03-09 02:00 EST → 03:00 EDT).
        ("0 2 * * *", "America/New_York", "2025-03-08T12:00:00-05:00",
         ["2025-03-09T03:00:00-04:00", "2025-03-10T02:00:00-04:00"]),
        ("CRON_TZ=Europe/Paris 0 6 * * *", "UTC", "2025-10-30T00:00:00Z", ["2025-10-30T05:00:00Z"]),
    ]

    func testNextRunTimes() throws {
        for (expression, zone, start, expected) in Self.nextCases {
            let schedule = try CronSchedule(expression, timeZoneIdentifier: zone)
            var cursor = Self.date(start)
            for want in expected {
                let got = schedule.next(after: cursor)
                XCTAssertEqual(got, Self.date(want), "\(expression) [\(zone)] after \(cursor): got \(got), want \(want)")
                cursor = got
            }
        }
    }

    func testNextIsStrictlyAfterFractionalInstants() throws {
        let s = try CronSchedule("* * * * *")
        XCTAssertEqual(s.next(after: Self.date("2025-01-01T00:00:00Z").addingTimeInterval(0.5)),
                       Self.date("2025-01-01T00:01:00Z"))
        XCTAssertEqual(s.next(after: Self.date("2025-01-01T00:00:59Z").addingTimeInterval(0.999)),
                       Self.date("2025-01-01T00:01:00Z"))
    }

    func testOccurrencesAreHalfOpen() throws {
        let s = try CronSchedule("0 */6 * * *")
        let got = s.occurrences(from: Self.date("2025-10-30T06:00:00Z"), to: Self.date("2025-10-31T06:00:00Z"))
        XCTAssertEqual(got, ["2025-10-30T06:00:00Z", "2025-10-30T12:00:00Z", "2025-10-30T18:00:00Z",
                             "2025-10-31T00:00:00Z"].map(Self.date))
        XCTAssertEqual(s.occurrences(from: Self.date("2025-10-30T06:00:01Z"), to: Self.date("2025-10-30T12:00:00Z")), [])
        XCTAssertEqual(try CronSchedule("* * * * *").occurrences(
            from: Self.date("2025-01-01T00:00:00Z"), to: Self.date("2025-01-02T00:00:00Z"), limit: 5).count, 5)
    }

    func testOccurrencesAcrossDSTDaysCountEachWallTimeOnce() throws {
        let s = try CronSchedule("*/15 * * * *", timeZoneIdentifier: "Europe/Paris")
        // Spring day: 23 hours of wall time, the four skipped quarter-hours collapse to one run.
        let spring = s.occurrences(from: Self.date("2025-03-30T00:00:00+01:00"), to: Self.date("2025-03-31T00:00:00+02:00"))
        XCTAssertEqual(spring.count, 96 - 4)
        // Autumn day: 25 hours, but each wall time runs once.
        let autumn = s.occurrences(from: Self.date("2025-10-26T00:00:00+02:00"), to: Self.date("2025-10-27T00:00:00+01:00"))
        XCTAssertEqual(autumn.count, 96)
        XCTAssertEqual(Set(autumn).count, autumn.count)
    }

    func testNextOccurrencesAndMatches() throws {
        let s = try CronSchedule("0 6 * * MON-FRI", timeZoneIdentifier: "Europe/Paris")
        let runs = s.nextOccurrences(after: Self.date("2025-10-31T07:00:00+01:00"), count: 3)
        XCTAssertEqual(runs, ["2025-11-03T06:00:00+01:00", "2025-11-04T06:00:00+01:00",
                              "2025-11-05T06:00:00+01:00"].map(Self.date))
        XCTAssertTrue(s.matches(Self.date("2025-11-03T06:00:30+01:00")))
        XCTAssertFalse(s.matches(Self.date("2025-11-01T06:00:00+01:00")))
        XCTAssertEqual(s.description, "CRON_TZ=Europe/Paris 0 6 * * MON-FRI")
        XCTAssertEqual(try CronSchedule("  @Daily ").expression, "@daily")
    }

    /// Expression and the expected error: message and column.
    static let errorCases: [(String, String, Int)] = [
        ("61 * * * *", "minute field: 61 is out of range 0–59", 1),
        ("* 24 * * *", "hour field: 24 is out of range 0–23", 3),
        ("* * 0 * *", "day-of-month field: 0 is out of range 1–31", 5),
        ("* * * 13 *", "month field: 13 is out of range 1–12", 7),
        ("* * * * 8", "day-of-week field: 8 is out of range 0–7", 9),
        ("0  0 * * 1,2,9", "day-of-week field: 9 is out of range 0–7", 14),
        ("*/0 * * * *", "minute field: step 0 must be at least 1", 3),
        ("*/x * * * *", "minute field: step 'x' is not a number", 3),
        ("5-1 * * * *", "minute field: range 5-1 is reversed (the first value must not exceed the second)", 1),
        ("0 0 * * FRI-MON", "day-of-week field: range FRI-MON is reversed (the first value must not exceed the second)", 9),
        ("0 0 * FOO *", "month field: 'FOO' is not a number or a month name (JAN–DEC)", 7),
        ("0 0 * * FUN", "day-of-week field: 'FUN' is not a number or a day name (SUN–SAT)", 9),
        ("0 x * * *", "hour field: 'x' is not a number", 3),
        ("1,,2 * * * *", "minute field: empty item in list", 3),
        ("0 0 * * MON-", "day-of-week field: missing end of range", 12),
        ("0 0 30 2 *", "day-of-month field: day 30 never occurs in month 2", 5),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, found 4", 0),
        ("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, found 6", 11),
        ("@reboot", "@reboot is not supported (the scheduler has no boot event); use @hourly, @daily, @weekly, @monthly or @yearly", 1),
        ("@often", "unknown macro '@often'; use @hourly, @daily, @weekly, @monthly or @yearly", 1),
        ("CRON_TZ=Mars/Base 0 * * * *", "unknown time zone 'Mars/Base' (use an IANA name such as Europe/Paris)", 9),
        ("CRON_TZ=UTC 0 * * 99 *", "month field: 99 is out of range 1–12", 19),
    ]

    func testParseErrors() {
        for (expression, message, column) in Self.errorCases {
            XCTAssertThrowsError(try CronSchedule(expression), expression) { error in
                guard let e = error as? ScheduleError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.message, message, expression)
                XCTAssertEqual(e.column, column, expression)
                XCTAssertTrue(e.description.contains(expression), e.description)
            }
        }
    }

    func testCivilDateRoundTrip() {
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.civil(fromDays: day)
            XCTAssertEqual(CivilDate.days(year: y, month: m, day: d), day)
        }
        XCTAssertEqual(CivilDate.days(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertEqual(CivilDate.weekday(fromDays: CivilDate.days(year: 2025, month: 10, day: 30)), 4)
        XCTAssertEqual(CivilDate.weekday(fromDays: -1), 3)
    }
}

final class CronScheduleDueTests: XCTestCase {
    func testDueRunAfterDowntimeIsOne() throws {
        let s = try CronSchedule("0 * * * *")
        let d = CronScheduleTests.date
        // Down from 03:10 to 07:20: four runs missed, one is due (the first missed instant).
        XCTAssertEqual(s.dueRun(lastRun: d("2025-10-30T03:10:00Z"), now: d("2025-10-30T07:20:00Z")),
                       d("2025-10-30T04:00:00Z"))
        XCTAssertNil(s.dueRun(lastRun: d("2025-10-30T07:00:00Z"), now: d("2025-10-30T07:59:59Z")))
        XCTAssertEqual(s.dueRun(lastRun: d("2025-10-30T07:00:00Z"), now: d("2025-10-30T08:00:00Z")),
                       d("2025-10-30T08:00:00Z"))
    }
}

final class CronSchedulePreviousTests: XCTestCase {
    /// `previous(before:)` is the run just before: nothing lies between it and the instant.
    func testPreviousIsTheRunJustBefore() throws {
        let d = CronScheduleTests.date
        let schedules = [("*/15 * * * *", "Europe/Paris"), ("30 2 * * *", "Europe/Paris"), ("0 * * * *", "Europe/Paris"),
                         ("0 2 * * *", "America/New_York"), ("0 12 13 * FRI", "UTC"), ("0 0 29 2 *", "UTC"),
                         ("@weekly", "Asia/Kolkata")]
        let instants = ["2025-03-30T01:10:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-30T03:00:01+02:00",
                        "2025-10-26T02:10:00+01:00", "2025-10-26T02:40:00+02:00", "2025-10-26T03:00:00+01:00",
                        "2025-03-09T03:00:00-04:00", "2025-07-13T12:00:00Z", "2029-01-01T00:00:00Z"].map(d)
        for (expression, zone) in schedules {
            let s = try CronSchedule(expression, timeZoneIdentifier: zone)
            for x in instants {
                let p = try XCTUnwrap(s.previous(before: x), "\(expression) before \(x)")
                XCTAssertLessThan(p, x, "\(expression) before \(x)")
                XCTAssertEqual(s.next(after: p.addingTimeInterval(-1)), p, "\(expression): \(p) is not a run time")
                XCTAssertGreaterThanOrEqual(s.next(after: p), x, "\(expression): a run lies between \(p) and \(x)")
            }
        }
    }

    func testLastOccurrenceAfterLongDowntime() throws {
        let d = CronScheduleTests.date
        let s = try CronSchedule("* * * * *")
        // Thirty days of minutes: the latest, without listing them all.
        XCTAssertEqual(s.lastOccurrence(from: d("2025-10-01T00:00:00Z"), to: d("2025-10-31T06:00:30Z")),
                       d("2025-10-31T06:00:00Z"))
        XCTAssertNil(try CronSchedule("0 6 * * *").lastOccurrence(from: d("2025-10-31T06:00:01Z"), to: d("2025-11-01T06:00:00Z")))
    }
}
