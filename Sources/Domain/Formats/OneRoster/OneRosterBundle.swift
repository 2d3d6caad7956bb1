import CZip
import Foundation

/// The files of a OneRoster CSV bundle, from a folder or a .zip file.
///
/// Members are found by file name, case-insensitively, at the top level or inside a single
/// folder, because zips made by hand often wrap the files in a folder.
struct OneRosterBundle {
    let path: String
    private let files: [String: [UInt8]]

    /// The maximum uncompressed sizes of a zip's CSV members. Each member is read whole into
    /// memory, and a zip of a few MB can inflate to gigabytes of zeros.
    struct ZipLimits {
        /// The limit for one member, in bytes.
        var memberBytes: UInt64
        /// The limit for all the CSV members together, in bytes.
        var totalBytes: UInt64

        /// 256 MiB per member and 512 MiB in all. A generated 2,000-user users.csv has about
        /// 225 bytes a row, so a trust of 100,000 pupils and 150,000 parents needs an estimated
        /// 56 MB. Parsing a member costs a few times its size in memory.
        static let standard = ZipLimits(memberBytes: 256 * 1_048_576, totalBytes: 512 * 1_048_576)
    }

    /// Opens a folder or a zip file.
    /// - Throws: ``ImportInputError`` when the path does not exist, the zip cannot be read, or
    ///   its CSV members are larger than `limits` allows.
    init(path: String, limits: ZipLimits = .standard) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportInputError(at: SourceLocation(file: path), "no such file or folder; give the folder or .zip of the OneRoster bundle", cause: .missing)
        }
        if isDirectory.boolValue {
            files = try Self.readFolder(path)
        } else {
            files = try Self.readZip(path, limits: limits)
        }
    }

    /// The member's name for messages: `bundle.zip: users.csv` or `folder/users.csv`.
    func displayName(_ name: String) -> String {
        path.lowercased().hasSuffix(".zip") ? "\(path): \(name)" : (path as NSString).appendingPathComponent(name)
    }

    /// The CSV member with this file name, read whole; nil when the bundle lacks it.
    func table(_ name: String) throws -> CSVTable? {
        guard let bytes = files[name.lowercased()] else { return nil }
        var reader: CSVReader
        do {
            reader = try CSVReader(bytes: bytes, source: displayName(name))
        } catch .missingHeader {
            return nil
        }
        return try CSVTable(reader: &reader)
    }

    var fileNames: [String] { Array(files.keys).sorted() }

    // MARK: - Reading

    private static func readFolder(_ path: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.lowercased().hasSuffix(".csv") {
            let full = (path as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: full) {
                files[name.lowercased()] = Array(data)
            }
        }
        return files
    }

    private static func readZip(_ path: String, limits: ZipLimits) throws -> [String: [UInt8]] {
        var errorCode: Int32 = 0
        guard let archive = zip_open(path, ZIP_RDONLY, &errorCode) else {
            throw ImportInputError(
                at: SourceLocation(file: path), "not a readable zip file (libzip error \(errorCode)); give the bundle's folder or a valid .zip")
        }
        defer { zip_discard(archive) }

        var files: [String: [UInt8]] = [:]
        var totalBytes: UInt64 = 0
        let count = zip_get_num_entries(archive, 0)
        guard count >= 0 else { return files }
        for index in 0..<UInt64(count) {
            var stat = zip_stat_t()
            guard zip_stat_index(archive, index, 0, &stat) == 0, let rawName = stat.name else { continue }
            let memberPath = String(cString: rawName)
            let name = (memberPath as NSString).lastPathComponent.lowercased()
            guard name.hasSuffix(".csv"), !memberPath.hasPrefix("__MACOSX") else { continue }
            let location = SourceLocation(file: "\(path): \(memberPath)")

            // The declared sizes are checked before anything is inflated.
            guard stat.valid & UInt64(ZIP_STAT_SIZE) != 0 else {
                throw ImportInputError(at: location, "the zip does not declare this member's size; unzip the bundle and give its folder instead")
            }
            guard stat.size <= limits.memberBytes else {
                throw ImportInputError(
                    at: location,
                    "the member declares an uncompressed size of \(stat.size) bytes, over the limit of \(describe(limits.memberBytes)) for one member; unzip the bundle and check this file, or export the bundle again")
            }
            totalBytes += stat.size
            guard totalBytes <= limits.totalBytes else {
                throw ImportInputError(
                    at: location,
                    "the CSV members declare \(totalBytes) bytes uncompressed in all, over the limit of \(describe(limits.totalBytes)) for one bundle; unzip the bundle and check its files, or export the bundle again")
            }
            files[name] = try readMember(archive, index: index, declaredSize: stat.size, location: location)
        }
        return files
    }

    /// Reads a member whole, stopping as soon as more bytes arrive than its header declares.
    private static func readMember(_ archive: OpaquePointer, index: UInt64, declaredSize: UInt64, location: SourceLocation) throws -> [UInt8] {
        guard let member = zip_fopen_index(archive, index, 0) else {
            throw ImportInputError(at: location, "cannot read this zip member; the zip may be damaged")
        }
        defer { zip_fclose(member) }

        let size = Int(declaredSize)
        // One byte more than declared, so that a member that inflates further is noticed.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while filled <= size {
            let read = bytes.withUnsafeMutableBytes { buffer in
                zip_fread(member, buffer.baseAddress! + filled, UInt64(size + 1 - filled))
            }
            guard read >= 0 else {
                throw ImportInputError(at: location, "cannot read this zip member; the zip may be damaged")
            }
            if read == 0 { break }
            filled += Int(read)
        }
        guard filled <= size else {
            throw ImportInputError(
                at: location,
                "the member inflates to more than the \(declaredSize) bytes its header declares, so the zip is damaged or was made to exhaust memory; unzip the bundle and check this file, or export the bundle again")
        }
        guard filled == size else {
            throw ImportInputError(at: location, "cannot read this zip member; the zip may be damaged")
        }
        bytes.removeLast()
        return bytes
    }

    /// `268435456 bytes (256 MiB)`, or `1500 bytes` for a size that is not whole MiB.
    private static func describe(_ bytes: UInt64) -> String {
        bytes % 1_048_576 == 0 && bytes > 0 ? "\(bytes) bytes (\(bytes / 1_048_576) MiB)" : "\(bytes) bytes"
    }
}
