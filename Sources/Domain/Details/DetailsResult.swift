/// The outcome of ``Directory/generateDetails(_:)``.
public struct DetailsResult: Sendable, Equatable, Codable {
    /// A file that was written (or, in a dry run, would have been).
    public struct File: Sendable, Equatable, Codable {
        /// `csv`, `xlsx`, `student-slips` or `parent-slips`.
        public var kind: String
        public var path: String
        /// Rows for a mail merge file, slips for a PDF.
        public var items: Int
        /// PDF pages; nil for other files.
        public var pages: Int?
    }

    /// Students in scope, one mail merge row each.
    public var students: Int
    /// Codes voided because they were regenerated.
    public var codesVoided: Int
    /// Codes issued, by regeneration or because a student had none.
    public var codesIssued: Int
    /// The shared expiry of new PINs, when any were issued.
    public var pinExpiry: String?
    /// The shared expiry of new parent codes, when any were issued.
    public var parentCodeExpiry: String?
    public var files: [File]
    /// True when nothing was written or changed.
    public var isDryRun: Bool
}
