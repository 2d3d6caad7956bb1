/// Who login details are generated for.
public enum DetailsAudience: String, CaseIterable, Sendable, Codable {
    /// Students: PINs and their slips.
    case students
    /// Parents: parent codes and their slips.
    case parents
    /// Both.
    case both

    /// The codes this audience needs.
    public var kinds: [CredentialKind] {
        switch self {
        case .students: return [.pin]
        case .parents: return [.parentCode]
        case .both: return [.pin, .parentCode]
        }
    }
}

/// A file format that ``Directory/generateDetails(_:)`` writes.
public enum DetailsFormat: String, CaseIterable, Sendable, Codable {
    /// The mail merge CSV, `login-details.csv`.
    case csv
    /// The mail merge workbook, `login-details.xlsx`.
    case xlsx
    /// Printable slips, `student-slips.pdf` and `parent-slips.pdf`.
    case pdf
}

/// What ``Directory/generateDetails(_:)`` does.
///
/// ```swift
/// var options = DetailsOptions(selection: try Selection(parsing: "year:7"), folder: "out/year7")
/// options.formats = [.csv, .pdf]
/// let result = try directory.generateDetails(options)
/// ```
public struct DetailsOptions: Sendable {
    /// The students in scope. Only students are used, whatever roles the selection names.
    public var selection: Selection
    public var audience: DetailsAudience = .both
    /// Only students who have never logged in.
    public var neverLoggedInOnly = false
    /// Reuse live codes and issue only where a student has none, instead of regenerating every
    /// code in scope.
    public var keepsCodes = false
    /// The folder the files go to, created (mode 0700) when missing.
    public var folder: String
    public var formats: [DetailsFormat] = [.csv]
    /// One worksheet per registration group in the XLSX file instead of one sheet for all.
    public var sheetPerRegistrationGroup = false
    /// Whether the CSV file starts with a UTF-8 byte order mark, which Excel needs.
    public var writesByteOrderMark = true
    /// Count and report what would happen, then roll back: no files, no code changes.
    public var isDryRun = false
    public var settings: Settings
    /// The command or script, for the audit log.
    public var origin: Directory.Origin

    /// Called after each student's row is written, with the number written so far. Tests use
    /// it to fail a run midway.
    var afterRow: (@Sendable (Int) throws -> Void)?

    public init(
        selection: Selection, folder: String, settings: Settings = Settings(), origin: Directory.Origin = .init("details generate")
    ) {
        self.selection = selection
        self.folder = folder
        self.settings = settings
        self.origin = origin
    }
}
