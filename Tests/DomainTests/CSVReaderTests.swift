import Foundation
import Testing

@testable import Domain

// MARK: - Encodings

/// One encoding case: the bytes as Excel or an MIS writes them, and what the reader returns.
struct CSVEncodingCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    var options = CSVReadOptions()
    let rows: [[String]]
    let encoding: CSVEncoding

    var testDescription: String { name }
}

private func utf16(_ text: String, bigEndian: Bool, byteOrderMark: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = []
    if byteOrderMark {
        bytes = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    }
    for unit in text.utf16 {
        let high = UInt8(unit >> 8)
        let low = UInt8(unit & 0xFF)
        bytes += bigEndian ? [high, low] : [low, high]
    }
    return bytes
}

private let accentedRows = [["Name", "Town"], ["Zoë", "Llanelli"], ["Siân", "Léon"]]

let csvEncodingCases: [CSVEncodingCase] = [
    CSVEncodingCase(
        name: "UTF-8 with a byte order mark",
        bytes: [0xEF, 0xBB, 0xBF] + Array(utf8: "Name,Town\r\nZoë,Llanelli\r\nSiân,Léon\r\n"),
        rows: accentedRows, encoding: .utf8),
    CSVEncodingCase(
        name: "UTF-8 without a byte order mark",
        bytes: Array(utf8: "Name,Town\nZoë,Llanelli\nSiân,Léon\n"),
        rows: accentedRows, encoding: .utf8),
    CSVEncodingCase(
        name: "UTF-16 little-endian with a byte order mark, tab-delimited",
        bytes: utf16("Name\tTown\r\nZoë\tLlanelli\r\nSiân\tLéon\r\n", bigEndian: false),
        rows: accentedRows, encoding: .utf16),
    CSVEncodingCase(
        name: "UTF-16 big-endian with a byte order mark, tab-delimited",
        bytes: utf16("Name\tTown\r\nZoë\tLlanelli\r\nSiân\tLéon\r\n", bigEndian: true),
        rows: accentedRows, encoding: .utf16),
    CSVEncodingCase(
        name: "UTF-16 with a character outside the BMP",
        bytes: utf16("Name\tNote\r\nAmy\t🎓\r\n", bigEndian: false),
        rows: [["Name", "Note"], ["Amy", "🎓"]], encoding: .utf16),
    CSVEncodingCase(
        name: "UTF-16 without a byte order mark detected from zero bytes",
        bytes: utf16("Name\tTown\r\nZoë\tLéon\r\n", bigEndian: true, byteOrderMark: false),
        rows: [["Name", "Town"], ["Zoë", "Léon"]], encoding: .utf16),
    CSVEncodingCase(
        name: "UTF-16 given without a byte order mark, little-endian",
        bytes: utf16("Name\tTown\r\nZoë\tLéon\r\n", bigEndian: false, byteOrderMark: false),
        options: CSVReadOptions(encoding: .utf16),
        rows: [["Name", "Town"], ["Zoë", "Léon"]], encoding: .utf16),
    CSVEncodingCase(
        name: "UTF-16 given without a byte order mark, big-endian",
        bytes: utf16("Name\tTown\r\nZoë\tLéon\r\n", bigEndian: true, byteOrderMark: false),
        options: CSVReadOptions(encoding: .utf16),
        rows: [["Name", "Town"], ["Zoë", "Léon"]], encoding: .utf16),
    CSVEncodingCase(
        name: "Windows-1252 detected from é, £ and ’",
        bytes: Array(utf8: "Name,Fee,Note\r\nRen") + [0xE9] + Array(utf8: "e,") + [0xA3]
            + Array(utf8: "5,it") + [0x92] + Array(utf8: "s paid\r\n"),
        rows: [["Name", "Fee", "Note"], ["Renée", "£5", "it’s paid"]], encoding: .windows1252),
    CSVEncodingCase(
        name: "Windows-1252 euro sign and the quotes Word types",
        bytes: Array(utf8: "Item\r\n") + [0x80] + Array(utf8: "10 ") + [0x93] + Array(utf8: "trip") + [
            0x94, 0x0D, 0x0A,
        ],
        rows: [["Item"], ["€10 “trip”"]], encoding: .windows1252),
    CSVEncodingCase(
        name: "Windows-1252 undefined byte 0x81 kept as its control character",
        bytes: Array(utf8: "A\n") + [0x81] + Array(utf8: "\n"),
        rows: [["A"], ["\u{81}"]], encoding: .windows1252),
    CSVEncodingCase(
        name: "Windows-1252 given for valid UTF-8 bytes",
        bytes: Array(utf8: "Name\nZoë\n"),
        options: CSVReadOptions(encoding: .windows1252),
        rows: [["Name"], ["ZoÃ«"]], encoding: .windows1252),
    CSVEncodingCase(
        name: "UTF-8 given with a byte order mark skips the mark",
        bytes: [0xEF, 0xBB, 0xBF] + Array(utf8: "UPN\nB801200005001\n"),
        options: CSVReadOptions(encoding: .utf8),
        rows: [["UPN"], ["B801200005001"]], encoding: .utf8),
]

