import LuaRuntime
import Testing

/// What a sandbox case must do: fail with exactly this description, or return these values.
enum SandboxOutcome: Sendable, CustomStringConvertible {
    case fails(String)
    case returns([LuaValue])

    var description: String {
        switch self {
        case .fails(let text): "fails with \(text)"
        case .returns(let values): "returns \(values)"
        }
    }
}

struct SandboxCase: Sendable, CustomTestStringConvertible {
    let name: String
    let source: String
    let outcome: SandboxOutcome

    init(_ name: String, _ source: String, _ outcome: SandboxOutcome) {
        self.name = name
        self.source = source
        self.outcome = outcome
    }

    var testDescription: String { name }
}

/// Small limits, so that the endless cases end quickly, but room for Lua's own limit of a
/// million stack slots, which deep recursion reaches at about 60 MiB.
let sandboxLimits = LuaLimits(instructions: 5_000_000, memoryBytes: 128 << 20)

private let instructionLimit = SandboxOutcome.fails(
    "test.lua:1: the script was stopped after 5000000 instructions, its instruction limit; look for a loop that never ends, or raise the limit"
)
private let memoryLimit = SandboxOutcome.fails(
    "test.lua: the script was stopped because it needed more than 134217728 bytes (128 MiB) of memory, its memory limit; look for a table or string that grows without end, or raise the limit"
)
private let readOnly = "the table is read-only; keep your own values in a local table"

