import Foundation
import Testing

@testable import Domain

/// Checks bench/gen-mis-csv.py against the Swift UPN rule, which the script repeats on purpose.
@Suite("Benchmark input generator")
struct DemoBenchInputTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("bench/gen-mis-csv.py").path
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs the script and returns the bytes it wrote.
    static func generate(rows: Int, seed: Int, into folder: DemoTemporaryFolder, name: String) throws -> [UInt8] {
        let output = folder.appending(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python))
        process.arguments = [script, output, "--rows", String(rows), "--seed", String(seed)]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen-mis-csv.py exited with \(process.terminationStatus)")
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    @Test(.enabled(if: python != nil, "needs python3 in /usr/bin or /usr/local/bin"))
    func benchInputHasValidUniqueUPNs() throws {
        let folder = try DemoTemporaryFolder()
        _ = try Self.generate(rows: 5_000, seed: 1, into: folder, name: "students.csv")
        let table = try DemoCSVTable(path: folder.appending("students.csv"))

        #expect(
            table.header == [
                "UPN", "Adno", "Legal Surname", "Legal Forename", "Preferred Forename", "Year", "Reg", "Email",
                "Start Date",
            ])
        #expect(table.rows.count == 5_000)
        var upns = Set<UPN>()
        for row in table.rows {
            upns.insert(try UPN(row["UPN"] ?? ""))
        }
        #expect(upns.count == 5_000)
        #expect(upns.contains { $0.isTemporary })
        #expect(table.rows.contains { $0["Legal Surname"]?.contains(",") == true })
        #expect(table.rows.contains { $0["Legal Forename"] == "Łukasz" })
    }

    @Test(.enabled(if: python != nil, "needs python3 in /usr/bin or /usr/local/bin"))
    func benchInputIsDeterministic() throws {
        let folder = try DemoTemporaryFolder()
        let first = try Self.generate(rows: 500, seed: 3, into: folder, name: "first.csv")
        let second = try Self.generate(rows: 500, seed: 3, into: folder, name: "second.csv")

        #expect(first == second)
    }

    @Test(.enabled(if: python != nil, "needs python3 in /usr/bin or /usr/local/bin"))
    func benchInputUsesCRLFWithoutBOM() throws {
        let folder = try DemoTemporaryFolder()
        let bytes = try Self.generate(rows: 500, seed: 3, into: folder, name: "students.csv")

        #expect(Array(bytes.prefix(3)) == Array("UPN".utf8))
        for (index, byte) in bytes.enumerated() where byte == 10 {
            let previous = index > 0 ? bytes[index - 1] : nil
            #expect(previous == 13, "bare line feed at byte \(index)")
        }
    }
}
