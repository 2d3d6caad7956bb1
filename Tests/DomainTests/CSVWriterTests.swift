import Foundation
import Testing

@testable import Domain

private let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

private func written(_ rows: [[String]], options: CSVWriteOptions = CSVWriteOptions()) throws -> [UInt8] {
    let writer = CSVWriter(options: options)
    for row in rows {
        try writer.writeRow(row)
    }
    try writer.finish()
    return writer.bytes
}

private func writtenText(_ rows: [[String]], options: CSVWriteOptions = CSVWriteOptions()) throws -> String {
    String(decoding: try written(rows, options: options), as: UTF8.self)
}

// MARK: - Layout

@Test func writerStartsWithByteOrderMarkAndEndsRowsWithCRLF() throws {
    let bytes = try written([["UPN", "Forename"], ["B801200005001", "Zoë"]])

    #expect(Array(bytes.prefix(3)) == byteOrderMark)
    #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "UPN,Forename\r\nB801200005001,Zoë\r\n")
}

@Test func writerOmitsByteOrderMarkWhenAsked() throws {
    let bytes = try written([["UPN"]], options: CSVWriteOptions(writesByteOrderMark: false))

    #expect(bytes == Array(utf8: "UPN\r\n"))
}

@Test func writerUsesGivenDelimiter() throws {
    let text = try writtenText(
        [["a", "b;c", "d"]], options: CSVWriteOptions(delimiter: .semicolon, writesByteOrderMark: false))

    #expect(text == "a;\"b;c\";d\r\n")
}

// MARK: - Quoting

struct CSVQuotingCase: CustomTestStringConvertible, Sendable {
    let name: String
    let field: String
    let written: String

    var testDescription: String { name }
}

let csvQuotingCases: [CSVQuotingCase] = [
    CSVQuotingCase(name: "plain field unquoted", field: "Ng", written: "Ng"),
    CSVQuotingCase(name: "empty field unquoted", field: "", written: ""),
    CSVQuotingCase(name: "comma quoted", field: "Ng, Wei", written: "\"Ng, Wei\""),
    CSVQuotingCase(name: "quote doubled", field: "say \"hi\"", written: "\"say \"\"hi\"\"\""),
    CSVQuotingCase(name: "LF quoted", field: "line one\nline two", written: "\"line one\nline two\""),
    CSVQuotingCase(name: "CRLF quoted", field: "a\r\nb", written: "\"a\r\nb\""),
    CSVQuotingCase(name: "semicolon unquoted with comma delimiter", field: "a;b", written: "a;b"),
    CSVQuotingCase(name: "apostrophe unquoted", field: "O'Brien", written: "O'Brien"),
]

@Test(arguments: csvQuotingCases)
func writerQuotesOnlyWhenNeeded(_ testCase: CSVQuotingCase) throws {
    let text = try writtenText([[testCase.field, "x"]], options: .machineReadable)

    #expect(text == testCase.written + ",x\r\n")
}

@Test func singleEmptyFieldIsWrittenAsQuotes() throws {
    #expect(try writtenText([["a"], [""], ["b"]], options: .machineReadable) == "a\r\n\"\"\r\nb\r\n")
}

// MARK: - Formula injection

struct CSVFormulaCase: CustomTestStringConvertible, Sendable {
    let name: String
    let field: String
    let neutralised: String

    var testDescription: String { name }
}

let csvFormulaCases: [CSVFormulaCase] = [
    CSVFormulaCase(
        name: "equals sign", field: "=HYPERLINK(\"http://x\")", neutralised: "\"'=HYPERLINK(\"\"http://x\"\")\""),
    CSVFormulaCase(name: "plus sign", field: "+44 1632 960000", neutralised: "'+44 1632 960000"),
    CSVFormulaCase(name: "minus sign", field: "-5", neutralised: "'-5"),
    CSVFormulaCase(name: "at sign", field: "@SUM(A1)", neutralised: "'@SUM(A1)"),
    CSVFormulaCase(name: "leading tab", field: "\t=1+1", neutralised: "'\t=1+1"),
    CSVFormulaCase(name: "leading CR", field: "\r=1+1", neutralised: "\"'\r=1+1\""),
    CSVFormulaCase(name: "equals sign not first", field: "a=b", neutralised: "a=b"),
    CSVFormulaCase(name: "hyphenated surname", field: "Jones-Williams", neutralised: "Jones-Williams"),
    CSVFormulaCase(name: "leading space before equals", field: " =1", neutralised: " =1"),
]

