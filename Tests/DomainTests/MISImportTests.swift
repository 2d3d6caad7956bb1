import Foundation
import Storage
import Testing

@testable import Domain

@Suite("MIS CSV import")
struct MISImportTests {
    static let zoe = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value
    static let lukasz = UPN.make(la: 801, establishment: 4012, year: 19, serial: 2).value
    static let temporary = UPN.make(la: 801, establishment: 4012, year: 19, serial: 3, temporaryLetter: "K").value
    static let permanentForTemporary = UPN.make(la: 801, establishment: 4012, year: 19, serial: 4).value

    /// A fixture with the school but no people, ready for CSV imports.
    static func emptySchool() throws -> TestDirectory {
        let fixture = try TestDirectory()
        try fixture.seed(users: [])
        return fixture
    }

    static func importStudents(
        _ fixture: TestDirectory, _ path: String, options: ImportOptions = ImportOptions(), mappings: [String] = [],
        encoding: CSVEncoding? = nil
    ) throws -> ImportSummary {
        try fixture.directory.importMISReport(
            path: path, report: MISImportOptions(kind: .students, mappings: mappings, encoding: encoding), options: options, settings: Settings())
    }

    static let sampleRows = """
        UPN,Adno,Legal Surname,Legal Forename,Preferred Forename,Year,Reg,Primary Email,,\r
        \(zoe),001234,Ní Bhriain,Zoë,,7,7A,zoe@castlemead.sch.uk,,\r
        \(lukasz),001235,"Nowak, Jr",Łukasz,Luke,Year 7,7B,,,\r

        """

    static func utf16LittleEndian(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        return bytes
    }

    static func utf16BigEndian(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 {
            bytes.append(UInt8(unit >> 8))
            bytes.append(UInt8(unit & 0xFF))
        }
        return bytes
    }

