import LuaRuntime

/// Reads `lanyard.config.lua` through the Lua sandbox and flattens its tables into dotted keys.
enum ConfigurationFile {
    /// The file's settings as `codes.pin_length`-style keys.
    /// - Throws: ``ConfigurationError`` when the file does not run or holds a value that is not
    ///   a string, a whole number, a boolean or a table of them.
    static func evaluate(path: String) throws -> [String: ConfigurationValue] {
        let globals: [String: LuaValue]
        do {
            globals = try LuaConfiguration.evaluate(fileAtPath: path)
        } catch {
            throw ConfigurationError.invalidFile(file: LanyardConfiguration.fileName, message: "\(error)")
        }
        var values: [String: ConfigurationValue] = [:]
        for (name, value) in globals {
            try flatten(value, name: name, into: &values)
        }
        return values
    }

    private static func flatten(_ value: LuaValue, name: String, into values: inout [String: ConfigurationValue]) throws {
        switch value {
        case .string(let text):
            values[name] = .string(text)
        case .integer(let number):
            values[name] = .integer(number)
        case .number(let number):
            guard let whole = Int(exactly: number) else {
                throw ConfigurationError.invalidFile(
                    file: LanyardConfiguration.fileName, message: "'\(name)' is \(number); settings take whole numbers")
            }
            values[name] = .integer(whole)
        case .boolean(let flag):
            values[name] = .boolean(flag)
        case .table, .array:
            guard let fields = value.fields else {
                throw ConfigurationError.invalidFile(
                    file: LanyardConfiguration.fileName, message: "'\(name)' is a list; group settings in a table with names, as in codes = { pin_length = 8 }")
            }
            for (key, inner) in fields {
                try flatten(inner, name: "\(name).\(key)", into: &values)
            }
        case .nil:
            return
        default:
            throw ConfigurationError.invalidFile(
                file: LanyardConfiguration.fileName, message: "'\(name)' is a \(value.typeName); settings take strings, numbers, true or false")
        }
    }
}
