import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name next to its destination and moved into place by
/// ``commit()``, so that a reader never sees half a file and a failed run leaves none.
///
/// The temporary file is created empty with mode 0600 before anything is written, because
/// exports hold pupils' names and login codes. Writers that open the path themselves
/// (libxlsxwriter, cairo) truncate the existing file, which keeps that mode.
///
/// ```swift
/// let file = try StagedFile(path: "out/login-details.csv")
/// // ... write to file.temporaryPath ...
/// try file.commit()      // or file.discard() on failure
/// ```
public final class StagedFile {
    /// Where the file ends up.
    public let path: String
    /// Where it is written until ``commit()``.
    public let temporaryPath: String
    private var isSettled = false

    /// Checks the destination with ``checkDestination(_:)``, then creates the empty temporary
    /// file `.NAME.RANDOM.tmp` in the destination's folder.
    ///
    /// - Throws: ``ExportError/notRegularFile(path:kind:)`` when the destination exists and is
    ///   not a regular file, ``ExportError/cannotCreate(path:reason:)`` when the folder is not
    ///   writable.
    public init(path: String) throws(ExportError) {
        try Self.checkDestination(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        self.path = path
        self.temporaryPath = (folder as NSString).appendingPathComponent(".\(url.lastPathComponent).\(suffix).tmp")

        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotCreate(path: temporaryPath, reason: String(cString: strerror(errno)))
        }
        close(descriptor)
    }

    /// Opens the temporary file for writing and returns its descriptor, which the caller closes.
    func openForWriting() throws(ExportError) -> Int32 {
        let descriptor = open(temporaryPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotCreate(path: temporaryPath, reason: String(cString: strerror(errno)))
        }
        return descriptor
    }

    /// Moves the finished file into place, replacing any regular file already there.
    ///
    /// - Throws: ``ExportError/cannotMoveIntoPlace(temporaryPath:path:reason:deletionFailure:)``
    ///   after deleting the temporary file, because it contains login codes.
    public func commit() throws(ExportError) {
        guard !isSettled else { return }
        isSettled = true
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            let deletionFailure = unlink(temporaryPath) == 0 ? nil : String(cString: strerror(errno))
            throw .cannotMoveIntoPlace(temporaryPath: temporaryPath, path: path, reason: reason, deletionFailure: deletionFailure)
        }
    }

    /// Deletes the temporary file. Safe to call more than once.
    public func discard() {
        guard !isSettled else { return }
        unlink(temporaryPath)
        isSettled = true
    }

    /// Deletes the temporary file unless it was committed, so that no failure path leaves one.
    deinit {
        discard()
    }

    // MARK: - Destinations

    /// Checks that nothing but a regular file is at `path`, without following a symbolic link.
    ///
    /// `rename` would replace a symbolic link, FIFO, device or socket with a regular file
    /// of login codes, and fails on a folder only after the work is done. So callers
    /// check every destination before any code changes. A missing path passes, and so does one
    /// that `lstat` cannot examine, because creating the temporary file then reports why.
    ///
    /// - Throws: ``ExportError/notRegularFile(path:kind:)`` naming what is there.
    public static func checkDestination(_ path: String) throws(ExportError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        let kind: String
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: kind = "symbolic link"
        case S_IFDIR: kind = "folder"
        case S_IFIFO: kind = "named pipe (FIFO)"
        case S_IFCHR: kind = "character device"
        case S_IFBLK: kind = "block device"
        case S_IFSOCK: kind = "socket"
        default: kind = "special file"
        }
        throw .notRegularFile(path: path, kind: kind)
    }
}

/// Prepares an output folder: creates it (mode 0700) when missing and checks that it is one.
func prepareOutputFolder(_ path: String) throws(ExportError) {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw .folderUnavailable(path: path, reason: "it is a file, not a folder") }
        return
    }
    do {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
        throw .folderUnavailable(path: path, reason: (error as NSError).localizedDescription)
    }
}
