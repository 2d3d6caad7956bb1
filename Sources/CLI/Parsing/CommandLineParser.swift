/// The action that a parsed command line requests.
public enum ParseResult: Sendable {
    /// Run the leaf command at the end of `path` with these values.
    case run(path: [CommandSpec], values: ParsedValues, globals: GlobalOptions)
    /// Show the help of the command at the end of `path`: `--help`, `-h`, `help COMMAND`, or a
    /// group given without a subcommand.
    case help(path: [CommandSpec], globals: GlobalOptions)
    /// Show the version.
    case version(globals: GlobalOptions)
}

/// Turns command-line words into a command of the tree and its checked values.
///
/// The rules follow common Unix practice:
/// - `--name VALUE` and `--name=VALUE` give an option its value, and `-x VALUE`, `-xVALUE` a
///   short option. Short flags combine, as in `-nq`.
/// - Global options (``GlobalOptions``) are valid before and after command names.
/// - `--` ends options: every later word is a positional argument, even when it starts with `-`.
/// - A word starting with `-` followed by a digit, such as `-5`, is a positional argument.
/// - `help COMMAND...` right after the program name shows that command's help.
/// - When `--help` or `-h` appears before `--`, help wins over any error except an unknown
///   command, so that `lanyard import csv --help` works before the user knows the arguments.
///
/// ```swift
/// let parser = CommandLineParser(root: root)
/// switch try parser.parse(["import", "ctf", "pupils.xml", "--dry-run"]) { ... }
/// ```
public struct CommandLineParser: Sendable {
    public let root: CommandSpec

    public init(root: CommandSpec) {
        self.root = root
    }

    /// Parses `arguments`, which exclude the program name.
    ///
    /// - Throws: ``UsageError`` naming the offending word and the command being parsed.
    public func parse(_ arguments: [String]) throws(UsageError) -> ParseResult {
        var state = ParseState(root: root, arguments: arguments)
        do {
            try state.readAll()
        } catch {
            if case .unknownCommand = error.kind { throw error }
            if state.helpAppearsBeforeTerminator {
                return .help(path: state.path, globals: GlobalOptions(state.globalValues))
            }
            throw error
        }
        return try state.result()
    }
}

// MARK: - State

/// The parser's position in the words and in the command tree.
private struct ParseState {
    let root: CommandSpec
    let arguments: [String]
    var index = 0

    var path: [CommandSpec]
    var values = ParsedValues()
    var globalValues = ParsedValues()
    var positionalWords: [String] = []
    var optionsEnded = false
    /// Words after `help`, naming the command whose help to show, or `nil` without `help`.
    var helpTopic: [String]?

    init(root: CommandSpec, arguments: [String]) {
        self.root = root
        self.arguments = arguments
        self.path = [root]
    }

    var current: CommandSpec { path[path.count - 1] }
    var commandNames: [String] { path.map(\.name) }

    var helpAppearsBeforeTerminator: Bool {
        arguments.prefix { $0 != "--" }.contains { $0 == "--help" || $0 == "-h" }
    }

    func usageError(_ kind: UsageError.Kind) -> UsageError {
        UsageError(kind, commandPath: commandNames)
    }

    // MARK: Reading words

    mutating func readAll() throws(UsageError) {
        while index < arguments.count {
            let word = arguments[index]
            index += 1

            if optionsEnded {
                try readWord(word)
            } else if word == "--" {
                optionsEnded = true
            } else if word.hasPrefix("--") {
                try readLongOption(word)
            } else if word.hasPrefix("-"), word.count > 1, !Self.isNegativeNumber(word) {
                try readShortOptions(word)
            } else {
                try readWord(word)
            }
        }
    }

    private static func isNegativeNumber(_ word: String) -> Bool {
        word.dropFirst().first?.isASCII == true && word.dropFirst().first?.isNumber == true
    }

