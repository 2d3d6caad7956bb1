import Foundation
import Testing

/// The plugin commands, and the shipped plugins, through the real binary.
@Suite("lanyard plugins and the shipped plugins")
struct PluginCommandTests {
    static let zoe = "B801200005001"
    static let guest = "C801200005002"

    /// Makes a school of one student with a live parent code, and a mail set-up writing .eml files.
    static func school() throws -> WorkFolder {
        let folder = WorkFolder()
        folder.write("lanyard.config.lua", "mail = { from_address = \"office@castlemead.example\", from_name = \"Castle Mead Academy\" }\n")
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write("students.csv", "UPN,Surname,Forename,Reg,Email\n\(zoe),Ní Bhriain,Zoë,7A,zoe@castlemead.example\n")
        let imported = try folder.run(["import", "csv", "--kind", "students", "students.csv"])
        #expect(imported.status == 0, "stderr: \(imported.error)")
        return folder
    }

    @Test("list shows the shipped plugins, disabled until enabled")
    func listShowsShippedPlugins() throws {
        let folder = try Self.school()
        let result = try folder.run(["--json", "plugins", "list"])
        #expect(result.status == 0, "stderr: \(result.error)")
        let plugins = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]] ?? []
        #expect(plugins.map { $0["name"] as? String } == ["mis-layouts", "run-digest", "safe-recipients"])
        #expect(plugins.allSatisfy { $0["state"] as? String == "disabled" })
    }

    @Test("info lists what a plugin may do and provides")
    func infoListsCapabilities() throws {
        let folder = try Self.school()
        let result = try folder.run(["plugins", "info", "run-digest"])
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(result.output.contains("It may:\n  files.read: read files in the workspace folder\n  files.write: write files in the workspace folder\n"))
        #expect(result.output.contains("  command: lanyard run-digest show: Prints the latest entries of the digest.\n"))
        #expect(result.output.contains("  hooks: after_run, after_import\n") || result.output.contains("  hooks: after_import, after_run\n"))
    }

    @Test("enable and disable with a dependant")
    func enableAndDisable() throws {
        let folder = try Self.school()
        folder.write(
            "plugins/needs-layouts/plugin.lua",
            "return { name = \"needs-layouts\", version = \"1.0.0\", summary = \"Needs mis-layouts.\", lanyard = \"^1.0\", depends = { [\"mis-layouts\"] = \"^1.0\" } }\n")

        let early = try folder.run(["plugins", "enable", "needs-layouts"])
        #expect(early.status == 1)
        #expect(early.error.contains("plugin 'needs-layouts' needs plugin 'mis-layouts' ^1.0, which is not enabled"))

        #expect(try folder.run(["plugins", "enable", "mis-layouts"]).output == "Enabled mis-layouts 1.0.0 with codes.read.\n")
        #expect(try folder.run(["plugins", "enable", "needs-layouts"]).status == 0)
        let refused = try folder.run(["plugins", "disable", "mis-layouts"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("plugin 'mis-layouts' is needed by enabled plugin 'needs-layouts'; disable it first"))

        #expect(try folder.run(["plugins", "disable", "needs-layouts"]).output == "Disabled needs-layouts.\n")
        let audit = try folder.run(["--json", "plugins", "list"])
        #expect(audit.output.contains("\"state\" : \"enabled\""))
    }

    @Test("a plugin command runs through the CLI, and run-digest records imports and runs")
    func pluginCommandAndDigest() throws {
        let folder = try Self.school()
        #expect(try folder.run(["plugins", "enable", "run-digest"]).status == 0)
        _ = try folder.run(["import", "csv", "--kind", "students", "students.csv"])
        folder.write("read-pin.lua", "print(#codes.pin(users.get('\(Self.zoe)')))\n")
        let run = try folder.run(["run", "read-pin.lua"])
        #expect(run.status == 0, "stderr: \(run.error)")

        let shown = try folder.run(["run-digest", "show", "--last", "2"])
        #expect(shown.status == 0, "stderr: \(shown.error)")
        #expect(shown.output.contains(": import of students.csv\n- new: 0, updated: 0, left: 0, invalid: 0\n"))
        #expect(shown.output.contains(": read-pin.lua\n- codes read: 1\n- messages queued: 0\n"))

        let help = try folder.run(["run-digest", "show", "--help"])
        #expect(help.output.contains("lanyard run-digest show --last 5"))
        let wrong = try folder.run(["run-digest", "show", "--last", "many"])
        #expect(wrong.status == 1)
        #expect(wrong.error.contains("plugin 'run-digest' failed in command show: --last takes a whole number of entries, such as 5"))
    }

    @Test("a broken plugin's command says why it did not load")
    func brokenPluginCommandExplains() throws {
        let folder = try Self.school()
        func write(capabilities: String) {
            folder.write(
                "plugins/tally/plugin.lua",
                """
                return { name = "tally", version = "1.0.0", summary = "Counts.", lanyard = "^1.0", capabilities = { \(capabilities) },
                  commands = { go = { summary = "Counts students.", run = function() return tostring(#users.select("role:student")) end } } }

                """)
        }
        write(capabilities: "\"directory.read\"")
        #expect(try folder.run(["plugins", "enable", "tally"]).status == 0)
        #expect(try folder.run(["tally", "go"]).output == "1\n")

        write(capabilities: "\"directory.read\", \"codes.read\"")
        let result = try folder.run(["tally", "go"])
        #expect(result.status == 1)
        #expect(result.error.contains("plugin 'tally' now asks for codes.read, which was not granted when it was enabled"), "stderr: \(result.error)")
    }

    @Test("a plugin command that queues mail delivers it after its commit")
    func pluginCommandDeliversWhatItQueued() throws {
        let folder = try Self.school()
        folder.write(
            "plugins/mailer/plugin.lua",
            """
            return { name = "mailer", version = "1.0.0", summary = "Sends links.", lanyard = "^1.0",
              capabilities = { "directory.read", "mail.send" },
              commands = { send = { summary = "Sends first-login links.", arguments = { { name = "upn", help = "Whose link." } },
                run = function(args) return links.send("upn:" .. args.upn).queued .. " queued" end } } }

            """)
        #expect(try folder.run(["plugins", "enable", "mailer"]).status == 0)

        let kept = try folder.run(["mailer", "send", Self.zoe, "--no-deliver", "--dry-run"])
        #expect(kept.output.hasPrefix("1 queued\n"), "stdout: \(kept.output)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/outbox")) ?? []).isEmpty)

        let sent = try folder.run(["mailer", "send", Self.zoe])
        #expect(sent.status == 0, "stderr: \(sent.error)")
        #expect(sent.output.contains("Delivered 1 of 1 due messages"), "stdout: \(sent.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/outbox").count == 1)
    }

    @Test("safe-recipients withholds an outside address")
    func safeRecipientsWithholds() throws {
        let folder = try Self.school()
        #expect(try folder.run(["plugins", "enable", "safe-recipients"]).status == 0)

        let check = try folder.run(["safe-recipients", "check", "zoe@castlemead.example", "--from", "office@castlemead.example"])
        #expect(check.output == "allowed: zoe@castlemead.example\n")

        let send = try folder.run(["links", "send", "--where", "upn:\(Self.zoe)", "--test-address", "someone@elsewhere.example"])
        #expect(send.output.contains("withheld: 1"), "stdout: \(send.output)")
        let outbox = try folder.run(["--json", "outbox", "list"])
        #expect(outbox.output.contains("withheld by plugin safe-recipients: the message is for Zoë Ní Bhriain (\(Self.zoe)), but goes to someone@elsewhere.example"))
        let delivered = (try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/outbox")) ?? []
        #expect(delivered.isEmpty)

        // Its own address passes.
        let real = try folder.run(["links", "send", "--where", "upn:\(Self.zoe)"])
        #expect(real.output.contains("Queued 1 first-login link; none skipped."), "stdout: \(real.output)")
    }

    @Test("the SIMS import layout leaves out guests and reads 'Year 7'")
    func simsImportLayout() throws {
        let folder = try Self.school()
        #expect(try folder.run(["plugins", "enable", "mis-layouts"]).status == 0)
        folder.write(
            "sims.csv",
            """
            UPN,Legal Surname,Legal Forename,Year Group,Reg Group,Enrolment Status
            \(Self.zoe),Ní Bhriain,Zoë,Year 8,8A,Single Registration
            \(Self.guest),Guest,Gwen,Year 8,8A,Guest

            """)
        let result = try folder.run(["--json", "import", "csv", "--layout", "sims-students", "sims.csv"])
        #expect(result.status == 0, "stderr: \(result.error)")
        let listed = try folder.run(["users", "list", "--where", "year:8"])
        #expect(listed.output.contains(Self.zoe))
        #expect(!listed.output.contains(Self.guest))
    }

    @Test("the Arbor export layout writes its columns")
    func arborExportLayout() throws {
        let folder = try Self.school()
        #expect(try folder.run(["plugins", "enable", "mis-layouts"]).status == 0)
        let result = try folder.run(["details", "export-parent-codes", "--where", "all", "--layout", "arbor-parent-codes", "--out", "arbor.csv"])
        #expect(result.status == 0, "stderr: \(result.error)")
        let text = try String(contentsOfFile: folder.path + "/arbor.csv", encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "UPN,Legal First Name,Legal Last Name,Year,Parent Code,Expiry Date")
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("\(Self.zoe),Zoë,Ní Bhriain,") == true)
    }

    @Test("a plugin's template is found by name")
    func pluginTemplate() throws {
        let folder = try Self.school()
        #expect(try folder.run(["plugins", "enable", "mis-layouts"]).status == 0)
        folder.write(
            "contacts.csv",
            "UPN,Contact Forename,Contact Surname,Priority,Parental Responsibility,Contact Email\n\(Self.zoe),Siân,Ní Bhriain,1,Yes,sian@example.org\n")
        let result = try folder.run(["parents", "invite", "--where", "all", "--contacts", "contacts.csv", "--template", "parent-invitation-arbor"])
        #expect(result.status == 0, "stderr: \(result.error)")
        let messages = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/outbox")
        #expect(messages.count == 1)
        let message = try String(contentsOfFile: folder.path + "/out/outbox/" + messages[0], encoding: .utf8)
        #expect(message.contains("Arbor Parent Portal"))
    }
}
