import Domain
import Foundation
import LuaRuntime
import Testing

@testable import Automation

@Suite struct PluginLoadingTests {
    @Test func enabledPluginLoadsAndScriptsRequireItsFunctions() throws {
        let fixture = try PluginFixture()
        try fixture.write("greeter", PluginFixture.manifest("greeter", """
              functions = { greet = function(name, times) return ("hello " .. name .. " "):rep(times), #name end },
            """))
        try fixture.enable("greeter")
        let host = try fixture.load()

        #expect(host.loaded.map(\.name) == ["greeter"])
        #expect(host.failures.isEmpty)
        try fixture.run("local g = require 'greeter'; local text, length = g.greet('Zoë', 2); print(text .. length)")
        #expect(fixture.script.printed == ["hello Zoë hello Zoë 4"])
    }

    @Test func disabledPluginIsNotLoadedAndRequireSaysHowToEnableIt() throws {
        let fixture = try PluginFixture()
        try fixture.write("greeter", PluginFixture.manifest("greeter", "functions = { greet = function() return 1 end },"))
        try fixture.load()

        let message = fixture.failure("require 'greeter'")
        #expect(message?.contains("plugin 'greeter' is not enabled; see 'lanyard plugins list', and enable it with 'lanyard plugins enable greeter'") == true)
    }

    @Test func disabledPluginIsFoundButNotRun() throws {
        let fixture = try PluginFixture()
        try fixture.write("idle", "error('plugin.lua ran')")
        let catalogue = PluginCatalogue(folders: [fixture.pluginsFolder], reading: [])

        #expect(catalogue.names == ["idle"])
        #expect(catalogue.entries.isEmpty)
        #expect(try fixture.load().failures.isEmpty)
    }

    @Test func pluginsLoadAfterTheirDependenciesThenByName() throws {
        let fixture = try PluginFixture()
        try fixture.write("zeta", PluginFixture.manifest("zeta"))
        try fixture.write("alpha", PluginFixture.manifest("alpha", depends: "[\"middle\"] = \"^1.0\""))
        try fixture.write("middle", PluginFixture.manifest("middle", depends: "[\"zeta\"] = \">=1.0.0 <2.0.0\""))
        try fixture.write("beta", PluginFixture.manifest("beta"))
        try fixture.enable("zeta", "alpha", "middle", "beta")

        #expect(try fixture.load().loaded.map(\.name) == ["beta", "zeta", "middle", "alpha"])
    }

