/// The options that every command accepts, before or after the command name.
public struct GlobalOptions: Sendable, Equatable {
    /// `--db PATH`, if given.
    public var database: String?
    /// `--json`: machine-readable output on standard output.
    public var json: Bool
    /// `--quiet`: no progress and no notes, only results, warnings and errors.
    public var quiet: Bool
    /// `--no-color`: plain text even on a terminal.
    public var noColor: Bool

    public init(database: String? = nil, json: Bool = false, quiet: Bool = false, noColor: Bool = false) {
        self.database = database
        self.json = json
        self.quiet = quiet
        self.noColor = noColor
    }

    /// The environment variable that names the database when `--db` is not given.
    public static let databaseVariable = "LANYARD_DB"
    /// The database file used when neither `--db` nor `$LANYARD_DB` is given.
    public static let defaultDatabasePath = "lanyard.db"

    /// Returns `--db`, else a non-empty `$LANYARD_DB`, else `lanyard.db` in the working directory.
    public func databasePath(environment: [String: String]) -> String {
        if let database { return database }
        if let fromEnvironment = environment[Self.databaseVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Self.defaultDatabasePath
    }

    // MARK: - Declarations

    static let databaseOption = Option<String?>(
        "db", valueName: "PATH",
        help: "The school directory database. Default: $LANYARD_DB, else lanyard.db in the current folder.")
    static let jsonFlag = Flag("json", help: "Writes results as JSON on standard output.")
    static let quietFlag = Flag("quiet", short: "q", help: "Shows no progress or notes, only results and errors.")
    static let noColorFlag = Flag("no-color", help: "Writes plain text without colours, even on a terminal.")
    static let helpFlag = Flag("help", short: "h", help: "Shows help for the command.")
    static let versionFlag = Flag("version", help: "Shows the version of lanyard.")

    /// The global options in the order help lists them.
    public static let definitions: [ArgumentDefinition] = [
        databaseOption.definition, jsonFlag.definition, quietFlag.definition, noColorFlag.definition,
        helpFlag.definition, versionFlag.definition,
    ]

    init(_ values: ParsedValues) {
        self.init(
            database: values.values(ofOption: Self.databaseOption.option.name).last.flatMap {
                if case .string(let path) = $0 { path } else { nil }
            },
            json: values.isSet(flag: Self.jsonFlag.flag.name),
            quiet: values.isSet(flag: Self.quietFlag.flag.name),
            noColor: values.isSet(flag: Self.noColorFlag.flag.name))
    }
}