@Test(arguments: csvEncodingCases)
func csvEncodingIsReadAsUTF8(_ testCase: CSVEncodingCase) throws {
    var reader = try CSVReader(bytes: testCase.bytes, source: "test.csv", options: testCase.options)
    let rows = [reader.header] + (try reader.readAll().map(\.fields))

    #expect(rows == testCase.rows)
    #expect(reader.encoding == testCase.encoding)
}

@Test func encodingNamesAreLookedUp() {
    #expect(CSVEncoding(name: "UTF8") == .utf8)
    #expect(CSVEncoding(name: "utf-16") == .utf16)
    #expect(CSVEncoding(name: "CP1252") == .windows1252)
    #expect(CSVEncoding(name: "latin1") == .windows1252)
    #expect(CSVEncoding(name: "ascii") == nil)
    #expect(CSVEncoding.names == ["utf-8", "utf-16", "windows-1252"])
}

// MARK: - Delimiters

struct CSVDelimiterCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    var given: CSVDelimiter?
    let delimiter: CSVDelimiter
    let rows: [[String]]

    var testDescription: String { name }
}

let csvDelimiterCases: [CSVDelimiterCase] = [
    CSVDelimiterCase(
        name: "comma detected", text: "UPN,Surname\nB801200005001,Ng\n",
        delimiter: .comma, rows: [["UPN", "Surname"], ["B801200005001", "Ng"]]),
    CSVDelimiterCase(
        name: "semicolon detected", text: "UPN;Surname\nB801200005001;Ng\n",
        delimiter: .semicolon, rows: [["UPN", "Surname"], ["B801200005001", "Ng"]]),
    CSVDelimiterCase(
        name: "tab detected", text: "UPN\tSurname\nB801200005001\tNg\n",
        delimiter: .tab, rows: [["UPN", "Surname"], ["B801200005001", "Ng"]]),
    CSVDelimiterCase(
        name: "commas inside quoted header names not counted",
        text: "\"Name, legal\";\"Name, preferred\";Year\nNg, Wei;Wei;7\n",
        delimiter: .semicolon, rows: [["Name, legal", "Name, preferred", "Year"], ["Ng, Wei", "Wei", "7"]]),
    CSVDelimiterCase(
        name: "one column read as comma-delimited", text: "UPN\nB801200005001\n",
        delimiter: .comma, rows: [["UPN"], ["B801200005001"]]),
    CSVDelimiterCase(
        name: "detected from the first non-blank line", text: "\r\n\r\nUPN;Year\r\nB801200005001;7\r\n",
        delimiter: .semicolon, rows: [["UPN", "Year"], ["B801200005001", "7"]]),
    CSVDelimiterCase(
        name: "given delimiter overrides detection", text: "UPN;Year,Group\nB801200005001;7,7B\n",
        given: .comma, delimiter: .comma, rows: [["UPN;Year", "Group"], ["B801200005001;7", "7B"]]),
]

