import Domain
import Foundation
import Storage
import Testing

/// The scheduler (with its child `lanyard run` processes), a REPL session on a pipe and the CLI
/// write to one directory at the same time. No writer may fail with "database is locked", and
/// every write that each of them reported must be in the database afterwards.
///
/// Each writer regenerates the codes of a student of its own, so the credentials rows of that
/// student count its writes: every regeneration voids the student's two codes and adds two.
@Suite("Reliability: concurrent writers", .serialized)
struct ReliabilityConcurrencyTests {
    /// A scheduled job: every code of one year group, then `args.rounds` regenerations of one
    /// student, all in the run's one transaction.
    ///
    /// NOTE: each job holds the write lock for well under the 10-second busy timeout. A longer
    /// transaction makes the other writers exit 75, a case this test does not exercise.
    static let scheduledScript = """
        codes.regenerate("year:" .. args.year)
        for round = 1, tonumber(args.rounds) do
          codes.regenerate("upn:" .. args.upn)
        end

        """
    static let rounds = 20

    @Test("scheduler, REPL and CLI for 10 seconds: nothing locked, nothing lost")
    func writersForTenSeconds() throws {
        try writeAtOnce(seconds: 10, schedules: 2, students: 1_000)
    }

    @Test(
        "scheduler, REPL and CLI for one minute: nothing locked, nothing lost",
        .enabled(if: Reliability.slowTestsEnabled, "slow: run with make reliability"))
    func writersForOneMinute() throws {
        try writeAtOnce(seconds: 60, schedules: 4, students: 5_000)
    }

    // MARK: - The procedure

