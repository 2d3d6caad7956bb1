import Domain
import Foundation
import LuaRuntime
import Testing

@testable import Automation

@Suite("Lua API")
struct ScriptAPITests {
    @Test("users.select counts, lists and streams")
    func selectionBasics() throws {
        let fixture = try ScriptFixture()
        try fixture.run(
            """
            local year7 = users.select("role:student year:7")
            print(year7:count(), #year7, year7.query)
            local names = {}
            for pupil in year7:each() do names[#names + 1] = pupil.name .. "/" .. pupil.reg end
            print(table.concat(names, ","))
            print(#year7:list(1))
            print(users.select{role = "student", year = {7, 9}}:count())
            print(year7:where("email:missing"):count())
            print(users.select("role:student"):filter(function(u) return u.surname == "Ní Bhriain" end):count())
            """)
        #expect(fixture.printed == ["2\t2\trole:student year:7", "Zoë Ní Bhriain/7A,Łukasz Nowak/7B", "1", "3", "1", "2"])
    }

    @Test("user fields and links read as keys")
    func userFields() throws {
        let fixture = try ScriptFixture()
        try fixture.run(
            """
            local zoe = users.get("\(ScriptFixture.zoe)")
            print(zoe.upn, zoe.forename, zoe.year, zoe.reg, zoe.email, zoe.role, zoe.status, tostring(zoe.sso))
            print(#zoe.parents, zoe.parents[1].name, #zoe.parents[1].children)
            local missing, err = users.get("NOBODY")
            print(missing, err)
            print(zoe == users.get("\(ScriptFixture.zoe)"))
            """)
        #expect(fixture.printed[0] == "\(ScriptFixture.zoe)\tZoë\t7\t7A\tzoe@castlemead.example\tstudent\ton-roll\tfalse")
        #expect(fixture.printed[1] == "1\tSiân Ní Bhriain\t2")
        #expect(fixture.printed[2] == "nil\tno user with UPN, staff code or id 'NOBODY'")
        #expect(fixture.printed[3] == "true")
    }

    @Test("a mistyped field names itself")
    func unknownField() throws {
        let fixture = try ScriptFixture()
        let message = fixture.failure("local zoe = users.get('\(ScriptFixture.zoe)')\nprint(zoe.emial)")
        #expect(message?.contains("test.lua:2:") == true)
        #expect(message?.contains("'emial'") == true)
    }

    @Test("an invalid selection names the term")
    func invalidSelection() throws {
        let fixture = try ScriptFixture()
        let message = fixture.failure("users.select('yeer:7')")
        #expect(message?.hasPrefix("test.lua:1: bad argument #1 to 'users.select' (unknown selection key 'yeer' at column 1. Did you mean 'year'?") == true)
    }

    @Test("reading codes is audited with the script's name")
    func codesAreAudited() throws {
        let fixture = try ScriptFixture()
        try fixture.run(
            """
            local zoe = users.get("\(ScriptFixture.zoe)")
            local pin, expires = codes.pin(zoe)
            local parent = codes.parent_code(zoe)
            print(#pin, #parent, expires ~= nil)
            """, name: "read-codes.lua")
        #expect(fixture.printed == ["6\t14\ttrue"])
        let via = try fixture.directory.database.query("SELECT via FROM audit_log WHERE action = 'code.read'").compactMap { $0.string("via") }
        #expect(via == ["run read-codes.lua", "run read-codes.lua"])
    }

    @Test("a script's changes commit together or not at all")
    func scriptIsOneTransaction() throws {
        let fixture = try ScriptFixture()
        let before = try fixture.directory.database.query("SELECT code FROM credentials WHERE voided_at IS NULL ORDER BY code")
        let message = fixture.failure("codes.regenerate(users.select('year:7'))\nerror('stop here')")
        #expect(message == "test.lua:2: stop here")
        #expect(try fixture.directory.database.query("SELECT code FROM credentials WHERE voided_at IS NULL ORDER BY code") == before)

        let outcome = try fixture.run("codes.regenerate(users.select('year:7'))", dryRun: true)
        #expect(outcome.changes["credentials rows"] == 4)
        #expect(outcome.actions.count == 1)
        #expect(try fixture.directory.database.query("SELECT code FROM credentials WHERE voided_at IS NULL ORDER BY code") == before)

        try fixture.run("codes.regenerate(users.select('year:7'))")
        #expect(try fixture.directory.database.query("SELECT code FROM credentials WHERE voided_at IS NULL ORDER BY code") != before)
    }

    @Test("args, school, json and report")
    func supportModules() throws {
        let fixture = try ScriptFixture()
        try fixture.run(
            """
            print(args.term, args.missing, school.name, school.dfe_number)
            local text = json.encode{b = 2, a = {1, 2}, c = true}
            print(text, json.decode(text).a[2], json.decode('{"x": null}').x)
            report.line("# Report")
            report.add{upn = "X", name = "O'Brien, Jo"}
            report.save("report.csv")
            report.save("report.md")
            """, arguments: ["term": "autumn"])
        #expect(fixture.printed == ["autumn\tnil\tCastle Mead Academy\t801/4012", "{\"a\":[1,2],\"b\":2,\"c\":true}\t2\tnil"])
        let csv = try Data(contentsOf: URL(fileURLWithPath: fixture.workspace.root + "/report.csv"))
        #expect(Array(csv) == [0xEF, 0xBB, 0xBF] + Array("name,upn\r\n\"O'Brien, Jo\",X\r\n".utf8))
        let markdown = try String(contentsOfFile: fixture.workspace.root + "/report.md", encoding: .utf8)
        #expect(markdown == "# Report\n\n| name | upn |\n| --- | --- |\n| O'Brien, Jo | X |\n")
    }