@Test(arguments: csvFormulaCases)
func writerNeutralisesFormulas(_ testCase: CSVFormulaCase) throws {
    let text = try writtenText([[testCase.field]], options: CSVWriteOptions(writesByteOrderMark: false))

    #expect(text == testCase.neutralised + "\r\n")
}

@Test(arguments: csvFormulaCases)
func machineReadableWriterKeepsFormulasAsWritten(_ testCase: CSVFormulaCase) throws {
    var reader = try CSVReader(
        bytes: try written([["Value"], [testCase.field]], options: .machineReadable), source: "out.csv")

    #expect(try reader.next()?.fields == [testCase.field])
}

@Test func tabDelimitedWriterQuotesNeutralisedTab() throws {
    let text = try writtenText([["\tx", "y"]], options: CSVWriteOptions(delimiter: .tab, writesByteOrderMark: false))

    #expect(text == "\"'\tx\"\ty\r\n")
}

// MARK: - Digit strings in Excel

struct CSVDigitCase: CustomTestStringConvertible, Sendable {
    let field: String
    let written: String

    var testDescription: String { "'\(field)' written as \(written)" }
}

let csvDigitCases: [CSVDigitCase] = [
    CSVDigitCase(field: "001234", written: "\"=\"\"001234\"\"\""),
    CSVDigitCase(field: "1234567890123456", written: "\"=\"\"1234567890123456\"\"\""),
    CSVDigitCase(field: "123456789012345", written: "123456789012345"),
    CSVDigitCase(field: "0", written: "0"),
    CSVDigitCase(field: "7", written: "7"),
    CSVDigitCase(field: "B801200005001", written: "B801200005001"),
    CSVDigitCase(field: "01632 960000", written: "01632 960000"),
]

@Test(arguments: csvDigitCases)
func excelTextOptionWrapsDigitStrings(_ testCase: CSVDigitCase) throws {
    let options = CSVWriteOptions(writesByteOrderMark: false, keepsDigitStringsAsTextInExcel: true)

    #expect(try writtenText([[testCase.field]], options: options) == testCase.written + "\r\n")
}

@Test func digitStringsUnchangedByDefault() throws {
    #expect(try writtenText([["001234"]], options: .machineReadable) == "001234\r\n")
}

// MARK: - Round trip

@Test func writtenRowsReadBackUnchanged() throws {
    let rows = [
        ["UPN", "Surname", "Note", "Empty"],
        ["B801200005001", "O'Brien, Siân", "said \"hello\"\r\nthen left", ""],
        ["A999999609170", "Ng", "tab\there", ""],
        ["", "", "", ""],
        ["B801200005001", "Zoë 🎓", "a\rb", "x"],
    ]
    let bytes = try written(rows, options: CSVWriteOptions(neutralisesFormulas: false))

    var reader = try CSVReader(bytes: bytes, source: "out.csv")
    let records = try reader.readAll()

    #expect(reader.encoding == .utf8)
    #expect(reader.header == rows[0])
    #expect(records.map(\.fields) == Array(rows.dropFirst()))
    #expect(records.map(\.line) == [2, 4, 5, 6])
}

@Test func fileWriterStreamsRowsToDisk() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("out.csv").path
        let writer = try CSVWriter(path: path)
        try writer.writeRow(["Id", "Name"])
        for index in 0..<10_000 {
            try writer.writeRow([String(index), "Name, \(index)"])
        }
        #expect(writer.bytes.isEmpty)
        try writer.finish()

        var reader = try CSVReader(path: path)
        let records = try reader.readAll()

        #expect(reader.header == ["Id", "Name"])
        #expect(records.count == 10_000)
        #expect(records.last?.fields == ["9999", "Name, 9999"])
    }
}

@Test func fileWriterReportsFolderThatDoesNotExist() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("missing/out.csv").path
        let expected = CSVWriteError.cannotCreate(path: path, reason: "No such file or directory")

        #expect(throws: expected) {
            _ = try CSVWriter(path: path)
        }
        #expect(
            expected.description
                == "cannot create the CSV file '\(path)': No such file or directory; choose a folder you can write to")
    }
}

@Test func fileDescriptorWriterLeavesDescriptorOpen() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        let url = directory.appendingPathComponent("out.csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)

        let writer = CSVWriter(fileDescriptor: handle.fileDescriptor, name: url.path, options: .machineReadable)
        try writer.writeRow(["a", "b"])
        try writer.finish()
        try handle.write(contentsOf: Data("end\r\n".utf8))
        try handle.close()

        #expect(try String(contentsOf: url, encoding: .utf8) == "a,b\r\nend\r\n")
    }
}
