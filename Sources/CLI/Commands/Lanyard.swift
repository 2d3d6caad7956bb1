import Domain
import Foundation

/// The `lanyard` command tree and version.
public enum Lanyard {
    public static let version = "0.1.0"

    /// Every built-in command. Plugins add theirs at run time with ``CommandSpec/adding(_:)``.
    public static let commands = CommandSpec.group(
        "lanyard", abstract: "Distributes school login details: imports, codes, letters and emails, scripted in Lua.",
        discussion: """
            The directory is the SQLite file at --db, else $LANYARD_DB, else ./lanyard.db. \
            Settings are read from lanyard.config.lua in the working folder (see 'lanyard config').
            """,
        examples: [
            Example("Import a OneRoster bundle, then list Year 7.", "lanyard import oneroster ./export"),
            Example("List Year 7 students without email.", "lanyard users list --where 'year:7 email:missing'"),
        ],
        subcommands: [
            InitCommand.spec,
            ImportCommands.group,
            UsersCommands.group.adding(UsersUpdateEmailsCommand.spec),
            CodesCommands.group,
            DetailsCommands.group, ParentsCommands.group,
            LinksCommands.group, OutboxCommands.group,
            ConfigCommand.spec,
            DemoCommands.group,
            RunCommand.spec,
            ScheduleCommands.group, SchedulerCommand.spec,
            ReplCommand.spec,
            CheckCommand.spec,
            DocsCommand.spec,
            PluginsCommands.group,
        ])

    /// Runs `lanyard` with the process's arguments and environment, returning the exit status.
    public static func main(arguments: [String], environment: [String: String]) async -> ExitCode {
        installLogHandler(environment: environment, arguments: arguments)
        let tool = CommandLineTool(root: tree(arguments: arguments, environment: environment), version: version)
        return await tool.run(arguments: arguments, console: .standard(environment: environment), environment: environment)
    }

    /// Returns the built-in commands, plus the enabled plugins' when the command line may name one:
    /// when its first word is not a built-in command, or there is none (`lanyard --help`).
    static func tree(arguments: [String], environment: [String: String]) -> CommandSpec {
        var words = arguments[...]
        while let word = words.first, word.hasPrefix("-") {
            words = words.dropFirst(word == "--db" ? 2 : 1)
        }
        if let first = words.first, commands.subcommand(named: first) != nil { return commands }
        return PluginCommandSpecs.groups(arguments: arguments, environment: environment).reduce(commands) { $0.adding($1) }
    }

    /// Sends log records to standard error as `info: [label] message`, quiet with --quiet.
    static func installLogHandler(environment: [String: String], arguments: [String]) {
        let quiet = arguments.contains("--quiet")
        let level: Log.Level = environment["LANYARD_LOG_LEVEL"].flatMap { name in Log.Level.allCases.first { $0.name == name } } ?? .info
        let sink = FileDescriptorSink(descriptor: 2)
        Log.bootstrap(level: quiet ? .warning : level) { record in
            let metadata = record.metadata.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            sink.write("\(record.level.name): [\(record.label)] \(record.message)\(metadata)\n")
        }
    }
}
