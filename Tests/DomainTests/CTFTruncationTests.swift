import Foundation
import Testing

@testable import Domain

@Suite("CTF files cut short or not well-formed")
struct CTFTruncationTests {
    static let upn = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value

    /// A CTF of one pupil, 15 lines with a final line break.
    static let complete = """
        <?xml version="1.0" encoding="UTF-8"?>
        <CTfile>
          <Header>
            <SourceSchool>
              <SchoolName>Castlemead Academy</SchoolName>
            </SourceSchool>
          </Header>
          <CTFpupilData>
            <Pupil>
              <UPN>\(upn)</UPN>
              <Surname>Ní Bhriain</Surname>
              <Forename>Zoë</Forename>
            </Pupil>
          </CTFpupilData>
        </CTfile>

        """

    static func write(_ folder: TemporaryFolder, _ text: String) -> String {
        folder.write("pupil.xml", bytes: Array(text.utf8))
    }

    static func readError(_ path: String) -> ImportInputError? {
        #expect(throws: ImportInputError.self) { try CTFDocument.read(path: path) }
    }

    @Test("complete CTF reads its pupil")
    func completeReads() throws {
        let folder = TemporaryFolder()
        let document = try CTFDocument.read(path: Self.write(folder, Self.complete))
        #expect(document.pupils.map(\.upn) == [Self.upn])
        #expect(document.sourceSchoolName == "Castlemead Academy")
    }

    @Test(
        "CTF cut short is rejected at its last line",
        arguments: [(30, 13), (6, 15), (2, 15), (12, 14)])
    func truncatedRejected(cut: Int, line: Int) throws {
        let folder = TemporaryFolder()
        let path = Self.write(folder, String(Self.complete.utf8.dropLast(cut))!)
        let error = Self.readError(path)
        #expect(error?.location == SourceLocation(file: path, line: line))
        #expect(
            error?.message
                == "the file ends before </CTfile>: it may have been cut short; export the CTF from the MIS again")
    }

    @Test("undeclared entity is named in words with its code")
    func undeclaredEntityNamed() throws {
        let folder = TemporaryFolder()
        let text = Self.complete.replacingOccurrences(of: "Ní Bhriain", with: "Ní&nbsp;Bhriain")
        let path = Self.write(folder, text)
        let error = Self.readError(path)
        #expect(error?.location == SourceLocation(file: path, line: 11))
        #expect(
            error?.message
                == "not well-formed XML (an entity such as &nbsp; is used but not declared; XMLParser error 26); export the CTF from the MIS again")
    }

    @Test("mismatched end tag is named in words with its code")
    func mismatchedTagNamed() throws {
        let folder = TemporaryFolder()
        let text = Self.complete.replacingOccurrences(of: "</Forename>", with: "</Surname>")
        let path = Self.write(folder, text)
        let error = Self.readError(path)
        #expect(error?.location == SourceLocation(file: path, line: 12))
        #expect(
            error?.message
                == "not well-formed XML (an end tag does not match its start tag; XMLParser error 76); export the CTF from the MIS again")
    }
}
