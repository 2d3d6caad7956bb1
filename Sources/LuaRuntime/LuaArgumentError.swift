/// A bad argument passed to a Swift function from Lua.
///
/// Its text follows Lua's own: `bad argument #1 to 'users.select' (string or table expected,
/// got number)`. When the function was called with method syntax (`selection:limit("x")`), the
/// receiver is not counted, and a bad receiver reads `calling 'limit' on bad self (...)`, as in
/// Lua's auxiliary library. Create one with ``LuaCall/argumentError(at:_:)`` or
/// ``LuaCall/typeError(at:expected:)``, which work out the numbering.
public struct LuaArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The argument's position as the script wrote it, counting from 1; 0 for a method's receiver.
    public let position: Int
    /// The function's name as registered, such as `users.select`.
    public let functionName: String
    /// What is wrong, such as `string expected, got number`.
    public let detail: String

    public init(position: Int, functionName: String, detail: String) {
        self.position = position
        self.functionName = functionName
        self.detail = detail
    }

    public var description: String {
        if position == 0 {
            return "calling '\(functionName)' on bad self (\(detail))"
        }
        return "bad argument #\(position) to '\(functionName)' (\(detail))"
    }
}
