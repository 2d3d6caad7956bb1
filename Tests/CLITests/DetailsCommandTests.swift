import Foundation
import Testing

@Suite("lanyard details and parents commands")
struct DetailsCommandTests {
    static let zoe = "B801200005001"

    /// Makes a folder with a directory of one student and a contacts file for her.
    static func school() throws -> WorkFolder {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write("students.csv", "UPN,Surname,Forename,Reg,Adno\n\(zoe),Ní Bhriain,Zoë,7A,000123\n")
        _ = try folder.run(["import", "csv", "--kind", "students", "students.csv"])
        folder.write(
            "contacts.csv",
            "UPN,Contact Forename,Contact Surname,Priority,Parental Responsibility,Contact Email\n\(zoe),Siân,Ní Bhriain,1,Yes,sian@example.org\n")
        return folder
    }

    @Test("generate writes the chosen files and reports them")
    func generate() throws {
        let folder = try Self.school()
        let result = try folder.run(["details", "generate", "--where", "reg:7A", "--format", "csv,pdf", "--out", "letters"])
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(result.output.hasPrefix("Generated login details for 1 students (2 codes issued, 2 unused codes voided).\n"))
        #expect(result.output.contains("Wrote letters/student-slips.pdf (1 slips, 1 pages).\n"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/letters").sorted()
        #expect(files == ["login-details.csv", "parent-slips.pdf", "student-slips.pdf"])
    }

    @Test("a dry run writes nothing")
    func dryRun() throws {
        let folder = try Self.school()
        let result = try folder.run(["--json", "details", "generate", "--where", "all", "--dry-run", "--out", "letters"])
        #expect(result.status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(summary?["isDryRun"] as? Bool == true)
        #expect(summary?["students"] as? Int == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/letters"))
    }

    @Test("an unknown format is a usage error naming it")
    func unknownFormat() throws {
        let folder = try Self.school()
        let result = try folder.run(["details", "generate", "--where", "all", "--format", "csv,docx"])
        #expect(result.status == 64)
        #expect(result.error.contains("error: unknown format 'docx' in --format 'csv,docx'; use csv, xlsx or pdf, joined by commas"))
    }

    @Test("pins lists the live PIN as CSV and audits it")
    func pins() throws {
        let folder = try Self.school()
        let result = try folder.run(["details", "pins", "--where", "reg:7A", "--format", "csv"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\r\n")
        #expect(lines.first == "registration_group,upn,name,login_name,pin,pin_expires")
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("7A,\(Self.zoe),Zoë Ní Bhriain,\(Self.zoe),") == true)
    }

    @Test("export-parent-codes writes a SIMS file")
    func exportParentCodes() throws {
        let folder = try Self.school()
        let result = try folder.run(["details", "export-parent-codes", "--where", "all", "--layout", "sims", "--out", "sims.csv"])
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(result.output == "Wrote sims.csv (1 parent codes).\n")
        let text = try String(contentsOfFile: folder.path + "/sims.csv", encoding: .utf8)
        #expect(text.hasPrefix("UPN,Surname,Forename,DOB,Value\r\n\(Self.zoe),Ní Bhriain,Zoë,,"))
    }

    @Test("parents recipients masks codes in the table unless asked")
    func recipients() throws {
        let folder = try Self.school()
        let masked = try folder.run(["parents", "recipients", "--where", "all", "--contacts", "contacts.csv"])
        #expect(masked.status == 0, "stderr: \(masked.error)")
        #expect(masked.output.contains("sian@example.org"))
        #expect(masked.output.contains("••••-••••-••••"))
        #expect(masked.output.contains("1 recipients for 1 children."))

        let shown = try folder.run(["--json", "parents", "recipients", "--where", "all", "--contacts", "contacts.csv"])
        let list = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any]
        let recipients = try #require(list?["recipients"] as? [[String: Any]])
        let child = try #require((recipients.first?["children"] as? [[String: Any]])?.first)
        #expect((child["parentCode"] as? String)?.count == 14)
    }
}

@Suite("lanyard parents invite in test mode")
struct ParentInviteTestModeTests {
    @Test("a test send shows no live parent code")
    func testSendMasksCodes() throws {
        let folder = try DetailsCommandTests.school()
        folder.write("lanyard.config.lua", "mail = { from_address = \"office@castlemead.example\" }\n")
        let codes = try folder.run(["--json", "codes", "show", "--where", "upn:\(DetailsCommandTests.zoe)"])
        let result = try folder.run(["parents", "invite", "--where", "all", "--contacts", "contacts.csv", "--test-address", "admin@castlemead.example"])
        #expect(result.status == 0, "stderr: \(result.error)")

        let messages = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/outbox")
        #expect(messages.count == 1)
        let message = try String(contentsOfFile: folder.path + "/out/outbox/" + messages[0], encoding: .utf8)
        #expect(message.contains("XXXX-XXXX-XXXX (test: not a real code)"))
        let liveCode = try #require(Self.parentCode(in: codes.output))
        #expect(!message.contains(liveCode))
    }

    /// Returns the parent code in the JSON output of `lanyard codes show`.
    static func parentCode(in json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return nil }
        let text = "\(object)"
        let pattern = try! NSRegularExpression(pattern: "[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")
        let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        return match.flatMap { Range($0.range, in: text).map { String(text[$0]) } }
    }
}
