/// The output streams of a command (standard output for results, standard error for errors,
/// warnings, notes and progress) and the terminal facts that decide colour and width.
///
/// ```swift
/// let console = Console.standard(environment: ProcessInfo.processInfo.environment)
/// console.write("Imported 1,204 students.\n")
/// console.warning("38 students have no email address.")
/// ```
///
/// Tests build one with ``capturing(width:isTerminal:environment:)`` and read the buffers.
public struct Console: Sendable {
    public var standardOutput: any OutputSink
    public var standardError: any OutputSink
    /// The terminal width in columns (see ``Terminal/width(of:environment:)``).
    public var width: Int
    public var environment: [String: String]
    /// Set by `--no-color`.
    public var noColorRequested: Bool
    /// Set by `--quiet`: no progress and no notes.
    public var isQuiet: Bool

    public init(
        standardOutput: any OutputSink, standardError: any OutputSink, width: Int,
        environment: [String: String], noColorRequested: Bool = false, isQuiet: Bool = false
    ) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.width = width
        self.environment = environment
        self.noColorRequested = noColorRequested
        self.isQuiet = isQuiet
    }

    /// Returns the console of the process: file descriptors 1 and 2, and the width of the
    /// terminal on standard output (or standard error when output is redirected).
    public static func standard(environment: [String: String]) -> Console {
        let output = FileDescriptorSink.standardOutput
        let error = FileDescriptorSink.standardError
        let widthSource = output.isTerminal || !error.isTerminal ? output.descriptor : error.descriptor
        return Console(
            standardOutput: output, standardError: error,
            width: Terminal.width(of: widthSource, environment: environment), environment: environment)
    }

    /// Returns a console that writes into memory buffers, with the buffers to read back.
    public static func capturing(
        width: Int = Terminal.defaultWidth, isTerminal: Bool = false, environment: [String: String] = [:]
    ) -> (console: Console, output: CapturedOutput, error: CapturedOutput) {
        let output = CapturedOutput(isTerminal: isTerminal)
        let error = CapturedOutput(isTerminal: isTerminal)
        let console = Console(standardOutput: output, standardError: error, width: width, environment: environment)
        return (console, output, error)
    }

    /// Returns a copy with `--no-color` and `--quiet` applied.
    public func applying(_ globals: GlobalOptions) -> Console {
        var copy = self
        copy.noColorRequested = copy.noColorRequested || globals.noColor
        copy.isQuiet = copy.isQuiet || globals.quiet
        return copy
    }

    // MARK: - Styles

    /// Styles for standard output, plain unless it is a colour terminal.
    public var outputStyler: Styler {
        Styler(
            isEnabled: Terminal.isColorEnabled(
                isTerminal: standardOutput.isTerminal, environment: environment, noColorRequested: noColorRequested))
    }

    /// Styles for standard error, plain unless it is a colour terminal.
    public var errorStyler: Styler {
        Styler(
            isEnabled: Terminal.isColorEnabled(
                isTerminal: standardError.isTerminal, environment: environment, noColorRequested: noColorRequested))
    }

    /// The width to fit tables on standard output to, or `nil` when output goes to a pipe or a
    /// file, where cutting values would lose data.
    public var tableWidth: Int? {
        standardOutput.isTerminal ? width : nil
    }

    // MARK: - Writing

    /// Writes `text` to standard output as is.
    public func write(_ text: String) {
        standardOutput.write(text)
    }

    /// Writes `text` to standard error as is.
    public func writeError(_ text: String) {
        standardError.write(text)
    }

    /// Writes `error: message` and a line break to standard error. Later lines of a multi-line
    /// message follow unprefixed.
    public func error(_ message: String) {
        writeError(errorStyler("error:", .bold, .red) + " " + message + "\n")
    }

    /// Writes `warning: message` and a line break to standard error.
    public func warning(_ message: String) {
        writeError(errorStyler("warning:", .bold, .yellow) + " " + message + "\n")
    }

    /// Writes `message` and a line break to standard error, unless `--quiet` was given. For
    /// remarks that are not results, such as "Nothing was saved (dry run)."
    public func note(_ message: String) {
        guard !isQuiet else { return }
        writeError(message + "\n")
    }
}
