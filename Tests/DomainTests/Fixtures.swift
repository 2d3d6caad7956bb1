import Foundation
import Storage

@testable import Domain

/// A temporary folder that is removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() {
        let name = "lanyard-test-\(UUID().uuidString)"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Writes `contents` to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String) -> String {
        let full = file(name)
        try! Data(contents.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func write(_ name: String, bytes: [UInt8]) -> String {
        let full = file(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }
}

/// A directory in a temporary folder with a fixed clock, and a small school to work on.
struct TestDirectory {
    let folder = TemporaryFolder()
    let directory: Directory

    static let fixedNow = Date(timeIntervalSince1970: 1_788_249_600)  // 2026-09-01T08:00:00Z

    init() throws {
        directory = try Directory(path: folder.file("lanyard.db"), actor: "tester", now: { TestDirectory.fixedNow })
    }

    var path: String { folder.file("lanyard.db") }

    /// A student as an import would give them.
    static func student(
        _ upn: UPN, _ forename: String, _ surname: String, year: Int, reg: String, email: String? = nil, line: Int = 2
    ) -> IncomingUser {
        var user = IncomingUser(role: .student, legalForename: forename, legalSurname: surname, location: SourceLocation(file: "test.csv", line: line))
        user.upn = upn.value
        user.yearGroup = YearGroup(number: year)
        user.registrationGroup = reg
        user.email = email
        return user
    }

    /// Adds a school and the given people in one import.
    @discardableResult
    func seed(
        school: String = "Castle Mead Academy", sso: SSOProvider = .none, users: [IncomingUser], links: [IncomingLink] = []
    ) throws -> ImportSummary {
        let summary = try directory.importRecords(kind: .csvStudents, source: "seed", options: ImportOptions(), settings: Settings()) { session in
            try session.add(school: IncomingSchool(sourceId: "school-1", name: school, dfeNumber: "801/4012"))
            for user in users { try session.add(user: user) }
            for link in links { session.add(link: link) }
        }
        try directory.setSSOProvider(sso, schoolId: try directory.onlySchool().id)
        return summary
    }

    /// A small school: two year 7 forms, a year 9 student without email, a leaver, a teacher
    /// and a parent of two siblings.
    func seedSmallSchool(sso: SSOProvider = .none) throws {
        var leaver = Self.student(UPN.make(la: 801, establishment: 4012, year: 19, serial: 5), "Liam", "O'Brien", year: 9, reg: "9C")
        leaver.status = .left
        var teacher = IncomingUser(role: .teacher, legalForename: "Ruth", legalSurname: "Evans", location: SourceLocation(file: "test.csv"))
        teacher.staffCode = "REV"
        teacher.email = "r.evans@castlemead.sch.uk"
        var parent = IncomingUser(role: .parent, legalForename: "Siân", legalSurname: "Ní Bhriain", location: SourceLocation(file: "test.csv"))
        parent.sourceId = "parent-1"
        parent.email = "sian@example.org"
        let zoe = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1)
        let niamh = UPN.make(la: 801, establishment: 4012, year: 19, serial: 3)
        try seed(
            sso: sso,
            users: [
                Self.student(zoe, "Zoë", "Ní Bhriain", year: 7, reg: "7A", email: "zoe@castlemead.sch.uk"),
                Self.student(UPN.make(la: 801, establishment: 4012, year: 19, serial: 2), "Łukasz", "Nowak", year: 7, reg: "7B", email: "lukasz@castlemead.sch.uk"),
                Self.student(niamh, "Niamh", "Ní Bhriain", year: 9, reg: "9C"),
                leaver, teacher, parent,
            ],
            links: [
                IncomingLink(parentSourceId: "parent-1", student: .upn(zoe.value), relationship: "Mother", priority: 1, parentalResponsibility: true, location: SourceLocation(file: "test.csv")),
                IncomingLink(parentSourceId: "parent-1", student: .upn(niamh.value), relationship: "Mother", priority: 1, parentalResponsibility: true, location: SourceLocation(file: "test.csv")),
            ])
    }
}