let sandboxCases: [SandboxCase] = [
    // Loading code.
    SandboxCase(
        "binary chunk through load",
        #"return load("\27LuaT\0\25\147\r\n\26\n", "bin", "b")"#,
        .returns([nil, "attempt to load a binary chunk (mode is 't')"])
    ),
    SandboxCase(
        "load with an env argument",
        "local env = {} load('x = 1', 'chunk', 't', env)() return env.x, x",
        .returns([1, nil])
    ),
    SandboxCase(
        "load without env writes the run's globals",
        "load('leak_from_load = 1')() return leak_from_load",
        .returns([1])
    ),
    SandboxCase(
        "string.dump",
        "return string.dump(print)",
        .fails("test.lua:1: attempt to call a nil value (field 'dump')")
    ),
    SandboxCase(
        "string.dump as a method",
        "return (''):dump()",
        .fails("test.lua:1: attempt to call a nil value (method 'dump')")
    ),
    SandboxCase("dofile", "dofile('/etc/passwd')", .fails("test.lua:1: attempt to call a nil value (global 'dofile')")),
    SandboxCase(
        "loadfile",
        "loadfile('/etc/passwd')",
        .fails("test.lua:1: attempt to call a nil value (global 'loadfile')")
    ),

    // Libraries that reach outside.
    SandboxCase(
        "debug.getinfo",
        "return debug.getinfo(1)",
        .fails("test.lua:1: attempt to call a nil value (field 'getinfo')")
    ),
    SandboxCase(
        "debug.sethook",
        "debug.sethook()",
        .fails("test.lua:1: attempt to call a nil value (field 'sethook')")
    ),
    SandboxCase(
        "debug.getregistry",
        "return debug.getregistry()",
        .fails("test.lua:1: attempt to call a nil value (field 'getregistry')")
    ),
    SandboxCase("debug.traceback still works", "return type(debug.traceback('here'))", .returns(["string"])),
    SandboxCase(
        "io.open",
        "return io.open('/etc/passwd')",
        .fails("test.lua:1: attempt to index a nil value (global 'io')")
    ),
    SandboxCase(
        "os.execute",
        "os.execute('true')",
        .fails("test.lua:1: attempt to call a nil value (field 'execute')")
    ),
    SandboxCase(
        "os.getenv",
        "return os.getenv('HOME')",
        .fails("test.lua:1: attempt to call a nil value (field 'getenv')")
    ),
    SandboxCase("os.exit", "os.exit(1)", .fails("test.lua:1: attempt to call a nil value (field 'exit')")),
    SandboxCase("os.remove", "os.remove('/tmp/x')", .fails("test.lua:1: attempt to call a nil value (field 'remove')")),
    SandboxCase(
        "os clocks still work",
        "return math.type(os.time()), type(os.clock()), os.date('!%Y', 0)",
        .returns(["integer", "number", "1970"])
    ),
    SandboxCase(
        "package.loadlib",
        "package.loadlib('libc.so.6', 'system')",
        .fails("test.lua:1: attempt to index a nil value (global 'package')")
    ),
    SandboxCase(
        "require of a C module",
        "require('socket.core')",
        .fails("test.lua:1: module 'socket.core' not found: no module folders are configured")
    ),
    SandboxCase(
        "require of a path with ..",
        "require('../../etc/passwd')",
        .fails(
            "test.lua:1: invalid module name '../../etc/passwd': use dot-separated names of letters, digits, '_' and '-', such as 'reports.letters'"
        )
    ),
    SandboxCase(
        "require of a path with /",
        "require('plugins/evil')",
        .fails(
            "test.lua:1: invalid module name 'plugins/evil': use dot-separated names of letters, digits, '_' and '-', such as 'reports.letters'"
        )
    ),
    SandboxCase(
        "collectgarbage collect",
        "collectgarbage()",
        .fails("test.lua:1: collectgarbage('collect') is not allowed in scripts; only collectgarbage('count') is")
    ),
    SandboxCase(
        "collectgarbage stop",
        "collectgarbage('stop')",
        .fails("test.lua:1: collectgarbage('stop') is not allowed in scripts; only collectgarbage('count') is")
    ),
    SandboxCase("collectgarbage count", "return math.type(collectgarbage('count'))", .returns(["float"])),

    // Limits, directly and inside pcall and coroutines.
    SandboxCase("endless loop", "while true do end", instructionLimit),
    SandboxCase(
        "endless loop inside pcall in a loop",
        "while true do pcall(function() while true do end end) end",
        instructionLimit
    ),
    SandboxCase(
        "endless loop inside a coroutine",
        "coroutine.wrap(function() while true do end end)()",
        instructionLimit
    ),
    SandboxCase(
        "endless coroutines resumed in a loop",
        "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
        instructionLimit
    ),
    SandboxCase("string.rep memory bomb", "local s = string.rep('x', 1024 * 1024 * 1024)", memoryLimit),
    SandboxCase(
        "string.rep memory bomb inside pcall in a loop",
        "while true do pcall(string.rep, 'x', 1024 * 1024 * 1024) end",
        memoryLimit
    ),
    SandboxCase(
        "unbounded table growth",
        "local t = {} while true do t[#t + 1] = string.rep('x', 1000) .. #t end",
        memoryLimit
    ),
    SandboxCase(
        "unbounded table growth inside a coroutine",
        "coroutine.wrap(function() local t = {} while true do t[#t + 1] = string.rep('x', 1000) .. #t end end)()",
        memoryLimit
    ),
    SandboxCase(
        "memory error caught by pcall, then a loop",
        "pcall(function() local t = {} while true do t[#t + 1] = string.rep('x', 1000) .. #t end end) while true do end",
        memoryLimit
    ),
    SandboxCase(
        "deep recursion",
        "local function f() return 1 + f() end return f()",
        .fails("test.lua:1: stack overflow")
    ),
    SandboxCase(
        "deep recursion inside pcall",
        "local function f() return 1 + f() end return pcall(f)",
        .returns([false, "test.lua:1: stack overflow"])
    ),

    // Finalizers.
    SandboxCase(
        "__gc that raises",
        "setmetatable({}, {__gc = function() error('boom') end})",
        .fails(
            "test.lua:1: setmetatable: '__gc' metamethods are not allowed in scripts; close resources explicitly or with a to-be-closed variable (local x <close>)"
        )
    ),
    SandboxCase(
        "__gc set to false first",
        "setmetatable({}, {__gc = false})",
        .fails(
            "test.lua:1: setmetatable: '__gc' metamethods are not allowed in scripts; close resources explicitly or with a to-be-closed variable (local x <close>)"
        )
    ),
    SandboxCase(
        "to-be-closed variable still works",
        "local log = {} do local x <close> = setmetatable({}, {__close = function() log[1] = 'closed' end}) end return log[1]",
        .returns(["closed"])
    ),

    // Shared tables.
    SandboxCase(
        "assigning string.upper",
        "string.upper = nil",
        .fails("test.lua:1: cannot set field 'upper' of 'string': \(readOnly)")
    ),
    SandboxCase("assigning math.pi", "math.pi = 4", .fails("test.lua:1: cannot set field 'pi' of 'math': \(readOnly)")),
    SandboxCase(
        "adding to table",
        "table.sorted = function() end",
        .fails("test.lua:1: cannot set field 'sorted' of 'table': \(readOnly)")
    ),
    SandboxCase(
        "table.insert into a library",
        "table.insert(os, print)",
        .fails("test.lua:1: cannot set field [1] of 'os': \(readOnly)")
    ),
    SandboxCase(
        "rawset on a library",
        "rawset(string, 'upper', nil)",
        .fails("test.lua:1: rawset cannot change 'string': \(readOnly)")
    ),
    SandboxCase(
        "setmetatable on a library",
        "setmetatable(math, nil)",
        .fails("test.lua:1: cannot change a protected metatable")
    ),
    SandboxCase(
        "setmetatable on the string metatable",
        "setmetatable(getmetatable(''), {})",
        .fails("test.lua:1: cannot change a protected metatable")
    ),
    SandboxCase(
        "assigning the string metatable's __index",
        "getmetatable('').__index = {}",
        .fails("test.lua:1: cannot set field '__index' of 'string metatable': \(readOnly)")
    ),
    SandboxCase(
        "changing a method through the string metatable",
        "getmetatable('').__index.upper = nil",
        .fails("test.lua:1: cannot set field 'upper' of 'string': \(readOnly)")
    ),
    SandboxCase(
        "rawset on the string metatable",
        "rawset(getmetatable(''), '__index', {})",
        .fails("test.lua:1: rawset cannot change 'string metatable': \(readOnly)")
    ),
    SandboxCase(
        "string metatable still reads as usual",
        "return getmetatable('').__index == string, ('abc'):upper()",
        .returns([true, "ABC"])
    ),
    SandboxCase(
        "pairs over a library",
        "local n = 0 for name, f in pairs(string) do n = n + 1 end return n > 10, string.dump",
        .returns([true, nil])
    ),

    // Globals.
    SandboxCase(
        "setting globals",
        "leaked = 'yes' _G.also = 'yes' string = 'replaced' return leaked",
        .returns(["yes"])
    ),
]

