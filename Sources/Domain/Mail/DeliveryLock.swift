#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on a file next to the directory, held while a delivery runs, so that two
/// runs never send the same message at once. The kernel drops the lock when the process ends,
/// even by `kill -9`, so a crashed run never blocks the next one.
final class DeliveryLock {
    let path: String
    private let descriptor: Int32

    /// Takes the lock, or throws at once when another process holds it.
    ///
    /// - Throws: ``DeliveryError/alreadyRunning(lockFile:)`` or ``DeliveryError/lockFailed(lockFile:reason:)``.
    init(path: String) throws(DeliveryError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .lockFailed(lockFile: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw .alreadyRunning(lockFile: path) }
            throw .lockFailed(lockFile: path, reason: String(cString: strerror(code)))
        }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        // Closing the descriptor releases the lock.
        close(descriptor)
    }
}

/// A delivery run that cannot start.
public enum DeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyRunning(lockFile: String)
    case lockFailed(lockFile: String, reason: String)

    public var description: String {
        switch self {
        case .alreadyRunning(let lockFile):
            return "another delivery is running on this directory (it holds '\(lockFile)'); wait for it to finish"
        case .lockFailed(let lockFile, let reason):
            return "could not lock '\(lockFile)' for delivery: \(reason); check that the directory's folder is writable"
        }
    }
}
