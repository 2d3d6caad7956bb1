// MARK: - Values

/// A `key=value` pair given to an option such as `--map UPN=upn` or `--arg term=autumn`.
public struct KeyValuePair: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// One checked value of an option. Choices are stored as their word.
public enum ParsedValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case keyValue(KeyValuePair)
}

// MARK: - Parsed values

/// The options, flags and positional arguments that the parser read for one command, keyed by
/// name so that commands declared at run time can read them without typed declarations.
///
/// Commands written in Swift read them through ``Invocation``'s typed subscripts instead.
public struct ParsedValues: Sendable, Equatable {
    /// The values of each option that was given, keyed by long name, in command-line order.
    public internal(set) var options: [String: [ParsedValue]] = [:]
    /// The long names of the flags that were given.
    public internal(set) var flags: Set<String> = []
    /// The words of each positional argument that was given, keyed by value name.
    public internal(set) var positionals: [String: [String]] = [:]

    public init() {}

    /// Returns the values given for the option `name` (without dashes), or none.
    public func values(ofOption name: String) -> [ParsedValue] {
        options[name] ?? []
    }

    /// Returns whether the flag `name` (without dashes) was given.
    public func isSet(flag name: String) -> Bool {
        flags.contains(name)
    }

    /// Returns the words given for the positional argument `valueName`, or none.
    public func words(ofArgument valueName: String) -> [String] {
        positionals[valueName] ?? []
    }
}
