import LuaRuntime
import Testing

private struct DirectoryUnavailable: Error, CustomStringConvertible {
    var description: String { "the school directory is locked by another run; try again when it finishes" }
}

@Suite struct FunctionTests {
    let lua: LuaState

    init() throws {
        lua = try LuaState()
        try lua.register(
            module: "users",
            functions: [
                "select": { call in
                    guard call.type(at: 1) == .string || call.type(at: 1) == .table else {
                        throw call.typeError(at: 1, expected: "string or table")
                    }
                    call.push("selected")
                    return 1
                },
                "get": { call in
                    let upn = try call.string(at: 1)
                    let year = try call.optionalInteger(at: 2) ?? 7
                    call.push("\(upn) in year \(year)")
                    return 1
                },
                "locked": { _ in throw DirectoryUnavailable() },
            ],
            values: ["limit": 500]
        )
    }

    @Test func moduleFunctionReturnsItsResult() throws {
        #expect(
            try lua.run("return users.get('B801200005001', 9)", chunkName: "get.lua") == ["B801200005001 in year 9"]
        )
        #expect(try lua.run("return users.limit", chunkName: "limit.lua") == [500])
    }

    static let argumentErrors: [(String, String)] = [
        ("users.select(7)", "args.lua:1: bad argument #1 to 'users.select' (string or table expected, got number)"),
        ("users.select()", "args.lua:1: bad argument #1 to 'users.select' (string or table expected, got no value)"),
        ("users.get(nil)", "args.lua:1: bad argument #1 to 'users.get' (string expected, got nil)"),
        ("users.get('x', 7.5)", "args.lua:1: bad argument #2 to 'users.get' (number has no integer representation)"),
        ("users.get('x', {})", "args.lua:1: bad argument #2 to 'users.get' (number expected, got table)"),
        ("users.get('\\255')", "args.lua:1: bad argument #1 to 'users.get' (string is not valid UTF-8)"),
    ]

    @Test(arguments: argumentErrors)
    func badArgumentRaisesLuaStyleMessage(_ source: String, _ expected: String) {
        #expect(message(of: runFailure(lua, source, chunkName: "args.lua")) == expected)
    }

    @Test func numericStringIsAcceptedAsInteger() throws {
        #expect(try lua.run("return users.get('x', '8')", chunkName: "numeric.lua") == ["x in year 8"])
    }

    @Test func swiftErrorIsCatchableByPcall() throws {
        let results = try lua.run(
            "local ok, message = pcall(function() users.locked() end) return ok, message",
            chunkName: "locked.lua"
        )
        #expect(
            results == [
                false, "locked.lua:1: the school directory is locked by another run; try again when it finishes",
            ]
        )
        // Called by pcall itself, the position is still the script's.
        let direct = try lua.run("return pcall(users.locked)", chunkName: "locked.lua")
        #expect(
            direct == [
                false, "locked.lua:1: the school directory is locked by another run; try again when it finishes",
            ]
        )
    }

    @Test func swiftErrorEndsTheRunWithItsMessage() {
        let error = runFailure(lua, "\nusers.locked()", chunkName: "locked.lua")
        guard case .runtime(let text, let location, let traceback) = error else {
            Issue.record("expected a runtime error, got \(String(describing: error))")
            return
        }
        #expect(text == "locked.lua:2: the school directory is locked by another run; try again when it finishes")
        #expect(location == LuaSourceLocation(chunk: "locked.lua", line: 2))
        #expect(traceback.contains("in function 'users.locked'") || traceback.contains("in field 'locked'"))
    }

    @Test func moduleTablesAreReadOnly() {
        #expect(
            message(of: runFailure(lua, "users.select = print", chunkName: "patch.lua"))
                == "patch.lua:1: cannot set field 'select' of 'users': the table is read-only; keep your own values in a local table"
        )
    }

    @Test func closureKeepsSwiftStateBetweenCalls() throws {
        var calls = 0
        try lua.register(function: "tick") { call in
            calls += 1
            call.push(calls)
            return 1
        }
        #expect(try lua.run("tick() tick() return tick()", chunkName: "tick.lua") == [3])
        #expect(calls == 3)
    }

    @Test func functionReturnsSeveralResults() throws {
        try lua.register(function: "pair") { call in
            call.push("a")
            call.push(2)
            return 2
        }
        #expect(try lua.run("local a, b = pair() return b, a", chunkName: "pair.lua") == [2, "a"])
    }

    @Test func pushedFunctionServesAsIterator() throws {
        try lua.register(function: "countdown") { call in
            var remaining = try call.integer(at: 1)
            call.push(function: "countdown iterator") { call in
                guard remaining > 0 else { return 0 }
                call.push(remaining)
                remaining -= 1
                return 1
            }
            return 1
        }
        let results = try lua.run(
            "local seen = {} for n in countdown(3) do seen[#seen + 1] = n end return seen",
            chunkName: "loop.lua"
        )
        #expect(results == [[3, 2, 1]])
    }

    @Test func swiftCallsBackIntoLua() throws {
        try lua.register(function: "map") { call in
            let count = try call.integer(at: 2)
            call.pushTable(arrayCapacity: count)
            for index in 1...count {
                call.pushCopy(of: 1)
                call.push(index)
                try call.callFunction(argumentCount: 1, resultCount: 1)
                call.setElement(index)
            }
            return 1
        }
        #expect(try lua.run("return map(function(n) return n * n end, 3)", chunkName: "map.lua") == [[1, 4, 9]])
    }

    @Test func luaErrorInsideCallbackPropagatesThroughSwift() {
        try? lua.register(function: "each") { call in
            call.pushCopy(of: 1)
            try call.callFunction(argumentCount: 0, resultCount: 0)
            return 0
        }
        let source = "each(function() error('row 3 has no UPN') end)"
        #expect(message(of: runFailure(lua, source, chunkName: "each.lua")) == "each.lua:1: row 3 has no UPN")
        let caught = try? lua.run("return pcall(each, function() error('inner') end)", chunkName: "each.lua")
        #expect(caught == [false, "each.lua:1: inner"])
    }
}
