import Foundation
import Testing

@testable import Domain

@Suite("Login details: parent recipients and the MIS export")
struct DetailsParentTests {
    static let header = "UPN,Contact Forename,Contact Surname,Relationship,Priority,Parental Responsibility,Contact Email\n"

    /// Zoë and Iñaki are siblings with one mother, and Łukasz has two parents. Ánh's only
    /// contact lacks responsibility, Siôn's contact has no email, and the formula student has
    /// no contacts.
    static let contacts = header + """
        \(DetailsSchool.zoe),Siân,Ní Bhriain,Mother,1,Yes,sian@example.org
        \(DetailsSchool.inaki),Siân,Ní Bhriain,Mother,1,Yes,SIAN@example.org
        \(DetailsSchool.lukasz),Marek,Wałęsa,Father,2,Yes,marek@example.org
        \(DetailsSchool.lukasz),Anna,Wałęsa,Mother,1,Yes,anna@example.org
        \(DetailsSchool.anh),Bảo,Trần,Aunt,1,No,bao@example.org
        \(DetailsSchool.sion),Rhys,Ŵyn,Father,1,Yes,
        \(UPN.make(la: 801, establishment: 4012, year: 19, serial: 99).value),Nobody,Here,Father,1,Yes,nobody@example.org

        """

    static func recipients(
        _ fixture: TestDirectory, _ configure: (inout ParentRecipientOptions) -> Void = { _ in }
    ) throws -> ParentRecipients {
        let path = fixture.folder.write("contacts.csv", contacts)
        var options = ParentRecipientOptions(origin: .init("test"))
        configure(&options)
        return try fixture.directory.parentRecipients(contactsCSV: path, selection: Selection(), options: options)
    }

