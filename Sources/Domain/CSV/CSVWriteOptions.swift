/// Options for ``CSVWriter``. The defaults suit files that people open in Excel or use as a
/// Word mail merge source.
public struct CSVWriteOptions: Equatable, Sendable {
    /// The field delimiter. Comma by default.
    public var delimiter: CSVDelimiter
    /// Whether the file starts with a UTF-8 byte order mark. On by default, because Excel reads
    /// a CSV file without one in the system's legacy code page (Windows-1252 in Britain), which
    /// garbles every character outside ASCII. Turn it off for programs that do not expect one.
    public var writesByteOrderMark: Bool
    /// Whether a field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
    /// single quote (`'`) in front. A spreadsheet then shows the field as text instead of
    /// running it as a formula, which defends against CSV formula injection. On by default.
    ///
    /// The quote becomes part of the value: `-5` is written `'-5`. Turn this off for files that
    /// a program reads rather than a person, such as an MIS import, where the quote would
    /// corrupt the data.
    public var neutralisesFormulas: Bool
    /// Whether digit strings that Excel would damage are written as the formula `="0123"`, so
    /// that Excel shows them as text. Off by default.
    ///
    /// Excel reads a CSV field of digits as a number: it drops leading zeros (`00123` becomes
    /// `123`) and keeps 15 significant digits (a 16-digit number loses its last digit). A CSV
    /// file cannot mark a column as text, so this formula is the only way to keep such a field
    /// intact in Excel. It applies only to fields of ASCII digits that start with `0` or have
    /// more than 15 digits. UPNs start with a letter, so Excel keeps them without it.
    ///
    /// Leave it off for a Word mail merge, an MIS import and any other program, because they
    /// read the formula as literal text (`="0123"`). For spreadsheets that people open, the
    /// XLSX export is the clean way: it stores such cells as text.
    ///
    /// NOTE: how Excel shows the `'` prefix and the `="0123"` formula follows published guidance
    /// on Excel and CSV injection. Neither was checked in Excel itself, which is not available
    /// on Linux.
    public var keepsDigitStringsAsTextInExcel: Bool

    public init(
        delimiter: CSVDelimiter = .comma,
        writesByteOrderMark: Bool = true,
        neutralisesFormulas: Bool = true,
        keepsDigitStringsAsTextInExcel: Bool = false
    ) {
        self.delimiter = delimiter
        self.writesByteOrderMark = writesByteOrderMark
        self.neutralisesFormulas = neutralisesFormulas
        self.keepsDigitStringsAsTextInExcel = keepsDigitStringsAsTextInExcel
    }

    /// Options for a file that another program imports: no byte order mark, no formula
    /// neutralisation.
    public static let machineReadable = CSVWriteOptions(writesByteOrderMark: false, neutralisesFormulas: false)
}
