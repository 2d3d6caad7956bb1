import Foundation

/// An invented secondary school whose MIS exports Lanyard can import: a OneRoster 1.1 CSV bundle
/// and an MIS contacts report that describe the same students, staff and families.
///
/// The same settings and seed always give byte-identical files. The seeded generator behind it
/// is for demo data only. Every name is invented. Parents' email addresses are at the reserved
/// example domains of RFC 2606, and so are staff and students' with the default ``emailDomain``,
/// so that no demo message can reach a real person.
///
/// ```swift
/// var school = DemoSchool(seed: 7)
/// school.studentCount = 300
/// let summary = try school.write(to: "/tmp/castle-mead")
/// // /tmp/castle-mead/oneroster/users.csv, ..., /tmp/castle-mead/mis-contacts.csv
/// ```
public struct DemoSchool: Sendable {
    /// The seed of the pseudo-random choices; change it for a different school of the same size.
    public var seed: UInt64
    /// The school's name, written to the `school` org.
    public var schoolName = "Castle Mead Academy"
    /// The multi-academy trust, written as a OneRoster `district` org above the school.
    public var trustName = "Severn Vale Learning Trust"
    /// The 3-digit local authority code (801 is Bristol).
    public var localAuthority = 801
    /// The 4-digit establishment number within the local authority.
    public var establishmentNumber = 4012
    /// The domain of staff and student email addresses. The default's `.example` top-level
    /// domain is reserved and never resolves.
    public var emailDomain = "castlemead.example"
    /// The calendar year in which the school year starts (2025 for 2025/26).
    public var academicYear = 2025
    /// On-roll students in years 7 to 13.
    public var studentCount = 1_200
    /// Students who have left, written with status `tobedeleted` along with their contacts.
    public var leaverCount = 5
    /// Teachers, each in a department. They tutor the registration groups in turn.
    public var teacherCount = 90
    /// Support staff with the OneRoster role `administrator` (office, data and site staff).
    public var administratorCount = 12
    /// Support staff with the OneRoster role `aide` (teaching assistants).
    public var aideCount = 18

    /// Names of the files in the OneRoster folder, `manifest.csv` first.
    public static let oneRosterFileNames = [
        "manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv", "classes.csv", "users.csv",
        "enrollments.csv",
    ]

    public init(seed: UInt64 = 1) {
        self.seed = seed
    }

    /// The DfE number: local authority code and establishment number (`801/4012`).
    public var dfeNumber: String {
        "\(localAuthority)/\(DemoStudentIdentifiers.zeroPadded(establishmentNumber, width: 4))"
    }

    // MARK: - Validation

    /// Checks every setting.
    /// - Throws: ``DemoSchoolError/settingOutOfRange(setting:value:range:)`` or
    ///   ``DemoSchoolError/invalidSetting(setting:value:rule:)`` for the first bad setting.
    public func validate() throws(DemoSchoolError) {
        let ranges: [(String, Int, ClosedRange<Int>)] = [
            ("studentCount", studentCount, 1...20_000),
            ("leaverCount", leaverCount, 0...500),
            ("teacherCount", teacherCount, 1...2_000),
            ("administratorCount", administratorCount, 0...500),
            ("aideCount", aideCount, 0...500),
            ("localAuthority", localAuthority, 100...999),
            ("establishmentNumber", establishmentNumber, 1_000...9_999),
            ("academicYear", academicYear, 2000...2098),
        ]
        for (setting, value, range) in ranges where !range.contains(value) {
            throw .settingOutOfRange(setting: setting, value: value, range: range)
        }

        if schoolName.trimmingSpaces().isEmpty {
            throw .invalidSetting(setting: "schoolName", value: schoolName, rule: "is blank; give the school a name")
        }
        if trustName.trimmingSpaces().isEmpty {
            throw .invalidSetting(setting: "trustName", value: trustName, rule: "is blank; give the trust a name")
        }
        let allowed = emailDomain.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
        }
        let labels = emailDomain.split(separator: ".", omittingEmptySubsequences: false)
        if !allowed || labels.count < 2 || labels.contains(where: \.isEmpty) {
            throw .invalidSetting(
                setting: "emailDomain",
                value: emailDomain,
                rule: "is not a domain name; use lower-case letters, digits, hyphens and dots, as in castlemead.example"
            )
        }
    }

    // MARK: - Writing

    /// Generates the school and writes its files into `folder`, which is created when missing.
    ///
    /// The OneRoster bundle goes into `folder/oneroster/` and the contacts report to
    /// `folder/mis-contacts.csv`. Files of the same names are replaced.
    /// - Throws: ``DemoSchoolError`` for an invalid setting, or when the folder or a file cannot
    ///   be written.
    public func write(to folder: String) throws(DemoSchoolError) -> DemoSchoolSummary {
        try validate()

        // Generate
        var populationBuilder = DemoPopulationBuilder(school: self)
        let population = populationBuilder.build()
        var identifiers = DemoRandom(seed: seed ^ 0xC1A5_5E5)
        let trustId = identifiers.guid()
        let schoolId = identifiers.guid()
        var timetableBuilder = DemoTimetableBuilder(school: self, population: population, seed: seed &+ 1)
        let timetable = timetableBuilder.build(sourcedIds: &identifiers)
        let bundle = DemoOneRosterBundle(
            school: self, population: population, timetable: timetable, trustId: trustId, schoolId: schoolId
        )
        let report = DemoMISContactsReport.make(population)

        // Write
        let oneRosterFolder = (folder as NSString).appendingPathComponent("oneroster")
        try Self.createFolder(oneRosterFolder)
        var oneRosterFiles: [String] = []
        for (name, text) in bundle.files() {
            let path = (oneRosterFolder as NSString).appendingPathComponent(name)
            try Self.writeFile(text, to: path)
            oneRosterFiles.append(path)
        }
        let contactsPath = (folder as NSString).appendingPathComponent("mis-contacts.csv")
        try Self.writeFile(report.text, to: contactsPath)

        // Count
        let onRoll = population.students.filter { !$0.isLeaver }
        return DemoSchoolSummary(
            schoolName: schoolName,
            dfeNumber: dfeNumber,
            trustName: trustName,
            studentCount: onRoll.count,
            leaverCount: population.students.count - onRoll.count,
            teacherCount: population.staff.filter { $0.role == .teacher }.count,
            supportStaffCount: population.staff.filter { $0.role != .teacher }.count,
            parentCount: population.contacts.count,
            familyCount: population.familyCount,
            familiesWithSiblings: population.familiesWithSiblings,
            studentsWithoutEmail: onRoll.filter { $0.email == nil }.count,
            temporaryUPNCount: onRoll.filter { $0.upn.isTemporary }.count,
            classCount: timetable.classes.count,
            enrolmentCount: timetable.enrolments.count,
            contactRowCount: report.rowCount,
            oneRosterFolder: oneRosterFolder,
            oneRosterFiles: oneRosterFiles,
            misContactsFile: contactsPath
        )
    }

    private static func createFolder(_ path: String) throws(DemoSchoolError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .folderNotCreated(path: path, reason: error.localizedDescription)
        }
    }

    private static func writeFile(_ text: String, to path: String) throws(DemoSchoolError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .fileNotWritten(path: path, reason: error.localizedDescription)
        }
    }
}
