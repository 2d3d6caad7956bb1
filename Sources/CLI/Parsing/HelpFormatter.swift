/// Writes the help of a command: abstract, usage line, discussion, arguments, options, global
/// options, subcommands and examples, wrapped to the terminal width and at most 80 columns.
///
/// ```swift
/// let help = HelpFormatter(width: console.width).help(for: [root, importGroup, oneRoster])
/// ```
public struct HelpFormatter: Sendable {
    /// The widest help text written, even on a wider terminal, because long lines are hard to read.
    public static let maximumWidth = 80

    /// The columns to wrap at.
    public let width: Int

    /// The widest label column (`  -n, --dry-run`). A longer label does not widen the column:
    /// it gets a line of its own, and its help text starts on the next line.
    private let maximumLabelWidth = 26

    /// Creates a formatter for a terminal of `terminalWidth` columns, capped at 80 and at least 40.
    public init(width terminalWidth: Int) {
        width = max(40, min(terminalWidth, Self.maximumWidth))
    }

    // MARK: - Usage line

    /// Returns the usage line without the `Usage: ` prefix, such as
    /// `lanyard import csv --kind students|staff|contacts FILE [--map COLUMN=FIELD]...`.
    ///
    /// Required options come first, then positional arguments, then optional options and flags.
    public func usage(for path: [CommandSpec]) -> String {
        usageUnits(for: path).joined(separator: " ")
    }

    /// The usage line as units that wrapping must not split, such as `[--limit N]`.
    private func usageUnits(for path: [CommandSpec]) -> [String] {
        var units = path.map(\.name)
        let command = path[path.count - 1]
        if command.isGroup {
            units.append("COMMAND")
            return units
        }

        for option in command.options where option.isRequired {
            units.append("\(option.spelling) \(option.valueName)" + (option.isRepeatable ? "..." : ""))
        }
        for positional in command.positionals {
            switch positional.arity {
            case .required: units.append(positional.valueName)
            case .optional: units.append("[\(positional.valueName)]")
            case .variadic(let minimum):
                units.append(minimum > 0 ? "\(positional.valueName)..." : "[\(positional.valueName)...]")
            }
        }
        for argument in command.configuration.arguments {
            switch argument {
            case .option(let option) where !option.isRequired:
                units.append("[\(option.spelling) \(option.valueName)]" + (option.isRepeatable ? "..." : ""))
            case .flag(let flag):
                units.append("[\(flag.spelling)]")
            default:
                continue
            }
        }
        return units
    }

    // MARK: - Help

