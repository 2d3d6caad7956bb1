import Foundation
import Testing

@testable import Domain

@Suite("CSV encoding detection with mixed encodings")
struct CSVMixedEncodingTests {
    /// `Dąbrowski` in UTF-8 on line 2, and one stray 0xFF byte on line 3.
    static let mixedBytes: [UInt8] =
        Array(utf8: "Surname,Forename\r\nDąbrowski,Jan\r\nNowak,Ola") + [0xFF] + Array(utf8: "\r\n")

    @Test("UTF-8 mixed with a stray byte is rejected")
    func mixedRejected() throws {
        let error = #expect(throws: CSVReadError.self) {
            _ = try CSVTestSupport.readRows(Self.mixedBytes)
        }
        #expect(error == .mixedEncoding(source: "test.csv", line: 3))
        #expect(
            error?.description
                == "invalid text in 'test.csv': the file mixes UTF-8 with another encoding (first invalid byte at line 3); save it again from Excel as CSV UTF-8, or give --encoding windows-1252 if it really is Windows-1252"
        )
    }

    @Test("mixed file reads as Windows-1252 when given")
    func mixedReadAsGiven() throws {
        let rows = try CSVTestSupport.readRows(Self.mixedBytes, options: CSVReadOptions(encoding: .windows1252))
        #expect(rows[1] == ["DÄ…browski", "Jan"])
        #expect(rows[2] == ["Nowak", "Olaÿ"])
    }

    @Test("pure Windows-1252 is still detected")
    func windows1252Detected() throws {
        // "Zoë Müller" and "Renée" in Windows-1252: no byte run that is also valid UTF-8.
        let bytes = Array(utf8: "Surname,Forename\r\nM") + [0xFC] + Array(utf8: "ller,Zo") + [0xEB]
            + Array(utf8: "\r\nDupont,Ren") + [0xE9, 0x65] + Array(utf8: "\r\n")
        var reader = try CSVReader(bytes: bytes, source: "test.csv")
        let records = try reader.readAll().map(\.fields)
        #expect(reader.encoding == .windows1252)
        #expect(records == [["Müller", "Zoë"], ["Dupont", "Renée"]])
    }

    @Test("valid UTF-8 is still detected")
    func utf8Detected() throws {
        var reader = try CSVReader(bytes: Array(utf8: "Surname,Forename\r\nDąbrowski,Jan\r\n"), source: "test.csv")
        let records = try reader.readAll().map(\.fields)
        #expect(reader.encoding == .utf8)
        #expect(records == [["Dąbrowski", "Jan"]])
    }
}
