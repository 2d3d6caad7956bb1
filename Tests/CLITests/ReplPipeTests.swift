import Foundation
import Testing

/// `lanyard repl` with statements piped in: no prompts, results alone, exit status 1 on errors.
@Suite("lanyard repl on a pipe")
struct ReplPipeTests {
    static let zoe = "B801200005001"

    /// Creates a folder with a school of three students: two in Year 7, one in Year 8.
    static func school() throws -> WorkFolder {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead"])
        folder.write(
            "students.csv",
            "UPN,Surname,Forename,Year,Reg,Email\n\(zoe),Ní Bhriain,Zoë,7,7A,zoe@example.org\n"
                + "Q801200005002,Nowak,Łukasz,7,7B,\nE801200005003,Smith,Jo,8,8A,\n")
        let imported = try folder.run(["import", "csv", "--kind", "students", "students.csv"])
        #expect(imported.status == 0, "import failed: \(imported.error)")
        return folder
    }

    static func repl(_ folder: WorkFolder, _ input: String, _ arguments: [String] = []) throws -> LanyardProcess.Result {
        try folder.run(["repl"] + arguments, environment: ["LANYARD_HISTORY": folder.path + "/history"], input: input)
    }

    // MARK: - Evaluation

    @Test("a printed count is the only output")
    func printedCount() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "print(users.select(\"year:7\"):count())\n")
        #expect(result.status == 0)
        #expect(result.output == "2\n")
        #expect(result.error == "")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/history"))
    }

    @Test(
        "expression values are printed",
        arguments: [
            ("1 + 1", "2\n"),
            ("'plain text'", "plain text\n"),
            ("1, 'two', nil", "1\ttwo\tnil\n"),
            ("0.5 * 2", "1.0\n"),
            ("{ 1, 2, name = 'Zoë', [\"two words\"] = true }", "{ 1, 2, name = \"Zoë\", [\"two words\"] = true }\n"),
            ("{}", "{}\n"),
            ("users.get('\(zoe)')", "User(\(zoe), Zoë Ní Bhriain; student, year 7, 7A, zoe@example.org)\n"),
            ("school.name", "Castle Mead\n"),
            ("print", "<function>\n"),
        ])
    func expressionPrinted(input: String, expected: String) throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, input + "\n")
        #expect(result.error == "")
        #expect(result.output == expected)
    }

    @Test("a selection prints its count and a table of its first people")
    func selectionPrinted() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "users.select('year:7')\n")
        #expect(
            result.output == """
                Selection "year:7": 2 people
                Key            Name            Role     Year  Reg  Email
                -------------  --------------  -------  ----  ---  ---------------
                B801200005001  Zoë Ní Bhriain  student     7  7A   zoe@example.org
                Q801200005002  Łukasz Nowak    student     7  7B

                """)
    }

    @Test("a long table breaks onto one entry per line")
    func longTablePrinted() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "t = {} for i = 1, 30 do t['key' .. i] = i end\nt\n")
        let lines = result.output.split(separator: "\n")
        #expect(lines.first == "{")
        #expect(lines.last == "}")
        #expect(lines.count == 32)
        #expect(lines.contains("  key10 = 10,"))
    }

    // MARK: - Errors

    @Test("errors go to standard error with status 1")
    func errorsAndStatus() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "nosuch()\nprint('after')\nx = = 1\n")
        #expect(result.status == 1)
        #expect(result.output == "after\n")
        #expect(
            result.error == """
                error: repl:1: attempt to call a nil value (global 'nosuch')
                error: repl:1: unexpected symbol near '='

                """)
    }

    @Test("an unknown command and unknown help are errors")
    func unknownCommand() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, ":frobnicate\n:help users.nosuch\n")
        #expect(result.status == 1)
        #expect(
            result.error == """
                error: unknown command ':frobnicate'; type :help for the commands, or drop the ':' to run Lua
                error: no help for 'users.nosuch'; type :help to list the modules, types and commands

                """)
    }

    @Test("help shows a function's documentation, and quit stops reading")
    func helpAndQuit() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, ":help users.select\n:quit\nprint('not run')\n")
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("### users.select(query)\n\nSelects people with the selection syntax."))
        #expect(!result.output.contains("not run"))
    }

    // MARK: - Multi-line chunks

    @Test("a function typed over several lines is defined")
    func multiLineFunction() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "function double(n)\n  return n * 2\nend\ndouble(21)\n")
        #expect(result.status == 0)
        #expect(result.output == "42\n")
    }

    @Test("an unfinished chunk at the end of input is an error")
    func unfinishedChunk() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "for i = 1, 2 do\n  print(i)\n")
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.error == "error: repl:2: 'end' expected (to close 'for' at line 1) near <eof>\n")
    }

    // MARK: - Transactions

    static let regenerate = "codes.regenerate(users.select('year:7'))"

    /// Runs `sql` on the folder's directory with the sqlite3 command, returning its output.
    static func query(_ folder: WorkFolder, _ sql: String) throws -> String {
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [folder.path + "/lanyard.db", sql]
        let pipe = Pipe()
        sqlite.standardOutput = pipe
        try sqlite.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        sqlite.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Regenerations in the audit log, which only a committed regeneration leaves.
    static func regenerations(_ folder: WorkFolder) throws -> String {
        try query(folder, "SELECT count(*) FROM audit_log WHERE action = 'codes.regenerate'")
    }

    @Test("each statement is saved on its own")
    func statementSaved() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, Self.regenerate + "\nerror('later')\n")
        #expect(result.status == 1)
        #expect(try Self.regenerations(folder) == "1")
    }

    @Test("begin and commit save the statements between them")
    func beginCommit() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "begin()\n\(Self.regenerate)\n\(Self.regenerate)\ncommit()\n")
        #expect(result.status == 0)
        #expect(result.error == "Transaction open: the next statements are saved together by commit(), or undone by rollback().\nCommitted.\n")
        #expect(try Self.regenerations(folder) == "2")
    }

    @Test("rollback undoes the statements since begin")
    func beginRollback() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "begin()\n\(Self.regenerate)\nrollback()\n")
        #expect(result.status == 0)
        #expect(try Self.regenerations(folder) == "0")
    }

    @Test("a transaction left open at the end of input is rolled back")
    func openTransactionRolledBack() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "begin()\n\(Self.regenerate)\n")
        #expect(result.status == 0)
        #expect(
            result.error.hasSuffix(
                "warning: the input ended before commit(), so the open transaction was rolled back; end the input with commit() to save it\n"))
        #expect(try Self.regenerations(folder) == "0")
    }

    // MARK: - Dry run

    @Test("a dry run rolls back each statement and lists what it would change")
    func dryRun() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, Self.regenerate + ".issued\n", ["--dry-run"])
        #expect(result.status == 0)
        #expect(result.output == "4\n")
        #expect(result.error.hasPrefix("Dry run: rolled back; it would have changed "))
        #expect(result.error.contains("(credentials rows +4)."))
        #expect(result.error.contains("  would record: codes.regenerate: 2 students, selection: year:7\n"))
        #expect(try Self.regenerations(folder) == "0")
    }

    @Test("begin is rejected in a dry run")
    func dryRunBegin() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "begin()\n", ["--dry-run"])
        #expect(result.status == 1)
        #expect(
            result.error
                == "error: repl:1: begin() is not available in a dry run, where every statement is rolled back; restart the REPL without --dry-run to group statements\n"
        )
    }

    // MARK: - Audit

    @Test("reading a code is audited as repl")
    func codeReadAudited() throws {
        let folder = try Self.school()
        let result = try Self.repl(folder, "result = " + Self.regenerate + "\nprint(codes.pin(users.get('\(Self.zoe)')) ~= nil)\n")
        #expect(result.output == "true\n")
        #expect(try Self.query(folder, "SELECT DISTINCT via FROM audit_log WHERE action LIKE '%read%'") == "repl")
    }
}
