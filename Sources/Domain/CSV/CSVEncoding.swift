/// A text encoding that Excel and MIS exports use for CSV files.
///
/// ``CSVReader`` detects the encoding when none is given (see ``CSVReadOptions/encoding``),
/// and converts every file to UTF-8 once, before parsing.
public enum CSVEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    /// UTF-8, with or without a byte order mark (Excel's "CSV UTF-8" save).
    case utf8 = "utf-8"
    /// UTF-16, little- or big-endian (Excel's "Unicode Text" save, usually tab-delimited).
    ///
    /// A byte order mark decides the byte order. Without one, the first two bytes decide: a zero
    /// second byte means little-endian, a zero first byte big-endian, and otherwise the reader
    /// assumes little-endian, which is what Excel on Windows writes.
    case utf16 = "utf-16"
    /// Windows-1252 (Excel's plain "CSV" save on a British or Western European Windows).
    ///
    /// Bytes 0x80 to 0x9F follow the Windows-1252 table (0x80 is €, 0x92 is ’). The five bytes
    /// that table leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the control characters
    /// of the same number, as the WHATWG Encoding Standard does. Bytes 0xA0 to 0xFF are the
    /// Latin-1 characters of the same number.
    case windows1252 = "windows-1252"

    /// Looks an encoding up by a name a user may type, ignoring case.
    ///
    /// Accepts `utf-8`, `utf8`, `utf-16`, `utf16`, `unicode`, `windows-1252`, `cp1252`,
    /// `latin1` and `iso-8859-1`. The last two read as Windows-1252, which is a superset of
    /// ISO-8859-1 for every printable character.
    ///
    /// ```swift
    /// CSVEncoding(name: "UTF8")  // .utf8
    /// CSVEncoding(name: "ascii") // nil
    /// ```
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8":
            self = .utf8
        case "utf-16", "utf16", "unicode":
            self = .utf16
        case "windows-1252", "cp1252", "latin1", "iso-8859-1":
            self = .windows1252
        default:
            return nil
        }
    }

    /// The canonical names, for help text and error messages.
    public static let names: [String] = allCases.map(\.rawValue)

    public var description: String { rawValue }
}
