import CLua
import CLuaShim

// Pushes raise no Lua error, because the allocator lifts the memory cap while Swift runs (see
// LuaState). A push that finds the stack at its maximum size (a million slots) is skipped
// instead, and the trampoline raises "stack overflow" when the function returns.
extension LuaCall {
    // MARK: - Scalars

    /// Pushes nil.
    public func pushNil() {
        guard reserve(1) else { return }
        lua_pushnil(state)
    }

    /// Pushes a boolean.
    public func push(_ value: Bool) {
        guard reserve(1) else { return }
        lua_pushboolean(state, value ? 1 : 0)
    }

    /// Pushes an integer.
    public func push(_ value: Int) {
        guard reserve(1) else { return }
        lua_pushinteger(state, lua_Integer(value))
    }

    /// Pushes a float.
    public func push(_ value: Double) {
        guard reserve(1) else { return }
        lua_pushnumber(state, value)
    }

    /// Pushes a string as its UTF-8 bytes.
    public func push(_ value: String) {
        guard reserve(1) else { return }
        StackValues.push(state, value)
    }

    /// Pushes a string, or nil.
    public func push(_ value: String?) {
        if let value { push(value) } else { pushNil() }
    }

    /// Pushes a Lua string holding `bytes` exactly, whatever their encoding.
    public func push(bytes: some Collection<UInt8>) {
        guard reserve(1) else { return }
        StackValues.push(state, bytes: bytes)
    }

    /// Pushes a deep copy of `value`.
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` for ``LuaValue/opaque(typeName:)``
    ///   and for table keys that Lua rejects (nil, NaN).
    public func push(_ value: LuaValue) throws(LuaError) {
        guard reserve(1) else { return }
        try StackValues.push(state, value, path: "value")
    }

    /// Pushes a copy of the value at `index`.
    public func pushCopy(of index: Int) {
        guard reserve(1) else { return }
        lua_pushvalue(state, Int32(index))
    }

    // MARK: - Functions and objects

    /// Pushes a Lua function backed by `body`, which Lua owns and releases when it is collected.
    /// Use it for iterators and other closures made per call.
    public func push(function name: String, _ body: @escaping LuaFunction) {
        guard reserve(1) else { return }
        let box = LuaFunctionBox(name: name, body: body)
        lanyard_push_callable(state, Unmanaged.passRetained(box).toOpaque())
    }

    /// Pushes `object` as a userdata of `type`. Lua holds a strong reference to the object and
    /// releases it when the userdata is collected.
    public func push<Object>(_ object: Object, as type: LuaUserdataType<Object>) {
        guard reserve(2) else { return }
        lanyard_push_object(state, Unmanaged.passRetained(object).toOpaque(), type.metatableReference)
    }

    // MARK: - Building tables

    /// Pushes a new empty table, sized for `arrayCapacity` elements and `fieldCapacity` fields.
    ///
    /// Fill it with ``setField(_:)`` and ``setElement(_:)``:
    /// ```swift
    /// call.pushTable(fieldCapacity: 2)
    /// call.push(user.upn)
    /// call.setField("upn")
    /// call.push(user.year)
    /// call.setField("year")
    /// ```
    public func pushTable(arrayCapacity: Int = 0, fieldCapacity: Int = 0) {
        guard reserve(1) else { return }
        lua_createtable(state, Int32(clamping: arrayCapacity), Int32(clamping: fieldCapacity))
    }

    /// Pops the value on top of the stack into field `name` of the table below it, without
    /// metamethods.
    public func setField(_ name: String) {
        guard lanyard_push_failed(state) == 0 else { return }
        precondition(lua_type(state, -2) == LUA_TTABLE, "LuaCall.setField(\"\(name)\") needs a table below the value")
        StackValues.push(state, name)
        lua_rotate(state, -2, 1)
        lua_rawset(state, -3)
    }

    /// Pops the value on top of the stack into element `position` (from 1) of the table below
    /// it, without metamethods.
    public func setElement(_ position: Int) {
        guard lanyard_push_failed(state) == 0 else { return }
        precondition(lua_type(state, -2) == LUA_TTABLE, "LuaCall.setElement(\(position)) needs a table below the value")
        lua_rawseti(state, -2, lua_Integer(position))
    }

    // MARK: - Stack space

    /// Makes room for `count` values, or records a push failure when the stack is full.
    private func reserve(_ count: Int32) -> Bool {
        if lua_checkstack(state, count) != 0 { return true }
        lanyard_note_push_failure(state)
        return false
    }
}
