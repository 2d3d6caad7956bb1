import CLua
import CLuaShim

/// Conversions between Lua stack slots and Swift values, shared by ``LuaCall`` and ``LuaState``.
///
/// Everything here uses only Lua API functions that raise nothing but memory errors: raw table
/// access, pushes, and `lua_next` over keys it got from `lua_next`. The allocator does not fail
/// while Swift runs (see ``LuaState``), so none of them raise.
enum StackValues {
    /// Maximum nesting depth of tables when converting, which also bounds the Swift recursion.
    static let maximumDepth = 100

    // MARK: - Strings

    static func push(_ state: OpaquePointer, _ text: String) {
        if let pushed: Void = text.utf8.withContiguousStorageIfAvailable({ buffer in
            lua_pushlstring(state, buffer.baseAddress, buffer.count)
        }) {
            return pushed
        }
        var copy = text
        copy.withUTF8 { buffer in _ = lua_pushlstring(state, buffer.baseAddress, buffer.count) }
    }

    static func push(_ state: OpaquePointer, bytes: some Collection<UInt8>) {
        if let pushed: Void = bytes.withContiguousStorageIfAvailable({ buffer in
            lua_pushlstring(state, buffer.baseAddress, buffer.count)
        }) {
            return pushed
        }
        let copy = Array(bytes)
        copy.withUnsafeBufferPointer { buffer in _ = lua_pushlstring(state, buffer.baseAddress, buffer.count) }
    }