    @Test func missingDependencyVersionConflictAndCycleAreReportedByName() throws {
        let fixture = try PluginFixture()
        try fixture.write("needs-absent", PluginFixture.manifest("needs-absent", depends: "[\"absent\"] = \"^1.0\""))
        try fixture.write("old", PluginFixture.manifest("old", version: "1.2.0"))
        try fixture.write("needs-new", PluginFixture.manifest("needs-new", depends: "[\"old\"] = \"^2.0\""))
        try fixture.write("left", PluginFixture.manifest("left", depends: "[\"right\"] = \"*\""))
        try fixture.write("right", PluginFixture.manifest("right", depends: "[\"left\"] = \"*\""))
        try fixture.enable("needs-absent", "old", "needs-new", "left", "right")
        let host = try fixture.load()

        #expect(host.loaded.map(\.name) == ["old"])
        #expect(host.failures["needs-absent"]?.description
            == "plugin 'needs-absent' needs plugin 'absent' ^1.0, which is not enabled; enable it with 'lanyard plugins enable absent'")
        #expect(host.failures["needs-new"]?.description
            == "plugin 'needs-new' needs plugin 'old' ^2.0, but version 1.2.0 is installed; install a matching version of one of them")
        #expect(host.failures["left"]?.description
            == "plugins 'left', 'right' depend on each other in a circle (left -> right -> left); none of them can load first")
    }

    @Test func brokenPluginIsReportedAndTheOthersLoad() throws {
        let fixture = try PluginFixture()
        try fixture.write("broken", "return { name = 'broken', version = '1.0.0', summary = 'x', lanyard = '^1.0',, }")
        try fixture.write("works", PluginFixture.manifest("works", "functions = { answer = function() return 42 end },"))
        try fixture.enable("broken", "works")
        let host = try fixture.load()

        #expect(host.loaded.map(\.name) == ["works"])
        let failure = try #require(host.failures["broken"]?.description)
        #expect(failure.hasPrefix("plugin 'broken' failed in plugin.lua:"))
        #expect(failure.contains("unexpected symbol near ','"))

        // A script that requires the broken plugin fails with that error; the other still works.
        #expect(fixture.failure("require 'broken'")?.contains("unexpected symbol near ','") == true)
        try fixture.run("print(require('works').answer())")
        #expect(fixture.script.printed == ["42"])
    }

    @Test func brokenPluginBlocksMailBecauseItMayBeASafetyRule() throws {
        let fixture = try PluginFixture()
        try fixture.write("broken", "error('cannot start')")
        try fixture.enable("broken")
        try fixture.load()

        #expect(throws: PluginError.mailBlocked(plugins: ["broken"])) {
            try fixture.queue(to: "zoe@castlemead.example")
        }
        #expect(try fixture.script.count("SELECT count(*) FROM outbox") == 0)
    }

    @Test func newVersionAskingForMoreStaysOffUntilEnabledAgain() throws {
        let fixture = try PluginFixture()
        try fixture.write("growing", PluginFixture.manifest("growing", capabilities: ["files.read"]))
        try fixture.enable("growing")
        try fixture.write("growing", PluginFixture.manifest("growing", capabilities: ["files.read", "codes.read"], version: "1.1.0"))

        #expect(try fixture.load().failures["growing"]?.description
            == "plugin 'growing' now asks for codes.read, which was not granted when it was enabled; review it with 'lanyard plugins info growing' and enable it again")
    }
}

@Suite struct PluginCapabilityTests {
    @Test func callOutsideTheDeclaredCapabilitiesNamesPluginAndCapability() throws {
        let fixture = try PluginFixture()
        try fixture.write("nosy", PluginFixture.manifest("nosy", capabilities: ["directory.read"], """
              functions = {
                count = function() return #users.select("role:student") end,
                pin = function(upn) return codes.pin(users.get(upn)) end,
              },
            """))
        try fixture.enable("nosy")
        try fixture.load()

        try fixture.run("print(require('nosy').count())")
        #expect(fixture.script.printed == ["3"])
        let message = fixture.failure("require('nosy').pin('\(ScriptFixture.zoe)')")
        #expect(message?.contains("plugin 'nosy' may not call codes.pin: it needs the capability codes.read, which its manifest does not declare") == true)
        #expect(try fixture.script.count("SELECT count(*) FROM audit_log WHERE action = 'code.read'") == 0)
    }

    @Test func everyScriptFunctionHasItsCapabilitiesListed() {
        let unlisted = ScriptAPI.functions.map(\.qualifiedName).filter { PluginCapability.requirements[$0] == nil }
        #expect(unlisted == [])
        let stale = Set(PluginCapability.requirements.keys).subtracting(ScriptAPI.functions.map(\.qualifiedName))
        #expect(stale == [])
    }

    @Test func selectionCannotCrossIntoAPlugin() throws {
        let fixture = try PluginFixture()
        try fixture.write("echo", PluginFixture.manifest("echo", "functions = { echo = function(value) return value end },"))
        try fixture.enable("echo")
        var settings = Settings()
        settings.mailFromAddress = "office@castlemead.example"
        try fixture.load(settings: settings)

        let message = fixture.failure("require('echo').echo(users.select('year:7'))")
        #expect(message?.contains("plugin functions take strings, numbers, booleans and tables of those; pass a selection as its query (selection.query)") == true)
        try fixture.run("print(require('echo').echo({ 1, 'two', { three = true } })[3].three)")
        #expect(fixture.script.printed == ["true"])
    }
}

