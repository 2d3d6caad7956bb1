// MARK: - Value kinds

/// The kind of value an option takes, which decides how the parser checks it.
public enum ValueKind: Sendable, Equatable {
    /// Any text, as typed.
    case string

    /// A whole number, optionally limited to a range.
    case integer(ClosedRange<Int>?)

    /// One of a fixed list of words, such as `table`, `csv` and `json`.
    case choice([String])

    /// A `key=value` pair, split at the first `=`. The key must not be empty.
    case keyValue
}

// MARK: - Definitions

/// An option that takes a value: `--limit 20`, `--limit=20` or, with a short name, `-l 20`.
public struct OptionDefinition: Sendable, Equatable {
    /// The long name without the leading dashes, such as `limit`.
    public var name: String
    /// A one-letter alias used as `-x`, if any.
    public var shortName: Character?
    /// The placeholder shown in help and usage, such as `N` or `PATH`.
    public var valueName: String
    public var kind: ValueKind
    /// Whether the option may be given more than once, each time adding a value.
    public var isRepeatable: Bool
    /// Whether the command refuses to run without it (an option with no default).
    public var isRequired: Bool
    /// The default as shown in help, such as `50` or `','`, or `nil` when there is none.
    public var defaultDescription: String?
    /// Help text: the setting that the option changes, with its unit, in one or more sentences.
    public var help: String

    /// The option as typed on the command line, such as `--limit`.
    public var spelling: String { "--\(name)" }
}

/// An option without a value that is either present or absent, such as `--dry-run` or `-n`.
public struct FlagDefinition: Sendable, Equatable {
    /// The long name without the leading dashes, such as `dry-run`.
    public var name: String
    /// A one-letter alias used as `-x`, if any.
    public var shortName: Character?
    /// Help text: the behaviour that the flag changes, in one or more sentences.
    public var help: String

    /// The flag as typed on the command line, such as `--dry-run`.
    public var spelling: String { "--\(name)" }
}

/// A positional argument, such as the `FILE` of `lanyard import ctf FILE`.
public struct PositionalDefinition: Sendable, Equatable {
    /// How many words a positional argument takes.
    public enum Arity: Sendable, Equatable {
        /// Exactly one word.
        case required
        /// One word or none.
        case optional
        /// All remaining words, at least `minimum` of them. Only the last positional may be variadic.
        case variadic(minimum: Int)
    }

    /// The placeholder shown in help and usage, in capitals by convention, such as `FILE`.
    public var valueName: String
    public var arity: Arity
    /// Help text: the thing that the argument names, in one or more sentences.
    public var help: String
}

/// One declared option, flag or positional argument of a command, with its type erased so that
/// commands built at run time (by plugins) and commands written in Swift share one parser.
public enum ArgumentDefinition: Sendable, Equatable {
    case option(OptionDefinition)
    case flag(FlagDefinition)
    case positional(PositionalDefinition)
}

// MARK: - Declarations

/// A typed declaration that a command lists among its arguments: an ``Option``, a ``Flag`` or an
/// ``Argument``.
public protocol ArgumentDeclaration: Sendable {
    /// The definition the parser works with.
    var definition: ArgumentDefinition { get }
}

extension ArgumentDefinition: ArgumentDeclaration {
    public var definition: ArgumentDefinition { self }
}
