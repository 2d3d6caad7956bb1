import Foundation
import Testing

@testable import Domain

/// Times the reader on a generated MIS-style export of 100,000 rows and 12 columns.
///
/// Runs only when `LANYARD_CSV_BENCHMARK=1`, and is meaningful only in a release build:
/// `LANYARD_CSV_BENCHMARK=1 swift test -c release --filter CSVBenchmark`.
/// Set `LANYARD_CSV_BENCHMARK_DIR` to keep the generated file there, for example to time
/// `sqlite3 .import` on the same file.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["LANYARD_CSV_BENCHMARK"] == "1", "set LANYARD_CSV_BENCHMARK=1 to run"))
struct CSVBenchmarkTests {
    static let rowCount = 100_000

    @Test func parse100000RowMISExport() throws {
        let environment = ProcessInfo.processInfo.environment
        let directory =
            environment["LANYARD_CSV_BENCHMARK_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let path = directory.appendingPathComponent("lanyard-benchmark-mis.csv").path
        defer {
            if environment["LANYARD_CSV_BENCHMARK_DIR"] == nil { try? FileManager.default.removeItem(atPath: path) }
        }

        // Write
        let writeStart = ContinuousClock.now
        let writer = try CSVWriter(path: path, options: .machineReadable)
        try writer.writeRow([
            "UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "Year", "Reg", "Gender",
            "DOB", "Admission Number", "Primary Email", "Contact 1 Name", "Contact 1 Email",
        ])
        let surnames = ["Smith", "O'Brien", "Nowak", "Núñez", "Khan", "Jones-Williams", "Brontë", "Ng"]
        let forenames = ["Amelia", "Zoë", "Mohammed", "Oliver", "Siân", "Wei", "Chloé", "Jack"]
        for index in 0..<Self.rowCount {
            let upn = UPN.make(la: 801, establishment: 2000, year: 20, serial: index % 1000).value
            let surname = surnames[index % surnames.count]
            let forename = forenames[index % forenames.count]
            try writer.writeRow([
                upn, surname, forename, index % 3 == 0 ? "" : forename, String(7 + index % 7),
                "\(7 + index % 7)\(["A", "B", "RH"][index % 3])", index % 2 == 0 ? "F" : "M",
                "2012-0\(1 + index % 9)-1\(index % 10)", String(format: "%06d", index),
                "\(forename.lowercased()).\(index)@school.org.uk",
                index % 5 == 0 ? "Mrs \(surname), Jane" : "Mr \(surname)",
                "parent\(index)@example.com",
            ])
        }
        try writer.finish()
        let writeTime = ContinuousClock.now - writeStart

        // Read, best of three
        var best = Duration.seconds(1000)
        var recordCount = 0
        var fieldCount = 0
        for _ in 0..<3 {
            let start = ContinuousClock.now
            var reader = try CSVReader(path: path)
            recordCount = 0
            fieldCount = 0
            while let record = try reader.next() {
                recordCount += 1
                fieldCount += record.fields.count
            }
            best = min(best, ContinuousClock.now - start)
        }

        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        print(
            "CSV benchmark: \(recordCount) records, \(fieldCount) fields, \(size) bytes; read in \(best) (best of 3), written in \(writeTime)"
        )
        #expect(recordCount == Self.rowCount)
        #expect(fieldCount == Self.rowCount * 12)
    }
}