@Suite struct PluginIsolationTests {
    @Test func pluginCannotReadAnotherPluginsGlobalsOrFunctions() throws {
        let fixture = try PluginFixture()
        try fixture.write("keeper", PluginFixture.manifest("keeper", """
              functions = { store = function() secret = "s3cret"; return secret end },
            """))
        try fixture.write("thief", PluginFixture.manifest("thief", """
              functions = {
                steal = function()
                  local found = {}
                  found[#found + 1] = tostring(secret)
                  found[#found + 1] = tostring(rawget(_G, "secret"))
                  found[#found + 1] = tostring(_ENV.secret)
                  found[#found + 1] = tostring(package)
                  found[#found + 1] = tostring(debug and debug.getregistry)
                  found[#found + 1] = tostring(debug and debug.getupvalue)
                  found[#found + 1] = tostring(io)
                  found[#found + 1] = tostring(os.execute)
                  return table.concat(found, ",")
                end,
                borrow = function() return require("keeper").store() end,
              },
            """))
        try fixture.enable("keeper", "thief")
        try fixture.load()

        try fixture.run("require('keeper').store(); secret = 'script'; print(require('thief').steal())")
        #expect(fixture.script.printed == ["nil,nil,nil,nil,nil,nil,nil,nil"])
        let message = fixture.failure("require('thief').borrow()")
        #expect(message?.contains("a plugin may require only the plugins its manifest lists in depends; add \"keeper\" there") == true)
    }

    @Test func pluginCannotChangeTheSharedAPITablesOrEscapeItsLimits() throws {
        let fixture = try PluginFixture()
        try fixture.write("vandal", PluginFixture.manifest("vandal", """
              functions = {
                replace = function() users.select = function() return "hijacked" end end,
                spin = function() while true do end end,
              },
            """))
        try fixture.enable("vandal")
        try fixture.load()

        #expect(fixture.failure("require('vandal').replace()")?.contains("read-only") == true)
        #expect(fixture.failure("require('vandal').spin()")?.contains("instruction limit") == true)
        try fixture.run("print(#users.select('year:7'))")
        #expect(fixture.script.printed == ["2"])
    }
}

@Suite struct PluginHookTests {
    /// Two plugins that edit the subject, so their order shows in it, and one that withholds
    /// mail to a domain.
    static func writeMailPlugins(_ fixture: PluginFixture) throws {
        try fixture.write("first", PluginFixture.manifest("first", """
              hooks = { before_send = function(message) message.subject = message.subject .. " [first]"; return message end },
            """))
        try fixture.write("second", PluginFixture.manifest("second", depends: "[\"third\"] = \"^1.0\"", """
              hooks = { before_send = function(message) message.subject = message.subject .. " [second]"; return message end },
            """))
        try fixture.write("third", PluginFixture.manifest("third", """
              hooks = { before_send = function(message)
                if message.to:find("@blocked.example", 1, true) then return false, "blocked domain" end
                message.subject = message.subject .. " [third]"
                return message
              end },
            """))
        try fixture.enable("first", "second", "third")
    }

    @Test func beforeSendHooksRunInLoadOrderAndEditTheSubject() throws {
        let fixture = try PluginFixture()
        try Self.writeMailPlugins(fixture)
        #expect(try fixture.load().loaded.map(\.name) == ["first", "third", "second"])

        let entry = try fixture.queue(to: "zoe@castlemead.example")
        #expect(entry.state == .queued)
        #expect(entry.subject == "Your first login [first] [third] [second]")
        let stored = String(decoding: try fixture.directory.outboxMessage(id: entry.id), as: UTF8.self)
        #expect(stored.contains("Subject: Your first login [first] [third] [second]"))
    }

    /// The outbox keeps the message as it was before the hooks, for an admin to review.
    @Test func vetoWithholdsTheMessageWithItsReason() throws {
        let fixture = try PluginFixture()
        try Self.writeMailPlugins(fixture)
        try fixture.load()

        let entry = try fixture.queue(to: "someone@blocked.example")
        #expect(entry.state == .cancelled)
        #expect(entry.subject == "Your first login")
        #expect(entry.lastError == "withheld by plugin third: blocked domain")
        let audit = try fixture.directory.database.query("SELECT via, detail FROM audit_log WHERE action = 'mail.withheld'")
        #expect(audit.map { $0.string("via") } == ["plugin third"])
        #expect(audit.map { $0.string("detail") } == ["to someone@blocked.example: blocked domain"])
    }

