import Foundation
import Storage
import Testing

@testable import Domain

@Suite("updating emails from a CSV file")
struct LinksEmailUpdateTests {
    let fixture: LinkFixture
    let zoe: String
    let lukasz: String
    let niamh: String

    init() throws {
        fixture = try LinkFixture()
        zoe = try fixture.named("Zoë").upn!
        lukasz = try fixture.named("Łukasz").upn!
        niamh = try fixture.named("Niamh").upn!
    }

    func update(_ csv: String, _ options: EmailUpdateOptions = EmailUpdateOptions()) throws -> EmailUpdateSummary {
        let path = fixture.test.folder.write("emails.csv", csv)
        return try fixture.directory.updateEmails(fromCSV: path, options: options)
    }

    func problems(_ csv: String) throws -> [String] {
        do {
            _ = try update(csv)
            return []
        } catch let failure as ImportFailure {
            return failure.problems.map { "\($0.location.line ?? 0): \($0.message)" }
        }
    }

    @Test func fillsMissingAndCountsTheRest() throws {
        let summary = try update("UPN,Primary Email\n\(niamh),niamh@castlemead.sch.uk\n\(zoe),zoe@castlemead.sch.uk\n")
        #expect(summary.updated == 1)
        #expect(summary.unchanged == 1)
        #expect(summary.stillMissing == ["student": 0, "teacher": 0, "staff": 0])
        #expect(try fixture.named("Niamh").email == "niamh@castlemead.sch.uk")
    }

    @Test func staffCodeKeysTeachers() throws {
        let summary = try update("Staff Code,Email\nREV,ruth.evans@castlemead.sch.uk\n")
        #expect(summary.updated == 1)
        #expect(try fixture.named("Ruth").email == "ruth.evans@castlemead.sch.uk")
        #expect(summary.stillMissing["student"] == 1)
    }

    @Test func dryRunWritesNothingButCounts() throws {
        let summary = try update("UPN,Email\n\(niamh),niamh@castlemead.sch.uk\n", EmailUpdateOptions(dryRun: true))
        #expect(summary.updated == 1)
        #expect(summary.stillMissing["student"] == 0)
        #expect(try fixture.named("Niamh").email == nil)
    }

    @Test(
        "invalid rows are reported with their line",
        arguments: [
            ("UPN,Email\nB000000000000,x@castlemead.sch.uk\n", ["2: no student or member of staff has the key 'B000000000000'; check it with 'lanyard users list --where upn:B000000000000' or 'staff:B000000000000'"]),
            ("UPN,Email\nNIAMH,niamh at school\n", ["2: no student or member of staff has the key 'NIAMH'; check it with 'lanyard users list --where upn:NIAMH' or 'staff:NIAMH'"]),
            ("UPN,Email\n,a@castlemead.sch.uk\n", ["2: the row has no UPN or staff code; fill one in or remove the row"]),
        ] as [(String, [String])])
    func invalidRows(csv: String, expected: [String]) throws {
        #expect(try problems(csv) == expected)
    }

    @Test func invalidAddressIsRejected() throws {
        let found = try problems("UPN,Email\n\(niamh),niamh at castlemead\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("2: ") == true)
        #expect(found.first?.contains("'niamh at castlemead'") == true)
    }

    @Test func keyTwiceWithDifferentAddressesConflicts() throws {
        #expect(
            try problems("UPN,Email\n\(niamh),a@castlemead.sch.uk\n\(niamh),b@castlemead.sch.uk\n")
                == ["3: '\(niamh)' is given 'b@castlemead.sch.uk' here but 'a@castlemead.sch.uk' on line 2; keep one of the rows"])
        #expect(try update("UPN,Email\n\(niamh),a@castlemead.sch.uk\n\(niamh),A@castlemead.sch.uk\n").updated == 1)
    }

    @Test func sameAddressForTwoPeopleConflicts() throws {
        #expect(
            try problems("UPN,Email\n\(niamh),zoe@castlemead.sch.uk\n")
                == ["2: 'zoe@castlemead.sch.uk' already belongs to '\(zoe)' in the directory; give '\(niamh)' another address, or change \(zoe)'s first"])
        #expect(
            try problems("UPN,Email\n\(niamh),n@castlemead.sch.uk\n\(lukasz),N@castlemead.sch.uk\n")
                == ["3: 'N@castlemead.sch.uk' is given to both '\(niamh)' (line 2) and '\(lukasz)'; give each person their own address"])
    }

    @Test func swappingAddressesInOneFileWorks() throws {
        let summary = try update("UPN,Email\n\(zoe),z2@castlemead.sch.uk\n\(lukasz),zoe@castlemead.sch.uk\n")
        #expect(summary.updated == 2)
    }

    @Test func nothingIsWrittenWhenOneRowFails() throws {
        #expect(throws: ImportFailure.self) {
            try update("UPN,Email\n\(niamh),niamh@castlemead.sch.uk\nB000000000000,x@castlemead.sch.uk\n")
        }
        #expect(try fixture.named("Niamh").email == nil)
    }

    @Test func skipInvalidAppliesTheRest() throws {
        let summary = try update(
            "UPN,Email\n\(niamh),niamh@castlemead.sch.uk\nB000000000000,x@castlemead.sch.uk\n", EmailUpdateOptions(skipInvalid: true))
        #expect(summary.updated == 1)
        #expect(summary.invalid == 1)
        #expect(try fixture.named("Niamh").email == "niamh@castlemead.sch.uk")
    }

    @Test func emptyAddressIsAWarning() throws {
        let summary = try update("UPN,Email\n\(niamh),\n")
        #expect(summary.updated == 0)
        #expect(summary.problems.map(\.severity) == [.warning])
    }

    @Test func missingColumnsAreNamed() throws {
        #expect(throws: ImportInputError.self) { try update("Name,Email\nNiamh,n@castlemead.sch.uk\n") }
    }
}