    /// The string at `index` if it is valid UTF-8; the value must be a string.
    static func string(_ state: OpaquePointer, at index: Int32) -> String? {
        var length = 0
        let pointer = lua_tolstring(state, index, &length)
        let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
        return String(validating: buffer.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    static func bytes(_ state: OpaquePointer, at index: Int32) -> [UInt8] {
        var length = 0
        let pointer = lua_tolstring(state, index, &length)
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// Describes an error value as text without running metamethods: strings as they are, other values
    /// described by type.
    static func describeError(_ state: OpaquePointer, at index: Int32) -> String {
        switch lua_type(state, index) {
        case LUA_TSTRING:
            return string(state, at: index) ?? String(decoding: bytes(state, at: index), as: UTF8.self)
        case LUA_TNUMBER:
            var isInteger: Int32 = 0
            let integer = lua_tointegerx(state, index, &isInteger)
            return isInteger != 0 ? String(integer) : String(lua_tonumberx(state, index, nil))
        default:
            return "(error object is a \(String(cString: lanyard_type_name(state, index))) value)"
        }
    }

    // MARK: - Reading values

    static func read(_ state: OpaquePointer, at index: Int32, path: String) throws(LuaError) -> LuaValue {
        var visiting: Set<UnsafeRawPointer> = []
        return try read(state, at: lua_absindex(state, index), path: path, depth: 0, visiting: &visiting)
    }

    private static func read(
        _ state: OpaquePointer,
        at index: Int32,
        path: String,
        depth: Int,
        visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaError) -> LuaValue {
        switch lua_type(state, index) {
        case LUA_TNONE, LUA_TNIL:
            return .nil
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(state, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(state, index) != 0 {
                return .integer(Int(lua_tointegerx(state, index, nil)))
            }
            return .number(lua_tonumberx(state, index, nil))
        case LUA_TSTRING:
            if let text = string(state, at: index) { return .string(text) }
            return .bytes(bytes(state, at: index))
        case LUA_TTABLE:
            return try readTable(state, at: index, path: path, depth: depth, visiting: &visiting)
        default:
            return .opaque(typeName: String(cString: lanyard_type_name(state, index)))
        }
    }

    private static func readTable(
        _ state: OpaquePointer,
        at index: Int32,
        path: String,
        depth: Int,
        visiting: inout Set<UnsafeRawPointer>
    ) throws(LuaError) -> LuaValue {
        guard depth < maximumDepth else {
            throw LuaError.unconvertibleValue(path: path, reason: "tables nest more than \(maximumDepth) levels deep")
        }
        let identity = lua_topointer(state, index)!
        guard visiting.insert(identity).inserted else {
            throw LuaError.unconvertibleValue(path: path, reason: "the table contains itself")
        }
        defer { visiting.remove(identity) }
        guard lua_checkstack(state, 3) != 0 else {
            throw LuaError.unconvertibleValue(path: path, reason: "the Lua stack is full")
        }

        var entries: [LuaValue: LuaValue] = [:]
        let base = lua_gettop(state)
        do throws(LuaError) {
            lua_pushnil(state)
            while lua_next(state, index) != 0 {
                let keyIndex = lua_gettop(state) - 1
                let key = try read(state, at: keyIndex, path: "\(path) (a key)", depth: depth + 1, visiting: &visiting)
                let valuePath = "\(path).\(describe(key: key))"
                entries[key] = try read(state, at: keyIndex + 1, path: valuePath, depth: depth + 1, visiting: &visiting)
                lanyard_pop(state, 1)
            }
        } catch {
            lua_settop(state, base)
            throw error
        }

        let count = entries.count
        if count > 0, (1...count).allSatisfy({ entries[.integer($0)] != nil }) {
            return .array((1...count).map { entries[.integer($0)]! })
        }
        return .table(entries)
    }

    static func describe(key: LuaValue) -> String {
        switch key {
        case .string(let name): return name
        case .integer(let value): return "[\(value)]"
        case .number(let value): return "[\(value)]"
        default: return "[\(key.typeName)]"
        }
    }

    // MARK: - Pushing values

    static func push(_ state: OpaquePointer, _ value: LuaValue, path: String) throws(LuaError) {
        try push(state, value, path: path, depth: 0)
    }

    private static func push(_ state: OpaquePointer, _ value: LuaValue, path: String, depth: Int) throws(LuaError) {
        switch value {
        case .nil: lua_pushnil(state)
        case .boolean(let flag): lua_pushboolean(state, flag ? 1 : 0)
        case .integer(let integer): lua_pushinteger(state, lua_Integer(integer))
        case .number(let number): lua_pushnumber(state, number)
        case .string(let text): push(state, text)
        case .bytes(let bytes): push(state, bytes: bytes)
        case .opaque(let typeName):
            throw LuaError.unconvertibleValue(path: path, reason: "a \(typeName) read from Lua cannot be pushed back")
        case .array(let elements):
            try checkRoom(state, path: path, depth: depth)
            lua_createtable(state, Int32(clamping: elements.count), 0)
            for (offset, element) in elements.enumerated() {
                try pushElement(state, element, path: "\(path)[\(offset + 1)]", depth: depth, droppingOnFailure: 1)
                lua_rawseti(state, -2, lua_Integer(offset + 1))
            }
        case .table(let entries):
            try checkRoom(state, path: path, depth: depth)
            lua_createtable(state, 0, Int32(clamping: entries.count))
            for (key, element) in entries {
                let keyPath = "\(path).\(describe(key: key))"
                if case .nil = key {
                    lanyard_pop(state, 1)
                    throw LuaError.unconvertibleValue(path: keyPath, reason: "Lua tables cannot have a nil key")
                }
                if case .number(let number) = key, number.isNaN {
                    lanyard_pop(state, 1)
                    throw LuaError.unconvertibleValue(path: keyPath, reason: "Lua tables cannot have a NaN key")
                }
                try pushElement(state, key, path: keyPath, depth: depth, droppingOnFailure: 1)
                try pushElement(state, element, path: keyPath, depth: depth, droppingOnFailure: 2)
                lua_rawset(state, -3)
            }
        }
    }

    /// Pushes a key or value of a table under construction. On failure it pops `count` values
    /// (the table, and the key when the value failed), so the stack is as before the table.
    private static func pushElement(
        _ state: OpaquePointer,
        _ value: LuaValue,
        path: String,
        depth: Int,
        droppingOnFailure count: Int32
    ) throws(LuaError) {
        do throws(LuaError) {
            try push(state, value, path: path, depth: depth + 1)
        } catch {
            lanyard_pop(state, count)
            throw error
        }
    }

    private static func checkRoom(_ state: OpaquePointer, path: String, depth: Int) throws(LuaError) {
        guard depth < maximumDepth else {
            throw LuaError.unconvertibleValue(path: path, reason: "tables nest more than \(maximumDepth) levels deep")
        }
        guard lua_checkstack(state, 3) != 0 else {
            throw LuaError.unconvertibleValue(path: path, reason: "the Lua stack is full")
        }
    }
}