/// Proves the state still works and that earlier cases left nothing behind.
private let followUp = "return 1 + 1, leaked, also, leak_from_load, string.upper('x'), math.pi == 4, type(string)"
private let followUpResults: [LuaValue] = [2, nil, nil, nil, "X", false, "table"]

@Suite struct SandboxTests {
    @Test(arguments: sandboxCases)
    func attemptIsContained(_ attempt: SandboxCase) throws {
        let lua = try LuaState(limits: sandboxLimits)
        try check(attempt, in: lua)
        #expect(try lua.run(followUp, chunkName: "follow-up.lua") == followUpResults, "after \(attempt.name)")
    }

    @Test func allAttemptsInOneState() throws {
        let lua = try LuaState(limits: sandboxLimits)
        let baseline = lua.memoryInUse
        for attempt in sandboxCases {
            try check(attempt, in: lua)
            #expect(try lua.run(followUp, chunkName: "follow-up.lua") == followUpResults, "after \(attempt.name)")
        }
        lua.collectGarbage()
        #expect(lua.memoryInUse < baseline + (1 << 20), "the attempts left \(lua.memoryInUse - baseline) bytes behind")
    }

    private func check(_ attempt: SandboxCase, in lua: LuaState) throws {
        switch attempt.outcome {
        case .fails(let expected):
            let error = runFailure(lua, attempt.source)
            #expect(error?.description == expected, "\(attempt.name)")
        case .returns(let expected):
            #expect(try lua.run(attempt.source, chunkName: "test.lua") == expected, "\(attempt.name)")
        }
    }
}
