import Foundation
import Testing

@testable import Domain

/// Helpers shared by the CSV tests.
enum CSVTestSupport {
    /// The shared sample files, `../shared/samples` from the package root, or nil when absent.
    static let samplesDirectory: URL? = {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // DomainTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let samples = packageRoot.appendingPathComponent("../shared/samples").standardized
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: samples.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? samples : nil
    }()

    /// Runs `body` with a new empty directory that is removed afterwards.
    @discardableResult
    static func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lanyard-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// Reads CSV bytes and returns the header, then each record's fields.
    static func readRows(_ bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) throws -> [[String]] {
        var reader = try CSVReader(bytes: bytes, source: "test.csv", options: options)
        return [reader.header] + (try reader.readAll().map(\.fields))
    }

    /// Reads CSV bytes and returns the error text thrown, or nil when they read without one.
    static func readError(_ bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) -> String? {
        do {
            var reader = try CSVReader(bytes: bytes, source: "test.csv", options: options)
            _ = try reader.readAll()
            return nil
        } catch {
            return error.description
        }
    }
}

extension Array where Element == UInt8 {
    /// Makes the UTF-8 bytes of a string, for writing CSV test input inline.
    init(utf8 text: String) {
        self = Array(text.utf8)
    }
}
