import Foundation
import LuaRuntime
import Testing

@Suite struct LimitTests {
    @Test func instructionLimitNamesTheLimitAndLine() throws {
        let lua = try LuaState(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 64 << 20))
        let error = runFailure(lua, "local n = 0\nwhile true do n = n + 1 end", chunkName: "loop.lua")
        #expect(
            error
                == .instructionLimitExceeded(limit: 1_000_000, location: LuaSourceLocation(chunk: "loop.lua", line: 2))
        )
        #expect(
            error?.description
                == "loop.lua:2: the script was stopped after 1000000 instructions, its instruction limit; look for a loop that never ends, or raise the limit"
        )
        #expect(lua.instructionsUsed > 1_000_000)
    }

    @Test func memoryLimitNamesTheLimit() throws {
        let lua = try LuaState(limits: LuaLimits(instructions: 0, memoryBytes: 8 << 20))
        let error = runFailure(lua, "local t = {} while true do t[#t + 1] = {} end", chunkName: "grow.lua")
        #expect(
            error == .memoryLimitExceeded(limit: 8 << 20, location: LuaSourceLocation(chunk: "grow.lua", line: nil))
        )
        #expect(
            error?.description
                == "grow.lua: the script was stopped because it needed more than 8388608 bytes (8 MiB) of memory, its memory limit; look for a table or string that grows without end, or raise the limit"
        )
    }

    @Test func stateStaysHealthyAfterEachLimit() throws {
        let lua = try LuaState(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 16 << 20))
        let baseline = lua.memoryInUse
        for source in [
            "while true do end", "local s = string.rep('x', 1 << 30)", "local t = {} while true do t[#t + 1] = {} end",
        ] {
            _ = runFailure(lua, source)
            let results = try lua.run(
                "local t = {} for i = 1, 1000 do t[i] = tostring(i) end return #t",
                chunkName: "next.lua"
            )
            #expect(results == [1000], "after \(source)")
        }
        lua.collectGarbage()
        #expect(lua.memoryInUse < baseline + (1 << 20))
    }

    @Test func scriptNearTheCapSurvivesGarbage() throws {
        // Live data stays small, but the garbage alone would exceed the cap many times over.
        let lua = try LuaState(limits: LuaLimits(instructions: 0, memoryBytes: 4 << 20))
        let source = "local kept for i = 1, 2000 do kept = string.rep('x', 10000) .. i end return #kept"
        #expect(try lua.run(source, chunkName: "churn.lua") == [10004])
    }

    @Test func limitsCanBeRaised() throws {
        let lua = try LuaState(limits: LuaLimits(instructions: 100_000, memoryBytes: 64 << 20))
        let source = "local n = 0 for i = 1, 200000 do n = n + i end return n"
        #expect(
            runFailure(lua, source)
                == .instructionLimitExceeded(limit: 100_000, location: LuaSourceLocation(chunk: "test.lua", line: 1))
        )
        lua.limits.instructions = 10_000_000
        #expect(try lua.run(source, chunkName: "test.lua") == [20_000_100_000])
    }

    @Test func zeroMeansNoLimit() throws {
        let lua = try LuaState(limits: LuaLimits(instructions: 0, memoryBytes: 0))
        #expect(
            try lua.run("local n = 0 for i = 1, 3000000 do n = n + 1 end return n", chunkName: "long.lua") == [
                3_000_000
            ]
        )
    }

    @Test func interruptStopsRunFromAnotherThread() throws {
        let lua = try LuaState(limits: LuaLimits(instructions: 0, memoryBytes: 64 << 20))
        let interrupter = lua.interrupter
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            interrupter.interrupt()
        }
        thread.start()
        let error = runFailure(lua, "while true do end", chunkName: "repl.lua")
        #expect(error == .interrupted(location: LuaSourceLocation(chunk: "repl.lua", line: 1)))
        #expect(error?.description == "repl.lua:1: the script was interrupted")
        #expect(try lua.run("return 'still here'", chunkName: "next.lua") == ["still here"])
    }

    @Test func interruptBetweenRunsIsDropped() throws {
        let lua = try LuaState()
        lua.interrupter.interrupt()
        #expect(try lua.run("local n = 0 for i = 1, 10000 do n = n + 1 end return n", chunkName: "next.lua") == [10000])
    }
}
