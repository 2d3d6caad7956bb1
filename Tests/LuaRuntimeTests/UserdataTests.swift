import LuaRuntime
import Testing

final class Pupil {
    let upn: String
    let year: Int
    var groups: [String]

    init(upn: String, year: Int, groups: [String]) {
        self.upn = upn
        self.year = year
        self.groups = groups
    }
}

@Suite struct UserdataTests {
    let lua: LuaState
    let pupilType: LuaUserdataType<Pupil>

    init() throws {
        lua = try LuaState()
        var definition = LuaUserdataDefinition<Pupil>(name: "Lanyard.Pupil")
        definition.fields["upn"] = { pupil, call in call.push(pupil.upn) }
        definition.fields["year"] = { pupil, call in call.push(pupil.year) }
        definition.fields["nickname"] = { _, _ in }
        definition.methods["inGroup"] = { pupil, call in
            call.push(pupil.groups.contains(try call.string(at: 2)))
            return 1
        }
        definition.length = { pupil in pupil.groups.count }
        definition.description = { pupil in "Pupil \(pupil.upn)" }
        pupilType = try lua.register(definition)

        let pupilType = pupilType
        try lua.register(function: "pupil") { call in
            call.push(Pupil(upn: try call.string(at: 1), year: 7, groups: ["7B", "Choir"]), as: pupilType)
            return 1
        }
        try lua.register(function: "yearOf") { call in
            call.push(try call.userdata(at: 1, as: pupilType).year)
            return 1
        }
    }

    @Test func fieldsMethodsAndMetamethodsWork() throws {
        let source = """
            local p = pupil('B801200005001')
            return p.upn, p.year, p.nickname, p:inGroup('Choir'), p:inGroup('7C'), #p, tostring(p), yearOf(p)
            """
        let results = try lua.run(source, chunkName: "pupil.lua")
        #expect(results == ["B801200005001", 7, nil, true, false, 2, "Pupil B801200005001", 7])
    }

    static let misuses: [(String, String)] = [
        ("return pupil('x').emial", "misuse.lua:1: Lanyard.Pupil has no field or method 'emial'; check the name"),
        ("return pupil('x')[1]", "misuse.lua:1: Lanyard.Pupil cannot be indexed with a number key; use a field name"),
        ("pupil('x').year = 8", "misuse.lua:1: cannot set field 'year' of Lanyard.Pupil: its fields are read-only"),
        ("return yearOf({})", "misuse.lua:1: bad argument #1 to 'yearOf' (Lanyard.Pupil expected, got table)"),
        ("return yearOf(io)", "misuse.lua:1: bad argument #1 to 'yearOf' (Lanyard.Pupil expected, got nil)"),
        (
            "local p = pupil('x') return p.inGroup({}, 'Choir')",
            "misuse.lua:1: bad argument #1 to 'inGroup' (Lanyard.Pupil expected, got table)"
        ),
        (
            "local p = pupil('x') return p:inGroup(7)",
            "misuse.lua:1: bad argument #1 to 'inGroup' (string expected, got number)"
        ),
        ("return getmetatable(pupil('x'))", ""),
    ]

    @Test(arguments: misuses)
    func misuseRaisesClearError(_ source: String, _ expected: String) throws {
        if expected.isEmpty {
            // The metatable is hidden behind its name, so scripts cannot change the type.
            #expect(try lua.run(source, chunkName: "misuse.lua") == ["Lanyard.Pupil"])
        } else {
            #expect(message(of: runFailure(lua, source, chunkName: "misuse.lua")) == expected)
        }
    }

    @Test func objectIsReleasedWhenCollected() throws {
        weak var released: Pupil?
        do {
            let pupil = Pupil(upn: "B801200005001", year: 9, groups: [])
            released = pupil
            try lua.register(function: "current") { call in
                call.push(pupil, as: self.pupilType)
                return 1
            }
            let environment = try lua.makeEnvironment()
            _ = try lua.run("local p = current() return p.year", chunkName: "gc.lua", in: environment)
            // Unregister the function that captured the pupil.
            try lua.setGlobal("current", nil)
        }
        lua.collectGarbage()
        #expect(released == nil)
    }

    @Test func objectsAreReleasedWhenTheStateCloses() throws {
        weak var released: Pupil?
        do {
            let state = try LuaState()
            let type = try state.register(LuaUserdataDefinition<Pupil>(name: "Lanyard.Pupil"))
            try state.register(function: "keep") { call in
                let pupil = Pupil(upn: "B801200005001", year: 9, groups: [])
                released = pupil
                call.push(pupil, as: type)
                return 1
            }
            let environment = try state.makeEnvironment()
            _ = try state.run("kept = keep()", chunkName: "keep.lua", in: environment)
            #expect(released != nil)
        }
        #expect(released == nil)
    }

    @Test func fallbackIndexAnswersOtherKeys() throws {
        var definition = LuaUserdataDefinition<Pupil>(name: "Lanyard.Record")
        definition.index = { pupil, call in
            let key = try call.string(at: 2)
            call.push(key == "upper" ? pupil.upn.uppercased() : nil)
            return 1
        }
        let recordType = try lua.register(definition)
        try lua.register(function: "record") { call in
            call.push(Pupil(upn: "b801200005001", year: 7, groups: []), as: recordType)
            return 1
        }
        #expect(
            try lua.run("local r = record() return r.upper, r.other", chunkName: "record.lua") == [
                "B801200005001", nil,
            ]
        )
    }
}
