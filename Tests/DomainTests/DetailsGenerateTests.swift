import Foundation
import Storage
import Testing

@testable import Domain

@Suite("Login details: codes, mail merge CSV, staging")
struct DetailsGenerateTests {
    @Test("CSV has a BOM, CRLF, the documented header and one row per student")
    func csvShape() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let result = try fixture.directory.generateDetails(try DetailsSchool.options(fixture))

        let path = fixture.folder.file("out/login-details.csv")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix(MailMergeRow.columns.joined(separator: ",") + "\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))

        let rows = try DetailsSchool.readCSV(path)
        #expect(rows[0] == MailMergeRow.columns)
        #expect(rows.count == 7)
        #expect(result.students == 6)
        #expect(result.files == [.init(kind: "csv", path: path, items: 6, pages: nil)])
    }

    @Test("CSV rows carry the live codes, leading zeros and a neutralised formula")
    func csvValues() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let result = try fixture.directory.generateDetails(try DetailsSchool.options(fixture))
        let rows = try DetailsSchool.readCSV(fixture.folder.file("out/login-details.csv"))
        let byUPN = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0) })
        let pins = try DetailsSchool.liveCodes(fixture, .pin)
        let parentCodes = try DetailsSchool.liveCodes(fixture, .parentCode)

        let zoe = try #require(byUPN[DetailsSchool.zoe])
        #expect(zoe[1] == "000123")
        #expect(zoe[2] == "Zoë")
        #expect(zoe[5] == "7")
        #expect(zoe[8] == "zoe@castlemead.sch.uk")
        #expect(zoe[9] == pins[DetailsSchool.zoe])
        #expect(zoe[10] == "2026-12-01")
        #expect(zoe[11] == CodeGenerator.parentCode.format(parentCodes[DetailsSchool.zoe]!))
        #expect(zoe[14] == "https://login.example.org")
        #expect(zoe[15] == "")

        let inaki = try #require(byUPN[DetailsSchool.inaki])
        #expect(inaki[8] == DetailsSchool.inaki, "login name falls back to the UPN")
        let anh = try #require(byUPN[DetailsSchool.anh])
        #expect(anh[4] == "Ánh")
        let formula = try #require(byUPN[DetailsSchool.formula])
        #expect(formula[3] == "'=HYPERLINK(\"http://x\")")
        #expect(result.pinExpiry == "2026-12-01T08:00:00Z")
    }

    @Test("rows are ordered by year, registration group and surname")
    func csvOrder() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        _ = try fixture.directory.generateDetails(try DetailsSchool.options(fixture))
        let rows = try DetailsSchool.readCSV(fixture.folder.file("out/login-details.csv")).dropFirst()
        #expect(rows.map(\.[3]) == ["Muñoz", "Ní Bhriain", "Nguyễn", "Wałęsa", "=HYPERLINK(\"http://x\")", "Ŵyn"].map {
            $0.hasPrefix("=") ? "'" + $0 : $0
        })
    }

    @Test("CSV without a byte order mark when asked")
    func csvWithoutBOM() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        var options = try DetailsSchool.options(fixture)
        options.writesByteOrderMark = false
        _ = try fixture.directory.generateDetails(options)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.folder.file("out/login-details.csv")))
        #expect(bytes.first == UInt8(ascii: "u"))
    }

    @Test("every file is mode 0600 and no temporary file is left")
    func filesArePrivate() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let result = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, formats: [.csv, .xlsx, .pdf]))
        #expect(result.files.count == 4)
        for file in result.files {
            #expect(try DetailsSchool.mode(file.path) == 0o600, "\(file.path)")
        }
        #expect(
            DetailsSchool.files(in: fixture.folder.file("out"))
                == ["login-details.csv", "login-details.xlsx", "parent-slips.pdf", "student-slips.pdf"])
    }

    @Test("students only: PINs filled, parent codes empty, only PINs regenerated")
    func studentsOnly() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let parentCodesBefore = try DetailsSchool.liveCodes(fixture, .parentCode)
        var options = try DetailsSchool.options(fixture)
        options.audience = .students
        let result = try fixture.directory.generateDetails(options)
        let rows = try DetailsSchool.readCSV(fixture.folder.file("out/login-details.csv")).dropFirst()
        #expect(rows.allSatisfy { $0[9].count == 6 && $0[11].isEmpty })
        #expect(try DetailsSchool.liveCodes(fixture, .parentCode) == parentCodesBefore)
        #expect(result.codesIssued == 6)
        #expect(result.parentCodeExpiry == nil)
    }

    // MARK: - Codes

    @Test("by default codes in scope are regenerated with one expiry")
    func regeneratesCodes() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let before = try DetailsSchool.liveCodes(fixture, .pin)
        let result = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, "reg:7A"))
        let after = try DetailsSchool.liveCodes(fixture, .pin)
        #expect(after[DetailsSchool.zoe] != before[DetailsSchool.zoe])
        #expect(after[DetailsSchool.lukasz] == before[DetailsSchool.lukasz], "7B is out of scope")
        #expect(result.codesVoided == 4)
        #expect(result.codesIssued == 4)
    }

    @Test("keeping codes reuses live ones and issues only where missing")
    func keepsCodes() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let before = try DetailsSchool.liveCodes(fixture, .pin)
        try fixture.directory.database.execute(
            "UPDATE credentials SET voided_at = '2026-08-01T00:00:00Z' WHERE kind = 'pin' AND student_id = (SELECT id FROM users WHERE upn = ?1)",
            [DetailsSchool.inaki])
        var options = try DetailsSchool.options(fixture, "reg:7A")
        options.keepsCodes = true
        let result = try fixture.directory.generateDetails(options)
        let after = try DetailsSchool.liveCodes(fixture, .pin)
        #expect(after[DetailsSchool.zoe] == before[DetailsSchool.zoe])
        #expect(after[DetailsSchool.inaki] != nil)
        #expect(after[DetailsSchool.inaki] != before[DetailsSchool.inaki])
        #expect(result.codesIssued == 1)
        #expect(result.codesVoided == 0)
        #expect(result.pinExpiry == "2026-12-01T08:00:00Z")
        #expect(result.parentCodeExpiry == nil)
    }

    @Test("only never-logged-in students when asked")
    func neverLoggedIn() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        var options = try DetailsSchool.options(fixture, "year:8")
        options.neverLoggedInOnly = true
        let result = try fixture.directory.generateDetails(options)
        let rows = try DetailsSchool.readCSV(fixture.folder.file("out/login-details.csv")).dropFirst()
        #expect(result.students == 1)
        #expect(rows.map(\.[0]) == [DetailsSchool.formula])
    }

    @Test("teachers in the selection get no row")
    func studentsOnlyInScope() throws {
        let fixture = try TestDirectory()
        try fixture.seedSmallSchool()
        let result = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, "role:student,teacher"))
        #expect(result.students == 3)
    }

    @Test("an SSO school's rows name the provider and say to use the school account")
    func ssoNote() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture, sso: .microsoft)
        _ = try fixture.directory.generateDetails(try DetailsSchool.options(fixture))
        let rows = try DetailsSchool.readCSV(fixture.folder.file("out/login-details.csv")).dropFirst()
        #expect(rows.allSatisfy { $0[13] == "Microsoft 365" })
        #expect(rows.allSatisfy { $0[15] == "Sign in with your Microsoft 365 school account instead of a password." })
    }

    // MARK: - Audit

    @Test("one code.read audit row per student and one for the run")
    func audit() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        _ = try fixture.directory.generateDetails(try DetailsSchool.options(fixture, "reg:7A"))
        let reads = try fixture.directory.database.query(
            "SELECT actor, via, detail FROM audit_log WHERE action = 'code.read' ORDER BY id")
        #expect(reads.count == 2)
        #expect(reads.first?.string("actor") == "tester")
        #expect(reads.first?.string("via") == "test")
        #expect(reads.first?.string("detail") == "pin, parent-code for login details")
        let run = try #require(try fixture.directory.database.queryRow("SELECT detail FROM audit_log WHERE action = 'details.generate'"))
        #expect(run.string("detail") == "2 students, for both, formats csv, selection: reg:7A")
    }

    // MARK: - Dry run and failure

    @Test("a dry run writes no files and changes no codes")
    func dryRun() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let before = try DetailsSchool.liveCodes(fixture, .pin)
        let auditBefore = try fixture.directory.database.scalar("SELECT count(*) FROM audit_log")?.intValue
        var options = try DetailsSchool.options(fixture, formats: [.csv, .xlsx, .pdf])
        options.isDryRun = true
        let result = try fixture.directory.generateDetails(options)
        #expect(result.isDryRun)
        #expect(result.students == 6)
        #expect(result.codesIssued == 12)
        #expect(result.files.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.file("out")))
        #expect(try DetailsSchool.liveCodes(fixture, .pin) == before)
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log")?.intValue == auditBefore)
    }

    struct InjectedFailure: Error {}

    @Test("a failure midway leaves no files and the codes unchanged")
    func failureMidway() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let pins = try DetailsSchool.liveCodes(fixture, .pin)
        let parentCodes = try DetailsSchool.liveCodes(fixture, .parentCode)
        var options = try DetailsSchool.options(fixture, formats: [.csv, .xlsx, .pdf])
        options.afterRow = { count in
            if count == 3 { throw InjectedFailure() }
        }
        #expect(throws: InjectedFailure.self) { try fixture.directory.generateDetails(options) }
        #expect(DetailsSchool.files(in: fixture.folder.file("out")) == [])
        #expect(try DetailsSchool.liveCodes(fixture, .pin) == pins)
        #expect(try DetailsSchool.liveCodes(fixture, .parentCode) == parentCodes)
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'code.read'")?.intValue == 0)
    }

    @Test("an output path that is a file is reported before anything changes")
    func folderIsFile() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        fixture.folder.write("out", "not a folder")
        let pins = try DetailsSchool.liveCodes(fixture, .pin)
        #expect(throws: ExportError.folderUnavailable(path: fixture.folder.file("out"), reason: "it is a file, not a folder")) {
            try fixture.directory.generateDetails(try DetailsSchool.options(fixture))
        }
        #expect(try DetailsSchool.liveCodes(fixture, .pin) == pins)
        #expect(
            ExportError.folderUnavailable(path: "out", reason: "it is a file, not a folder").description
                == "cannot use the output folder 'out': it is a file, not a folder; give a folder you can write to with --out")
    }
}
