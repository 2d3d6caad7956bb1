import Automation
import Foundation

/// `lanyard config`: the effective settings and where each came from.
enum ConfigCommand: Command {
    static let configuration = CommandConfiguration(
        name: "config", abstract: "Shows every setting, its value and where it came from.",
        discussion: """
            Settings are read from lanyard.config.lua in the working folder: Lua with no access to \
            files or the network, where tables group keys, as in codes = { pin_length = 8 }. A \
            setting the file does not set keeps its default. An unknown setting is an error.
            """,
        examples: [Example("Show the settings in force here.", "lanyard config")],
        arguments: [])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let configuration = try LanyardConfiguration.load(environment: invocation.environment)
        if invocation.globals.json {
            invocation.console.write(try JSONOutput.encode(configuration.entries))
            return .success
        }
        var table = TextTable(columns: [.init("setting"), .init("value"), .init("source"), .init("meaning")])
        for entry in configuration.entries {
            table.append([entry.key, entry.value.description, entry.source, entry.summary])
        }
        invocation.console.write(table.render(maxWidth: invocation.console.tableWidth, styler: invocation.console.outputStyler))
        return .success
    }
}

extension ConfigurationError: ReportableError {
    public var message: String { description }
    public var exitCode: ExitCode { .configurationError }
}
