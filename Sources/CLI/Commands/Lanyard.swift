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
            LinksCommands.group, OutboxCommands.group,
            ConfigCommand.spec,
            DemoCommands.group,
        ])

    /// Runs `lanyard` with the process's arguments and environment, returning the exit status.
    public static func main(arguments: [String], environment: [String: String]) async -> ExitCode {
        let tool = CommandLineTool(root: commands, version: version)
        return await tool.run(arguments: arguments, console: .standard(environment: environment), environment: environment)
    }
}
