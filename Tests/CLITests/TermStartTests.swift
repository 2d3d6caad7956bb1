import Foundation
import Testing

/// The flagship workflow, scripts/term-start.lua, on real public files: the largest OneRoster
/// users file in ../shared/samples (1,187 students, 812 parents linked to them) and the DfE
/// CTF files, with delivery over SMTP to a real aiosmtpd server on 127.0.0.1.
@Suite("term-start on real input", .serialized)
struct TermStartTests {
    static let samples = LanyardProcess.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples").path
    static var samplesPresent: Bool { FileManager.default.fileExists(atPath: samples) }

    /// Puts the samples into a workspace: the generated users file as a bundle's users.csv.
    static func prepare(_ folder: WorkFolder, smtpPort: Int) throws {
        let fileManager = FileManager.default
        let bundle = folder.path + "/out/bundle"
        try fileManager.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        let source = samples + "/oneroster/nicelion-oneroster-mocker/outputs"
        try fileManager.copyItem(atPath: source + "/orgs.csv", toPath: bundle + "/orgs.csv")
        try fileManager.copyItem(atPath: source + "/test-csv.csv", toPath: bundle + "/users.csv")
        try fileManager.createDirectory(atPath: folder.path + "/out/ctf", withIntermediateDirectories: true)
        for name in ["y12.xml", "y7_2_students.xml", "y7_partial.xml", "y7_spaced_numbers.xml"] {
            try fileManager.copyItem(
                atPath: samples + "/uk-mis/TheGryphonSchool-cloudschool-CTF-parser/CTFs/" + name, toPath: folder.path + "/out/ctf/" + name)
        }
        folder.write(
            "lanyard.config.lua",
            """
            mail = {
              transport = "smtp", smtp_url = "smtp://127.0.0.1:\(smtpPort)", smtp_require_tls = false,
              from_address = "office@school.example", from_name = "Fredy VonRueden Academy", messages_per_minute = 0,
            }

            """)
    }

