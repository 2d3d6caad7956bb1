/// A typed option declaration, listed among a command's arguments and read back from the
/// ``Invocation`` with the same value.
///
/// The generic type decides the option's behaviour: a non-optional type without a default is
/// required, an optional type may be left out, and an array type may be repeated.
///
/// ```swift
/// static let limit = Option<Int>("limit", range: 1...10_000, default: 50,
///                                help: "Maximum number of users to list.")
/// static let format = Option<OutputFormat>("format", default: .table, help: "Output format.")
/// static let maps = Option<[KeyValuePair]>("map", valueName: "COLUMN=FIELD",
///                                          help: "Reads a column into a field. Repeatable.")
/// ...
/// let limit = invocation[Self.limit]
/// ```
public struct Option<Value: Sendable>: ArgumentDeclaration {
    /// The definition the parser checks values against.
    public let option: OptionDefinition
    /// Turns the checked values into the typed value. The parser has already checked kind,
    /// count and presence, so a mismatch here is a programmer error.
    let decode: @Sendable ([ParsedValue]) -> Value

    public var definition: ArgumentDefinition { .option(option) }

    init(_ option: OptionDefinition, decode: @escaping @Sendable ([ParsedValue]) -> Value) {
        self.option = option
        self.decode = decode
    }
}

// MARK: - Strings

extension Option where Value == String {
    /// Declares a text option, required unless it has a default.
    public init(
        _ name: String, short: Character? = nil, valueName: String = "VALUE", default defaultValue: String? = nil,
        help: String
    ) {
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName, kind: .string, isRepeatable: false,
            isRequired: defaultValue == nil, defaultDescription: defaultValue.map { "'\($0)'" }, help: help)
        self.init(definition) { values in
            guard let last = values.last else { return Self.requiredDefault(defaultValue, name: name) }
            return last.text
        }
    }
}

extension Option where Value == String? {
    /// Declares a text option that may be left out.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String) {
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName, kind: .string, isRepeatable: false,
            isRequired: false, defaultDescription: nil, help: help)
        self.init(definition) { values in values.last?.text }
    }
}

extension Option where Value == [String] {
    /// Declares a text option that may be given any number of times, collected in order.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String) {
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName, kind: .string, isRepeatable: true,
            isRequired: false, defaultDescription: nil, help: help)
        self.init(definition) { values in values.map(\.text) }
    }
}

// MARK: - Integers

extension Option where Value == Int {
    /// Declares a whole-number option limited to `range`, required unless it has a default.
    public init(
        _ name: String, short: Character? = nil, valueName: String = "N", range: ClosedRange<Int>? = nil,
        default defaultValue: Int? = nil, help: String
    ) {
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName, kind: .integer(range), isRepeatable: false,
            isRequired: defaultValue == nil, defaultDescription: defaultValue.map { String($0) }, help: help)
        self.init(definition) { values in
            guard let last = values.last else { return Self.requiredDefault(defaultValue, name: name) }
            return last.integer
        }
    }
}

extension Option where Value == Int? {
    /// Declares a whole-number option limited to `range` that may be left out.
    public init(
        _ name: String, short: Character? = nil, valueName: String = "N", range: ClosedRange<Int>? = nil,
        help: String
    ) {
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName, kind: .integer(range), isRepeatable: false,
            isRequired: false, defaultDescription: nil, help: help)
        self.init(definition) { values in values.last?.integer }
    }
}

// MARK: - Choices

extension Option where Value: CaseIterable & RawRepresentable, Value.RawValue == String {
    /// Declares an option whose value is one case of `Value`, required unless it has a default.
    ///
    /// The allowed words are the raw values, in declaration order. Without a `valueName`, help
    /// and usage show them joined by `|`, as in `--format table|csv|json`.
    public init(
        _ name: String, short: Character? = nil, valueName: String? = nil, default defaultValue: Value? = nil,
        help: String
    ) {
        let words = Value.allCases.map(\.rawValue)
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName ?? words.joined(separator: "|"),
            kind: .choice(words), isRepeatable: false, isRequired: defaultValue == nil,
            defaultDescription: defaultValue?.rawValue, help: help)
        self.init(definition) { values in
            guard let last = values.last else { return Self.requiredDefault(defaultValue, name: name) }
            guard let value = Value(rawValue: last.text) else {
                preconditionFailure("The parser accepted '\(last.text)', which is not a case of \(Value.self)")
            }
            return value
        }
    }
}

/// An optional choice, left out when not given. Declared through a wrapper protocol, because
/// Swift cannot constrain `Value` to "an Optional whose wrapped type is a choice" directly.
public protocol OptionalChoice {
    associatedtype Choice: CaseIterable & RawRepresentable where Choice.RawValue == String
    init(choice: Choice?)
}

extension Optional: OptionalChoice where Wrapped: CaseIterable & RawRepresentable, Wrapped.RawValue == String {
    public typealias Choice = Wrapped
    public init(choice: Wrapped?) { self = choice }
}

extension Option where Value: OptionalChoice {
    /// Declares an option whose value is one case of a choice type, or nil when left out.
    public init(_ name: String, short: Character? = nil, valueName: String? = nil, help: String) {
        let words = Value.Choice.allCases.map(\.rawValue)
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName ?? words.joined(separator: "|"),
            kind: .choice(words), isRepeatable: false, isRequired: false, defaultDescription: nil, help: help)
        self.init(definition) { values in
            Value(choice: values.last.flatMap { Value.Choice(rawValue: $0.text) })
        }
    }
}

// MARK: - Key-value pairs

extension Option where Value == [KeyValuePair] {
    /// Declares a repeatable `key=value` option, such as `--arg term=autumn --arg year=7`.
    public init(_ name: String, short: Character? = nil, valueName: String = "KEY=VALUE", help: String) {
        let definition = OptionDefinition(
            name: name, shortName: short, valueName: valueName, kind: .keyValue, isRepeatable: true,
            isRequired: false, defaultDescription: nil, help: help)
        self.init(definition) { values in values.map(\.keyValue) }
    }
}

// MARK: - Decoding

extension Option {
    /// Returns the default of an option that was not given. Only an option without a default is
    /// required, and the parser lets no command run without a required option.
    fileprivate static func requiredDefault<Default>(_ defaultValue: Default?, name: String) -> Default {
        guard let defaultValue else {
            preconditionFailure("The required option '--\(name)' was read from values that the parser did not check")
        }
        return defaultValue
    }
}

extension ParsedValue {
    fileprivate var text: String {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .keyValue(let pair): return "\(pair.key)=\(pair.value)"
        }
    }

    fileprivate var integer: Int {
        guard case .integer(let number) = self else {
            preconditionFailure("An integer option holds \(self); the parser checks integers before commands read them")
        }
        return number
    }

    fileprivate var keyValue: KeyValuePair {
        guard case .keyValue(let pair) = self else {
            preconditionFailure("A key=value option holds \(self); the parser splits pairs before commands read them")
        }
        return pair
    }
}
