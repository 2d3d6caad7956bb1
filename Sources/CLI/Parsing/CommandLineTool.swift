/// The whole program: parses the command line, shows help, the version or a usage error, runs
/// the command, and turns what it returns or throws into an exit status.
///
/// The executable's `main.swift` only connects it to the process:
///
/// ```swift
/// let environment = ProcessInfo.processInfo.environment
/// let tool = CommandLineTool(root: Lanyard.commands, version: Lanyard.version)
/// let status = await tool.run(
///     arguments: Array(CommandLine.arguments.dropFirst()),
///     console: .standard(environment: environment), environment: environment)
/// exit(status.rawValue)
/// ```
///
/// Tests call ``run(arguments:console:environment:)`` with a capturing console and check the
/// exit status and the text written, without starting a process.
public struct CommandLineTool: Sendable {
    /// The command tree; its root's name is the program name, `lanyard`.
    public var root: CommandSpec
    /// Printed by `--version` as `lanyard VERSION`.
    public var version: String

    public init(root: CommandSpec, version: String) {
        self.root = root
        self.version = version
    }

    /// Runs the command that `arguments` (without the program name) select.
    ///
    /// - Help and the version go to standard output with status 0.
    /// - A usage error goes to standard error as `error: ...` plus a line on where to find help,
    ///   with status 64.
    /// - An error thrown by the command goes to standard error as `error: ...`, with the status
    ///   of a ``ReportableError`` or 70 for any other error.
    public func run(arguments: [String], console: Console, environment: [String: String]) async -> ExitCode {
        // Parse
        let result: ParseResult
        do {
            result = try CommandLineParser(root: root).parse(arguments)
        } catch {
            report(error, on: console)
            return error.exitCode
        }

        // Help, version or the command
        switch result {
        case .help(let path, let globals):
            let console = console.applying(globals)
            console.write(HelpFormatter(width: console.width).help(for: path))
            return .success
        case .version(let globals):
            console.applying(globals).write("\(root.name) \(version)\n")
            return .success
        case .run(let path, let values, let globals):
            let console = console.applying(globals)
            guard let handler = path[path.count - 1].handler else {
                preconditionFailure("The parser returned the group '\(path[path.count - 1].name)' to run")
            }
            let invocation = Invocation(
                commandPath: path.map(\.name), values: values, globals: globals, console: console,
                environment: environment)
            do {
                return try await handler(invocation)
            } catch let error as any ReportableError {
                report(error, on: console)
                return error.exitCode
            } catch {
                // NOTE: Errors that do not conform to ReportableError count as bugs (status 70).
                // Library errors such as DatabaseError need a conformance or a wrapper in the
                // command that throws them to get a better status.
                console.error(String(describing: error))
                return .internalError
            }
        }
    }

    private func report(_ error: any ReportableError, on console: Console) {
        if let usageError = error as? UsageError {
            console.error(usageError.lines.joined(separator: "\n"))
        } else {
            console.error(error.message)
        }
    }
}
