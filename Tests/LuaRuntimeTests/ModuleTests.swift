import LuaRuntime
import Testing

@Suite struct ModuleTests {
    let folder: TemporaryDirectory
    let lua: LuaState
    var loads = 0

    init() throws {
        folder = try TemporaryDirectory()
        try folder.write(
            "scripts/greetings.lua",
            "loaded_greetings = (loaded_greetings or 0) + 1\nreturn { hello = function(name) return 'Hello, ' .. name end }"
        )
        try folder.write(
            "plugins/letters/reports/letters.lua",
            "local name, path = ...\nreturn { name = name, path = path }"
        )
        try folder.write("scripts/quiet.lua", "local x = 1")
        try folder.write("scripts/broken.lua", "local x = nil\nreturn x.y")
        try folder.write("scripts/cycle_a.lua", "return require('cycle_b')")
        try folder.write("scripts/cycle_b.lua", "return require('cycle_a')")
        try folder.write("scripts/evil.so", "not Lua")
        lua = try LuaState(moduleSearchPaths: [folder.path + "/scripts", folder.path + "/plugins/letters"])
    }

    @Test func requireLoadsAndCachesPerRun() throws {
        let source = """
            local a = require('greetings')
            local b = require('greetings')
            return a == b, a.hello('Zoë'), loaded_greetings
            """
        #expect(try lua.run(source, chunkName: "main.lua") == [true, "Hello, Zoë", 1])
        // The next run loads the module again, into its own globals.
        #expect(try lua.run("require('greetings') return loaded_greetings", chunkName: "main.lua") == [1])
    }

    @Test func dottedNameMapsToFolders() throws {
        let results = try lua.run("local m = require('reports.letters') return m.name, m.path", chunkName: "main.lua")
        #expect(results == ["reports.letters", .string(folder.path + "/plugins/letters/reports/letters.lua")])
    }

    @Test func moduleReturningNothingIsTrue() throws {
        // The first call also returns the file's path; a cached one returns the module only.
        let source =
            "local first, path = require('quiet') local again, none = require('quiet') return first, path ~= nil, again, none"
        #expect(try lua.run(source, chunkName: "main.lua") == [true, true, true, nil])
    }

    @Test func moduleErrorNamesTheModuleFile() {
        let text = message(of: runFailure(lua, "require('broken')", chunkName: "main.lua"))
        #expect(text?.hasSuffix("scripts/broken.lua:2: attempt to index a nil value (local 'x')") == true)
    }

    @Test func circularRequireIsReported() {
        let text = message(of: runFailure(lua, "require('cycle_a')", chunkName: "main.lua"))
        #expect(
            text?.hasSuffix(
                "scripts/cycle_b.lua:1: module 'cycle_a' requires itself through a chain of require calls; move the code both modules need into a third module"
            ) == true
        )
    }

    @Test func sharedLibraryIsNeverLoaded() {
        let scripts = folder.path + "/scripts/evil.lua"
        let plugins = folder.path + "/plugins/letters/evil.lua"
        #expect(
            message(of: runFailure(lua, "require('evil')", chunkName: "main.lua"))
                == "main.lua:1: module 'evil' not found; looked for '\(scripts)', '\(plugins)'; put the file in one of those folders or fix the name"
        )
    }

    static let invalidNames = ["../secrets", "a..b", "a/b", ".hidden", "trailing.", "", "a\\b", "na\u{EF}ve"]

    @Test(arguments: invalidNames)
    func invalidModuleNameIsRejected(_ name: String) {
        let environment = try? lua.makeEnvironment()
        try? environment?.setGlobal("name", .string(name))
        let error = try? #require(throws: LuaError.self) {
            try lua.run("require(name)", chunkName: "main.lua", in: environment)
        }
        #expect(
            message(of: error)
                == "main.lua:1: invalid module name '\(name)': use dot-separated names of letters, digits, '_' and '-', such as 'reports.letters'"
        )
    }
}
