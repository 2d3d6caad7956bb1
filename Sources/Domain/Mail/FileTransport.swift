#if canImport(Glibc)
    import Glibc
#endif

/// Delivers each message as an `.eml` file in a folder: Lanyard's default when no mail server is
/// set, and a preview an admin can open in a mail client.
///
/// The file is named from the outbox id (`outbox-00000042.eml`), so delivering a message again
/// (after a crash between writing and marking it sent) overwrites its file rather than adding a
/// second one. Each file is written to a temporary name, flushed to disk and renamed, so a reader
/// never sees half a message. Files get mode 0600 and a new folder 0700, because messages carry
/// login links and codes.
///
/// ```swift
/// let transport = FileTransport(folder: "outbox")
/// ```
public final class FileTransport: MailTransport {
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    public var destination: String { "folder '\(folder)'" }

    /// Returns the path of the file that contains the message of outbox entry `outboxId`.
    public func path(forOutboxId outboxId: Int) -> String {
        let digits = String(outboxId)
        let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        return folder + "/outbox-" + padded + ".eml"
    }

    // MARK: - Sending

    public func send(_ envelope: MailEnvelope) throws(MailTransportError) {
        try createFolder()
        let path = path(forOutboxId: envelope.outboxId)
        let temporaryPath = path + ".tmp"

        // Write to a temporary file, flush, then rename over the final name
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure(temporaryPath) }
        var written = 0
        var writeError: MailTransportError?
        // A temporary file left by a crash may have another mode; make it private before writing.
        if fchmod(descriptor, 0o600) != 0 { writeError = Self.failure(temporaryPath) }
        envelope.message.withUnsafeBytes { buffer in
            while writeError == nil, written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    writeError = Self.failure(temporaryPath)
                } else {
                    written += result
                }
            }
        }
        if writeError == nil, fsync(descriptor) != 0 { writeError = Self.failure(temporaryPath) }
        if close(descriptor) != 0, writeError == nil { writeError = Self.failure(temporaryPath) }
        if let writeError {
            unlink(temporaryPath)
            throw writeError
        }
        guard rename(temporaryPath, path) == 0 else {
            let error = Self.failure(path)
            unlink(temporaryPath)
            throw error
        }
    }

    private func createFolder() throws(MailTransportError) {
        if mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw Self.failure(folder)
        }
    }

    /// Returns the failure for `path`, with the reason from the current `errno`.
    private static func failure(_ path: String) -> MailTransportError {
        .fileWriteFailed(path: path, reason: String(cString: strerror(errno)))
    }
}