    /// Returns the full help of the last command of `path`, ending in a line break.
    public func help(for path: [CommandSpec]) -> String {
        let command = path[path.count - 1]
        let configuration = command.configuration
        let isRoot = path.count == 1
        var sections: [[String]] = []

        // Abstract, usage and discussion
        sections.append(TextWrapping.wrap(configuration.abstract, width: width))
        sections.append(usageLines(for: path))
        if !configuration.discussion.isEmpty {
            sections.append(TextWrapping.wrap(configuration.discussion, width: width))
        }

        // Rows of the labelled sections, aligned together
        let argumentRows = command.positionals.map { Row(label: "  \($0.valueName)", text: $0.help) }
        let optionRows = command.configuration.arguments.compactMap(row(for:))
        var commandRows = command.subcommands.map { Row(label: "  \($0.name)", text: $0.configuration.abstract) }
        if isRoot, command.isGroup, command.subcommand(named: "help") == nil {
            commandRows.append(Row(label: "  help", text: "Shows the help of a command, as in 'help import csv'."))
        }
        let globalRows = GlobalOptions.definitions.compactMap(row(for:))
        let labelWidth =
            (argumentRows + optionRows + commandRows + globalRows)
            .map { DisplayWidth.columns(of: $0.label) }
            .filter { $0 <= maximumLabelWidth }
            .max() ?? maximumLabelWidth

        if !argumentRows.isEmpty { sections.append(["Arguments:"] + lines(for: argumentRows, labelWidth: labelWidth)) }
        if !optionRows.isEmpty { sections.append(["Options:"] + lines(for: optionRows, labelWidth: labelWidth)) }
        if !commandRows.isEmpty { sections.append(["Commands:"] + lines(for: commandRows, labelWidth: labelWidth)) }
        sections.append(["Global options:"] + lines(for: globalRows, labelWidth: labelWidth))

        // Examples
        if !configuration.examples.isEmpty {
            var exampleLines = ["Examples:"]
            for (position, example) in configuration.examples.enumerated() {
                if position > 0 { exampleLines.append("") }
                exampleLines += TextWrapping.wrap(example.summary, width: width, indent: 2)
                exampleLines += TextWrapping.wrap(example.commandLine, width: width, indent: 6, firstIndent: 4)
            }
            sections.append(exampleLines)
        }

        // Where to go next from a group
        if command.isGroup {
            let next = (path.map(\.name) + ["COMMAND", "--help"]).joined(separator: " ")
            sections.append(TextWrapping.wrap("Run '\(next)' for the options and examples of a command.", width: width))
        }

        return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    /// Returns the usage line wrapped so that continuation lines align after the command names.
    private func usageLines(for path: [CommandSpec]) -> [String] {
        // A no-break space inside each unit keeps `--limit N` together when wrapping.
        let noBreakSpace: Character = "\u{00A0}"
        let units = usageUnits(for: path).map { String($0.map { $0 == " " ? noBreakSpace : $0 }) }
        let prefix = "Usage: "
        let continuation = prefix.count + DisplayWidth.columns(of: path.map(\.name).joined(separator: " ")) + 1
        let lines = TextWrapping.wrap(
            prefix + units.joined(separator: " "), width: width, indent: min(continuation, width / 2), firstIndent: 0)
        return lines.map { String($0.map { $0 == noBreakSpace ? " " : $0 }) }
    }

    // MARK: - Rows

    /// A label and its help text in a two-column section.
    private struct Row {
        var label: String
        var text: String
    }

    private func row(for argument: ArgumentDefinition) -> Row? {
        switch argument {
        case .option(let option):
            let short = option.shortName.map { "-\($0), " } ?? "    "
            return Row(label: "  \(short)\(option.spelling) \(option.valueName)", text: helpText(for: option))
        case .flag(let flag):
            let short = flag.shortName.map { "-\($0), " } ?? "    "
            return Row(label: "  \(short)\(flag.spelling)", text: flag.help)
        case .positional:
            return nil
        }
    }

    /// Returns the option's help followed by what help cannot show otherwise: whether it is
    /// required or repeatable, its range, its allowed words and its default.
    private func helpText(for option: OptionDefinition) -> String {
        var facts: [String] = []
        if option.isRequired { facts.append("required") }
        if option.isRepeatable { facts.append("repeatable") }
        switch option.kind {
        case .integer(let range?):
            switch (range.lowerBound, range.upperBound) {
            case (Int.min, Int.max): break
            case (Int.min, let upper): facts.append("at most \(upper)")
            case (let lower, Int.max): facts.append("at least \(lower)")
            case (let lower, let upper): facts.append("\(lower) to \(upper)")
            }
        case .choice(let words) where option.valueName != words.joined(separator: "|"):
            facts.append("one of: \(words.joined(separator: ", "))")
        default:
            break
        }
        if let defaultDescription = option.defaultDescription { facts.append("default: \(defaultDescription)") }

        guard !facts.isEmpty else { return option.help }
        return "\(option.help) (\(facts.joined(separator: ", ")))"
    }

    /// Lays rows out in two columns: the label, then its help text wrapped in the second column.
    private func lines(for rows: [Row], labelWidth: Int) -> [String] {
        let textColumn = labelWidth + 2
        var lines: [String] = []
        for row in rows {
            let labelColumns = DisplayWidth.columns(of: row.label)
            if row.text.isEmpty {
                lines.append(row.label)
            } else if labelColumns <= labelWidth {
                var wrapped = TextWrapping.wrap(row.text, width: width, indent: textColumn)
                wrapped[0] = DisplayWidth.pad(row.label, toColumns: textColumn) + wrapped[0].dropFirst(textColumn)
                lines += wrapped
            } else {
                lines.append(row.label)
                lines += TextWrapping.wrap(row.text, width: width, indent: textColumn)
            }
        }
        return lines
    }
}
