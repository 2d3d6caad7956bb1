/// A typed positional argument declaration, read back from the ``Invocation``.
///
/// The generic type decides the arity: `String` is required, `String?` may be left out, and
/// `[String]` takes every remaining word.
///
/// ```swift
/// static let file = Argument<String>("FILE", help: "The CTF file (XML) from the previous school.")
/// ```
public struct Argument<Value: Sendable>: ArgumentDeclaration {
    public let positional: PositionalDefinition
    let decode: @Sendable ([String]) -> Value

    public var definition: ArgumentDefinition { .positional(positional) }
}

extension Argument where Value == String {
    /// Declares a required positional argument.
    public init(_ valueName: String, help: String) {
        positional = PositionalDefinition(valueName: valueName, arity: .required, help: help)
        decode = { words in
            guard let first = words.first else {
                preconditionFailure("The parser lets no command run without its required argument \(valueName)")
            }
            return first
        }
    }
}

extension Argument where Value == String? {
    /// Declares a positional argument that may be left out.
    public init(_ valueName: String, help: String) {
        positional = PositionalDefinition(valueName: valueName, arity: .optional, help: help)
        decode = { words in words.first }
    }
}

extension Argument where Value == [String] {
    /// Declares a positional argument that takes all remaining words, at least `minimum` of them.
    /// Only a command's last positional argument may be variadic.
    public init(_ valueName: String, minimum: Int = 0, help: String) {
        positional = PositionalDefinition(valueName: valueName, arity: .variadic(minimum: minimum), help: help)
        decode = { words in words }
    }
}
