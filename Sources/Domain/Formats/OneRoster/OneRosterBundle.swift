import CZip
import Foundation

/// The files of a OneRoster CSV bundle, from a folder or a .zip file.
///
/// Members are found by file name, case-insensitively, at the top level or inside a single
/// folder, because zips made by hand often wrap the files in a folder.
struct OneRosterBundle {
    let path: String
    private let files: [String: [UInt8]]

    /// Opens a folder or a zip file.
    /// - Throws: ``ImportInputError`` when the path does not exist or the zip cannot be read.
    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportInputError(at: SourceLocation(file: path), "no such file or folder; give the folder or .zip of the OneRoster bundle")
        }
        if isDirectory.boolValue {
            files = try Self.readFolder(path)
        } else {
            files = try Self.readZip(path)
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

    private static func readZip(_ path: String) throws -> [String: [UInt8]] {
        var errorCode: Int32 = 0
        guard let archive = zip_open(path, ZIP_RDONLY, &errorCode) else {
            throw ImportInputError(
                at: SourceLocation(file: path), "not a readable zip file (libzip error \(errorCode)); give the bundle's folder or a valid .zip")
        }
        defer { zip_discard(archive) }

        var files: [String: [UInt8]] = [:]
        let count = zip_get_num_entries(archive, 0)
        guard count >= 0 else { return files }
        for index in 0..<UInt64(count) {
            var stat = zip_stat_t()
            guard zip_stat_index(archive, index, 0, &stat) == 0, let rawName = stat.name else { continue }
            let memberPath = String(cString: rawName)
            let name = (memberPath as NSString).lastPathComponent.lowercased()
            guard name.hasSuffix(".csv"), !memberPath.hasPrefix("__MACOSX") else { continue }
            guard let member = zip_fopen_index(archive, index, 0) else {
                throw ImportInputError(at: SourceLocation(file: "\(path): \(memberPath)"), "cannot read this zip member; the zip may be damaged")
            }
            defer { zip_fclose(member) }
            var bytes = [UInt8](repeating: 0, count: Int(stat.size))
            let read = bytes.withUnsafeMutableBytes { buffer in
                zip_fread(member, buffer.baseAddress, stat.size)
            }
            guard read == Int64(stat.size) else {
                throw ImportInputError(at: SourceLocation(file: "\(path): \(memberPath)"), "cannot read this zip member; the zip may be damaged")
            }
            files[name] = bytes
        }
        return files
    }
}
