/// A typed flag declaration, such as `--dry-run`, read back from the ``Invocation`` as a `Bool`.
///
/// ```swift
/// static let dryRun = Flag("dry-run", short: "n",
///                          help: "Checks the input and reports the changes without saving them.")
/// ```
public struct Flag: ArgumentDeclaration {
    public let flag: FlagDefinition

    public var definition: ArgumentDefinition { .flag(flag) }

    /// Declares a flag with its long name (without dashes) and an optional one-letter alias.
    public init(_ name: String, short: Character? = nil, help: String) {
        flag = FlagDefinition(name: name, shortName: short, help: help)
    }
}
