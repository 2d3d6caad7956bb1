import Foundation
import Testing

@testable import Domain

/// Zip bundles whose members inflate beyond what an import reads into memory.
@Suite("OneRoster zip size limits")
struct OneRosterZipLimitTests {
    /// Writes a zip with Python's zipfile. Each member is (name, size, fill byte): the content
    /// is streamed, so a member of hundreds of MiB costs the test no memory.
    static let makeZip = """
        import sys, zipfile
        path, members = sys.argv[1], sys.argv[2:]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                name, size, fill = member.split(":")
                size, chunk = int(size), bytes([int(fill)]) * (1 << 20)
                with archive.open(name, "w", force_zip64=size >= 1 << 31) as out:
                    while size > 0:
                        out.write(chunk[:size])
                        size -= len(chunk)
        """

    /// Sets the uncompressed size that the first member's local and central headers declare.
    static let understateSize = """
        import struct, sys
        path, size = sys.argv[1], int(sys.argv[2])
        data = bytearray(open(path, "rb").read())
        assert data[0:4] == b"PK\\x03\\x04"
        struct.pack_into("<I", data, 22, size)
        central = data.find(b"PK\\x01\\x02")
        struct.pack_into("<I", data, central + 24, size)
        open(path, "wb").write(bytes(data))
        """

    static func zip(_ folder: TemporaryFolder, _ members: [(String, Int)]) throws -> String {
        let path = folder.file("bundle.zip")
        let arguments = members.map { "\($0.0):\($0.1):\(UInt8(ascii: "a"))" }
        _ = try ExternalTool.python(makeZip, [path] + arguments)
        return path
    }

    @Test("member over 256 MiB is rejected before it is read")
    func memberOverCapRejected() throws {
        let folder = TemporaryFolder()
        let path = folder.file("bundle.zip")
        let size = 256 * 1_048_576 + 1
        _ = try ExternalTool.python(Self.makeZip, [path, "orgs.csv:10:97", "users.csv:\(size):0"])
        let zipSize = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(zipSize < 1_048_576, "the zip itself is small")

        let fixture = try TestDirectory()
        let error = #expect(throws: ImportInputError.self) {
            try fixture.directory.importOneRoster(path: path, options: ImportOptions(), settings: Settings())
        }
        #expect(error?.location == SourceLocation(file: "\(path): users.csv"))
        #expect(
            error?.message
                == "the member declares an uncompressed size of 268435457 bytes, over the limit of 268435456 bytes (256 MiB) for one member; unzip the bundle and check this file, or export the bundle again")
    }

    @Test("members over the total limit are rejected")
    func totalOverCapRejected() throws {
        let folder = TemporaryFolder()
        let path = try Self.zip(folder, [("orgs.csv", 600), ("users.csv", 600), ("classes.csv", 600)])
        let limits = OneRosterBundle.ZipLimits(memberBytes: 1000, totalBytes: 1500)
        let error = #expect(throws: ImportInputError.self) { try OneRosterBundle(path: path, limits: limits) }
        #expect(error?.location == SourceLocation(file: "\(path): classes.csv"))
        #expect(
            error?.message
                == "the CSV members declare 1800 bytes uncompressed in all, over the limit of 1500 bytes for one bundle; unzip the bundle and check its files, or export the bundle again")
    }

    @Test("members within the limits are read")
    func withinCapsRead() throws {
        let folder = TemporaryFolder()
        let path = try Self.zip(folder, [("orgs.csv", 600), ("users.csv", 1000)])
        let bundle = try OneRosterBundle(path: path, limits: OneRosterBundle.ZipLimits(memberBytes: 1000, totalBytes: 1600))
        #expect(bundle.fileNames == ["orgs.csv", "users.csv"])
    }

    @Test("member inflating past its declared size is rejected")
    func understatedSizeRejected() throws {
        let folder = TemporaryFolder()
        let path = try Self.zip(folder, [("users.csv", 200_000)])
        _ = try ExternalTool.python(Self.understateSize, [path, "100"])

        let error = #expect(throws: ImportInputError.self) { try OneRosterBundle(path: path) }
        #expect(error?.location == SourceLocation(file: "\(path): users.csv"))
        #expect(
            error?.message
                == "the member inflates to more than the 100 bytes its header declares, so the zip is damaged or was made to exhaust memory; unzip the bundle and check this file, or export the bundle again")
    }
}