    @Test("siblings share one recipient listing both children")
    func siblingsGrouped() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let list = try Self.recipients(fixture)
        let sian = try #require(list.recipients.first { $0.email.lowercased() == "sian@example.org" })
        #expect(sian.name == "Siân Ní Bhriain")
        #expect(sian.children.map(\.upn) == [DetailsSchool.inaki, DetailsSchool.zoe])
        #expect(list.recipients.filter { $0.email.lowercased() == "sian@example.org" }.count == 1)
    }

    @Test("the first usable contact by priority is picked by default")
    func priorityOrder() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let list = try Self.recipients(fixture)
        #expect(list.recipients.map { $0.email.lowercased() } == ["sian@example.org", "anna@example.org"])
    }

    @Test("two households both listed when every priority is asked for")
    func twoHouseholds() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let all = try Self.recipients(fixture) { $0.allPriorities = true }
        #expect(all.recipients.map { $0.email.lowercased() } == ["sian@example.org", "anna@example.org", "marek@example.org"])
        let upToOne = try Self.recipients(fixture) { $0.maxPriority = 1 }
        #expect(upToOne.recipients.map { $0.email.lowercased() } == ["sian@example.org", "anna@example.org"])
    }

    @Test("students without a usable contact are reported with the reason")
    func unreachedReasons() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let list = try Self.recipients(fixture)
        let reasons = Dictionary(uniqueKeysWithValues: list.unreached.map { ($0.upn, $0.reason) })
        #expect(reasons == [
            DetailsSchool.anh: .noneWithResponsibility, DetailsSchool.sion: .noneWithEmail, DetailsSchool.formula: .noContacts,
        ])
        #expect(list.unmatchedRows == 1)
        #expect(list.problems == [])
    }

    @Test("a contact without responsibility is included when asked")
    func withoutResponsibility() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let list = try Self.recipients(fixture) { $0.includeWithoutResponsibility = true }
        let bao = try #require(list.recipients.first { $0.email == "bao@example.org" })
        #expect(bao.children.map(\.name) == ["Ánh Nguyễn"])
        #expect(bao.children.first?.relationship == "Aunt")
    }

    @Test("a contact beyond the priority limit gives its own reason")
    func withinPriority() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let path = fixture.folder.write("contacts.csv", Self.header + "\(DetailsSchool.zoe),Siân,Ní Bhriain,Mother,3,Yes,sian@example.org\n")
        var options = ParentRecipientOptions()
        options.maxPriority = 2
        let list = try fixture.directory.parentRecipients(contactsCSV: path, selection: Selection(parsing: "reg:7A"), options: options)
        #expect(list.unreached.first { $0.upn == DetailsSchool.zoe }?.reason == .noneWithinPriority)
    }

    @Test("codes are left out unless asked for, and reading them is audited")
    func codesAudited() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let masked = try Self.recipients(fixture)
        #expect(masked.recipients.flatMap(\.children).allSatisfy { $0.parentCode == nil })
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'code.read'")?.intValue == 0)

        let shown = try Self.recipients(fixture) { $0.includesCodes = true }
        let codes = try DetailsSchool.liveCodes(fixture, .parentCode)
        let zoe = try #require(shown.recipients.flatMap(\.children).first { $0.upn == DetailsSchool.zoe })
        #expect(zoe.parentCode == CodeGenerator.parentCode.format(codes[DetailsSchool.zoe]!))
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'code.read'")?.intValue == 3)
    }

    @Test("an invalid UPN or email in the file is reported and the row skipped")
    func fileProblems() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let path = fixture.folder.write(
            "contacts.csv", Self.header + "A801200005001,Jo,Smith,Father,1,Yes,jo@example.org\n\(DetailsSchool.zoe),Siân,Ní Bhriain,Mother,1,Yes,not-an-email\n")
        let list = try fixture.directory.parentRecipients(contactsCSV: path, selection: Selection(), options: ParentRecipientOptions())
        #expect(list.problems.count == 2)
        #expect(list.problems.first?.hasPrefix("\(path):2, column 'UPN': invalid UPN 'A801200005001'") == true)
        #expect(list.unreached.first { $0.upn == DetailsSchool.zoe }?.reason == .noneWithEmail)
    }

    @Test("without a file the directory's parent links are used")
    func directoryLinks() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let list = try fixture.directory.parentRecipients(contactsCSV: nil, selection: Selection(), options: ParentRecipientOptions())
        #expect(list.recipients.map(\.email) == ["sian@example.org"])
        #expect(list.recipients.first?.children.count == 2)
        #expect(list.unreached.map(\.reason) == [.noContacts])
    }

    // MARK: - MIS export

    @Test("generic export: machine-readable CSV keyed by UPN")
    func genericExport() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let path = fixture.folder.file("codes.csv")
        let result = try fixture.directory.exportParentCodes(ParentCodeExportOptions(selection: Selection(parsing: "reg:8[C]"), path: path))
        #expect(result.rows == 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.first == UInt8(ascii: "U"), "no byte order mark")
        let rows = try DetailsSchool.readCSV(path)
        #expect(rows[0] == ["UPN", "Surname", "Forename", "Parent Code", "Expiry"])
        let formula = try #require(rows.first { $0[0] == DetailsSchool.formula })
        #expect(formula[1] == "=HYPERLINK(\"http://x\")", "no formula neutralising for a program")
        #expect(formula[3] == CodeGenerator.parentCode.format(try DetailsSchool.liveCodes(fixture, .parentCode)[DetailsSchool.formula]!))
        #expect(try DetailsSchool.mode(path) == 0o600)
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'code.read'")?.intValue == 2)
    }

    @Test("SIMS export has the date of birth where known and the code as value")
    func simsExport() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        try fixture.directory.database.execute("UPDATE users SET date_of_birth = '2014-03-09' WHERE upn = ?1", [DetailsSchool.zoe])
        try fixture.directory.database.execute(
            "UPDATE credentials SET voided_at = '2026-08-01T00:00:00Z' WHERE kind = 'parent-code' AND student_id = (SELECT id FROM users WHERE upn = ?1)",
            [DetailsSchool.inaki])
        let path = fixture.folder.file("sims.csv")
        var options = ParentCodeExportOptions(selection: try Selection(parsing: "reg:7A"), path: path)
        options.layout = .sims
        let result = try fixture.directory.exportParentCodes(options)
        let rows = try DetailsSchool.readCSV(path)
        #expect(rows[0] == ["UPN", "Surname", "Forename", "DOB", "Value"])
        #expect(rows.count == 2)
        #expect(rows[1][0] == DetailsSchool.zoe)
        #expect(rows[1][3] == "09/03/2014")
        #expect(result.studentsWithoutCode == [DetailsSchool.inaki])
    }
}
