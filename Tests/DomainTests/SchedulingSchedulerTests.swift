import Foundation
import Testing

@testable import Domain

/// A scheduler over a directory with a test clock, whose jobs run their schedule's `script` as
/// `/bin/sh -c` text, so that tests control what a job does without building lanyard.
struct SchedulerFixture {
    let base = try! ClockedDirectory()
    let scheduler: Scheduler

    var directory: Directory { base.directory }
    var clock: TestClock { base.clock }

    init(notice: ScheduleFailureNotice? = nil, graceSeconds: Int = 1) {
        let folder = base.folder
        scheduler = Scheduler(
            directory: base.directory,
            configuration: .init(
                databasePath: folder.file("lanyard.db"), logFolder: folder.file("logs"), graceSeconds: graceSeconds, notice: notice,
                safetyInterval: 1, command: { schedule in ["/bin/sh", "-c", schedule.script] }))
    }

    /// Adds a schedule whose job runs the shell `command`.
    @discardableResult
    func add(_ name: String, cron: String, command: String, overlap: OverlapPolicy = .forbid, catchUp: Int = 60) throws -> Schedule {
        try directory.addSchedule(
            Schedule(name: name, timing: .cron(try CronExpression(parsing: cron)), script: command, overlap: overlap, catchUpSeconds: catchUp))
    }

    func history(_ name: String) throws -> [ScheduleRun] {
        try directory.scheduleRuns(named: name).reversed()
    }
}

@Suite(.serialized) struct SchedulingSchedulerTests {
    // The test clock starts at 2026-09-01T08:00:00Z, 09:00 in London.

    @Test func dueRunStartsOnceAndRecordsLastLine() throws {
        let fixture = SchedulerFixture()
        try fixture.add("report", cron: "*/5 * * * *", command: "echo first; echo 'last line'")
        fixture.clock.advance(by: 5 * 60)

        let runs = try fixture.scheduler.tick()
        let again = try fixture.scheduler.tick()

        #expect(runs.count == 1)
        #expect(again.isEmpty)
        let history = try fixture.history("report")
        #expect(history.count == 1)
        #expect(history.first?.status == .succeeded)
        #expect(history.first?.exitCode == 0)
        #expect(history.first?.summary == "last line")
        #expect(history.first?.scheduledAt == "2026-09-01T08:05:00Z")
        let log = try String(contentsOfFile: try #require(history.first?.logPath), encoding: .utf8)
        #expect(log == "first\nlast line\n")
    }

    @Test func claimedTimeIsNotClaimedAgain() throws {
        let fixture = SchedulerFixture()
        let schedule = try fixture.add("report", cron: "*/5 * * * *", command: "true")
        let time = utc("2026-09-01T08:05:00Z")

        let first = try fixture.directory.claimRun(schedule: schedule, scheduledAt: time, advancing: true)
        let second = try fixture.directory.claimRun(schedule: schedule, scheduledAt: time, advancing: true)

        #expect(first != nil)
        #expect(second == nil)
    }

    @Test func catchUpWithinDeadlineRunsLatestOnce() throws {
        let fixture = SchedulerFixture()
        try fixture.add("hourly", cron: "0 * * * *", command: "echo ran", catchUp: 2 * 3_600)
        fixture.clock.advance(by: 3.5 * 3_600)  // down from 08:00 to 11:30 UTC

        try fixture.scheduler.tick()

        let history = try fixture.history("hourly")
        #expect(history.map(\.status) == [.missed, .succeeded])
        #expect(history.map(\.scheduledAt) == ["2026-09-01T10:00:00Z", "2026-09-01T11:00:00Z"])
        #expect(
            history.first?.summary
                == "missed 2 scheduled times from 2026-09-01T09:00:00Z to 2026-09-01T10:00:00Z: no scheduler ran them within the catch-up deadline of 2h")
    }

    @Test func catchUpBeyondDeadlineRecordsMissed() throws {
        let fixture = SchedulerFixture()
        try fixture.add("hourly", cron: "0 * * * *", command: "echo ran", catchUp: 10 * 60)
        fixture.clock.advance(by: 3.5 * 3_600)

        try fixture.scheduler.tick()

        let history = try fixture.history("hourly")
        #expect(history.map(\.status) == [.missed])
        #expect(history.first?.scheduledAt == "2026-09-01T11:00:00Z")
        #expect(history.first?.startedAt == nil)
    }

    @Test func disabledScheduleDoesNotCatchUpWhenEnabled() throws {
        let fixture = SchedulerFixture()
        try fixture.add("hourly", cron: "0 * * * *", command: "echo ran", catchUp: 86_400)
        try fixture.directory.setScheduleEnabled(false, named: "hourly")
        fixture.clock.advance(by: 3 * 3_600)
        try fixture.scheduler.tick()
        try fixture.directory.setScheduleEnabled(true, named: "hourly")

        try fixture.scheduler.tick()

        #expect(try fixture.history("hourly").isEmpty)
    }

    // MARK: - Overlap

    @Test func overlapForbidSkipsNewRun() throws {
        let fixture = SchedulerFixture()
        try fixture.add("slow", cron: "*/5 * * * *", command: "sleep 2; echo done", overlap: .forbid)
        fixture.clock.advance(by: 5 * 60)
        try fixture.scheduler.startDueRuns(at: fixture.clock.now)
        fixture.clock.advance(by: 5 * 60)

        try fixture.scheduler.startDueRuns(at: fixture.clock.now)
        fixture.scheduler.waitForActiveRuns()

        let history = try fixture.history("slow")
        #expect(history.map(\.status) == [.succeeded, .skipped])
        #expect(history.last?.summary == "skipped: the run scheduled at 2026-09-01T08:05:00Z was still running and the overlap policy is forbid")
    }

