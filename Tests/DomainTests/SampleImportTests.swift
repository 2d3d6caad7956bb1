import Foundation
import Testing

@testable import Domain

/// Imports of the real public files in ../shared/samples, each by the documented rule.
@Suite("Real sample imports", .enabled(if: SampleFiles.isAvailable, SampleFiles.skipNote))
struct SampleImportTests {
    static func importBundle(_ relative: String, options: ImportOptions = ImportOptions()) throws -> (TestDirectory, ImportSummary) {
        let fixture = try TestDirectory()
        let summary = try fixture.directory.importOneRoster(path: SampleFiles.path(relative), options: options, settings: Settings())
        return (fixture, summary)
    }

    @Test(
        "OneRoster bundles import, folder and zip alike",
        arguments: [
            ("oneroster/catalyst-moodle-enrol_oneroster/Test_full_data_set", 6),
            ("oneroster/catalyst-moodle-enrol_oneroster/Test_full_data_set.zip", 6),
            ("oneroster/catalyst-moodle-enrol_oneroster/Test_minimal_data_set", 6),
            ("oneroster/catalyst-moodle-enrol_oneroster/Test_minimal_data_set.zip", 6),
            ("oneroster/catalyst-moodle-enrol_oneroster/oneroster_test_data", 1),
            ("oneroster/catalyst-moodle-enrol_oneroster/oneroster_test_data.zip", 1),
            ("oneroster/catalyst-moodle-enrol_oneroster/v1p2_full_dataset", 6),
            ("oneroster/catalyst-moodle-enrol_oneroster/v1p2_full_dataset.zip", 6),
            ("oneroster/oat-sa-oneroster-import/OneRosterv1p1BaseCSV", 2),
            ("oneroster/lepo-project-roster-hub/en", 20),
            ("oneroster/lepo-project-roster-hub/en/oneroster.zip", 20),
            ("oneroster/lepo-project-roster-hub/ja", 20),
            ("oneroster/nicelion-oneroster-mocker/outputs", 4),
            ("oneroster/nicelion-oneroster-mocker/oneroster-example-csv", 0),
        ])
    func bundleImports(path: String, people: Int) throws {
        let (fixture, summary) = try Self.importBundle(path)
        #expect(summary.new == people)
        #expect(summary.invalid == 0)
        #expect(try fixture.directory.count(matching: Selection(parsing: "status:any")) == people)
    }