    /// Reads a word that is not an option: a command name, a help topic or a positional argument.
    private mutating func readWord(_ word: String) throws(UsageError) {
        if helpTopic != nil {
            helpTopic?.append(word)
            return
        }
        guard current.isGroup else {
            positionalWords.append(word)
            return
        }
        if let subcommand = current.subcommand(named: word) {
            path.append(subcommand)
        } else if path.count == 1, word == "help" {
            helpTopic = []
        } else {
            throw unknownCommand(word, in: current)
        }
    }

    private func unknownCommand(_ word: String, in group: CommandSpec) -> UsageError {
        var names = group.subcommands.map(\.name)
        if group.name == root.name, group.subcommand(named: "help") == nil {
            names.append("help")
        }
        let suggestion = Suggestion.closest(to: word, among: names)
        return UsageError(
            .unknownCommand(word, suggestion: suggestion, available: names), commandPath: commandNames)
    }

    // MARK: Options

    /// An option or flag found by name, and whether it is one of the global options.
    private enum Found {
        case option(OptionDefinition, isGlobal: Bool)
        case flag(FlagDefinition, isGlobal: Bool)
    }

    private var scope: [(definition: ArgumentDefinition, isGlobal: Bool)] {
        current.configuration.arguments.map { ($0, false) } + GlobalOptions.definitions.map { ($0, true) }
    }

    private func find(long name: String) -> Found? {
        for (definition, isGlobal) in scope {
            switch definition {
            case .option(let option) where option.name == name: return .option(option, isGlobal: isGlobal)
            case .flag(let flag) where flag.name == name: return .flag(flag, isGlobal: isGlobal)
            default: continue
            }
        }
        return nil
    }

    private func find(short letter: Character) -> Found? {
        for (definition, isGlobal) in scope {
            switch definition {
            case .option(let option) where option.shortName == letter: return .option(option, isGlobal: isGlobal)
            case .flag(let flag) where flag.shortName == letter: return .flag(flag, isGlobal: isGlobal)
            default: continue
            }
        }
        return nil
    }

    private func isKnownOptionSpelling(_ word: String) -> Bool {
        if word.hasPrefix("--") {
            let name = word.dropFirst(2).split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return find(long: name) != nil
        }
        if word.hasPrefix("-"), word.count == 2, let letter = word.last {
            return find(short: letter) != nil
        }
        return false
    }

