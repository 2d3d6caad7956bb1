/// A command line that Lanyard cannot run: the offending word, what was expected, and the
/// command it was given to. Always exit status 64 (``ExitCode/usage``).
///
/// ``CommandLineTool`` writes it to standard error as
///
/// ```
/// error: Unknown option '--dryrun'. Did you mean '--dry-run'?
/// Run 'lanyard import oneroster --help' for usage.
/// ```
public struct UsageError: Error, Sendable, Equatable {
    /// The kind of mistake, with the offending value.
    public enum Kind: Sendable, Equatable {
        /// An option that the command does not declare, such as `--dryrun`, and the closest
        /// known spelling if one is close.
        case unknownOption(String, suggestion: String?)
        /// A word where a command name was expected, the closest command name if one is close,
        /// and the names that are valid at that place.
        case unknownCommand(String, suggestion: String?, available: [String])
        /// An option at the end of the line, or followed by another option, without its value.
        case missingValue(option: String, valueName: String)
        /// A required positional argument that was not given.
        case missingArgument(valueName: String)
        /// A required option that was not given.
        case missingOption(option: String, valueName: String)
        /// A value that the option's kind rejects.
        case invalidValue(option: String, value: String, reason: InvalidValueReason)
        /// Words left over after every positional argument was filled.
        case unexpectedArguments([String])
        /// A flag written with a value, such as `--dry-run=yes`.
        case flagWithValue(flag: String, value: String)
        /// An option that may be given once, given twice.
        case repeatedOption(String)
    }

    public var kind: Kind
    /// The command names from the program to the command that was being parsed, such as
    /// `["lanyard", "import", "oneroster"]`.
    public var commandPath: [String]

    public init(_ kind: Kind, commandPath: [String]) {
        self.kind = kind
        self.commandPath = commandPath
    }

    /// The error lines without the `error: ` prefix: the message, then what to run for help.
    public var lines: [String] {
        var lines = [message]
        if case .unknownCommand(_, _, let available) = kind, !available.isEmpty {
            lines.append("Available commands: \(available.joined(separator: ", ")).")
        }
        lines.append("Run '\(commandPath.joined(separator: " ")) --help' for usage.")
        return lines
    }
}

// MARK: - Invalid values

/// Why a value was rejected, which decides the advice in the message.
public enum InvalidValueReason: Sendable, Equatable {
    /// Not a whole number, or outside the range.
    case integer(ClosedRange<Int>?)
    /// Not one of the allowed words.
    case choice([String])
    /// Not of the form `key=value`, where `form` is the value name, such as `COLUMN=FIELD`.
    case keyValue(form: String)
    /// Rejected by the command itself, with advice as an imperative sentence such as
    /// "Use a single character, such as ',' or ';'."
    case custom(advice: String)
}

// MARK: - Messages

extension UsageError: ReportableError {
    public var exitCode: ExitCode { .usage }

    /// The first line of the error, without the `error: ` prefix.
    public var message: String {
        switch kind {
        case .unknownOption(let option, let suggestion):
            return "Unknown option '\(option)'." + Self.didYouMean(suggestion)
        case .unknownCommand(let word, let suggestion, _):
            return "Unknown command '\(word)'." + Self.didYouMean(suggestion)
        case .missingValue(let option, let valueName):
            return "Missing value for option '\(option)'. Give it as '\(option) \(valueName)'."
        case .missingArgument(let valueName):
            return "Missing required argument '\(valueName)'."
        case .missingOption(let option, let valueName):
            return "Missing required option '\(option) \(valueName)'."
        case .invalidValue(let option, let value, let reason):
            return "Invalid value '\(value)' for '\(option)'. \(Self.advice(for: reason))"
        case .unexpectedArguments(let words):
            let quoted = Self.list(words.map { "'\($0)'" }, conjunction: "and")
            if words.count == 1 {
                return "Unexpected argument \(quoted). Remove it, or put quotes around a value that contains spaces."
            }
            return "Unexpected arguments \(quoted). Remove them, or put quotes around a value that contains spaces."
        case .flagWithValue(let flag, let value):
            return "Flag '\(flag)' takes no value. Remove '=\(value)'."
        case .repeatedOption(let option):
            return "Option '\(option)' was given more than once. Give it once."
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " Did you mean '\($0)'?" } ?? ""
    }

    private static func advice(for reason: InvalidValueReason) -> String {
        switch reason {
        case .integer(let range):
            guard let range else { return "Use a whole number." }
            switch (range.lowerBound, range.upperBound) {
            case (Int.min, Int.max): return "Use a whole number."
            case (Int.min, let upper): return "Use a whole number of at most \(upper)."
            case (let lower, Int.max): return "Use a whole number of at least \(lower)."
            case (let lower, let upper): return "Use a whole number from \(lower) to \(upper)."
            }
        case .choice(let words):
            if words.count == 1 { return "Use '\(words[0])'." }
            return "Use one of \(list(words.map { "'\($0)'" }, conjunction: "or"))."
        case .keyValue(let form):
            return "Use the form '\(form)'."
        case .custom(let advice):
            return advice
        }
    }

    /// Joins `items` as English prose: "a", "a or b", "a, b or c".
    static func list(_ items: [String], conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
    }
}
