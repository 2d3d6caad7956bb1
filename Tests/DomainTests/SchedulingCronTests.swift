import Foundation
import Testing

@testable import Domain

// MARK: - Parsing

struct CronParsingCase: CustomTestStringConvertible, Sendable {
    let expression: String
    /// (date, hour, minute) probes and whether each matches.
    let probes: [(String, Int, Int, Bool)]
    let testDescription: String
}

@Suite struct SchedulingCronParsingTests {
    static let validCases: [CronParsingCase] = [
        .init(expression: "*/15 * * * *", probes: [("2027-01-04", 3, 45, true), ("2027-01-04", 3, 50, false)], testDescription: "step over the whole minute field"),
        .init(expression: "10-50/10 * * * *", probes: [("2027-01-04", 3, 10, true), ("2027-01-04", 3, 50, true), ("2027-01-04", 3, 0, false), ("2027-01-04", 3, 55, false)], testDescription: "step over a range"),
        .init(expression: "0 9 1,15 * *", probes: [("2027-01-15", 9, 0, true), ("2027-01-14", 9, 0, false)], testDescription: "list of days of the month"),
        .init(expression: "30 7 * * MON-FRI", probes: [("2027-01-04", 7, 30, true), ("2027-01-09", 7, 30, false)], testDescription: "weekday names as a range"),
        .init(expression: "0 0 * jan,Dec *", probes: [("2027-12-01", 0, 0, true), ("2027-06-01", 0, 0, false)], testDescription: "month names in any case"),
        .init(expression: "0 0 * * 7", probes: [("2027-01-03", 0, 0, true), ("2027-01-04", 0, 0, false)], testDescription: "seven is Sunday"),
        .init(expression: "0 0 * * 0", probes: [("2027-01-03", 0, 0, true)], testDescription: "zero is Sunday"),
        .init(expression: "0 9 1 * MON", probes: [("2027-02-01", 9, 0, true), ("2027-02-08", 9, 0, true), ("2027-02-09", 9, 0, false)], testDescription: "two restricted day fields match either"),
        .init(expression: "0 9 */2 * MON", probes: [("2027-02-01", 9, 0, true), ("2027-02-08", 9, 0, false), ("2027-02-03", 9, 0, false)], testDescription: "a starred day field makes both apply"),
        .init(expression: "@hourly", probes: [("2027-02-01", 5, 0, true), ("2027-02-01", 5, 1, false)], testDescription: "hourly shortcut"),
        .init(expression: "@DAILY", probes: [("2027-02-01", 0, 0, true), ("2027-02-01", 1, 0, false)], testDescription: "shortcut in capitals"),
        .init(expression: "@weekly", probes: [("2027-01-03", 0, 0, true), ("2027-01-04", 0, 0, false)], testDescription: "weekly shortcut runs on Sunday"),
        .init(expression: "@yearly", probes: [("2027-01-01", 0, 0, true), ("2027-02-01", 0, 0, false)], testDescription: "yearly shortcut"),
        .init(expression: "@monthly", probes: [("2027-02-01", 0, 0, true), ("2027-02-02", 0, 0, false)], testDescription: "monthly shortcut"),
    ]

    @Test(arguments: validCases)
    func validExpressionMatches(_ testCase: CronParsingCase) throws {
        let expression = try CronExpression(parsing: testCase.expression)
        for (dateText, hour, minute, expected) in testCase.probes {
            let date = try #require(LocalDate(exactly: dateText))
            let matches = expression.matches(date: date) && expression.matches(minute: minute, hour: hour)
            #expect(matches == expected, "\(testCase.expression) at \(dateText) \(hour):\(minute)")
        }
    }

