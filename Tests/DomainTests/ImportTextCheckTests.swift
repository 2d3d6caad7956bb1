import Foundation
import Testing

@testable import Domain

/// Control characters and over-long names in MIS reports and OneRoster bundles.
@Suite("Import: control characters and name length")
struct ImportTextCheckTests {
    static let upns = (1...5).map { UPN.make(la: 801, establishment: 4012, year: 19, serial: $0).value }
    static let longName = String(repeating: "a", count: 201)

    static func controlMessage(_ column: String, _ escaped: String) -> String {
        "the value in column '\(column)' contains the control character \(escaped); names, emails and registration groups never contain one, so remove it in the MIS and export again"
    }

    static func lengthMessage(_ column: String, _ count: Int) -> String {
        "the value in column '\(column)' has \(count) characters; names have at most 200, so shorten it in the MIS and export again"
    }

    /// Returns the errors of a rejected import, recording an issue when the import succeeds.
    static func errors(_ body: () throws -> ImportSummary) -> [ImportProblem] {
        let failure = #expect(throws: ImportFailure.self) { _ = try body() }
        return failure?.problems.filter { $0.severity == .error } ?? []
    }

    /// True when the text has no C0 control character or DEL, so it is safe on a terminal.
    static func isPrintable(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    // MARK: - MIS reports

    @Test("MIS students: control characters and long names rejected")
    func misStudents() throws {
        let fixture = try TestDirectory()
        try fixture.seed(users: [])
        let path = fixture.folder.write(
            "students.csv",
            """
            UPN,Surname,Forename,Reg,Email
            \(Self.upns[0]),Ní Bhriain,"Zo\u{1B}[31më",7A,
            \(Self.upns[1]),Nowak,Łukasz,"7\u{7F}B",
            \(Self.upns[2]),\(Self.longName),Jo,7A,
            \(Self.upns[3]),Smith,Al,7A,"al\u{07}@castlemead.sch.uk"
            \(Self.upns[4]),Dąbrowski,Jan,7A,jan@castlemead.sch.uk

            """)
        let errors = Self.errors {
            try fixture.directory.importMISReport(
                path: path, report: MISImportOptions(kind: .students), options: ImportOptions(), settings: Settings())
        }
        #expect(
            errors.map(\.description) == [
                "\(path):2, column 'Forename': \(Self.controlMessage("Forename", "\\u{1B}"))",
                "\(path):3, column 'Reg': \(Self.controlMessage("Reg", "\\u{7F}"))",
                "\(path):4, column 'Surname': \(Self.lengthMessage("Surname", 201))",
                "\(path):5, column 'Email': \(Self.controlMessage("Email", "\\u{7}"))",
            ])
        for error in errors {
            #expect(Self.isPrintable(error.description), "\(error.description.debugDescription)")
        }
    }

    @Test("MIS students: a name of exactly 200 characters imports")
    func misNameAtLimit() throws {
        let fixture = try TestDirectory()
        try fixture.seed(users: [])
        let name = String(repeating: "ł", count: 200)
        let path = fixture.folder.write("students.csv", "UPN,Surname,Forename\n\(Self.upns[0]),\(name),Jo\n")
        let summary = try fixture.directory.importMISReport(
            path: path, report: MISImportOptions(kind: .students), options: ImportOptions(), settings: Settings())
        #expect(summary.new == 1)
        #expect(try fixture.directory.user(key: Self.upns[0])?.legalSurname == name)
    }

    @Test("MIS staff and contacts: control characters rejected", arguments: [MISReportKind.staff, .contacts])
    func misStaffAndContacts(kind: MISReportKind) throws {
        let fixture = try TestDirectory()
        try fixture.seed(users: [])
        let text: String
        let column: String
        switch kind {
        case .staff:
            text = "Staff Code,Surname,Forename\nABC,Lee,\"Ann\tMarie\"\n"
            column = "Forename"
        default:
            text = "UPN,Contact Surname,Contact Forename\n\(Self.upns[0]),\"Lee\u{1B}]0;x\u{07}\",Ann\n"
            column = "Contact Surname"
        }
        let path = fixture.folder.write("report.csv", text)
        let errors = Self.errors {
            try fixture.directory.importMISReport(path: path, report: MISImportOptions(kind: kind), options: ImportOptions(), settings: Settings())
        }
        let escaped = kind == .staff ? "\\u{9}" : "\\u{1B}"
        #expect(errors.map(\.description) == ["\(path):2, column '\(column)': \(Self.controlMessage(column, escaped))"])
    }

    // MARK: - OneRoster

    @Test("OneRoster: control characters and long names rejected")
    func oneRoster() throws {
        let fixture = try TestDirectory()
        let folder = fixture.folder.file("bundle")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let files = [
            "orgs.csv": "sourcedId,name,type\nsch1,Castlemead Academy,school\n",
            "users.csv": """
                sourcedId,role,givenName,familyName,preferredGivenName,email,orgSourcedIds
                u1,student,"Zo\u{1B}[2Jë",Ní Bhriain,,,sch1
                u2,teacher,Ann,Lee,,"ann\u{7F}@castlemead.sch.uk",sch1
                u3,student,Jo,Smith,\(Self.longName),,sch1
                u4,student,Jan,Dąbrowski,,,sch1

                """,
            "classes.csv": "sourcedId,classType,title\nc1,homeroom,\"7\u{08}A\"\n",
            "enrollments.csv": "userSourcedId,classSourcedId,role\nu4,c1,student\n",
        ]
        for (name, text) in files {
            fixture.folder.write("bundle/\(name)", text)
        }
        let errors = Self.errors {
            try fixture.directory.importOneRoster(path: folder, options: ImportOptions(), settings: Settings())
        }
        let users = "\(folder)/users.csv"
        #expect(
            errors.map(\.description) == [
                "\(folder)/classes.csv:2, column 'title': \(Self.controlMessage("title", "\\u{8}"))",
                "\(users):2, column 'givenName': \(Self.controlMessage("givenName", "\\u{1B}"))",
                "\(users):3, column 'email': \(Self.controlMessage("email", "\\u{7F}"))",
                "\(users):4, column 'preferredGivenName': \(Self.lengthMessage("preferredGivenName", 201))",
            ])
        for error in errors {
            #expect(Self.isPrintable(error.description), "\(error.description.debugDescription)")
        }
    }
}

@Suite struct ImportDateTests {
    @Test(arguments: [
        ("2012-09-01", "2012-09-01"), ("2012-09-01T00:00:00", "2012-09-01"), ("01/09/2012", "2012-09-01"), ("1/9/2012", "2012-09-01"),
        ("29/02/2012", "2012-02-29"), ("2000-02-29", "2000-02-29"),
    ])
    func validDateIsRead(text: String, expected: String) {
        #expect(FieldChecks.date(text) == expected)
    }

    @Test(arguments: ["31/02/2027", "29/02/2027", "2027-02-31", "2027-13-01", "1900-02-29", "00/09/2012", "2012-9-1x", "next week"])
    func impossibleDateIsNotRead(text: String) {
        #expect(FieldChecks.date(text) == nil)
    }
}
