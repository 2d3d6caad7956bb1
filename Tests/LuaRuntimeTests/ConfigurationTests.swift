import LuaRuntime
import Testing

@Suite struct ConfigurationTests {
    @Test func assignedGlobalsAreTheSettings() throws {
        let source = """
            school = "Hilltop Academy"
            local port = 2500 + 25
            smtp = { host = "127.0.0.1", port = port, tls = false }
            years = { 7, 8, 9 }
            string = "not the library"
            """
        let settings = try LuaConfiguration.evaluate(source: source, chunkName: "lanyard.config.lua")
        #expect(
            settings == [
                "school": "Hilltop Academy",
                "smtp": ["host": "127.0.0.1", "port": 2525, "tls": false],
                "years": [7, 8, 9],
                "string": "not the library",
            ]
        )
    }

    @Test func returnedTableIsTheSettings() throws {
        let settings = try LuaConfiguration.evaluate(
            source: "ignored = 1 return { limit = 500 }",
            chunkName: "lanyard.config.lua"
        )
        #expect(settings == ["limit": 500])
    }

    @Test func fileIsEvaluated() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("lanyard.config.lua", "workspace = 'out'\n")
        #expect(try LuaConfiguration.evaluate(fileAtPath: path) == ["workspace": "out"])
    }

    static let rejected: [(String, String)] = [
        ("print('hi')", "lanyard.config.lua:1: attempt to call a nil value (global 'print')"),
        ("require('x')", "lanyard.config.lua:1: attempt to call a nil value (global 'require')"),
        ("io.open('/etc/passwd')", "lanyard.config.lua:1: attempt to index a nil value (global 'io')"),
        (
            "while true do end",
            "lanyard.config.lua:1: the script was stopped after 10000000 instructions, its instruction limit; look for a loop that never ends, or raise the limit"
        ),
        (
            "hooks = { start = function() end }",
            "cannot convert setting 'hooks.start' of lanyard.config.lua: it is a function; use a string, number, boolean or table"
        ),
        (
            "return 42",
            "cannot convert the result of lanyard.config.lua: a configuration must return a table of settings or nothing, not a number"
        ),
        (
            "return { [1] = 'x' }",
            #"cannot convert setting [1] of lanyard.config.lua: setting names must be strings; name each setting, as in school = "Hilltop""#
        ),
        ("school = ", "lanyard.config.lua:1: unexpected symbol near <eof>"),
    ]

    @Test(arguments: rejected)
    func unsafeOrInvalidConfigurationIsRejected(_ source: String, _ expected: String) {
        #expect {
            try LuaConfiguration.evaluate(source: source, chunkName: "lanyard.config.lua")
        } throws: { error in
            (error as? LuaError).map { message(of: $0) } == expected
        }
    }
}

@Suite struct EnvironmentTests {
    @Test func environmentKeepsGlobalsAcrossRuns() throws {
        let lua = try LuaState()
        let environment = try lua.makeEnvironment()
        _ = try lua.run("count = 1", chunkName: "first.lua", in: environment)
        #expect(try lua.run("count = count + 1 return count", chunkName: "second.lua", in: environment) == [2])
        #expect(try environment.global("count") == 2)
        #expect(try environment.assignedGlobals() == ["count": 2])
        #expect(try lua.run("return count", chunkName: "fresh.lua") == [nil])
    }

    @Test func environmentFunctionBelongsToOneRun() throws {
        let lua = try LuaState()
        let environment = try lua.makeEnvironment()
        var reported: [String] = []
        try environment.register(function: "report") { call in
            reported.append(try call.string(at: 1))
            return 0
        }
        _ = try lua.run("report('sent 3 links')", chunkName: "run.lua", in: environment)
        #expect(reported == ["sent 3 links"])
        #expect(
            message(of: runFailure(lua, "report('x')", chunkName: "other.lua"))
                == "other.lua:1: attempt to call a nil value (global 'report')"
        )
    }

    @Test func printGoesToTheOutputHandler() throws {
        let lua = try LuaState()
        var lines: [String] = []
        lua.output = { lines.append($0) }
        _ = try lua.run("print('Zoë', 7, nil, true) print()", chunkName: "print.lua")
        #expect(lines == ["Zoë\t7\tnil\ttrue", ""])
    }
}
