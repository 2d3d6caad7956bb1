/// The character that separates fields in a CSV file.
public enum CSVDelimiter: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case comma = 0x2C
    /// Excel's list separator in locales that write a decimal comma.
    case semicolon = 0x3B
    /// Excel's "Unicode Text" and "Text (Tab delimited)" saves.
    case tab = 0x09

    /// Looks a delimiter up by its name (`comma`, `semicolon`, `tab`, ignoring case) or by the
    /// character itself (`,`, `;`, or a tab written as `\t`).
    public init?(name: String) {
        switch name.lowercased() {
        case "comma", ",":
            self = .comma
        case "semicolon", ";":
            self = .semicolon
        case "tab", "\t", "\\t":
            self = .tab
        default:
            return nil
        }
    }

    /// The canonical names, for help text and error messages.
    public static let names: [String] = allCases.map(\.description)

    public var description: String {
        switch self {
        case .comma: return "comma"
        case .semicolon: return "semicolon"
        case .tab: return "tab"
        }
    }

    // MARK: - Detection

    /// Picks the delimiter that occurs most often outside quotes in the first non-blank line.
    ///
    /// A line with none of the three (a one-column file) reads as comma-delimited, and on a tie
    /// comma wins over tab, and tab over semicolon.
    static func detect(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> CSVDelimiter {
        var counts: [CSVDelimiter: Int] = [:]
        var index = start
        var inQuotes = false
        var lineHasStarted = false

        while index < text.count {
            let byte = text[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes, byte == 0x0A || byte == 0x0D {
                if lineHasStarted { break }
                continue
            } else if !inQuotes, let delimiter = CSVDelimiter(rawValue: byte) {
                counts[delimiter, default: 0] += 1
            }
            lineHasStarted = true
        }

        var best = CSVDelimiter.comma
        for candidate in [CSVDelimiter.tab, .semicolon] where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }
}