    static let invalidCases: [(String, String)] = [
        ("61 * * * *", "invalid cron expression '61 * * * *': minute '61' is outside 0-59"),
        ("0 24 * * *", "invalid cron expression '0 24 * * *': hour '24' is outside 0-23"),
        ("0 0 0 * *", "invalid cron expression '0 0 0 * *': day-of-month '0' is outside 1-31"),
        ("0 0 * 13 *", "invalid cron expression '0 0 * 13 *': month '13' is outside 1-12"),
        ("0 0 * * 8", "invalid cron expression '0 0 * * 8': day-of-week '8' is outside 0-7"),
        ("0 0 * * FUN", "invalid cron expression '0 0 * * FUN': day-of-week 'FUN' is not a number or a name SUN-SAT; use a number in 0-7 or a name SUN-SAT"),
        ("0 0 * SMARCH *", "invalid cron expression '0 0 * SMARCH *': month 'SMARCH' is not a number or a name JAN-DEC; use a number in 1-12 or a name JAN-DEC"),
        ("*/0 * * * *", "invalid cron expression '*/0 * * * *': minute '*/0' has an invalid step; write the step as a whole number of 1 or more, as in */15"),
        ("0 5-1 * * *", "invalid cron expression '0 5-1 * * *': hour range '5-1' runs backwards; write the smaller value first, as in 1-5"),
        ("0 0 * *", "invalid cron expression '0 0 * *': expected 5 fields (minute hour day-of-month month day-of-week) but found 4; write for example '30 7 * * MON-FRI'"),
        ("@fortnightly", "invalid cron expression '@fortnightly': unknown shortcut; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        ("1,,2 * * * *", "invalid cron expression '1,,2 * * * *': minute '1,,2' is not a number; use a number in 0-59"),
    ]

    @Test(arguments: invalidCases)
    func invalidExpressionNamesField(_ expression: String, _ message: String) {
        #expect(throws: CronError.self) { try CronExpression(parsing: expression) }
        do {
            _ = try CronExpression(parsing: expression)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func hourFieldDecidesWallClockRule() throws {
        #expect(try CronExpression(parsing: "0 * * * *").followsWallClock)
        #expect(try CronExpression(parsing: "*/30 */2 * * *").followsWallClock)
        #expect(try !CronExpression(parsing: "30 1 * * *").followsWallClock)
        #expect(try !CronExpression(parsing: "@daily").followsWallClock)
    }
}

// MARK: - Local times and durations

@Suite struct SchedulingLocalTimeTests {
    @Test(arguments: ["2027-02-29 07:30", "2027-09-01 24:00", "2027-09-01 7:30", "2027-09-01", "tomorrow"])
    func invalidLocalTimeIsRejected(_ text: String) {
        #expect(throws: ScheduleError.invalidLocalTime(text)) { try LocalDateTime(parsing: text) }
    }

    @Test func localTimeRoundTrips() throws {
        let time = try LocalDateTime(parsing: "2028-02-29 23:59")
        #expect(time.description == "2028-02-29 23:59")
        #expect(LocalDateTime(secondsSinceEpochAsUTC: time.secondsSinceEpochAsUTC) == time)
    }

    @Test func weekdayOfKnownDates() throws {
        #expect(try #require(LocalDate(exactly: "1970-01-01")).weekday == 4)
        #expect(try #require(LocalDate(exactly: "2027-03-28")).weekday == 0)
        #expect(try #require(LocalDate(exactly: "1969-12-31")).weekday == 3)
    }

    @Test(arguments: [("90s", 90), ("30m", 1_800), ("2h", 7_200), ("1d", 86_400), ("0m", 0)])
    func durationParses(_ text: String, _ seconds: Int) throws {
        #expect(try ScheduleDuration.seconds(parsing: text) == seconds)
    }

    @Test(arguments: ["2", "h", "-1h", "2w", "1.5h"])
    func invalidDurationIsRejected(_ text: String) {
        #expect(throws: ScheduleError.invalidDuration(text)) { try ScheduleDuration.seconds(parsing: text) }
    }

    @Test func unknownTimeZoneIsRejected() {
        #expect(throws: ScheduleError.unknownTimeZone("Europe/Atlantis")) { try Schedule.timeZone(named: "Europe/Atlantis") }
        #expect((try? Schedule.timeZone(named: "Australia/Sydney")) != nil)
    }
}
