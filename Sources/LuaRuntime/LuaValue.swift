/// A Lua value copied into Swift, or a Swift value to push into Lua.
///
/// Tables convert deeply. A table whose keys are exactly `1...n` (n ≥ 1) reads as ``array(_:)``;
/// any other table, including an empty one, reads as ``table(_:)``. Strings that are valid UTF-8
/// read as ``string(_:)``, others as ``bytes(_:)``. Functions, userdata, threads and light
/// userdata have no Swift copy and read as ``opaque(typeName:)``, which cannot be pushed back.
///
/// ```swift
/// let settings: LuaValue = .table(["school": "Hilltop", "years": .array([7, 8])])
/// ```
public indirect enum LuaValue: Sendable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    /// A Lua string that is not valid UTF-8, byte for byte.
    case bytes([UInt8])
    case array([LuaValue])
    case table([LuaValue: LuaValue])
    /// A value with no Swift copy; `typeName` is its metatable's `__name` or its Lua type.
    case opaque(typeName: String)

    // MARK: - Reading

    /// The text of a string value, or nil for any other value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of an integer, or of a float with an exact integer value; nil otherwise.
    public var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// The value of a number of either kind; nil otherwise.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The value of a boolean; nil otherwise (not Lua's truthiness).
    public var booleanValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// The elements of an array, or an empty array for an empty table; nil otherwise.
    public var arrayValue: [LuaValue]? {
        switch self {
        case .array(let elements): return elements
        case .table(let entries) where entries.isEmpty: return []
        default: return nil
        }
    }

    /// The entries of a table with string keys only, arrays excluded; nil otherwise.
    public var fields: [String: LuaValue]? {
        guard case .table(let entries) = self else { return nil }
        var fields: [String: LuaValue] = [:]
        for (key, value) in entries {
            guard case .string(let name) = key else { return nil }
            fields[name] = value
        }
        return fields
    }

    /// Returns the value of field `name` of a table, or nil.
    public subscript(name: String) -> LuaValue? {
        guard case .table(let entries) = self else { return nil }
        return entries[.string(name)]
    }

    /// The Lua type name of the value (`nil`, `boolean`, `number`, `string`, `table`), or the
    /// recorded name of an opaque value.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string, .bytes: return "string"
        case .array, .table: return "table"
        case .opaque(let typeName): return typeName
        }
    }
}

// MARK: - Literals

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
        self = .table(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
