import CLua
import CLuaShim

/// A global table for runs: a copy of the state's template of globals, plus what the host and
/// the scripts run in it set.
///
/// ``LuaState/run(_:chunkName:arguments:in:)`` makes a fresh one per run unless given one.
/// Modules loaded with `require` are cached per environment.
///
/// ```swift
/// let environment = try lua.makeEnvironment()
/// try environment.setGlobal("dryRun", true)
/// _ = try lua.run("x = 1", chunkName: "first.lua", in: environment)
/// _ = try lua.run("return x", chunkName: "second.lua", in: environment)   // [.integer(1)]
/// ```
public final class LuaEnvironment {
    /// The state, kept alive as long as the environment.
    let owner: LuaState
    /// The registry reference of the table.
    let reference: Int32

    init(owner: LuaState, reference: Int32) {
        self.owner = owner
        self.reference = reference
    }

    deinit {
        luaL_unref(owner.state, lanyard_registry_index(), reference)
    }

    /// Sets global `name` in this environment only.
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` when `value` cannot be pushed.
    public func setGlobal(_ name: String, _ value: LuaValue) throws(LuaError) {
        try owner.withCleanStack { () throws(LuaError) in
            lua_rawgeti(owner.state, lanyard_registry_index(), lua_Integer(reference))
            try StackValues.push(owner.state, value, path: name)
            LuaCall(hostState: owner.state).setField(name)
        }
    }

    /// Makes `body` the global function `name` in this environment only, for host functions
    /// that belong to one run (its report, its transaction).
    /// - Throws: ``LuaError`` only when the Lua stack is full.
    public func register(function name: String, _ body: @escaping LuaFunction) throws(LuaError) {
        try owner.withCleanStack { () throws(LuaError) in
            let call = LuaCall(hostState: owner.state)
            lua_rawgeti(owner.state, lanyard_registry_index(), lua_Integer(reference))
            call.push(function: name, body)
            call.setField(name)
        }
    }

    /// Returns a copy of global `name`, read without metamethods.
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` for tables that contain themselves.
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        try owner.withCleanStack { () throws(LuaError) -> LuaValue in
            lua_rawgeti(owner.state, lanyard_registry_index(), lua_Integer(reference))
            StackValues.push(owner.state, name)
            lua_rawget(owner.state, -2)
            return try StackValues.read(owner.state, at: -1, path: name)
        }
    }

    /// Returns the globals that differ from the template: those the runs assigned, other than `_G`.
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` for a global that is not named
    ///   by a string, and for tables that contain themselves.
    public func assignedGlobals() throws(LuaError) -> [String: LuaValue] {
        let state = owner.state
        return try owner.withCleanStack { () throws(LuaError) -> [String: LuaValue] in
            lanyard_push_template(state)
            let template = lua_gettop(state)
            lua_rawgeti(state, lanyard_registry_index(), lua_Integer(reference))
            let environment = lua_gettop(state)

            var globals: [String: LuaValue] = [:]
            lua_pushnil(state)
            while lua_next(state, environment) != 0 {
                // Stack: key, value. Skip what the template contains unchanged, and _G itself.
                lua_pushvalue(state, -2)
                lua_rawget(state, template)
                let inherited = lua_rawequal(state, -1, -2) != 0 || lua_rawequal(state, -2, environment) != 0
                lanyard_pop(state, 1)
                if !inherited {
                    guard lua_type(state, -2) == LUA_TSTRING, let name = StackValues.string(state, at: -2) else {
                        let key = StackValues.describeError(state, at: -2)
                        throw LuaError.unconvertibleValue(
                            path: "global [\(key)]",
                            reason: "global names must be strings"
                        )
                    }
                    globals[name] = try StackValues.read(state, at: -1, path: name)
                }
                lanyard_pop(state, 1)
            }
            return globals
        }
    }
}
