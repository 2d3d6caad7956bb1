/// Evaluates configuration files such as `lanyard.config.lua` in a sandbox without I/O.
///
/// The file runs in its own small state with the safe standard library but no `print`, no
/// `require` and no host functions. Its settings are the table it returns or, when it returns
/// nothing, the globals it assigns:
///
/// ```lua
/// school = "Hilltop Academy"
/// smtp = { host = "127.0.0.1", port = 2525 }
/// ```
///
/// ```swift
/// let settings = try LuaConfiguration.evaluate(fileAtPath: "lanyard.config.lua")
/// let port = settings["smtp"]?["port"]?.integerValue   // 2525
/// ```
public enum LuaConfiguration {
    /// Runs the configuration file at `path` and returns its settings.
    /// - Throws: ``LuaError`` when the file cannot be read, does not compile, fails, exceeds
    ///   `limits`, or contains values other than nil, booleans, numbers, strings and tables.
    public static func evaluate(
        fileAtPath path: String,
        limits: LuaLimits = .configurationDefaults
    ) throws(LuaError) -> [String: LuaValue] {
        try evaluate(limits: limits, chunkName: path) { state, environment throws(LuaError) in
            try state.runFile(atPath: path, in: environment)
        }
    }

    /// Runs configuration source named `chunkName` in messages and returns its settings.
    /// - Throws: the errors of ``evaluate(fileAtPath:limits:)``.
    public static func evaluate(
        source: String,
        chunkName: String,
        limits: LuaLimits = .configurationDefaults
    ) throws(LuaError) -> [String: LuaValue] {
        try evaluate(limits: limits, chunkName: chunkName) { state, environment throws(LuaError) in
            try state.run(source, chunkName: chunkName, in: environment)
        }
    }

    private static func evaluate(
        limits: LuaLimits,
        chunkName: String,
        run: (LuaState, LuaEnvironment) throws(LuaError) -> [LuaValue]
    ) throws(LuaError) -> [String: LuaValue] {
        let state = try LuaState(limits: limits, forScripts: false)
        let environment = try state.makeEnvironment()
        let results = try run(state, environment)

        // The returned table, or the assigned globals.
        let settings: [String: LuaValue]
        switch results.first ?? .nil {
        case .nil:
            settings = try environment.assignedGlobals()
        case .table(let entries):
            settings = try names(of: entries, chunkName: chunkName)
        case .array:
            throw LuaError.unconvertibleValue(
                path: "setting [1] of \(chunkName)",
                reason: "setting names must be strings; name each setting, as in school = \"Hilltop\""
            )
        case let other:
            throw LuaError.unconvertibleValue(
                path: "the result of \(chunkName)",
                reason: "a configuration must return a table of settings or nothing, not a \(other.typeName)"
            )
        }
        for (name, value) in settings {
            try checkData(value, path: name, chunkName: chunkName)
        }
        return settings
    }

    private static func names(of entries: [LuaValue: LuaValue], chunkName: String) throws(LuaError) -> [String:
        LuaValue]
    {
        var settings: [String: LuaValue] = [:]
        for (key, value) in entries {
            guard case .string(let name) = key else {
                throw LuaError.unconvertibleValue(
                    path: "setting [\(StackValues.describe(key: key))] of \(chunkName)",
                    reason: "setting names must be strings; name each setting, as in school = \"Hilltop\""
                )
            }
            settings[name] = value
        }
        return settings
    }

    /// Rejects functions and other values that only make sense inside Lua.
    private static func checkData(_ value: LuaValue, path: String, chunkName: String) throws(LuaError) {
        switch value {
        case .opaque(let typeName):
            throw LuaError.unconvertibleValue(
                path: "setting '\(path)' of \(chunkName)",
                reason: "it is a \(typeName); use a string, number, boolean or table"
            )
        case .array(let elements):
            for (offset, element) in elements.enumerated() {
                try checkData(element, path: "\(path)[\(offset + 1)]", chunkName: chunkName)
            }
        case .table(let entries):
            for (key, element) in entries {
                try checkData(element, path: "\(path).\(StackValues.describe(key: key))", chunkName: chunkName)
            }
        default:
            break
        }
    }
}
