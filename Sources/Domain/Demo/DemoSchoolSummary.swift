/// The result of ``DemoSchool/write(to:)``: the school, its counts and its files.
public struct DemoSchoolSummary: Sendable, Equatable {
    /// The school's name, as in ``DemoSchool/schoolName``.
    public let schoolName: String
    /// The DfE number, LA code and establishment number (`801/4012`).
    public let dfeNumber: String
    /// The trust's name, as in ``DemoSchool/trustName``.
    public let trustName: String

    // MARK: - People

    /// On-roll students: `active` in OneRoster and listed in the MIS contacts report.
    public let studentCount: Int
    /// Students with status `tobedeleted` in OneRoster; the MIS report leaves them out.
    public let leaverCount: Int
    /// Users with the role `teacher`.
    public let teacherCount: Int
    /// Administrators and aides.
    public let supportStaffCount: Int
    /// Parent and guardian users in OneRoster, including the leavers' contacts.
    public let parentCount: Int
    /// On-roll families.
    public let familyCount: Int
    /// On-roll families with two or three children at the school, who share their contacts.
    public let familiesWithSiblings: Int
    /// On-roll students without a school email address.
    public let studentsWithoutEmail: Int
    /// On-roll students whose UPN is temporary (ends in a letter).
    public let temporaryUPNCount: Int

    // MARK: - Files

    /// Rows of classes.csv: registration groups and teaching groups.
    public let classCount: Int
    /// Rows of enrollments.csv.
    public let enrolmentCount: Int
    /// Rows of the MIS contacts report: one per on-roll student and contact.
    public let contactRowCount: Int
    /// The folder of the OneRoster 1.1 CSV bundle.
    public let oneRosterFolder: String
    /// The bundle's files, `manifest.csv` first.
    public let oneRosterFiles: [String]
    /// The MIS contacts report.
    public let misContactsFile: String

    /// Teachers and support staff.
    public var staffCount: Int { teacherCount + supportStaffCount }
}
