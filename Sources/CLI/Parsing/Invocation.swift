/// One run of a leaf command: the parsed arguments, the global options, and where to write.
///
/// Typed declarations read their values back through the subscripts:
///
/// ```swift
/// let limit = invocation[UsersList.limit]      // Int, the default when not given
/// let dryRun = invocation[ImportCTF.dryRun]    // Bool
/// invocation.console.write("Imported \(count) students.\n")
/// ```
public struct Invocation: Sendable {
    /// The command names from the program to the leaf, such as `["lanyard", "import", "ctf"]`.
    public var commandPath: [String]
    public var values: ParsedValues
    public var globals: GlobalOptions
    /// Standard output and standard error, with `--no-color` and `--quiet` already applied.
    public var console: Console
    /// The environment variables of the process, or a fixed set in tests.
    public var environment: [String: String]

    public init(
        commandPath: [String], values: ParsedValues, globals: GlobalOptions, console: Console,
        environment: [String: String]
    ) {
        self.commandPath = commandPath
        self.values = values
        self.globals = globals
        self.console = console
        self.environment = environment
    }

    /// The command as the user would type it, such as `lanyard import ctf`.
    public var commandName: String { commandPath.joined(separator: " ") }

    /// Returns the value of an option, or its default when it was not given.
    public subscript<Value>(option: Option<Value>) -> Value {
        option.decode(values.values(ofOption: option.option.name))
    }

    /// Returns whether a flag was given.
    public subscript(flag: Flag) -> Bool {
        values.isSet(flag: flag.flag.name)
    }

    /// Returns the words of a positional argument.
    public subscript<Value>(argument: Argument<Value>) -> Value {
        argument.decode(values.words(ofArgument: argument.positional.valueName))
    }

    /// The database file: `--db`, else `$LANYARD_DB`, else `lanyard.db` in the working directory.
    public var databasePath: String {
        globals.databasePath(environment: environment)
    }
}
