import CLua
import CLuaShim

/// The Lua stack during a call of a Swift function: its arguments at indices `1...argumentCount`,
/// and the results it pushes above them.
///
/// A `LuaCall` is valid only while the function that received it runs; do not store it.
/// Indices are absolute (1 is the first argument); ``top`` is the index of the topmost value.
///
/// ```swift
/// try state.register(function: "users.count") { call in
///     let query = try call.optionalString(at: 1) ?? ""
///     call.push(try directory.count(matching: query))
///     return 1
/// }
/// ```
public struct LuaCall {
    let state: OpaquePointer
    unowned(unsafe) let callee: LuaCallable?
    /// How many arguments the function received.
    public let argumentCount: Int

    init(state: OpaquePointer, callee: LuaCallable?, argumentCount: Int) {
        self.state = state
        self.callee = callee
        self.argumentCount = argumentCount
    }

    /// A view of the stack for the host's own pushes, outside any Swift function.
    init(hostState state: OpaquePointer) {
        self.init(state: state, callee: nil, argumentCount: Int(lua_gettop(state)))
    }

    /// The function's registered name, for messages.
    public var functionName: String { callee?.name ?? "?" }

    /// The index of the value on top of the stack (0 when the stack is empty).
    public var top: Int { Int(lua_gettop(state)) }

    // MARK: - Types

    /// Returns the type of the value at `index`, or `.none` past the top.
    public func type(at index: Int) -> LuaType {
        LuaType(code: lua_type(state, Int32(index)))
    }

    /// True when the argument at `index` is nil or missing.
    public func isNil(at index: Int) -> Bool {
        lua_type(state, Int32(index)) <= LUA_TNIL
    }

    // MARK: - Reading arguments

    /// Returns the string at `index`, which must be valid UTF-8. Numbers are not converted.
    /// - Throws: ``LuaArgumentError`` for other types and for strings that are not UTF-8.
    public func string(at index: Int) throws(LuaArgumentError) -> String {
        guard lua_type(state, Int32(index)) == LUA_TSTRING else {
            throw typeError(at: index, expected: "string")
        }
        guard let text = StackValues.string(state, at: Int32(index)) else {
            throw argumentError(at: index, "string is not valid UTF-8")
        }
        return text
    }

    /// Returns the string at `index`, or nil when the argument is nil or missing.
    /// - Throws: ``LuaArgumentError`` for other types and for strings that are not UTF-8.
    public func optionalString(at index: Int) throws(LuaArgumentError) -> String? {
        isNil(at: index) ? nil : try string(at: index)
    }

    /// Returns the bytes of the string at `index`, whatever their encoding.
    /// - Throws: ``LuaArgumentError`` when the argument is not a string.
    public func bytes(at index: Int) throws(LuaArgumentError) -> [UInt8] {
        guard lua_type(state, Int32(index)) == LUA_TSTRING else {
            throw typeError(at: index, expected: "string")
        }
        return StackValues.bytes(state, at: Int32(index))
    }

