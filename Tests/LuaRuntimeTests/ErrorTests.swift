import LuaRuntime
import Testing

@Suite struct ErrorTests {
    let lua: LuaState

    init() throws {
        lua = try LuaState()
    }

    @Test func syntaxErrorNamesChunkAndLine() {
        let error = runFailure(lua, "local x = 1\nif x then\n", chunkName: "term-start.lua")
        #expect(
            error
                == .syntax(
                    message: "term-start.lua:3: 'end' expected (to close 'if' at line 2) near <eof>",
                    location: LuaSourceLocation(chunk: "term-start.lua", line: 3)
                )
        )
    }

    @Test func runtimeErrorCarriesLocationAndTraceback() {
        let source = """
            local function check(pupil)
              return pupil.email:lower()
            end
            check({})
            """
        let error = runFailure(lua, source, chunkName: "emails.lua")
        guard case .runtime(let text, let location, let traceback) = error else {
            Issue.record("expected a runtime error, got \(String(describing: error))")
            return
        }
        #expect(text == "emails.lua:2: attempt to index a nil value (field 'email')")
        #expect(location == LuaSourceLocation(chunk: "emails.lua", line: 2))
        #expect(traceback.hasPrefix("stack traceback:\n"))
        #expect(
            traceback.contains("emails.lua:2: in local 'check'")
                || traceback.contains("emails.lua:2: in function 'check'")
        )
        #expect(traceback.contains("emails.lua:4: in main chunk"))
    }

    static let errorValues: [(String, String)] = [
        ("error('plain')", "values.lua:1: plain"),
        ("error('no position', 0)", "no position"),
        ("error(42)", "42"),
        ("error({code = 7})", "(error object is a table value)"),
        ("error(setmetatable({}, {__tostring = function() return 'custom text' end}))", "custom text"),
        (
            "error(setmetatable({}, {__tostring = function() error('broken') end}))",
            "(error object is a table value whose __tostring failed)"
        ),
        (
            "error(setmetatable({}, {__tostring = function() return {} end}))",
            "(error object is a table value whose __tostring failed)"
        ),
        ("error(setmetatable({}, {__name = 'Lanyard.Problem'}))", "(error object is a Lanyard.Problem value)"),
        ("error(coroutine.create(print))", "(error object is a thread value)"),
        ("error()", "(error object is a nil value)"),
    ]

    @Test(arguments: errorValues)
    func errorValueBecomesReadableMessage(_ source: String, _ expected: String) {
        #expect(message(of: runFailure(lua, source, chunkName: "values.lua")) == expected)
    }

    @Test func userdataErrorValueBecomesReadableMessage() throws {
        let type = try lua.register(LuaUserdataDefinition<Pupil>(name: "Lanyard.Pupil"))
        try lua.register(function: "fail") { call in
            call.push(Pupil(upn: "B801200005001", year: 7, groups: []), as: type)
            return 1
        }
        #expect(
            message(of: runFailure(lua, "error(fail())", chunkName: "userdata.lua"))
                == "(error object is a Lanyard.Pupil value)"
        )
    }

    @Test func missingFileIsReported() {
        #expect(
            throws: LuaError.fileNotReadable(path: "/nonexistent/term-start.lua", reason: "No such file or directory")
        ) {
            try lua.runFile(atPath: "/nonexistent/term-start.lua")
        }
        let text = LuaError.fileNotReadable(path: "/nonexistent/term-start.lua", reason: "No such file or directory")
            .description
        #expect(
            text
                == "cannot read '/nonexistent/term-start.lua': No such file or directory; check the path and its permissions"
        )
    }

    @Test func fileMessagesNameThePath() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("scripts/broken.lua", "\u{FEFF}#!/usr/bin/env lanyard\nlocal x = nil\nreturn x.y\n")
        #expect(throws: LuaError.self) { try lua.runFile(atPath: path) }
        do {
            _ = try lua.runFile(atPath: path)
        } catch {
            // Lua shortens chunk names to 60 bytes, keeping the end of the path. The byte order
            // mark and the #! line are skipped, so line 3 is still line 3.
            let text = message(of: error) ?? ""
            #expect(text.hasSuffix("/scripts/broken.lua:3: attempt to index a nil value (local 'x')"))
            #expect(text.hasPrefix("...") || text.hasPrefix(path))
        }
    }

    @Test func errorDoesNotBreakTheNextRun() throws {
        _ = runFailure(lua, "error('first')")
        #expect(try lua.run("return 'second'", chunkName: "next.lua") == ["second"])
    }
}