    @Test("every message reaches the right person once, and a rerun sends nothing", .enabled(if: samplesPresent, "skipped: ../shared/samples is not beside the project"))
    func realInput() throws {
        let server = try SMTPTestServer()
        let folder = WorkFolder()
        try Self.prepare(folder, smtpPort: server.port)

        // The bundle first, then the CTF pupils into its school.
        let bundle = try folder.run(["import", "oneroster", "out/bundle"])
        #expect(bundle.status == 0, "\(bundle.error)")
        for name in ["y12.xml", "y7_2_students.xml", "y7_partial.xml", "y7_spaced_numbers.xml"] {
            let ctf = try folder.run(["import", "ctf", "out/ctf/" + name])
            #expect(ctf.status == 0, "\(ctf.error)")
        }

        let first = try folder.run(["run", "term-start.lua", "--time-limit", "600"])
        #expect(first.status == 0, "\(first.error)")
        let messages = try server.received()

        // Student links: one per student with an email, to that student's own address.
        let database = folder.path + "/lanyard.db"
        let studentEmails = try sqlite(database, "SELECT lower(email) FROM users WHERE role = 'student' AND email IS NOT NULL")
        let studentsByEmail = Dictionary(grouping: studentEmails, by: { $0 }).mapValues(\.count)
        let links = messages.filter { $0.subject.contains("password") || $0.text.contains("set-password") }
        #expect(links.count == 1187)
        // One link per student: an address gets as many as the students who have it (the
        // generated file gives two students one address).
        for (address, received) in Dictionary(grouping: links, by: { $0.to.lowercased() }) {
            #expect(received.count == studentsByEmail[address], "\(address) got \(received.count) links for \(studentsByEmail[address] ?? 0) students")
        }

        // Parent invitations: each code in a message belongs to a child of a parent with that address.
        let invitations = messages.filter { $0.text.contains("Register as a parent") }
        #expect(!invitations.isEmpty)
        #expect(Set(invitations.map { $0.to.lowercased() }).count == invitations.count, "a parent got two invitations")
        for message in invitations {
            let allowed = Set(
                try sqlite(
                    database,
                    """
                    SELECT replace(substr(c.code, 1, 4) || '-' || substr(c.code, 5, 4) || '-' || substr(c.code, 9, 4), ' ', '')
                    FROM credentials c JOIN parent_links l ON l.student_id = c.student_id JOIN users p ON p.id = l.parent_id
                    WHERE c.kind = 'parent-code' AND c.voided_at IS NULL AND lower(p.email) = lower('\(message.to.replacingOccurrences(of: "'", with: "''"))')
                    """))
            let codes = message.text.matches(of: /[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/).map { String($0.output) }
            #expect(!codes.isEmpty)
            for code in codes {
                #expect(allowed.contains(code), "\(message.to) was sent code \(code), which is not their child's")
            }
        }

        // The CTF pupils have no email: reported, not mailed.
        let report = try String(contentsOfFile: folder.path + "/out/term-start/needs-attention.csv", encoding: .utf8)
        for upn in ["G335311012004", "U865346313703", "Z801209809069", "J933207636549", "C706200819999"] {
            #expect(report.contains(upn), "\(upn) has no email and should be in the report")
        }
        #expect(messages.count == links.count + invitations.count)

        // The next morning: nothing twice, and it says so.
        let second = try folder.run(["run", "term-start.lua", "--time-limit", "600"])
        #expect(second.status == 0, "\(second.error)")
        #expect(try server.received().count == messages.count)
        #expect(second.output.contains("Student links: 0 queued, 1187 already sent"))
        let markdown = try String(contentsOfFile: folder.path + "/out/term-start/report.md", encoding: .utf8)
        #expect(markdown.contains("Nothing was sent again"))

        // In an SSO school the same students get no link, and are reported as SSO.
        _ = try folder.run(["init", "--sso", "google"])
        let sso = try folder.run(["--json", "links", "send", "--where", "role:student", "--dry-run", "--resend"])
        let result = try JSONSerialization.jsonObject(with: Data(sso.output.utf8)) as? [String: Any]
        let skipped = (result?["links"] as? [String: Any])?["skipped"] as? [String: Int]
        let students = try sqlite(database, "SELECT count(*) FROM users WHERE role = 'student' AND status = 'on-roll'")
        #expect(skipped?["sso"].map(String.init) == students.first)
    }

    @Test("a dry run writes nothing, sends nothing and reports the same", .enabled(if: samplesPresent, "skipped: ../shared/samples is not beside the project"))
    func dryRun() throws {
        let server = try SMTPTestServer()
        let folder = WorkFolder()
        try Self.prepare(folder, smtpPort: server.port)
        let dry = try folder.run(["run", "term-start.lua", "--arg", "bundle=bundle", "--dry-run", "--time-limit", "600"])
        #expect(dry.status == 0, "\(dry.error)")
        #expect(try server.received().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/term-start"))
        let count = try folder.run(["users", "count", "--where", "status:any"])
        #expect(count.output == "0\n")

        let real = try folder.run(["run", "term-start.lua", "--arg", "bundle=bundle", "--time-limit", "600"])
        #expect(real.status == 0, "\(real.error)")
        // The same counts, before the delivery lines.
        let lines = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("Student links") || $0.hasPrefix("Parent invitations") || $0.hasSuffix("new starters (role:student logged-in:never)") } }
        #expect(lines(dry.output) == lines(real.output))
    }

    private func sqlite(_ database: String, _ query: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, query]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// The aiosmtpd test server (Tests/DomainTests/Support/smtp_server.py) on a free port of
/// 127.0.0.1, stopped when this value is released.
final class SMTPTestServer {
    struct Message {
        var to: String
        var subject: String
        var text: String
    }

    let port: Int
    let folder = WorkFolder()
    private let process = Process()
    private let input = Pipe()

    init() throws {
        let script = LanyardProcess.packageRoot.appendingPathComponent("Tests/DomainTests/Support/smtp_server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, "serve", folder.path]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("port "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the SMTP test server did not start: \(text)"])
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    func received() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + name))
            let record = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let message = record?["message"] as? [String: Any]
            let to = (message?["to"] as? [String: Any])?["address"] as? String ?? ""
            let parts = message?["parts"] as? [[String: Any]] ?? []
            let text = parts.first { $0["contentType"] as? String == "text/plain" }?["text"] as? String ?? ""
            return Message(to: to, subject: message?["subject"] as? String ?? "", text: text)
        }
    }
}
