import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `<database>.scheduler-lock`, held for as long as a scheduler (or a
/// `tick`) runs, so that only one scheduler works on a directory. The file holds the holder's
/// process id. The kernel drops the lock when the process ends, even by `kill -9`.
public final class SchedulerLock {
    public let path: String
    private let descriptor: Int32

    /// The lock file of the directory at `databasePath`.
    public static func path(forDatabase databasePath: String) -> String {
        databasePath + ".scheduler-lock"
    }

    /// Takes the lock, or throws at once when another process holds it.
    ///
    /// - Throws: ``SchedulerError/alreadyRunning(lockFile:processId:)`` or
    ///   ``SchedulerError/lockFailed(lockFile:reason:)``.
    public init(databasePath: String) throws(SchedulerError) {
        let path = Self.path(forDatabase: databasePath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .lockFailed(lockFile: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readProcessId(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK { throw .alreadyRunning(lockFile: path, processId: holder) }
            throw .lockFailed(lockFile: path, reason: String(cString: strerror(code)))
        }
        self.path = path
        self.descriptor = descriptor

        // Record who holds it, for the message a second scheduler shows.
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        // Closing the descriptor releases the lock.
        close(descriptor)
    }

    private static func readProcessId(_ descriptor: Int32) -> Int32? {
        var buffer = [CChar](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, 31, 0)
        guard count > 0 else { return nil }
        return Int32(String(cString: buffer).trimmingSpaces())
    }
}

/// A scheduler that cannot start or run a job.
public enum SchedulerError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyRunning(lockFile: String, processId: Int32?)
    case lockFailed(lockFile: String, reason: String)
    case logNotWritable(path: String, reason: String)
    case spawnFailed(executable: String, reason: String)
    case alreadyClaimed(schedule: String, scheduledAt: String)

    public var description: String {
        switch self {
        case .alreadyRunning(let lockFile, let processId):
            let holder = processId.map { " (process \($0))" } ?? ""
            return "another scheduler is running on this directory\(holder): it holds '\(lockFile)'; stop it first, or let it run the schedules"
        case .lockFailed(let lockFile, let reason):
            return "could not lock '\(lockFile)' for the scheduler: \(reason); check that the directory's folder is writable"
        case .logNotWritable(let path, let reason):
            return "cannot write the run log '\(path)': \(reason); check scheduler.log_folder and that its folder is writable"
        case .spawnFailed(let executable, let reason):
            return "cannot start '\(executable)': \(reason); check that the lanyard executable still exists"
        case .alreadyClaimed(let schedule, let scheduledAt):
            return "a run of '\(schedule)' scheduled at \(scheduledAt) was already started; wait a second and try again"
        }
    }
}