    @Test func overlapAllowRunsBoth() throws {
        let fixture = SchedulerFixture()
        try fixture.add("slow", cron: "*/5 * * * *", command: "sleep 1; echo done", overlap: .allow)
        fixture.clock.advance(by: 5 * 60)
        try fixture.scheduler.startDueRuns(at: fixture.clock.now)
        fixture.clock.advance(by: 5 * 60)

        try fixture.scheduler.startDueRuns(at: fixture.clock.now)
        fixture.scheduler.waitForActiveRuns()

        #expect(try fixture.history("slow").map(\.status) == [.succeeded, .succeeded])
    }

    @Test func overlapReplaceInterruptsOldRun() throws {
        let fixture = SchedulerFixture()
        let marker = fixture.base.folder.file("started")
        try fixture.add("slow", cron: "*/5 * * * *", command: "if [ -e '\(marker)' ]; then echo second; else touch '\(marker)'; sleep 30; fi", overlap: .replace)
        fixture.clock.advance(by: 5 * 60)
        try fixture.scheduler.startDueRuns(at: fixture.clock.now)
        fixture.clock.advance(by: 5 * 60)

        try fixture.scheduler.startDueRuns(at: fixture.clock.now)
        fixture.scheduler.waitForActiveRuns()

        let history = try fixture.history("slow")
        #expect(history.map(\.status) == [.interrupted, .succeeded])
        #expect(history.first?.summary == "replaced by the run scheduled at 2026-09-01T08:10:00Z")
        #expect(history.first?.exitCode == 143)
    }

    // MARK: - Failures and stopping

    @Test func failedRunQueuesNoticeWithLogTail() throws {
        let notice = ScheduleFailureNotice(
            from: try Mailbox(name: "Lanyard scheduler", address: "office@castlemead.sch.uk"), to: try Mailbox(address: "admin@castlemead.sch.uk"))
        let fixture = SchedulerFixture(notice: notice)
        try fixture.add("broken", cron: "*/5 * * * *", command: "for i in $(seq 1 25); do echo line $i; done; exit 3")
        fixture.clock.advance(by: 5 * 60)

        try fixture.scheduler.tick()

        let run = try #require(try fixture.history("broken").first)
        #expect(run.status == .failed)
        #expect(run.exitCode == 3)
        #expect(run.summary == "line 25")
        let entries = try fixture.directory.outboxEntries()
        #expect(entries.count == 1)
        #expect(entries.first?.purpose == ScheduleFailureNotice.purpose)
        #expect(entries.first?.recipient == "admin@castlemead.sch.uk")
        #expect(entries.first?.subject == "Lanyard: scheduled run of 'broken' failed")
        let message = String(decoding: try fixture.directory.outboxMessage(id: try #require(entries.first?.id)), as: UTF8.self)
        #expect(message.contains("Exit code: 3"))
        #expect(message.contains("line 6"))
        #expect(!message.contains("line 5\r\n"))
    }

    @Test func successfulRunQueuesNoNotice() throws {
        let notice = ScheduleFailureNotice(from: try Mailbox(address: "office@castlemead.sch.uk"), to: try Mailbox(address: "admin@castlemead.sch.uk"))
        let fixture = SchedulerFixture(notice: notice)
        try fixture.add("fine", cron: "*/5 * * * *", command: "echo ok")
        fixture.clock.advance(by: 5 * 60)

        try fixture.scheduler.tick()

        #expect(try fixture.directory.outboxEntries().isEmpty)
    }

    @Test func stopAfterGraceInterruptsRun() throws {
        let fixture = SchedulerFixture(graceSeconds: 1)
        try fixture.add("slow", cron: "*/5 * * * *", command: "echo working; sleep 30")
        fixture.clock.advance(by: 5 * 60)
        try fixture.scheduler.startDueRuns(at: fixture.clock.now)

        fixture.scheduler.requestStop()
        fixture.scheduler.waitForActiveRuns()

        let run = try #require(try fixture.history("slow").first)
        #expect(run.status == .interrupted)
        #expect(run.exitCode == 143)
        #expect(run.summary == "interrupted: the scheduler was stopped and the run did not finish within the grace period of 1s")
    }

    @Test func abandonedRunIsMarkedInterrupted() throws {
        let fixture = SchedulerFixture()
        let schedule = try fixture.add("report", cron: "*/5 * * * *", command: "true")
        _ = try fixture.directory.claimRun(schedule: schedule, scheduledAt: utc("2026-09-01T07:55:00Z"), advancing: false)

        try fixture.scheduler.tick()

        let run = try #require(try fixture.history("report").first)
        #expect(run.status == .interrupted)
        #expect(run.summary == "the scheduler stopped before this run finished; check the log for how far it got")
    }

    // MARK: - Adding

    @Test func duplicateNameIsRejected() throws {
        let fixture = SchedulerFixture()
        try fixture.add("report", cron: "@daily", command: "true")
        #expect(throws: ScheduleError.alreadyExists(name: "report")) { try fixture.add("report", cron: "@hourly", command: "true") }
    }

    @Test func pastOneOffIsRejected() throws {
        let fixture = SchedulerFixture()
        let schedule = Schedule(name: "old", timing: .once(try LocalDateTime(parsing: "2026-08-31 07:30")), script: "true")
        #expect(throws: ScheduleError.neverRuns(name: "old", timing: "once at 2026-08-31 07:30")) { try fixture.directory.addSchedule(schedule) }
    }

    @Test(arguments: ["", "-x", "two words", "ü-name"])
    func invalidNameIsRejected(_ name: String) throws {
        let schedule = Schedule(name: name, timing: .cron(try CronExpression(parsing: "@daily")), script: "true")
        #expect(throws: ScheduleError.invalidName(name)) { try schedule.validate() }
    }
}
