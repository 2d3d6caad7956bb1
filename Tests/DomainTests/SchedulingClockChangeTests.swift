import Foundation
import Testing

@testable import Domain

/// Parses an ISO 8601 UTC instant, for test tables.
func utc(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { preconditionFailure("bad instant in a test table: \(text)") }
    return date
}

struct NextRunCase: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let cron: String
    let zone: String
    let after: String
    /// The successive runs after `after`, as UTC instants.
    let expected: [String]
}

@Suite struct SchedulingClockChangeTests {
    static let cases: [NextRunCase] = [
        // Europe/London: clocks go forward at 01:00 UTC on 2027-03-28 and back at 01:00 UTC on 2027-10-31.
        .init(testDescription: "daily 01:30 in London runs right after the spring-forward gap", cron: "30 1 * * *", zone: "Europe/London",
              after: "2027-03-27T12:00:00Z", expected: ["2027-03-28T01:00:00Z", "2027-03-29T00:30:00Z"]),
        .init(testDescription: "daily 01:30 in London runs once, at the first occurrence, when clocks go back", cron: "30 1 * * *", zone: "Europe/London",
              after: "2027-10-30T12:00:00Z", expected: ["2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"]),
        .init(testDescription: "two fixed times inside the London gap run once", cron: "0,30 1 * * *", zone: "Europe/London",
              after: "2027-03-27T12:00:00Z", expected: ["2027-03-28T01:00:00Z", "2027-03-29T00:00:00Z"]),
        .init(testDescription: "hourly in London skips the hour that does not exist", cron: "0 * * * *", zone: "Europe/London",
              after: "2027-03-27T23:30:00Z", expected: ["2027-03-28T00:00:00Z", "2027-03-28T01:00:00Z", "2027-03-28T02:00:00Z"]),
        .init(testDescription: "hourly in London runs at both 01:00s when clocks go back", cron: "0 * * * *", zone: "Europe/London",
              after: "2027-10-30T23:30:00Z", expected: ["2027-10-31T00:00:00Z", "2027-10-31T01:00:00Z", "2027-10-31T02:00:00Z"]),
        .init(testDescription: "half-hourly in London follows the wall clock over the gap", cron: "*/30 * * * *", zone: "Europe/London",
              after: "2027-03-28T00:15:00Z", expected: ["2027-03-28T00:30:00Z", "2027-03-28T01:00:00Z", "2027-03-28T01:30:00Z"]),
        .init(testDescription: "half-hourly in London runs four times in the repeated hour", cron: "*/30 * * * *", zone: "Europe/London",
              after: "2027-10-30T23:45:00Z",
              expected: ["2027-10-31T00:00:00Z", "2027-10-31T00:30:00Z", "2027-10-31T01:00:00Z", "2027-10-31T01:30:00Z", "2027-10-31T02:00:00Z"]),
        .init(testDescription: "hourly in London started inside the repeated hour still gets its second 01:00", cron: "0 * * * *", zone: "Europe/London",
              after: "2027-10-31T00:45:00Z", expected: ["2027-10-31T01:00:00Z", "2027-10-31T02:00:00Z"]),
        .init(testDescription: "weekday 07:30 in London keeps its wall-clock time across the change", cron: "30 7 * * MON-FRI", zone: "Europe/London",
              after: "2027-03-26T12:00:00Z", expected: ["2027-03-29T06:30:00Z"]),

        // Australia/Sydney: clocks go back at 16:00 UTC on 2027-04-03 (03:00 AEDT becomes 02:00 AEST)
        // and forward at 16:00 UTC on 2027-10-02 (02:00 AEST becomes 03:00 AEDT).
        .init(testDescription: "daily 02:30 in Sydney runs right after the spring-forward gap", cron: "30 2 * * *", zone: "Australia/Sydney",
              after: "2027-10-02T00:00:00Z", expected: ["2027-10-02T16:00:00Z", "2027-10-03T15:30:00Z"]),
        .init(testDescription: "daily 02:30 in Sydney runs once, at the first occurrence, when clocks go back", cron: "30 2 * * *", zone: "Australia/Sydney",
              after: "2027-04-03T00:00:00Z", expected: ["2027-04-03T15:30:00Z", "2027-04-04T16:30:00Z"]),
        .init(testDescription: "hourly in Sydney runs at both 02:00s when clocks go back", cron: "0 * * * *", zone: "Australia/Sydney",
              after: "2027-04-03T14:30:00Z", expected: ["2027-04-03T15:00:00Z", "2027-04-03T16:00:00Z", "2027-04-03T17:00:00Z"]),
        .init(testDescription: "hourly in Sydney skips the hour that does not exist", cron: "0 * * * *", zone: "Australia/Sydney",
              after: "2027-10-02T14:30:00Z", expected: ["2027-10-02T15:00:00Z", "2027-10-02T16:00:00Z", "2027-10-02T17:00:00Z"]),

        // Days
        .init(testDescription: "29 February or a February Monday matches either day field", cron: "0 0 29 2 MON", zone: "UTC",
              after: "2027-03-01T00:00:00Z", expected: ["2028-02-07T00:00:00Z", "2028-02-14T00:00:00Z"]),
        .init(testDescription: "@yearly in UTC runs on New Year's Day", cron: "@yearly", zone: "UTC",
              after: "2027-06-01T00:00:00Z", expected: ["2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"]),
    ]