    @Test("Test_full_data_set: the parent is linked, teachers listed as agents are skipped with warnings")
    func catalystFullLinks() throws {
        let (fixture, summary) = try Self.importBundle("oneroster/catalyst-moodle-enrol_oneroster/Test_full_data_set")
        #expect(summary.links == 1)
        let mary = try #require(try fixture.directory.user(key: "usr-222-66778899"))
        #expect(try fixture.directory.parents(ofStudent: mary.id).map(\.legalForename) == ["Thomas"])
        #expect(mary.yearGroup?.number == 12)
        let warnings = summary.problems.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.contains { $0.contains("no org has type 'school'") })
        #expect(warnings.contains { $0.contains("is a teacher, not a parent or student") })
        #expect(warnings.contains { $0.contains("enrolled as student but users.csv says teacher") })
        #expect(warnings.contains { $0.contains("passwords in clear text") })
    }

    @Test("v1.2: roles come from roles.csv and misspelt preferred-name headers are read")
    func version12Roles() throws {
        let (fixture, _) = try Self.importBundle("oneroster/catalyst-moodle-enrol_oneroster/v1p2_full_dataset")
        #expect(try fixture.directory.user(key: "usr-222-123456")?.role == .teacher)
        #expect(try fixture.directory.user(key: "usr-222-1234561")?.role == .staff)
        #expect(try fixture.directory.user(key: "usr-222-66778899")?.preferredForename == "MJ")
    }

    @Test("the generated 2,000-user file links every student to their parents")
    func nicelionLargeUsersFile() throws {
        let folder = TemporaryFolder()
        let bundle = folder.file("bundle")
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        let source = SampleFiles.path("oneroster/nicelion-oneroster-mocker/outputs")
        try FileManager.default.copyItem(atPath: source + "/orgs.csv", toPath: bundle + "/orgs.csv")
        try FileManager.default.copyItem(atPath: source + "/test-csv.csv", toPath: bundle + "/users.csv")

        let fixture = try TestDirectory()
        let summary = try fixture.directory.importOneRoster(path: bundle, options: ImportOptions(), settings: Settings())
        #expect(summary.new == 1999)
        #expect(summary.links == 2390)
        #expect(try fixture.directory.count(matching: Selection(parsing: "role:student")) == 1187)
        #expect(try fixture.directory.count(matching: Selection(parsing: "role:parent")) == 812)
    }

    @Test(
        "Microsoft SDS files are rejected, naming each row and fault",
        arguments: ["oneroster/OfficeDev-O365-EDU-Tools/SDS_v2", "oneroster/OfficeDev-O365-EDU-Tools/SDS_v2.1"])
    func sdsRejected(path: String) throws {
        let fixture = try TestDirectory()
        let failure = #expect(throws: ImportFailure.self) {
            try fixture.directory.importOneRoster(path: SampleFiles.path(path), options: ImportOptions(), settings: Settings())
        }
        let errors = failure?.problems.filter { $0.severity == .error } ?? []
        #expect(!errors.isEmpty)
        for error in errors {
            #expect(error.location.file.hasSuffix("/users.csv"))
            #expect(error.location.line != nil)
        }
        #expect(try fixture.directory.count(matching: Selection(parsing: "status:any")) == 0)
    }

    @Test(
        "every CTF imports, with wrong check letters as warnings",
        arguments: [
            ("y12.xml", 1, 4, 0), ("y7_2_students.xml", 2, 7, 1), ("y7_partial.xml", 1, 0, 1), ("y7_spaced_numbers.xml", 1, 3, 1),
        ])
    func ctfImports(file: String, pupils: Int, contacts: Int, badCheckLetters: Int) throws {
        let fixture = try TestDirectory()
        try fixture.seed(users: [])
        let path = SampleFiles.path("uk-mis/TheGryphonSchool-cloudschool-CTF-parser/CTFs/\(file)")
        let summary = try fixture.directory.importCTF(path: path, options: ImportOptions(), settings: Settings())
        #expect(try fixture.directory.count(matching: Selection(parsing: "role:student")) == pupils)
        #expect(summary.links == contacts)
        #expect(summary.problems.filter { $0.message.contains("check letter") }.count == badCheckLetters)
    }

    @Test("the census file names each wrong check letter, and skip-invalid imports exactly the rest")
    func censusCheckLetters() throws {
        let fixture = try TestDirectory()
        try fixture.seed(users: [])
        let path = SampleFiles.path("uk-mis/DFEAGILEDEVOPS-MTC/test/admin-hpa/data/fixtures/pupil-census-data.csv")
        let report = MISImportOptions(kind: .students)

        let failure = #expect(throws: ImportFailure.self) {
            try fixture.directory.importMISReport(path: path, report: report, options: ImportOptions(), settings: Settings())
        }
        // Lines and UPNs computed independently with the DfE rule.
        let expected: [(Int, String)] = [
            (2, "A999999609170"), (3, "A999100109011"), (4, "A999100109038"), (5, "A999217408021"), (6, "A999217410003"),
            (7, "A999222809047"), (8, "A999291509030"), (9, "A999292409019"), (10, "A999292409021"), (11, "A999292409077"),
            (12, "A999292410002"), (13, "A999292515050"), (14, "A999360410024"), (39, "A302999109014"), (78, "A313999610062"),
        ]
        #expect(failure?.problems.map { $0.location.line } == expected.map { $0.0 })
        for (problem, (_, upn)) in zip(failure?.problems ?? [], expected) {
            #expect(problem.message.hasPrefix("invalid UPN '\(upn)': the check letter should be"))
            #expect(problem.location.column == "UPN")
        }
        #expect(try fixture.directory.count(matching: Selection(parsing: "status:any")) == 0)

        let summary = try fixture.directory.importMISReport(
            path: path, report: report, options: ImportOptions(skipInvalid: true), settings: Settings())
        #expect(summary.new == 64)
        #expect(summary.invalid == 15)
        let imported = Set(try fixture.directory.users(matching: Selection(parsing: "role:student")).compactMap(\.upn))
        #expect(imported.isDisjoint(with: expected.map { $0.1 }))
        #expect(imported.contains("A30535001104A"))
    }
}
