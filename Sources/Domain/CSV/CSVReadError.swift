/// A place in a CSV file: the file, the 1-based physical line, and the 1-based field number with
/// its header name when the header has one for that field.
public struct CSVPosition: Equatable, Sendable, CustomStringConvertible {
    /// The file path, or the name given for bytes read from memory (such as a zip member).
    public var source: String
    /// The 1-based line in the file, counting the header as line 1 and every line break,
    /// including those inside quoted fields.
    public var line: Int
    /// The 1-based field number in the record.
    public var column: Int
    /// The header's name for that field, or nil in the header itself or beyond its last column.
    public var columnName: String?

    public init(source: String, line: Int, column: Int, columnName: String? = nil) {
        self.source = source
        self.line = line
        self.column = column
        self.columnName = columnName
    }

    /// Reads as `'pupils.csv' at line 4, column 3 (Surname)`.
    public var description: String {
        var text = "'\(source)' at line \(line), column \(column)"
        if let columnName, !columnName.isEmpty {
            text += " (\(columnName))"
        }
        return text
    }
}

/// An error from reading a CSV file. Each case names the file and, where it applies, the line.
public enum CSVReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read. `reason` is the system's error text.
    case unreadableFile(path: String, reason: String)
    /// The file has no header line: it is empty, or has only blank lines or a byte order mark.
    case missingHeader(source: String)
    /// The text was read as UTF-8 (given explicitly, or declared by a UTF-8 byte order mark)
    /// but contains a byte sequence that is not UTF-8.
    case invalidUTF8(source: String, line: Int)
    /// No encoding was given, and the bytes are not UTF-8 but contain well-formed multi-byte
    /// UTF-8 sequences, so the file mixes UTF-8 with another encoding. `line` is the line of
    /// the first invalid byte.
    case mixedEncoding(source: String, line: Int)
    /// The text was read as UTF-16 but has a lone surrogate or an odd number of bytes.
    case invalidUTF16(source: String, line: Int)
    /// A quoted field has no closing quote before the end of the file. The position is where
    /// the field starts.
    case unterminatedQuotedField(CSVPosition)
    /// A field that does not start with a quote contains one, as in `ab"c`.
    case quoteInUnquotedField(CSVPosition, field: String)
    /// Characters follow the closing quote of a quoted field, as in `"ab"c`.
    case textAfterClosingQuote(CSVPosition, field: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read the CSV file '\(path)': \(reason); check the path and that you may read the file"
        case .missingHeader(let source):
            return "invalid CSV in '\(source)': the file has no header line; export it again with the column names in the first line"
        case .invalidUTF8(let source, let line):
            return "invalid UTF-8 in '\(source)' at line \(line): the line has bytes that are not UTF-8; read the file as windows-1252 if Excel saved it as plain CSV, or save it again from Excel as CSV UTF-8"
        case .mixedEncoding(let source, let line):
            return "invalid text in '\(source)': the file mixes UTF-8 with another encoding (first invalid byte at line \(line)); save it again from Excel as CSV UTF-8, or give --encoding windows-1252 if it really is Windows-1252"
        case .invalidUTF16(let source, let line):
            return "invalid UTF-16 in '\(source)' at line \(line): the text is cut off or has a broken character; save the file again from Excel as CSV UTF-8"
        case .unterminatedQuotedField(let position):
            return "invalid CSV in \(position): the quoted field that starts there has no closing quote; add the missing quote, or save the file again from Excel as CSV UTF-8"
        case .quoteInUnquotedField(let position, let field):
            return "invalid CSV in \(position): the field '\(field)' contains a quote but does not start with one; put the field in quotes and double the quote inside it, or save the file again from Excel as CSV UTF-8"
        case .textAfterClosingQuote(let position, let field):
            return "invalid CSV in \(position): text follows the closing quote in '\(field)'; put the whole field in quotes and double any quote inside it, or save the file again from Excel as CSV UTF-8"
        }
    }
}
