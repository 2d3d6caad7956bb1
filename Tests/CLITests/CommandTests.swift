import CLI
import Foundation
import Testing

@Suite("lanyard commands")
struct CommandTests {
    static let zoe = "B801200005001"

    @Test("every command has an example and valid declarations")
    func treeIsValid() {
        #expect(CommandTreeValidator.problems(in: Lanyard.commands) == [])
    }

    @Test("init creates a private database and its school")
    func initCreatesDatabase() throws {
        let folder = WorkFolder()
        let result = try folder.run(["init", "--school", "Castle Mead Academy", "--dfe", "801/4012", "--sso", "google"])
        #expect(result.status == 0)
        #expect(result.output.contains("Castle Mead Academy (801/4012, sign-in: Google)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/lanyard.db")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("the database comes from --db, then LANYARD_DB")
    func databasePath() throws {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "A"], environment: ["LANYARD_DB": "from-env.db"])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/from-env.db"))
        _ = try folder.run(["--db", "from-option.db", "init", "--school", "A"], environment: ["LANYARD_DB": "from-env.db"])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/from-option.db"))
    }

    @Test("an import with an invalid row exits 1, names the row and writes nothing")
    func rejectedImport() throws {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write("students.csv", "UPN,Surname,Forename\n\(Self.zoe),Ní Bhriain,Zoë\nA801200005001,Smith,Jo\n")
        let result = try folder.run(["import", "csv", "--kind", "students", "students.csv"])
        #expect(result.status == 1)
        #expect(result.error.contains("error: import of 'students.csv' rejected: 1 invalid row; nothing was written"))
        #expect(result.error.contains("students.csv:3, column 'UPN': invalid UPN 'A801200005001': the check letter should be 'B'"))
        #expect(!result.error.contains("Swift"))
        let count = try folder.run(["users", "count", "--where", "status:any"])
        #expect(count.output == "0\n")
    }

    @Test("skip-invalid exits 2 and imports the rest; JSON reports the counts")
    func partialImport() throws {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write("students.csv", "UPN,Surname,Forename,Year,Reg\n\(Self.zoe),Ní Bhriain,Zoë,7,7A\nA801200005001,Smith,Jo,7,7A\n")
        let result = try folder.run(["--json", "import", "csv", "--kind", "students", "--skip-invalid", "students.csv"])
        #expect(result.status == 2)
        let summary = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(summary?["new"] as? Int == 1)
        #expect(summary?["invalid"] as? Int == 1)

        let list = try folder.run(["users", "list", "--where", "year:7", "--format", "csv"])
        #expect(list.status == 0)
        #expect(list.output.split(separator: "\r\n").count == 2)
        #expect(list.output.contains("\(Self.zoe),,student,Zoë,Ní Bhriain,,7,7A,,on-roll"))
    }

    @Test(
        "errors exit with a status that says what kind",
        arguments: [
            (["users", "list", "--where", "yeer:7"], 64, "error: unknown selection key 'yeer' at column 1. Did you mean 'year'?"),
            (["import", "csv", "--kind", "students", "missing.csv"], 66, "error: cannot read the CSV file 'missing.csv'"),
            (["import", "oneroster", "nowhere"], 66, "error: nowhere: no such file or folder"),
            (["import", "csv", "--kind", "pupils", "x.csv"], 64, "error:"),
            (["users", "lst"], 64, "Did you mean 'list'?"),
        ] as [([String], Int32, String)])
    func errorStatuses(arguments: [String], status: Int32, message: String) throws {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        let result = try folder.run(arguments)
        #expect(result.status == status)
        #expect(result.error.contains(message), "stderr was: \(result.error)")
        #expect(result.output.isEmpty)
    }

    @Test("codes show is audited and regenerate gives one expiry")
    func codes() throws {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write("students.csv", "UPN,Surname,Forename,Reg\n\(Self.zoe),Ní Bhriain,Zoë,7A\n")
        _ = try folder.run(["import", "csv", "--kind", "students", "students.csv"])

        let shown = try folder.run(["--json", "codes", "show", "--where", "reg:7A"])
        #expect(shown.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [[String: Any]]
        let pin = try #require(rows?.first?["pin"] as? String)
        #expect(pin.count == 6)

        let regenerated = try folder.run(["codes", "regenerate", "--where", "reg:7A"])
        #expect(regenerated.status == 0)
        #expect(regenerated.output.hasPrefix("Regenerated 2 codes for 1 students (2 unused codes voided)."))
        let again = try folder.run(["--json", "codes", "show", "--where", "reg:7A"])
        let newRows = try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [[String: Any]]
        #expect(newRows?.first?["pin"] as? String != pin)
    }

    @Test("an unknown configuration key is an error naming it")
    func configuration() throws {
        let folder = WorkFolder()
        folder.write("lanyard.config.lua", "login_url = 'https://login.castlemead.sch.uk'\ncodes = { pin_lenght = 8 }\n")
        let result = try folder.run(["config"])
        #expect(result.status == 78)
        #expect(result.error.contains("unknown setting 'codes.pin_lenght' in lanyard.config.lua. Did you mean 'codes.pin_length'?"))

        folder.write("lanyard.config.lua", "login_url = 'https://login.castlemead.sch.uk'\ncodes = { pin_length = 8 }\n")
        let good = try folder.run(["--json", "config"])
        #expect(good.status == 0)
        let entries = try JSONSerialization.jsonObject(with: Data(good.output.utf8)) as? [[String: Any]]
        let pinLength = entries?.first { $0["key"] as? String == "codes.pin_length" }
        #expect(pinLength?["value"] as? Int == 8)
        #expect(pinLength?["source"] as? String == "lanyard.config.lua")
    }

    @Test("the demo school imports cleanly")
    func demo() throws {
        let folder = WorkFolder()
        let generated = try folder.run(["demo", "generate", "--out", "demo", "--students", "120"])
        #expect(generated.status == 0)
        let imported = try folder.run(["--db", "demo/lanyard.db", "import", "oneroster", "demo/oneroster"])
        #expect(imported.status == 0, "stderr: \(imported.error)")
        let contacts = try folder.run(["--db", "demo/lanyard.db", "--json", "import", "csv", "--kind", "contacts", "demo/mis-contacts.csv"])
        #expect(contacts.status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contacts.output.utf8)) as? [String: Any]
        #expect(summary?["new"] as? Int == 0)
        let count = try folder.run(["--db", "demo/lanyard.db", "users", "count", "--where", "role:student"])
        #expect(count.output == "120\n")
    }

    @Test("run prints, exits 1 on a script error with its line, and check finds unknown names")
    func runAndCheck() throws {
        let folder = WorkFolder()
        _ = try folder.run(["init", "--school", "Castle Mead Academy"])
        folder.write("hello.lua", "print('students: ' .. users.select('role:student'):count())\n")
        let hello = try folder.run(["run", "hello.lua"])
        #expect(hello.status == 0)
        #expect(hello.output == "students: 0\n")

        folder.write("broken.lua", "local x = 1\nerror('the MIS export is missing')\n")
        let broken = try folder.run(["run", "broken.lua"])
        #expect(broken.status == 1)
        #expect(broken.error.hasPrefix("error: broken.lua:2: the MIS export is missing\nstack traceback:"))
        #expect(!broken.error.contains(".swift"))

        let json = try folder.run(["--json", "run", "hello.lua", "--dry-run"])
        let output = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let outcome = output?["run"] as? [String: Any]
        #expect(outcome?["printed"] as? [String] == ["students: 0"])
        #expect(outcome?["committed"] as? Bool == false)

        folder.write("typo.lua", "local s = users.selct('year:7')\n")
        let typo = try folder.run(["check", "typo.lua"])
        #expect(typo.status == 2)
        #expect(typo.error == "typo.lua:1:11: warning: unknown API name 'users.selct'. Did you mean 'users.select'? See docs/lua-api.md\n")

        let shipped = try folder.run(["check", "missing-emails.lua"])
        #expect(shipped.status == 0, "\(shipped.error)")
    }

    @Test("a dry run on a directory that does not exist yet creates no file")
    func dryRunCreatesNothing() throws {
        let folder = WorkFolder()
        _ = try folder.run(["demo", "generate", "--out", "demo", "--students", "20"])
        let result = try folder.run(["--db", "new.db", "import", "oneroster", "demo/oneroster", "--dry-run"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("Dry run of demo/oneroster: nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/new.db"))
    }
}
