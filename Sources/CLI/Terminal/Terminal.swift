#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Facts about the terminal that decide how Lanyard writes: whether a stream is a terminal, how
/// wide it is, and whether to use colour.
public enum Terminal {
    /// The width assumed when neither the terminal nor `$COLUMNS` gives one.
    public static let defaultWidth = 80

    /// Returns whether the file descriptor is a terminal (not a pipe or a file).
    public static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    /// Returns the width in columns of the terminal on `descriptor`, else a positive `$COLUMNS`,
    /// else 80.
    public static func width(of descriptor: Int32, environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return width(fromEnvironment: environment)
    }

    /// Returns a positive `$COLUMNS`, else 80.
    public static func width(fromEnvironment environment: [String: String]) -> Int {
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 {
            return columns
        }
        return defaultWidth
    }

    /// Returns whether to write colour to a stream.
    ///
    /// Colour is on only when the stream is a terminal, `NO_COLOR` is unset or empty (any
    /// non-empty value disables colour, as https://no-color.org requests), `TERM` is not `dumb`, and
    /// the user did not pass `--no-color`.
    public static func isColorEnabled(
        isTerminal: Bool, environment: [String: String], noColorRequested: Bool
    ) -> Bool {
        guard isTerminal, !noColorRequested else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }
}