@Test(arguments: csvDelimiterCases)
func csvDelimiterIsDetectedOrGiven(_ testCase: CSVDelimiterCase) throws {
    let options = CSVReadOptions(delimiter: testCase.given)
    var reader = try CSVReader(bytes: Array(utf8: testCase.text), source: "test.csv", options: options)
    let rows = [reader.header] + (try reader.readAll().map(\.fields))

    #expect(reader.delimiter == testCase.delimiter)
    #expect(rows == testCase.rows)
}

@Test func delimiterNamesAreLookedUp() {
    #expect(CSVDelimiter(name: "Tab") == .tab)
    #expect(CSVDelimiter(name: "\\t") == .tab)
    #expect(CSVDelimiter(name: ";") == .semicolon)
    #expect(CSVDelimiter(name: "comma") == .comma)
    #expect(CSVDelimiter(name: "pipe") == nil)
}

// MARK: - Structure

struct CSVStructureCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let header: [String]
    /// Each record's line and fields.
    let records: [CSVRecord]

    var testDescription: String { name }
}

let csvStructureCases: [CSVStructureCase] = [
    CSVStructureCase(
        name: "quoted field with an embedded CRLF", text: "Note,Id\r\n\"line one\r\nline two\",7\r\n",
        header: ["Note", "Id"], records: [CSVRecord(fields: ["line one\r\nline two", "7"], line: 2)]),
    CSVStructureCase(
        name: "doubled quotes inside a quoted field", text: "Note\n\"say \"\"hello\"\" twice\"\n",
        header: ["Note"], records: [CSVRecord(fields: ["say \"hello\" twice"], line: 2)]),
    CSVStructureCase(
        name: "quoted field of only a doubled quote", text: "Note,Id\n\"\"\"\",1\n",
        header: ["Note", "Id"], records: [CSVRecord(fields: ["\"", "1"], line: 2)]),
    CSVStructureCase(
        name: "quoted empty fields, as every-field-quoted exports write", text: "\"a\",\"b\"\n\"\",\"x\"\n",
        header: ["a", "b"], records: [CSVRecord(fields: ["", "x"], line: 2)]),
    CSVStructureCase(
        name: "delimiter and quote inside a quoted field", text: "Name,Id\n\"Ng, \"\"Wei\"\"\",3\n",
        header: ["Name", "Id"], records: [CSVRecord(fields: ["Ng, \"Wei\"", "3"], line: 2)]),
    CSVStructureCase(
        name: "trailing empty columns kept", text: "a,b,,\r\n1,2,,\r\n",
        header: ["a", "b", "", ""], records: [CSVRecord(fields: ["1", "2", "", ""], line: 2)]),
    CSVStructureCase(
        name: "last line without a line break", text: "a,b\r\n1,2\r\n3,4",
        header: ["a", "b"], records: [CSVRecord(fields: ["1", "2"], line: 2), CSVRecord(fields: ["3", "4"], line: 3)]),
    CSVStructureCase(
        name: "last field empty without a line break", text: "a,b\n1,",
        header: ["a", "b"], records: [CSVRecord(fields: ["1", ""], line: 2)]),
    CSVStructureCase(
        name: "last field quoted without a line break", text: "a,b\n1,\"x\"",
        header: ["a", "b"], records: [CSVRecord(fields: ["1", "x"], line: 2)]),
    CSVStructureCase(
        name: "header only without a line break", text: "sourcedId,status,title",
        header: ["sourcedId", "status", "title"], records: []),
    CSVStructureCase(
        name: "header only with a line break", text: "sourcedId,status,title\r\n",
        header: ["sourcedId", "status", "title"], records: []),
    CSVStructureCase(
        name: "blank lines skipped and counted", text: "a,b\n\n1,2\n\n\n3,4\n\n",
        header: ["a", "b"], records: [CSVRecord(fields: ["1", "2"], line: 3), CSVRecord(fields: ["3", "4"], line: 6)]),
    CSVStructureCase(
        name: "CR line ends", text: "a,b\r1,2\r3,4\r",
        header: ["a", "b"], records: [CSVRecord(fields: ["1", "2"], line: 2), CSVRecord(fields: ["3", "4"], line: 3)]),
    CSVStructureCase(
        name: "mixed CRLF, LF and CR line ends", text: "a\r\n1\n2\r3\r\n",
        header: ["a"],
        records: [
            CSVRecord(fields: ["1"], line: 2), CSVRecord(fields: ["2"], line: 3), CSVRecord(fields: ["3"], line: 4),
        ]),
    CSVStructureCase(
        name: "line numbers count breaks inside quoted fields",
        text: "Note,Id\r\n\"one\r\ntwo\nthree\",1\r\nplain,2\r\n\"a\rb\",3\n",
        header: ["Note", "Id"],
        records: [
            CSVRecord(fields: ["one\r\ntwo\nthree", "1"], line: 2),
            CSVRecord(fields: ["plain", "2"], line: 5),
            CSVRecord(fields: ["a\rb", "3"], line: 6),
        ]),
    CSVStructureCase(
        name: "ragged rows reported as written", text: "a,b,c\n1,2\n1,2,3,4\n",
        header: ["a", "b", "c"],
        records: [CSVRecord(fields: ["1", "2"], line: 2), CSVRecord(fields: ["1", "2", "3", "4"], line: 3)]),
    CSVStructureCase(
        name: "row of empty fields kept as a record", text: "a,b,c\n,,\n",
        header: ["a", "b", "c"], records: [CSVRecord(fields: ["", "", ""], line: 2)]),
    CSVStructureCase(
        name: "spaces kept around unquoted fields", text: "a,b\n Ng , Wei\n",
        header: ["a", "b"], records: [CSVRecord(fields: [" Ng ", " Wei"], line: 2)]),
]

