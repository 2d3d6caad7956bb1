import LuaRuntime
import Testing

@Suite struct ValueTests {
    let lua: LuaState

    init() throws {
        lua = try LuaState()
        // Returns its arguments, so each value goes Swift -> Lua -> Swift.
        try lua.register(function: "echo") { call in
            for index in stride(from: 1, through: call.argumentCount, by: 1) {
                try call.push(try call.value(at: index))
            }
            return call.argumentCount
        }
    }

    static let roundTrips: [(String, LuaValue)] = [
        ("nil", .nil),
        ("true", true),
        ("false", false),
        ("zero", 0),
        ("largest integer", .integer(Int.max)),
        ("smallest integer", .integer(Int.min)),
        ("float", 0.5),
        ("infinity", .number(.infinity)),
        ("empty string", ""),
        ("accented string", "Zoë Ní Bhriain"),
        ("string with a NUL byte", .string("a\u{0}b")),
        ("bytes that are not UTF-8", .bytes([0xFF, 0x00, 0x41])),
        ("array", [1, "two", 3.5]),
        ("table with string keys", ["upn": "B801200005001", "year": 7]),
        ("nested tables", ["groups": ["7B", "7C"], "school": ["name": "Hilltop"]]),
        ("table with a hole", .table([1: "a", 3: "c"])),
        ("empty table", .table([:])),
    ]

    @Test(arguments: roundTrips)
    func valueRoundTripsThroughLua(_ name: String, _ value: LuaValue) throws {
        let environment = try lua.makeEnvironment()
        try environment.setGlobal("value", value)
        let results = try lua.run("return echo(value)", chunkName: "echo.lua", in: environment)
        #expect(results == [value])
    }

    @Test func integersAndFloatsStayDistinct() throws {
        let results = try lua.run("return 3, 3.0, 2^53, 7 // 2", chunkName: "numbers.lua")
        #expect(results == [.integer(3), .number(3.0), .number(9_007_199_254_740_992), .integer(3)])
    }

    @Test func functionsAndUserdataReadAsOpaque() throws {
        let results = try lua.run("return print, coroutine.create(print)", chunkName: "opaque.lua")
        #expect(results == [.opaque(typeName: "function"), .opaque(typeName: "thread")])
    }

    @Test func tableThatContainsItselfIsRejected() throws {
        #expect(throws: LuaError.unconvertibleValue(path: "result 1.me", reason: "the table contains itself")) {
            try lua.run("local t = {} t.me = t return t", chunkName: "cycle.lua")
        }
    }

    @Test func sharedTableThatIsNotACycleConverts() throws {
        let results = try lua.run("local shared = {1} return {a = shared, b = shared}", chunkName: "shared.lua")
        #expect(results == [.table(["a": [1], "b": [1]])])
    }

    @Test func opaqueValueCannotBePushed() throws {
        let environment = try lua.makeEnvironment()
        #expect(
            throws: LuaError.unconvertibleValue(path: "f", reason: "a function read from Lua cannot be pushed back")
        ) {
            try environment.setGlobal("f", .opaque(typeName: "function"))
        }
    }

    @Test func nanTableKeyIsRejected() throws {
        let environment = try lua.makeEnvironment()
        #expect(throws: LuaError.unconvertibleValue(path: "t.[nan]", reason: "Lua tables cannot have a NaN key")) {
            try environment.setGlobal("t", .table([.number(.nan): 1]))
        }
        // The stack is left clean: the environment still works.
        try environment.setGlobal("ok", true)
        #expect(try environment.global("ok") == true)
    }

    @Test func tablesBuiltOnTheStackReachLua() throws {
        try lua.register(function: "pupil") { call in
            call.pushTable(arrayCapacity: 2, fieldCapacity: 2)
            call.push("B801200005001")
            call.setField("upn")
            call.push(7)
            call.setField("year")
            call.push("7B")
            call.setElement(1)
            call.push(bytes: [0xC3, 0xAB])
            call.setElement(2)
            return 1
        }
        let results = try lua.run("local p = pupil() return p.upn, p.year, p[1], p[2], #p", chunkName: "pupil.lua")
        #expect(results == ["B801200005001", 7, "7B", "ë", 2])
    }

    @Test func argumentsReachTheChunkAsVarargs() throws {
        let results = try lua.run("local a, b = ... return b, a", chunkName: "args.lua", arguments: ["x", 2])
        #expect(results == [2, "x"])
    }
}
