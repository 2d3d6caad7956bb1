import Foundation
import Testing

@testable import Domain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Output paths that exist but are not regular files, and renames that fail.
@Suite("Login details: output paths that are not regular files")
struct DetailsDestinationTests {
    enum Destination: String, CaseIterable, CustomTestStringConvertible {
        case symbolicLink
        case fifo
        case folder

        var testDescription: String { rawValue }

        /// Creates the destination at `path`, a symbolic link pointing to `target`.
        func make(at path: String, target: String) throws {
            switch self {
            case .symbolicLink:
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
            case .fifo:
                #expect(mkfifo(path, 0o600) == 0)
            case .folder:
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            }
        }

        var kindName: String {
            switch self {
            case .symbolicLink: return "symbolic link"
            case .fifo: return "named pipe (FIFO)"
            case .folder: return "folder"
            }
        }
    }

    /// Returns the file type of `path` itself, not of what a link points to.
    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        guard lstat(path, &status) == 0 else { return 0 }
        return status.st_mode & S_IFMT
    }

    static func message(_ path: String, _ kind: String) -> String {
        "cannot write '\(path)': it is a \(kind), and Lanyard replaces only regular files, so nothing was changed; move or remove it, or choose another path"
    }

    // MARK: - Parent code export

    @Test("parent code export rejects a destination that is not a file", arguments: Destination.allCases)
    func exportRejects(destination: Destination) throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let target = fixture.folder.write("target.csv", "untouched\n")
        let path = fixture.folder.file("codes.csv")
        try destination.make(at: path, target: target)
        let typeBefore = Self.fileType(path)
        let filesBefore = DetailsSchool.files(in: fixture.folder.path)

        let error = #expect(throws: ExportError.self) {
            try fixture.directory.exportParentCodes(ParentCodeExportOptions(selection: Selection(parsing: "all"), path: path))
        }
        #expect(error == .notRegularFile(path: path, kind: destination.kindName))
        #expect(error?.description == Self.message(path, destination.kindName))
        #expect(Self.fileType(path) == typeBefore)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched\n")
        #expect(DetailsSchool.files(in: fixture.folder.path) == filesBefore, "no temporary file is left")
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'code.read'")?.intValue == 0)
    }

    // MARK: - Generate

    @Test("generate rejects a destination that is not a file before codes change", arguments: Destination.allCases)
    func generateRejects(destination: Destination) throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let target = fixture.folder.write("target.pdf", "untouched\n")
        let out = fixture.folder.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let path = fixture.folder.file("out/parent-slips.pdf")
        try destination.make(at: path, target: target)
        let pins = try DetailsSchool.liveCodes(fixture, .pin)
        let parentCodes = try DetailsSchool.liveCodes(fixture, .parentCode)

        let error = #expect(throws: ExportError.self) {
            try fixture.directory.generateDetails(try DetailsSchool.options(fixture, formats: [.csv, .xlsx, .pdf]))
        }
        #expect(error == .notRegularFile(path: path, kind: destination.kindName))
        #expect(DetailsSchool.files(in: out) == ["parent-slips.pdf"], "no other file and no temporary file")
        #expect(Self.fileType(path) != S_IFREG)
        #expect(try DetailsSchool.liveCodes(fixture, .pin) == pins)
        #expect(try DetailsSchool.liveCodes(fixture, .parentCode) == parentCodes)
        #expect(try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'code.read'")?.intValue == 0)
    }

    @Test("dry run also rejects a destination that is not a file")
    func dryRunRejects() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let path = fixture.folder.file("out/login-details.csv")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var options = try DetailsSchool.options(fixture)
        options.isDryRun = true
        #expect(throws: ExportError.notRegularFile(path: path, kind: "folder")) {
            try fixture.directory.generateDetails(options)
        }
    }

    @Test("failed rename deletes the temporary file and says so")
    func failedRenameDeletes() throws {
        let fixture = try TestDirectory()
        try DetailsSchool.seed(fixture)
        let path = fixture.folder.file("out/login-details.csv")
        var options = try DetailsSchool.options(fixture, formats: [.csv])
        // A folder appears at the destination after the checks, so the rename fails.
        options.afterRow = { count in
            if count == 1 { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) }
        }

        let error = #expect(throws: ExportError.self) { try fixture.directory.generateDetails(options) }
        guard case .cannotMoveIntoPlace(let temporaryPath, let destination, let reason, let deletionFailure) = error else {
            Issue.record("expected cannotMoveIntoPlace, got \(String(describing: error))")
            return
        }
        #expect(destination == path)
        #expect(reason == "Is a directory")
        #expect(deletionFailure == nil)
        #expect(!FileManager.default.fileExists(atPath: temporaryPath))
        #expect(DetailsSchool.files(in: fixture.folder.file("out")) == ["login-details.csv"])
        #expect(
            error?.description
                == "the codes were saved, but the file '\(temporaryPath)' could not be renamed to '\(path)': Is a directory; the temporary file was deleted because it holds login codes, so fix the cause and run the command again"
        )
    }
}
