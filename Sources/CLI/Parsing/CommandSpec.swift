// MARK: - Configuration

/// A worked example shown in a command's help: what it does, then the command line.
public struct Example: Sendable, Equatable {
    /// A sentence that describes the example, such as "Check a bundle without saving anything."
    public var summary: String
    /// The full command line, starting with the program name, such as
    /// `lanyard import oneroster ./export --dry-run`.
    public var commandLine: String

    public init(_ summary: String, _ commandLine: String) {
        self.summary = summary
        self.commandLine = commandLine
    }
}

/// The name, help text, examples and arguments of one command.
public struct CommandConfiguration: Sendable {
    /// The word that selects the command, such as `oneroster`.
    public var name: String
    /// One sentence shown in the parent's list of commands and at the top of the help.
    public var abstract: String
    /// Paragraphs shown below the usage line. Blank lines separate paragraphs.
    public var discussion: String
    /// Worked examples. Every leaf command needs at least one (see ``CommandTreeValidator``).
    public var examples: [Example]
    /// Options, flags and positional arguments, in the order help lists them.
    public var arguments: [ArgumentDefinition]

    public init(
        name: String, abstract: String, discussion: String = "", examples: [Example] = [],
        arguments: [any ArgumentDeclaration] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.examples = examples
        self.arguments = arguments.map(\.definition)
    }
}

// MARK: - Command tree

/// A node of the command tree: a group of subcommands (`lanyard import`) or a leaf command that
/// runs (`lanyard import ctf`).
///
/// The tree is plain data, so plugins can add commands at run time with ``adding(_:)``.
/// Commands written in Swift usually conform to ``Command`` and contribute ``Command/spec``.
///
/// ```swift
/// let root = CommandSpec.group(
///     "lanyard", abstract: "Manages school login details.",
///     subcommands: [
///         .group("import", abstract: "Imports people from MIS exports.",
///                subcommands: [ImportOneRoster.spec, ImportCTF.spec]),
///         Init.spec,
///     ])
/// ```
public struct CommandSpec: Sendable {
    /// The code a leaf command runs once its arguments are parsed.
    public typealias Handler = @Sendable (Invocation) async throws -> ExitCode

    public var configuration: CommandConfiguration
    public var subcommands: [CommandSpec]
    /// The code to run, `nil` for a group.
    public var handler: Handler?

    /// Creates a leaf command that runs `handler`.
    public init(_ configuration: CommandConfiguration, run handler: @escaping Handler) {
        self.configuration = configuration
        self.subcommands = []
        self.handler = handler
    }

    /// Creates a group that only selects one of its subcommands. Run without one, a group shows
    /// its help.
    public static func group(
        _ name: String, abstract: String, discussion: String = "", examples: [Example] = [],
        subcommands: [CommandSpec]
    ) -> CommandSpec {
        let configuration = CommandConfiguration(
            name: name, abstract: abstract, discussion: discussion, examples: examples)
        return CommandSpec(configuration: configuration, subcommands: subcommands)
    }

    private init(configuration: CommandConfiguration, subcommands: [CommandSpec]) {
        self.configuration = configuration
        self.subcommands = subcommands
        self.handler = nil
    }

    // MARK: Reading

    public var name: String { configuration.name }

    /// Whether the command has subcommands rather than a handler.
    public var isGroup: Bool { handler == nil }

    /// Returns the direct subcommand called `name`, if any.
    public func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }

    /// Returns a copy with `subcommand` added, or replacing the subcommand of the same name.
    public func adding(_ subcommand: CommandSpec) -> CommandSpec {
        var copy = self
        if let index = copy.subcommands.firstIndex(where: { $0.name == subcommand.name }) {
            copy.subcommands[index] = subcommand
        } else {
            copy.subcommands.append(subcommand)
        }
        return copy
    }

    var options: [OptionDefinition] {
        configuration.arguments.compactMap { if case .option(let option) = $0 { option } else { nil } }
    }

    var flags: [FlagDefinition] {
        configuration.arguments.compactMap { if case .flag(let flag) = $0 { flag } else { nil } }
    }

    var positionals: [PositionalDefinition] {
        configuration.arguments.compactMap { if case .positional(let positional) = $0 { positional } else { nil } }
    }
}

// MARK: - Commands written in Swift

/// A leaf command written in Swift: its declarations as static properties, its configuration,
/// and the code it runs.
///
/// Commands are usually caseless enums, because they only have static members. Their metatypes
/// are `Sendable` so that ``spec`` can hand `run` to the tree as a `@Sendable` handler.
///
/// ```swift
/// enum ImportCTF: Command {
///     static let file = Argument<String>("FILE", help: "The CTF file (XML) to read.")
///     static let dryRun = Flag("dry-run", short: "n", help: "Reports the changes without saving them.")
///
///     static let configuration = CommandConfiguration(
///         name: "ctf", abstract: "Imports pupils from a common transfer file.",
///         examples: [Example("Check a file first.", "lanyard import ctf pupils.xml --dry-run")],
///         arguments: [file, dryRun])
///
///     static func run(_ invocation: Invocation) async throws -> ExitCode {
///         let path = invocation[file]
///         ...
///         return .success
///     }
/// }
/// ```
public protocol Command: SendableMetatype {
    static var configuration: CommandConfiguration { get }

    /// Runs the command with its parsed arguments.
    ///
    /// - Throws: any error. ``CommandLineTool`` reports it on standard error and exits with the
    ///   error's ``ReportableError/exitCode``, or ``ExitCode/internalError`` for other errors.
    static func run(_ invocation: Invocation) async throws -> ExitCode
}

extension Command {
    /// The command as a node of the command tree.
    public static var spec: CommandSpec {
        CommandSpec(configuration) { invocation in try await run(invocation) }
    }
}