    @Test(arguments: [
        ("return nil", "it must return the message (edited or not), true, or false and a reason, not nil"),
        ("return false", "it returned false without a reason; return false, \"why\""),
        ("message.to = 'other@example.org'; return message", "it changed 'to', which a hook may not change; to stop the message, return false and a reason"),
        ("message.not_before = 'tomorrow'; return message", "'not_before' must be a time such as \"2026-09-03T07:00:00Z\" or \"2026-09-03 07:00\" (local time)"),
        ("message.not_before = '9999-01-01T00:00:00Z'; return message", "'not_before' is 9999-01-01T00:00:00Z, more than 31 days ahead; a message held that long is better withheld (return false, \"why\")"),
        ("message.bcc = 'copy@elsewhere.example'; return message", "it set 'bcc', which is not a message field; a hook may change subject, text, html, not_before"),
    ])
    func wrongResultFromBeforeSendStopsTheQueueing(body: String, reason: String) throws {
        let fixture = try PluginFixture()
        try fixture.write("sloppy", PluginFixture.manifest("sloppy", "hooks = { before_send = function(message) \(body) end },"))
        try fixture.enable("sloppy")
        try fixture.load()

        #expect(throws: PluginError.badResult(plugin: "sloppy", during: "before_send", reason: reason)) {
            try fixture.queue(to: "zoe@castlemead.example")
        }
    }

    /// Message bodies carry codes and links, so a hook without codes.read must not see them, or
    /// it could move one family's code into another family's message.
    @Test func beforeSendWithoutCodesReadGetsNoBody() throws {
        let fixture = try PluginFixture()
        try fixture.write("peek", PluginFixture.manifest("peek", """
              hooks = { before_send = function(message) return false, "text=" .. tostring(message.text) end },
            """))
        try fixture.write("swap", PluginFixture.manifest("swap", """
              hooks = { before_send = function(message) message.text = "someone else's code"; return message end },
            """))
        try fixture.enable("peek")
        try fixture.load()
        #expect(try fixture.queue(to: "zoe@castlemead.example").lastError == "withheld by plugin peek: text=nil")

        try fixture.directory.revokePlugin(name: "peek")
        try fixture.enable("swap")
        try fixture.load()
        let reason = "it set 'text' or 'html', which only a plugin with the capability codes.read may see or change, "
            + "because messages carry parent codes, PINs and password links; declare codes.read in its manifest"
        #expect(throws: PluginError.badResult(plugin: "swap", during: "before_send", reason: reason)) {
            try fixture.queue(to: "zoe@castlemead.example")
        }
    }

    @Test func beforeSendWithCodesReadSeesTheBody() throws {
        let fixture = try PluginFixture()
        try fixture.write("reader", PluginFixture.manifest("reader", capabilities: ["codes.read"], """
              hooks = { before_send = function(message) return false, message.text end },
            """))
        try fixture.enable("reader")
        try fixture.load()
        #expect(try fixture.queue(to: "zoe@castlemead.example").lastError == "withheld by plugin reader: Open the link to set your password.")
    }

    /// A before_send hook that queues mail would run itself again on every level of the stack.
    @Test func beforeSendHookCannotQueueMail() throws {
        let fixture = try PluginFixture()
        try fixture.write("echo", PluginFixture.manifest("echo", capabilities: ["mail.send"], """
              hooks = { before_send = function(message) links.forgot("zoe@castlemead.example"); return true end },
            """))
        try fixture.enable("echo")
        var settings = Settings()
        settings.mailFromAddress = "office@castlemead.example"
        try fixture.load(settings: settings)

        var message = ""
        do {
            _ = try fixture.queue(to: "zoe@castlemead.example")
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("plugin 'echo' failed in before_send:"))
        #expect(message.contains("a before_send hook may not start work that runs before_send hooks again"))
        #expect(try fixture.script.count("SELECT count(*) FROM outbox") == 0)
    }

    @Test func notBeforeDelaysDelivery() throws {
        let fixture = try PluginFixture()
        try fixture.write("quiet", PluginFixture.manifest("quiet", """
              hooks = { before_send = function(message) message.not_before = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() + 2 * 86400); return message end },
            """))
        try fixture.enable("quiet")
        try fixture.load()

        let due = try #require(ISO8601DateFormatter().date(from: try fixture.queue(to: "zoe@castlemead.example").nextAttemptAt))
        #expect(abs(due.timeIntervalSinceNow - 2 * 86400) < 60)
    }

    @Test func afterImportAndAfterRunSeeTheirSummariesInsideTheTransaction() throws {
        let fixture = try PluginFixture()
        try fixture.write("watcher", PluginFixture.manifest("watcher", capabilities: ["files.write"], """
              hooks = {
                after_import = function(summary) files.write("import.txt", summary.kind .. " new=" .. summary.new) end,
                after_run = function(report)
                  if report.changes.total > 0 then error("the run changed " .. report.changes.total .. " rows; refusing") end
                  files.write("run.txt", report.script:match("[^/]+$") .. " codes read=" .. #report.actions)
                end,
              },
            """))
        try fixture.enable("watcher")
        try fixture.load()

        try fixture.run("print(#users.select('year:7'))")
        let runFile = try String(contentsOfFile: fixture.script.workspace.root + "/run.txt", encoding: .utf8)
        #expect(runFile == "test.lua codes read=0")

        // A hook that fails rolls the run back, and the message names the plugin and hook.
        let before = try fixture.script.count("SELECT count(*) FROM credentials")
        let message = fixture.failure("codes.regenerate(users.select('year:7'), 'pin')")
        #expect(message?.contains("plugin 'watcher' failed in after_run:") == true)
        #expect(message?.contains("refusing") == true)
        #expect(try fixture.script.count("SELECT count(*) FROM credentials") == before)

        _ = try fixture.directory.importRecords(kind: .csvStudents, source: "more.csv", options: ImportOptions(), settings: Settings()) { _ in }
        let importFile = try String(contentsOfFile: fixture.script.workspace.root + "/import.txt", encoding: .utf8)
        #expect(importFile == "csv-students new=0")
    }
}

