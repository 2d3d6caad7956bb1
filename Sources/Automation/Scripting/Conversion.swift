import Foundation
import LuaRuntime

/// Turns the Encodable results of domain operations into Lua tables, with snake_case keys as
/// Lua scripts write them (`pin_expiry`, `test_address`).
enum LuaConversion {
    static func value(of encodable: some Encodable) throws -> LuaValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(encodable)
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return JSONModule.luaValue(object)
    }
}
