import Foundation
import Testing

/// An import and a script run killed with SIGKILL at several points. Each kill must leave the
/// directory exactly as it was before, or exactly as a whole run leaves it when the kill came
/// after the commit, and never part-written. The comparison covers every row and schema line
/// that `sqlite3 lanyard.db .dump` writes, and `lanyard` must open the file afterwards.
@Suite("Reliability: SIGKILL during an import or a script run", .serialized)
struct ReliabilityTransactionTests {
    /// A script that rewrites much of the directory in its one transaction: every student's
    /// codes, `args.rounds` times, then every student's email from a CSV it writes.
    static let rewritingScript = """
        local rounds = tonumber(args.rounds)
        for round = 1, rounds do
          codes.regenerate("role:student")
        end
        local lines = { "UPN,Email" }
        for student in users.select("role:student"):each() do
          lines[#lines + 1] = student.upn .. ",renamed." .. student.id .. "@school.example"
        end
        files.write("emails.csv", table.concat(lines, "\\r\\n") .. "\\r\\n")
        users.update_emails("emails.csv")

        """

    // MARK: - The oracle

    /// The kill tests pass only if the comparison can fail: a row changed by hand, as a partial
    /// write would change it, must be reported.
    @Test("harness reports a row changed by hand as a partial write")
    func partialWriteIsReported() throws {
        let harness = try scriptHarness(students: 50, rounds: 1)
        try harness.runToEnd()
        try harness.restore()

        _ = try SQLiteShell.run(
            harness.database,
            "UPDATE users SET email = 'changed@school.example' WHERE id = (SELECT min(id) FROM users WHERE role = 'student')")

        #expect(harness.state(of: try DatabaseSnapshot(path: harness.database)) == .partial(["users: 1 rows removed, 1 added"]))
    }

    // MARK: - Imports

    @Test("OneRoster import of 4,000 students killed at 50% and at its commit")
    func oneRosterImportKilledOnce() throws {
        let harness = try oneRosterHarness(existing: 1_000, incoming: 4_000)
        let attempts = try harness.checkAllOrNothing(at: [.elapsed(0.5), .walFirstWritten])
        Reliability.record("OneRoster import of 4,000 students into 1,000: " + harness.summary(attempts))
    }

    @Test(
        "OneRoster import of 20,000 students killed early, midway, late and during its commit",
        .enabled(if: Reliability.slowTestsEnabled, "slow: run with make reliability"))
    func oneRosterImportKilledAtFivePoints() throws {
        let harness = try oneRosterHarness(existing: 5_000, incoming: 20_000)
        let attempts = try harness.checkAllOrNothing(at: [.elapsed(0.1), .elapsed(0.5), .elapsed(0.9), .walFirstWritten, .walHalfWritten])
        Reliability.record("OneRoster import of 20,000 students into 5,000: " + harness.summary(attempts))
    }

    @Test(
        "MIS CSV import of 100,000 rows killed early, midway, late and during its commit",
        .enabled(if: Reliability.slowTestsEnabled, "slow: run with make reliability"))
    func misCSVImportKilledAtFivePoints() throws {
        let folder = try Reliability.generatedSchool(students: 5_000)
        let generator = LanyardProcess.packageRoot.appendingPathComponent("bench/gen-mis-csv.py").path
        let generated = try Process.run(
            URL(fileURLWithPath: "/usr/bin/python3"), arguments: [generator, folder.path + "/students.csv", "--rows", "100000"])
        generated.waitUntilExit()
        try #require(generated.terminationStatus == 0)

        let harness = try TransactionKillHarness(folder: folder, arguments: ["import", "csv", "--kind", "students", "students.csv"])
        let attempts = try harness.checkAllOrNothing(at: [.elapsed(0.1), .elapsed(0.5), .elapsed(0.9), .walFirstWritten, .walHalfWritten])
        Reliability.record("MIS CSV import of 100,000 rows into 5,000 students: " + harness.summary(attempts))
    }

    /// Makes a school of `existing` students and a harness that imports over it the bundle of
    /// another generated school (a different seed) of `incoming` students. Most of its people
    /// are new, and the existing ones are marked left.
    func oneRosterHarness(existing: Int, incoming: Int) throws -> TransactionKillHarness {
        let folder = try Reliability.generatedSchool(students: existing)
        let generated = try folder.run(["demo", "generate", "--students", "\(incoming)", "--seed", "2", "--out", "incoming"])
        try #require(generated.status == 0, "\(generated.error)")
        return try TransactionKillHarness(folder: folder, arguments: ["import", "oneroster", "incoming/oneroster"])
    }

    // MARK: - Script runs

    @Test("script rewriting 1,000 students killed at 50% and at its commit")
    func scriptRunKilledOnce() throws {
        let harness = try scriptHarness(students: 1_000, rounds: 2)
        let attempts = try harness.checkAllOrNothing(at: [.elapsed(0.5), .walFirstWritten])
        Reliability.record("script run over 1,000 students: " + harness.summary(attempts))
    }

    @Test(
        "script rewriting 5,000 students killed early, midway, late and during its commit",
        .enabled(if: Reliability.slowTestsEnabled, "slow: run with make reliability"))
    func scriptRunKilledAtFivePoints() throws {
        let harness = try scriptHarness(students: 5_000, rounds: 3)
        let attempts = try harness.checkAllOrNothing(at: [.elapsed(0.1), .elapsed(0.5), .elapsed(0.9), .walFirstWritten, .walHalfWritten])
        Reliability.record("script run over 5,000 students: " + harness.summary(attempts))
    }

    func scriptHarness(students: Int, rounds: Int) throws -> TransactionKillHarness {
        let folder = try Reliability.generatedSchool(students: students)
        folder.write("rewrite.lua", Self.rewritingScript)
        return try TransactionKillHarness(folder: folder, arguments: ["run", "rewrite.lua", "--arg", "rounds=\(rounds)"])
    }
}