    /// Starts the scheduler with `schedules` every-minute jobs (the first run of each due at
    /// once), feeds a REPL and runs CLI commands back to back for `seconds`, then stops them
    /// all and counts what reached the database.
    func writeAtOnce(seconds: Double, schedules: Int, students: Int) throws {
        let folder = try Reliability.generatedSchool(students: students)
        folder.write(
            "lanyard.config.lua",
            "mail = { from_address = \"office@school.example\", transport = \"file\" }\nscheduler = { grace_seconds = 120 }\n")
        folder.write("scheduled.lua", Self.scheduledScript)
        let database = try Database(path: folder.path + "/lanyard.db")

        // A Year 13 student of their own for each writer, because the jobs' year groups are 7 upwards
        let upns = try database.query(
            "SELECT upn FROM users WHERE role = 'student' AND year_group = 13 AND status = 'on-roll' AND email IS NOT NULL ORDER BY id LIMIT ?1",
            [schedules + 3]
        ).compactMap { $0.string("upn") }
        try #require(upns.count == schedules + 3)
        let replStudent = upns[0]
        let cliStudent = upns[1]
        let linkStudent = upns[2]
        let jobStudents = Array(upns[3...])
        let jobYears = (0..<schedules).map { 7 + $0 }

        // Count what is there before
        let credentialsBefore = try Dictionary(uniqueKeysWithValues: upns.map { ($0, try credentials(of: $0, in: database)) })
        let yearCredentialsBefore = try Dictionary(uniqueKeysWithValues: jobYears.map { ($0, try credentials(ofYear: $0, in: database)) })
        let outboxBefore = try outboxCount(for: linkStudent, in: database)

        // Schedules every minute, each with a run due now
        for (index, year) in jobYears.enumerated() {
            let added = try folder.run([
                "schedule", "add", "job\(index)", "--cron", "* * * * *", "--script", "scheduled.lua", "--catch-up", "1h",
                "--arg", "year=\(year)", "--arg", "upn=\(jobStudents[index])", "--arg", "rounds=\(Self.rounds)",
            ])
            try #require(added.status == 0, "\(added.error)")
        }
        let startOfMinute = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
        try database.execute("UPDATE schedules SET checked_until = ?1", [Timestamp.format(startOfMinute.addingTimeInterval(-1))])

        // Write from all three at once
        let started = Date()
        let scheduler = try BackgroundLanyard(["scheduler"], in: folder)
        let repl = try PipedRepl(in: folder)
        repl.send("count = 0")
        var replStatements = 0
        var cliRegenerations = 0
        var linkSends = 0
        var cliFailures: [String] = []
        while Reliability.seconds(since: started) < seconds {
            repl.send("codes.regenerate('upn:\(replStudent)'); count = count + 1")
            replStatements += 1
            let regenerated = try folder.run(["codes", "regenerate", "--where", "upn:\(cliStudent)"])
            if regenerated.status == 0 {
                cliRegenerations += 1
            } else {
                cliFailures.append("codes regenerate exited \(regenerated.status): \(regenerated.error)")
            }

            repl.send("codes.regenerate('upn:\(replStudent)'); count = count + 1")
            replStatements += 1
            let sent = try folder.run(["links", "send", "--where", "upn:\(linkStudent)", "--resend", "--no-deliver"])
            if sent.status == 0 { linkSends += 1 } else { cliFailures.append("links send exited \(sent.status): \(sent.error)") }
        }
        let cliSeconds = Reliability.seconds(since: started)
        repl.send("print('statements committed: ' .. count)")
        let replStatus = try repl.finish(waitingAtMost: 120)
        scheduler.process.terminate()
        let schedulerStatus = scheduler.waitForExit(seconds: 180)

        // Nobody failed
        #expect(cliFailures.isEmpty, "\(cliFailures.count) CLI commands failed, the first: \(cliFailures.first ?? "")")
        #expect(replStatus == 0)
        #expect(repl.errorText == "")
        #expect(repl.outputText == "statements committed: \(replStatements)\n")
        #expect(schedulerStatus == 0)
        #expect(!scheduler.errorText.contains("locked"), "\(scheduler.errorText)")
        #expect(!scheduler.errorText.contains("error:"), "\(scheduler.errorText)")

        // Every job ran and succeeded, at least once
        var jobRuns: [Int] = []
        for index in 0..<schedules {
            let runs = try database.query(
                "SELECT r.status, r.summary FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id WHERE s.name = ?1",
                ["job\(index)"])
            #expect(!runs.isEmpty, "job\(index) never ran")
            for run in runs where run.string("status") != "succeeded" {
                Issue.record("a run of job\(index) ended \(run.string("status") ?? "?"): \(run.string("summary") ?? "")")
            }
            jobRuns.append(runs.count)
        }

        // Every reported write is in the directory
        #expect(try credentials(of: replStudent, in: database) == credentialsBefore[replStudent]! + 2 * replStatements)
        #expect(try credentials(of: cliStudent, in: database) == credentialsBefore[cliStudent]! + 2 * cliRegenerations)
        #expect(try outboxCount(for: linkStudent, in: database) == outboxBefore + linkSends)
        for (index, upn) in jobStudents.enumerated() {
            #expect(try credentials(of: upn, in: database) == credentialsBefore[upn]! + 2 * Self.rounds * jobRuns[index], "job\(index)")
        }
        for (index, year) in jobYears.enumerated() {
            let onRoll =
                try database.scalar(
                    "SELECT count(*) FROM users WHERE role = 'student' AND year_group = ?1 AND status = 'on-roll'", [year])?.intValue ?? 0
            #expect(
                try credentials(ofYear: year, in: database) == yearCredentialsBefore[year]! + 2 * onRoll * jobRuns[index], "Year \(year)")
        }

        Reliability.record(
            String(format: "concurrent writers for %.0f s: ", cliSeconds)
                + "CLI \(cliRegenerations) code regenerations and \(linkSends) link sends, REPL \(replStatements) statements, "
                + "scheduler \(jobRuns.reduce(0, +)) runs of \(schedules) jobs (\(jobRuns)); \(cliFailures.count) CLI failures")
    }

    // MARK: - Counting

    func credentials(of upn: String, in database: Database) throws -> Int {
        try database.scalar("SELECT count(*) FROM credentials c JOIN users u ON u.id = c.student_id WHERE u.upn = ?1", [upn])?.intValue ?? 0
    }

    func credentials(ofYear year: Int, in database: Database) throws -> Int {
        try database.scalar(
            "SELECT count(*) FROM credentials c JOIN users u ON u.id = c.student_id WHERE u.year_group = ?1 AND u.status = 'on-roll'",
            [year]
        )?.intValue ?? 0
    }

    func outboxCount(for upn: String, in database: Database) throws -> Int {
        try database.scalar("SELECT count(*) FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.upn = ?1", [upn])?.intValue ?? 0
    }
}