    private mutating func readLongOption(_ word: String) throws(UsageError) {
        let body = word.dropFirst(2)
        let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        let inlineValue = parts.count == 2 ? String(parts[1]) : nil

        guard let found = find(long: name) else {
            let spellings = scope.compactMap { entry -> String? in
                switch entry.definition {
                case .option(let option): return option.spelling
                case .flag(let flag): return flag.spelling
                case .positional: return nil
                }
            }
            let typed = "--\(name)"
            throw usageError(.unknownOption(typed, suggestion: Suggestion.closest(to: typed, among: spellings)))
        }

        switch found {
        case .flag(let flag, let isGlobal):
            if let inlineValue { throw usageError(.flagWithValue(flag: flag.spelling, value: inlineValue)) }
            setFlag(flag, isGlobal: isGlobal)
        case .option(let option, let isGlobal):
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                value = try nextValue(for: option, spelling: option.spelling)
            }
            try store(value, for: option, spelling: option.spelling, isGlobal: isGlobal)
        }
    }

    private mutating func readShortOptions(_ word: String) throws(UsageError) {
        let letters = Array(word.dropFirst())
        for (position, letter) in letters.enumerated() {
            guard let found = find(short: letter) else {
                throw usageError(.unknownOption("-\(letter)", suggestion: nil))
            }
            switch found {
            case .flag(let flag, let isGlobal):
                setFlag(flag, isGlobal: isGlobal)
            case .option(let option, let isGlobal):
                // The rest of the word is the value (`-l20`, `-l=20`), else the next word is.
                let spelling = "-\(letter)"
                var rest = String(letters[(position + 1)...])
                if rest.hasPrefix("=") { rest.removeFirst() }
                let value: String
                if rest.isEmpty {
                    value = try nextValue(for: option, spelling: spelling)
                } else {
                    value = rest
                }
                try store(value, for: option, spelling: spelling, isGlobal: isGlobal)
                return
            }
        }
    }

    /// Takes the next word as the value of `option`, unless the line ends or the next word is
    /// itself a known option, which means the value was forgotten.
    private mutating func nextValue(for option: OptionDefinition, spelling: String) throws(UsageError) -> String {
        guard index < arguments.count, !isKnownOptionSpelling(arguments[index]), arguments[index] != "--" else {
            throw usageError(.missingValue(option: spelling, valueName: option.valueName))
        }
        let value = arguments[index]
        index += 1
        return value
    }

    private mutating func setFlag(_ flag: FlagDefinition, isGlobal: Bool) {
        if isGlobal {
            globalValues.flags.insert(flag.name)
        } else {
            values.flags.insert(flag.name)
        }
    }

    private mutating func store(
        _ text: String, for option: OptionDefinition, spelling: String, isGlobal: Bool
    ) throws(UsageError) {
        let existing = isGlobal ? globalValues.values(ofOption: option.name) : values.values(ofOption: option.name)
        if !option.isRepeatable, !existing.isEmpty {
            throw usageError(.repeatedOption(option.spelling))
        }
        let value = try check(text, for: option, spelling: spelling)
        if isGlobal {
            globalValues.options[option.name, default: []].append(value)
        } else {
            values.options[option.name, default: []].append(value)
        }
    }

    /// Checks `text` against the option's kind and converts it.
    private func check(_ text: String, for option: OptionDefinition, spelling: String) throws(UsageError) -> ParsedValue
    {
        switch option.kind {
        case .string:
            return .string(text)
        case .integer(let range):
            guard let number = Int(text), range?.contains(number) ?? true else {
                throw usageError(.invalidValue(option: spelling, value: text, reason: .integer(range)))
            }
            return .integer(number)
        case .choice(let words):
            guard words.contains(text) else {
                throw usageError(.invalidValue(option: spelling, value: text, reason: .choice(words)))
            }
            return .string(text)
        case .keyValue:
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw usageError(
                    .invalidValue(option: spelling, value: text, reason: .keyValue(form: option.valueName)))
            }
            return .keyValue(KeyValuePair(key: String(parts[0]), value: String(parts[1])))
        }
    }

    // MARK: Result

    mutating func result() throws(UsageError) -> ParseResult {
        let globals = GlobalOptions(globalValues)

        if let helpTopic {
            var topicPath = [root]
            for word in helpTopic {
                guard let subcommand = topicPath[topicPath.count - 1].subcommand(named: word) else {
                    let group = topicPath[topicPath.count - 1]
                    path = topicPath
                    throw unknownCommand(word, in: group)
                }
                topicPath.append(subcommand)
            }
            return .help(path: topicPath, globals: globals)
        }
        if globalValues.isSet(flag: GlobalOptions.helpFlag.flag.name) {
            return .help(path: path, globals: globals)
        }
        if globalValues.isSet(flag: GlobalOptions.versionFlag.flag.name) {
            return .version(globals: globals)
        }
        if current.isGroup {
            return .help(path: path, globals: globals)
        }

        try assignPositionals()
        for option in current.options where option.isRequired && values.options[option.name] == nil {
            throw usageError(.missingOption(option: option.spelling, valueName: option.valueName))
        }
        return .run(path: path, values: values, globals: globals)
    }

    /// Hands the positional words to the declared positional arguments in order.
    private mutating func assignPositionals() throws(UsageError) {
        var remaining = positionalWords[...]
        for positional in current.positionals {
            switch positional.arity {
            case .required:
                guard let word = remaining.popFirst() else {
                    throw usageError(.missingArgument(valueName: positional.valueName))
                }
                values.positionals[positional.valueName] = [word]
            case .optional:
                if let word = remaining.popFirst() {
                    values.positionals[positional.valueName] = [word]
                }
            case .variadic(let minimum):
                guard remaining.count >= minimum else {
                    throw usageError(.missingArgument(valueName: positional.valueName))
                }
                values.positionals[positional.valueName] = Array(remaining)
                remaining = []
            }
        }
        if !remaining.isEmpty {
            throw usageError(.unexpectedArguments(Array(remaining)))
        }
    }
}
