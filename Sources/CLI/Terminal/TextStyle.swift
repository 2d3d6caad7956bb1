/// A text style as an ANSI SGR escape sequence.
public enum TextStyle: Sendable, CaseIterable {
    case bold
    case dim
    case red
    case green
    case yellow

    /// The SGR parameter that turns the style on.
    var code: String {
        switch self {
        case .bold: "1"
        case .dim: "2"
        case .red: "31"
        case .green: "32"
        case .yellow: "33"
        }
    }
}

/// Applies text styles when colour is enabled for a stream, and leaves text plain otherwise.
///
/// ```swift
/// let style = console.errorStyler
/// console.writeError(style("error:", .bold, .red) + " Missing file.\n")
/// ```
public struct Styler: Sendable {
    /// Whether styles produce escape sequences.
    public let isEnabled: Bool

    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    /// Returns `text` wrapped in the escape sequences for `styles`, or unchanged when disabled.
    public func callAsFunction(_ text: String, _ styles: TextStyle...) -> String {
        guard isEnabled, !styles.isEmpty, !text.isEmpty else { return text }
        let codes = styles.map(\.code).joined(separator: ";")
        return "\u{1B}[\(codes)m\(text)\u{1B}[0m"
    }
}
