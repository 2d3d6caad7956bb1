import Domain
import Foundation
import Testing

/// A `lanyard` process left running in the background, with its output in files.
final class BackgroundLanyard {
    let process = Process()
    let outputPath: String
    let errorPath: String

    init(_ arguments: [String], in folder: WorkFolder) throws {
        outputPath = (folder.path as NSString).appendingPathComponent("background-\(UUID().uuidString).out")
        errorPath = outputPath + ".err"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: LanyardProcess.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LANYARD_DB")
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var errorText: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for the process to end and returns its status, or nil.
    func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// Polls `condition` every 100 ms for up to `seconds`.
func eventually(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}

@Suite(.serialized) struct SchedulerCommandTests {
    /// Adds an every-minute schedule and moves its checked instant to just before the start of
    /// the current minute, as if the scheduler had been down, so that exactly one time is due.
    func addDueSchedule(_ folder: WorkFolder, name: String, script: String) throws {
        let added = try folder.run(["--db", "t.db", "schedule", "add", name, "--cron", "* * * * *", "--script", script, "--catch-up", "1h"])
        #expect(added.status == 0, "\(added.error)")
        let directory = try Directory(path: (folder.path as NSString).appendingPathComponent("t.db"))
        try directory.database.execute(
            "UPDATE schedules SET checked_until = ?1 WHERE name = ?2", [Timestamp.format(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 1)), name])
    }

    func history(_ folder: WorkFolder, _ name: String) throws -> [[String: Any]] {
        let result = try folder.run(["--db", "t.db", "--json", "schedule", "history", name])
        return (try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]) ?? []
    }

    @Test func secondSchedulerIsRejectedWhileFirstRuns() throws {
        let folder = WorkFolder()
        let first = try BackgroundLanyard(["--db", "t.db", "scheduler"], in: folder)
        let lockFile = (folder.path as NSString).appendingPathComponent("t.db.scheduler-lock")
        #expect(eventually(seconds: 20) { ((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains("\(first.process.processIdentifier)") })

        let second = try folder.run(["--db", "t.db", "scheduler"])
        let tick = try folder.run(["--db", "t.db", "scheduler", "tick"])

        #expect(second.status == 75)
        #expect(second.error.contains("error: another scheduler is running on this directory (process \(first.process.processIdentifier)): it holds '"))
        #expect(tick.status == 75)
        first.process.terminate()
        #expect(first.waitForExit(seconds: 20) == 0)
    }

    @Test func sigtermDuringRunMarksItInterrupted() throws {
        let folder = WorkFolder()
        folder.write("lanyard.config.lua", "scripts = { instruction_limit = 10000000000 }\nscheduler = { grace_seconds = 1 }\n")
        folder.write("busy.lua", "print('started')\nlocal start = os.clock()\nwhile os.clock() - start < 60 do end\nprint('finished')\n")
        try addDueSchedule(folder, name: "busy", script: "busy.lua")
        let scheduler = try BackgroundLanyard(["--db", "t.db", "scheduler"], in: folder)
        #expect(try eventually(seconds: 30) { try history(folder, "busy").first?["status"] as? String == "running" })

        scheduler.process.terminate()
        let status = scheduler.waitForExit(seconds: 30)

        #expect(status == 0, "\(scheduler.errorText)")
        let run = try #require(try history(folder, "busy").first)
        #expect(run["status"] as? String == "interrupted")
        #expect(run["exitCode"] as? Int == 143)
        #expect(run["summary"] as? String == "interrupted: the scheduler was stopped and the run did not finish within the grace period of 1s")
    }

    @Test func tickTwiceAtOnceRunsJobOnce() throws {
        let folder = WorkFolder()
        folder.write("hello.lua", "print('hello from the schedule')\n")
        try addDueSchedule(folder, name: "hello", script: "hello.lua")

        let ticks = try [BackgroundLanyard(["--db", "t.db", "scheduler", "tick"], in: folder), BackgroundLanyard(["--db", "t.db", "scheduler", "tick"], in: folder)]
        let statuses = ticks.map { $0.waitForExit(seconds: 60) }
        let again = try folder.run(["--db", "t.db", "scheduler", "tick"])

        for status in statuses { #expect(status == 0 || status == 75) }
        #expect(again.status == 0)
        let runs = try history(folder, "hello")
        #expect(runs.count == 1)
        #expect(runs.first?["status"] as? String == "succeeded")
        #expect(runs.first?["summary"] as? String == "hello from the schedule")
    }

    @Test func addWithInvalidCronExitsUsage() throws {
        let folder = WorkFolder()
        folder.write("hello.lua", "print('hello')\n")

        let result = try folder.run(["--db", "t.db", "schedule", "add", "bad", "--cron", "0 25 * * *", "--script", "hello.lua"])

        #expect(result.status == 64)
        #expect(result.error == "error: invalid cron expression '0 25 * * *': hour '25' is outside 0-23\n")
    }

    @Test func nextListsLocalAndUTCTimes() throws {
        let folder = WorkFolder()
        folder.write("hello.lua", "print('hello')\n")
        _ = try folder.run(["--db", "t.db", "schedule", "add", "sydney", "--cron", "30 2 * * *", "--script", "hello.lua", "--time-zone", "Australia/Sydney", "--from", "2030-01-01"])

        let result = try folder.run(["--db", "t.db", "--json", "schedule", "next", "sydney", "--count", "2"])

        let times = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: String]])
        #expect(times.map { $0["local"] ?? "" } == ["2030-01-01 02:30 +11:00", "2030-01-02 02:30 +11:00"])
        #expect(times.map { $0["utc"] ?? "" } == ["2029-12-31T15:30:00Z", "2030-01-01T15:30:00Z"])
    }

    @Test func unknownScheduleExitsInputMissing() throws {
        let folder = WorkFolder()
        let result = try folder.run(["--db", "t.db", "schedule", "show", "nothing"])
        #expect(result.status == 66)
        #expect(result.error == "error: no schedule named 'nothing'; list the schedules with 'lanyard schedule list'\n")
    }
}
