/// Options for ``Directory/updateEmails(fromCSV:options:)``.
public struct EmailUpdateOptions: Sendable, Equatable {
    /// Works out every change and writes nothing.
    public var dryRun: Bool
    /// Applies the valid rows and reports the others, instead of rejecting the whole file.
    public var skipInvalid: Bool
    public var encoding: CSVEncoding?
    public var delimiter: CSVDelimiter?
    /// The command or script updating, for the audit log.
    public var origin: String

    public init(
        dryRun: Bool = false, skipInvalid: Bool = false, encoding: CSVEncoding? = nil, delimiter: CSVDelimiter? = nil,
        origin: String = "lanyard users update-emails"
    ) {
        self.dryRun = dryRun
        self.skipInvalid = skipInvalid
        self.encoding = encoding
        self.delimiter = delimiter
        self.origin = origin
    }
}

/// The outcome of an email update.
public struct EmailUpdateSummary: Sendable, Equatable, Codable {
    public var source: String
    public var dryRun: Bool
    /// Rows read, blank ones left out.
    public var rows: Int
    /// Users whose address changed (or would, in a dry run).
    public var updated: Int
    /// Users whose address was already the one in the file.
    public var unchanged: Int
    /// Rows skipped as invalid (only with ``EmailUpdateOptions/skipInvalid``).
    public var invalid: Int
    /// Warnings and, with ``EmailUpdateOptions/skipInvalid``, the rows skipped.
    public var problems: [ImportProblem]
    /// Students, teachers and staff on roll still without an email address afterwards, by role.
    public var stillMissing: [String: Int]
}