@Test(arguments: csvStructureCases)
func csvStructureIsParsed(_ testCase: CSVStructureCase) throws {
    var reader = try CSVReader(bytes: Array(utf8: testCase.text), source: "test.csv")
    let records = try reader.readAll()

    #expect(reader.header == testCase.header)
    #expect(records == testCase.records)
}

@Test func headerAfterBlankLinesKeepsItsLine() throws {
    let reader = try CSVReader(bytes: Array(utf8: "\n\r\nUPN\n"), source: "test.csv")

    #expect(reader.header == ["UPN"])
    #expect(reader.headerLine == 3)
}

@Test func recordReportsBlankAndShortFields() throws {
    var reader = try CSVReader(bytes: Array(utf8: "a,b,c\n,,\n1\n"), source: "test.csv")
    let blank = try #require(try reader.next())
    let short = try #require(try reader.next())

    #expect(blank.isBlank)
    #expect(!short.isBlank)
    #expect(short[0] == "1")
    #expect(short[2] == nil)
    #expect(try reader.next() == nil)
    #expect(try reader.next() == nil)
}

// MARK: - Sources

@Test func fileIsReadFromPath() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("pupils.csv").path
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(utf8: "UPN,Forename\r\nB801200005001,Zoë\r\n")
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        var reader = try CSVReader(path: path)
        let records = try reader.readAll()

        #expect(reader.source == path)
        #expect(reader.header == ["UPN", "Forename"])
        #expect(records == [CSVRecord(fields: ["B801200005001", "Zoë"], line: 2)])
    }
}

@Test func dataInMemoryIsRead() throws {
    let data = Data("UPN\nB801200005001\n".utf8)
    var reader = try CSVReader(bytes: data, source: "bundle.zip: users.csv")
    let records = try reader.readAll()

    #expect(reader.source == "bundle.zip: users.csv")
    #expect(records.map(\.fields) == [["B801200005001"]])
}

@Test func largeFileIsReadCompletely() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("large.csv").path
        var text = "Id,Name\n"
        for index in 0..<20_000 {
            text += "\(index),\"Name \(index)\"\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))

        var reader = try CSVReader(path: path)
        let records = try reader.readAll()

        #expect(records.count == 20_000)
        #expect(records.last == CSVRecord(fields: ["19999", "Name 19999"], line: 20_001))
    }
}
