import Foundation
import Testing

/// The malformed-input corpus against the real binary: each case runs on a copy of one
/// prepared school and must fail with the pinned status and message, leaving every row as it was.
@Suite("malformed input is rejected and changes nothing")
struct MalformedInputTests {
    @Test(arguments: MalformedInputCorpus.all)
    func rejected(_ input: MalformedInputCase) throws {
        // Prepare: a copy of the school's database and the case's files.
        let school = try PreparedSchool.folder.get()
        let folder = WorkFolder()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: school + "/lanyard.db" + suffix) {
            try FileManager.default.copyItem(atPath: school + "/lanyard.db" + suffix, toPath: folder.path + "/lanyard.db" + suffix)
        }
        for file in input.files {
            try file.write(into: folder.path)
        }
        let before = try DatabaseDump.lines(of: folder.path + "/lanyard.db")

        // Run
        let result = try folder.run(input.arguments)

        // Status, message and rows
        #expect(result.status == input.status, "stderr was: \(result.error)")
        for fragment in input.messages {
            #expect(result.error.contains(fragment), "stderr was: \(result.error)")
        }
        let after = try DatabaseDump.lines(of: folder.path + "/lanyard.db")
        let added = after.filter { !Set(before).contains($0) }
        let removed = before.filter { !Set(after).contains($0) }
        #expect(before == after, "rows added: \(added); rows removed: \(removed)")
    }

    @Test("the corpus has at least 30 cases, with unique names")
    func corpusSize() {
        let names = MalformedInputCorpus.all.map(\.name)
        #expect(names.count >= 30)
        #expect(Set(names).count == names.count)
    }
}

// MARK: - The prepared school

/// A small school imported once per test process, whose database every case copies. It has two
/// forms of Year 7 and one of Year 8, a parent linked to a student, a teacher, codes already
/// read (so the audit log has rows) and a schedule.
enum PreparedSchool {
    /// Removed when the test process exits.
    static let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("lanyard-malformed-\(getpid())")

    static let folder: Result<String, any Error> = Result {
        try prepare()
        atexit { try? FileManager.default.removeItem(atPath: PreparedSchool.path) }
        return path
    }

    static let students = """
        UPN,Legal Surname,Legal Forename,Year,Reg,Email
        B801200005001,Ní Bhriain,Zoë,7,7A,zoe@castlemead.example
        Q801200005002,Okafor,Chidi,7,7B,chidi@castlemead.example
        E801200005003,Smith,Jo,8,8A,

        """
    static let contacts = """
        UPN,Contact Forename,Contact Surname,Relationship,Priority,Contact Email
        B801200005001,Aoife,Ní Bhriain,Mother,1,aoife@home.example

        """
    static let staff = """
        Staff Code,Surname,Forename,Email
        JMS,Smith,Jane,jsmith@castlemead.example

        """

    private static func prepare() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let files = ["students.csv": students, "contacts.csv": contacts, "staff.csv": staff, "job.lua": "print('nightly')\n"]
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(name))
        }
        let steps: [[String]] = [
            ["init", "--school", "Castle Mead Academy", "--dfe", "801/4012", "--sso", "none"],
            ["import", "csv", "--kind", "students", "students.csv"],
            ["import", "csv", "--kind", "contacts", "contacts.csv"],
            ["import", "csv", "--kind", "staff", "staff.csv"],
            ["codes", "show", "--where", "reg:7A"],
            ["schedule", "add", "nightly", "--cron", "30 7 * * MON-FRI", "--script", "job.lua"],
        ]
        for step in steps {
            let result = try LanyardProcess.run(step, in: path)
            guard result.status == 0 else {
                throw CocoaError(
                    .fileWriteUnknown,
                    userInfo: [NSLocalizedDescriptionKey: "preparing the school failed at 'lanyard \(step.joined(separator: " "))': \(result.error)"])
            }
        }
    }
}

/// Every row of every table, as the sqlite3 command-line shell's `.dump` writes them.
enum DatabaseDump {
    static func lines(of database: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", database, ".dump"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "sqlite3 .dump of '\(database)' exited with \(process.terminationStatus)"])
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