@Suite struct PluginManifestTests {
    @Test(arguments: [
        ("return 42", "plugin.lua must return a table, but returned number"),
        ("return { name = 'Bad Name' }", "field 'name' must be a name of 2 to 40 lowercase letters, digits and hyphens, such as 'run-digest'"),
        ("return { name = 'bad', version = '1.0' }", "field 'version' must be a semantic version such as '1.0.0', not '1.0'"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = 'latest' }", "field 'lanyard' must be the plugin API versions the plugin works with, such as '^1.0', not 'latest'"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^1.0', capabilites = {} }", "unknown field 'capabilites' (did you mean 'capabilities'?)"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^1.0', capabilities = { 'codes.steal' } }", "unknown capability 'codes.steal'"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^1.0', hooks = { before_sned = function() end } }", "unknown hook 'before_sned'; the hooks are before_send, after_import, after_run"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^1.0', commands = { go = { summary = 'x' } } }", "field 'commands.go.run' must be the function the command runs"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^1.0', import_layouts = { x = { kind = 'pupils' } } }", "field 'import_layouts.x.kind' must be students, staff or contacts"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^2.0' }", "plugin 'bad' needs plugin API ^2.0, but this Lanyard offers 1.0.0"),
        ("return { name = 'bad', version = '1.0.0', summary = 's', lanyard = '^1.0', export_layouts = { x = { columns = { 'UPN' }, row = function() end } } }",
         "a plugin with export_layouts must declare the capability codes.read"),
        ("return { name = 'other', version = '1.0.0', summary = 's', lanyard = '^1.0' }", "calls itself 'other'; name the folder after the plugin"),
    ])
    func malformedManifestIsRejectedWithTheField(source: String, fragment: String) throws {
        let fixture = try PluginFixture()
        try fixture.write("bad", source)
        let catalogue = PluginCatalogue(folders: [fixture.pluginsFolder])
        let error = try #require(catalogue.entries["bad"]).manifest
        guard case .failure(let failure) = error else {
            Issue.record("the manifest was accepted")
            return
        }
        #expect(failure.description.contains(fragment), "\(failure)")
    }

    @Test func pluginNamedAfterACommandIsRefused() throws {
        let fixture = try PluginFixture()
        try fixture.write("import", PluginFixture.manifest("import"))
        let catalogue = PluginCatalogue(folders: [fixture.pluginsFolder], reservedNames: ["import"])
        #expect(throws: PluginError.reservedName(name: "import")) { try catalogue.entries["import"]!.manifest.get() }
    }
}

