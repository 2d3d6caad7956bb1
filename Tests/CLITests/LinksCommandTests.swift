import Foundation
import Testing

@Suite("lanyard links, outbox and users update-emails")
struct LinksCommandTests {
    static let zoe = "B801200005001"
    static let lukasz = "Q801200005002"
    static let niamh = "E801200005003"

    /// A folder with a school of three Year 7 students (one without email) and a sender.
    func school() throws -> WorkFolder {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write(
            "students.csv",
            "UPN,Surname,Forename,Year,Reg,Email\n\(Self.zoe),Ní Bhriain,Zoë,7,7A,zoe@castlemead.sch.uk\n\(Self.lukasz),Nowak,Łukasz,7,7B,lukasz@castlemead.sch.uk\n\(Self.niamh),Ní Bhriain,Niamh,7,7A,\n"
        )
        let imported = try folder.run(["import", "csv", "--kind", "students", "students.csv"])
        #expect(imported.status == 0, "import failed: \(imported.error)")
        folder.write("lanyard.config.lua", "mail = { from_address = \"office@castlemead.sch.uk\", from_name = \"Castle Mead Office\" }\n")
        return folder
    }

    func emlFiles(_ folder: WorkFolder) throws -> [String] {
        let outbox = folder.path + "/out/outbox"
        guard FileManager.default.fileExists(atPath: outbox) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".eml") }.sorted().map { name in
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: outbox + "/" + name)), as: UTF8.self)
                .replacingOccurrences(of: "=\r\n", with: "")
        }
    }

    @Test func sendWritesOneMessagePerPersonAndNeverTwice() throws {
        let folder = try school()

        let first = try folder.run(["links", "send", "--where", "year:7", "--report", "report.csv"])
        #expect(first.status == 0, "stderr: \(first.error)")
        #expect(first.output.contains("Queued 2 first-login links; 1 skipped (missing-email: 1)."))
        #expect(first.output.contains("Delivered 2 of 2 due messages"))

        let messages = try emlFiles(folder)
        #expect(messages.count == 2)
        #expect(messages[0].contains("To: =?UTF-8?b?Wm/DqyBOw60=?= Bhriain <zoe@castlemead.sch.uk>"))
        #expect(messages[0].contains("Dear Zo=C3=AB,"))
        #expect(messages[1].contains("<lukasz@castlemead.sch.uk>"))
        #expect(messages[1].contains("Dear =C5=81ukasz,"))
        for message in messages {
            #expect(message.range(of: #"https://login\.example\.org/set-password\?token=3D[A-Za-z0-9_-]{43}"#, options: .regularExpression) != nil)
        }
        let report = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder.path + "/report.csv")), as: UTF8.self)
        #expect(report.contains("\(Self.niamh),Niamh Ní Bhriain,student,,skipped,missing-email,,"))

        let second = try folder.run(["links", "send", "--where", "year:7"])
        #expect(second.status == 0)
        #expect(second.output.contains("Queued 0 first-login links; 3 skipped (missing-email: 1, recently-sent: 2)."))
        #expect(try emlFiles(folder).count == 2)
    }

    @Test func dryRunAndNoDeliverSendNothing() throws {
        let folder = try school()
        let dry = try folder.run(["links", "send", "--where", "year:7", "--dry-run"])
        #expect(dry.output.contains("Dry run: would queue 2 first-login links"))
        #expect(dry.error.contains("Nothing was stored or sent (dry run)."))

        let queued = try folder.run(["links", "send", "--where", "year:7", "--no-deliver"])
        #expect(queued.output.contains("Deliver the queued messages with 'lanyard outbox send'."))
        #expect(try emlFiles(folder).isEmpty)

        let list = try folder.run(["--json", "outbox", "list", "--state", "queued"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]
        #expect(entries?.count == 2)

        let sent = try folder.run(["outbox", "send"])
        #expect(sent.status == 0)
        #expect(try emlFiles(folder).count == 2)
    }

    @Test func testAddressSendsEverythingToTheAdmin() throws {
        let folder = try school()
        let result = try folder.run(["links", "send", "--where", "year:7", "--test-address", "admin@castlemead.sch.uk"])
        #expect(result.output.contains("queued (test: to admin@castlemead.sch.uk)"))
        #expect(result.output.contains("Test mode: every message went to admin@castlemead.sch.uk"))
        let messages = try emlFiles(folder)
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.contains("To: admin@castlemead.sch.uk") })

        let real = try folder.run(["links", "send", "--where", "year:7", "--no-deliver"])
        #expect(real.output.contains("Queued 2 first-login links"))
    }

    @Test func previewShowsFakeTokenAndMissingPlaceholderFails() throws {
        let folder = try school()
        let preview = try folder.run(["links", "preview", "--where", "year:7", "--count", "1"])
        #expect(preview.status == 0)
        #expect(preview.output.hasPrefix("Template: first-login-student\nTo: Zoë Ní Bhriain <zoe@castlemead.sch.uk>\nSubject: Castle Mead Academy: set your password, Zoë\n"))
        #expect(preview.output.contains("https://login.example.org/set-password?token=PREVIEW-TOKEN"))

        try FileManager.default.createDirectory(atPath: folder.path + "/templates", withIntermediateDirectories: true)
        folder.write("templates/first-login-student.subject", "Hello {{forename}}\n")
        folder.write("templates/first-login-student.txt", "Hello {{forename}},\n\nYour code is {{staff_code}}.\n")
        let failed = try folder.run(["links", "preview", "--where", "year:7"])
        #expect(failed.status == 65)
        #expect(
            failed.error
                == "error: template 'first-login-student' (first-login-student.txt, line 3) uses '{{staff_code}}', which has no value for Zoë Ní Bhriain (\(Self.zoe)); fill it in the directory, or wrap it in {{#if staff_code}}...{{/if}}\n"
        )
    }

    @Test func unreachableServerExits69() throws {
        let folder = try school()
        folder.write(
            "lanyard.config.lua",
            "mail = { from_address = \"office@castlemead.sch.uk\", transport = \"smtp\", smtp_url = \"smtp://127.0.0.1:9\", smtp_require_tls = false }\n")
        let result = try folder.run(["links", "send", "--where", "year:7"])
        #expect(result.status == 69)
        #expect(result.error.contains("error: delivery stopped: could not connect to the mail server smtp://127.0.0.1:9"))
    }

    @Test func outboxShowRetryAndCancel() throws {
        let folder = try school()
        _ = try folder.run(["links", "send", "--where", "reg:7B", "--no-deliver"])
        let show = try folder.run(["outbox", "show", "1"])
        #expect(show.output.contains("lukasz@castlemead.sch.uk"))
        #expect(!show.output.contains("token="))
        #expect(try folder.run(["outbox", "cancel", "1"]).output == "Message 1 is cancelled.\n")
        #expect(try folder.run(["outbox", "retry", "1"]).output == "Message 1 is queued; deliver it with 'lanyard outbox send'.\n")
        let missing = try folder.run(["outbox", "show", "99"])
        #expect(missing.status == 66)
        #expect(missing.error == "error: no outbox message with id 99; check the id against the outbox list\n")
    }

    @Test func updateEmailsFillsInAndCounts() throws {
        let folder = try school()
        folder.write("emails.csv", "UPN,Email\n\(Self.niamh),niamh@castlemead.sch.uk\n")
        let dry = try folder.run(["users", "update-emails", "emails.csv", "--dry-run"])
        #expect(dry.output.contains("Dry run: would update 1 email address from emails.csv (0 unchanged, 0 invalid rows skipped)."))
        #expect(dry.output.contains("Still without email: 0 students, 0 teachers, 0 staff."))
        #expect(try folder.run(["users", "count", "--where", "email:missing"]).output == "1\n")

        let applied = try folder.run(["users", "update-emails", "emails.csv"])
        #expect(applied.status == 0)
        #expect(try folder.run(["users", "count", "--where", "email:missing"]).output == "0\n")

        folder.write("bad.csv", "UPN,Email\n\(Self.niamh),zoe@castlemead.sch.uk\n")
        let rejected = try folder.run(["users", "update-emails", "bad.csv"])
        #expect(rejected.status == 1)
        #expect(rejected.error.contains("bad.csv:2, column 'Email': 'zoe@castlemead.sch.uk' already belongs to '\(Self.zoe)' in the directory"))
    }
}
