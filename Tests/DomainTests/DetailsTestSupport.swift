import Foundation
import Storage
import Testing

@testable import Domain

/// A school whose names need every kind of diacritic, for the login details tests.
enum DetailsSchool {
    static let zoe = UPN.make(la: 801, establishment: 4012, year: 19, serial: 1).value
    static let inaki = UPN.make(la: 801, establishment: 4012, year: 19, serial: 2).value
    static let lukasz = UPN.make(la: 801, establishment: 4012, year: 19, serial: 3).value
    static let anh = UPN.make(la: 801, establishment: 4012, year: 19, serial: 4).value
    static let sion = UPN.make(la: 801, establishment: 4012, year: 19, serial: 5).value
    static let formula = UPN.make(la: 801, establishment: 4012, year: 19, serial: 6).value

    /// Six students in 7A, 7B and 8[C]: Zoë (admission number 000123, email), Iñaki, Łukasz,
    /// Nguyễn Ngọc Ánh (preferred name Ánh), Siôn Ŵyn (logged in once) and a surname that a
    /// spreadsheet would run as a formula.
    static func seed(_ fixture: TestDirectory, sso: SSOProvider = .none) throws {
        var zoe = TestDirectory.student(try UPN(zoe), "Zoë", "Ní Bhriain", year: 7, reg: "7A", email: "zoe@castlemead.sch.uk")
        zoe.admissionNumber = "000123"
        var anh = TestDirectory.student(try UPN(anh), "Ngọc Ánh", "Nguyễn", year: 7, reg: "7B")
        anh.preferredForename = "Ánh"
        try fixture.seed(
            sso: sso,
            users: [
                zoe,
                TestDirectory.student(try UPN(inaki), "Iñaki", "Muñoz", year: 7, reg: "7A"),
                TestDirectory.student(try UPN(lukasz), "Łukasz", "Wałęsa", year: 7, reg: "7B", email: "lukasz@castlemead.sch.uk"),
                anh,
                TestDirectory.student(try UPN(sion), "Siôn", "Ŵyn", year: 8, reg: "8[C]"),
                TestDirectory.student(try UPN(formula), "Sam", "=HYPERLINK(\"http://x\")", year: 8, reg: "8[C]"),
            ])
        try fixture.directory.database.execute("UPDATE users SET last_login = '2026-08-01T10:00:00Z' WHERE upn = ?1", [sion])
    }

    /// Options writing to `out` in the fixture's folder.
    static func options(_ fixture: TestDirectory, _ query: String = "all", formats: [DetailsFormat] = [.csv]) throws -> DetailsOptions {
        var options = DetailsOptions(selection: try Selection(parsing: query), folder: fixture.folder.file("out"), origin: .init("test"))
        options.formats = formats
        return options
    }

    /// The live codes of one kind, by UPN.
    static func liveCodes(_ fixture: TestDirectory, _ kind: CredentialKind) throws -> [String: String] {
        let rows = try fixture.directory.database.query(
            """
            SELECT users.upn, credentials.code FROM credentials JOIN users ON users.id = credentials.student_id
            WHERE credentials.kind = ?1 AND credentials.voided_at IS NULL
            """, [kind.rawValue])
        var codes: [String: String] = [:]
        for row in rows { codes[row.string("upn")!] = row.string("code")! }
        return codes
    }

    /// Reads a CSV file with the strict Domain reader, header first.
    static func readCSV(_ path: String) throws -> [[String]] {
        var reader = try CSVReader(path: path)
        return [reader.header] + (try reader.readAll().map(\.fields))
    }

    /// Names of the files in a folder, hidden ones included.
    static func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// The POSIX mode of a file.
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
}

/// Runs a program from the system and returns its standard output.
enum ExternalTool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// Runs a script with Debian's Python, which python3-openpyxl is installed for.
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        try run("/usr/bin/python3", ["-c", script] + arguments)
    }
}
