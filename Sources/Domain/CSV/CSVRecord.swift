/// One record of a CSV file: its fields as written, and the line where it starts.
///
/// The number of fields may differ from the header's (a ragged row). The reader reports such
/// records as they are, so that the caller decides whether to reject or pad them.
public struct CSVRecord: Equatable, Sendable {
    /// The fields, unquoted, with doubled quotes made single and line breaks inside quoted fields
    /// kept as written (CRLF stays CRLF).
    public var fields: [String]
    /// The 1-based line where the record starts, counting the header as line 1 and every line
    /// break before it, including those inside quoted fields.
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// Returns the field at a 0-based index, or nil when the record is shorter.
    public subscript(index: Int) -> String? {
        index < fields.count ? fields[index] : nil
    }

    /// True when every field is empty, as in the `,,,` rows Excel leaves after deleted data.
    public var isBlank: Bool { fields.allSatisfy(\.isEmpty) }
}