    @Test(arguments: cases)
    func nextRunsAcrossClockChange(_ testCase: NextRunCase) throws {
        let schedule = Schedule(
            name: "case", timing: .cron(try CronExpression(parsing: testCase.cron)),
            timeZone: try Schedule.timeZone(named: testCase.zone), script: "case.lua")
        var cursor = utc(testCase.after)
        for expected in testCase.expected {
            let next = try #require(schedule.nextRun(after: cursor))
            #expect(Timestamp.format(next) == expected)
            cursor = next
        }
    }

    @Test(arguments: [
        ("Europe/London", "2027-03-20T00:00:00Z", "2027-03-28T01:00:00Z"),
        ("Europe/London", "2027-10-20T00:00:00Z", "2027-10-31T01:00:00Z"),
        ("Australia/Sydney", "2027-03-20T00:00:00Z", "2027-04-03T16:00:00Z"),
        ("Australia/Sydney", "2027-09-20T00:00:00Z", "2027-10-02T16:00:00Z"),
    ])
    func tableTransitionsAreRealOnes(_ zone: String, _ after: String, _ transition: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let found = try #require(timeZone.nextDaylightSavingTimeTransition(after: utc(after)))
        #expect(Timestamp.format(found) == transition)
    }

    @Test func wallClockResolutionNamesGapAndRepeat() throws {
        let london = Schedule.defaultTimeZone
        #expect(WallClockResolution(try LocalDateTime(parsing: "2027-03-28 01:30"), in: london) == .skipped(transition: utc("2027-03-28T01:00:00Z")))
        #expect(
            WallClockResolution(try LocalDateTime(parsing: "2027-10-31 01:30"), in: london)
                == .repeated(first: utc("2027-10-31T00:30:00Z"), second: utc("2027-10-31T01:30:00Z")))
        #expect(WallClockResolution(try LocalDateTime(parsing: "2027-07-01 12:00"), in: london) == .single(utc("2027-07-01T11:00:00Z")))
    }

    @Test func leapDayScheduleIsFound() throws {
        let schedule = Schedule(name: "leap", timing: .cron(try CronExpression(parsing: "0 0 29 2 MON")), timeZone: try Schedule.timeZone(named: "UTC"), script: "x.lua")
        // Both day fields are restricted, so a Monday in February matches as well as 29 February.
        #expect(schedule.nextRun(after: utc("2027-03-01T00:00:00Z")).map(Timestamp.format) == "2028-02-07T00:00:00Z")
        let onlyLeapDay = Schedule(name: "leap", timing: .cron(try CronExpression(parsing: "0 0 29 2 *")), timeZone: try Schedule.timeZone(named: "UTC"), script: "x.lua")
        #expect(onlyLeapDay.nextRun(after: utc("2029-03-01T00:00:00Z")).map(Timestamp.format) == "2032-02-29T00:00:00Z")
    }

    @Test func impossibleDayNeverRuns() throws {
        let schedule = Schedule(name: "never", timing: .cron(try CronExpression(parsing: "0 0 30 2 *")), script: "x.lua")
        #expect(schedule.nextRun(after: utc("2027-01-01T00:00:00Z")) == nil)
    }

    // MARK: - One-off times and windows

    @Test(arguments: [
        ("2027-03-28 01:30", "2027-03-28T01:00:00Z"),
        ("2027-10-31 01:30", "2027-10-31T00:30:00Z"),
        ("2027-09-01 07:30", "2027-09-01T06:30:00Z"),
        ("2027-12-01 07:30", "2027-12-01T07:30:00Z"),
    ])
    func oneOffRunsOnceAtItsInstant(_ local: String, _ expected: String) throws {
        let schedule = Schedule(name: "once", timing: .once(try LocalDateTime(parsing: local)), script: "x.lua")
        let next = try #require(schedule.nextRun(after: utc("2027-01-01T00:00:00Z")))
        #expect(Timestamp.format(next) == expected)
        #expect(schedule.nextRun(after: next) == nil)
    }

    @Test func dateWindowBoundsRuns() throws {
        let schedule = Schedule(
            name: "term", timing: .cron(try CronExpression(parsing: "0 7 * * *")),
            firstDate: LocalDate(exactly: "2027-09-01"), lastDate: LocalDate(exactly: "2027-09-03"), script: "x.lua")
        let runs = schedule.runs(after: utc("2027-08-01T00:00:00Z"), through: utc("2028-01-01T00:00:00Z"))
        #expect(runs.map(Timestamp.format) == ["2027-09-01T06:00:00Z", "2027-09-02T06:00:00Z", "2027-09-03T06:00:00Z"])
    }

    @Test func windowEndingBeforeStartIsRejected() throws {
        let schedule = Schedule(
            name: "term", timing: .cron(try CronExpression(parsing: "0 7 * * *")),
            firstDate: LocalDate(exactly: "2027-09-03"), lastDate: LocalDate(exactly: "2027-09-01"), script: "x.lua")
        #expect(throws: ScheduleError.windowEndsBeforeStart(first: LocalDate(exactly: "2027-09-03")!, last: LocalDate(exactly: "2027-09-01")!)) {
            try schedule.validate()
        }
    }
}
