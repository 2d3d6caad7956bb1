/// A position in a chunk: the chunk's name as Lua shows it (`script.lua`) and a line.
public struct LuaSourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The chunk name without Lua's `@` prefix, as it appears in messages.
    public let chunk: String
    /// The line number, or nil when Lua did not know it.
    public let line: Int?

    public init(chunk: String, line: Int?) {
        self.chunk = chunk
        self.line = line
    }

    /// `chunk:line`, or `chunk` alone without a line.
    public var description: String { line.map { "\(chunk):\($0)" } ?? chunk }
}

/// A failure to load or run Lua code, or to convert between Lua and Swift values.
///
/// The limit cases carry the limit that was exceeded, so that a front end can tell how to raise
/// it (the `lanyard` command adds "raise it with --instruction-limit N") in its own words.
public enum LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The chunk did not compile. `message` is Lua's, starting with `chunk:line:`.
    case syntax(message: String, location: LuaSourceLocation)
    /// The chunk raised an error, or a Swift function it called threw.
    ///
    /// `message` is the error value as text; Lua prefixes string errors raised by `error` with
    /// `chunk:line:`. `location` is the innermost Lua function running when the error was
    /// raised, and `traceback` is Lua's `stack traceback:` text.
    case runtime(message: String, location: LuaSourceLocation?, traceback: String)
    /// The run executed more VM instructions than its budget allows.
    case instructionLimitExceeded(limit: Int, location: LuaSourceLocation)
    /// The state needed more memory than the cap allows, even after collecting garbage.
    case memoryLimitExceeded(limit: Int, location: LuaSourceLocation)
    /// The host interrupted the run through ``LuaInterrupter``.
    case interrupted(location: LuaSourceLocation)
    /// A script or configuration file could not be read.
    case fileNotReadable(path: String, reason: String)
    /// A Lua value has no Swift counterpart, or a Swift value none in Lua. `path` names the
    /// value, such as `result 1` or `smtp.port`.
    case unconvertibleValue(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let message, _):
            return message
        case .runtime(let message, _, _):
            return message
        case .instructionLimitExceeded(let limit, let location):
            return "\(location): the script was stopped after \(limit) instructions, its instruction limit; "
                + "look for a loop that never ends, or raise the limit"
        case .memoryLimitExceeded(let limit, let location):
            return "\(location): the script was stopped because it needed more than \(Self.describe(bytes: limit)) "
                + "of memory, its memory limit; look for a table or string that grows without end, or raise the limit"
        case .interrupted(let location):
            return "\(location): the script was interrupted"
        case .fileNotReadable(let path, let reason):
            return "cannot read '\(path)': \(reason); check the path and its permissions"
        case .unconvertibleValue(let path, let reason):
            return "cannot convert \(path): \(reason)"
        }
    }

    /// `268435456 bytes (256 MiB)`, or bytes alone below one MiB.
    static func describe(bytes: Int) -> String {
        let mebibyte = 1 << 20
        guard bytes >= mebibyte else { return "\(bytes) bytes" }
        let mebibytes = Double(bytes) / Double(mebibyte)
        let rounded = mebibytes.rounded() == mebibytes ? String(Int(mebibytes)) : String(format1: mebibytes)
        return "\(bytes) bytes (\(rounded) MiB)"
    }
}

extension String {
    /// Formats `value` with one decimal place, without Foundation.
    fileprivate init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