    @Test("imports run inside the script's transaction")
    func importInScript() throws {
        let fixture = try ScriptFixture()
        let upn = UPN.make(la: 801, establishment: 4012, year: 19, serial: 9).value
        try Data("UPN,Surname,Forename\n\(upn),Khan,Aisha\n".utf8).write(to: URL(fileURLWithPath: fixture.workspace.root + "/new.csv"))
        let failed = fixture.failure("local s = import.csv('new.csv', {kind = 'students'})\nprint(s.new)\nerror('abandon')")
        #expect(failed == "test.lua:3: abandon")
        #expect(try fixture.directory.user(key: upn) == nil)
        try fixture.run("local s = import.csv('new.csv', {kind = 'students'})\nprint(s.new, s.invalid)")
        #expect(fixture.printed == ["1\t0"])
        #expect(try fixture.directory.user(key: upn)?.legalSurname == "Khan")
    }
}

@Suite("Script sandbox")
struct ScriptSandboxTests {
    @Test(
        "each escape attempt is contained with a clear error",
        arguments: [
            ("files.write('../escape.txt', 'x')", "leads outside the workspace"),
            ("files.write('/tmp/escape.txt', 'x')", "is absolute"),
            ("files.read('a/../../../etc/passwd')", "leads outside the workspace"),
            ("import.csv('/etc/passwd', {kind = 'students'})", "is absolute"),
            ("io.open('/etc/passwd')", "io"),
            ("os.execute('true')", "execute"),
            ("os.getenv('HOME')", "getenv"),
            ("require('os_unsafe')", "os_unsafe"),
            ("load(string.dump(print))", "dump"),
            ("debug.getregistry()", "getregistry"),
            ("users.select = nil", "read-only"),
            ("while true do end", "instruction limit"),
            ("local s = string.rep('x', 1 << 30)", "memory limit"),
            ("local function f() return f() + 1 end f()", "memory limit"),
        ])
    func escapesAreContained(source: String, expected: String) throws {
        let fixture = try ScriptFixture()
        let message = fixture.failure(source, limits: LuaLimits(instructions: 5_000_000, memoryBytes: 64 << 20))
        #expect(message?.contains(expected) == true, "message was: \(message ?? "nil")")
        // The host stays healthy: the next script runs.
        try fixture.run("print(users.select('role:student'):count())")
        #expect(fixture.printed == ["3"])
    }

    @Test("a symbolic link in the workspace cannot lead outside")
    func symbolicLinkEscape() throws {
        let fixture = try ScriptFixture()
        try FileManager.default.createSymbolicLink(atPath: fixture.workspace.root + "/outside", withDestinationPath: "/tmp")
        let message = fixture.failure("files.write('outside/escape.txt', 'x')")
        #expect(message?.contains("leads outside the workspace") == true)
    }

    @Test("globals do not leak from one run to the next")
    func freshGlobals() throws {
        let fixture = try ScriptFixture()
        try fixture.run("leaked = 42")
        try fixture.run("print(leaked)")
        #expect(fixture.printed == ["nil"])
    }
}

@Suite("API documentation")
struct APIDocumentationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the committed reference and annotations match the API")
    func documentationIsCurrent() throws {
        let markdown = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/lua-api.md"), encoding: .utf8)
        #expect(markdown == APIDocumentation.markdown(), "docs/lua-api.md is out of date; run 'lanyard docs'")
        let annotations = try String(contentsOf: Self.packageRoot.appendingPathComponent("types/lanyard.lua"), encoding: .utf8)
        #expect(annotations == APIDocumentation.luaLanguageServerAnnotations(), "types/lanyard.lua is out of date; run 'lanyard docs'")
    }

    @Test("every function has a summary and an example that compiles")
    func everyFunctionDocumented() throws {
        for function in ScriptAPI.functions {
            #expect(!function.summary.isEmpty, "\(function.qualifiedName) has no summary")
            let findings = try ScriptChecker.syntaxError(source: function.example, name: function.qualifiedName)
            #expect(findings == nil, "the example of \(function.qualifiedName) does not compile")
        }
    }

    @Test("check warns about unknown API names with a suggestion")
    func checkerSuggests() {
        let findings = ScriptChecker.unknownNames(source: "local s = users.selct('x') -- users.nothing\nprint(\"codes.pinn\")\ncodes.pinn(s)", file: "a.lua")
        #expect(findings.map(\.description) == [
            "a.lua:1:11: warning: unknown API name 'users.selct'. Did you mean 'users.select'? See docs/lua-api.md",
            "a.lua:3:1: warning: unknown API name 'codes.pinn'. Did you mean 'codes.pin'? See docs/lua-api.md",
        ])
    }
}