    static let encodedSamples: [(String, [UInt8])] = [
        ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(sampleRows.utf8)),
        ("UTF-8 without BOM", Array(sampleRows.utf8)),
        ("UTF-16 LE with BOM", utf16LittleEndian(sampleRows)),
        ("UTF-16 BE with BOM", utf16BigEndian(sampleRows)),
    ]

    @Test("each encoding Excel writes is read", arguments: encodedSamples)
    func encodings(name: String, bytes: [UInt8]) throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write("students.csv", bytes: bytes)
        let summary = try Self.importStudents(fixture, path)
        #expect(summary.new == 2, "\(name)")
        let zoe = try #require(try fixture.directory.user(key: Self.zoe))
        #expect(zoe.legalForename == "Zoë")
        #expect(zoe.legalSurname == "Ní Bhriain")
        #expect(zoe.admissionNumber == "001234")
        let lukasz = try #require(try fixture.directory.user(key: Self.lukasz))
        #expect(lukasz.legalSurname == "Nowak, Jr")
        #expect(lukasz.preferredForename == "Luke")
        #expect(lukasz.yearGroup?.number == 7)
        #expect(lukasz.email == nil)
    }

    @Test("Windows-1252 is detected, semicolons and embedded line breaks are read")
    func windows1252AndSemicolons() throws {
        let fixture = try Self.emptySchool()
        // Names never contain a line break, so the embedded one is in a column not imported.
        var bytes = Array("UPN;Surname;Forename;Note;Reg\r\n\(Self.zoe);M".utf8)
        bytes += [0xFC]  // ü in Windows-1252
        bytes += Array("ller;Chlo".utf8) + [0xE9] + Array(";\"line one\r\nline two\";7A\r\n".utf8)
        let path = fixture.folder.write("students.csv", bytes: bytes)
        _ = try Self.importStudents(fixture, path)
        let student = try #require(try fixture.directory.user(key: Self.zoe))
        #expect(student.legalSurname == "Müller")
        #expect(student.legalForename == "Chloé")
        #expect(student.registrationGroup == "7A")
    }

    @Test("an invalid row rejects the whole import, names every problem and writes nothing")
    func invalidRowRejectsAll() throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write(
            "students.csv",
            """
            UPN,Surname,Forename,Year,Email
            \(Self.zoe),Ní Bhriain,Zoë,7,zoe@castlemead.sch.uk
            A801200005001,Smith,Jo,7,
            \(Self.lukasz),Nowak,Łukasz,15,
            \(Self.zoe),Twice,Zoë,7,

            """)
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        let failure = #expect(throws: ImportFailure.self) { try Self.importStudents(fixture, path) }
        #expect(failure?.problems.map(\.description) == [
            "\(path):3, column 'UPN': invalid UPN 'A801200005001': the check letter should be 'B'; check the UPN in the MIS for a typing error",
            "\(path):4, column 'Year': invalid year group '15': use R for Reception or a number from 1 to 13",
            "\(path):5: duplicate UPN '\(Self.zoe)' in this file; each person must appear once, so remove or correct the second row",
        ])
        #expect(try fixture.directory.count(matching: Selection(parsing: "status:any")) == 0)
        let after = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        #expect(before == after)
    }

    @Test("skip-invalid imports the valid rows and reports the rest")
    func skipInvalid() throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write(
            "students.csv",
            "UPN,Surname,Forename\n\(Self.zoe),Ní Bhriain,Zoë\nA801200005001,Smith,Jo\n")
        let summary = try Self.importStudents(fixture, path, options: ImportOptions(skipInvalid: true))
        #expect(summary.new == 1)
        #expect(summary.invalid == 1)
        #expect(summary.problems.count == 1)
    }

    @Test("dry run counts changes and writes nothing")
    func dryRun() throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write("students.csv", Self.sampleRows)
        let summary = try Self.importStudents(fixture, path, options: ImportOptions(dryRun: true))
        #expect(summary.new == 2)
        #expect(summary.dryRun)
        #expect(try fixture.directory.count(matching: Selection()) == 0)
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM credentials")?.intValue == 0)
    }

    @Test("re-importing the same file changes nothing")
    func reimportIsIdempotent() throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write("students.csv", Self.sampleRows)
        _ = try Self.importStudents(fixture, path)
        let codes = try fixture.directory.database.query("SELECT code FROM credentials ORDER BY id")
        let second = try Self.importStudents(fixture, path, options: ImportOptions(isFull: true))
        #expect(second.new == 0)
        #expect(second.updated == 0)
        #expect(second.unchanged == 2)
        #expect(second.left == 0)
        #expect(try fixture.directory.database.query("SELECT code FROM credentials ORDER BY id") == codes)
    }

    @Test("a student absent from a full import is marked left, never deleted")
    func absentStudentLeaves() throws {
        let fixture = try Self.emptySchool()
        _ = try Self.importStudents(fixture, fixture.folder.write("all.csv", Self.sampleRows))
        let path = fixture.folder.write("one.csv", "UPN,Surname,Forename\n\(Self.zoe),Ní Bhriain,Zoë\n")

        let partial = try Self.importStudents(fixture, path)
        #expect(partial.left == 0)
        let full = try Self.importStudents(fixture, path, options: ImportOptions(isFull: true))
        #expect(full.left == 1)
        let lukasz = try #require(try fixture.directory.user(key: Self.lukasz))
        #expect(lukasz.status == .left)
    }

    @Test("an invalid row in a full import does not mark that student left")
    func invalidRowIsNotLeft() throws {
        let fixture = try Self.emptySchool()
        _ = try Self.importStudents(fixture, fixture.folder.write("all.csv", Self.sampleRows))
        let path = fixture.folder.write("bad.csv", "UPN,Surname,Forename,Year\n\(Self.zoe),Ní Bhriain,Zoë,7\n\(Self.lukasz),Nowak,Łukasz,99\n")
        let summary = try Self.importStudents(fixture, path, options: ImportOptions(skipInvalid: true, isFull: true))
        #expect(summary.left == 0)
        #expect(try fixture.directory.user(key: Self.lukasz)?.status == .onRoll)
    }

    @Test("a temporary UPN replaced by the permanent one keeps the student")
    func temporaryUPNReplaced() throws {
        let fixture = try Self.emptySchool()
        _ = try Self.importStudents(fixture, fixture.folder.write("a.csv", "UPN,Surname,Forename\n\(Self.temporary),Khan,Aisha\n"))
        let before = try #require(try fixture.directory.user(key: Self.temporary))
        let summary = try Self.importStudents(
            fixture, fixture.folder.write("b.csv", "UPN,Former UPN,Surname,Forename\n\(Self.permanentForTemporary),\(Self.temporary),Khan,Aisha\n"))
        #expect(summary.new == 0)
        #expect(summary.updated == 1)
        let after = try #require(try fixture.directory.user(key: Self.permanentForTemporary))
        #expect(after.id == before.id)
        #expect(after.formerUPN == Self.temporary)
        #expect(try fixture.directory.user(key: Self.temporary)?.id == before.id)
    }

    @Test("--map names a column the detection does not know")
    func explicitMapping() throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write("s.csv", "Pupil Number,Last,First,Tutor\n\(Self.zoe),Ní Bhriain,Zoë,7A\n")
        _ = try Self.importStudents(fixture, path, mappings: ["Pupil Number=upn", "Last=legal-surname", "First=legal-forename", "Tutor=reg"])
        #expect(try fixture.directory.user(key: Self.zoe)?.registrationGroup == "7A")
    }

    @Test(
        "bad mappings and missing columns are explained",
        arguments: [
            (["Last=surnme"], "unknown field 'surnme' in --map 'Last=surnme'. Valid fields: upn, former-upn, admission-number, legal-forename, legal-surname, preferred-forename, preferred-surname, year, reg, email, start-date, date-of-birth, staff-code, staff-role, contact-id, contact-forename, contact-surname, relationship, priority, responsibility"),
            (["Nope=upn"], "--map 'Nope=upn' names column 'Nope', which the file does not have; its columns are: Pupil Number, Last, First"),
            (["Last"], "invalid --map 'Last': write it as COLUMN=field, for example --map \"Pupil Email=email\""),
            (["Last=legal-surname", "First=legal-surname"], "--map 'First=legal-surname' maps a column or a field that an earlier --map already maps; give each column and each field once"),
        ])
    func badMappings(mappings: [String], message: String) throws {
        let fixture = try Self.emptySchool()
        let path = fixture.folder.write("s.csv", "Pupil Number,Last,First\n\(Self.zoe),Ní Bhriain,Zoë\n")
        let error = #expect(throws: MISImportError.self) { try Self.importStudents(fixture, path, mappings: mappings) }
        #expect(error?.description == message)
    }

    @Test("contacts become parents, siblings share one parent")
    func contactsImport() throws {
        let fixture = try Self.emptySchool()
        _ = try Self.importStudents(fixture, fixture.folder.write("s.csv", Self.sampleRows))
        let path = fixture.folder.write(
            "contacts.csv",
            """
            UPN,Legal Surname,Forename,Contact Forename,Contact Surname,Relationship,Priority,Parental Responsibility,Contact Email
            \(Self.zoe),Ní Bhriain,Zoë,Siân,Ní Bhriain,Mother,1,Yes,sian@example.org
            \(Self.lukasz),Nowak,Łukasz,Siân,Ní Bhriain,Mother,1,Yes,SIAN@Example.org
            \(Self.zoe),Ní Bhriain,Zoë,Gwyn,Jones,Grandparent,2,No,

            """)
        let summary = try fixture.directory.importMISReport(
            path: path, report: MISImportOptions(kind: .contacts), options: ImportOptions(), settings: Settings())
        #expect(summary.new == 2)
        #expect(summary.links == 3)
        let zoe = try #require(try fixture.directory.user(key: Self.zoe))
        let parents = try fixture.directory.parents(ofStudent: zoe.id)
        #expect(parents.map(\.legalForename) == ["Siân", "Gwyn"])
        #expect(try fixture.directory.children(ofParent: parents[0].id).count == 2)
    }

    @Test("two parents sharing one family address stay two people")
    func sharedFamilyAddress() throws {
        let fixture = try Self.emptySchool()
        _ = try Self.importStudents(fixture, fixture.folder.write("s.csv", Self.sampleRows))
        let path = fixture.folder.write(
            "contacts.csv",
            """
            UPN,Contact Forename,Contact Surname,Relationship,Priority,Parental Responsibility,Contact Email
            \(Self.zoe),Naveed,Ahmed,Father,1,Yes,family@example.com
            \(Self.zoe),Nadia,Ahmed,Mother,2,Yes,family@example.com
            \(Self.lukasz),Nadia,Ahmed,Mother,1,Yes,FAMILY@example.com

            """)
        let summary = try fixture.directory.importMISReport(
            path: path, report: MISImportOptions(kind: .contacts), options: ImportOptions(), settings: Settings())
        #expect(summary.new == 2)
        let zoe = try #require(try fixture.directory.user(key: Self.zoe))
        let parents = try fixture.directory.parents(ofStudent: zoe.id)
        #expect(parents.map(\.legalForename) == ["Naveed", "Nadia"])
        #expect(try fixture.directory.children(ofParent: parents[1].id).count == 2)
        let relationships = try fixture.directory.database.query(
            "SELECT relationship FROM parent_links WHERE student_id = ?1 ORDER BY priority", [zoe.id]).compactMap { $0.string("relationship") }
        #expect(relationships == ["Father", "Mother"])
    }
}

@Suite("MIS CSV import: very wide headers")
struct MISWideHeaderTests {
    @Test func missingColumnsMessageListsFortyNamesThenACount() throws {
        let fixture = try MISImportTests.emptySchool()
        let folder = TemporaryFolder()
        let header = (0..<5_000).map { "Column \($0)" }.joined(separator: ",")
        let path = folder.write("wide.csv", header + "\n" + Array(repeating: "x", count: 5_000).joined(separator: ",") + "\n")

        #expect {
            try MISImportTests.importStudents(fixture, path)
        } throws: { error in
            let message = "\(error)"
            return message.count < 1_000 && message.contains("Column 39 and 4960 more. Name the column with --map COLUMN=field")
        }
    }
}
