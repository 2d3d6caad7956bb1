/// Checks a command tree for mistakes that would confuse users, so that one test over the real
/// tree catches them for every command, including commands that plugins add.
///
/// ```swift
/// @Test func commandTreeHasNoProblems() {
///     #expect(CommandTreeValidator.problems(in: Lanyard.commands) == [])
/// }
/// ```
public enum CommandTreeValidator {
    /// Returns one sentence per problem found, naming the command. An empty list means the tree
    /// is fine.
    ///
    /// Each command must have a name, an abstract, unique subcommand names and unique option
    /// names and short names that do not clash with the global options. Positional arguments
    /// must go required, then optional, then at most one variadic, last. Every leaf command
    /// needs at least one example, and every example must start with the command's own name
    /// and parse without error.
    public static func problems(in root: CommandSpec) -> [String] {
        var problems: [String] = []
        visit(root, path: [root], root: root, problems: &problems)
        return problems
    }

    private static func visit(_ command: CommandSpec, path: [CommandSpec], root: CommandSpec, problems: inout [String])
    {
        let name = path.map(\.name).joined(separator: " ")
        let configuration = command.configuration

        // Names and text
        if configuration.name.isEmpty || configuration.name.contains(" ") || configuration.name.hasPrefix("-") {
            problems.append("'\(name)' has an invalid name: use one word that does not start with '-'.")
        }
        if configuration.abstract.isEmpty {
            problems.append("'\(name)' has no abstract.")
        }
        let subcommandNames = command.subcommands.map(\.name)
        for duplicate in duplicates(in: subcommandNames) {
            problems.append("'\(name)' has more than one subcommand named '\(duplicate)'.")
        }

        // Options and flags
        let globalLongNames = GlobalOptions.definitions.compactMap(longName(of:))
        let globalShortNames = GlobalOptions.definitions.compactMap(shortName(of:))
        let longNames = configuration.arguments.compactMap(longName(of:))
        let shortNames = configuration.arguments.compactMap(shortName(of:))
        for duplicate in duplicates(in: longNames) {
            problems.append("'\(name)' declares '--\(duplicate)' more than once.")
        }
        for duplicate in duplicates(in: shortNames.map(String.init)) {
            problems.append("'\(name)' declares '-\(duplicate)' more than once.")
        }
        for clash in longNames where globalLongNames.contains(clash) {
            problems.append("'\(name)' declares '--\(clash)', which is a global option.")
        }
        for clash in shortNames where globalShortNames.contains(clash) {
            problems.append("'\(name)' declares '-\(clash)', which is a global option.")
        }
        if command.isGroup, !configuration.arguments.isEmpty {
            problems.append("'\(name)' is a group but declares arguments, which only leaf commands read.")
        }

        // Positional arguments
        problems += positionalProblems(command.positionals, commandName: name)

        // Examples
        if !command.isGroup, configuration.examples.isEmpty {
            problems.append("'\(name)' has no example: add at least one to its configuration.")
        }
        for example in configuration.examples {
            problems += exampleProblems(example, commandName: name, root: root)
        }

        for subcommand in command.subcommands {
            visit(subcommand, path: path + [subcommand], root: root, problems: &problems)
        }
    }

    private static func positionalProblems(_ positionals: [PositionalDefinition], commandName name: String) -> [String]
    {
        var problems: [String] = []
        var seenOptional = false
        for (position, positional) in positionals.enumerated() {
            switch positional.arity {
            case .required where seenOptional:
                problems.append("'\(name)' has the required argument '\(positional.valueName)' after an optional one.")
            case .required:
                break
            case .optional:
                seenOptional = true
            case .variadic where position != positionals.count - 1:
                problems.append("'\(name)' has the variadic argument '\(positional.valueName)' before the last place.")
            case .variadic:
                seenOptional = true
            }
        }
        for duplicate in duplicates(in: positionals.map(\.valueName)) {
            problems.append("'\(name)' has more than one argument named '\(duplicate)'.")
        }
        return problems
    }

    /// Checks that an example is a command line of this very command that parses.
    private static func exampleProblems(_ example: Example, commandName name: String, root: CommandSpec) -> [String] {
        guard let words = ShellWords.split(example.commandLine), !words.isEmpty else {
            return ["'\(name)' has an example with unbalanced quotes: \(example.commandLine)"]
        }
        guard words.starts(with: name.split(separator: " ").map(String.init)) else {
            return ["'\(name)' has an example for another command: \(example.commandLine)"]
        }
        do {
            _ = try CommandLineParser(root: root).parse(Array(words.dropFirst()))
        } catch {
            return ["'\(name)' has an example that does not parse (\(error.message)): \(example.commandLine)"]
        }
        return []
    }

    // MARK: - Helpers

    private static func longName(of argument: ArgumentDefinition) -> String? {
        switch argument {
        case .option(let option): option.name
        case .flag(let flag): flag.name
        case .positional: nil
        }
    }

    private static func shortName(of argument: ArgumentDefinition) -> Character? {
        switch argument {
        case .option(let option): option.shortName
        case .flag(let flag): flag.shortName
        case .positional: nil
        }
    }

    private static func duplicates(in names: [String]) -> [String] {
        var seen: Set<String> = []
        var repeated: [String] = []
        for name in names where !seen.insert(name).inserted && !repeated.contains(name) {
            repeated.append(name)
        }
        return repeated
    }
}
