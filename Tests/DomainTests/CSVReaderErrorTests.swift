import Foundation
import Testing

@testable import Domain

/// One malformed input and the exact message it must produce.
struct CSVErrorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    var options = CSVReadOptions()
    let message: String

    var testDescription: String { name }
}

private let resave = "or save the file again from Excel as CSV UTF-8"

let csvErrorCases: [CSVErrorCase] = [
    CSVErrorCase(
        name: "unterminated quoted field names where it starts",
        bytes: Array(utf8: "Surname,Note\r\nNg,\"never closed\r\nB,2\r\n"),
        message:
            "invalid CSV in 'test.csv' at line 2, column 2 (Note): the quoted field that starts there has no closing quote; add the missing quote, \(resave)"
    ),
    CSVErrorCase(
        name: "quote inside an unquoted field",
        bytes: Array(utf8: "Surname,Forename\nab\"c,Wei\n"),
        message:
            "invalid CSV in 'test.csv' at line 2, column 1 (Surname): the field 'ab\"c' contains a quote but does not start with one; put the field in quotes and double the quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "quote after a leading space",
        bytes: Array(utf8: "Surname,Forename\nNg, \"Wei\"\n"),
        message:
            "invalid CSV in 'test.csv' at line 2, column 2 (Forename): the field ' \"Wei\"' contains a quote but does not start with one; put the field in quotes and double the quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "text after a closing quote",
        bytes: Array(utf8: "Surname,Forename\nNg,\"Wei\"x,7\n"),
        message:
            "invalid CSV in 'test.csv' at line 2, column 2 (Forename): text follows the closing quote in '\"Wei\"x'; put the whole field in quotes and double any quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "error in the header names no column",
        bytes: Array(utf8: "Sur\"name,Forename\n"),
        message:
            "invalid CSV in 'test.csv' at line 1, column 1: the field 'Sur\"name' contains a quote but does not start with one; put the field in quotes and double the quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "error beyond the header's columns names no column",
        bytes: Array(utf8: "Surname\nNg,Wei\"\n"),
        message:
            "invalid CSV in 'test.csv' at line 2, column 2: the field 'Wei\"' contains a quote but does not start with one; put the field in quotes and double the quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "error after an embedded line break names the physical line",
        bytes: Array(utf8: "Note,Id\r\n\"one\r\ntwo\",1\r\nx,\"2\"3\r\n"),
        message:
            "invalid CSV in 'test.csv' at line 4, column 2 (Id): text follows the closing quote in '\"2\"3'; put the whole field in quotes and double any quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "text after a closing quote that spans lines names the closing line",
        bytes: Array(utf8: "Note\n\"one\ntwo\"x\n"),
        message:
            "invalid CSV in 'test.csv' at line 3, column 1 (Note): text follows the closing quote in '\"one\\ntwo\"x'; put the whole field in quotes and double any quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "long malformed field is cut in the message",
        bytes: Array(utf8: "Note\n" + String(repeating: "é", count: 40) + "\"\n"),
        message:
            "invalid CSV in 'test.csv' at line 2, column 1 (Note): the field '\(String(repeating: "é", count: 30))…' contains a quote but does not start with one; put the field in quotes and double the quote inside it, \(resave)"
    ),
    CSVErrorCase(
        name: "invalid UTF-8 when UTF-8 is given",
        bytes: Array(utf8: "Name\r\nZoe\r\nRen") + [0xE9] + Array(utf8: "e\r\n"),
        options: CSVReadOptions(encoding: .utf8),
        message:
            "invalid UTF-8 in 'test.csv' at line 3: the line has bytes that are not UTF-8; read the file as windows-1252 if Excel saved it as plain CSV, or save it again from Excel as CSV UTF-8"
    ),
    CSVErrorCase(
        name: "invalid UTF-8 after a UTF-8 byte order mark",
        bytes: [0xEF, 0xBB, 0xBF] + Array(utf8: "Name\nRen") + [0xE9] + Array(utf8: "e\n"),
        message:
            "invalid UTF-8 in 'test.csv' at line 2: the line has bytes that are not UTF-8; read the file as windows-1252 if Excel saved it as plain CSV, or save it again from Excel as CSV UTF-8"
    ),
    CSVErrorCase(
        name: "UTF-8 encoded surrogate when UTF-8 is given",
        bytes: Array(utf8: "Name\n") + [0xED, 0xA0, 0x80] + Array(utf8: "\n"),
        options: CSVReadOptions(encoding: .utf8),
        message:
            "invalid UTF-8 in 'test.csv' at line 2: the line has bytes that are not UTF-8; read the file as windows-1252 if Excel saved it as plain CSV, or save it again from Excel as CSV UTF-8"
    ),
    CSVErrorCase(
        name: "UTF-16 with an odd number of bytes",
        bytes: [0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x42],
        message:
            "invalid UTF-16 in 'test.csv' at line 2: the text is cut off or has a broken character; save the file again from Excel as CSV UTF-8"
    ),
    CSVErrorCase(
        name: "UTF-16 with a lone surrogate",
        bytes: [0xFF, 0xFE, 0x41, 0x00, 0x0D, 0x00, 0x0A, 0x00, 0x00, 0xDC, 0x0A, 0x00],
        message:
            "invalid UTF-16 in 'test.csv' at line 2: the text is cut off or has a broken character; save the file again from Excel as CSV UTF-8"
    ),
    CSVErrorCase(
        name: "empty file has no header",
        bytes: [],
        message:
            "invalid CSV in 'test.csv': the file has no header line; export it again with the column names in the first line"
    ),
    CSVErrorCase(
        name: "byte order mark and blank lines only",
        bytes: [0xEF, 0xBB, 0xBF, 0x0D, 0x0A, 0x0D, 0x0A],
        message:
            "invalid CSV in 'test.csv': the file has no header line; export it again with the column names in the first line"
    ),
]

@Test(arguments: csvErrorCases)
func malformedCSVIsRejected(_ testCase: CSVErrorCase) {
    #expect(CSVTestSupport.readError(testCase.bytes, options: testCase.options) == testCase.message)
}

@Test func recordsBeforeAMalformedLineAreReturned() throws {
    var reader = try CSVReader(bytes: Array(utf8: "a,b\n1,2\n3,x\"y\n"), source: "test.csv")

    #expect(try reader.next() == CSVRecord(fields: ["1", "2"], line: 2))
    #expect(
        throws: CSVReadError.quoteInUnquotedField(
            CSVPosition(source: "test.csv", line: 3, column: 2, columnName: "b"), field: "x\"y")
    ) {
        _ = try reader.next()
    }
}

@Test func missingFileIsReported() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("missing.csv").path

        #expect(throws: CSVReadError.unreadableFile(path: path, reason: "No such file or directory")) {
            _ = try CSVReader(path: path)
        }
        let error = CSVReadError.unreadableFile(path: path, reason: "No such file or directory")
        #expect(
            error.description
                == "cannot read the CSV file '\(path)': No such file or directory; check the path and that you may read the file"
        )
    }
}

@Test func directoryIsNotReadAsAFile() throws {
    try CSVTestSupport.withTemporaryDirectory { directory in
        #expect(throws: CSVReadError.unreadableFile(path: directory.path, reason: "it is a directory")) {
            _ = try CSVReader(path: directory.path)
        }
    }
}
