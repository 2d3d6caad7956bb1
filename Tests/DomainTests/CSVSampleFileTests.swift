import Foundation
import Testing

@testable import Domain

/// Reads the real OneRoster and MIS files kept beside the repository in `../shared/samples`.
/// The files are never copied into the project; without them these tests are skipped.
@Suite(
    .enabled(
        if: CSVTestSupport.samplesDirectory != nil, "sample files not found at ../shared/samples beside the package"))
struct CSVSampleFileTests {
    /// A sample file with its data row count and header column count, as Python's csv module
    /// reads them.
    struct Sample: CustomTestStringConvertible, Sendable {
        let path: String
        let records: Int
        let columns: Int

        var testDescription: String { path }
    }

    static let samples: [Sample] = [
        Sample(path: "oneroster/lepo-project-roster-hub/ja/users.csv", records: 20, columns: 20),
        Sample(
            path: "oneroster/oat-sa-oneroster-import/OneRosterv1p1BaseCSV/academicSessions.csv", records: 0, columns: 8),
        Sample(path: "oneroster/oat-sa-oneroster-import/OneRosterv1p1BaseCSV/courses.csv", records: 0, columns: 10),
        Sample(path: "oneroster/oat-sa-oneroster-import/OneRosterv1p1BaseCSV/manifest.csv", records: 17, columns: 2),
        Sample(
            path: "oneroster/catalyst-moodle-enrol_oneroster/Test_full_data_set/classes.csv", records: 2, columns: 14),
        Sample(path: "oneroster/catalyst-moodle-enrol_oneroster/v1p2_full_dataset/roles.csv", records: 7, columns: 11),
        Sample(path: "oneroster/nicelion-oneroster-mocker/outputs/test-csv.csv", records: 1999, columns: 18),
        Sample(
            path: "uk-mis/DFEAGILEDEVOPS-MTC/test/admin-hpa/data/fixtures/pupil-census-data.csv", records: 79,
            columns: 13),
        Sample(
            path: "uk-mis/DFEAGILEDEVOPS-MTC/load-test/scenarios/archive/2019/pupil-take-check/pupilLogins.csv",
            records: 2, columns: 2),
        Sample(
            path: "uk-mis/DFEAGILEDEVOPS-MTC/load-test/scenarios/archive/2019/pupil-login-check/0-pupilLogins.csv",
            records: 0, columns: 2),
        Sample(
            path: "uk-mis/OfficeDev-O365-EDU-Tools/UK_Format/100_Users/StudentEnrollment.csv", records: 602, columns: 2),
    ]

    private static func url(_ path: String) throws -> URL {
        try #require(CSVTestSupport.samplesDirectory).appendingPathComponent(path)
    }

    @Test(arguments: samples)
    func sampleHasExpectedShape(_ sample: Sample) throws {
        var reader = try CSVReader(path: try Self.url(sample.path).path)
        let records = try reader.readAll()

        #expect(reader.encoding == .utf8)
        #expect(reader.delimiter == .comma)
        #expect(reader.header.count == sample.columns)
        #expect(records.count == sample.records)
    }

    @Test func japaneseNamesSurviveAsUTF8() throws {
        var reader = try CSVReader(path: try Self.url("oneroster/lepo-project-roster-hub/ja/users.csv").path)
        let first = try #require(try reader.next())

        #expect(reader.header[8] == "givenName")
        #expect(first.fields[8] == "名01")
        #expect(first.fields[18] == "メイ01")
        #expect(first.fields[1] == "")
        #expect(first.line == 2)
    }

    @Test func raggedRolesRowsAreReportedNotRejected() throws {
        var reader = try CSVReader(
            path: try Self.url("oneroster/catalyst-moodle-enrol_oneroster/v1p2_full_dataset/roles.csv").path)
        let records = try reader.readAll()

        #expect(reader.header.suffix(2) == ["", ""])
        #expect(records.allSatisfy { $0.fields.count == 9 })
    }

    @Test func quotedParentListsStayOneField() throws {
        var reader = try CSVReader(path: try Self.url("oneroster/nicelion-oneroster-mocker/outputs/test-csv.csv").path)
        let agentsColumn = try #require(reader.header.firstIndex(of: "agentSourcedIds"))
        let records = try reader.readAll()
        let parentLists = records.compactMap { $0[agentsColumn] }.filter { $0.contains(",") }

        #expect(parentLists.count == 786)
        #expect(records.last?.line == 2000)
    }

    @Test func censusMiddleNamesKeepTheirSpace() throws {
        var reader = try CSVReader(
            path: try Self.url("uk-mis/DFEAGILEDEVOPS-MTC/test/admin-hpa/data/fixtures/pupil-census-data.csv").path)
        let first = try #require(try reader.next())

        #expect(reader.header[2] == "UPN")
        #expect(first.fields[2] == "A999999609170")
        #expect(first.fields[5] == " ")
    }

    @Test func everySampleCSVReadsWithoutError() throws {
        let root = try #require(CSVTestSupport.samplesDirectory)
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var fileCount = 0

        for case let url as URL in enumerator where url.pathExtension == "csv" {
            fileCount += 1
            #expect(throws: Never.self, "\(url.path)") {
                var reader = try CSVReader(path: url.path)
                _ = try reader.readAll()
            }
        }
        #expect(fileCount > 90)
    }
}