@Suite struct VersionRangeTests {
    @Test(arguments: [
        ("^1.2", "1.2.0", true), ("^1.2", "1.9.9", true), ("^1.2", "2.0.0", false), ("^1.2", "1.1.9", false),
        ("^0.3", "0.3.5", true), ("^0.3", "0.4.0", false), ("^0.0.3", "0.0.4", false),
        ("~1.2.3", "1.2.9", true), ("~1.2.3", "1.3.0", false),
        (">=1.0.0 <2.0.0", "1.5.0", true), (">=1.0.0 <2.0.0", "2.0.0", false),
        ("1.4", "1.4.7", true), ("1.4", "1.5.0", false), ("=1.4.2", "1.4.2", true), ("1.4.2", "1.4.3", false),
        ("*", "9.9.9", true),
    ])
    func rangeAdmitsVersion(range: String, version: String, admitted: Bool) throws {
        let parsed = try #require(VersionRange(range))
        #expect(parsed.contains(try #require(SemanticVersion(version))) == admitted)
    }

    @Test(arguments: ["", "1.0.0.0", "v1.0", "^", ">=one", "01.2.3", "1.-2"])
    func malformedRangeIsRefused(text: String) {
        #expect(VersionRange(text) == nil)
    }
}

@Suite struct PluginFileTests {
    @Test func requireCannotFollowALinkOutOfThePluginFolder() throws {
        let fixture = try PluginFixture()
        let outside = (fixture.script.folder as NSString).appendingPathComponent("outside.lua")
        try Data("return { secret = 'from outside' }".utf8).write(to: URL(fileURLWithPath: outside))
        try fixture.write("linker", PluginFixture.manifest("linker", "functions = { peek = function() return require('borrowed').secret end },"))
        try FileManager.default.createSymbolicLink(atPath: fixture.pluginsFolder + "/linker/borrowed.lua", withDestinationPath: outside)
        try fixture.enable("linker")
        try fixture.load()

        let message = fixture.failure("print(require('linker').peek())")
        #expect(message?.contains("leads outside") == true, "\(message ?? "no error")")
        #expect(message?.contains("copy the file into the folder instead of linking to it") == true)
    }

    @Test func pluginFileThatIsAFolderIsReportedAsSuch() throws {
        let fixture = try PluginFixture()
        try FileManager.default.createDirectory(atPath: fixture.pluginsFolder + "/hollow/plugin.lua", withIntermediateDirectories: true)

        let entry = try #require(PluginCatalogue(folders: [fixture.pluginsFolder]).entries["hollow"])
        #expect(throws: PluginError.invalidManifest(
            file: fixture.pluginsFolder + "/hollow/plugin.lua", reason: "plugin.lua must be a regular file, not a folder, link or device")) {
            try entry.manifest.get()
        }
    }

    @Test func functionReturningAFunctionIsAnError() throws {
        let fixture = try PluginFixture()
        try fixture.write("leaky", PluginFixture.manifest("leaky", "functions = { give = function() return { run = print } end },"))
        try fixture.enable("leaky")
        try fixture.load()

        let message = fixture.failure("require('leaky').give()")
        #expect(message?.contains("it returned a function or an object, which cannot leave the plugin") == true)
    }
}