    /// Calls `body` with the bytes of the string at `index`, without copying them. The buffer is
    /// valid only inside `body`.
    /// - Throws: ``LuaArgumentError`` when the argument is not a string, or what `body` throws.
    public func withBytes<Result>(
        at index: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        guard lua_type(state, Int32(index)) == LUA_TSTRING else {
            throw typeError(at: index, expected: "string")
        }
        var length = 0
        let pointer = lua_tolstring(state, Int32(index), &length)
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// Returns the integer at `index`. Floats with an integral value and numeric strings are accepted,
    /// as Lua's `luaL_checkinteger` does.
    /// - Throws: ``LuaArgumentError`` for other values.
    public func integer(at index: Int) throws(LuaArgumentError) -> Int {
        var isInteger: Int32 = 0
        let value = lua_tointegerx(state, Int32(index), &isInteger)
        if isInteger != 0 { return Int(value) }
        if lua_isnumber(state, Int32(index)) != 0 {
            throw argumentError(at: index, "number has no integer representation")
        }
        throw typeError(at: index, expected: "number")
    }

    /// Returns the integer at `index`, or nil when the argument is nil or missing.
    /// - Throws: ``LuaArgumentError`` for values that are not integers.
    public func optionalInteger(at index: Int) throws(LuaArgumentError) -> Int? {
        isNil(at: index) ? nil : try integer(at: index)
    }

    /// Returns the number at `index`. Numeric strings are accepted, as Lua's `luaL_checknumber` does.
    /// - Throws: ``LuaArgumentError`` for other values.
    public func number(at index: Int) throws(LuaArgumentError) -> Double {
        var isNumber: Int32 = 0
        let value = lua_tonumberx(state, Int32(index), &isNumber)
        guard isNumber != 0 else { throw typeError(at: index, expected: "number") }
        return value
    }

    /// Returns the truth of the value at `index` in Lua's sense: false only for nil, false and missing.
    public func boolean(at index: Int) -> Bool {
        lua_toboolean(state, Int32(index)) != 0
    }

    /// Returns a deep copy of the value at `index` (see ``LuaValue`` for the mapping).
    /// - Throws: ``LuaError/unconvertibleValue(path:reason:)`` for tables that contain
    ///   themselves or nest too deeply.
    public func value(at index: Int) throws(LuaError) -> LuaValue {
        try StackValues.read(state, at: Int32(index), path: "argument #\(index)")
    }

    /// Returns the Swift object of the userdata at `index`, which must be of `type`.
    /// - Throws: ``LuaArgumentError`` naming the expected type.
    public func userdata<Object>(at index: Int, as type: LuaUserdataType<Object>) throws(LuaArgumentError) -> Object {
        guard let pointer = lanyard_object_at(state, Int32(index), type.metatable) else {
            throw typeError(at: index, expected: type.name)
        }
        return Unmanaged<Object>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: - Argument errors

    /// Makes an argument error for `index` with Lua's numbering and wording.
    ///
    /// ```swift
    /// throw call.argumentError(at: 1, "unknown selection term 'yaer:7'")
    /// ```
    public func argumentError(at index: Int, _ detail: String) -> LuaArgumentError {
        var position = index
        if lanyard_called_as_method(state) != 0 { position -= 1 }
        return LuaArgumentError(position: position, functionName: functionName, detail: detail)
    }

    /// Makes an argument error that names the expected type and the one passed, such as
    /// `string or table expected, got number`.
    public func typeError(at index: Int, expected: String) -> LuaArgumentError {
        let actual: String
        if lua_type(state, Int32(index)) == LUA_TNONE {
            actual = "no value"
        } else {
            actual = String(cString: lanyard_type_name(state, Int32(index)))
        }
        return argumentError(at: index, "\(expected) expected, got \(actual)")
    }

    // MARK: - Stack

    /// Removes `count` values from the top of the stack.
    public func pop(_ count: Int = 1) {
        precondition(count <= top, "LuaCall.pop(\(count)) removes more values than the stack holds (\(top))")
        lanyard_pop(state, Int32(count))
    }

    /// Calls the function pushed below `argumentCount` arguments, in protected mode, leaving
    /// `resultCount` results in their place.
    ///
    /// ```swift
    /// call.pushCopy(of: 2)               // the script's callback
    /// call.push(row, as: userType)
    /// try call.callFunction(argumentCount: 1, resultCount: 1)
    /// let include = call.boolean(at: call.top)
    /// call.pop()
    /// ```
    /// - Throws: ``LuaError/runtime(message:location:traceback:)`` with the error the function
    ///   raised, converted to text. Rethrowing it from the Swift function raises the same text
    ///   again in Lua, so an error table raised inside the callback reaches the script's `pcall`
    ///   as a string.
    ///
    /// TODO: a `LuaReference` type (a registry reference released in deinit) would let the host
    /// keep a script's callback after the call returns, for a scheduler.
    public func callFunction(argumentCount: Int, resultCount: Int) throws(LuaError) {
        precondition(top > argumentCount, "LuaCall.callFunction needs a function below its \(argumentCount) arguments")
        let status = lanyard_pcall_plain(state, Int32(argumentCount), Int32(resultCount))
        guard status == LUA_OK else {
            let message = StackValues.describeError(state, at: -1)
            lanyard_pop(state, 1)
            throw LuaError.runtime(message: message, location: nil, traceback: "")
        }
    }

    /// Pushes an error message; used by the trampoline, which then raises it.
    func pushMessage(_ message: String) {
        if lua_checkstack(state, 1) == 0 { lanyard_pop(state, 1) }
        StackValues.push(state, message)
    }
}
